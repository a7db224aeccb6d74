from pathlib import Path

import pytest

from lms.core.mail import outbox_messages, send_mail
from lms.core.tasks import enqueue, task
from lms.extensions import db

CALLS: list[str] = []


@task(name="tests.record_call")
def record_call(value: str) -> None:
    CALLS.append(value)


@pytest.fixture(autouse=True)
def _clean(app):
    CALLS.clear()
    for message in Path(app.config["MAIL_OUTBOX"]).glob("*.eml"):
        message.unlink()


def test_a_task_runs_only_after_the_transaction_commits():
    enqueue(record_call, "after commit")
    assert CALLS == []
    db.session.commit()
    assert CALLS == ["after commit"]


def test_a_rolled_back_transaction_sends_nothing():
    enqueue(record_call, "never")
    db.session.rollback()
    db.session.commit()
    assert CALLS == []


def test_mail_is_rendered_in_the_recipients_language_and_written_to_the_outbox(app):
    send_mail("amal@example.com", "password_changed", "ar", display_name="أمل")
    send_mail("jean@example.com", "password_changed", "fr", display_name="Jean")
    assert outbox_messages(app.config["MAIL_OUTBOX"]) == []
    db.session.commit()
    messages = {m["To"]: m for m in outbox_messages(app.config["MAIL_OUTBOX"])}
    assert messages["amal@example.com"]["Content-Language"] == "ar"
    assert "أمل" in messages["amal@example.com"].get_body(("plain",)).get_content()
    assert messages["jean@example.com"]["Subject"] != messages["amal@example.com"]["Subject"]


def test_smtp_delivery_when_configured(app, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            sent.append(("starttls",))

        def login(self, user, password):
            sent.append(("login", user, password))

        def send_message(self, message):
            sent.append(("send", message["To"]))

    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "SMTP_URL", "smtp://mailer:p%40ss@smtp.example.com:2525")
    send_mail("kim@example.com", "password_changed", "en", display_name="Kim")
    db.session.commit()
    assert sent == [
        ("connect", "smtp.example.com", 2525),
        ("starttls",),
        ("login", "mailer", "p@ss"),
        ("send", "kim@example.com"),
    ]


def test_a_released_savepoint_does_not_send_tasks_before_the_outer_commit():
    with db.session.begin_nested():
        enqueue(record_call, "queued inside a savepoint")
    assert CALLS == []
    db.session.commit()
    assert CALLS == ["queued inside a savepoint"]
