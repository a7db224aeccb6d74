"""Reads for the account pages (no writes here)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from lms.accounts.models import Membership, Organisation, OrganisationKind, OrganisationStatus, User
from lms.core.audit import AuditEvent
from lms.extensions import db

PAGE_SIZE = 50


@dataclass
class Page:
    items: list
    page: int
    has_next: bool


def search_users(query: str = "", page: int = 1) -> Page:
    stmt = sa.select(User).order_by(User.id.desc())
    if query:
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(
                User.email.like(like),
                sa.func.lower(User.display_name).like(like),
                sa.func.lower(User.legal_name).like(like),
            )
        )
    rows = db.session.execute(stmt.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).scalars().all()
    return Page(list(rows[:PAGE_SIZE]), page, len(rows) > PAGE_SIZE)


def organisations(kind: OrganisationKind | None = None) -> list[Organisation]:
    stmt = sa.select(Organisation).order_by(Organisation.name)
    if kind is not None:
        stmt = stmt.where(Organisation.kind == kind)
    return list(db.session.execute(stmt).scalars())


def organisation_members(organisation_id: int) -> list[Membership]:
    stmt = (
        sa.select(Membership)
        .where(Membership.organisation_id == organisation_id)
        .join(Membership.user)
        .order_by(User.display_name, Membership.role)
    )
    return list(db.session.execute(stmt).scalars())


def counts_by_kind() -> dict[OrganisationKind, int]:
    rows = db.session.execute(
        sa.select(Organisation.kind, sa.func.count())
        .where(Organisation.status == OrganisationStatus.ACTIVE)
        .group_by(Organisation.kind)
    )
    return {kind: count for kind, count in rows}


def user_count() -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one()


def recent_audit_events(limit: int = 100, action_prefix: str = "", before_id: int | None = None) -> list[AuditEvent]:
    stmt = sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action_prefix:
        stmt = stmt.where(AuditEvent.action.startswith(action_prefix))
    if before_id:
        stmt = stmt.where(AuditEvent.id < before_id)
    return list(db.session.execute(stmt).scalars())


def users_by_id(ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in db.session.execute(sa.select(User).where(User.id.in_(ids))).scalars()}
