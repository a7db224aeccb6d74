"""Sending a webhook over HTTP without letting a partner aim our servers at our own network (SSRF).

In production a URL must be https and resolve only to public addresses (unless
``WEBHOOK_ALLOW_PRIVATE_URLS``); the check runs when the endpoint is saved and again at every
delivery, and the connection goes to the address that was checked (no second DNS lookup that a
rebinding name could answer differently). Redirects are not followed.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from flask import current_app
from flask_babel import gettext as _

from lms.core.errors import DomainError

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
EXCERPT_BYTES = 500
MAX_URL_LENGTH = 500


@dataclass(frozen=True)
class Policy:
    require_https: bool
    allow_private: bool


def current_policy() -> Policy:
    production = current_app.config.get("ENV") == "production"
    return Policy(
        require_https=production,
        allow_private=not production or bool(current_app.config.get("WEBHOOK_ALLOW_PRIVATE_URLS")),
    )


class UnsafeTarget(DomainError):
    pass


def check_url(url: str, policy: Policy | None = None, *, resolve: bool = True) -> str:
    """Return the normalised URL or raise :class:`UnsafeTarget` with a message for the partner."""
    policy = policy or current_policy()
    url = (url or "").strip()
    parts = urlsplit(url)
    if len(url) > MAX_URL_LENGTH or parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UnsafeTarget(_("Enter a full web address starting with https://."), field="url")
    if policy.require_https and parts.scheme != "https":
        raise UnsafeTarget(_("Webhook addresses must use https."), field="url")
    if parts.username or parts.password:
        raise UnsafeTarget(_("Do not put a user name or password in the address."), field="url")
    if resolve and not policy.allow_private:
        addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), policy)
    return url


def addresses(host: str, port: int, policy: Policy) -> list[str]:
    """The addresses ``host`` resolves to that we may connect to (all of them must be public)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeTarget(_("This address's host name does not resolve."), field="url") from exc
    found = list(dict.fromkeys(info[4][0] for info in infos))
    if not policy.allow_private:
        private = [a for a in found if not ipaddress.ip_address(a.split("%")[0]).is_global]
        if private or not found:
            raise UnsafeTarget(_("This address points to a private or local network."), field="url")
    return found


@dataclass(frozen=True)
class HttpResult:
    status_code: int | None
    duration_ms: int
    error: str | None = None
    excerpt: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, body: bytes, headers: dict[str, str], policy: Policy | None = None) -> HttpResult:
    """POST ``body`` to ``url``; never raises for network trouble (it is reported in the result)."""
    policy = policy or current_policy()
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        check_url(url, policy, resolve=False)
        parts = urlsplit(url)
        https = parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        address = addresses(parts.hostname or "", port, policy)[0]
        timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT)
        if https:
            pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
                address,
                port,
                timeout=timeout,
                retries=False,
                server_hostname=parts.hostname,
                assert_hostname=parts.hostname,
                cert_reqs="CERT_REQUIRED",
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host_header = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
        with pool:
            response = pool.urlopen(
                "POST",
                path,
                body=body,
                headers={**headers, "Host": host_header or ""},
                redirect=False,
                preload_content=False,
                assert_same_host=False,
            )
            excerpt = response.read(EXCERPT_BYTES, decode_content=True).decode("utf-8", "replace")
            response.release_conn()
        return HttpResult(response.status, elapsed(), None, excerpt or None)
    except DomainError as error:
        return HttpResult(None, elapsed(), error.message[:300])
    except (urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
        return HttpResult(None, elapsed(), f"{type(exc).__name__}: {exc}"[:300])
