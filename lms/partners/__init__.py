"""Partners, branding, classes and the shared schedule, seats, resale, orders, vouchers, cohorts, ledger."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask


def class_time(value: datetime | None, zone: str, fmt: str = "short") -> str:
    """A moment shown in a given time zone (a class's own), in the viewer's language."""
    from babel.dates import format_datetime
    from flask_babel import get_locale

    if value is None:
        return ""
    return format_datetime(value, fmt, tzinfo=ZoneInfo(zone), locale=str(get_locale() or "en"))


def language_name(code: str) -> str:
    from babel import Locale
    from flask_babel import get_locale

    from lms.core.i18n import LANGUAGES

    if code in LANGUAGES:
        return LANGUAGES[code].native_name
    try:
        return Locale.parse(code).get_display_name(str(get_locale() or "en")) or code
    except (ValueError, TypeError):
        return code


def percent(basis_points: int) -> str:
    """Basis points as a percentage number in the viewer's locale (6000 → "60", 3333 → "33.33")."""
    from flask_babel import format_decimal

    return format_decimal(basis_points / 100, format="#,##0.##")


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(class_time=class_time, language_name=language_name, percent=percent)
