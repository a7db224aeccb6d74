"""Voucher codes: generated in batches for enterprise clients, redeemed at checkout or for a learner.

Seat vouchers lower the price of a seat (up to free) in the partner's class or course; exam
vouchers give an exam attempt (the exams domain grants it on ``exam_voucher_redeemed``).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Organisation, User
from lms.core import audit, signals
from lms.core.csvio import write_csv
from lms.core.db import lock_row
from lms.core.errors import Conflict, DomainError, NotAllowed
from lms.core.time import utcnow
from lms.courses.models import CertificationTrack, CourseVersion
from lms.extensions import db
from lms.partners.models import (
    ClassStatus,
    LineKind,
    Order,
    OrderLine,
    TrainingClass,
    Voucher,
    VoucherBatch,
    VoucherKind,
    VoucherRedemption,
)
from lms.partners.services.learners import find_or_create_learner, valid_email
from lms.partners.services.network import random_code

MAX_BATCH = 1000


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).upper()


def find(code: str) -> Voucher | None:
    code = normalise_code(code)
    if not code:
        return None
    return db.session.execute(sa.select(Voucher).where(Voucher.code == code)).scalar_one_or_none()


def status_of(voucher: Voucher, now: datetime | None = None) -> str:
    now = now or utcnow()
    if voucher.revoked_at is not None:
        return "revoked"
    if voucher.batch.expires_at is not None and voucher.batch.expires_at <= now:
        return "expired"
    if voucher.used_count >= voucher.max_uses:
        return "used"
    return "valid"


def _check_usable(voucher: Voucher, user: User) -> None:
    status = status_of(voucher)
    if status == "revoked":
        raise DomainError(_("This code was withdrawn by the partner that issued it."), field="code")
    if status == "expired":
        raise DomainError(_("This code has expired."), field="code")
    if status == "used":
        raise Conflict(_("This code has been used up."), field="code")
    if voucher.assigned_email and voucher.assigned_email != user.email:
        raise NotAllowed(_("This code belongs to someone else."), field="code")
    redeemed = db.session.execute(
        sa.select(VoucherRedemption.id).where(
            VoucherRedemption.voucher_id == voucher.id, VoucherRedemption.user_id == user.id
        )
    ).first()
    if redeemed:
        raise Conflict(_("You have already used this code."), field="code")


def applies_to(voucher: Voucher, line: OrderLine) -> bool:
    batch = voucher.batch
    if batch.kind != VoucherKind.SEAT:
        return False
    if voucher.partner_id not in (line.delivering_partner_id, line.reseller_id):
        return False
    if batch.class_id is not None:
        return line.class_id == batch.class_id
    if batch.course_version_id is not None:
        return line.course_version_id == batch.course_version_id
    return True


def check_for_order(voucher: Voucher, order: Order, user: User) -> None:
    if voucher.batch.kind == VoucherKind.EXAM:
        raise DomainError(_("This is an exam voucher. Redeem it on the voucher page."), field="code")
    _check_usable(voucher, user)
    if not any(applies_to(voucher, line) for line in order.lines):
        raise DomainError(_("This code is not valid for what you are buying."), field="code")


def use(voucher: Voucher | None, *, user_id: int, order_id: int | None, actor_id: int | None) -> VoucherRedemption:
    """Count one use (under the voucher's lock, so a capped code is never used past its cap)."""
    if voucher is None:
        raise DomainError(_("We do not know this code."), field="code")
    lock_row(Voucher, voucher.id)
    user = db.session.get(User, user_id)
    _check_usable(voucher, user)
    voucher.used_count += 1
    redemption = VoucherRedemption(voucher_id=voucher.id, user_id=user_id, order_id=order_id, redeemed_by=actor_id)
    db.session.add(redemption)
    db.session.flush()
    audit.record(
        "voucher.redeemed",
        actor_id=actor_id,
        subject=voucher,
        partner_id=voucher.partner_id,
        details={"user_id": user_id, "order_id": order_id, "kind": voucher.batch.kind.value},
    )
    return redemption


# --- generating ----------------------------------------------------------------------------------


def generate_batch(
    partner: Organisation,
    *,
    actor_id: int,
    name: str,
    kind: VoucherKind,
    count: int,
    max_uses: int = 1,
    discount_bp: int = 10000,
    client_id: int | None = None,
    class_id: int | None = None,
    course_version_id: int | None = None,
    track_id: int | None = None,
    expires_at: datetime | None = None,
    assigned_emails: list[str] | None = None,
) -> VoucherBatch:
    """Generate codes. With ``assigned_emails`` there is one single-use code per address."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the batch a name, e.g. the client and month."), field="name")
    emails = [e.strip().lower() for e in (assigned_emails or []) if e.strip()]
    for email in emails:
        if not valid_email(email):
            raise DomainError(_("“%(value)s” is not an e-mail address.", value=email), field="assigned_emails")
    if emails:
        count, max_uses = len(emails), 1
    if not 1 <= count <= MAX_BATCH:
        raise DomainError(_("Generate between 1 and %(max)d codes at a time.", max=MAX_BATCH), field="count")
    if not 1 <= max_uses <= 10000:
        raise DomainError(_("A code may be used between 1 and 10,000 times."), field="max_uses")
    if not 0 < discount_bp <= 10000:
        raise DomainError(_("The discount must be more than 0 % and at most 100 %."), field="discount_percent")
    if expires_at is not None and expires_at <= utcnow():
        raise DomainError(_("The expiry date must be in the future."), field="expires_on")
    if kind == VoucherKind.EXAM:
        if track_id is None or db.session.get(CertificationTrack, track_id) is None:
            raise DomainError(_("Choose the certification the exam voucher is for."), field="track_id")
        class_id = course_version_id = None
        discount_bp = 10000
    else:
        track_id = None
        if class_id is not None:
            training_class = db.session.get(TrainingClass, class_id)
            if training_class is None or training_class.partner_id != partner.id:
                raise DomainError(_("Choose one of your classes."), field="class_id")
            if training_class.status in (ClassStatus.CANCELLED, ClassStatus.COMPLETED):
                raise DomainError(_("This class is closed."), field="class_id")
            course_version_id = None
        elif course_version_id is not None and db.session.get(CourseVersion, course_version_id) is None:
            raise DomainError(_("Choose a course."), field="course_version_id")
    if client_id is not None:
        client = db.session.get(Organisation, client_id)
        if client is None or client.parent_id != partner.id:
            raise DomainError(_("Choose one of your clients."), field="client_id")
    batch = VoucherBatch(
        partner_id=partner.id,
        name=name[:120],
        kind=kind,
        client_id=client_id,
        class_id=class_id,
        course_version_id=course_version_id,
        track_id=track_id,
        discount_bp=discount_bp,
        expires_at=expires_at,
        created_by=actor_id,
    )
    db.session.add(batch)
    db.session.flush()
    prefix = partner.slug.split("-")[0][:6].upper()
    existing = set()
    for index in range(count):
        code = random_code(8, prefix)
        while code in existing or find(code) is not None:
            code = random_code(8, prefix)
        existing.add(code)
        db.session.add(
            Voucher(
                partner_id=partner.id,
                batch_id=batch.id,
                code=code,
                max_uses=max_uses,
                assigned_email=emails[index] if emails else None,
            )
        )
    db.session.flush()
    audit.record(
        "voucher.batch_generated",
        actor_id=actor_id,
        subject=batch,
        partner_id=partner.id,
        details={"kind": kind.value, "count": count, "max_uses": max_uses, "discount_bp": discount_bp},
    )
    return batch


def revoke(voucher: Voucher, *, actor_id: int) -> None:
    if voucher.revoked_at is None:
        voucher.revoked_at = utcnow()
        audit.record("voucher.revoked", actor_id=actor_id, subject=voucher, partner_id=voucher.partner_id)


# --- prepaid seats ------------------------------------------------------------------------------


def prepaid_codes(line: OrderLine, *, actor_id: int | None) -> VoucherBatch:
    """A partner paid for eLearning seats: one single-use, free code per seat, for its learners."""
    existing = db.session.execute(
        sa.select(VoucherBatch).where(VoucherBatch.order_line_id == line.id)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    partner = db.session.get(Organisation, line.order.buyer_partner_id)
    batch = generate_batch(
        partner,
        actor_id=actor_id,
        name=f"{line.order.number} — {line.course_version.title('en')}"[:120],
        kind=VoucherKind.SEAT,
        count=line.quantity,
        course_version_id=line.course_version_id,
        discount_bp=10000,
    )
    batch.order_line_id = line.id
    db.session.flush()
    return batch


def unused_prepaid_codes(line: OrderLine) -> list[Voucher]:
    return list(
        db.session.execute(
            sa.select(Voucher)
            .join(VoucherBatch, VoucherBatch.id == Voucher.batch_id)
            .where(VoucherBatch.order_line_id == line.id, Voucher.used_count == 0, Voucher.revoked_at.is_(None))
            .order_by(Voucher.id.desc())
        ).scalars()
    )


def withdraw_prepaid_codes(line: OrderLine, count: int, *, actor_id: int | None) -> None:
    """Refunded prepaid seats: that many unused codes stop working."""
    for voucher in unused_prepaid_codes(line)[:count]:
        revoke(voucher, actor_id=actor_id)


# --- redeeming -----------------------------------------------------------------------------------


def redeem_exam(voucher: Voucher, user: User, *, actor_id: int | None) -> VoucherRedemption:
    if voucher.batch.kind != VoucherKind.EXAM:
        raise DomainError(_("This is a seat voucher: it is used at checkout."), field="code")
    redemption = use(voucher, user_id=user.id, order_id=None, actor_id=actor_id)
    signals.exam_voucher_redeemed.send(
        user_id=user.id, track_id=voucher.batch.track_id, origin_ref=f"voucher:{voucher.id}"
    )
    return redemption


def start_seat_order(voucher: Voucher, user: User) -> Order:
    """Open a checkout for what a seat voucher is for, with the code applied."""
    from lms.partners.services import orders

    batch = voucher.batch
    if batch.kind != VoucherKind.SEAT:
        raise DomainError(_("This is an exam voucher. Redeem it on the voucher page."), field="code")
    _check_usable(voucher, user)
    if batch.class_id is not None:
        order = orders.start_class_order(user, batch.class_id, storefront_partner_id=voucher.partner_id)
    elif batch.course_version_id is not None:
        order = orders.start_elearning_order(user, batch.course_version_id, storefront_partner_id=voucher.partner_id)
    else:
        raise DomainError(_("This code is used at checkout: choose the class or course first."), field="code")
    orders.apply_code(order, voucher.code, user)
    return order


def redeem(code: str, user: User, *, actor_id: int | None) -> tuple[str, Order | None]:
    """A learner (or a partner for a learner) redeems a code: exam attempt, free seat, or a checkout."""
    from lms.partners.services import orders

    voucher = find(code)
    if voucher is None:
        raise DomainError(_("We do not know this code. Check it and try again."), field="code")
    if voucher.batch.kind == VoucherKind.EXAM:
        redeem_exam(voucher, user, actor_id=actor_id)
        return "exam", None
    order = start_seat_order(voucher, user)
    if order.total_amount == 0:
        orders.pay(order, provider_code="free", actor=db.session.get(User, actor_id) if actor_id else user)
        return "seat", order
    return "checkout", order


def redeem_for_learner(
    partner: Organisation, *, code: str, email: str, display_name: str, locale: str, actor: User
) -> tuple[str, User]:
    """A partner redeems one of its codes for a learner (created if new). The seat must be free."""
    voucher = find(code)
    if voucher is None or voucher.partner_id != partner.id:
        raise DomainError(_("This is not one of your codes."), field="code")
    learner, _created = find_or_create_learner(
        email, display_name=display_name, locale=locale, partner_name=partner.name
    )
    if voucher.batch.kind == VoucherKind.SEAT:
        order = start_seat_order(voucher, learner)
        if order.total_amount != 0:
            raise DomainError(
                _("This code gives a discount, not a free seat: the learner completes the checkout themselves."),
                field="code",
            )
        from lms.partners.services import orders

        orders.pay(order, provider_code="free", actor=actor)
        return "seat", learner
    redeem_exam(voucher, learner, actor_id=actor.id)
    return "exam", learner


# --- export --------------------------------------------------------------------------------------

EXPORT_HEADER = [
    "code",
    "kind",
    "batch",
    "client",
    "for",
    "discount_percent",
    "max_uses",
    "used",
    "assigned_email",
    "expires",
    "status",
]


def export_csv(vouchers: list[Voucher], locale: str = "en") -> str:
    rows = []
    for voucher in vouchers:
        batch = voucher.batch
        target = ""
        if batch.class_id:
            target = f"class {batch.class_id}"
        elif batch.course_version_id:
            version = db.session.get(CourseVersion, batch.course_version_id)
            target = version.title(locale) if version else ""
        elif batch.track_id:
            track = db.session.get(CertificationTrack, batch.track_id)
            target = track.name(locale) if track else ""
        rows.append(
            [
                voucher.code,
                batch.kind.value,
                batch.name,
                batch.client.name if batch.client else "",
                target,
                f"{batch.discount_bp / 100:g}",
                voucher.max_uses,
                voucher.used_count,
                voucher.assigned_email or "",
                batch.expires_at.date().isoformat() if batch.expires_at else "",
                status_of(voucher),
            ]
        )
    return write_csv(EXPORT_HEADER, rows)


def line_kind_label(kind: LineKind) -> str:
    return _("Class seat") if kind == LineKind.CLASS_SEAT else _("eLearning seat")
