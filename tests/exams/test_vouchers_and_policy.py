from datetime import timedelta

import pytest
import time_machine

from lms.core import signals
from lms.core.errors import DomainError
from lms.core.time import utcnow
from lms.exams.models import EndReason, ResultStatus, VoucherStatus
from lms.exams.services import grading, vouchers
from lms.exams.services.policy import start_decision
from lms.extensions import db
from tests.exams.conftest import correct_response, reload, wrong_response


def finish(attempt, right: bool, now=None):
    for item in attempt.items:
        item.response = correct_response(item.version) if right else wrong_response(item.version)
    db.session.flush()
    return grading.finish_attempt(attempt.id, EndReason.SUBMITTED, now=now)


# --- vouchers ----------------------------------------------------------------------------------


def test_a_seat_includes_the_attempts_the_blueprint_grants_once(exam, candidate):
    held = vouchers.vouchers_of(candidate.id, exam.track.id)
    assert len(held) == 2 and all(v.status == VoucherStatus.AVAILABLE for v in held)
    assert all(v.origin_ref.startswith("enrolment:") for v in held)
    enrolment_id = int(held[0].origin_ref.split(":")[1])
    signals.enrolment_created.send(enrolment_id=enrolment_id, user_id=candidate.id, course_version_id=exam.version.id)
    assert len(vouchers.vouchers_of(candidate.id, exam.track.id)) == 2


def test_a_partner_voucher_redeemed_grants_one_attempt_once(exam, create_user):
    user = create_user()
    for _ in range(2):
        signals.exam_voucher_redeemed.send(user_id=user.id, track_id=exam.track.id, origin_ref="voucher:77")
    held = vouchers.vouchers_of(user.id, exam.track.id)
    assert len(held) == 1 and held[0].origin_ref == "voucher:77"
    assert held[0].code.startswith("EXV-")


def test_the_course_page_lists_included_attempts(app, exam):
    with app.test_request_context():
        results = [r for _recv, r in signals.seat_inclusions.send(exam.version) if r]
    assert ["2 exam attempts included"] in results


def test_expired_vouchers_stop_counting(exam, candidate):
    with time_machine.travel(utcnow() + timedelta(days=400), tick=False):
        assert vouchers.usable_voucher(candidate.id, exam.track.id) is None
        assert vouchers.expire_vouchers() == 2
        decision = start_decision(candidate.id, exam.track.id)
        assert not decision.allowed and "voucher" in decision.reason


def test_no_voucher_no_attempt_unless_the_blueprint_says_so(app, exam, make_candidate, start_attempt):
    user = make_candidate(exam)
    for voucher in vouchers.vouchers_of(user.id, exam.track.id):
        vouchers.void(voucher, "test", actor_id=None)
    with app.test_request_context():
        with pytest.raises(DomainError, match="voucher"):
            start_attempt(user, exam)
        exam.blueprint.voucher_required = False
        assert start_attempt(user, exam).voucher_id is None


def test_an_attempt_uses_the_voucher_that_expires_first(exam, candidate, start_attempt):
    held = vouchers.vouchers_of(candidate.id, exam.track.id)
    held[1].expires_at = utcnow() + timedelta(days=3)
    attempt = start_attempt(candidate, exam)
    assert attempt.voucher_id == held[1].id
    assert db.session.get(type(held[1]), held[1].id).status == VoucherStatus.USED


# --- eligibility and retakes -------------------------------------------------------------------


def test_a_learner_who_has_not_completed_the_course_sees_what_remains(app, exam, create_user):
    user = create_user()
    with app.test_request_context():
        decision = start_decision(user.id, exam.track.id)
    assert not decision.allowed
    assert "Complete a course" in decision.reason


