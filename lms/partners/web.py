"""Small helpers shared by the partner-network views (parsing, errors, the acting partner)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import get_currency_precision
from flask import abort, flash, jsonify, request
from flask_babel import get_timezone
from flask_login import current_user

from lms.accounts.models import Organisation, OrganisationStatus
from lms.core.errors import DomainError, wants_json
from lms.core.security import current_partner_id
from lms.extensions import db


def current_partner() -> Organisation:
    """The partner organisation the signed-in user acts for (404 when none)."""
    partner_id = current_partner_id()
    partner = db.session.get(Organisation, partner_id) if partner_id else None
    if partner is None or partner.status != OrganisationStatus.ACTIVE:
        abort(404)
    return partner


def form_error(form: Any, error: DomainError) -> None:
    """Show a service's refusal on the form field it concerns, else as a flash message."""
    target = getattr(form, error.field, None) if (form is not None and error.field) else None
    if target is not None and hasattr(target, "errors"):
        errors = list(target.errors) if isinstance(target.errors, list | tuple) else []
        target.errors = [*errors, error.message]
    else:
        flash(error.message, "error")


def json_error(error: DomainError) -> tuple[Any, int]:
    return jsonify(
        {"error": {"code": error.status_code, "kind": error.code, "message": error.message}}
    ), error.status_code


def want_json() -> bool:
    return wants_json()


def to_minor(value: Decimal | float | int | None, currency: str) -> int | None:
    """A price typed in major units (12.50) as integer minor units of the currency (1250)."""
    if value is None:
        return None
    precision = get_currency_precision(currency.upper()) if len(currency) == 3 else 2
    return int((Decimal(str(value)) * (10**precision)).to_integral_value())


def percent_to_bp(value: Decimal | float | int | None) -> int | None:
    if value is None:
        return None
    return int((Decimal(str(value)) * 100).to_integral_value())


def end_of_day_utc(day: date | None, zone: str | None = None) -> datetime | None:
    """The end of a chosen date in the viewer's time zone, as UTC (expiry and release dates)."""
    if day is None:
        return None
    tz = ZoneInfo(zone or str(get_timezone() or "UTC"))
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz).astimezone(ZoneInfo("UTC"))


def page_number() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


def user_locale() -> str:
    return current_user.locale if current_user.is_authenticated else "en"
