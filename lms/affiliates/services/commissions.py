"""Commissions: which rule pays, how much, the ledger postings, and the lifecycle.

pending (holding period) → approved (by the periodic task, unless a fraud flag holds it) → paid (in a
payout batch). A refund before payout voids the commission (and a partial refund re-issues it on
what is left); a refund after payout adds a negative *clawback* commission, approved at once, that
comes off the next payout. Every change of amount is a journal entry through the partners' ledger
service with its own idempotency key, so the affiliate's ledger balance always equals the sum of
their unpaid commissions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from lms.affiliates.models import (
    UNPAID,
    Affiliate,
    AffiliateProgramme,
    AffiliateStatus,
    Commission,
    CommissionEvent,
    CommissionKind,
    CommissionRule,
    CommissionStatus,
    FlagStatus,
    FraudFlag,
    OrderAttribution,
    Payer,
    Payout,
    PayoutItem,
    PayoutStatus,
)
from lms.core import audit, signals
from lms.core.i18n import money
from lms.core.mail import send_mail
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.models import AccountKind, OrderLine
from lms.partners.services import ledger

# --- rules ---------------------------------------------------------------------------------------


def month_start(at: datetime) -> datetime:
    return at.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def previous_month(at: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the calendar month (UTC) before ``at``."""
    end = month_start(at)
    return month_start(end - timedelta(days=1)), end


def previous_month_sales(affiliate_id: int, at: datetime) -> int:
    """Orders credited to the affiliate last month that still earn (not refunded away, not rejected)."""
    start, end = previous_month(at)
    earning = (
        sa.select(Commission.id)
        .where(
            Commission.order_id == OrderAttribution.order_id,
            Commission.affiliate_id == affiliate_id,
            Commission.kind == CommissionKind.SALE,
            Commission.status.not_in([CommissionStatus.VOIDED, CommissionStatus.REJECTED]),
        )
        .exists()
    )
    return int(
        db.session.execute(
            sa.select(sa.func.count(OrderAttribution.id)).where(
                OrderAttribution.affiliate_id == affiliate_id,
                OrderAttribution.decided_at >= start,
                OrderAttribution.decided_at < end,
                earning,
            )
        ).scalar_one()
    )


def select_rule(affiliate: Affiliate, product_kind: str, currency: str, monthly_sales: int) -> CommissionRule | None:
    """The most specific active rule: an affiliate's own over the programme's, a product kind over
    "any", then the highest volume tier reached last month (ties: the newest rule)."""
    rules = db.session.execute(
        sa.select(CommissionRule).where(
            CommissionRule.programme_id == affiliate.programme_id,
            CommissionRule.active.is_(True),
            sa.or_(CommissionRule.affiliate_id.is_(None), CommissionRule.affiliate_id == affiliate.id),
            sa.or_(CommissionRule.product_kind.is_(None), CommissionRule.product_kind == product_kind),
            CommissionRule.min_monthly_sales <= monthly_sales,
        )
    ).scalars()
    usable = [r for r in rules if r.flat_amount is None or r.currency == currency]
    if not usable:
        return None
    return max(
        usable,
        key=lambda r: (r.affiliate_id is not None, r.product_kind is not None, r.min_monthly_sales, r.id),
    )


@dataclass(frozen=True)
class PayerShare:
    kind: AccountKind
    owner_id: int
    #: The part of the sale's split it comes out of ("body", "delivering", "reseller").
    role: str


def payer_of(payer: Payer, programme: AffiliateProgramme, line: OrderLine) -> PayerShare:
    """Whose share pays: the body for the network programme, the partner for its own (unless the rule
    says otherwise)."""
    if payer == Payer.DEFAULT:
        payer = Payer.BODY if programme.partner_id is None else Payer.PARTNER
    if payer == Payer.PARTNER:
        partner_id = programme.partner_id or line.delivering_partner_id or line.reseller_id
        if partner_id is not None and partner_id in (line.delivering_partner_id, line.reseller_id):
            role = "delivering" if partner_id == line.delivering_partner_id else "reseller"
            return PayerShare(AccountKind.PARTNER, partner_id, role)
    return PayerShare(AccountKind.BODY, ledger.body_owner_id(), "body")


