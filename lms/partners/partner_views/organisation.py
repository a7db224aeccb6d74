"""The partner organisation itself: branding, team and invitations, clients, member rosters, agreement."""

from __future__ import annotations

from flask import Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from lms.accounts import queries as account_queries
from lms.accounts.models import Membership
from lms.core.csvio import write_csv
from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import Role, get_scoped_or_404, roles_required
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.forms import (
    BrandingForm,
    ClientForm,
    EmptyForm,
    ImageForm,
    InviteForm,
    MemberCodesForm,
    MemberRosterForm,
)
from lms.partners.models import PartnerInvitation, PartnerMember
from lms.partners.partner_views import bp
from lms.partners.services import branding as branding_service
from lms.partners.services import network
from lms.partners.web import current_partner, end_of_day_utc, form_error

MANAGERS = (Role.PARTNER_ADMIN, Role.PARTNER_MANAGER)

register_nav("partner_portal.branding", _l("Our organisation"), *MANAGERS, order=45)


@bp.route("/branding", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def branding() -> WerkzeugResponse | str:
    partner = current_partner()
    row = branding_service.ensure_branding(partner.id, partner.name)
    locale = str(get_locale() or "en")
    form = BrandingForm(obj=row)
    if request.method == "GET":
        form.tagline.data = (row.taglines or {}).get(row.languages[0] if row.languages else locale, "")
    if form.validate_on_submit():
        taglines = dict(row.taglines or {})
        first = (form.languages.data or ["en"])[0]
        taglines[first] = form.tagline.data or ""
        try:
            branding_service.update_branding(
                partner.id,
                actor_id=current_user.id,
                display_name=form.display_name.data,
                primary_colour=form.primary_colour.data,
                secondary_colour=form.secondary_colour.data,
                signatory_name=form.signatory_name.data,
                signatory_title=form.signatory_title.data,
                contact_email=form.contact_email.data,
                languages=form.languages.data,
                taglines=taglines,
            )
        except DomainError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Branding saved. Your storefront shows it now."), "success")
            return redirect(url_for(".branding"))
    return render_template(
        "partners/partner/branding.html",
        partner=partner,
        branding=row,
        form=form,
        logo_form=ImageForm(prefix="logo"),
        signature_form=ImageForm(prefix="signature"),
        agreement=network.current_agreement(partner.id),
        shares=network.shares_for(partner.id),
    )


def _upload(purpose: str) -> WerkzeugResponse:
    partner = current_partner()
    form = ImageForm(prefix=purpose)
    if form.validate_on_submit():
        upload = form.image.data
        data = upload.read() if upload else b""
        setter = branding_service.set_logo if purpose == "logo" else branding_service.set_signature
        try:
            setter(partner.id, data, actor_id=current_user.id, display_name=partner.name)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Image saved."), "success")
    return redirect(url_for(".branding"))


@bp.route("/branding/logo", methods=["POST"])
@roles_required(*MANAGERS)
def branding_logo() -> WerkzeugResponse:
    return _upload("logo")


@bp.route("/branding/signature", methods=["POST"])
@roles_required(*MANAGERS)
def branding_signature() -> WerkzeugResponse:
    return _upload("signature")


@bp.route("/branding/signature.png")
@roles_required(*MANAGERS)
def branding_signature_image() -> Response:
    partner = current_partner()
    row = branding_service.branding_row(partner.id)
    data = branding_service.image_bytes(row.signature_key if row else None)
    if data is None:
        abort(404)
    response = make_response(data)
    response.headers["Content-Type"] = "image/png"
    return response


# --- team --------------------------------------------------------------------------------------


@bp.route("/team", methods=["GET", "POST"])
@roles_required(Role.PARTNER_ADMIN)
def team() -> WerkzeugResponse | str:
    partner = current_partner()
    form = InviteForm()
    if form.validate_on_submit():
        try:
            network.invite(
                partner, email=form.email.data, role=Role(form.role.data), actor=current_user._get_current_object()
            )
        except DomainError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for(".team"))
    invitations = (
        db.session.execute(
            db.select(PartnerInvitation)
            .where(
                PartnerInvitation.partner_id == partner.id,
                PartnerInvitation.accepted_at.is_(None),
                PartnerInvitation.revoked_at.is_(None),
                PartnerInvitation.expires_at > utcnow(),
            )
            .order_by(PartnerInvitation.created_at.desc())
        )
        .scalars()
        .all()
    )
    return render_template(
        "partners/partner/team.html",
        partner=partner,
        members=account_queries.organisation_members(partner.id),
        invitations=invitations,
        form=form,
        action_form=EmptyForm(),
    )


