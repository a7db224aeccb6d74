"""The double-entry journal: accounts for every party, entries that sum to zero, never edited.

Sign convention: a positive amount credits the account's owner (the network owes it more); the
network's "payments received" account takes the opposite side. A party's balance is the sum of
its lines. Corrections are new entries that reverse old ones; rows are never updated or deleted
(a session hook refuses it).
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import enum_column
from lms.core.time import utcnow
from lms.extensions import db


class AccountKind(enum.StrEnum):
    #: Money received from buyers and not yet paid out (owner 0: the network).
    PAYMENTS = "payments"
    #: The certification body's revenue (owner: its organisation id, or 0 before it exists).
    BODY = "body"
    #: A partner's earnings (owner: the partner's organisation id).
    PARTNER = "partner"
    #: An affiliate's commissions (owner: the affiliate's id) — posted by the affiliates domain.
    AFFILIATE = "affiliate"


class LedgerAccount(db.Model):
    __tablename__ = "ledger_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AccountKind] = mapped_column(enum_column(AccountKind, 16))
    #: Id of the owner in the table its kind implies (no foreign key: owners live in several domains).
    owner_id: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("kind", "owner_id"),)


class JournalEntry(db.Model):
    """One posting. Its lines sum to zero in every currency (checked before insert and by tests)."""

    __tablename__ = "journal_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Posting the same business event twice is refused by this key ("sale:line:42", "refund:7").
    idempotency_key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(32), index=True)
    memo: Mapped[str | None] = mapped_column(sa.String(300))
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("orders.id"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(sa.ForeignKey("order_lines.id"))
    refund_id: Mapped[int | None] = mapped_column(sa.ForeignKey("refunds.id"))
    reverses_id: Mapped[int | None] = mapped_column(sa.ForeignKey("journal_entries.id"))
    posted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    lines: Mapped[list[JournalLine]] = relationship(back_populates="entry", order_by="JournalLine.id")


class JournalLine(db.Model):
    __tablename__ = "journal_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("journal_entries.id"), index=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("ledger_accounts.id"))
    currency: Mapped[str] = mapped_column(sa.String(3))
    amount: Mapped[int] = mapped_column(sa.BigInteger)
    #: What the line stands for in the sale: delivering, reseller, body, payment, affiliate…
    role: Mapped[str] = mapped_column(sa.String(20))
    #: Copied from the entry so statements can read one table.
    posted_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Pending until then (the refund window), available after.
    available_at: Mapped[datetime] = mapped_column(default=utcnow)

    entry: Mapped[JournalEntry] = relationship(back_populates="lines")
    account: Mapped[LedgerAccount] = relationship(lazy="joined")

    __table_args__ = (
        sa.Index("ix_journal_lines_account_posted", "account_id", "posted_at"),
        sa.CheckConstraint("amount <> 0", name="amount_not_zero"),
    )
