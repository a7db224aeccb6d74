"""Monthly statements of a partner's ledger account: CSV for accounting, a co-branded PDF to read."""

from __future__ import annotations

import calendar as cal
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale

from lms.accounts import services as accounts
from lms.accounts.models import Organisation
from lms.core.csvio import write_csv
from lms.core.pdf import render_pdf
from lms.extensions import db
from lms.partners.models import AccountKind, JournalEntry, JournalLine, Order, OrderLine
from lms.partners.services import branding as branding_service
from lms.partners.services import ledger


@dataclass
class StatementLine:
    posted_at: datetime
    kind: str
    role: str
    order_number: str
    description: str
    amount: int
    available_at: datetime


@dataclass
class CurrencySection:
    currency: str
    opening: int = 0
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def credits(self) -> int:
        return sum(line.amount for line in self.lines if line.amount > 0)

    @property
    def debits(self) -> int:
        return sum(line.amount for line in self.lines if line.amount < 0)

    @property
    def closing(self) -> int:
        return self.opening + sum(line.amount for line in self.lines)


@dataclass
class Statement:
    partner: Organisation
    year: int
    month: int
    start: datetime
    end: datetime
    sections: list[CurrencySection]


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValueError("month out of range")
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + (month == 12), 1 if month == 12 else month + 1, 1, tzinfo=UTC)
    return start, end


def build(partner: Organisation, year: int, month: int, locale: str = "en") -> Statement:
    start, end = month_bounds(year, month)
    account_id = ledger.account_id_of(AccountKind.PARTNER, partner.id)
    sections: dict[str, CurrencySection] = {}
    if account_id is not None:
        openings = db.session.execute(
            sa.select(JournalLine.currency, sa.func.sum(JournalLine.amount))
            .where(JournalLine.account_id == account_id, JournalLine.posted_at < start)
            .group_by(JournalLine.currency)
        ).all()
        for currency, total in openings:
            sections[currency] = CurrencySection(currency, int(total))
        rows = db.session.execute(
            sa.select(JournalLine, JournalEntry, Order, OrderLine)
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .outerjoin(Order, Order.id == JournalEntry.order_id)
            .outerjoin(OrderLine, OrderLine.id == JournalEntry.order_line_id)
            .where(JournalLine.account_id == account_id, JournalLine.posted_at >= start, JournalLine.posted_at < end)
            .order_by(JournalLine.posted_at, JournalLine.id)
        ).all()
        for line, entry, order, order_line in rows:
            description = ""
            if order_line is not None:
                title = order_line.course_version.title(locale) if order_line.course_version else ""
                seats = f" × {order_line.quantity}" if order_line.quantity > 1 else ""
                where = f" · #{order_line.class_id}" if order_line.class_id else ""
                description = f"{title}{where}{seats}"
            section = sections.setdefault(line.currency, CurrencySection(line.currency))
            section.lines.append(
                StatementLine(
                    posted_at=line.posted_at,
                    kind=entry.kind,
                    role=line.role,
                    order_number=order.number if order is not None and order.number else "",
                    description=description,
                    amount=line.amount,
                    available_at=line.available_at,
                )
            )
    return Statement(partner, year, month, start, end, [sections[c] for c in sorted(sections)])


def to_csv(statement: Statement) -> str:
    rows = []
    for section in statement.sections:
        rows.append(
            [statement.start.date().isoformat(), "opening_balance", "", "", "", section.currency, section.opening, ""]
        )
        for line in section.lines:
            rows.append(
                [
                    line.posted_at.strftime("%Y-%m-%d %H:%M"),
                    line.kind,
                    line.role,
                    line.order_number,
                    line.description,
                    section.currency,
                    line.amount,
                    line.available_at.date().isoformat(),
                ]
            )
        rows.append(
            [statement.end.date().isoformat(), "closing_balance", "", "", "", section.currency, section.closing, ""]
        )
    header = ["date", "type", "role", "order", "description", "currency", "amount_minor_units", "available_from"]
    return write_csv(header, rows)


def to_pdf(statement: Statement, locale: str = "en") -> bytes:
    from lms.core.i18n import text_direction

    row = branding_service.branding_row(statement.partner.id)
    body = accounts.certification_body()
    with force_locale(locale):
        html = render_template(
            "partners/pdf/statement.html",
            statement=statement,
            branding=row,
            logo=branding_service.image_data_uri(row.logo_key if row else None),
            body_name=body.name if body else "",
            month_name=cal.month_name[statement.month],
            locale=locale,
            direction=text_direction(locale),
        )
    return render_pdf(html)


def months_with_activity(partner_id: int) -> list[tuple[int, int]]:
    account_id = ledger.account_id_of(AccountKind.PARTNER, partner_id)
    if account_id is None:
        return []
    dates = db.session.execute(sa.select(JournalLine.posted_at).where(JournalLine.account_id == account_id)).scalars()
    months: dict[tuple[int, int], int] = defaultdict(int)
    for posted in dates:
        months[(posted.year, posted.month)] += 1
    return sorted(months, reverse=True)
