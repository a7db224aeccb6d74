"""Languages, locale and time-zone selection, and Babel formatting helpers for templates.

Locale: the signed-in user's preference, then the ``lang`` switch kept in the session, then the
browser's Accept-Language, then English. Time zone: the user's, then the browser's (a cookie set
by ``static/js/app.js``), then UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo, available_timezones

from babel.numbers import format_currency, get_currency_precision
from flask import Flask, has_request_context, request, session
from flask_babel import get_locale, lazy_gettext
from flask_login import current_user


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str
    direction: str = "ltr"


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English"),
        Language("ar", "العربية", "rtl"),
        Language("es", "Español"),
        Language("fr", "Français"),
        Language("de", "Deutsch"),
        Language("ja", "日本語"),
    )
}
LOCALE_CODES = tuple(LANGUAGES)
TIMEZONE_COOKIE = "lms_tz"
_TIMEZONES = frozenset(available_timezones())


def is_valid_timezone(name: str | None) -> bool:
    return bool(name) and name in _TIMEZONES


def all_timezones() -> list[str]:
    return sorted(_TIMEZONES)


def select_locale() -> str:
    if not has_request_context():  # tasks and CLI commands choose with force_locale()
        return "en"
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LOCALE_CODES) or "en"


def select_timezone() -> str:
    if not has_request_context():
        return "UTC"
    if current_user and current_user.is_authenticated and is_valid_timezone(current_user.timezone):
        return current_user.timezone
    # app.js stores the zone URL-encoded ("Asia%2FDubai").
    browser_zone = unquote(request.cookies.get(TIMEZONE_COOKIE) or "")
    if is_valid_timezone(browser_zone):
        return browser_zone  # type: ignore[return-value]
    return "UTC"


def text_direction(locale: str | None = None) -> str:
    code = locale or str(get_locale() or "en")
    language = LANGUAGES.get(code.split("_")[0])
    return language.direction if language else "ltr"


def money(amount_minor: int, currency: str, locale: str | None = None) -> str:
    """Format integer minor units (e.g. cents) as money in the viewer's locale."""
    from decimal import Decimal

    precision = get_currency_precision(currency)
    value = Decimal(amount_minor).scaleb(-precision)
    return format_currency(value, currency, locale=locale or str(get_locale() or "en"))


def money_on_page(amount_minor: int, currency: str, locale: str | None = None) -> str:
    """Money for a page: in a right-to-left language the amount is one left-to-right isolate.

    CLDR's Arabic form ("3,528.00 US$") otherwise splits into runs that the browser's bidi algorithm
    reorders into "$US 3,528.00". The isolate characters are invisible and are left out of exports.
    """
    locale = locale or str(get_locale() or "en")
    text = money(amount_minor, currency, locale)
    if text_direction(locale) == "rtl":
        return "\u2066" + text.strip("\u200e\u200f") + "\u2069"
    return text


def _isolated_on_page(text: str) -> str:
    """In a right-to-left page, a date or time is one isolate, so a name beside it cannot scramble it."""
    if text_direction() == "rtl":
        return "\u2068" + text + "\u2069"
    return text


def datetime_on_page(value: datetime | None, format: str = "medium") -> str:
    """A date and time for a page in the viewer's locale and zone. "medium" leaves out the seconds,
    which no reader of a class time or a deadline wants ("Dec 4, 2026, 6:30 AM")."""
    from babel.dates import get_datetime_format
    from flask_babel import format_date, format_datetime, format_time

    if value is None:
        return ""
    if format == "medium":
        pattern = get_datetime_format("medium", locale=get_locale())
        text = pattern.replace("{1}", format_date(value, "medium")).replace("{0}", format_time(value, "short"))
    else:
        text = format_datetime(value, format)
    return _isolated_on_page(text)


def date_on_page(value: Any, format: str = "medium") -> str:
    from flask_babel import format_date

    return _isolated_on_page(format_date(value, format)) if value is not None else ""


def in_zone(value: datetime, zone: str) -> datetime:
    return value.astimezone(ZoneInfo(zone))


def init_app(app: Flask) -> None:
    from flask_babel import (
        format_decimal,
        format_time,
        format_timedelta,
        get_timezone,
    )

    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES,
        text_direction=text_direction,
        current_locale=lambda: str(get_locale() or "en"),
        format_datetime=datetime_on_page,
        format_date=date_on_page,
        format_time=format_time,
        format_decimal=format_decimal,
        format_timedelta=format_timedelta,
        money=money_on_page,
        current_timezone=lambda: str(get_timezone() or "UTC"),
    )
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.policies["ext.i18n.trimmed"] = True


# Kept here so the word list used by the language switcher is extracted once.
LANGUAGE_SWITCH_LABEL = lazy_gettext("Language")
