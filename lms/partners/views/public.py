"""Pages anyone may open: the shared schedule (HTML, JSON, iCalendar), class pages, storefronts."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, jsonify, redirect, render_template, request, session, url_for
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from lms.core.i18n import LANGUAGES, money_on_page
from lms.core.navigation import register_nav
from lms.core.security import Role, current_partner_id, public, safe_next_url
from lms.core.time import utcnow
from lms.courses.models import CourseVersion, CourseVersionStatus
from lms.extensions import db
from lms.partners import queries
from lms.partners.forms import EmptyForm
from lms.partners.models import ClassFormat, ClassStatus
from lms.partners.services import branding as branding_service
from lms.partners.services import calendar, network, pricing, seats, toolkit
from lms.partners.views import bp
from lms.partners.web import page_number

register_nav("partners.schedule", _l("Class schedule"), order=20)


def _locale() -> str:
    return str(get_locale() or "en")


def _zone() -> str:
    return str(get_timezone() or "UTC")


@bp.route("/schedule")
@public
def schedule() -> str:
    filters = queries.ScheduleFilters.from_args(request.args)
    result = queries.schedule(filters, page_number(), _zone())
    user = current_user if current_user.is_authenticated else None
    quotes = {row.training_class.id: pricing.quote_class(row.training_class, user) for row in result.rows}
    return render_template(
        "partners/schedule.html",
        result=result,
        filters=filters,
        quotes=quotes,
        options=queries.filter_options(),
        args=filters.as_args(),
        LANGUAGE_NAMES=_language_names(),
    )


def _language_names() -> dict[str, str]:
    from lms.partners.forms import class_language_choices

    return dict(class_language_choices())


def _class_json(row: queries.ScheduleRow, locale: str) -> dict[str, Any]:
    tc = row.training_class
    return {
        "id": tc.id,
        "url": url_for("partners.class_detail", class_id=tc.id, _external=True),
        "ical_url": url_for("partners.class_ics", class_id=tc.id, _external=True),
        "course": {"code": row.course.code, "title": row.version.title(locale), "version": row.version.number},
        "track": {"code": row.track.code, "name": row.track.name(locale)},
        "partner": {"name": row.partner.name, "slug": row.partner.slug, "country": row.partner.country},
        "language": tc.language,
        "timezone": tc.timezone,
        "format": tc.format.value,
        "city": tc.city,
        "country": tc.country,
        "starts_at": tc.starts_at.isoformat() if tc.starts_at else None,
        "ends_at": tc.ends_at.isoformat() if tc.ends_at else None,
        "meetings": [{"starts_at": m.starts_at.isoformat(), "ends_at": m.ends_at.isoformat()} for m in tc.meetings],
        "capacity": tc.capacity,
        "seats_available": row.availability.available,
        "resale_allowed": tc.resale_allowed,
        "prices": [
            {
                "currency": p.currency,
                "list_amount": p.list_amount,
                "academic_amount": p.academic_amount,
                "association_amount": p.association_amount,
            }
            for p in tc.prices
        ],
    }


@bp.route("/schedule.json")
@public
def schedule_json() -> Response:
    filters = queries.ScheduleFilters.from_args(request.args)
    per_page = min(max(request.args.get("per_page", queries.PAGE_SIZE, type=int) or queries.PAGE_SIZE, 1), 100)
    result = queries.schedule(filters, page_number(), _zone(), per_page=per_page)
    locale = _locale()
    args = filters.as_args()
    body = {
        "page": result.page,
        "pages": result.pages,
        "total": result.total,
        "next": url_for("partners.schedule_json", page=result.page + 1, per_page=per_page, **args, _external=True)
        if result.has_next
        else None,
        "classes": [_class_json(row, locale) for row in result.rows],
    }
    return jsonify(body)


def _ics_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.route("/schedule.ics")
@public
def schedule_ics() -> Response:
    filters = queries.ScheduleFilters.from_args(request.args)
    classes = queries.schedule_classes(filters, _zone())
    return _ics_response(calendar.build(classes, name=_("Class schedule"), locale=_locale()), "schedule.ics")


def _visible_class(class_id: int) -> queries.ClassView:
    view = queries.class_view(class_id)
    if view is None:
        abort(404)
    published = view.training_class.status in (ClassStatus.PUBLISHED, ClassStatus.COMPLETED, ClassStatus.CANCELLED)
    if not published and current_partner_id() != view.training_class.partner_id:
        abort(404)  # drafts are seen only by their partner
    return view


@bp.route("/classes/<int:class_id>.ics")
@public
def class_ics(class_id: int) -> Response:
    view = _visible_class(class_id)
    return _ics_response(
        calendar.build([view.training_class], name=view.version.title(_locale()), locale=_locale()),
        f"class-{class_id}.ics",
    )


def _class_page(view: queries.ClassView, storefront: Any = None) -> str:
    training_class = view.training_class
    user = current_user if current_user.is_authenticated else None
    my_seat = None
    waiting = None
    offer = None
    if user is not None:
        my_seat = queries.seat_of(training_class.id, user.id)
        waiting = seats.waiting_entry(training_class.id, user.id)
        offer = seats.offer_hold_for(training_class.id, user.id)
    quote = pricing.quote_class(training_class, user, request.args.get("currency"))
    availability = seats.availability(training_class.id)
    reseller = None
    if storefront is not None and storefront.id != training_class.partner_id:
        from lms.partners.services.orders import resells

        reseller = storefront if resells(storefront.id, training_class) else None
    branding = branding_service.branding_row((storefront or view.partner).id)
    return render_template(
        "partners/class_detail.html",
        view=view,
        training_class=training_class,
        quote=quote,
        availability=availability,
        bookable=training_class.status == ClassStatus.PUBLISHED
        and (training_class.starts_at is None or training_class.starts_at > utcnow()),
        my_seat=my_seat,
        waiting=waiting,
        offer=offer,
        storefront=storefront,
        reseller=reseller,
        branding=branding,
        inclusions=toolkit.inclusions(view.version),
        shares=network.shares_for(training_class.partner_id),
        form=EmptyForm(),
        viewer_partner_id=current_partner_id() if user is not None else None,
        ClassFormat=ClassFormat,
        money=money_on_page,
    )


@bp.route("/classes/<int:class_id>")
@public
def class_detail(class_id: int) -> str:
    return _class_page(_visible_class(class_id))


# --- storefronts -------------------------------------------------------------------------------


def _storefront_partner(slug: str) -> Any:
    partner = network.active_partner_by_slug(slug)
    if partner is None:
        abort(404)
    return partner


@bp.route("/p/<slug>")
@public
def storefront(slug: str) -> str:
    partner = _storefront_partner(slug)
    own, resold = queries.partner_storefront(partner.id)
    user = current_user if current_user.is_authenticated else None
    quotes = {row.training_class.id: pricing.quote_class(row.training_class, user) for row in [*own, *resold]}
    row = branding_service.branding_row(partner.id)
    return render_template(
        "partners/storefront.html",
        partner=partner,
        branding=row,
        tagline=branding_service.taglines_for(row, _locale()),
        own=own,
        resold=resold,
        quotes=quotes,
        LANGUAGE_NAMES=_language_names(),
    )


@bp.route("/p/<slug>/theme.css")
@public
def storefront_theme(slug: str) -> Response:
    partner = _storefront_partner(slug)
    css = branding_service.theme_css(branding_service.branding_row(partner.id))
    response = Response(css, mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/p/<slug>/logo.png")
@public
def storefront_logo(slug: str) -> Response:
    partner = _storefront_partner(slug)
    row = branding_service.branding_row(partner.id)
    data = branding_service.image_bytes(row.logo_key if row else None)
    if data is None:
        abort(404)
    response = Response(data, mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


@bp.route("/p/<slug>/classes/<int:class_id>")
@public
def storefront_class(slug: str, class_id: int) -> str:
    partner = _storefront_partner(slug)
    return _class_page(_visible_class(class_id), storefront=partner)


@bp.route("/elearning/<int:version_id>")
@public
def elearning(version_id: int) -> str:
    version = db.session.get(CourseVersion, version_id)
    if version is None or version.status != CourseVersionStatus.PUBLISHED:
        abort(404)
    storefront = network.active_partner_by_slug(request.args.get("via", "")) if request.args.get("via") else None
    user = current_user if current_user.is_authenticated else None
    return render_template(
        "partners/elearning.html",
        version=version,
        quote=pricing.quote_elearning(version, user, request.args.get("currency")),
        storefront=storefront,
        inclusions=toolkit.inclusions(version),
        form=EmptyForm(),
        partner_buyer=user is not None
        and current_partner_id() is not None
        and bool(user.roles & {Role.PARTNER_ADMIN, Role.PARTNER_MANAGER}),
        quote_for_partner=pricing.quote_elearning(version, None, request.args.get("currency")),
    )


@bp.route("/currency", methods=["POST"])
@public
def switch_currency() -> WerkzeugResponse:
    code = (request.form.get("currency") or "").upper()
    if code in pricing.KNOWN_CURRENCIES:
        session[pricing.CURRENCY_SESSION_KEY] = code
    return redirect(safe_next_url(request.form.get("next")) or url_for("partners.schedule"))


@bp.route("/calendar/<token>.ics")
@public
def calendar_feed(token: str) -> Response:
    user_id = calendar.user_for_token(token)
    if user_id is None:
        abort(404)
    from lms.accounts.models import User

    user = db.session.get(User, user_id)
    locale = user.locale if user and user.locale in LANGUAGES else "en"
    data = calendar.build(calendar.learner_classes(user_id), name=_("My classes"), locale=locale, private=True)
    response = _ics_response(data, "my-classes.ics")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
