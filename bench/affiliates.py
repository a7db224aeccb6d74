"""Affiliate link redirect (/r/<code>) vs. the bare hello endpoint, under gunicorn with 2 workers.

Rounds (wrk, closed loop), each: ``/livez`` (hello), then ``/r/<code>/schedule`` from a browser that
holds a visitor cookie (every click counted). Hello and redirect alternate so both see the same
background load on a shared machine; the figures are the medians over the rounds, the ratio the
median of the rounds' ratios. Then a shorter phase with a crawler's user agent (counted as bot
clicks). Afterwards the clicks table must hold every click wrk completed: at least the completed
requests and at most that plus the requests in flight when wrk stopped (one per connection).
"""

from __future__ import annotations

import argparse
import statistics
from typing import Any

from bench.common import environment, gunicorn, log, wrk

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
CRAWLER = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
#: A visitor cookie whose last counted click is long ago: every click of the phase is a new visit.
VISITOR_COOKIE = "lms_ref=benchvisitor0000000001.BENCH.1"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seconds", type=int, default=10, help="duration of the hello and redirect phases")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=5, help="hello/redirect pairs (medians are reported)")


def _seed(env: Any) -> str:
    app = env.app()
    with app.app_context():
        from lms.accounts import services as accounts
        from lms.accounts.models import OrganisationKind
        from lms.affiliates.models import PayoutMethod
        from lms.affiliates.services import programmes
        from lms.core.security import Role
        from lms.extensions import db

        body = accounts.create_organisation(
            kind=OrganisationKind.CERTIFICATION_BODY, name="Certification Body", slug="body"
        )
        staff = accounts.register_user(
            email="bench-staff@example.com",
            password="bench-password-123",
            display_name="Staff",
            legal_name="Staff",
            send_verification=False,
        )
        accounts.grant_role(staff, body, Role.STAFF, actor_id=None)
        person = accounts.register_user(
            email="bench-affiliate@example.com",
            password="bench-password-123",
            display_name="Bench Affiliate",
            legal_name="Bench Affiliate",
            send_verification=False,
        )
        programme = programmes.ensure_programme(None)
        affiliate = programmes.apply(
            person,
            programme,
            website="https://bench.example.com",
            channels="A blog about AI",
            audience="Developers learning about AI",
            payout_method=PayoutMethod.PAYPAL,
            payout_details="bench-affiliate@example.com",
            preferred_code="BENCH",
        )
        programmes.approve(affiliate, actor_id=staff.id)
        db.session.commit()
        code = affiliate.code
        db.engine.dispose()
    return code


def _count_clicks(env: Any) -> dict[str, int]:
    app = env.app()
    with app.app_context():
        import sqlalchemy as sa

        from lms.affiliates.models import Click
        from lms.extensions import db

        rows = db.session.execute(sa.select(Click.kind, sa.func.count()).group_by(Click.kind)).all()
        counts = {kind.value: int(n) for kind, n in rows}
        db.engine.dispose()
    return counts


def run(args: argparse.Namespace) -> dict[str, Any]:
    with environment("affiliates", args.database_url) as env:
        code = _seed(env)
        human = {"User-Agent": BROWSER, "Cookie": VISITOR_COOKIE}
        bot = {"User-Agent": CRAWLER}
        target = f"/r/{code}/schedule"
        with gunicorn(env) as base:
            log("warming up")
            wrk(f"{base}/livez", seconds=2, connections=args.connections)
            warm = wrk(f"{base}{target}", seconds=2, connections=args.connections, headers=human)
            before = _count_clicks(env)
            hellos, redirects = [], []
            for number in range(1, args.rounds + 1):
                log(f"round {number}: hello then redirect, {args.seconds}s each, {args.connections} connections")
                hellos.append(wrk(f"{base}/livez", seconds=args.seconds, connections=args.connections))
                redirects.append(
                    wrk(f"{base}{target}", seconds=args.seconds, connections=args.connections, headers=human)
                )
            log("crawler clicks")
            bots = wrk(f"{base}{target}", seconds=max(2, args.seconds // 2), connections=args.connections, headers=bot)
        after = _count_clicks(env)
    counted = sum(after.get(k, 0) - before.get(k, 0) for k in ("unique", "repeat"))
    bot_counted = after.get("bot", 0) - before.get("bot", 0)
    sent = sum(r.requests for r in redirects)
    # wrk counts completed responses; the server may finish the requests in flight when it stopped.
    slack = args.connections * len(redirects)
    all_counted = sent <= counted <= sent + slack and bots.requests <= bot_counted <= bots.requests + args.connections
    ratios = [r.rps / h.rps for h, r in zip(hellos, redirects, strict=True) if h.rps]
    ratio = statistics.median(ratios) if ratios else 0.0
    figures = {
        "database": env.database_label,
        "workers": 2,
        "connections": args.connections,
        "rounds": len(redirects),
        "hello_rps": round(statistics.median(h.rps for h in hellos), 1),
        "hello_p95_ms": round(statistics.median(h.p95_ms for h in hellos), 2),
        "redirect_rps": round(statistics.median(r.rps for r in redirects), 1),
        "redirect_p50_ms": round(statistics.median(r.p50_ms for r in redirects), 2),
        "redirect_p95_ms": round(statistics.median(r.p95_ms for r in redirects), 2),
        "redirect_ratio": round(ratio, 3),
        "round_ratios": [round(r, 3) for r in ratios],
        "clicks_sent": sent,
        "clicks_counted": counted,
        "bot_clicks_sent": bots.requests,
        "bot_clicks_counted": bot_counted,
        "warmup_clicks": warm.requests,
        "errors": sum(r.errors for r in (*hellos, *redirects, bots)),
        "all_clicks_counted": all_counted,
        "target_met": ratio >= 0.5,
    }
    figures["failed"] = not (all_counted and ratio >= 0.5 and figures["errors"] == 0)
    return figures
