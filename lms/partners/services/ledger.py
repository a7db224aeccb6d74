"""The journal: post balanced entries once (idempotency keys), reverse them, read balances.

Accounts are keyed by (kind, owner id) so any domain can post to its parties: the certification
body, each partner, and each affiliate (the affiliates domain calls :func:`post` with
``AccountKind.AFFILIATE``). Entries are never edited; a session hook refuses updates and deletes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts import services as accounts
from lms.core.money import split_largest_remainder
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.models import (
    AccountKind,
    JournalEntry,
    JournalLine,
    LedgerAccount,
    OrderLine,
    Refund,
)


class LedgerError(RuntimeError):
    """A programming error: an unbalanced or malformed posting (never shown to users)."""


@dataclass(frozen=True)
class Posting:
    """One line to post: which party, how much (positive credits the party), and its role."""

    kind: AccountKind
    owner_id: int
    amount: int
    role: str
    available_at: datetime | None = None


# --- accounts ----------------------------------------------------------------------------------


def body_owner_id() -> int:
    body = accounts.certification_body()
    return body.id if body is not None else 0


def account(kind: AccountKind, owner_id: int) -> LedgerAccount:
    """The account of a party, created on first use (safe when two transactions race to create it)."""
    found = db.session.execute(
        sa.select(LedgerAccount).where(LedgerAccount.kind == kind, LedgerAccount.owner_id == owner_id)
    ).scalar_one_or_none()
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            created = LedgerAccount(kind=kind, owner_id=owner_id)
            db.session.add(created)
    except IntegrityError:
        return db.session.execute(
            sa.select(LedgerAccount).where(LedgerAccount.kind == kind, LedgerAccount.owner_id == owner_id)
        ).scalar_one()
    return created


def account_ids(keys: Iterable[tuple[AccountKind, int]]) -> dict[tuple[AccountKind, int], int]:
    """The ids of several parties' accounts in one query, creating those that do not exist yet."""
    wanted = set(keys)
    rows = db.session.execute(
        sa.select(LedgerAccount.kind, LedgerAccount.owner_id, LedgerAccount.id).where(
            sa.tuple_(LedgerAccount.kind, LedgerAccount.owner_id).in_(sorted(wanted))
        )
    ).all()
    found = {(AccountKind(kind), owner_id): account_id for kind, owner_id, account_id in rows}
    for kind, owner_id in sorted(wanted - found.keys()):
        found[(kind, owner_id)] = account(kind, owner_id).id
    return found


def account_id_of(kind: AccountKind, owner_id: int) -> int | None:
    return db.session.execute(
        sa.select(LedgerAccount.id).where(LedgerAccount.kind == kind, LedgerAccount.owner_id == owner_id)
    ).scalar_one_or_none()


# --- posting -----------------------------------------------------------------------------------


def existing_entry(idempotency_key: str) -> JournalEntry | None:
    return db.session.execute(
        sa.select(JournalEntry).where(JournalEntry.idempotency_key == idempotency_key)
    ).scalar_one_or_none()


def post(
    idempotency_key: str,
    *,
    kind: str,
    currency: str,
    postings: Iterable[Posting],
    memo: str | None = None,
    order_id: int | None = None,
    order_line_id: int | None = None,
    refund_id: int | None = None,
    reverses_id: int | None = None,
    posted_at: datetime | None = None,
) -> JournalEntry:
    """Post one balanced entry; posting the same key again returns the first entry unchanged."""
    found = existing_entry(idempotency_key)
    if found is not None:
        return found
    postings = [p for p in postings if p.amount != 0]
    if not postings:
        raise LedgerError("an entry needs at least one non-zero line")
    if sum(p.amount for p in postings) != 0:
        raise LedgerError(f"entry {idempotency_key} does not balance: {postings}")
    if len(currency) != 3 or not currency.isupper():
        raise LedgerError(f"not a currency: {currency!r}")
    now = posted_at or utcnow()
    entry = JournalEntry(
        idempotency_key=idempotency_key,
        kind=kind,
        memo=(memo or "")[:300] or None,
        order_id=order_id,
        order_line_id=order_line_id,
        refund_id=refund_id,
        reverses_id=reverses_id,
        posted_at=now,
    )
    accounts = account_ids((p.kind, p.owner_id) for p in postings)
    db.session.add(entry)
    db.session.flush()
    for p in postings:
        db.session.add(
            JournalLine(
                entry_id=entry.id,
                account_id=accounts[(p.kind, p.owner_id)],
                currency=currency,
                amount=p.amount,
                role=p.role,
                posted_at=now,
                available_at=p.available_at or now,
            )
        )
    db.session.flush()
    return entry