def amount_due(snapshot: dict[str, Any], line: OrderLine, base: int, quantity: int) -> int:
    """The commission on ``base`` (after discounts, before tax) and ``quantity`` seats of a line,
    never more than the payer's share of that amount."""
    if base <= 0 or quantity <= 0:
        return 0
    if snapshot.get("rate_bp") is not None:
        amount = base * int(snapshot["rate_bp"]) // 10000
    else:
        amount = int(snapshot["flat_amount"]) * quantity
    share = ledger.sale_parts(line, base).get(snapshot["payer_role"], 0)
    return max(0, min(amount, base, share))


def snapshot_of(
    rule: CommissionRule, payer: PayerShare, line: OrderLine, monthly_sales: int, product_kind: str
) -> dict[str, Any]:
    return {
        "rule_id": rule.id,
        "name": rule.name,
        "rate_bp": rule.rate_bp,
        "flat_amount": rule.flat_amount,
        "currency": rule.currency,
        "product_kind": product_kind,
        "rule_product_kind": rule.product_kind.value if rule.product_kind else None,
        "for_affiliate": rule.affiliate_id is not None,
        "tier_min_sales": rule.min_monthly_sales,
        "previous_month_sales": monthly_sales,
        "payer": payer.kind.value,
        "payer_owner_id": payer.owner_id,
        "payer_role": payer.role,
    }


# --- ledger --------------------------------------------------------------------------------------


def _post(
    commission: Commission, key: str, *, sign: int, kind: str, available_at: datetime, memo: str, posted_at: datetime
) -> Any:
    """The affiliate's share moves from the payer's account to the affiliate's (``sign`` -1: back)."""
    amount = sign * commission.amount
    original = ledger.existing_entry(f"commission:{commission.id}") if sign < 0 else None
    payer = AccountKind(commission.payer_kind)
    return ledger.post(
        key,
        kind=kind,
        currency=commission.currency,
        postings=[
            ledger.Posting(payer, commission.payer_owner_id, -amount, "affiliate", available_at),
            ledger.Posting(AccountKind.AFFILIATE, commission.affiliate_id, amount, "commission", available_at),
        ],
        memo=memo,
        order_id=commission.order_id,
        order_line_id=commission.order_line_id,
        reverses_id=original.id if original is not None else None,
        posted_at=posted_at,
    )


def record_status(
    commission: Commission, status: CommissionStatus, at: datetime, *, actor_id: int | None, note: str = ""
) -> None:
    """Change the status and keep the change, with its date, in the history the affiliate sees."""
    commission.status = status
    commission.events.append(CommissionEvent(status=status, at=at, actor_id=actor_id, note=note[:300] or None))


# --- creating ------------------------------------------------------------------------------------


