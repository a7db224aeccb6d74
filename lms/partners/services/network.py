"""Joining and running the network: applications, team invitations, agreements, clients, members."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from lms.accounts import services as accounts
from lms.accounts.models import (
    PARTNER_KINDS,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    User,
)
from lms.core import audit
from lms.core.csvio import read_csv
from lms.core.errors import Conflict, DomainError, NotAllowed
from lms.core.i18n import LANGUAGES
from lms.core.mail import send_mail
from lms.core.security import Role
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.models import (
    INVITABLE_ROLES,
    ApplicationStatus,
    PartnerAgreement,
    PartnerApplication,
    PartnerInvitation,
    PartnerMember,
    PriceTier,
)
from lms.partners.services import branding as branding_service

INVITATION_DAYS = 14
#: Shares used until staff record an agreement with the partner (basis points).
DEFAULT_SHARES = {
    "own_partner_bp": 7000,
    "own_body_bp": 3000,
    "resale_delivering_bp": 6000,
    "resale_reseller_bp": 2000,
    "resale_body_bp": 2000,
}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed


def random_code(length: int = 8, prefix: str = "") -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _position in range(length))
    body = "-".join(body[i : i + 4] for i in range(0, len(body), 4))
    return f"{prefix}-{body}" if prefix else body


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:60] or "partner"


def free_slug(name: str) -> str:
    base = slugify(name)
    slug, n = base, 1
    while db.session.execute(sa.select(Organisation.id).where(Organisation.slug == slug)).first():
        n += 1
        slug = f"{base}-{n}"
    return slug


def partner_or_404(partner_id: int) -> Organisation:
    from flask import abort

    organisation = db.session.get(Organisation, partner_id)
    if organisation is None or organisation.kind not in PARTNER_KINDS:
        abort(404)
    return organisation


def active_partner_by_slug(slug: str) -> Organisation | None:
    return db.session.execute(
        sa.select(Organisation).where(
            Organisation.slug == slug,
            Organisation.kind.in_(PARTNER_KINDS),
            Organisation.status == OrganisationStatus.ACTIVE,
        )
    ).scalar_one_or_none()


def _staff_emails() -> list[tuple[str, str]]:
    rows = db.session.execute(
        sa.select(User.email, User.locale)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.role == Role.STAFF, User.is_active.is_(True))
    ).all()
    return [(email, locale) for email, locale in rows]


# --- applications ------------------------------------------------------------------------------


def apply(
    applicant: User,
    *,
    kind: OrganisationKind,
    name: str,
    country: str,
    city: str,
    website: str | None,
    motivation: str,
    languages: list[str],
    expected_learners: int | None = None,
) -> PartnerApplication:
    if kind not in PARTNER_KINDS:
        raise DomainError(_("Choose the kind of partner you want to become."), field="kind")
    name = (name or "").strip()
    if len(name) < 2:
        raise DomainError(_("Enter your organisation's name."), field="name")
    country = (country or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise DomainError(_("Enter the two-letter country code, e.g. AE or DE."), field="country")
    if len((motivation or "").strip()) < 20:
        raise DomainError(_("Tell us in a few sentences whom you train and how."), field="motivation")
    chosen = [code for code in languages if code in LANGUAGES]
    if not chosen:
        raise DomainError(_("Choose at least one language you teach in."), field="languages")
    pending = db.session.execute(
        sa.select(PartnerApplication.id).where(
            PartnerApplication.applicant_id == applicant.id,
            PartnerApplication.status == ApplicationStatus.PENDING,
        )
    ).first()
    if pending:
        raise Conflict(_("You already have an application waiting for review."))
    organisation = accounts.create_organisation(
        kind=kind,
        name=name,
        slug=free_slug(name),
        actor_id=applicant.id,
        status=OrganisationStatus.APPLIED,
        country=country,
        city=(city or "").strip() or None,
        website=(website or "").strip() or None,
    )
    application = PartnerApplication(
        organisation_id=organisation.id,
        applicant_id=applicant.id,
        motivation=motivation.strip(),
        languages=chosen,
        expected_learners=expected_learners,
    )
    db.session.add(application)
    db.session.flush()
    audit.record(
        "partner.applied",
        actor_id=applicant.id,
        subject=application,
        partner_id=organisation.id,
        details={"kind": kind.value, "name": name},
    )
    for email, locale in _staff_emails():
        send_mail(email, "partner_application_received", locale, organisation=name, application_id=application.id)
    return application


def _decide(application: PartnerApplication, status: ApplicationStatus, actor_id: int, reason: str) -> None:
    if application.status != ApplicationStatus.PENDING:
        raise Conflict(_("This application was already decided."))
    if not (reason or "").strip():
        raise DomainError(_("Give a reason."), field="reason")
    application.status = status
    application.decided_by = actor_id
    application.decided_at = utcnow()
    application.decision_reason = reason.strip()


def approve(application: PartnerApplication, *, actor_id: int, reason: str) -> Organisation:
    """Approve: the organisation becomes active and the applicant its partner administrator."""
    _decide(application, ApplicationStatus.APPROVED, actor_id, reason)
    organisation = application.organisation
    accounts.set_organisation_status(organisation, OrganisationStatus.ACTIVE, actor_id=actor_id, reason=reason)
    accounts.grant_role(application.applicant, organisation, Role.PARTNER_ADMIN, actor_id=actor_id)
    branding = branding_service.ensure_branding(organisation.id, organisation.name)
    branding.languages = list(application.languages or ["en"])
    if current_agreement(organisation.id) is None:
        set_agreement(organisation.id, actor_id=actor_id, note=_("Standard terms"), **DEFAULT_SHARES)
    audit.record("partner.approved", actor_id=actor_id, subject=application, partner_id=organisation.id)
    applicant = application.applicant
    send_mail(
        applicant.email,
        "partner_approved",
        applicant.locale,
        display_name=applicant.display_name,
        organisation=organisation.name,
        reason=reason.strip(),
        url=f"{current_app.config['BASE_URL']}/partner/branding",
    )
    return organisation


def reject(application: PartnerApplication, *, actor_id: int, reason: str) -> None:
    _decide(application, ApplicationStatus.REJECTED, actor_id, reason)
    accounts.set_organisation_status(
        application.organisation, OrganisationStatus.REJECTED, actor_id=actor_id, reason=reason
    )
    audit.record("partner.rejected", actor_id=actor_id, subject=application, partner_id=application.organisation_id)
    applicant = application.applicant
    send_mail(
        applicant.email,
        "partner_rejected",
        applicant.locale,
        display_name=applicant.display_name,
        organisation=application.organisation.name,
        reason=reason.strip(),
    )


def set_partner_status(organisation: Organisation, status: OrganisationStatus, *, actor_id: int, reason: str) -> None:
    """Suspend, reinstate or offboard an approved partner (its people lose partner access while suspended)."""
    allowed = {
        OrganisationStatus.ACTIVE: {OrganisationStatus.SUSPENDED, OrganisationStatus.OFFBOARDED},
        OrganisationStatus.SUSPENDED: {OrganisationStatus.ACTIVE, OrganisationStatus.OFFBOARDED},
    }
    if organisation.kind not in PARTNER_KINDS:
        raise DomainError(_("Only partners can be suspended here."))
    if status not in allowed.get(organisation.status, set()):
        raise Conflict(_("This partner cannot change to that status now."))
    accounts.set_organisation_status(organisation, status, actor_id=actor_id, reason=reason)


# --- team invitations --------------------------------------------------------------------------


def invite(partner: Organisation, *, email: str, role: Role, actor: User) -> tuple[PartnerInvitation, str]:
    email = accounts.normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise DomainError(_("Enter a valid e-mail address."), field="email")
    if role not in INVITABLE_ROLES:
        raise DomainError(_("Choose a role."), field="role")
    open_invitation = db.session.execute(
        sa.select(PartnerInvitation).where(
            PartnerInvitation.partner_id == partner.id,
            PartnerInvitation.email == email,
            PartnerInvitation.role == role,
            PartnerInvitation.accepted_at.is_(None),
            PartnerInvitation.revoked_at.is_(None),
            PartnerInvitation.expires_at > utcnow(),
        )
    ).scalar_one_or_none()
    if open_invitation is not None:
        open_invitation.revoked_at = utcnow()  # a fresh link replaces the old one
    token = secrets.token_urlsafe(32)
    invitation = PartnerInvitation(
        partner_id=partner.id,
        email=email,
        role=role,
        token_hash=token_hash(token),
        invited_by=actor.id,
        expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(
        "partner.member_invited",
        actor_id=actor.id,
        subject=invitation,
        partner_id=partner.id,
        details={"email": email, "role": role.value},
    )
    existing = accounts.find_user_by_email(email)
    send_mail(
        email,
        "partner_invitation",
        existing.locale if existing else actor.locale,
        organisation=partner.name,
        inviter=actor.display_name,
        role=role.value,
        url=f"{current_app.config['BASE_URL']}/partners/invitations/{token}",
        days=INVITATION_DAYS,
    )
    return invitation, token


def invitation_for_token(token: str) -> PartnerInvitation | None:
    return db.session.execute(
        sa.select(PartnerInvitation).where(PartnerInvitation.token_hash == token_hash(token))
    ).scalar_one_or_none()


def check_invitation(invitation: PartnerInvitation | None) -> PartnerInvitation:
    if invitation is None or invitation.revoked_at is not None:
        raise DomainError(_("This invitation is not valid. Ask for a new one."))
    if invitation.accepted_at is not None:
        raise Conflict(_("This invitation was already accepted."))
    if invitation.expires_at <= utcnow():
        raise DomainError(_("This invitation has expired. Ask for a new one."))
    if invitation.organisation.status != OrganisationStatus.ACTIVE:
        raise DomainError(_("This partner is not active in the network at the moment."))
    return invitation


def accept_invitation(token: str, user: User) -> Membership:
    invitation = check_invitation(invitation_for_token(token))
    if invitation.email != user.email:
        raise NotAllowed(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.", email=invitation.email)
        )
    membership = accounts.grant_role(user, invitation.organisation, invitation.role, actor_id=user.id)
    invitation.accepted_at = utcnow()
    invitation.accepted_by = user.id
    audit.record("partner.invitation_accepted", actor_id=user.id, subject=invitation, partner_id=invitation.partner_id)
    return membership


def revoke_invitation(invitation: PartnerInvitation, *, actor_id: int) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        audit.record(
            "partner.invitation_revoked", actor_id=actor_id, subject=invitation, partner_id=invitation.partner_id
        )


def remove_member(membership: Membership, *, actor_id: int) -> None:
    if membership.role == Role.PARTNER_ADMIN:
        admins = db.session.execute(
            sa.select(sa.func.count())
            .select_from(Membership)
            .where(Membership.organisation_id == membership.organisation_id, Membership.role == Role.PARTNER_ADMIN)
        ).scalar_one()
        if admins <= 1:
            raise DomainError(_("A partner needs at least one administrator. Invite another one first."))
    accounts.revoke_role(membership, actor_id=actor_id)


# --- agreements --------------------------------------------------------------------------------


def current_agreement(partner_id: int, at: datetime | None = None) -> PartnerAgreement | None:
    return db.session.execute(
        sa.select(PartnerAgreement)
        .where(PartnerAgreement.partner_id == partner_id, PartnerAgreement.effective_from <= (at or utcnow()))
        .order_by(PartnerAgreement.effective_from.desc(), PartnerAgreement.id.desc())
        .limit(1)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class Shares:
    own_partner_bp: int
    own_body_bp: int
    resale_delivering_bp: int
    resale_reseller_bp: int
    resale_body_bp: int
    refund_window_days: int


def shares_for(partner_id: int | None) -> Shares:
    agreement = current_agreement(partner_id) if partner_id else None
    if agreement is None:
        return Shares(**DEFAULT_SHARES, refund_window_days=current_app.config.get("REFUND_WINDOW_DAYS", 14))
    return Shares(
        agreement.own_partner_bp,
        agreement.own_body_bp,
        agreement.resale_delivering_bp,
        agreement.resale_reseller_bp,
        agreement.resale_body_bp,
        agreement.refund_window_days,
    )


def set_agreement(
    partner_id: int,
    *,
    actor_id: int | None,
    own_partner_bp: int,
    own_body_bp: int,
    resale_delivering_bp: int,
    resale_reseller_bp: int,
    resale_body_bp: int,
    refund_window_days: int | None = None,
    note: str | None = None,
    effective_from: datetime | None = None,
) -> PartnerAgreement:
    shares = [own_partner_bp, own_body_bp, resale_delivering_bp, resale_reseller_bp, resale_body_bp]
    if any(s is None or s < 0 or s > 10000 for s in shares):
        raise DomainError(_("Each share must be between 0 % and 100 %."))
    if own_partner_bp + own_body_bp != 10000:
        raise DomainError(_("The shares of an own sale must add up to 100 %."), field="own_partner_bp")
    if resale_delivering_bp + resale_reseller_bp + resale_body_bp != 10000:
        raise DomainError(_("The shares of a resale must add up to 100 %."), field="resale_delivering_bp")
    window = current_app.config.get("REFUND_WINDOW_DAYS", 14) if refund_window_days is None else refund_window_days
    if window < 0 or window > 365:
        raise DomainError(_("The refund window must be between 0 and 365 days."), field="refund_window_days")
    agreement = PartnerAgreement(
        partner_id=partner_id,
        effective_from=effective_from or utcnow(),
        own_partner_bp=own_partner_bp,
        own_body_bp=own_body_bp,
        resale_delivering_bp=resale_delivering_bp,
        resale_reseller_bp=resale_reseller_bp,
        resale_body_bp=resale_body_bp,
        refund_window_days=window,
        note=(note or "").strip() or None,
        created_by=actor_id,
    )
    db.session.add(agreement)
    db.session.flush()
    audit.record(
        "partner.agreement_set",
        actor_id=actor_id,
        subject=agreement,
        partner_id=partner_id,
        details={"shares": shares, "refund_window_days": window},
    )
    return agreement


# --- enterprise clients ------------------------------------------------------------------------


def create_client(
    partner: Organisation, *, name: str, country: str | None, city: str | None, actor_id: int
) -> Organisation:
    if not (name or "").strip():
        raise DomainError(_("Enter the client's name."), field="name")
    return accounts.create_organisation(
        kind=OrganisationKind.ENTERPRISE_CLIENT,
        name=name,
        slug=free_slug(f"{partner.slug}-{name}"),
        actor_id=actor_id,
        country=country,
        city=city,
        parent_id=partner.id,
    )


def clients_of(partner_id: int) -> list[Organisation]:
    return list(
        db.session.execute(
            sa.select(Organisation)
            .where(Organisation.parent_id == partner_id, Organisation.kind == OrganisationKind.ENTERPRISE_CLIENT)
            .order_by(Organisation.name)
        ).scalars()
    )


def client_of_or_404(partner_id: int, client_id: int | None) -> Organisation | None:
    from flask import abort

    if not client_id:
        return None
    client = db.session.get(Organisation, client_id)
    if client is None or client.parent_id != partner_id:
        abort(404)
    return client


# --- member rosters (academic and association prices) ------------------------------------------

MEMBER_KINDS = {
    OrganisationKind.ACADEMIC_PARTNER: PriceTier.ACADEMIC,
    OrganisationKind.ASSOCIATION: PriceTier.ASSOCIATION,
}


@dataclass
class RosterResult:
    added: int
    already: int
    errors: list[tuple[int, str]]


def import_member_roster(
    partner: Organisation, data: bytes, *, actor_id: int, valid_until: datetime | None = None
) -> RosterResult:
    """Add the e-mail addresses of a CSV (column ``email``) as confirmed members; existing ones stay."""
    if partner.kind not in MEMBER_KINDS:
        raise DomainError(_("Only academic partners and associations keep member rosters."))
    try:
        rows = read_csv(data)
    except (UnicodeDecodeError, ValueError) as exc:
        raise DomainError(_("The file is not a UTF-8 CSV file."), field="file") from exc
    if rows and "email" not in rows[0]:
        raise DomainError(_("The CSV needs a column named “email”."), field="file")
    result = RosterResult(0, 0, [])
    seen: set[str] = set()
    for index, row in enumerate(rows, start=2):
        email = accounts.normalise_email(row.get("email", ""))
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            result.errors.append((index, _("“%(value)s” is not an e-mail address.", value=row.get("email", ""))))
            continue
        if email in seen:
            continue
        seen.add(email)
        existing = db.session.execute(
            sa.select(PartnerMember).where(PartnerMember.partner_id == partner.id, PartnerMember.email == email)
        ).scalar_one_or_none()
        if existing is not None:
            existing.valid_until = valid_until
            result.already += 1
            continue
        db.session.add(PartnerMember(partner_id=partner.id, email=email, valid_until=valid_until))
        result.added += 1
    db.session.flush()
    audit.record(
        "partner.member_roster_imported",
        actor_id=actor_id,
        partner_id=partner.id,
        details={"added": result.added, "already": result.already, "errors": len(result.errors)},
    )
    return result


def generate_member_codes(
    partner: Organisation, count: int, *, actor_id: int, valid_until: datetime | None = None
) -> list[PartnerMember]:
    if partner.kind not in MEMBER_KINDS:
        raise DomainError(_("Only academic partners and associations hand out member codes."))
    if not 1 <= count <= 1000:
        raise DomainError(_("Generate between 1 and 1,000 codes at a time."), field="count")
    prefix = "MBR" if partner.kind == OrganisationKind.ASSOCIATION else "EDU"
    members = [
        PartnerMember(partner_id=partner.id, code=random_code(8, prefix), valid_until=valid_until)
        for _number in range(count)
    ]
    db.session.add_all(members)
    db.session.flush()
    audit.record("partner.member_codes_generated", actor_id=actor_id, partner_id=partner.id, details={"count": count})
    return members


def claim_member_code(user: User, code: str) -> PartnerMember:
    code = (code or "").strip().upper()
    member = db.session.execute(sa.select(PartnerMember).where(PartnerMember.code == code)).scalar_one_or_none()
    if member is None:
        raise DomainError(_("We do not know this member code. Check it and try again."), field="code")
    if member.user_id is not None and member.user_id != user.id:
        raise Conflict(_("This member code was already used by someone else."), field="code")
    if member.valid_until is not None and member.valid_until <= utcnow():
        raise DomainError(_("This member code has expired."), field="code")
    member.user_id = user.id
    member.claimed_at = member.claimed_at or utcnow()
    audit.record("partner.member_code_claimed", actor_id=user.id, subject=member, partner_id=member.partner_id)
    return member


@dataclass(frozen=True)
class TierMembership:
    tier: PriceTier
    partner_id: int
    partner_name: str


def memberships_of(user: User | None) -> list[TierMembership]:
    """Price tiers this learner is entitled to, each confirmed by an active academic partner or association."""
    if user is None:
        return []
    now = utcnow()
    rows = db.session.execute(
        sa.select(PartnerMember, Organisation)
        .join(Organisation, Organisation.id == PartnerMember.partner_id)
        .where(
            sa.or_(PartnerMember.user_id == user.id, PartnerMember.email == user.email),
            sa.or_(PartnerMember.valid_until.is_(None), PartnerMember.valid_until > now),
            Organisation.status == OrganisationStatus.ACTIVE,
            Organisation.kind.in_(list(MEMBER_KINDS)),
        )
    ).all()
    return [TierMembership(MEMBER_KINDS[org.kind], org.id, org.name) for _member, org in rows]
