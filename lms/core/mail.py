"""Outgoing e-mail, rendered in the recipient's language and sent by a task after commit.

Templates live at ``mail/<name>.subject.txt``, ``mail/<name>.txt`` and optionally
``mail/<name>.html``; the context must be plain values (it travels through the broker).
Embedded mode writes each message to ``instance/outbox/`` as an .eml file; with ``LMS_SMTP_URL``
(``smtp://user:pass@host:587?starttls=1`` or ``smtps://…``) it is sent over SMTP.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app, render_template
from flask_babel import force_locale

from lms.core.tasks import enqueue, task

log = logging.getLogger(__name__)


def send_mail(to: str, template: str, locale: str, **context: Any) -> None:
    """Queue a message; it is rendered and sent only if the current transaction commits."""
    enqueue(send_mail_task, to=to, template=template, locale=locale, context=context)


@task(name="core.send_mail", autoretry_for=(OSError, smtplib.SMTPException), retry_backoff=True, max_retries=8)
def send_mail_task(to: str, template: str, locale: str, context: dict[str, Any]) -> str:
    message = render_message(to, template, locale, context)
    deliver(message)
    return message["Message-ID"]


def send_mails(messages: list[tuple[str, str, str, dict[str, Any]]]) -> None:
    """Queue several messages — (to, template, locale, context) each — as one task: a batch of
    certificates notifies its holders with one broker message instead of one per holder."""
    if messages:
        enqueue(send_mails_task, messages=[list(message) for message in messages])


@task(name="core.send_mails")
def send_mails_task(messages: list[list[Any]]) -> int:
    """Send each message; one that fails is queued on its own (with its retries), so a retry never
    sends the others twice."""
    sent = 0
    for to, template, locale, context in messages:
        try:
            deliver(render_message(to, template, locale, context))
            sent += 1
        except (OSError, smtplib.SMTPException):
            log.warning("e-mail to %s failed; queued on its own", to, exc_info=True)
            enqueue(send_mail_task, to=to, template=template, locale=locale, context=context)
    return sent


def render_message(to: str, template: str, locale: str, context: dict[str, Any]) -> EmailMessage:
    with force_locale(locale):
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        text = render_template(f"mail/{template}.txt", **context)
        try:
            html = render_template(f"mail/{template}.html", **context)
        except Exception as exc:  # a plain-text-only message is fine
            if type(exc).__name__ != "TemplateNotFound":
                raise
            html = None
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="lms.local")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    message["Content-Language"] = locale  # after set_content, which clears Content-* headers
    return message


def deliver(message: EmailMessage) -> None:
    smtp_url = current_app.config.get("SMTP_URL")
    if not smtp_url:
        outbox = Path(current_app.config["MAIL_OUTBOX"])
        outbox.mkdir(parents=True, exist_ok=True)
        name = f"{uuid.uuid4().hex}.eml"
        (outbox / name).write_bytes(bytes(message))
        return
    parts = urlsplit(smtp_url)
    options = parse_qs(parts.query)
    port = parts.port or (465 if parts.scheme == "smtps" else 587)
    smtp_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with smtp_class(parts.hostname or "localhost", port, timeout=30) as smtp:
        if parts.scheme == "smtp" and options.get("starttls", ["1"])[0] == "1":
            smtp.starttls()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(message)


def outbox_messages(outbox: str | Path) -> list[EmailMessage]:
    """Messages written in embedded mode, oldest first (used by the demo and tests)."""
    from email import policy
    from email.parser import BytesParser

    paths = sorted(Path(outbox).glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    return [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in paths]  # type: ignore[misc]
