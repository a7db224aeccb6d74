"""No correct answer, score or key reaches the candidate's browser while the attempt runs.

Two checks over every page and JSON response a candidate can get during an attempt:

* key independence: the responses are byte for byte the same whatever the key is (the keys of all
  served items are changed between two captures, under a frozen clock);
* an allow-list of JSON fields, and none of the words a leak would use.

After the attempt, the result page shows scores per domain and never an item.
"""

import re
from datetime import timedelta

import time_machine

from lms.core.time import utcnow
from lms.exams.models import ItemVersion
from lms.extensions import db
from tests.exams.conftest import correct_response
from tests.exams.test_delivery import START_FORM

ALLOWED_JSON_FIELDS = {
    "saved", "position", "seq", "remaining_seconds", "status", "minutes_allowed", "minutes_standard",
    "questions", "answered", "flagged", "take_url", "result_url", "recorded", "error", "code", "message",
    "current", "response",
}  # fmt: skip
LEAK_WORDS = re.compile(r"\b(correct|is_correct|score|scored|points|passed|key|fraction)\b", re.IGNORECASE)


def other_key(version: ItemVersion) -> dict:
    key = version.key
    return {
        "single_choice": lambda: {"correct": "a" if key["correct"] != "a" else "c"},
        "multiple_response": lambda: {"correct": ["b", "d"] if key["correct"] != ["b", "d"] else ["a"]},
        "true_false": lambda: {"correct": not key["correct"]},
        "ordering": lambda: {"order": list(reversed(key["order"]))},
        "matching": lambda: {
            "pairs": dict(
                zip(key["pairs"], list(key["pairs"].values())[1:] + list(key["pairs"].values())[:1], strict=True)
            )
        },
    }[version.type]()


def normalise(body: str) -> str:
    body = re.sub(r'(csrf[-_]token"? (?:content|value)=")[^"]+', r"\1X", body)
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", body)


def json_fields(value, found=None):
    found = set() if found is None else found
    if isinstance(value, dict):
        for k, v in value.items():
            found.add(k)
            if k != "response":
                json_fields(v, found)
    elif isinstance(value, list):
        for v in value:
            json_fields(v, found)
    return found


def capture(client, urls):
    out = {}
    for url in urls:
        response = client.get(url, headers={"Accept": "application/json"} if url.endswith("/state") else {})
        assert response.status_code in (200, 302), (url, response.status_code)
        out[url] = normalise(response.get_data(as_text=True))
    return out


def test_no_response_during_an_attempt_depends_on_the_key(client, login, exam, candidate, make_client):
    with time_machine.travel(utcnow(), tick=False) as clock:
        login(client, candidate)
        client.post(f"/exams/{exam.track.code}/start", data=START_FORM)
        from lms.exams.models import ExamAttempt

        attempt = db.session.execute(db.select(ExamAttempt)).scalar_one()
        base = f"/exams/attempts/{attempt.id}"
        # Answer half the questions (with the right answers), flag one: the pages then carry responses.
        json_bodies = []
        for item in attempt.items[:3]:
            r = client.post(
                f"{base}/save",
                json={
                    "position": item.position,
                    "response": correct_response(item.version),
                    "flagged": item.position == 1,
                    "seq": item.position,
                },
            )
            json_bodies.append(r.get_json())
        json_bodies.append(
            client.post(f"{base}/save", json={"position": 1, "response": None, "flagged": True, "seq": 1}).get_json()
        )
        json_bodies.append(
            client.post(f"{base}/save", json={"position": 1, "response": "zz", "flagged": True, "seq": 9}).get_json()
        )
        json_bodies.append(client.post(f"{base}/events", json={"events": [{"kind": "copy"}]}).get_json())
        second = make_client()
        login(second, candidate)
        blocked_page = second.get(base).get_data(as_text=True)
        json_bodies.append(
            second.post(f"{base}/save", json={"position": 2, "response": "a", "flagged": False, "seq": 20}).get_json()
        )
        urls = ["/exams/", f"/exams/{exam.track.code}", base, f"{base}/state", f"{base}/submit", "/dashboard"]
        before = capture(client, urls)
        json_bodies.append(client.get(f"{base}/state").get_json())

        for item in attempt.items:
            version = db.session.get(ItemVersion, item.item_version_id)
            version.key = other_key(version)
        db.session.flush()
        after = capture(client, urls)
        assert before == after, [u for u in urls if before[u] != after[u]]

        for body in json_bodies:
            assert json_fields(body) <= ALLOWED_JSON_FIELDS, body
        for url, body in before.items():
            assert "data-correct" not in body and "is-key" not in body, url
            if url.startswith(base):  # the attempt's own pages say nothing about scoring at all
                text = re.sub(r"<[^>]+>", " ", body)  # what a person or a script reads, not our markup
                assert not LEAK_WORDS.search(text), (url, LEAK_WORDS.search(text))
        assert not LEAK_WORDS.search(re.sub(r"<[^>]+>", " ", blocked_page))
        clock.shift(timedelta(seconds=1))


def test_the_result_shows_domains_and_never_an_item(client, login, exam, candidate):
    login(client, candidate)
    client.post(f"/exams/{exam.track.code}/start", data=START_FORM)
    from lms.exams.models import ExamAttempt

    attempt = db.session.execute(db.select(ExamAttempt)).scalar_one()
    for item in attempt.items:
        client.post(
            f"/exams/attempts/{attempt.id}/save",
            json={
                "position": item.position,
                "response": correct_response(item.version),
                "flagged": False,
                "seq": item.position,
            },
        )
    client.post(f"/exams/attempts/{attempt.id}/submit", data={})
    page = client.get(f"/exams/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "Passed" in page and "1000" in page and "Basics" in page
    for item in attempt.items:
        version = item.version
        assert version.content["en"]["stem"] not in page
        for option in version.content["en"].get("options", []):
            assert option["text"] not in page
