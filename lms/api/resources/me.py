"""The signed-in learner's own data, for the learner's browser session (not for API keys)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask_login import current_user

from lms.accounts import services as accounts
from lms.api.framework import ResourceBlueprint, api_view
from lms.api.pagination import PageArgs, page_schema, paginate
from lms.api.resources.enrolments import EnrolmentSchema, enrolment_data, with_course_version
from lms.api.schemas import NO_NUL
from lms.core.i18n import LANGUAGES
from lms.courses.models import Enrolment

blp = ResourceBlueprint(
    "me",
    __name__,
    tag="Me",
    description="The signed-in learner's profile and enrolments (browser session; writes need X-CSRFToken).",
)


class MeSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    email = ma.fields.String(required=True)
    display_name = ma.fields.String(required=True)
    legal_name = ma.fields.String(required=True)
    legal_name_latin = ma.fields.String(required=True, allow_none=True)
    locale = ma.fields.String(required=True)
    timezone = ma.fields.String(required=True)
    roles = ma.fields.List(ma.fields.String(), required=True)


class MeUpdateSchema(ma.Schema):
    display_name = ma.fields.String(validate=[ma.validate.Length(min=1, max=120), NO_NUL])
    locale = ma.fields.String(validate=ma.validate.OneOf(list(LANGUAGES)))
    timezone = ma.fields.String(validate=[ma.validate.Length(min=1, max=64), NO_NUL])


def me_data() -> dict[str, Any]:
    user = current_user
    return {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "legal_name": user.legal_name,
        "legal_name_latin": user.legal_name_latin,
        "locale": user.locale,
        "timezone": user.timezone,
        "roles": sorted(role.value for role in user.roles),
    }


@blp.route("/me")
@api_view(auth="session")
@blp.response(200, MeSchema)
def get_me() -> dict[str, Any]:
    """Get my profile"""
    return me_data()


@blp.route("/me", methods=["PATCH"])
@api_view(auth="session")
@blp.arguments(MeUpdateSchema)
@blp.response(200, MeSchema)
def update_me(changes: dict[str, Any]) -> dict[str, Any]:
    """Update my display name, language or time zone"""
    if changes:
        accounts.update_profile(current_user._get_current_object(), **changes)
    return me_data()


@blp.route("/me/enrolments")
@api_view(auth="session")
@blp.arguments(PageArgs, location="query", as_kwargs=True)
@blp.response(200, page_schema(EnrolmentSchema, "MyEnrolmentPage"))
def my_enrolments(limit: int, cursor: str | None) -> dict[str, Any]:
    """List my enrolments

    Every enrolment of the signed-in learner with its progress (status, start, completion, access expiry).
    """
    stmt = sa.select(Enrolment).where(Enrolment.user_id == current_user.id).options(with_course_version())
    page = paginate(stmt, (Enrolment.id,), limit=limit, cursor=cursor, key_of=lambda e: (e.id,))
    user = current_user._get_current_object()
    return {"data": [enrolment_data(e, user) for e in page.items], "next_cursor": page.next_cursor}
