"""Account rules: registration, sign-in, passwords, profile, organisations and roles.

Every function flushes and never commits; the view or task that called it commits once.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from lms.accounts.models import Membership, Organisation, OrganisationKind, OrganisationStatus, User
from lms.accounts.passwords import burn_verification_time, hash_password, needs_rehash, verify_password
from lms.core import audit, signals
from lms.core.db import ensure_write_lock
from lms.core.errors import Conflict, DomainError
from lms.core.i18n import LANGUAGES, is_valid_timezone
from lms.core.mail import send_mail
from lms.core.security import Role
from lms.core.time import utcnow
from lms.extensions import db

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")


class InvalidCredentials(DomainError):
    pass


class InvalidToken(DomainError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(sa.select(User).where(User.email == normalise_email(email))).scalar_one_or_none()


def check_password_rules(password: str, email: str | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _("Choose a password of at least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
            field="password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError(_("That password is too long."), field="password")
    if email and password.strip().lower() == normalise_email(email):
        raise DomainError(_("Your password must not be your e-mail address."), field="password")


def _check_locale_and_zone(locale: str, timezone: str) -> None:
    if locale not in LANGUAGES:
        raise DomainError(_("Choose one of the offered languages."), field="locale")
    if not is_valid_timezone(timezone):
        raise DomainError(_("Choose a time zone from the list."), field="timezone")


# --- registration and e-mail verification ------------------------------------------------------


def register_user(
    *,
    email: str,
    password: str,
    display_name: str,
    legal_name: str,
    legal_name_latin: str | None = None,
    locale: str = "en",
    timezone: str = "UTC",
    send_verification: bool = True,
) -> User:
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise Conflict(_("An account with this e-mail address already exists."), field="email")
    check_password_rules(password, email)
    _check_locale_and_zone(locale, timezone)
    user = User(
        email=email,
        password_hash=hash_password(password),
        display_name=display_name.strip(),
        legal_name=legal_name.strip(),
        legal_name_latin=(legal_name_latin or "").strip() or None,
        locale=locale,
        timezone=timezone,
    )
    db.session.add(user)
    db.session.flush()
    audit.record("account.registered", actor_id=user.id, subject=user)
    if send_verification:
        send_verification_email(user)
    signals.user_registered.send(user_id=user.id)
    return user


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"lms.{purpose}")


def email_verification_token(user: User) -> str:
    return _serializer("verify-email").dumps({"uid": user.id, "email": user.email})


def send_verification_email(user: User) -> None:
    send_mail(
        user.email,
        "verify_email",
        user.locale,
        display_name=user.display_name,
        url=f"{current_app.config['BASE_URL']}/account/verify-email/{email_verification_token(user)}",
        hours=current_app.config["EMAIL_TOKEN_MAX_AGE_HOURS"],
    )


def verify_email(token: str) -> User:
    max_age = current_app.config["EMAIL_TOKEN_MAX_AGE_HOURS"] * 3600
    try:
        data = _serializer("verify-email").loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise InvalidToken(_("This confirmation link has expired. Sign in to get a new one.")) from exc
    except BadSignature as exc:
        raise InvalidToken(_("This confirmation link is not valid.")) from exc
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("email"):
        raise InvalidToken(_("This confirmation link is not valid."))
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        audit.record("account.email_verified", actor_id=user.id, subject=user)
    return user


# --- signing in and out ------------------------------------------------------------------------


def authenticate(email: str, password: str) -> User:
    """Return the user for these credentials or raise; records success and failure in the audit log."""
    user = find_user_by_email(email)
    if user is None:
        burn_verification_time(password)
        audit.record("login.failure", details={"email": normalise_email(email)[:254], "reason": "unknown"})
        raise InvalidCredentials(_("The e-mail address or password is not correct."))
    if not verify_password(user.password_hash, password):
        audit.record("login.failure", subject=user, details={"reason": "password"})
        raise InvalidCredentials(_("The e-mail address or password is not correct."))
    # The slow check above ran without the write lock (a sign-in view reads first); the writes below
    # take it, and the user row is read again under it.
    ensure_write_lock()
    if not user.is_active:
        audit.record("login.failure", subject=user, details={"reason": "inactive"})
        raise InvalidCredentials(_("This account is disabled. Contact support if you think this is a mistake."))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    audit.record("login.success", actor_id=user.id, subject=user)
    signals.user_logged_in.send(user_id=user.id)
    return user


def end_all_sessions(user: User, reason: str = "logout") -> None:
    """Invalidate every session cookie this user has, on every device."""
    user.session_version += 1
    audit.record(f"session.ended.{reason}", actor_id=user.id, subject=user)


# --- passwords ---------------------------------------------------------------------------------


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise InvalidCredentials(_("Your current password is not correct."), field="current_password")
    check_password_rules(new_password, user.email)
    user.password_hash = hash_password(new_password)
    end_all_sessions(user, "password_changed")
    send_mail(user.email, "password_changed", user.locale, display_name=user.display_name)


def _password_fingerprint(user: User) -> str:
    # Part of the reset token: once the password changes, every earlier reset link stops working.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def request_password_reset(email: str) -> None:
    """Send a reset link if the account exists; say nothing either way (no account probing)."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    token = _serializer("reset-password").dumps({"uid": user.id, "pf": _password_fingerprint(user)})
    send_mail(
        user.email,
        "reset_password",
        user.locale,
        display_name=user.display_name,
        url=f"{current_app.config['BASE_URL']}/account/password-reset/{token}",
        hours=current_app.config["PASSWORD_RESET_MAX_AGE_HOURS"],
    )
    audit.record("password.reset_requested", subject=user)


