"""Celery bound to the Flask app: every task runs inside an app context and commits at its end."""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from flask import Flask, current_app, has_app_context

from lms.core.db import write_transactions
from lms.core.tasks import PERIODIC_TASKS


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            from lms.extensions import db

            # In-process runs already hold the right app's context; a worker process has none.
            flask_app = current_app._get_current_object() if has_app_context() else app  # type: ignore[attr-defined]
            with flask_app.app_context(), write_transactions():
                try:
                    result = self.run(*args, **kwargs)
                    db.session.commit()
                    return result
                except BaseException:
                    db.session.rollback()
                    raise

    celery = Celery(app.import_name, task_cls=FlaskTask)
    broker = app.config.get("BROKER_URL") or "memory://"
    celery.conf.update(
        broker_url=broker,
        result_backend=app.config.get("RESULT_BACKEND") or None,
        task_ignore_result=not app.config.get("RESULT_BACKEND"),
        task_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        enable_utc=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": 3600},
    )
    celery.set_default()
    app.extensions["celery"] = celery
    return celery


def beat_schedule() -> dict[str, dict[str, Any]]:
    """The schedule celery beat runs, built from every ``@periodic`` task."""
    return {p.name: {"task": p.name, "schedule": p.every_seconds} for p in PERIODIC_TASKS.values()}
