"""A real ``celery worker`` on a real broker runs a task queued after commit."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis

from lms.core.mail import outbox_messages, send_mail
from lms.extensions import db
from tests.conftest import TEST_BROKER_URL, database_url_for, make_app, reset_schema, service_missing

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.celery_worker


@pytest.fixture
def broker_url():
    if not TEST_BROKER_URL:
        service_missing("set LMS_TEST_BROKER_URL (e.g. redis://127.0.0.1:6379/0) to test a real worker")
    try:
        redis.Redis.from_url(TEST_BROKER_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        service_missing(f"the broker at {TEST_BROKER_URL} is not answering ({exc.__class__.__name__})")
    return TEST_BROKER_URL


def test_mail_queued_after_commit_is_sent_by_a_worker(tmp_path, broker_url):
    database_url = database_url_for("worker", tmp_path)
    instance = tmp_path / "instance"
    app = make_app(database_url, instance, BROKER_URL=broker_url)
    reset_schema(app)
    env = {
        **os.environ,
        "LMS_DATABASE_URL": database_url,
        "LMS_BROKER_URL": broker_url,
        "LMS_INSTANCE_PATH": str(instance),
        "LMS_SECRET_KEY": app.config["SECRET_KEY"],
        "PYTHONPATH": str(REPO_ROOT),
    }
    recipient = f"worker-{uuid.uuid4().hex[:12]}@example.com"  # stale messages of other runs do not count
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms.worker", "worker", "--pool", "solo", "--loglevel", "warning",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=REPO_ROOT,
        env=env,
    )  # fmt: skip
    try:
        with app.app_context():
            send_mail(recipient, "password_changed", "en", display_name="Wanda")
            db.session.commit()
        deadline = time.monotonic() + 60
        messages = []
        while time.monotonic() < deadline and recipient not in messages:
            time.sleep(0.3)
            messages = [m["To"] for m in outbox_messages(instance / "outbox")]
            assert worker.poll() is None, "the worker exited"
        assert messages.count(recipient) == 1
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        with app.app_context():
            db.engine.dispose()