# --- sales and refunds -------------------------------------------------------------------------


def sale_parts(line: OrderLine, amount: int) -> dict[str, int]:
    """Split ``amount`` of a line three ways by its frozen shares (largest remainder: parts add up)."""
    delivering, reseller, body = split_largest_remainder(
        amount, [line.split_delivering_bp, line.split_reseller_bp, line.split_body_bp]
    )
    return {"delivering": delivering, "reseller": reseller, "body": body}


def _party_postings(
    line: OrderLine, parts: dict[str, int], sign: int, available_at: dict[str, datetime]
) -> list[Posting]:
    postings = []
    if parts["delivering"]:
        if line.delivering_partner_id is None:
            raise LedgerError("a delivering share without a delivering partner")
        postings.append(
            Posting(
                AccountKind.PARTNER,
                line.delivering_partner_id,
                sign * parts["delivering"],
                "delivering",
                available_at.get("delivering"),
            )
        )
    if parts["reseller"]:
        if line.reseller_id is None:
            raise LedgerError("a reseller share without a reseller")
        postings.append(
            Posting(
                AccountKind.PARTNER,
                line.reseller_id,
                sign * parts["reseller"],
                "reseller",
                available_at.get("reseller"),
            )
        )
    if parts["body"]:
        postings.append(
            Posting(AccountKind.BODY, body_owner_id(), sign * parts["body"], "body", available_at.get("body"))
        )
    return postings


def post_sale(line: OrderLine, *, refund_window_days: int, posted_at: datetime | None = None) -> JournalEntry | None:
    """Money received for one order line: the network's payments account pays out the three shares."""
    if line.net_amount == 0:
        return None
    now = posted_at or utcnow()
    pending_until = now + timedelta(days=refund_window_days)
    parts = sale_parts(line, line.net_amount)
    postings = [Posting(AccountKind.PAYMENTS, 0, -line.net_amount, "payment", now)]
    postings += _party_postings(line, parts, +1, dict.fromkeys(parts, pending_until))
    return post(
        f"sale:line:{line.id}",
        kind="sale",
        currency=line.order.currency,
        postings=postings,
        memo=f"{line.order.number} × {line.quantity}",
        order_id=line.order_id,
        order_line_id=line.id,
        posted_at=now,
    )


def post_refund(
    refund: Refund, line: OrderLine, *, refunded_before: int, posted_at: datetime | None = None
) -> JournalEntry | None:
    """Reverse part of a sale. The parties give back split(total refunded) − split(refunded before), so
    a line refunded in several steps ends exactly at zero for every party."""
    if refund.amount == 0:
        return None
    now = posted_at or utcnow()
    before = sale_parts(line, refunded_before)
    after = sale_parts(line, refunded_before + refund.amount)
    parts = {role: after[role] - before[role] for role in after}
    sale = existing_entry(f"sale:line:{line.id}")
    # A reversal inside the refund window nets out the pending amount when it would have become available.
    available_at: dict[str, datetime] = {}
    if sale is not None:
        for sale_line in sale.lines:
            available_at[sale_line.role] = max(sale_line.available_at, now)
    postings = [Posting(AccountKind.PAYMENTS, 0, refund.amount, "payment", now)]
    postings += _party_postings(line, parts, -1, available_at)
    return post(
        f"refund:{refund.id}:line:{line.id}",
        kind="refund",
        currency=refund.currency,
        postings=postings,
        memo=f"{line.order.number}",
        order_id=line.order_id,
        order_line_id=line.id,
        refund_id=refund.id,
        reverses_id=sale.id if sale is not None else None,
        posted_at=now,
    )


