"""Item statistics against values computed by hand for five candidates on one three-item form.

Right (1) / wrong (0) per candidate, items A, B, C (single choice, key "b"):

    c1: 1 1 1   c2: 1 1 0   c3: 1 0 1   c4: 0 1 0   c5: 0 0 0     totals 3 2 2 1 0

Facility: A 3/5 = 0.6, B 0.6, C 0.4. Rest scores (share of the other two items right):
A: 1, .5, .5, .5, 0 → r = .5 / sqrt(1.2 × .5) = 0.645497
B: 1, .5, 1, 0, 0   → r = 0
C: 1, 1, .5, .5, 0  → r = .3 / sqrt(1.2 × .7) = 0.327327
KR-20 = 3/2 × (1 − (.24 + .24 + .24) / 1.04) = 0.461538 (population variance of totals = 1.04).
"""

import pytest

from lms.core.csvio import read_csv
from lms.exams.models import EndReason
from lms.exams.services import grading, statistics
from lms.extensions import db
from tests.exams.conftest import DOMAINS

PATTERNS = {"basics": [1, 1, 1, 0, 0], "risk": [1, 1, 0, 1, 0], "practice": [1, 0, 1, 0, 0]}
WRONG = {"basics": ["", "", "", "a", "c"], "risk": ["", "", "d", "", "a"], "practice": ["", "a", "", "a", "a"]}


@pytest.fixture
def sat_exam(make_exam, make_candidate, start_attempt):
    setup = make_exam(per_domain=1, domain_counts=dict.fromkeys(DOMAINS, 1))
    for n in range(5):
        attempt = start_attempt(make_candidate(setup), setup)
        for item in attempt.items:
            right = PATTERNS[item.domain_code][n]
            item.response = "b" if right else WRONG[item.domain_code][n]
        db.session.flush()
        grading.finish_attempt(attempt.id, EndReason.SUBMITTED)
    start_attempt(make_candidate(setup), setup)  # a sixth, still under way: exposure only
    return setup


def _by_domain(stats):
    return {s.domain: s for s in stats}


def test_facility_discrimination_and_reliability_match_the_hand_computation(sat_exam):
    stats, forms = statistics.item_statistics(sat_exam.track.id)
    by = _by_domain(stats)
    assert by["basics"].facility == pytest.approx(0.6)
    assert by["risk"].facility == pytest.approx(0.6)
    assert by["practice"].facility == pytest.approx(0.4)
    assert by["basics"].discrimination == pytest.approx(0.645497, abs=1e-6)
    assert by["risk"].discrimination == pytest.approx(0.0, abs=1e-9)
    assert by["practice"].discrimination == pytest.approx(0.327327, abs=1e-6)
    assert len(forms) == 1 and forms[0].attempts == 5 and forms[0].items_per_form == 3
    assert forms[0].kr20 == pytest.approx(0.461538, abs=1e-6)
    assert forms[0].mean_percent == pytest.approx(1.6 / 3 * 100)


def test_option_distribution_and_exposure(sat_exam):
    by = _by_domain(statistics.item_statistics(sat_exam.track.id)[0])
    assert by["basics"].options == {"a": 1, "b": 3, "c": 1, "d": 0, "omitted": 0}
    assert by["practice"].options == {"a": 3, "b": 2, "c": 0, "d": 0, "omitted": 0}
    assert by["basics"].responses == 5 and by["basics"].exposure == 6 and by["basics"].exposure_rate == 1.0
    assert by["basics"].key == ["b"]


def test_flags_for_items_that_misbehave(sat_exam, monkeypatch):
    by = _by_domain(statistics.item_statistics(sat_exam.track.id)[0])
    assert "few_responses" in by["basics"].flags
    monkeypatch.setattr(statistics, "MIN_RESPONSES", 5)
    by = _by_domain(statistics.item_statistics(sat_exam.track.id)[0])
    assert "low_discrimination" in by["risk"].flags
    assert "distractor_beats_key" in by["practice"].flags
    assert "unused_distractor" in by["basics"].flags
    assert "overexposed" not in by["basics"].flags  # every item is served equally often here
    assert "too_easy" not in by["basics"].flags


def test_statistics_export_as_csv(sat_exam, client, login, staff_user):
    login(client, staff_user)
    page = client.get(f"/staff/exams/{sat_exam.track.code}/statistics").get_data(as_text=True)
    assert "0.462" in page and "0.65" in page
    response = client.get(f"/staff/exams/{sat_exam.track.code}/statistics.csv")
    assert response.mimetype == "text/csv"
    rows = {r["domain"]: r for r in read_csv(response.get_data())}
    assert rows["basics"]["facility"] == "0.600" and rows["basics"]["discrimination"] == "0.645"
    assert rows["practice"]["options"] == "a=3;b=2;c=0;d=0;omitted=0"


def test_invalidated_attempts_do_not_count(sat_exam, staff_user):
    from lms.exams.models import ExamAttempt, ResultStatus

    first = db.session.execute(db.select(ExamAttempt).order_by(ExamAttempt.id)).scalars().first()
    first.result_status = ResultStatus.INVALIDATED
    db.session.flush()
    by = _by_domain(statistics.item_statistics(sat_exam.track.id)[0])
    assert by["basics"].responses == 4 and by["basics"].facility == pytest.approx(0.5)


def test_an_item_served_far_more_than_the_others_is_flagged():
    from collections import Counter

    busy = statistics.ItemStats(
        item_id=1, code="X", domain="d", status="live", responses=3, exposure=9, exposure_rate=0.9
    )
    assert "overexposed" in statistics._flags(busy, "true_false", [], Counter(), mean_exposure=0.4)
    assert "overexposed" not in statistics._flags(busy, "true_false", [], Counter(), mean_exposure=0.8)
