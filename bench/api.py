"""Partner API throughput: a key-authenticated, partner-scoped page of enrolments vs. the bare baseline.

Each request checks the bearer key (lookup by key id + SHA-256 compare), the per-key rate limit,
scopes the query to the key's partner and serialises 50 enrolments through marshmallow.
"""

from __future__ import annotations

import argparse
from typing import Any

from bench.common import environment, gunicorn, log, wrk

ROWS = 300


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seconds", type=int, default=10, help="duration of each load phase")
    parser.add_argument("--connections", type=int, default=16)


def _seed(app: Any) -> str:
    with app.app_context():
        from lms.accounts import services as accounts
        from lms.accounts.models import OrganisationKind
        from lms.api.services import keys
        from lms.core.time import utcnow
        from lms.courses import services as courses
        from lms.courses.models import CertificationTrack, Course, CourseVersion, CourseVersionStatus, EnrolmentSource
        from lms.extensions import db

        partner = accounts.create_organisation(kind=OrganisationKind.TRAINING_PARTNER, name="Bench", slug="bench")
        other = accounts.create_organisation(kind=OrganisationKind.TRAINING_PARTNER, name="Other", slug="other")
        token = keys.create_api_key(
            partner_id=partner.id, name="bench", scopes=["enrolments:read"], actor_id=None
        ).token
        track = CertificationTrack(code="BEN", slug="bench", names={"en": "Bench"})
        db.session.add(track)
        db.session.flush()
        course = Course(track_id=track.id, code="BEN-1", slug="bench-1")
        db.session.add(course)
        db.session.flush()
        version = CourseVersion(
            course_id=course.id,
            status=CourseVersionStatus.PUBLISHED,
            titles={"en": "Bench"},
            delivery_modes=["elearning"],
            published_at=utcnow(),
        )
        db.session.add(version)
        db.session.flush()
        for n in range(ROWS):
            user = accounts.register_user(
                email=f"learner{n}@bench.example",
                password="bench-password-123",
                display_name=f"Learner {n}",
                legal_name=f"Learner {n}",
                send_verification=False,
            )
            courses.enrol(
                user_id=user.id,
                course_version_id=version.id,
                source=EnrolmentSource.PARTNER,
                partner_id=(partner if n % 2 == 0 else other).id,
            )
        db.session.commit()
        db.engine.dispose()
        return token


def run(args: argparse.Namespace) -> dict[str, Any]:
    with environment("api", args.database_url) as env:
        token = _seed(env.app())
        limits = {"LMS_API_RATE_LIMIT": "10000000 per minute"}
        with gunicorn(env, **limits) as base:
            url = f"{base}/api/v1/enrolments?limit=50"
            headers = {"Authorization": f"Bearer {token}"}
            log("warming up")
            wrk(f"{base}/livez", seconds=2, connections=args.connections)
            wrk(url, seconds=2, connections=args.connections, headers=headers)
            log(f"hello: {args.seconds}s, {args.connections} connections")
            hello = wrk(f"{base}/livez", seconds=args.seconds, connections=args.connections)
            log(f"enrolments page: {args.seconds}s, {args.connections} connections")
            page = wrk(url, seconds=args.seconds, connections=args.connections, headers=headers)
    return {
        "database": env.database_label,
        "workers": 2,
        "connections": args.connections,
        "page_size": 50,
        "hello_rps": round(hello.rps, 1),
        "enrolments_rps": round(page.rps, 1),
        "enrolments_p50_ms": round(page.p50_ms, 2),
        "enrolments_p95_ms": round(page.p95_ms, 2),
        "enrolments_ratio": round(page.rps / hello.rps, 3) if hello.rps else 0.0,
        "errors": hello.errors + page.errors,
    }