def create(
    affiliate: Affiliate,
    line: OrderLine,
    *,
    amount: int,
    snapshot: dict[str, Any],
    rule_id: int | None,
    base: int,
    now: datetime,
    hold_until: datetime,
    kind: CommissionKind = CommissionKind.SALE,
    corrects: Commission | None = None,
    status: CommissionStatus = CommissionStatus.PENDING,
    note: str = "",
) -> Commission:
    commission = Commission(
        affiliate_id=affiliate.id,
        programme_id=affiliate.programme_id,
        partner_id=affiliate.partner_id,
        kind=kind,
        order_id=line.order_id,
        order_line_id=line.id,
        delivering_partner_id=line.delivering_partner_id,
        reseller_id=line.reseller_id,
        rule_id=rule_id,
        rule_snapshot=snapshot,
        base_amount=base,
        amount=amount,
        currency=line.order.currency,
        payer_kind=snapshot["payer"],
        payer_owner_id=snapshot["payer_owner_id"],
        status=status,
        created_at=now,
        hold_until=hold_until,
        approved_at=now if status == CommissionStatus.APPROVED else None,
        corrects_id=corrects.id if corrects else None,
    )
    db.session.add(commission)
    db.session.flush()
    record_status(commission, status, now, actor_id=None, note=note)
    kind_label = "clawback" if kind == CommissionKind.CLAWBACK else "commission"
    _post(
        commission,
        f"commission:{commission.id}",
        sign=1,
        kind=kind_label,
        available_at=hold_until,
        memo=f"{line.order.number} {kind_label} {affiliate.code}",
        posted_at=now,
    )
    db.session.flush()
    if kind == CommissionKind.SALE and open_flags(commission):
        hold(commission, now=now, note="fraud review")  # an affiliate under review earns on hold
    return commission


def earn(affiliate: Affiliate, line: OrderLine, *, now: datetime) -> Commission | None:
    """The commission for one order line credited to ``affiliate`` (None: no rule or nothing due)."""
    programme = affiliate.programme
    product_kind = line.kind.value
    monthly = previous_month_sales(affiliate.id, now)
    rule = select_rule(affiliate, product_kind, line.order.currency, monthly)
    if rule is None:
        return None
    payer = payer_of(rule.payer, programme, line)
    snapshot = snapshot_of(rule, payer, line, monthly, product_kind)
    base = line.net_amount - line.refunded_amount
    quantity = line.quantity - line.refunded_quantity
    amount = amount_due(snapshot, line, base, quantity)
    if amount <= 0:
        return None
    uncapped = base * rule.rate_bp // 10000 if rule.rate_bp is not None else (rule.flat_amount or 0) * quantity
    snapshot["capped"] = amount < uncapped
    return create(
        affiliate,
        line,
        amount=amount,
        snapshot=snapshot,
        rule_id=rule.id,
        base=base,
        now=now,
        hold_until=now + timedelta(days=programme.holding_days),
    )


# --- holding, approving --------------------------------------------------------------------------


def open_flags(commission: Commission) -> list[FraudFlag]:
    return list(
        db.session.execute(
            sa.select(FraudFlag).where(
                FraudFlag.status == FlagStatus.OPEN,
                FraudFlag.affiliate_id == commission.affiliate_id,
                sa.or_(FraudFlag.commission_id.is_(None), FraudFlag.commission_id == commission.id),
            )
        ).scalars()
    )


def _detach_from_open_payout(commission: Commission) -> None:
    if commission.payout_id is None:
        return
    payout = db.session.get(Payout, commission.payout_id)
    commission.payout_id = None
    if payout is None or payout.status != PayoutStatus.OPEN:
        return
    db.session.flush()
    recount_payout(payout)


def recount_payout(payout: Payout) -> None:
    for item in list(payout.items):
        amount, count = db.session.execute(
            sa.select(sa.func.coalesce(sa.func.sum(Commission.amount), 0), sa.func.count(Commission.id)).where(
                Commission.payout_id == payout.id,
                Commission.affiliate_id == item.affiliate_id,
                Commission.currency == item.currency,
            )
        ).one()
        if count == 0:
            payout.items.remove(item)
        else:
            item.amount, item.commission_count = int(amount), int(count)
    db.session.flush()


def hold(commission: Commission, *, now: datetime, note: str) -> None:
    """A fraud flag stops the commission where it is until staff decide."""
    if commission.status not in (CommissionStatus.PENDING, CommissionStatus.APPROVED):
        return
    _detach_from_open_payout(commission)
    record_status(commission, CommissionStatus.ON_HOLD, now, actor_id=None, note=note)


