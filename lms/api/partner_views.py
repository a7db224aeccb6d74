"""The partner area's “API & webhooks” pages: API keys and webhook endpoints, for partner admins."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.accounts.forms import EmptyForm
from lms.api.events import EVENTS
from lms.api.forms import ApiKeyForm, WebhookForm
from lms.api.models import ApiKey, WebhookDelivery, WebhookEndpoint
from lms.api.scopes import SCOPE_LABELS, SERVED_SCOPES
from lms.api.services import keys, webhooks
from lms.core.errors import DomainError
from lms.core.i18n import is_valid_timezone
from lms.core.navigation import register_nav
from lms.core.security import Role, current_partner_id, get_scoped_or_404, roles_required
from lms.extensions import db

bp = Blueprint("partner_api", __name__, url_prefix="/partner/api", template_folder="templates")

register_nav("partner_api.overview", _l("API & webhooks"), Role.PARTNER_ADMIN, order=48)


def _partner_id() -> int:
    partner_id = current_partner_id()
    if partner_id is None:
        abort(404)
    return partner_id


def _field_error(form: object, error: DomainError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


def _no_store(body: str) -> Response:
    """A page showing a secret once: never cached, never kept in the back-button history."""
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response


def _overview(key_form: ApiKeyForm | None = None, hook_form: WebhookForm | None = None, status: int = 200) -> Response:
    partner_id = _partner_id()
    hook_form = hook_form or WebhookForm()
    if hook_form.events.data is None:
        hook_form.events.data = []
    body = render_template(
        "api/partner/overview.html",
        api_keys=keys.keys_of(partner_id),
        endpoints=webhooks.endpoints_of(partner_id),
        key_form=key_form or ApiKeyForm(),
        hook_form=hook_form,
        action_form=EmptyForm(),
        scope_labels=SCOPE_LABELS,
        served_scopes=SERVED_SCOPES,
        events=EVENTS,
    )
    return make_response(body, status)


@bp.route("")
@roles_required(Role.PARTNER_ADMIN)
def overview() -> Response:
    return _overview()


def _end_of_day(day: datetime | None) -> datetime | None:
    """Keys expire at the end of the chosen day in the administrator's time zone."""
    if day is None:
        return None
    zone = ZoneInfo(current_user.timezone if is_valid_timezone(current_user.timezone) else "UTC")
    return (datetime.combine(day, time.min, tzinfo=zone) + timedelta(days=1)).astimezone(UTC)


@bp.route("/keys", methods=["POST"])
@roles_required(Role.PARTNER_ADMIN)
def create_key() -> Response:
    form = ApiKeyForm()
    if form.validate_on_submit():
        try:
            created = keys.create_api_key(
                partner_id=_partner_id(),
                name=form.name.data,
                scopes=form.scopes.data or [],
                expires_at=_end_of_day(form.expires_on.data),
                actor_id=current_user.id,
            )
        except DomainError as error:
            _field_error(form, error)
        else:
            db.session.commit()
            return _no_store(
                render_template("api/partner/key_created.html", api_key=created.api_key, token=created.token)
            )
    return _overview(key_form=form, status=422)


@bp.route("/keys/<int:key_id>/revoke", methods=["POST"])
@roles_required(Role.PARTNER_ADMIN)
def revoke_key(key_id: int) -> Response:
    api_key = get_scoped_or_404(ApiKey, key_id)
    if EmptyForm().validate_on_submit():
        keys.revoke_api_key(api_key, actor_id=current_user.id)
        db.session.commit()
        message = _("The key “%(name)s” is revoked: requests with it are refused from now on.", name=api_key.name)
        flash(message, "success")
    return redirect(url_for(".overview"))


@bp.route("/webhooks", methods=["POST"])
@roles_required(Role.PARTNER_ADMIN)
def create_webhook() -> Response:
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            endpoint, secret = webhooks.create_endpoint(
                partner_id=_partner_id(),
                url=form.url.data,
                events=form.events.data or [],
                description=form.description.data or "",
                actor_id=current_user.id,
            )
        except DomainError as error:
            _field_error(form, error)
        else:
            db.session.commit()
            return _no_store(render_template("api/partner/secret.html", endpoint=endpoint, secret=secret))
    return _overview(hook_form=form, status=422)


@bp.route("/webhooks/<int:endpoint_id>", methods=["GET", "POST"])
@roles_required(Role.PARTNER_ADMIN)
def webhook_detail(endpoint_id: int) -> Response | str:
    endpoint = get_scoped_or_404(WebhookEndpoint, endpoint_id)
    form = WebhookForm(obj=endpoint)
    if form.validate_on_submit():
        try:
            webhooks.update_endpoint(
                endpoint,
                url=form.url.data,
                events=form.events.data or [],
                description=form.description.data or "",
                is_active=form.is_active.data,
                actor_id=current_user.id,
            )
        except DomainError as error:
            _field_error(form, error)
        else:
            db.session.commit()
            flash(_("The endpoint is saved."), "success")
            return redirect(url_for(".webhook_detail", endpoint_id=endpoint.id))
    return render_template(
        "api/partner/webhook.html",
        endpoint=endpoint,
        form=form,
        action_form=EmptyForm(),
        deliveries=webhooks.deliveries_of(endpoint),
        events=EVENTS,
    )


@bp.route("/webhooks/<int:endpoint_id>/test", methods=["POST"])
@roles_required(Role.PARTNER_ADMIN)
def test_webhook(endpoint_id: int) -> Response:
    endpoint = get_scoped_or_404(WebhookEndpoint, endpoint_id)
    if EmptyForm().validate_on_submit():
        webhooks.send_test_event(endpoint, actor_id=current_user.id)
        db.session.commit()
        flash(_("A test event is on its way; its delivery appears below."), "success")
    return redirect(url_for(".webhook_detail", endpoint_id=endpoint.id))


@bp.route("/webhooks/<int:endpoint_id>/secret", methods=["POST"])
@roles_required(Role.PARTNER_ADMIN)
def roll_webhook_secret(endpoint_id: int) -> Response:
    endpoint = get_scoped_or_404(WebhookEndpoint, endpoint_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for(".webhook_detail", endpoint_id=endpoint.id))
    secret = webhooks.roll_secret(endpoint, actor_id=current_user.id)
    db.session.commit()
    return _no_store(render_template("api/partner/secret.html", endpoint=endpoint, secret=secret, rolled=True))


@bp.route("/webhooks/<int:endpoint_id>/delete", methods=["POST"])
@roles_required(Role.PARTNER_ADMIN)
def delete_webhook(endpoint_id: int) -> Response:
    endpoint = get_scoped_or_404(WebhookEndpoint, endpoint_id)
    if EmptyForm().validate_on_submit():
        webhooks.delete_endpoint(endpoint, actor_id=current_user.id)
        db.session.commit()
        flash(_("The endpoint is deleted."), "success")
    return redirect(url_for(".overview"))


@bp.route("/deliveries/<int:delivery_id>/replay", methods=["POST"])
@roles_required(Role.PARTNER_ADMIN)
def replay_delivery(delivery_id: int) -> Response:
    delivery = get_scoped_or_404(WebhookDelivery, delivery_id)
    if EmptyForm().validate_on_submit():
        webhooks.replay(delivery, actor_id=current_user.id)
        db.session.commit()
        flash(_("The event is sent again; the new delivery appears at the top."), "success")
    return redirect(url_for(".webhook_detail", endpoint_id=delivery.endpoint_id))
