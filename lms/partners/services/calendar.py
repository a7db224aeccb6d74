"""iCalendar (RFC 5545) feeds of class meetings, built with the ``icalendar`` library.

Each meeting is an event in its class's own time zone (``DTSTART;TZID=Asia/Dubai``) and the
calendar carries a VTIMEZONE for every zone it uses, so any client shows the right local time.
The meeting link appears only in a learner's private feed (they hold a seat).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from icalendar import Calendar, Event

from lms.accounts.models import Organisation
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.models import CalendarToken, ClassFormat, ClassMeeting, Seat, SeatStatus, TrainingClass

PRODID = "-//AI Certification Network//lms//EN"


def _event(meeting: ClassMeeting, training_class: TrainingClass, title: str, partner: str, private: bool) -> Event:
    zone = ZoneInfo(training_class.timezone)
    base = current_app.config["BASE_URL"]
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@{base.split('://')[-1].split('/')[0]}")
    event.add("dtstamp", utcnow().replace(microsecond=0))
    event.add("dtstart", meeting.starts_at.astimezone(zone).replace(microsecond=0))
    event.add("dtend", meeting.ends_at.astimezone(zone).replace(microsecond=0))
    event.add("summary", f"{title} — {meeting.title}" if meeting.title else title)
    if training_class.format == ClassFormat.IN_PERSON:
        event.add("location", ", ".join(p for p in (training_class.venue, training_class.city) if p))
    elif private and training_class.meeting_url:
        event.add("location", training_class.meeting_url)
    description = [partner, f"{base}/classes/{training_class.id}"]
    if private and training_class.meeting_url and training_class.format == ClassFormat.VIRTUAL:
        description.append(training_class.meeting_url)
    event.add("description", "\n".join(description))
    event.add("url", f"{base}/classes/{training_class.id}")
    event.add("status", "CANCELLED" if training_class.status == "cancelled" else "CONFIRMED")
    return event


def build(classes: Iterable[TrainingClass], *, name: str, locale: str = "en", private: bool = False) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    classes = list(classes)
    partners = (
        {
            o.id: o.name
            for o in db.session.execute(
                sa.select(Organisation).where(Organisation.id.in_({c.partner_id for c in classes}))
            ).scalars()
        }
        if classes
        else {}
    )
    for training_class in classes:
        from lms.courses.models import CourseVersion

        version = db.session.get(CourseVersion, training_class.course_version_id)
        title = version.title(locale) if version else f"Class {training_class.id}"
        for meeting in training_class.meetings:
            calendar.add_component(
                _event(meeting, training_class, title, partners.get(training_class.partner_id, ""), private)
            )
    calendar.add_missing_timezones()
    return calendar.to_ical()


# --- private feed tokens -----------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(user_id: int) -> str:
    """Create (or replace) the learner's private feed token; the old URL stops working."""
    token = secrets.token_urlsafe(24)
    row = db.session.execute(sa.select(CalendarToken).where(CalendarToken.user_id == user_id)).scalar_one_or_none()
    if row is None:
        db.session.add(CalendarToken(user_id=user_id, token_hash=_hash(token)))
    else:
        row.token_hash = _hash(token)
        row.created_at = utcnow()
    db.session.flush()
    return token


def user_for_token(token: str) -> int | None:
    return db.session.execute(
        sa.select(CalendarToken.user_id).where(CalendarToken.token_hash == _hash(token))
    ).scalar_one_or_none()


def has_token(user_id: int) -> bool:
    return db.session.execute(sa.select(CalendarToken.id).where(CalendarToken.user_id == user_id)).first() is not None


def learner_classes(user_id: int) -> list[TrainingClass]:
    return list(
        db.session.execute(
            sa.select(TrainingClass)
            .join(Seat, Seat.class_id == TrainingClass.id)
            .where(Seat.user_id == user_id, Seat.status == SeatStatus.CONFIRMED)
            .order_by(TrainingClass.starts_at)
        ).scalars()
    )