def release(commission: Commission, *, now: datetime, actor_id: int | None, note: str = "") -> None:
    """No flag holds it any more: back to pending, or approved if its holding period is over."""
    if commission.status != CommissionStatus.ON_HOLD or open_flags(commission):
        return
    if commission.hold_until <= now and commission.affiliate.status == AffiliateStatus.APPROVED:
        approve(commission, now=now, actor_id=actor_id, note=note)
    else:
        record_status(commission, CommissionStatus.PENDING, now, actor_id=actor_id, note=note)


def approve(commission: Commission, *, now: datetime, actor_id: int | None = None, note: str = "") -> None:
    commission.approved_at = now
    record_status(commission, CommissionStatus.APPROVED, now, actor_id=actor_id, note=note)
    db.session.flush()
    signals.commission_approved.send(commission_id=commission.id, affiliate_id=commission.affiliate_id)
    if commission.kind == CommissionKind.SALE:
        user = commission.affiliate.user
        order = commission_order(commission)
        send_mail(
            user.email,
            "commission_approved",
            user.locale,
            display_name=user.display_name,
            amount=money(commission.amount, commission.currency, user.locale),
            number=order.number if order else "",
            url=f"{current_app.config['BASE_URL']}/affiliates/dashboard",
        )


def commission_order(commission: Commission) -> Any:
    from lms.partners.models import Order

    return db.session.get(Order, commission.order_id)


def approve_due(now: datetime | None = None) -> list[int]:
    """Approve every pending commission past its holding period (flagged ones are on hold instead)."""
    now = now or utcnow()
    due = db.session.execute(
        sa.select(Commission)
        .join(Affiliate, Affiliate.id == Commission.affiliate_id)
        .where(
            Commission.status == CommissionStatus.PENDING,
            Commission.hold_until <= now,
            Affiliate.status == AffiliateStatus.APPROVED,
        )
        .order_by(Commission.id)
        .with_for_update(of=Commission, skip_locked=True)
    ).scalars()
    approved = []
    for commission in due:
        if open_flags(commission):
            hold(commission, now=now, note="fraud review")
            continue
        approve(commission, now=now)
        approved.append(commission.id)
    return approved


# --- voiding and refunds -------------------------------------------------------------------------


def reverse(
    commission: Commission, *, now: datetime, status: CommissionStatus, actor_id: int | None, note: str
) -> None:
    """Void (refund) or reject (fraud) an unpaid commission: a reversing entry takes the amount back."""
    if commission.status not in UNPAID:
        raise ValueError(f"commission {commission.id} is {commission.status}; only unpaid ones are reversed")
    _detach_from_open_payout(commission)
    previous = ledger.existing_entry(f"commission:{commission.id}")
    available_at = max(previous.lines[0].available_at, now) if previous is not None and previous.lines else now
    _post(
        commission,
        f"commission:{commission.id}:reversal",
        sign=-1,
        kind="commission_reversal",
        available_at=available_at,
        memo=f"{status.value} commission {commission.id}",
        posted_at=now,
    )
    commission.voided_at = now
    record_status(commission, status, now, actor_id=actor_id, note=note)
    db.session.flush()


