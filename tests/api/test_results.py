"""Exam results through the API: the learner's own view (score, pass, domain bands), never an item."""

import json

import pytest

from lms.exams.models import EndReason
from lms.exams.services import grading
from lms.extensions import db
from tests.api.conftest import bearer
from tests.exams.conftest import correct_response, wrong_response


@pytest.fixture
def finish(start_attempt):
    """``finish(user, setup, right=…)`` → a completed attempt with ``right`` positions answered correctly."""

    def factory(user, setup, right=None, flagged=False):
        attempt = start_attempt(user, setup)
        attempt.flagged = flagged
        for item in attempt.items:
            good = right is None or item.position in right
            item.response = correct_response(item.version) if good else wrong_response(item.version)
        db.session.flush()
        return grading.finish_attempt(attempt.id, EndReason.SUBMITTED)

    return factory


def test_a_partners_learner_result_is_the_learner_safe_view(client, network, make_exam, make_candidate, finish):
    setup = make_exam()
    learner = make_candidate(setup, partner=network["partner"], display_name="Amira")
    attempt = finish(learner, setup)
    response = client.get("/api/v1/results", headers={**bearer(network["token"]), "Accept-Language": "ar"})
    assert response.status_code == 200
    [result] = response.get_json()["data"]
    assert result["id"] == attempt.id and result["learner"]["display_name"] == "Amira"
    assert result["status"] == "released" and result["passed"] is True
    assert result["scaled_score"] == 1000 and result["scale"] == {"min": 0, "max": 1000, "cut": 700}
    assert {d["code"] for d in result["domains"]} == {"basics", "risk", "practice"}
    assert all(d["band"] == "meets" for d in result["domains"])
    assert result["domains"][0]["name"].startswith("مجال")  # the domain names in the caller's language
    text = json.dumps(result)
    for item in attempt.items:  # no stem, option, key or response of any question
        assert item.version.content["en"]["stem"] not in text
    assert "response" not in text and "items" not in result


def test_a_held_result_shows_no_score(client, network, make_exam, make_candidate, finish):
    setup = make_exam()
    learner = make_candidate(setup, partner=network["partner"])
    attempt = finish(learner, setup, flagged=True)
    result = client.get(f"/api/v1/results/{attempt.id}", headers=bearer(network["token"])).get_json()
    assert result["status"] == "held"
    assert result["passed"] is None and result["scaled_score"] is None and result["domains"] == []


def test_results_filter_by_outcome_and_learner(client, network, make_exam, make_candidate, finish):
    setup = make_exam()
    strong = make_candidate(setup, partner=network["partner"])
    weak = make_candidate(setup, partner=network["partner"])
    passed = finish(strong, setup)
    failed = finish(weak, setup, right=set())
    headers = bearer(network["token"])

    def ids(query):
        return [r["id"] for r in client.get(f"/api/v1/results?{query}", headers=headers).get_json()["data"]]

    assert ids("passed=true") == [passed.id]
    assert ids("passed=false") == [failed.id]
    assert ids(f"learner_id={weak.id}") == [failed.id]
    assert ids(f"track_id={setup.track.id}") == [passed.id, failed.id]


def test_another_partners_learners_results_are_not_found(client, network, make_exam, make_candidate, finish, make_key):
    setup = make_exam()
    theirs = finish(make_candidate(setup, partner=network["other"]), setup)
    headers = bearer(network["token"])
    assert client.get(f"/api/v1/results/{theirs.id}", headers=headers).status_code == 404
    assert client.get("/api/v1/results", headers=headers).get_json()["data"] == []
    _key, without_scope = make_key(network["partner"], scopes=["enrolments:read"])
    assert client.get("/api/v1/results", headers=bearer(without_scope)).status_code == 403
    assert client.get("/api/v1/results").status_code == 401
