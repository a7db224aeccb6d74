"""Real concurrency on a committing database (SQLite or PostgreSQL): many "finish" requests at once
produce one result; saves racing a finish are either stored and scored, or refused — never lost."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
import sqlalchemy as sa

from lms.core import signals
from lms.exams.models import AttemptItem, EventKind, ExamAttempt
from lms.exams.services import grading
from lms.exams.services.proctoring import timeline
from lms.extensions import db
from tests.conftest import DEFAULT_PASSWORD, Client
from tests.exams.conftest import DOMAINS, correct_response
from tests.exams.test_delivery import START_FORM

pytestmark = pytest.mark.committing

DEVICE = "one-laptop-" + "x" * 30


def _setup(app, make_exam, make_candidate):
    with app.app_context():
        setup = make_exam(per_domain=2, domain_counts=dict.fromkeys(DOMAINS, 2))
        user = make_candidate(setup)
        db.session.commit()
        return setup.track.code, user.email


def _client(app, email: str) -> Client:
    app.test_client_class = Client
    client = app.test_client()
    client.set_cookie("lms_exam_device", DEVICE, path="/exams")
    response = client.post("/login", data={"email": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    client.forget_csrf()
    return client


def _run_together(workers: list) -> list:
    barrier = threading.Barrier(len(workers))
    results: list = [None] * len(workers)

    def run(index: int, work) -> None:
        barrier.wait()
        try:
            results[index] = work()
        except Exception as exc:  # reported below
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_concurrent_finishes_produce_exactly_one_result(committing_app, make_exam, make_candidate):
    code, email = _setup(committing_app, make_exam, make_candidate)
    clients = [_client(committing_app, email) for _ in range(6)]
    start = clients[0].post(f"/exams/{code}/start", data=START_FORM)
    attempt_id = int(start.headers["Location"].rsplit("/", 1)[-1])
    with committing_app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        for item in attempt.items:
            item.response = correct_response(item.version)
        db.session.commit()
    released = []

    def count(_sender, **kwargs):
        if kwargs.get("attempt_id") == attempt_id:
            released.append(kwargs)

    signals.exam_passed.connect(count)
    try:
        tokens = [c.csrf_token() for c in clients]
        responses = _run_together(
            [
                (lambda c=c, t=t: c.post(f"/exams/attempts/{attempt_id}/submit", data={"csrf_token": t}, csrf=False))
                for c, t in zip(clients, tokens, strict=True)
            ]
        )
    finally:
        signals.exam_passed.disconnect(count)
    assert all(not isinstance(r, Exception) for r in responses), responses
    assert {r.status_code for r in responses} == {302}
    assert all(r.headers["Location"].endswith("/result") for r in responses)
    with committing_app.app_context():
        kinds = Counter(e.kind for e in timeline(attempt_id))
        attempt = db.session.get(ExamAttempt, attempt_id)
        assert attempt.passed
    assert kinds[EventKind.SUBMITTED] == 1
    assert kinds[EventKind.RESULT_RELEASED] == 1
    assert len(released) == 1


def test_the_service_finishes_once_under_concurrency(committing_app, make_exam, make_candidate, start_attempt):
    with committing_app.app_context():
        setup = make_exam()
        attempt = start_attempt(make_candidate(setup), setup)
        attempt_id = attempt.id
        db.session.commit()

    def finish():
        with committing_app.app_context():
            from lms.core.db import write_transactions

            with write_transactions():
                grading.finish_attempt(attempt_id, grading.EndReason.SUBMITTED)
                db.session.commit()
        return True

    assert _run_together([finish] * 5) == [True] * 5
    with committing_app.app_context():
        assert Counter(e.kind for e in timeline(attempt_id))[EventKind.SUBMITTED] == 1


def test_saves_racing_a_finish_are_stored_and_scored_or_refused(committing_app, make_exam, make_candidate):
    code, email = _setup(committing_app, make_exam, make_candidate)
    clients = [_client(committing_app, email) for _ in range(4)]
    start = clients[0].post(f"/exams/{code}/start", data=START_FORM)
    attempt_id = int(start.headers["Location"].rsplit("/", 1)[-1])
    with committing_app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        answers = {i.position: correct_response(i.version) for i in attempt.items}
    acknowledged: dict[int, int] = {}
    lock = threading.Lock()

    def saver(positions):
        def work():
            client = clients[positions[0] % 3]
            token = client.csrf_token()
            for seq, position in enumerate(positions, start=position_base(positions)):
                r = client.post(
                    f"/exams/attempts/{attempt_id}/save",
                    json={"position": position, "response": answers[position], "flagged": False, "seq": seq},
                    headers={"X-CSRFToken": token},
                    csrf=False,
                )
                if r.status_code == 200:
                    with lock:
                        acknowledged[position] = seq
                else:
                    assert r.status_code == 410, r.get_data(as_text=True)
            return True

        return work

    def position_base(positions):
        return positions[0] * 100

    submitter = clients[3]
    token = submitter.csrf_token()
    results = _run_together(
        [
            saver([1, 2]),
            saver([3, 4]),
            saver([5, 6]),
            lambda: submitter.post(f"/exams/attempts/{attempt_id}/submit", data={"csrf_token": token}, csrf=False),
        ]
    )
    assert not any(isinstance(r, Exception) for r in results), results
    with committing_app.app_context():
        attempt = db.session.get(ExamAttempt, attempt_id)
        items = {
            i.position: i
            for i in db.session.execute(sa.select(AttemptItem).where(AttemptItem.attempt_id == attempt_id)).scalars()
        }
        for position, seq in acknowledged.items():
            assert items[position].response_seq == seq
            assert items[position].response == answers[position]
        assert attempt.raw_points == sum(1 for i in items.values() if i.response is not None)


def test_a_save_checked_before_a_finish_commits_is_refused_not_lost(
    committing_app, make_exam, make_candidate, monkeypatch
):
    """A save validates its answer before it takes the write lock; a finish that commits in that moment
    wins, and the save is refused (410) rather than written into a decided attempt."""
    from lms.core.db import write_transactions
    from lms.exams.services import delivery

    code, email = _setup(committing_app, make_exam, make_candidate)
    client = _client(committing_app, email)
    start = client.post(f"/exams/{code}/start", data=START_FORM)
    attempt_id = int(start.headers["Location"].rsplit("/", 1)[-1])
    with committing_app.app_context():
        item = db.session.execute(
            sa.select(AttemptItem).where(AttemptItem.attempt_id == attempt_id, AttemptItem.position == 1)
        ).scalar_one()
        answer = correct_response(item.version)
    finished: list = []
    real_question_type = delivery.question_type

    def finish_elsewhere() -> None:
        with committing_app.app_context(), write_transactions():
            grading.finish_attempt(attempt_id, grading.EndReason.SUBMITTED)
            db.session.commit()
            finished.append(True)

    class FinishWhileChecking:
        def __init__(self, kind: str) -> None:
            self.kind = real_question_type(kind)

        def check_response(self, content, response):
            worker = threading.Thread(target=finish_elsewhere)
            worker.start()
            worker.join(30)
            return self.kind.check_response(content, response)

    monkeypatch.setattr(delivery, "question_type", FinishWhileChecking)
    token = client.csrf_token()
    response = client.post(
        f"/exams/attempts/{attempt_id}/save",
        json={"position": 1, "response": answer, "flagged": False, "seq": 1},
        headers={"X-CSRFToken": token},
        csrf=False,
    )
    assert finished == [True]
    assert response.status_code == 410
    with committing_app.app_context():
        stored = db.session.execute(
            sa.select(AttemptItem.response, AttemptItem.response_seq).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == 1
            )
        ).one()
        attempt = db.session.get(ExamAttempt, attempt_id)
        assert tuple(stored) == (None, 0)
        assert attempt.raw_points == 0
