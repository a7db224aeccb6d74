"""The main menu, assembled from items each domain registers for the roles that use it.

Items for everyone (learning, the catalog) stand in the bar; items only the staff of a partner or
of the certification body use are gathered in one menu per area, so the bar stays short.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.core.security import PARTNER_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any  # a lazy translated string
    #: Empty: shown to everyone; otherwise to signed-in users holding one of these roles.
    roles: frozenset[Role] = frozenset()
    order: int = 100
    #: Shown only to visitors who are not signed in.
    anonymous_only: bool = False

    @property
    def group(self) -> str | None:
        if self.roles and self.roles <= {Role.STAFF}:
            return "staff"
        if self.roles and self.roles <= PARTNER_ROLES:
            return "partner"
        return None


GROUP_LABELS = {"partner": _l("Your organisation"), "staff": _l("Administration")}
NAV_ITEMS: list[NavItem] = []


def register_nav(endpoint: str, label: Any, *roles: Role, order: int = 100, anonymous_only: bool = False) -> None:
    if any(item.endpoint == endpoint for item in NAV_ITEMS):
        return
    NAV_ITEMS.append(NavItem(endpoint, label, frozenset(roles), order, anonymous_only))
    NAV_ITEMS.sort(key=lambda item: item.order)


def _visible() -> list[NavItem]:
    signed_in = current_user.is_authenticated
    roles = current_user.roles if signed_in else frozenset()
    return [
        item for item in NAV_ITEMS if not (item.anonymous_only and signed_in) and (not item.roles or item.roles & roles)
    ]


def visible_nav_items() -> list[dict[str, Any]]:
    """The bar: links, then one entry per area holding that area's links (``children``)."""
    bar: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for item in _visible():
        link = {"endpoint": item.endpoint, "label": item.label, "url": url_for(item.endpoint)}
        link["current"] = request.endpoint == item.endpoint
        if item.group is None:
            bar.append(link)
            continue
        if item.group not in groups:
            groups[item.group] = {"label": GROUP_LABELS[item.group], "children": [], "current": False}
            bar.append(groups[item.group])
        groups[item.group]["children"].append(link)
        groups[item.group]["current"] |= link["current"]
    return bar
