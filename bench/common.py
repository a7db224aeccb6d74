"""What every benchmark shares: a fresh database, a gunicorn server, wrk, and latency figures."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Environment:
    """A fresh instance folder and database for one benchmark run."""

    database_url: str
    database_label: str
    instance_path: Path
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(48))

    def env(self, **extra: str) -> dict[str, str]:
        values = dict(os.environ)
        values.update(
            {
                "LMS_DATABASE_URL": self.database_url,
                "LMS_INSTANCE_PATH": str(self.instance_path),
                "LMS_SECRET_KEY": self.secret_key,
                "LMS_ENV": "development",
                "LMS_EMBEDDED_BEAT": "false",
                "PYTHONPATH": str(REPO_ROOT),
            }
        )
        values.pop("LMS_BROKER_URL", None)
        values.update(extra)
        return values

    def app(self, **overrides: Any) -> Any:
        """An application object on this database, for seeding and checking from the benchmark."""
        from lms.app import create_app

        return create_app(
            {
                "DATABASE_URL": self.database_url,
                "INSTANCE_PATH": str(self.instance_path),
                "SECRET_KEY": self.secret_key,
                **overrides,
            }
        )


def _fresh_postgres(url: str, name: str) -> str:
    import sqlalchemy as sa

    parts = urlsplit(url)
    if parts.scheme == "postgresql":
        parts = parts._replace(scheme="postgresql+psycopg")
    database = f"lms_bench_{name}"
    admin = sa.create_engine(parts.geturl(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return parts._replace(path=f"/{database}").geturl()


@contextlib.contextmanager
def environment(name: str, database_url: str = "") -> Iterator[Environment]:
    """A fresh database (SQLite file, or a new PostgreSQL database next to the one given), migrated."""
    workdir = Path(tempfile.mkdtemp(prefix=f"lms-bench-{name}-"))
    instance = workdir / "instance"
    instance.mkdir()
    if database_url:
        url = _fresh_postgres(database_url, name)
        label = "postgresql"
    else:
        url = f"sqlite:///{instance / 'lms.sqlite3'}"
        label = "sqlite"
    env = Environment(url, label, instance)
    log(f"migrating a fresh {label} database")
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "lms", "db", "upgrade"],
        cwd=REPO_ROOT,
        env=env.env(),
        check=True,
        capture_output=True,
    )
    try:
        yield env
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def gunicorn(env: Environment, workers: int = 2, threads: int = 4, **extra_env: str) -> Iterator[str]:
    """gunicorn serving ``lms.wsgi:app`` on a free port; yields its base URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "lms.wsgi:app",
        "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
        "--bind", f"127.0.0.1:{port}", "--backlog", "4096", "--keep-alive", "30",
        "--log-level", "warning", "--timeout", "120",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env.env(**extra_env))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/livez", timeout=2) as response:  # noqa: S310 (local)
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        log(f"gunicorn ({workers} workers × {threads} threads) at {base}")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("LMS requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d errors=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout))
end
"""


@dataclass
class LoadResult:
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


def wrk(
    url: str,
    seconds: int = 10,
    connections: int = 16,
    threads: int = 2,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    """Closed-loop load with wrk (C, so the load generator leaves the CPU to the server)."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk; the README's setup command does it)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "-s", script.name]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    match = re.search(
        r"LMS requests=(\d+) duration_us=(\d+) p50_us=(\d+) p95_us=(\d+) p99_us=(\d+) errors=(\d+)", output
    )
    if not match:
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    requests, duration, p50, p95, p99, errors = (int(g) for g in match.groups())
    return LoadResult(requests, requests / (duration / 1e6), p50 / 1000, p95 / 1000, p99 / 1000, errors)


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def sign_in(base: str, email: str, password: str) -> str:
    """Sign in through the real form; returns the Cookie header of the session."""
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'<meta name="csrf-token" content="([^"]+)"', page
    )
    assert token, "no CSRF token on the sign-in page"
    data = urllib.parse.urlencode({"csrf_token": token.group(1), "email": email, "password": password}).encode()
    opener.open(f"{base}/login", data=data)
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    assert "session=" in cookies, "sign-in did not return a session cookie"
    return cookies
