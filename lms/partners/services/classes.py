"""Scheduling classes: details, meetings, prices, staff, publishing, cancelling, attendance."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Membership, Organisation, OrganisationStatus, User
from lms.core import audit, signals
from lms.core.errors import Conflict, DomainError
from lms.core.i18n import LANGUAGES, is_valid_timezone
from lms.core.security import Role
from lms.core.time import utcnow
from lms.courses.models import CourseVersion, CourseVersionStatus, DeliveryMode
from lms.extensions import db
from lms.partners.models import (
    Attendance,
    ClassFormat,
    ClassMeeting,
    ClassPrice,
    ClassStaff,
    ClassStaffRole,
    ClassStatus,
    Seat,
    SeatStatus,
    TrainingClass,
)

MAX_CAPACITY = 1000
CURRENCY = re.compile(r"^[A-Z]{3}$")
#: Class languages: the interface languages plus common teaching languages.
CLASS_LANGUAGES = ("en", "ar", "es", "fr", "de", "ja", "it", "pt", "nl", "tr", "hi", "zh")


def classes_for_staff(user_id: int, role: ClassStaffRole) -> list[int]:
    """Ids of the classes this person teaches or proctors (proctors see only their classes' attempts)."""
    return list(
        db.session.execute(
            sa.select(ClassStaff.class_id).where(ClassStaff.user_id == user_id, ClassStaff.role == role)
        ).scalars()
    )


def _check_details(
    *,
    language: str,
    timezone: str,
    capacity: int,
    format: ClassFormat,
    meeting_url: str | None,
    venue: str | None,
    country: str | None,
    cancellation_cutoff_hours: int,
    transfer_cutoff_hours: int,
) -> None:
    if language not in CLASS_LANGUAGES and language not in LANGUAGES:
        raise DomainError(_("Choose the language the class is taught in."), field="language")
    if not is_valid_timezone(timezone):
        raise DomainError(_("Choose a time zone from the list."), field="timezone")
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(_("Capacity must be between 1 and %(max)d seats.", max=MAX_CAPACITY), field="capacity")
    if format == ClassFormat.VIRTUAL and meeting_url and not re.match(r"^https://\S+$", meeting_url):
        raise DomainError(_("The meeting link must start with https://."), field="meeting_url")
    if format == ClassFormat.IN_PERSON and not (venue or "").strip():
        raise DomainError(_("Enter the address where the class meets."), field="venue")
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        raise DomainError(_("Enter the two-letter country code, e.g. AE or DE."), field="country")
    for value, field in (
        (cancellation_cutoff_hours, "cancellation_cutoff_hours"),
        (transfer_cutoff_hours, "transfer_cutoff_hours"),
    ):
        if value is None or not 0 <= value <= 24 * 60:
            raise DomainError(_("Enter a number of hours between 0 and 1,440."), field=field)


def _course_version_for_class(course_version_id: int) -> CourseVersion:
    version = db.session.get(CourseVersion, course_version_id)
    if version is None or version.status != CourseVersionStatus.PUBLISHED:
        raise DomainError(_("Choose a published course."), field="course_version_id")
    if version.delivery_modes and DeliveryMode.INSTRUCTOR_LED.value not in version.delivery_modes:
        raise DomainError(_("This course is not offered as an instructor-led class."), field="course_version_id")
    return version


def create_class(
    partner: Organisation,
    *,
    actor_id: int | None,
    course_version_id: int,
    language: str,
    timezone: str,
    capacity: int,
    format: ClassFormat = ClassFormat.VIRTUAL,
    meeting_url: str | None = None,
    venue: str | None = None,
    city: str | None = None,
    country: str | None = None,
    notes: str | None = None,
    resale_allowed: bool = False,
    cancellation_cutoff_hours: int = 72,
    transfer_cutoff_hours: int = 24,
) -> TrainingClass:
    if partner.status != OrganisationStatus.ACTIVE:
        raise DomainError(_("Your partnership is not active, so you cannot schedule classes."))
    _course_version_for_class(course_version_id)
    country = (country or "").strip().upper() or None
    _check_details(
        language=language,
        timezone=timezone,
        capacity=capacity,
        format=format,
        meeting_url=meeting_url,
        venue=venue,
        country=country,
        cancellation_cutoff_hours=cancellation_cutoff_hours,
        transfer_cutoff_hours=transfer_cutoff_hours,
    )
    training_class = TrainingClass(
        partner_id=partner.id,
        course_version_id=course_version_id,
        language=language,
        timezone=timezone,
        capacity=capacity,
        format=format,
        meeting_url=(meeting_url or "").strip() or None,
        venue=(venue or "").strip() or None,
        city=(city or "").strip() or partner.city,
        country=country or partner.country,
        notes=(notes or "").strip() or None,
        resale_allowed=resale_allowed,
        cancellation_cutoff_hours=cancellation_cutoff_hours,
        transfer_cutoff_hours=transfer_cutoff_hours,
    )
    db.session.add(training_class)
    db.session.flush()
    audit.record("class.created", actor_id=actor_id, subject=training_class, partner_id=partner.id)
    return training_class


def update_class(training_class: TrainingClass, *, actor_id: int | None, **changes: object) -> TrainingClass:
    """Change a class's details; capacity may not drop below the seats already taken or promised."""
    from lms.partners.services import seats as seat_service

    allowed = {
        "language",
        "timezone",
        "capacity",
        "format",
        "meeting_url",
        "venue",
        "city",
        "country",
        "notes",
        "resale_allowed",
        "cancellation_cutoff_hours",
        "transfer_cutoff_hours",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not class fields: {sorted(unknown)}")
    if training_class.status in (ClassStatus.CANCELLED, ClassStatus.COMPLETED):
        raise Conflict(_("A cancelled or completed class cannot be changed."))
    values = {name: getattr(training_class, name) for name in allowed} | changes
    values["country"] = (str(values["country"] or "")).strip().upper() or None
    _check_details(
        language=values["language"],
        timezone=values["timezone"],
        capacity=values["capacity"],
        format=values["format"],
        meeting_url=values["meeting_url"],
        venue=values["venue"],
        country=values["country"],
        cancellation_cutoff_hours=values["cancellation_cutoff_hours"],
        transfer_cutoff_hours=values["transfer_cutoff_hours"],
    )
    if values["capacity"] < training_class.capacity:
        seat_service.lock_class(training_class.id)
        taken = seat_service.availability(training_class.id).committed
        if values["capacity"] < taken:
            raise Conflict(
                _("%(count)d seats are already sold, held or reserved: the capacity cannot be lower.", count=taken),
                field="capacity",
            )
    if values["timezone"] != training_class.timezone and training_class.meetings:
        raise Conflict(_("Remove the meetings before changing the time zone."), field="timezone")
    changed = {}
    for name in allowed:
        value = values[name]
        if isinstance(value, str):
            value = value.strip() or None
        if getattr(training_class, name) != value:
            changed[name] = [str(getattr(training_class, name)), str(value)]
            setattr(training_class, name, value)
    if changed:
        audit.record(
            "class.updated",
            actor_id=actor_id,
            subject=training_class,
            partner_id=training_class.partner_id,
            details=changed,
        )
    return training_class


def local_to_utc(day: date, at: time, zone: str) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def _refresh_span(training_class: TrainingClass) -> None:
    meetings = sorted(training_class.meetings, key=lambda m: m.starts_at)
    training_class.starts_at = meetings[0].starts_at if meetings else None
    training_class.ends_at = max(m.ends_at for m in meetings) if meetings else None


def add_meeting(
    training_class: TrainingClass, *, day: date, start: time, end: time, title: str | None = None, actor_id: int | None
) -> ClassMeeting:
    if training_class.status in (ClassStatus.CANCELLED, ClassStatus.COMPLETED):
        raise Conflict(_("A cancelled or completed class cannot be changed."))
    starts_at = local_to_utc(day, start, training_class.timezone)
    ends_at = local_to_utc(day, end, training_class.timezone)
    if ends_at <= starts_at:
        raise DomainError(_("A meeting must end after it starts."), field="end")
    if starts_at <= utcnow():
        raise DomainError(_("A new meeting must be in the future."), field="day")
    for other in training_class.meetings:
        if other.starts_at < ends_at and starts_at < other.ends_at:
            raise Conflict(_("This meeting overlaps another meeting of the class."), field="start")
    meeting = ClassMeeting(starts_at=starts_at, ends_at=ends_at, title=(title or "").strip() or None)
    training_class.meetings.append(meeting)
    db.session.flush()
    _refresh_span(training_class)
    audit.record(
        "class.meeting_added",
        actor_id=actor_id,
        subject=training_class,
        partner_id=training_class.partner_id,
        details={"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()},
    )
    return meeting


def remove_meeting(training_class: TrainingClass, meeting: ClassMeeting, *, actor_id: int | None) -> None:
    if meeting.class_id != training_class.id:
        raise DomainError(_("This meeting belongs to another class."))
    held = db.session.execute(sa.select(Attendance.id).where(Attendance.meeting_id == meeting.id).limit(1)).first()
    if held:
        raise Conflict(_("Attendance was taken at this meeting, so it stays on record."))
    if training_class.status == ClassStatus.PUBLISHED and len(training_class.meetings) == 1:
        raise Conflict(_("A published class needs at least one meeting. Add another one first."))
    training_class.meetings.remove(meeting)
    db.session.flush()
    _refresh_span(training_class)
    audit.record(
        "class.meeting_removed",
        actor_id=actor_id,
        subject=training_class,
        partner_id=training_class.partner_id,
        details={"starts_at": meeting.starts_at.isoformat()},
    )


def set_price(
    training_class: TrainingClass,
    *,
    currency: str,
    list_amount: int,
    academic_amount: int | None = None,
    association_amount: int | None = None,
    actor_id: int | None,
) -> ClassPrice:
    currency = (currency or "").strip().upper()
    if not CURRENCY.match(currency):
        raise DomainError(_("Enter a three-letter currency code such as USD, EUR or AED."), field="currency")
    for value, field in (
        (list_amount, "list_amount"),
        (academic_amount, "academic_amount"),
        (association_amount, "association_amount"),
    ):
        if value is not None and value < 0:
            raise DomainError(_("A price cannot be negative."), field=field)
    if list_amount is None:
        raise DomainError(_("Enter the list price."), field="list_amount")
    for value, field in ((academic_amount, "academic_amount"), (association_amount, "association_amount")):
        if value is not None and value > list_amount:
            raise DomainError(_("A reduced price cannot be higher than the list price."), field=field)
    price = training_class.price(currency)
    if price is None:
        price = ClassPrice(currency=currency, list_amount=list_amount)
        training_class.prices.append(price)
    price.list_amount = list_amount
    price.academic_amount = academic_amount
    price.association_amount = association_amount
    db.session.flush()
    audit.record(
        "class.price_set",
        actor_id=actor_id,
        subject=training_class,
        partner_id=training_class.partner_id,
        details={
            "currency": currency,
            "list": list_amount,
            "academic": academic_amount,
            "association": association_amount,
        },
    )
    return price


def remove_price(training_class: TrainingClass, currency: str, *, actor_id: int | None) -> None:
    price = training_class.price(currency)
    if price is None:
        return
    if training_class.status == ClassStatus.PUBLISHED and len(training_class.prices) == 1:
        raise Conflict(_("A published class needs at least one price."))
    training_class.prices.remove(price)
    db.session.flush()
    audit.record(
        "class.price_removed",
        actor_id=actor_id,
        subject=training_class,
        partner_id=training_class.partner_id,
        details={"currency": currency},
    )


STAFF_ROLES_ALLOWED = {
    ClassStaffRole.INSTRUCTOR: {Role.INSTRUCTOR, Role.PARTNER_ADMIN, Role.PARTNER_MANAGER},
    ClassStaffRole.PROCTOR: {Role.PROCTOR, Role.PARTNER_ADMIN, Role.PARTNER_MANAGER},
}


def eligible_staff(partner_id: int, role: ClassStaffRole) -> list[User]:
    rows = db.session.execute(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == partner_id, Membership.role.in_(list(STAFF_ROLES_ALLOWED[role])))
        .order_by(User.display_name)
        .distinct()
    ).scalars()
    return list(rows)


def add_staff(training_class: TrainingClass, *, user_id: int, role: ClassStaffRole, actor_id: int | None) -> ClassStaff:
    if user_id not in {u.id for u in eligible_staff(training_class.partner_id, role)}:
        raise DomainError(_("Choose someone from your team who holds that role."), field="user_id")
    existing = next((s for s in training_class.staff if s.user_id == user_id and s.role == role), None)
    if existing is not None:
        return existing
    staff = ClassStaff(user_id=user_id, role=role)
    training_class.staff.append(staff)
    db.session.flush()
    audit.record(
        "class.staff_added",
        actor_id=actor_id,
        subject=training_class,
        partner_id=training_class.partner_id,
        details={"user_id": user_id, "role": role.value},
    )
    return staff


def remove_staff(training_class: TrainingClass, staff: ClassStaff, *, actor_id: int | None) -> None:
    if staff.class_id != training_class.id:
        raise DomainError(_("This person is not on the class."))
    training_class.staff.remove(staff)
    db.session.flush()
    audit.record(
        "class.staff_removed",
        actor_id=actor_id,
        subject=training_class,
        partner_id=training_class.partner_id,
        details={"user_id": staff.user_id, "role": staff.role.value},
    )


def publication_problems(training_class: TrainingClass) -> list[str]:
    """What still stops the class from being published (empty when it can be)."""
    problems = []
    if not training_class.meetings:
        problems.append(_("Add at least one meeting."))
    elif training_class.starts_at and training_class.starts_at <= utcnow():
        problems.append(_("The first meeting has already started."))
    if not training_class.prices:
        problems.append(_("Set a seat price in at least one currency."))
    if training_class.format == ClassFormat.VIRTUAL and not training_class.meeting_url:
        problems.append(_("Add the meeting link of the virtual class."))
    if training_class.format == ClassFormat.IN_PERSON and not training_class.venue:
        problems.append(_("Add the address where the class meets."))
    if not any(s.role == ClassStaffRole.INSTRUCTOR for s in training_class.staff):
        problems.append(_("Name at least one instructor."))
    return problems


def publish(training_class: TrainingClass, *, actor_id: int | None) -> None:
    if training_class.status != ClassStatus.DRAFT:
        raise Conflict(_("Only a draft class can be published."))
    problems = publication_problems(training_class)
    if problems:
        raise DomainError(" ".join(problems))
    training_class.status = ClassStatus.PUBLISHED
    training_class.published_at = utcnow()
    audit.record("class.published", actor_id=actor_id, subject=training_class, partner_id=training_class.partner_id)


def cancel(training_class: TrainingClass, *, actor_id: int | None, reason: str) -> int:
    """Cancel a class: every seat is cancelled and refunded, holds and offers end. Returns seats cancelled."""
    from lms.partners.services import seats as seat_service

    if training_class.status not in (ClassStatus.DRAFT, ClassStatus.PUBLISHED):
        raise Conflict(_("This class cannot be cancelled now."))
    if not (reason or "").strip():
        raise DomainError(_("Give a reason."), field="reason")
    seat_service.lock_class(training_class.id, exclusive=True)
    training_class.status = ClassStatus.CANCELLED
    count = seat_service.cancel_all_seats(training_class, actor_id=actor_id, reason=reason.strip())
    audit.record(
        "class.cancelled",
        actor_id=actor_id,
        subject=training_class,
        partner_id=training_class.partner_id,
        details={"reason": reason.strip(), "seats_cancelled": count},
    )
    return count


def complete(training_class: TrainingClass, *, actor_id: int | None) -> None:
    if training_class.status != ClassStatus.PUBLISHED:
        raise Conflict(_("Only a published class can be marked completed."))
    if training_class.ends_at and training_class.ends_at > utcnow():
        raise Conflict(_("The class has meetings still to come."))
    training_class.status = ClassStatus.COMPLETED
    audit.record("class.completed", actor_id=actor_id, subject=training_class, partner_id=training_class.partner_id)


# --- attendance --------------------------------------------------------------------------------


def roster_user_ids(class_id: int) -> list[int]:
    return list(
        db.session.execute(
            sa.select(Seat.user_id)
            .where(Seat.class_id == class_id, Seat.status == SeatStatus.CONFIRMED, Seat.user_id.is_not(None))
            .order_by(Seat.id)
        ).scalars()
    )


def may_take_attendance(user: User, training_class: TrainingClass, partner_id: int | None) -> bool:
    if partner_id != training_class.partner_id:
        return False
    if user.roles & {Role.PARTNER_ADMIN, Role.PARTNER_MANAGER}:
        return True
    return any(s.user_id == user.id and s.role == ClassStaffRole.INSTRUCTOR for s in training_class.staff)


def record_attendance(
    training_class: TrainingClass, meeting: ClassMeeting, *, present_user_ids: set[int], actor_id: int
) -> int:
    """Record who attended one meeting (everyone on the roster is marked present or absent)."""
    if meeting.class_id != training_class.id:
        raise DomainError(_("This meeting belongs to another class."))
    if meeting.starts_at > utcnow():
        raise DomainError(_("Attendance can be taken once the meeting has started."))
    roster = roster_user_ids(training_class.id)
    unknown = present_user_ids - set(roster)
    if unknown:
        raise DomainError(_("Someone marked present is not on the class roster."))
    existing = {
        a.user_id: a
        for a in db.session.execute(sa.select(Attendance).where(Attendance.meeting_id == meeting.id)).scalars()
    }
    now = utcnow()
    for user_id in roster:
        row = existing.get(user_id)
        present = user_id in present_user_ids
        if row is None:
            db.session.add(
                Attendance(
                    meeting_id=meeting.id, user_id=user_id, present=present, recorded_by=actor_id, recorded_at=now
                )
            )
        elif row.present != present:
            row.present = present
            row.recorded_by = actor_id
            row.recorded_at = now
    db.session.flush()
    audit.record(
        "class.attendance_recorded",
        actor_id=actor_id,
        subject=training_class,
        partner_id=training_class.partner_id,
        details={"meeting_id": meeting.id, "present": len(present_user_ids), "roster": len(roster)},
    )
    totals = attendance_totals(training_class.id)
    for user_id in roster:
        attended, held = totals.get(user_id, (0, 0))
        signals.attendance_recorded.send(class_id=training_class.id, user_id=user_id, attended=attended, total=held)
    return len(roster)


def attendance_totals(class_id: int) -> dict[int, tuple[int, int]]:
    """user_id → (meetings attended, meetings with attendance taken) for one class."""
    held = db.session.execute(
        sa.select(sa.func.count(sa.distinct(Attendance.meeting_id)))
        .join(ClassMeeting, ClassMeeting.id == Attendance.meeting_id)
        .where(ClassMeeting.class_id == class_id)
    ).scalar_one()
    rows = db.session.execute(
        sa.select(Attendance.user_id, sa.func.count())
        .join(ClassMeeting, ClassMeeting.id == Attendance.meeting_id)
        .where(ClassMeeting.class_id == class_id, Attendance.present.is_(True))
        .group_by(Attendance.user_id)
    ).all()
    totals = {user_id: (count, held) for user_id, count in rows}
    for user_id in roster_user_ids(class_id):
        totals.setdefault(user_id, (0, held))
    return totals
