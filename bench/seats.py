"""Seats without overselling: N concurrent learners hold and pay for seats of one class (gunicorn, 2 workers).

Every attempt is a real checkout over HTTP: ``POST /classes/<id>/book`` (the hold) then
``POST /orders/<id>/pay`` with the test provider (the confirmation), as JSON. The run passes when
exactly ``capacity`` seats are confirmed, every other attempt is refused with a 4xx, no request
answers 5xx, and the ledger balances to zero.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import time
from datetime import time as clock
from datetime import timedelta
from typing import Any

from bench.common import environment, gunicorn, log, percentile

PASSWORD = "bench-password-123"
#: Cheap password hashing on the benchmark server: signing 1,000 people in is set-up, not the measurement.
SERVER_ENV = {
    "LMS_PASSWORD_MEMORY_KIB": "1024",
    "LMS_PASSWORD_TIME_COST": "1",
    "LMS_LOGIN_RATE_LIMIT_PER_ADDRESS": "100000 per minute",
    "LMS_LOGIN_RATE_LIMIT_PER_ACCOUNT": "100000 per minute",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--capacity", type=int, default=100)
    parser.add_argument("--attempts", type=int, default=1000, help="concurrent learners trying to buy a seat")
    parser.add_argument("--connections", type=int, default=200, help="open HTTP connections at most")


def _seed(env: Any, capacity: int, attempts: int) -> int:
    app = env.app(PASSWORD_MEMORY_KIB=1024, PASSWORD_TIME_COST=1)
    with app.app_context():
        from lms.accounts import services as accounts
        from lms.accounts.models import OrganisationKind
        from lms.core.db import write_transactions
        from lms.core.security import Role
        from lms.core.time import utcnow
        from lms.courses.models import CertificationTrack, Course, CourseVersion, CourseVersionStatus
        from lms.extensions import db
        from lms.partners.models import ClassStaffRole
        from lms.partners.services import classes

        with write_transactions():
            accounts.create_organisation(kind=OrganisationKind.CERTIFICATION_BODY, name="Body", slug="body")
            partner = accounts.create_organisation(
                kind=OrganisationKind.TRAINING_PARTNER, name="Bench ATP", slug="bench"
            )
            track = CertificationTrack(code="BEN", slug="bench", names={"en": "Bench"})
            db.session.add(track)
            db.session.flush()
            course = Course(track_id=track.id, code="AIP-BEN-1", slug="bench-course")
            db.session.add(course)
            db.session.flush()
            version = CourseVersion(
                course_id=course.id,
                status=CourseVersionStatus.PUBLISHED,
                titles={"en": "Bench course"},
                delivery_modes=["instructor_led"],
            )
            db.session.add(version)
            teacher = accounts.register_user(
                email="teacher@bench.example.com",
                password=PASSWORD,
                display_name="T",
                legal_name="T",
                send_verification=False,
            )
            accounts.grant_role(teacher, partner, Role.INSTRUCTOR, actor_id=None)
            training_class = classes.create_class(
                partner,
                actor_id=None,
                course_version_id=version.id,
                language="en",
                timezone="UTC",
                capacity=capacity,
                meeting_url="https://meet.example.com/bench",
            )
            day = (utcnow() + timedelta(days=10)).date()
            classes.add_meeting(training_class, day=day, start=clock(9), end=clock(12), actor_id=None)
            classes.set_price(training_class, currency="USD", list_amount=49_900, actor_id=None)
            classes.add_staff(training_class, user_id=teacher.id, role=ClassStaffRole.INSTRUCTOR, actor_id=None)
            classes.publish(training_class, actor_id=None)
            db.session.commit()
            class_id = training_class.id
            for index in range(attempts):
                accounts.register_user(
                    email=f"buyer{index}@bench.example.com",
                    password=PASSWORD,
                    display_name=f"Buyer {index}",
                    legal_name=f"Buyer {index}",
                    send_verification=False,
                )
                if index % 200 == 199:
                    db.session.commit()
            db.session.commit()
        db.engine.dispose()
    return class_id


TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


async def _sign_in(session: Any, base: str, email: str) -> tuple[str, str]:
    """Sign in through the real form; returns (Cookie header, CSRF token of the new session)."""
    import aiohttp

    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar, connector=session.connector, connector_owner=False) as own:
        async with own.get(f"{base}/login") as response:
            token = TOKEN.search(await response.text()).group(1)
        data = {"csrf_token": token, "email": email, "password": PASSWORD}
        async with own.post(f"{base}/login", data=data, allow_redirects=False) as response:
            if response.status != 302:
                flashes = re.findall(r'class="flash[^>]*>([^<]*)', await response.text())
                raise RuntimeError(f"sign-in of {email} answered {response.status}: {flashes}")
        async with own.get(f"{base}/schedule") as response:
            token = TOKEN.search(await response.text()).group(1)
        cookie = "; ".join(f"{c.key}={c.value}" for c in jar)
    return cookie, token


async def _attempt(session: Any, base: str, class_id: int, cookie: str, token: str) -> dict[str, Any]:
    headers = {"Cookie": cookie, "X-CSRFToken": token, "Accept": "application/json"}
    started = time.perf_counter()
    codes = []
    async with session.post(f"{base}/classes/{class_id}/book", json={}, headers=headers) as response:
        codes.append(response.status)
        body = await response.json(content_type=None)
    outcome = "refused"
    if response.status == 201:
        async with session.post(
            f"{base}/orders/{body['order_id']}/pay", json={"provider": "test"}, headers=headers
        ) as paid:
            codes.append(paid.status)
            result = await paid.json(content_type=None)
            if paid.status == 200 and result.get("status") == "paid":
                outcome = "confirmed"
    return {
        "outcome": outcome,
        "codes": codes,
        "seconds": time.perf_counter() - started,
        "finished": time.perf_counter(),
    }


async def _run_load(
    base: str, class_id: int, attempts: int, connections: int
) -> tuple[list[dict[str, Any]], float, float]:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=connections)
    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:
        log(f"signing in {attempts} learners")
        gate = asyncio.Semaphore(32)

        async def sign(index: int) -> tuple[str, str]:
            async with gate:
                return await _sign_in(session, base, f"buyer{index}@bench.example.com")

        credentials = await asyncio.gather(*(sign(i) for i in range(attempts)))
        log(f"{attempts} learners try to buy a seat at once")
        started = time.perf_counter()
        client_cpu = time.process_time()
        results = await asyncio.gather(*(_attempt(session, base, class_id, c, t) for c, t in credentials))
        # The client shares the machine's cores with the server: its own CPU time is reported so a
        # reader can tell whether it, rather than the server, limited the figures.
        client_cpu = time.process_time() - client_cpu
    return results, started, client_cpu


def run(args: argparse.Namespace) -> dict[str, Any]:
    with environment("seats", args.database_url) as env:
        log(f"seeding a class of {args.capacity} and {args.attempts} learners")
        class_id = _seed(env, args.capacity, args.attempts)
        with gunicorn(env, workers=2, **SERVER_ENV) as base:
            results, started, client_cpu = asyncio.run(_run_load(base, class_id, args.attempts, args.connections))
        app = env.app()
        with app.app_context():
            import sqlalchemy as sa

            from lms.extensions import db
            from lms.partners.models import Seat, SeatStatus
            from lms.partners.services import ledger

            confirmed_in_db = db.session.execute(
                sa.select(sa.func.count()).where(Seat.class_id == class_id, Seat.status == SeatStatus.CONFIRMED)
            ).scalar_one()
            imbalance = ledger.check_balance()
            db.engine.dispose()
    confirmed = [r for r in results if r["outcome"] == "confirmed"]
    codes = [code for r in results for code in r["codes"]]
    server_errors = sum(1 for code in codes if code >= 500)
    selling = (max(r["finished"] for r in confirmed) - started) if confirmed else 0.0
    latencies = [r["seconds"] * 1000 for r in results]
    ok = confirmed_in_db == args.capacity == len(confirmed) and server_errors == 0 and imbalance.ok
    return {
        "database": env.database_label,
        "workers": 2,
        "capacity": args.capacity,
        "attempts": args.attempts,
        "confirmed": len(confirmed),
        "confirmed_in_database": confirmed_in_db,
        "refused": sum(1 for r in results if r["outcome"] == "refused"),
        "server_errors": server_errors,
        "status_codes": {str(c): codes.count(c) for c in sorted(set(codes))},
        "ledger_imbalance": imbalance.amount,
        "unbalanced_entries": imbalance.unbalanced_entries,
        "sales_per_second": round(len(confirmed) / selling, 1) if selling else 0.0,
        "seconds_to_sell_out": round(selling, 2),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "client_cpu_seconds": round(client_cpu, 2),
        "failed": not ok,
    }
