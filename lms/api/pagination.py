"""Cursor pagination: ``?limit=&cursor=`` in, ``{"data": [...], "next_cursor": ...}`` out.

Pages are keyset pages over a unique, stable ordering (``(sort value…, id)``), so walking them
returns every row once — no duplicate and no gap even while rows are added. The cursor is the last
row's keys, signed (opaque to callers, tamper-evident) and bound to the endpoint that issued it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask import current_app, request
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from lms.api.errors import ApiError
from lms.api.schemas import NO_NUL
from lms.extensions import db

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
#: With a Python-side filter, read at most this many rows per page before answering with what was found.
SCAN_BUDGET = 5000


class PageArgs(ma.Schema):
    limit = ma.fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=ma.validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": f"Items per page (1–{MAX_LIMIT}, default {DEFAULT_LIMIT})."},
    )
    cursor = ma.fields.String(
        load_default=None,
        validate=[ma.validate.Length(max=500), NO_NUL],
        metadata={"description": "The `next_cursor` of the previous page; omit it for the first page."},
    )


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The envelope of one page of ``item_schema`` items (a named schema, so it appears once in the spec)."""
    return ma.Schema.from_dict(
        {
            "data": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "next_cursor": ma.fields.String(
                required=True,
                allow_none=True,
                metadata={"description": "Pass it as `cursor` for the next page; null on the last page."},
            ),
        },
        name=name,
    )


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="lms.api.cursor")


def _key_to_json(value: Any) -> Any:
    # A time sort key (the schedule orders by start) travels as {"t": ISO 8601} and comes back as a datetime.
    return {"t": value.isoformat()} if isinstance(value, datetime) else value


def _key_from_json(value: Any) -> Any:
    if isinstance(value, dict):
        try:
            return datetime.fromisoformat(value["t"])
        except (KeyError, TypeError, ValueError):
            return None
    return value


def encode_cursor(values: Sequence[Any]) -> str:
    return _serializer().dumps({"e": request.endpoint, "k": [_key_to_json(v) for v in values]})


def decode_cursor(cursor: str, width: int) -> list[Any]:
    invalid = ApiError(
        422,
        "invalid_cursor",
        _("This cursor is not valid here. Start again without a cursor."),
        fields={"cursor": [_("This cursor is not valid here. Start again without a cursor.")]},
    )
    try:
        data = _serializer().loads(cursor)
    except BadSignature as exc:
        raise invalid from exc
    if not isinstance(data, dict) or data.get("e") != request.endpoint:
        raise invalid
    keys = data.get("k")
    if not isinstance(keys, list) or len(keys) != width:
        raise invalid
    keys = [_key_from_json(k) for k in keys]
    if any(k is None for k in keys):
        raise invalid
    return keys


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"data": self.items, "next_cursor": self.next_cursor}


def paginate(
    stmt: sa.Select[Any],
    order_by: Sequence[Any],
    *,
    limit: int,
    cursor: str | None,
    key_of: Callable[[Any], Sequence[Any]],
    keep: Callable[[Any], bool] | None = None,
    rows: bool = False,
) -> Page:
    """One keyset page of ``stmt`` ordered (ascending) by ``order_by`` (its last column must be unique).

    ``key_of(row)`` returns the row's values of ``order_by`` (JSON-serialisable, or datetimes). ``keep`` filters rows
    in Python for conditions SQL cannot say portably (values inside JSON lists); pages then read on
    until they are full, so a filter never makes a page short except the last one. ``rows``: items
    are whole result rows (a statement selecting several entities), not the first entity.
    """
    if cursor:
        after = decode_cursor(cursor, len(order_by))
        stmt = stmt.where(_after(order_by, after))
    stmt = stmt.order_by(*order_by)

    def fetch(statement: sa.Select[Any]) -> list[Any]:
        result = db.session.execute(statement)
        return list(result.all() if rows else result.scalars())

    if keep is None:
        found = fetch(stmt.limit(limit + 1))
        has_more = len(found) > limit
        found = found[:limit]
        return Page(found, encode_cursor(key_of(found[-1])) if has_more and found else None)
    kept: list[Any] = []
    scanned = 0
    last = None
    batch = max(limit * 2, 50)
    while scanned < SCAN_BUDGET:
        page_stmt = stmt
        if last is not None:
            page_stmt = page_stmt.where(_after(order_by, key_of(last)))
        batch_rows = fetch(page_stmt.limit(batch))
        if not batch_rows:
            return Page(kept, None)
        for row in batch_rows:
            scanned += 1
            last = row
            if keep(row):
                kept.append(row)
                if len(kept) == limit:
                    return Page(kept, encode_cursor(key_of(row)))
        if len(batch_rows) < batch:
            return Page(kept, None)
    # Budget spent: answer what was found with a cursor after the last row read.
    return Page(kept, encode_cursor(key_of(last)) if last is not None else None)


def _after(order_by: Sequence[Any], values: Sequence[Any]) -> sa.ColumnElement[bool]:
    """``(columns…) > (values…)``, each value bound with its column's type (times go through UTCDateTime)."""
    literals = [
        sa.literal(value, type_=getattr(column, "type", None)) for column, value in zip(order_by, values, strict=True)
    ]
    return sa.tuple_(*order_by) > sa.tuple_(*literals)
