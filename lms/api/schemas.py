"""Shapes shared by every resource: times in UTC, money, error objects."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import marshmallow as ma
from flask_babel import lazy_gettext as _l


class UTCDateTime(ma.fields.DateTime):
    """ISO 8601 in UTC with a ``Z`` (``2026-03-01T09:30:00Z``); input must carry an offset."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="iso", **kwargs)

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        result = super()._deserialize(value, attr, data, **kwargs)
        if result.tzinfo is None:
            raise self.make_error("invalid")
        return result.astimezone(UTC)


#: Text without NUL characters: PostgreSQL cannot store or compare them, and the document says so (a pattern).
NO_NUL = ma.validate.Regexp(r"^[^\x00]*$", error=_l("Enter text."))

#: Days the API accepts (dates far outside it cannot be turned into times in every time zone).
DAY_RANGE = ma.validate.Range(min=date(2000, 1, 1), max=date(2100, 12, 31))


class MoneySchema(ma.Schema):
    amount = ma.fields.Integer(
        required=True, metadata={"description": "Integer minor units (cents): 49900 EUR is €499.00."}
    )
    currency = ma.fields.String(required=True, metadata={"description": "ISO 4217 code.", "example": "EUR"})


def money(amount: int | None, currency: str) -> dict[str, Any] | None:
    return None if amount is None else {"amount": amount, "currency": currency}


class ErrorDetailSchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "Stable machine-readable code."})
    message = ma.fields.String(required=True, metadata={"description": "For people, in the caller's language."})
    fields = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        required=True,
        metadata={"description": "Messages per field path (`rows.3.email`); empty when not about fields."},
    )


class ErrorSchema(ma.Schema):
    error = ma.fields.Nested(ErrorDetailSchema, required=True)
