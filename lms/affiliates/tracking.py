"""The hot path: a click on an affiliate link is one INSERT and a first-party cookie.

``/r/<code>[/<path>]`` and ``?ref=<code>`` on any public page come here. Per click the work is: the
code looked up in a small in-process cache, the user agent matched against known bots, the
visitor's cookie read (or a per-process memory for cookie-less clients) to tell a repeat from a new
visit, and one INSERT committed. Everything else (attribution, fraud checks, reports) reads the
clicks table later.

The cookie holds ``<visitor id>.<code>.<unix time of the last counted click>``: the visitor id is
random (it proves nothing by itself); the server decides attribution from its own click rows.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import secrets
import sqlite3
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request, session
from werkzeug.exceptions import HTTPException

from lms.affiliates.models import Affiliate, AffiliateProgramme, AffiliateStatus, Click, ClickKind, ProgrammeStatus
from lms.core.security import access_of, safe_next_url
from lms.core.time import as_utc, utcnow
from lms.extensions import db

log = logging.getLogger(__name__)

COOKIE_NAME = "lms_ref"
#: Endpoints that are the redirect itself (never a landing page, never tracked twice).
REDIRECT_ENDPOINTS = frozenset({"affiliates.referral", "affiliates.referral_to"})
CODE_SHAPE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,30}[A-Z0-9]$")
VISITOR_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,32}$")
BOT_AGENTS = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|validator|headless|"
    r"python-requests|python-urllib|aiohttp|httpx|curl/|wget/|libwww|okhttp|go-http-client|java/|"
    r"scrapy|phantomjs|lighthouse|pingdom|uptime|monitor|whatsapp|telegram|skypeuripreview|discord|"
    r"slack|vkshare|pinterest|quora link|outbrain|bitlybot|feedfetcher|mediapartners",
    re.IGNORECASE,
)
CACHE_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class LinkTarget:
    affiliate_id: int
    code: str
    window_days: int
    #: The affiliate is approved and the programme open: clicks count.
    counting: bool


_codes: dict[str, tuple[float, LinkTarget | None]] = {}
_recent: OrderedDict[str, int] = OrderedDict()
_recent_lock = threading.Lock()
_landing: dict[str, bool] = {}


def forget_code(code: str) -> None:
    """Drop a code from this process's cache (its affiliate or programme changed)."""
    _codes.pop(code.upper(), None)


def forget_codes() -> None:
    _codes.clear()


def reset_memory() -> None:
    """Forget everything this process remembers (codes, landing pages, recent cookie-less visitors)."""
    _codes.clear()
    _landing.clear()
    with _recent_lock:
        _recent.clear()


def find_code(code: str) -> LinkTarget | None:
    """The link's affiliate, from a cache that lives ``AFFILIATE_CODE_CACHE_SECONDS`` (30 s)."""
    code = code.upper()
    if not CODE_SHAPE.match(code):
        return None
    now = time.monotonic()
    hit = _codes.get(code)
    if hit is not None and hit[0] > now:
        return hit[1]
    row = db.session.execute(
        sa.select(Affiliate.id, Affiliate.status, AffiliateProgramme.cookie_window_days, AffiliateProgramme.status)
        .join(AffiliateProgramme, AffiliateProgramme.id == Affiliate.programme_id)
        .where(Affiliate.code == code)
    ).first()
    # End the read transaction now: the click INSERT starts its own write transaction.
    db.session.commit()
    target = None
    if row is not None:
        affiliate_id, status, window, programme_status = row
        target = LinkTarget(
            affiliate_id,
            code,
            window,
            status == AffiliateStatus.APPROVED and programme_status == ProgrammeStatus.OPEN,
        )
    if len(_codes) >= CACHE_LIMIT:
        _codes.clear()
    _codes[code] = (now + current_app.config.get("AFFILIATE_CODE_CACHE_SECONDS", 30), target)
    return target


@functools.lru_cache(maxsize=4096)
def is_bot(user_agent: str) -> bool:
    """Crawlers, link previews and scripts, by user agent (cached: browsers send few distinct ones,
    and the pattern costs more than the rest of the click's Python work)."""
    return not user_agent or BOT_AGENTS.search(user_agent) is not None


def ip_hash(address: str | None) -> str:
    key = current_app.config["SECRET_KEY"].encode()[:64]
    return hashlib.blake2b((address or "").encode(), key=key, digest_size=8).hexdigest()


def parse_cookie(value: str | None) -> tuple[str | None, str | None, int]:
    """(visitor id, code of the last counted click, its unix time) from the cookie, if well formed."""
    if not value:
        return None, None, 0
    visitor, _sep, rest = value.partition(".")
    if not VISITOR_SHAPE.match(visitor):
        return None, None, 0
    code, _sep, stamp = rest.partition(".")
    return visitor, code or None, int(stamp) if stamp.isdigit() else 0


