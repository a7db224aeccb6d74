from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.core import signals
from lms.core.errors import DomainError
from lms.exams.models import EndReason, EventKind, Rescore, ResultStatus
from lms.exams.services import bank, grading
from lms.exams.services.proctoring import timeline
from lms.extensions import db
from tests.exams.conftest import correct_response, reload, wrong_response

POLICY = {"pass_percent": 70, "scale_min": 0, "scale_max": 1000, "scale_cut": 700}


@pytest.mark.parametrize(
    ("fraction", "scaled"),
    [(Fraction(0), 0), (Fraction(7, 10), 700), (Fraction(1), 1000), (Fraction(35, 100), 350), (Fraction(85, 100), 850)],
)
def test_the_scale_puts_the_pass_mark_on_the_cut(fraction, scaled):
    assert grading.scale(fraction, POLICY) == scaled


@given(st.fractions(min_value=0, max_value=1), st.fractions(min_value=0, max_value=1))
def test_the_scale_is_monotone_and_agrees_with_pass_fail(a, b):
    low, high = sorted((a, b))
    assert grading.scale(low, POLICY) <= grading.scale(high, POLICY)
    for value in (a, b):
        assert (grading.scale(value, POLICY) >= 700) == (value >= Fraction(7, 10))


def _answer(attempt, right_positions):
    for item in attempt.items:
        good = item.position in right_positions
        item.response = correct_response(item.version) if good else wrong_response(item.version)
    db.session.flush()


def test_results_have_raw_scaled_and_a_band_per_domain(exam, candidate, start_attempt):
    attempt = start_attempt(candidate, exam)
    by_domain = {}
    for item in attempt.items:
        by_domain.setdefault(item.domain_code, []).append(item.position)
    right = set(by_domain["basics"]) | set(by_domain["risk"][:1])
    _answer(attempt, right)
    attempt = grading.finish_attempt(attempt.id, EndReason.SUBMITTED)
    assert attempt.raw_points == 3 and attempt.max_points == 6
    assert attempt.raw_percent == 50.0 and not attempt.passed
    assert attempt.scaled_score == grading.scale(Fraction(1, 2), attempt.policy) == 500
    assert attempt.domain_results["basics"]["band"] == "meets"
    assert attempt.domain_results["risk"]["band"] == "below"  # 50% is more than 15 points under 70
    assert attempt.domain_results["practice"] == {"points": 0.0, "max": 2, "percent": 0.0, "band": "below"}


def test_a_pass_is_announced_when_released_and_only_then(exam, candidate, start_attempt, staff_user):
    received = {"passed": [], "released": []}

    def on_pass(_sender, **kwargs):
        received["passed"].append(kwargs)

    def on_release(_sender, **kwargs):
        received["released"].append(kwargs)

    signals.exam_passed.connect(on_pass)
    signals.exam_result_released.connect(on_release)
    try:
        attempt = start_attempt(candidate, exam)
        attempt.flagged = True
        _answer(attempt, {i.position for i in attempt.items})
        attempt = grading.finish_attempt(attempt.id, EndReason.SUBMITTED)
        assert attempt.passed and attempt.result_status == ResultStatus.HELD
        assert received == {"passed": [], "released": []}
        with pytest.raises(DomainError):
            grading.release_result(attempt.id, "", actor_id=staff_user.id)
        grading.release_result(
            attempt.id, "Reviewed the timeline: focus losses were a second monitor", actor_id=staff_user.id
        )
    finally:
        signals.exam_passed.disconnect(on_pass)
        signals.exam_result_released.disconnect(on_release)
    assert len(received["passed"]) == 1
    passed = received["passed"][0]
    assert passed["attempt_id"] == attempt.id and passed["user_id"] == candidate.id
    assert passed["track_id"] == exam.track.id and passed["decided_at"] is not None
    assert received["released"] == [{"attempt_id": attempt.id, "user_id": candidate.id, "passed": True}]


def test_staff_can_invalidate_a_held_result_with_a_reason(exam, candidate, start_attempt, staff_user):
    attempt = start_attempt(candidate, exam)
    attempt.flagged = True
    grading.finish_attempt(attempt.id, EndReason.SUBMITTED)
    with pytest.raises(DomainError):
        grading.invalidate_result(attempt.id, " ", actor_id=staff_user.id)
    grading.invalidate_result(attempt.id, "Another person answered for the candidate", actor_id=staff_user.id)
    attempt = reload(attempt)
    assert attempt.result_status == ResultStatus.INVALIDATED
    assert EventKind.RESULT_INVALIDATED in [e.kind for e in timeline(attempt.id)]
    with pytest.raises(DomainError):
        grading.release_result(attempt.id, "changed my mind", actor_id=staff_user.id)


def test_every_result_waits_when_the_blueprint_says_so(make_exam, make_candidate, start_attempt):
    from lms.exams.models import ReviewPolicy

    setup = make_exam(review_policy=ReviewPolicy.ALL)
    attempt = grading.finish_attempt(start_attempt(make_candidate(setup), setup).id, EndReason.SUBMITTED)
    assert attempt.result_status == ResultStatus.HELD


def test_rescoring_after_a_key_correction_changes_results_and_logs_it(
    make_exam, make_candidate, start_attempt, staff_user
):
    exam = make_exam(per_domain=2)  # every item is served to every candidate
    attempts = []
    for _ in range(3):
        attempt = start_attempt(make_candidate(exam), exam)
        _answer(attempt, {i.position for i in attempt.items})
        attempts.append(grading.finish_attempt(attempt.id, EndReason.SUBMITTED))
    served = {i.item_id for a in attempts for i in a.items}
    item = next(i for i in exam.items if i.id in served and i.latest.type == "single_choice")
    affected = [a for a in attempts if item.id in {i.item_id for i in a.items}]
    before = {a.id: a.raw_points for a in affected}
    with pytest.raises(DomainError):
        grading.rescore(exam.track.id, [v.id for v in item.versions], "no correction yet", actor_id=staff_user.id)
    bank.correct_key(item, "c", "b was a typo in the key", actor_id=staff_user.id)
    run = grading.rescore(exam.track.id, [v.id for v in item.versions], "key of item corrected", actor_id=staff_user.id)
    assert run.attempts_checked == len(affected) and run.attempts_changed == len(affected)
    assert run.versions == [[item.versions[0].id, item.versions[1].id]]
    for attempt in affected:
        attempt = reload(attempt)
        assert attempt.raw_points == before[attempt.id] - 1
        rescored = next(i for i in attempt.items if i.item_id == item.id)
        assert rescored.scored_version_id == item.versions[1].id and rescored.item_version_id == item.versions[0].id
        assert EventKind.RESCORED in [e.kind for e in timeline(attempt.id)]
    assert db.session.get(Rescore, run.id).reason == "key of item corrected"
