"""Marketing toolkit for a class: a co-branded flyer PDF, a launch e-mail per language, a share link."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import segno
from babel.dates import format_date, format_time
from flask import current_app, render_template
from flask_babel import force_locale

from lms.accounts import services as accounts
from lms.accounts.models import Organisation
from lms.core import signals
from lms.core.i18n import LANGUAGES, money, text_direction
from lms.core.pdf import render_pdf
from lms.courses.models import CourseVersion
from lms.extensions import db
from lms.partners.models import TrainingClass
from lms.partners.services import branding as branding_service


def storefront_class_url(partner: Organisation, training_class: TrainingClass) -> str:
    return f"{current_app.config['BASE_URL']}/p/{partner.slug}/classes/{training_class.id}"


def meeting_lines(training_class: TrainingClass, locale: str) -> list[str]:
    """Each meeting in the class's own time zone, e.g. "Sunday, 14 June 2026, 09:00 – 13:00 (Asia/Dubai)"."""
    zone = ZoneInfo(training_class.timezone)
    lines = []
    for meeting in training_class.meetings:
        start = meeting.starts_at.astimezone(zone)
        end = meeting.ends_at.astimezone(zone)
        lines.append(
            f"{format_date(start, 'full', locale=locale)}, {format_time(start, 'short', locale=locale)}"
            f" – {format_time(end, 'short', locale=locale)} ({training_class.timezone})"
        )
    return lines


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=4, dark="#111827")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def inclusions(version: CourseVersion) -> list[str]:
    texts: list[str] = []
    for _receiver, result in signals.seat_inclusions.send(version):
        if result:
            texts.extend(result if isinstance(result, list) else [result])
    return [str(t) for t in texts]


@dataclass
class LaunchEmail:
    locale: str
    language: str
    subject: str
    body: str


def _context(training_class: TrainingClass, partner: Organisation, locale: str) -> dict:
    version = db.session.get(CourseVersion, training_class.course_version_id)
    prices = [money(p.list_amount, p.currency, locale) for p in training_class.prices]
    return {
        "training_class": training_class,
        "partner": partner,
        "title": version.title(locale) if version else "",
        "description": version.description(locale) if version else "",
        "duration_hours": version.duration_hours if version else None,
        "meetings": meeting_lines(training_class, locale),
        "prices": prices,
        "class_language": LANGUAGES[training_class.language].native_name
        if training_class.language in LANGUAGES
        else training_class.language,
        "url": storefront_class_url(partner, training_class),
        "inclusions": inclusions(version) if version else [],
    }


def launch_emails(training_class: TrainingClass, partner: Organisation) -> list[LaunchEmail]:
    row = branding_service.branding_row(partner.id)
    locales = [code for code in (row.languages if row else []) if code in LANGUAGES] or ["en"]
    if training_class.language in LANGUAGES and training_class.language not in locales:
        locales.insert(0, training_class.language)
    emails = []
    for locale in locales:
        context = _context(training_class, partner, locale) | {
            "display_name": row.display_name if row else partner.name
        }
        with force_locale(locale):
            subject = render_template("partners/toolkit/launch_email.subject.txt", **context).strip()
            body = render_template("partners/toolkit/launch_email.txt", **context).strip()
        emails.append(LaunchEmail(locale, LANGUAGES[locale].native_name, subject, body))
    return emails


def _safe_colour(value: str | None, default: str) -> str:
    return value if value and branding_service.HEX_COLOUR.match(value) else default


def flyer_pdf(training_class: TrainingClass, partner: Organisation, locale: str) -> bytes:
    row = branding_service.branding_row(partner.id)
    body = accounts.certification_body()
    context = _context(training_class, partner, locale)
    with force_locale(locale):
        html = render_template(
            "partners/pdf/flyer.html",
            **context,
            branding=row,
            primary=_safe_colour(row.primary_colour if row else None, "#3538CD"),
            secondary=_safe_colour(row.secondary_colour if row else None, "#0E7C86"),
            logo=branding_service.image_data_uri(row.logo_key if row else None),
            qr=_qr_data_uri(context["url"]),
            body_name=body.name if body else "",
            locale=locale,
            direction=text_direction(locale),
        )
    return render_pdf(html)