# --- reading -----------------------------------------------------------------------------------


@dataclass
class Balance:
    currency: str
    pending: int = 0
    available: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.available


def balances(kind: AccountKind, owner_id: int, at: datetime | None = None) -> list[Balance]:
    account_id = account_id_of(kind, owner_id)
    if account_id is None:
        return []
    at = at or utcnow()
    rows = db.session.execute(
        sa.select(
            JournalLine.currency,
            sa.func.coalesce(sa.func.sum(sa.case((JournalLine.available_at > at, JournalLine.amount), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(sa.case((JournalLine.available_at <= at, JournalLine.amount), else_=0)), 0),
        )
        .where(JournalLine.account_id == account_id)
        .group_by(JournalLine.currency)
        .order_by(JournalLine.currency)
    ).all()
    return [Balance(currency, int(pending), int(available)) for currency, pending, available in rows]


def account_total(kind: AccountKind, owner_id: int, currency: str, until: datetime | None = None) -> int:
    account_id = account_id_of(kind, owner_id)
    if account_id is None:
        return 0
    stmt = sa.select(sa.func.coalesce(sa.func.sum(JournalLine.amount), 0)).where(
        JournalLine.account_id == account_id, JournalLine.currency == currency
    )
    if until is not None:
        stmt = stmt.where(JournalLine.posted_at < until)
    return int(db.session.execute(stmt).scalar_one())


@dataclass
class Imbalance:
    #: Entries whose lines do not sum to zero in some currency.
    unbalanced_entries: int = 0
    #: Sum over all lines per currency (must be zero).
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def amount(self) -> int:
        return sum(abs(v) for v in self.totals.values())

    @property
    def ok(self) -> bool:
        return self.unbalanced_entries == 0 and self.amount == 0


def check_balance() -> Imbalance:
    """The journal's invariant, read from the database: every entry and the whole sum to zero."""
    per_entry = (
        sa.select(JournalLine.entry_id, JournalLine.currency)
        .group_by(JournalLine.entry_id, JournalLine.currency)
        .having(sa.func.sum(JournalLine.amount) != 0)
        .subquery()
    )
    unbalanced = db.session.execute(sa.select(sa.func.count()).select_from(per_entry)).scalar_one()
    totals = {
        currency: int(total)
        for currency, total in db.session.execute(
            sa.select(JournalLine.currency, sa.func.sum(JournalLine.amount)).group_by(JournalLine.currency)
        ).all()
    }
    return Imbalance(int(unbalanced), {c: t for c, t in totals.items() if t})


def network_totals() -> dict[str, dict[str, int]]:
    """currency → {"sales": gross received, "refunds": …, "body": …, "partners": …} for staff."""
    rows = db.session.execute(
        sa.select(LedgerAccount.kind, JournalLine.role, JournalLine.currency, sa.func.sum(JournalLine.amount))
        .join(LedgerAccount, LedgerAccount.id == JournalLine.account_id)
        .group_by(LedgerAccount.kind, JournalLine.role, JournalLine.currency)
    ).all()
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for kind, _role, currency, amount in rows:
        if kind == AccountKind.PAYMENTS:
            totals[currency]["received"] += -int(amount)
        elif kind == AccountKind.BODY:
            totals[currency]["body"] += int(amount)
        elif kind == AccountKind.PARTNER:
            totals[currency]["partners"] += int(amount)
        elif kind == AccountKind.AFFILIATE:
            totals[currency]["affiliates"] += int(amount)
    return {c: dict(v) for c, v in sorted(totals.items())}


# --- never edited ------------------------------------------------------------------------------


@event.listens_for(Session, "before_flush")
def _refuse_journal_edits(session: Session, _context: object, _instances: object) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, JournalEntry | JournalLine) and (obj in session.deleted or session.is_modified(obj)):
            raise LedgerError("journal rows are never edited or deleted; post a reversal instead")
