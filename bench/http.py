"""HTTP baseline: a bare endpoint vs. an authenticated learner dashboard, under gunicorn (2 workers)."""

from __future__ import annotations

import argparse
from typing import Any

from bench.common import environment, gunicorn, log, sign_in, wrk

PASSWORD = "bench-password-123"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seconds", type=int, default=10, help="duration of each load phase")
    parser.add_argument("--connections", type=int, default=16)


def run(args: argparse.Namespace) -> dict[str, Any]:
    with environment("http", args.database_url) as env:
        app = env.app()
        with app.app_context():
            from lms.accounts import services
            from lms.extensions import db

            services.register_user(
                email="bench-learner@example.com",
                password=PASSWORD,
                display_name="Bench Learner",
                legal_name="Bench Learner",
                send_verification=False,
            )
            db.session.commit()
            db.engine.dispose()
        with gunicorn(env) as base:
            cookie = sign_in(base, "bench-learner@example.com", PASSWORD)
            log("warming up")
            wrk(f"{base}/livez", seconds=2, connections=args.connections)
            wrk(f"{base}/dashboard", seconds=2, connections=args.connections, headers={"Cookie": cookie})
            log(f"hello: {args.seconds}s, {args.connections} connections")
            hello = wrk(f"{base}/livez", seconds=args.seconds, connections=args.connections)
            log(f"dashboard: {args.seconds}s, {args.connections} connections")
            dashboard = wrk(
                f"{base}/dashboard",
                seconds=args.seconds,
                connections=args.connections,
                headers={"Cookie": cookie},
            )
    return {
        "database": env.database_label,
        "workers": 2,
        "connections": args.connections,
        "hello_rps": round(hello.rps, 1),
        "hello_p50_ms": round(hello.p50_ms, 2),
        "hello_p95_ms": round(hello.p95_ms, 2),
        "dashboard_rps": round(dashboard.rps, 1),
        "dashboard_p50_ms": round(dashboard.p50_ms, 2),
        "dashboard_p95_ms": round(dashboard.p95_ms, 2),
        "dashboard_ratio": round(dashboard.rps / hello.rps, 3) if hello.rps else 0.0,
        "errors": hello.errors + dashboard.errors,
    }
