"""Background work: tasks are queued during a transaction and dispatched only after it commits.

* With a broker (``LMS_BROKER_URL``) a task is published to it and a ``celery worker`` runs it.
* Without one (embedded mode) the task runs in-process right after the commit, in a fresh
  application context (so with its own database session).

Use :func:`enqueue` from services and views, never ``task.delay``: a task published before the
commit can run before its rows exist, and a rolled-back transaction must not send its e-mail.
Periodic tasks are declared with :func:`periodic`; ``celery beat`` runs them at scale and
:class:`EmbeddedBeat` does in the embedded server.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from celery import Task, shared_task
from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

PENDING_KEY = "lms_tasks_after_commit"


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    every_seconds: float


PERIODIC_TASKS: dict[str, PeriodicTask] = {}


def task(*args: Any, **options: Any) -> Any:
    """Declare a task (a Celery shared task that runs in the app context and commits at its end)."""
    options.setdefault("acks_late", True)
    options.setdefault("reject_on_worker_lost", True)
    return shared_task(*args, **options)


def periodic(every_seconds: float) -> Callable[[Task], Task]:
    """Run a task on a fixed interval (celery beat at scale, the embedded beat thread otherwise)."""

    def decorator(celery_task: Task) -> Task:
        PERIODIC_TASKS[celery_task.name] = PeriodicTask(celery_task.name, every_seconds)
        return celery_task

    return decorator


def enqueue(celery_task: Task, *args: Any, countdown: float | None = None, **kwargs: Any) -> None:
    """Queue ``celery_task`` to be sent once the current transaction commits (dropped on rollback)."""
    from lms.extensions import db

    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback from here on discards the task
    session.info.setdefault(PENDING_KEY, []).append((celery_task, args, kwargs, countdown))


_background: ThreadPoolExecutor | None = None
_background_lock = threading.Lock()


def _background_executor() -> ThreadPoolExecutor:
    """One thread that runs in-process tasks in order; the interpreter drains it before exiting."""
    global _background
    with _background_lock:
        if _background is None:
            _background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lms-task")
        return _background


def dispatch(celery_task: Task, args: tuple[Any, ...], kwargs: dict[str, Any], countdown: float | None = None) -> None:
    """Send a task now: to the broker when there is one, otherwise run it in this process.

    In-process tasks run on a background thread, so a request answers before its e-mail is
    rendered; tests run them inline, right after the commit, to see their effects at once.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("BROKER_URL"):
        celery_task.apply_async(args=args, kwargs=kwargs, countdown=countdown)
    elif app.config.get("TESTING") or not app.config.get("BACKGROUND_TASKS", True):
        run_in_process(app, celery_task, args, kwargs)
    else:
        _background_executor().submit(run_in_process, app, celery_task, args, kwargs)


def run_in_process(app: Flask, celery_task: Task, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    # A fresh app context gives the task its own session, as a worker would have.
    with app.app_context():
        result = celery_task.apply(args=args, kwargs=kwargs)
    if result.failed():
        if app.config.get("TESTING"):
            raise result.result
        log.error("in-process task %s failed: %r", celery_task.name, result.result, exc_info=result.result)
    return result.result


def install(session_class: type[Session]) -> None:
    @event.listens_for(session_class, "after_commit")
    def _send_after_commit(session: Session) -> None:
        if session.in_nested_transaction():
            return  # a SAVEPOINT was released: the work is not durable until the outer commit
        pending = session.info.pop(PENDING_KEY, [])
        for celery_task, args, kwargs, countdown in pending:
            dispatch(celery_task, args, kwargs, countdown)

    @event.listens_for(session_class, "after_soft_rollback")
    def _drop_on_rollback(session: Session, previous_transaction: Any) -> None:
        if not session.in_transaction():
            session.info.pop(PENDING_KEY, None)


class EmbeddedBeat(threading.Thread):
    """Runs the periodic tasks in a daemon thread of the embedded server (no beat process)."""

    def __init__(self, app: Flask, tick_seconds: float = 5.0) -> None:
        super().__init__(name="lms-embedded-beat", daemon=True)
        self.app = app
        self.tick_seconds = tick_seconds
        self.stopped = threading.Event()
        self.next_run: dict[str, float] = {}

    def run(self) -> None:
        celery = self.app.extensions["celery"]
        while not self.stopped.wait(self.tick_seconds):
            now = time.monotonic()
            for periodic_task in list(PERIODIC_TASKS.values()):
                if self.next_run.get(periodic_task.name, 0.0) > now:
                    continue
                self.next_run[periodic_task.name] = now + periodic_task.every_seconds
                try:
                    run_in_process(self.app, celery.tasks[periodic_task.name], (), {})
                except Exception:  # keep the beat alive; the task logs its own failure
                    log.exception("periodic task %s failed", periodic_task.name)