def _seen_recently(key: str, now: int, window: int) -> bool:
    """Cookie-less clients: was this address + agent + code seen within the window (this process)?"""
    with _recent_lock:
        last = _recent.get(key)
        if last is not None and 0 <= now - last < window:
            return True
        _recent[key] = now
        _recent.move_to_end(key)
        while len(_recent) > CACHE_LIMIT:
            _recent.popitem(last=False)
        return False


def _session_user_id() -> int | None:
    """The signed-in learner's id from the signed session cookie, without loading the user."""
    if current_app.config.get("SESSION_COOKIE_NAME", "session") not in request.cookies:
        return None
    ident = str(session.get("_user_id") or "").partition(".")[0]
    return int(ident) if ident.isdigit() else None


def record_click(code: str, landing_path: str) -> str | None:
    """Count one click on ``code``; returns the cookie value to set (``None``: set nothing)."""
    target = find_code(code)
    if target is None or not target.counting:
        return None
    now = utcnow()
    stamp = int(now.timestamp())
    agent = request.headers.get("User-Agent", "")
    address = ip_hash(request.remote_addr)
    referrer = urlsplit(request.referrer).hostname if request.referrer else None
    values = {
        "affiliate_id": target.affiliate_id,
        "occurred_at": now,
        "ip_hash": address,
        "landing_path": landing_path[:300],
        "referrer_host": referrer[:120] if referrer else None,
        "visitor_id": None,
        "user_id": None,
    }
    cookie = None
    if is_bot(agent):
        values["kind"] = ClickKind.BOT
    else:
        window = current_app.config.get("AFFILIATE_REPEAT_CLICK_SECONDS", 600)
        visitor, last_code, last_at = parse_cookie(request.cookies.get(COOKIE_NAME))
        if visitor is not None:
            repeat = last_code == target.code and 0 <= stamp - last_at < window
        else:
            visitor = secrets.token_urlsafe(16)
            fingerprint = f"{address}|{hashlib.blake2b(agent.encode(), digest_size=8).hexdigest()}|{target.code}"
            repeat = _seen_recently(fingerprint, stamp, window)
        values["kind"] = ClickKind.REPEAT if repeat else ClickKind.UNIQUE
        values["visitor_id"] = visitor
        values["user_id"] = _session_user_id()
        # A repeat keeps the time of the last counted click: the window runs from there.
        cookie = f"{visitor}.{target.code}.{last_at if repeat and last_at else stamp}"
    try:
        insert_click(values)
    except Exception:
        # The visitor still reaches the page; the lost click is logged for the operators.
        db.session.rollback()
        log.exception("could not record a click for affiliate %s", target.affiliate_id)
        return None
    g.affiliate_cookie_days = target.window_days
    return cookie


_INSERT = sa.insert(Click)
_COLUMNS = ("affiliate_id", "occurred_at", "kind", "visitor_id", "user_id", "ip_hash", "landing_path", "referrer_host")
_engine_lock = threading.Lock()
_sqlite_writer = threading.Lock()


def _insert_sql(placeholder: str) -> str:
    """The INSERT as driver SQL, from the table's own names (``%(name)s`` or ``:name``)."""
    names = ", ".join(_COLUMNS)
    values = ", ".join(placeholder.format(name) for name in _COLUMNS)
    return f"INSERT INTO {Click.__tablename__} ({names}) VALUES ({values})"  # noqa: S608 (names are ours)


_PG_INSERT = _insert_sql("%({})s")
_SQLITE_INSERT = _insert_sql(":{}")