def reconcile_line(line: OrderLine, *, now: datetime | None = None, note: str = "refund") -> None:
    """Bring a line's commissions to what the line still earns after its refunds.

    Unpaid commissions are voided (and re-issued on what is left); what was already paid is
    corrected by a negative commission. Running it twice changes nothing.
    """
    now = now or utcnow()
    chain = list(
        db.session.execute(
            sa.select(Commission)
            .where(
                Commission.order_line_id == line.id,
                Commission.status.not_in([CommissionStatus.VOIDED, CommissionStatus.REJECTED]),
            )
            .order_by(Commission.id)
        ).scalars()
    )
    if not chain:
        return
    origin = next((c for c in chain if c.kind == CommissionKind.SALE), chain[0])
    due = amount_due(
        origin.rule_snapshot,
        line,
        line.net_amount - line.refunded_amount,
        line.quantity - line.refunded_quantity,
    )
    if due == sum(c.amount for c in chain):
        return
    unpaid_sales = [c for c in chain if c.kind == CommissionKind.SALE and c.status in UNPAID]
    was_approved = any(c.status == CommissionStatus.APPROVED for c in unpaid_sales)
    for commission in unpaid_sales:
        reverse(commission, now=now, status=CommissionStatus.VOIDED, actor_id=None, note=note)
    settled = sum(c.amount for c in chain if c not in unpaid_sales)
    difference = due - settled
    affiliate = origin.affiliate
    if difference > 0:
        replacement = create(
            affiliate,
            line,
            amount=difference,
            snapshot=origin.rule_snapshot,
            rule_id=origin.rule_id,
            base=line.net_amount - line.refunded_amount,
            now=now,
            hold_until=origin.hold_until,
            corrects=unpaid_sales[-1] if unpaid_sales else origin,
            status=CommissionStatus.APPROVED if was_approved else CommissionStatus.PENDING,
            note="partial refund: re-issued on the amount left",
        )
        for flag in db.session.execute(
            sa.select(FraudFlag).where(
                FraudFlag.status == FlagStatus.OPEN, FraudFlag.commission_id.in_([c.id for c in unpaid_sales])
            )
        ).scalars():
            flag.commission_id = replacement.id  # the review continues on the re-issued commission
        if open_flags(replacement):
            hold(replacement, now=now, note="fraud review")
    elif difference < 0:
        create(
            affiliate,
            line,
            amount=difference,
            snapshot=origin.rule_snapshot,
            rule_id=origin.rule_id,
            base=line.net_amount - line.refunded_amount,
            now=now,
            hold_until=now,
            kind=CommissionKind.CLAWBACK,
            corrects=origin,
            status=CommissionStatus.APPROVED,
            note="refund after payout: comes off the next payout",
        )
    audit.record(
        "affiliates.commission_reconciled",
        subject=line,
        subject_type="OrderLine",
        partner_id=affiliate.partner_id,
        details={"due": due, "settled": settled, "difference": difference},
    )


def apply_refund(refund_id: int) -> None:
    from lms.partners.models import Refund

    refund = db.session.get(Refund, refund_id)
    if refund is None:
        return
    lines = (
        [db.session.get(OrderLine, refund.line_id)]
        if refund.line_id
        else list(db.session.execute(sa.select(OrderLine).where(OrderLine.order_id == refund.order_id)).scalars())
    )
    for line in lines:
        if line is not None:
            reconcile_line(line, now=utcnow(), note=f"refund {refund.id}: {refund.reason}"[:300])


# --- balances ------------------------------------------------------------------------------------


def unpaid_totals(affiliate_id: int) -> dict[str, int]:
    """currency → what the affiliate is still owed (pending, on hold, approved, clawbacks included)."""
    rows = db.session.execute(
        sa.select(Commission.currency, sa.func.sum(Commission.amount))
        .where(Commission.affiliate_id == affiliate_id, Commission.status.in_(UNPAID))
        .group_by(Commission.currency)
    ).all()
    return {currency: int(total) for currency, total in rows if total}


def ledger_totals(affiliate_id: int) -> dict[str, int]:
    """currency → the affiliate's balance on the journal (must equal :func:`unpaid_totals`)."""
    return {b.currency: b.total for b in ledger.balances(AccountKind.AFFILIATE, affiliate_id) if b.total != 0}


def payout_items_total(affiliate_id: int) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(PayoutItem.currency, sa.func.sum(PayoutItem.amount))
        .join(Payout, Payout.id == PayoutItem.payout_id)
        .where(PayoutItem.affiliate_id == affiliate_id, Payout.status == PayoutStatus.PAID)
        .group_by(PayoutItem.currency)
    ).all()
    return {currency: int(total) for currency, total in rows}