def test_retake_waits_one_day_then_fourteen(app, exam, candidate, start_attempt):
    vouchers.grant(user_id=candidate.id, track_id=exam.track.id, origin_ref="extra", count=3)
    start = utcnow()
    with app.test_request_context(), time_machine.travel(start, tick=False) as clock:
        finish(start_attempt(candidate, exam), right=False)
        decision = start_decision(candidate.id, exam.track.id)
        assert not decision.allowed and decision.next_allowed_at == start + timedelta(days=1)
        clock.shift(timedelta(days=1, seconds=1))
        second = start_attempt(candidate, exam)
        finished_at = utcnow()
        finish(second, right=False, now=finished_at)
        clock.shift(timedelta(days=13))
        decision = start_decision(candidate.id, exam.track.id)
        assert not decision.allowed and decision.next_allowed_at == finished_at + timedelta(days=14)
        clock.shift(timedelta(days=1, seconds=1))
        assert start_decision(candidate.id, exam.track.id).allowed


def test_at_most_n_attempts_in_twelve_months(app, make_exam, make_candidate, start_attempt):
    setup = make_exam(retake_wait_days=[], max_attempts_per_year=2)
    user = make_candidate(setup)
    start = utcnow()
    with app.test_request_context(), time_machine.travel(start, tick=False) as clock:
        finish(start_attempt(user, setup), right=False)
        finish(start_attempt(user, setup), right=False)
        decision = start_decision(user.id, setup.track.id)
        assert not decision.allowed and decision.next_allowed_at == start + timedelta(days=365)
        assert "12 months" in decision.reason
        clock.shift(timedelta(days=366))
        vouchers.grant(user_id=user.id, track_id=setup.track.id, origin_ref="more", count=1)
        assert start_decision(user.id, setup.track.id).allowed


def test_attempts_allowed_in_all(app, make_exam, make_candidate, start_attempt):
    setup = make_exam(retake_wait_days=[], attempts_allowed=1)
    user = make_candidate(setup)
    with app.test_request_context():
        finish(start_attempt(user, setup), right=False)
        decision = start_decision(user.id, setup.track.id)
        assert not decision.allowed and "1 attempt" in decision.reason


def test_no_retake_after_a_pass_and_none_while_a_result_is_held(app, exam, candidate, start_attempt):
    with app.test_request_context():
        attempt = finish(start_attempt(candidate, exam), right=True)
        assert attempt.passed and attempt.result_status == ResultStatus.RELEASED
        assert "passed" in start_decision(candidate.id, exam.track.id).reason


def test_a_held_result_blocks_a_retake(app, make_exam, make_candidate, start_attempt):
    setup = make_exam(retake_wait_days=[])
    user = make_candidate(setup)
    with app.test_request_context():
        attempt = start_attempt(user, setup)
        attempt.flagged = True
        finish(attempt, right=False)
        assert reload(attempt).result_status == ResultStatus.HELD
        decision = start_decision(user.id, setup.track.id)
        assert not decision.allowed and "reviewed" in decision.reason


def test_starting_twice_resumes_the_same_attempt(app, exam, candidate, start_attempt):
    with app.test_request_context():
        first = start_attempt(candidate, exam)
        again = start_attempt(candidate, exam)
    assert first.id == again.id
    assert len(vouchers.vouchers_of(candidate.id, exam.track.id)) == 2
    assert sum(v.status == VoucherStatus.USED for v in vouchers.vouchers_of(candidate.id, exam.track.id)) == 1


def test_check_in_requires_every_attestation(app, exam, candidate):
    from lms.exams.services import attempts

    with app.test_request_context():
        for missing in ("identity_confirmed", "rules_accepted", "confidentiality_accepted"):
            values = {"identity_confirmed": True, "rules_accepted": True, "confidentiality_accepted": True}
            values[missing] = False
            checkin = attempts.CheckIn(webcam_consent=False, language="en", **values)
            with pytest.raises(DomainError) as caught:
                attempts.start_attempt(candidate, exam.track, checkin, device_token="d" * 30, ip=None)
            assert caught.value.field == missing
        with pytest.raises(DomainError):
            attempts.start_attempt(
                candidate,
                exam.track,
                attempts.CheckIn(True, True, True, False, language="ja"),
                device_token="d" * 30,
                ip=None,
            )