def _click_engine(main: sa.Engine) -> sa.Engine:
    """PostgreSQL: a small pool of autocommit connections for clicks, without a ping per checkout —
    each click is one round trip (a prepared INSERT) instead of four (ping, BEGIN, INSERT, COMMIT).

    Their commits do not wait for the WAL flush (``synchronous_commit=off``): a click is in the
    server as soon as the INSERT returns and survives a restart of the application or of
    PostgreSQL; only a crash of the database machine can lose the last fraction of a second of
    clicks (SQLite's ``synchronous=NORMAL`` makes the same trade). Without it every click waits for
    a disk flush and the flushes, not the CPU, cap the redirect's throughput.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    engine = app.extensions.get("affiliates_click_engine")
    if engine is None:
        with _engine_lock:
            engine = app.extensions.get("affiliates_click_engine")
            if engine is None:
                engine = sa.create_engine(
                    main.url,
                    isolation_level="AUTOCOMMIT",
                    pool_size=8,
                    max_overflow=8,
                    pool_pre_ping=False,
                    pool_reset_on_return=None,  # autocommit: nothing to roll back
                    connect_args={"options": "-c synchronous_commit=off"},
                )
                app.extensions["affiliates_click_engine"] = engine
    return engine


def insert_click(values: dict[str, Any]) -> None:
    """One durable INSERT in a transaction of its own, by the shortest route each database has.

    The hot path talks to the driver directly (the statement is built once from the table's
    columns): the ORM's per-statement work would cost as much as the rest of the redirect.
    """
    if isinstance(db.session.session_factory.kw.get("bind"), sa.Connection):
        # A test's session bound to one connection: stay inside its (rolled back) transaction.
        db.session.execute(_INSERT, values)
        db.session.commit()
        return
    bind = db.engine
    row = {name: values[name] for name in _COLUMNS}
    row["kind"] = values["kind"].value
    if bind.dialect.name == "postgresql":
        engine = _click_engine(bind)
        for attempt in (1, 2):
            connection = engine.raw_connection()
            try:
                connection.driver_connection.execute(_PG_INSERT, row, prepare=True)
                return
            except engine.dialect.loaded_dbapi.OperationalError:
                connection.invalidate()  # a connection the server dropped: once more on a new one
                if attempt == 2:
                    raise
            finally:
                connection.close()
        return
    # SQLite: the INSERT commits by itself on a connection of this thread's own; the timestamp is
    # written in the format SQLAlchemy uses for this column.
    row["occurred_at"] = as_utc(values["occurred_at"]).strftime("%Y-%m-%d %H:%M:%S.%f")
    path = bind.url.database
    if not path or path == ":memory:":  # one shared in-memory database: its own connection
        connection = bind.raw_connection()
        try:
            connection.driver_connection.execute(_SQLITE_INSERT, row)
        finally:
            connection.close()
        return
    _sqlite_insert(path, row)


_sqlite_local = threading.local()
#: How long a click waits for the other processes' writers before it gives up (and is logged).
SQLITE_WRITE_PATIENCE = 10.0


def _sqlite_insert(path: str, row: dict[str, Any]) -> None:
    """The click INSERT on SQLite, waiting for the write lock in short steps.

    The threads of one process take turns on a Python lock. Between processes SQLite's own busy
    handler would sleep 1, 2, 5, 10 ms… while the lock is typically free again within tens of
    microseconds, and every thread of the process queues behind the sleeper: under a click flood
    that halves the redirect's throughput. This connection does not wait inside SQLite
    (``busy_timeout=0``); it retries after a fraction of a millisecond instead.
    """
    connection = getattr(_sqlite_local, "connection", None)
    if connection is None or _sqlite_local.path != path:
        connection = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("PRAGMA synchronous=NORMAL")
        _sqlite_local.connection, _sqlite_local.path = connection, path
    deadline = time.monotonic() + SQLITE_WRITE_PATIENCE
    pause = 0.00005
    with _sqlite_writer:
        while True:
            try:
                connection.execute(_SQLITE_INSERT, row)
                return
            except sqlite3.OperationalError as error:
                if ("locked" not in str(error) and "busy" not in str(error)) or time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.002)


def set_cookie(response: Response, value: str, days: int) -> None:
    """The visitor cookie, written by hand: its value only holds ``[A-Za-z0-9_.-]`` (werkzeug's
    general cookie writer costs as much as the click's INSERT on this path)."""
    secure = request.is_secure or current_app.config.get("PREFERRED_URL_SCHEME") == "https"
    attributes = f"Max-Age={days * 86400}; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
    response.headers.add("Set-Cookie", f"{COOKIE_NAME}={value}; {attributes}")


# --- where a link may land -----------------------------------------------------------------------


def is_public_page(path: str) -> bool:
    """Does ``path`` (no query) match a GET route declared ``@public`` (other than the redirect)?"""
    known = _landing.get(path)
    if known is not None:
        return known
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(path, method="GET")
    except HTTPException:
        public = False
    else:
        access = access_of(current_app.view_functions.get(endpoint))
        public = bool(access and access.public) and endpoint not in REDIRECT_ENDPOINTS
    if len(_landing) >= CACHE_LIMIT:
        _landing.clear()
    _landing[path] = public
    return public


def landing_url(path: str) -> str:
    """The same-site public page a link points to (the home page when it points anywhere else)."""
    target = "/" + path.lstrip("/")
    if safe_next_url(target) is None or not is_public_page(target):
        return "/"
    query = [(k, v) for k, v in request.args.items(multi=True) if k != "ref"]
    return f"{target}?{urlencode(query)}" if query else target


# --- ?ref=<code> on any public page ---------------------------------------------------------------


def init_app(app: Flask) -> None:
    @app.before_request
    def _track_ref_parameter() -> None:
        code = request.args.get("ref")
        if not code or request.method != "GET" or request.endpoint in REDIRECT_ENDPOINTS:
            return
        access = access_of(app.view_functions.get(request.endpoint)) if request.endpoint else None
        if access is None or not access.public:
            return
        g.affiliate_cookie = record_click(code, request.path)

    @app.after_request
    def _set_ref_cookie(response: Response) -> Response:
        value = g.pop("affiliate_cookie", None)
        if value:
            set_cookie(response, value, g.get("affiliate_cookie_days", 60))
        return response
