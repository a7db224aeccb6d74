"""A state-machine test of the attempt lifecycle (hypothesis): saves with sequence numbers, the clock
moving, pauses, extra time, submit and the periodic deadline task, checked against a simple model."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from lms.core.errors import DomainError
from lms.core.time import utcnow
from lms.exams.models import AttemptStatus, EndReason, EventKind, ExamAttempt
from lms.exams.services import delivery, proctoring
from lms.exams.services.delivery import AttemptClosed, AttemptPaused, Channel, StaleAnswer
from lms.exams.services.proctoring import timeline
from lms.extensions import db
from tests.exams.conftest import DEVICE, DOMAINS, correct_response, wrong_response

GRACE = delivery.DEFAULT_GRACE_SECONDS


def test_attempt_lifecycle(app, make_exam, make_candidate, start_attempt, staff_user):
    setup = make_exam(per_domain=1, domain_counts=dict.fromkeys(DOMAINS, 1), time_limit_minutes=10)

    class Lifecycle(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.clock = time_machine.travel(utcnow(), tick=False)
            self.traveller = self.clock.start()
            self.user = make_candidate(setup)
            self.attempt = start_attempt(self.user, setup)
            self.channel = Channel(self.user.id, DEVICE, "10.0.0.1")
            self.elapsed = 0  # seconds the clock ran (not paused)
            self.allowed = 10 * 60
            self.paused = False
            self.done = False
            self.stored: dict[int, tuple] = {i.position: (None, 0) for i in self.attempt.items}
            self.versions = {i.position: i.version for i in self.attempt.items}

        def teardown(self) -> None:
            self.clock.stop()

        def _overdue(self) -> bool:
            return not self.paused and self.elapsed > self.allowed + GRACE

        def _settle_model(self) -> None:
            if not self.done and self._overdue():
                self.done = True

        @rule(position=st.integers(1, 3), right=st.booleans(), step=st.integers(-2, 3))
        def save(self, position, right, step):
            response = (correct_response if right else wrong_response)(self.versions[position])
            stored_response, stored_seq = self.stored[position]
            seq = max(1, stored_seq + step)
            self._settle_model()
            try:
                delivery.open_attempt(self.attempt.id, self.channel).save(position, response, False, seq)
            except AttemptClosed:
                assert self.done
                return
            except AttemptPaused:
                assert self.paused and not self.done
                return
            except StaleAnswer:
                assert seq < stored_seq or (seq == stored_seq and stored_response != response)
                return
            assert not self.done and not self.paused
            assert seq > stored_seq or (seq == stored_seq and stored_response == response)
            self.stored[position] = (response, seq)

        @rule(seconds=st.sampled_from([5, 20, 45, 120, 400]))
        def time_passes(self, seconds):
            self.traveller.shift(timedelta(seconds=seconds))
            if not self.paused:
                self.elapsed += seconds

        @precondition(lambda self: not self.done and not self._overdue())
        @rule()
        def pause_or_resume(self):
            try:
                if self.paused:
                    proctoring.resume(staff_user, self.attempt.id, "back")
                else:
                    proctoring.pause(staff_user, self.attempt.id, "a break")
            except DomainError:
                raise AssertionError("a live attempt can be paused and resumed") from None
            self.paused = not self.paused

        @precondition(lambda self: not self.done and not self._overdue())
        @rule(minutes=st.integers(1, 5))
        def add_time(self, minutes):
            proctoring.add_time(staff_user, self.attempt.id, minutes, "technical problem")
            self.allowed += minutes * 60

        @rule()
        def submit(self):
            self._settle_model()
            view = delivery.open_attempt(self.attempt.id, self.channel)
            try:
                view.submit()
            except AttemptPaused:
                assert self.paused and not self.done
                return
            self.done = True

        @rule()
        def periodic_task(self):
            delivery.finish_overdue()
            self._settle_model()

        @invariant()
        def matches_the_model(self):
            db.session.expire_all()
            attempt = db.session.get(ExamAttempt, self.attempt.id)
            if attempt.status == AttemptStatus.COMPLETED:
                assert self.done or self._overdue()
                self.done = True
                finished = [
                    e.kind
                    for e in timeline(attempt.id)
                    if e.kind in (EventKind.SUBMITTED, EventKind.DEADLINE_REACHED, EventKind.ENDED)
                ]
                assert len(finished) == 1
                right = sum(
                    1
                    for position, (response, _seq) in self.stored.items()
                    if response is not None and response == correct_response(self.versions[position])
                )
                assert attempt.raw_points == right
                if attempt.end_reason == EndReason.DEADLINE:
                    assert self.elapsed > self.allowed + GRACE
            else:
                assert not self.done
                assert (attempt.status == AttemptStatus.PAUSED) == self.paused
                remaining = delivery.remaining_seconds(attempt, utcnow())
                assert remaining == max(0, self.allowed - self.elapsed)
            for item in attempt.items:
                assert (item.response, item.response_seq) == self.stored[item.position]

    with app.test_request_context():
        run_state_machine_as_test(
            Lifecycle,
            settings=settings(
                max_examples=30,
                stateful_step_count=25,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
            ),
        )
