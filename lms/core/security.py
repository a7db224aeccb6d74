"""Roles, the access policy every route declares, tenant scoping, safe redirects and HTTP headers.

Deny by default: a view without a declared policy answers 403 (and a test walks ``app.url_map`` so
none ships without one). A view is either ``@public`` or guarded by ``@login_required`` /
``@roles_required(...)``; the check runs once, centrally, before the view.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, Response, abort, g, request
from flask_login import current_user
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

F = TypeVar("F", bound=Callable[..., Any])


class Role(enum.StrEnum):
    LEARNER = "learner"
    INSTRUCTOR = "instructor"
    PROCTOR = "proctor"
    PARTNER_MANAGER = "partner_manager"
    PARTNER_ADMIN = "partner_admin"
    AFFILIATE = "affiliate"
    STAFF = "staff"


#: Roles a person holds inside a partner organisation (they give access to that partner's rows).
PARTNER_ROLES = frozenset({Role.PARTNER_ADMIN, Role.PARTNER_MANAGER, Role.INSTRUCTOR, Role.PROCTOR})


@dataclass(frozen=True)
class Access:
    """The policy a view declares. ``roles`` empty means any signed-in user."""

    public: bool = False
    roles: frozenset[Role] = frozenset()
    #: Set by the API package: the view authenticates itself (bearer keys) and is still not public.
    self_authenticated: bool = False


ACCESS_ATTRIBUTE = "lms_access"


def _declare(access: Access) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        setattr(view, ACCESS_ATTRIBUTE, access)
        return view

    return decorator


def public(view: F) -> F:
    """Anyone may call this view, signed in or not."""
    return _declare(Access(public=True))(view)


def login_required(view: F) -> F:
    """Any signed-in user may call this view."""
    return _declare(Access())(view)


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Only users holding one of these roles may call this view."""
    if not roles:
        raise ValueError("roles_required needs at least one role")
    return _declare(Access(roles=frozenset(roles)))


def self_authenticated(view: F) -> F:
    """The view checks credentials itself (the partner API's bearer keys)."""
    return _declare(Access(self_authenticated=True))(view)


def access_of(view: Callable[..., Any] | None) -> Access | None:
    return getattr(view, ACCESS_ATTRIBUTE, None)


def enforce_access(app: Flask) -> None:
    """A before_request hook: the single place where the declared policy is checked."""

    @app.before_request
    def _check_access() -> Response | None:
        if request.endpoint is None:  # 404/405 raised by routing; the error handler answers
            return None
        access = access_of(app.view_functions.get(request.endpoint))
        if access is None:
            if request.endpoint == "static":
                return None
            abort(403)
        if access.public or access.self_authenticated:
            return None
        if not current_user.is_authenticated:
            return app.login_manager.unauthorized()  # type: ignore[attr-defined]
        if access.roles and not (access.roles & current_user.roles):
            abort(403)
        return None


# --- tenant scoping ----------------------------------------------------------------------------

_partner_resolver: Callable[[], int | None] | None = None


def set_partner_resolver(resolver: Callable[[], int | None]) -> None:
    """Accounts registers how the current partner organisation is found (core imports no domain)."""
    global _partner_resolver
    _partner_resolver = resolver


def current_partner_id() -> int | None:
    """The partner organisation the signed-in user acts for in this request, if any."""
    if "lms_partner_id" not in g:
        g.lms_partner_id = _partner_resolver() if _partner_resolver else None
    return g.lms_partner_id


class PartnerOwnedMixin:
    """A row that belongs to one partner organisation; read it only through :func:`scoped`."""

    @declared_attr
    def partner_id(cls) -> Mapped[int]:
        return mapped_column(sa.ForeignKey("organisations.id"), index=True)


ModelT = TypeVar("ModelT", bound=PartnerOwnedMixin)


def scoped(model: type[ModelT], partner_id: int | None = None) -> sa.Select[tuple[ModelT]]:
    """``SELECT`` of ``model`` limited to one partner (the current one unless given)."""
    pid = partner_id if partner_id is not None else current_partner_id()
    if pid is None:
        abort(404)
    return sa.select(model).where(model.partner_id == pid)  # type: ignore[arg-type]


def get_scoped_or_404(model: type[ModelT], ident: Any, partner_id: int | None = None) -> ModelT:
    """One partner-owned row; another partner's row is a 404, exactly like a missing one."""
    from lms.extensions import db

    stmt = scoped(model, partner_id).where(model.id == ident)  # type: ignore[attr-defined]
    obj = db.session.execute(stmt).scalar_one_or_none()
    if obj is None:
        abort(404)
    return obj


# --- redirects ---------------------------------------------------------------------------------


def safe_next_url(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else ``None`` (no open redirects)."""
    if not target or any(ord(ch) < 32 or ch == "\\" for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


# --- response headers --------------------------------------------------------------------------

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' https: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-src 'self' https://www.youtube-nocookie.com https://player.vimeo.com",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def apply_security_headers(app: Flask) -> None:
    hsts = app.config.get("ENV") == "production"

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), payment=()")
        if hsts:
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        if current_user and current_user.is_authenticated:
            # Pages for a signed-in user must not stay in shared or back-button caches.
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"
            headers.add("Vary", "Cookie")
        return response


def roles_of(memberships: Iterable[Any]) -> frozenset[Role]:
    """Every user learns; memberships add the rest."""
    return frozenset({Role.LEARNER, *(Role(m.role) for m in memberships)})


def _role_labels() -> dict[Role, Any]:
    from flask_babel import lazy_gettext as _l

    return {
        Role.LEARNER: _l("Learner"),
        Role.INSTRUCTOR: _l("Instructor"),
        Role.PROCTOR: _l("Proctor"),
        Role.PARTNER_MANAGER: _l("Partner manager"),
        Role.PARTNER_ADMIN: _l("Partner administrator"),
        Role.AFFILIATE: _l("Affiliate"),
        Role.STAFF: _l("Certification body staff"),
    }


ROLE_LABELS = _role_labels()
