"""Users, organisations, memberships (roles) and signing in."""

from flask import Flask, session
from flask_login import current_user


def current_partner_for_user() -> int | None:
    """The partner organisation the signed-in user acts for: the one chosen, else their first."""
    if not current_user.is_authenticated:
        return None
    ids = sorted({m.organisation_id for m in current_user.partner_memberships()})
    if not ids:
        return None
    chosen = session.get("partner_id")
    return chosen if chosen in ids else ids[0]


def init_app(app: Flask) -> None:
    from lms.core.security import set_partner_resolver

    set_partner_resolver(current_partner_for_user)
