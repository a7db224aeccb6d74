"""Your ledger: balances, journal lines and monthly statements — money in minor units with its currency."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import marshmallow as ma
from flask import abort

from lms.accounts.models import Organisation
from lms.api.framework import ResourceBlueprint, api_view
from lms.api.pagination import PageArgs, page_schema, paginate
from lms.api.resources.catalog import _locale
from lms.api.schemas import DAY_RANGE, MoneySchema, UTCDateTime, money
from lms.api.scopes import Scope
from lms.core.security import current_partner_id
from lms.extensions import db
from lms.partners import queries
from lms.partners.models import AccountKind, JournalLine
from lms.partners.services import ledger, statements

blp = ResourceBlueprint(
    "ledger",
    __name__,
    tag="Ledger",
    description="What the network owes your organisation: balances, journal lines and monthly statements.",
)


class BalanceSchema(ma.Schema):
    currency = ma.fields.String(required=True)
    pending = ma.fields.Nested(MoneySchema, required=True, metadata={"description": "Still in the refund window."})
    available = ma.fields.Nested(MoneySchema, required=True)
    total = ma.fields.Nested(MoneySchema, required=True)


class BalancesSchema(ma.Schema):
    data = ma.fields.List(ma.fields.Nested(BalanceSchema), required=True)


class LedgerLineSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    posted_at = UTCDateTime(required=True)
    available_at = UTCDateTime(required=True, metadata={"description": "When it leaves the refund window."})
    kind = ma.fields.String(required=True, metadata={"example": "sale"})
    role = ma.fields.String(
        required=True, metadata={"description": "Your part in it: delivering, reseller…", "example": "delivering"}
    )
    amount = ma.fields.Nested(MoneySchema, required=True, metadata={"description": "Positive: owed to you."})
    memo = ma.fields.String(required=True, allow_none=True)
    order_number = ma.fields.String(required=True, allow_none=True)
    class_id = ma.fields.Integer(required=True, allow_none=True)
    course_version_id = ma.fields.Integer(required=True, allow_none=True)
    quantity = ma.fields.Integer(required=True, allow_none=True)


class LedgerLineArgs(PageArgs):
    currency = ma.fields.String(validate=ma.validate.Regexp(r"^[A-Z]{3}$"))
    date_from = ma.fields.Date(data_key="from", metadata={"description": "First day posted (UTC)."})
    date_to = ma.fields.Date(data_key="to", metadata={"description": "Last day posted (UTC)."})


class StatementArgs(ma.Schema):
    year = ma.fields.Integer(required=True, validate=ma.validate.Range(min=2000, max=2100))
    month = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=12))


class StatementLineSchema(ma.Schema):
    posted_at = UTCDateTime(required=True)
    available_at = UTCDateTime(required=True)
    kind = ma.fields.String(required=True)
    role = ma.fields.String(required=True)
    order_number = ma.fields.String(required=True)
    description = ma.fields.String(required=True, metadata={"description": "In the caller's language."})
    amount = ma.fields.Nested(MoneySchema, required=True)


class StatementSectionSchema(ma.Schema):
    currency = ma.fields.String(required=True)
    opening = ma.fields.Nested(MoneySchema, required=True)
    credits = ma.fields.Nested(MoneySchema, required=True)
    debits = ma.fields.Nested(MoneySchema, required=True)
    closing = ma.fields.Nested(MoneySchema, required=True)
    lines = ma.fields.List(ma.fields.Nested(StatementLineSchema), required=True)


class StatementSchema(ma.Schema):
    year = ma.fields.Integer(required=True)
    month = ma.fields.Integer(required=True)
    period_start = UTCDateTime(required=True)
    period_end = UTCDateTime(required=True, metadata={"description": "Exclusive."})
    sections = ma.fields.List(
        ma.fields.Nested(StatementSectionSchema), required=True, metadata={"description": "One per currency."}
    )


class StatementMonthSchema(ma.Schema):
    year = ma.fields.Integer(required=True)
    month = ma.fields.Integer(required=True)


class StatementMonthsSchema(ma.Schema):
    data = ma.fields.List(ma.fields.Nested(StatementMonthSchema), required=True)


def _day_start(day: Any) -> datetime:
    day = min(max(day, DAY_RANGE.min), DAY_RANGE.max)  # days outside hold no postings
    return datetime.combine(day, time.min, tzinfo=UTC)


@blp.route("/ledger/balances")
@api_view(scope=Scope.LEDGER_READ)
@blp.response(200, BalancesSchema)
def get_balances() -> dict[str, Any]:
    """Get your balances

    Per currency: what the network owes you, split into pending (in the refund window) and available.
    """
    return {
        "data": [
            {
                "currency": b.currency,
                "pending": money(b.pending, b.currency),
                "available": money(b.available, b.currency),
                "total": money(b.total, b.currency),
            }
            for b in ledger.balances(AccountKind.PARTNER, current_partner_id())
        ]
    }


@blp.route("/ledger/lines")
@api_view(scope=Scope.LEDGER_READ)
@blp.arguments(LedgerLineArgs, location="query", as_kwargs=True)
@blp.response(200, page_schema(LedgerLineSchema, "LedgerLinePage"))
def list_lines(
    limit: int, cursor: str | None, currency: str | None = None, date_from: Any = None, date_to: Any = None
) -> dict[str, Any]:
    """List your journal lines

    Every posting to your account (sales, your share of resold seats, refunds), oldest first.
    Lines are never changed: a correction is a new line.
    """
    stmt = queries.partner_journal(current_partner_id())
    if currency is not None:
        stmt = stmt.where(JournalLine.currency == currency)
    if date_from is not None:
        stmt = stmt.where(JournalLine.posted_at >= _day_start(date_from))
    if date_to is not None:
        stmt = stmt.where(JournalLine.posted_at < _day_start(date_to) + timedelta(days=1))
    page = paginate(stmt, (JournalLine.id,), limit=limit, cursor=cursor, key_of=lambda row: (row[0].id,), rows=True)
    return {
        "data": [
            {
                "id": line.id,
                "posted_at": line.posted_at,
                "available_at": line.available_at,
                "kind": entry.kind,
                "role": line.role,
                "amount": money(line.amount, line.currency),
                "memo": entry.memo,
                "order_number": order.number if order is not None else None,
                "class_id": order_line.class_id if order_line is not None else None,
                "course_version_id": order_line.course_version_id if order_line is not None else None,
                "quantity": order_line.quantity if order_line is not None else None,
            }
            for line, entry, order, order_line in page.items
        ],
        "next_cursor": page.next_cursor,
    }


@blp.route("/ledger/statements")
@api_view(scope=Scope.LEDGER_READ)
@blp.response(200, StatementMonthsSchema)
def list_statement_months() -> dict[str, Any]:
    """List the months with a statement

    Months with postings on your account, latest first.
    """
    months = statements.months_with_activity(current_partner_id())
    return {"data": [{"year": year, "month": month} for year, month in months]}


@blp.route("/ledger/statement")
@api_view(scope=Scope.LEDGER_READ)
@blp.arguments(StatementArgs, location="query", as_kwargs=True)
@blp.response(200, StatementSchema)
def get_statement(year: int, month: int) -> dict[str, Any]:
    """Get a monthly statement

    The month's statement as on your Money page (and its CSV and PDF): per currency the opening
    balance, each line, credits, debits and the closing balance.
    """
    partner = db.session.get(Organisation, current_partner_id())
    if partner is None:
        abort(404)
    statement = statements.build(partner, year, month, _locale())
    return {
        "year": statement.year,
        "month": statement.month,
        "period_start": statement.start,
        "period_end": statement.end,
        "sections": [
            {
                "currency": s.currency,
                "opening": money(s.opening, s.currency),
                "credits": money(s.credits, s.currency),
                "debits": money(s.debits, s.currency),
                "closing": money(s.closing, s.currency),
                "lines": [
                    {
                        "posted_at": line.posted_at,
                        "available_at": line.available_at,
                        "kind": line.kind,
                        "role": line.role,
                        "order_number": line.order_number,
                        "description": line.description,
                        "amount": money(line.amount, s.currency),
                    }
                    for line in s.lines
                ],
            }
            for s in statement.sections
        ],
    }
