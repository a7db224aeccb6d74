from collections import Counter

import pytest

from lms.core.errors import DomainError
from lms.exams.models import EndReason, EventKind, Item, ItemStatus
from lms.exams.services import bank, delivery, grading, vouchers
from lms.exams.services.delivery import Channel
from lms.extensions import db
from tests.exams.conftest import DEVICE, DOMAINS


def test_the_form_follows_the_blueprint_per_domain(exam, candidate, start_attempt):
    attempt = start_attempt(candidate, exam)
    assert Counter(i.domain_code for i in attempt.items) == dict.fromkeys(DOMAINS, 2)
    assert [i.position for i in attempt.items] == list(range(1, 7))
    assert all(db.session.get(Item, i.item_id).status == ItemStatus.LIVE for i in attempt.items)
    assert all(i.item_version_id == db.session.get(Item, i.item_id).latest.id for i in attempt.items)
    assert (attempt.deadline_at - attempt.started_at).total_seconds() == 60 * 60
    assert attempt.policy["pass_percent"] == 70


def test_draft_retired_and_foreign_language_items_are_never_drawn(make_exam, make_candidate, start_attempt):
    setup = make_exam(per_domain=3)
    for item in setup.items:
        if item.code.endswith("-3"):
            bank.set_status(item, ItemStatus.RETIRED, actor_id=None)
    user = make_candidate(setup)
    attempt = start_attempt(user, setup)
    served = {db.session.get(Item, i.item_id).code for i in attempt.items}
    assert not any(code.endswith("-3") for code in served)


def test_the_order_is_shuffled_once_and_then_fixed(app, make_exam, make_candidate, start_attempt):
    exam = make_exam(per_domain=1, domain_counts=dict.fromkeys(DOMAINS, 1))  # single choice only
    candidate = make_candidate(exam)
    attempt = start_attempt(candidate, exam)
    channel = Channel(candidate.id, DEVICE, "10.0.0.1")
    with app.test_request_context():
        first = delivery.open_attempt(attempt.id, channel).questions()
        db.session.expire_all()
        second = delivery.open_attempt(attempt.id, channel).questions()
    assert first == second
    assert all(q["options"][3]["text"].endswith("All of the above") for q in first)  # kept in place


def test_candidates_get_different_forms(exam, make_candidate, start_attempt):
    orders = set()
    for _ in range(6):
        attempt = start_attempt(make_candidate(exam), exam)
        orders.add(tuple((i.item_id, tuple(i.option_order)) for i in attempt.items))
    assert len(orders) > 1


def test_a_retake_prefers_items_the_candidate_has_not_seen(app, make_exam, make_candidate, start_attempt):
    setup = make_exam(per_domain=4, retake_wait_days=[])
    user = make_candidate(setup)
    with app.test_request_context():
        first = start_attempt(user, setup)
        seen = {i.item_id for i in first.items}
        grading.finish_attempt(first.id, EndReason.SUBMITTED)
        second = start_attempt(user, setup)
        assert not seen & {i.item_id for i in second.items}  # 4 per domain, 2 drawn: all new
        grading.finish_attempt(second.id, EndReason.SUBMITTED)
        vouchers.grant(user_id=user.id, track_id=setup.track.id, origin_ref="third", count=1)
        third = start_attempt(user, setup)
        assert len({i.item_id for i in third.items}) == 6  # all seen now: it still assembles


def test_an_exam_in_another_language_draws_only_items_written_in_it(make_exam, make_candidate, start_attempt, app):
    setup = make_exam(languages=("en", "ar"))
    user = make_candidate(setup)
    attempt = start_attempt(user, setup, language="ar")
    with app.test_request_context():
        questions = delivery.open_attempt(attempt.id, Channel(user.id, DEVICE, "10.0.0.1")).questions()
    assert all(q["stem"].startswith("[ar]") for q in questions)


def test_a_bank_too_small_for_the_blueprint_is_refused_at_activation_and_start(app, exam, candidate, start_attempt):
    from lms.exams.services import blueprints

    with app.test_request_context():
        exam.blueprint.domain_counts = {"basics": 9}
        assert blueprints.readiness_problems(exam.blueprint)
        with pytest.raises(DomainError, match="cannot be assembled"):
            start_attempt(candidate, exam)


def test_pilot_items_are_served_but_not_scored(make_exam, make_candidate, start_attempt):
    setup = make_exam(per_domain=3, pilot_item_count=1)
    pilot = setup.items[0]
    bank.set_status(pilot, ItemStatus.PILOT, actor_id=None)
    attempt = start_attempt(make_candidate(setup), setup)
    unscored = [i for i in attempt.items if not i.scored]
    assert [i.item_id for i in unscored] == [pilot.id]
    finished = grading.finish_attempt(attempt.id, EndReason.SUBMITTED)
    assert finished.max_points == 6


def test_check_in_is_the_first_event_of_the_timeline(exam, candidate, start_attempt):
    from lms.exams.services.proctoring import timeline

    attempt = start_attempt(candidate, exam)
    events = timeline(attempt.id)
    assert [e.kind for e in events] == [EventKind.CHECKED_IN]
    assert attempt.checkin["legal_name"] == candidate.legal_name