@bp.route("/team/invitations/<int:invitation_id>/revoke", methods=["POST"])
@roles_required(Role.PARTNER_ADMIN)
def invitation_revoke(invitation_id: int) -> WerkzeugResponse:
    invitation = get_scoped_or_404(PartnerInvitation, invitation_id)
    if EmptyForm().validate_on_submit():
        network.revoke_invitation(invitation, actor_id=current_user.id)
        db.session.commit()
        flash(_("Invitation withdrawn."), "success")
    return redirect(url_for(".team"))


@bp.route("/team/members/<int:membership_id>/remove", methods=["POST"])
@roles_required(Role.PARTNER_ADMIN)
def member_remove(membership_id: int) -> WerkzeugResponse:
    partner = current_partner()
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.organisation_id != partner.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            network.remove_member(membership, actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Role removed."), "success")
    return redirect(url_for(".team"))


# --- enterprise clients ------------------------------------------------------------------------


@bp.route("/clients", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def clients() -> WerkzeugResponse | str:
    partner = current_partner()
    form = ClientForm()
    if form.validate_on_submit():
        try:
            network.create_client(
                partner, name=form.name.data, country=form.country.data, city=form.city.data, actor_id=current_user.id
            )
        except DomainError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Client added."), "success")
            return redirect(url_for(".clients"))
    return render_template("partners/partner/clients.html", clients=network.clients_of(partner.id), form=form)


# --- member rosters (academic partners and associations) ----------------------------------------


def _member_partner():  # type: ignore[no-untyped-def]
    partner = current_partner()
    if partner.kind not in network.MEMBER_KINDS:
        abort(404)
    return partner


@bp.route("/members")
@roles_required(*MANAGERS)
def members() -> str:
    partner = _member_partner()
    rows = (
        db.session.execute(
            db.select(PartnerMember)
            .where(PartnerMember.partner_id == partner.id)
            .order_by(PartnerMember.id.desc())
            .limit(500)
        )
        .scalars()
        .all()
    )
    return render_template(
        "partners/partner/members.html",
        partner=partner,
        members=rows,
        roster_form=MemberRosterForm(),
        codes_form=MemberCodesForm(),
        tier=network.MEMBER_KINDS[partner.kind],
    )


@bp.route("/members/roster", methods=["POST"])
@roles_required(*MANAGERS)
def members_roster() -> WerkzeugResponse:
    partner = _member_partner()
    form = MemberRosterForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = network.import_member_roster(
                partner,
                upload.read() if upload else b"",
                actor_id=current_user.id,
                valid_until=end_of_day_utc(form.valid_until.data),
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "%(added)d members added, %(already)d already on the roster.",
                    added=result.added,
                    already=result.already,
                ),
                "success",
            )
            for line, message in result.errors[:20]:
                flash(_("Line %(line)d: %(message)s", line=line, message=message), "error")
    return redirect(url_for(".members"))


@bp.route("/members/codes", methods=["POST"])
@roles_required(*MANAGERS)
def members_codes() -> WerkzeugResponse:
    partner = _member_partner()
    form = MemberCodesForm()
    if form.validate_on_submit():
        try:
            created = network.generate_member_codes(
                partner, form.count.data, actor_id=current_user.id, valid_until=end_of_day_utc(form.valid_until.data)
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("%(count)d member codes generated.", count=len(created)), "success")
    return redirect(url_for(".members"))


@bp.route("/members.csv")
@roles_required(*MANAGERS)
def members_csv() -> Response:
    partner = _member_partner()
    rows = db.session.execute(
        db.select(PartnerMember).where(PartnerMember.partner_id == partner.id).order_by(PartnerMember.id)
    ).scalars()
    data = write_csv(
        ["email", "member_code", "claimed", "valid_until"],
        [
            [
                m.email or "",
                m.code or "",
                "yes" if m.user_id else "no",
                m.valid_until.date().isoformat() if m.valid_until else "",
            ]
            for m in rows
        ],
    )
    response = make_response(data)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="members.csv"'
    return response
