"""Bulk enrolment for a partner: learners by e-mail, created when missing, one result per row.

Each row runs in its own savepoint: a refused row changes nothing and the others go on.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from flask_babel import gettext as _

from lms.accounts import services as accounts
from lms.accounts.models import Organisation, User
from lms.core import audit
from lms.core.errors import DomainError
from lms.core.mail import send_mail
from lms.courses import services as courses
from lms.courses.models import Course, Enrolment, EnrolmentSource
from lms.extensions import db

MAX_ROWS = 500


@dataclass(frozen=True)
class EnrolmentRequest:
    email: str
    course_id: int
    display_name: str | None = None
    legal_name: str | None = None
    locale: str | None = None
    timezone: str | None = None
    reference: str | None = None


@dataclass
class RowResult:
    index: int
    email: str
    status: str  # "created", "existing" or "failed"
    enrolment: Enrolment | None = None
    learner_created: bool = False
    error: DomainError | None = None


class RowError(DomainError):
    pass


def bulk_enrol(
    partner_id: int,
    rows: list[EnrolmentRequest],
    *,
    create_missing_learners: bool,
    api_key_id: int | None = None,
) -> list[RowResult]:
    partner = db.session.get(Organisation, partner_id)
    if partner is None:
        raise DomainError(_("This organisation does not exist."))
    results: list[RowResult] = []
    for index, row in enumerate(rows):
        try:
            with db.session.begin_nested():
                result = _enrol_one(index, row, partner, create_missing_learners, api_key_id)
        except DomainError as error:
            result = RowResult(index, row.email, "failed", error=error)
        results.append(result)
    audit.record(
        "api.enrolments_bulk",
        subject=partner,
        partner_id=partner_id,
        details={
            "api_key_id": api_key_id,
            "rows": len(rows),
            "created": sum(r.status == "created" for r in results),
            "existing": sum(r.status == "existing" for r in results),
            "failed": sum(r.status == "failed" for r in results),
        },
    )
    return results


def _enrol_one(
    index: int, row: EnrolmentRequest, partner: Organisation, create_missing: bool, api_key_id: int | None
) -> RowResult:
    email = _checked_email(row.email)
    course = db.session.get(Course, row.course_id)
    version = course.current_version if course is not None and course.is_active else None
    if version is None:
        raise RowError(
            _("There is no course %(id)s open for enrolment.", id=row.course_id), field="course_id", code="no_course"
        )
    user = accounts.find_user_by_email(email)
    created = False
    if user is None:
        if not create_missing:
            raise RowError(
                _("No learner has this e-mail address (create_missing_learners is off)."),
                field="email",
                code="learner_not_found",
            )
        user = _create_learner(email, row)
        created = True
    existing = courses.live_enrolment(user.id, version.id)
    if existing is not None:
        if partner.id not in {existing.partner_id, existing.reseller_id}:
            raise RowError(
                _("This learner is already enrolled in this course through another organisation."),
                field="email",
                code="enrolled_elsewhere",
            )
        return RowResult(index, email, "existing", enrolment=existing)
    reference = (row.reference or "").strip()
    enrolment = courses.enrol(
        user_id=user.id,
        course_version_id=version.id,
        source=EnrolmentSource.PARTNER,
        partner_id=partner.id,
        origin_ref=(f"api:{reference}" if reference else f"api-key:{api_key_id}")[:80],
    )
    if created:
        _send_welcome(user, partner, version.title(user.locale))
    return RowResult(index, email, "created", enrolment=enrolment, learner_created=created)


def _checked_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise RowError(_("Enter a valid e-mail address."), field="email", code="invalid_email") from exc


def _create_learner(email: str, row: EnrolmentRequest) -> User:
    legal_name = (row.legal_name or row.display_name or "").strip()
    if not legal_name:
        raise RowError(
            _("Give the learner's name (legal_name) to create their account."), field="legal_name", code="name_missing"
        )
    return accounts.register_user(
        email=email,
        # Nobody knows this password: the learner chooses one through the link in the welcome e-mail.
        password=secrets.token_urlsafe(32),
        display_name=(row.display_name or legal_name).strip()[:120],
        legal_name=legal_name[:200],
        locale=row.locale or "en",
        timezone=row.timezone or "UTC",
        send_verification=False,
    )


def _send_welcome(user: User, partner: Organisation, course_title: str) -> None:
    base = current_app.config["BASE_URL"]
    send_mail(
        user.email,
        "api_learner_welcome",
        user.locale,
        display_name=user.display_name,
        partner_name=partner.name,
        course_title=course_title,
        set_password_url=base + url_for("accounts.request_password_reset"),
        email=user.email,
    )


def enrolments_of(partner_id: int) -> sa.Select[Any]:
    """Enrolments a partner delivers or sold (the partner's view of its learners)."""
    return sa.select(Enrolment).where(sa.or_(Enrolment.partner_id == partner_id, Enrolment.reseller_id == partner_id))