def user_for_reset_token(token: str) -> User:
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE_HOURS"] * 3600
    try:
        data = _serializer("reset-password").loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise InvalidToken(_("This reset link has expired. Ask for a new one.")) from exc
    except BadSignature as exc:
        raise InvalidToken(_("This reset link is not valid. Ask for a new one.")) from exc
    user = db.session.get(User, data.get("uid"))
    if user is None or _password_fingerprint(user) != data.get("pf"):
        raise InvalidToken(_("This reset link was already used or is no longer valid. Ask for a new one."))
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    check_password_rules(new_password, user.email)
    user.password_hash = hash_password(new_password)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()  # the reset link proved the address
    end_all_sessions(user, "password_reset")
    send_mail(user.email, "password_changed", user.locale, display_name=user.display_name)
    return user


# --- profile -----------------------------------------------------------------------------------


PROFILE_FIELDS = ("display_name", "legal_name", "legal_name_latin", "locale", "timezone")


def update_profile(user: User, **changes: Any) -> None:
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    _check_locale_and_zone(changes.get("locale", user.locale), changes.get("timezone", user.timezone))
    before = {name: getattr(user, name) for name in changes}
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        if name == "legal_name_latin" and not value:
            value = None  # the transliteration is optional
        setattr(user, name, value)
    changed = {k: [before[k], getattr(user, k)] for k in changes if before[k] != getattr(user, k)}
    if changed:
        audit.record("account.profile_updated", actor_id=user.id, subject=user, details=changed)


def set_locale(user: User, locale: str) -> None:
    if locale in LANGUAGES and user.locale != locale:
        user.locale = locale


# --- organisations and roles -------------------------------------------------------------------


def create_organisation(
    *,
    kind: OrganisationKind,
    name: str,
    slug: str,
    actor_id: int | None = None,
    status: OrganisationStatus = OrganisationStatus.ACTIVE,
    country: str | None = None,
    city: str | None = None,
    website: str | None = None,
    parent_id: int | None = None,
) -> Organisation:
    slug = slug.strip().lower()
    if not SLUG_PATTERN.match(slug):
        raise DomainError(_("Use lower-case letters, digits and hyphens for the short name."), field="slug")
    if db.session.execute(sa.select(Organisation.id).where(Organisation.slug == slug)).first():
        raise Conflict(_("That short name is already taken."), field="slug")
    organisation = Organisation(
        kind=kind,
        name=name.strip(),
        slug=slug,
        status=status,
        country=(country or "").upper() or None,
        city=city,
        website=website,
        parent_id=parent_id,
    )
    db.session.add(organisation)
    db.session.flush()
    audit.record(
        "organisation.created",
        actor_id=actor_id,
        subject=organisation,
        details={"kind": kind.value, "name": name},
    )
    return organisation


def set_organisation_status(
    organisation: Organisation, status: OrganisationStatus, *, actor_id: int, reason: str
) -> None:
    if not reason.strip():
        raise DomainError(_("Give a reason."), field="reason")
    previous = organisation.status
    organisation.status = status
    audit.record(
        "organisation.status_changed",
        actor_id=actor_id,
        subject=organisation,
        partner_id=organisation.id if organisation.is_partner else None,
        details={"from": previous.value, "to": status.value, "reason": reason.strip()},
    )


def grant_role(user: User, organisation: Organisation, role: Role, *, actor_id: int | None) -> Membership:
    existing = db.session.execute(
        sa.select(Membership).where(
            Membership.user_id == user.id,
            Membership.organisation_id == organisation.id,
            Membership.role == role,
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    if role == Role.STAFF and organisation.kind != OrganisationKind.CERTIFICATION_BODY:
        raise DomainError(_("Staff roles belong to the certification body."), field="role")
    membership = Membership(user=user, organisation=organisation, role=role)
    db.session.add(membership)
    db.session.flush()
    audit.record(
        "role.granted",
        actor_id=actor_id,
        subject=user,
        partner_id=organisation.id if organisation.is_partner else None,
        details={"role": role.value, "organisation_id": organisation.id},
    )
    return membership


def revoke_role(membership: Membership, *, actor_id: int | None) -> None:
    user = membership.user
    audit.record(
        "role.revoked",
        actor_id=actor_id,
        subject=user,
        partner_id=membership.organisation_id if membership.organisation.is_partner else None,
        details={"role": membership.role.value, "organisation_id": membership.organisation_id},
    )
    user.memberships.remove(membership)
    # A user losing a role must not keep using it in a session opened earlier.
    user.session_version += 1
    db.session.flush()


def certification_body() -> Organisation | None:
    return db.session.execute(
        sa.select(Organisation).where(Organisation.kind == OrganisationKind.CERTIFICATION_BODY).limit(1)
    ).scalar_one_or_none()
