"""Certificates: PDF render medians (Latin, Arabic, Japanese) and end-to-end bulk issue of a cohort by a
real Celery worker on Redis, including a run where the worker is SIGKILLed mid-batch and resumed.

    python -m bench certificates --database-url postgresql://postgres@127.0.0.1:5432/postgres

Figures: render_ms_* (median of in-process renders of a full certificate: template, QR code, logos,
PDF/A-3b, credential attached), pdf_bytes, issue_seconds for --count certificates (rows, render,
sign, store, audit, e-mail task) with a two-process worker pool, then the kill-and-resume run, and
duplicates / missing counted in the database afterwards.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from typing import Any

from bench.common import REPO_ROOT, Environment, environment, log

NAMES = {
    "latin": ("Zoë Łukasiewicz-Müller", None, "en"),
    "arabic": ("ليلى حسن", "Layla Hassan", "ar"),
    "japanese": ("佐藤 健二", "Kenji Sato", "ja"),
}


def add_arguments(parser: Any) -> None:
    parser.add_argument("--count", type=int, default=10_000, help="certificates in the timed cohort")
    parser.add_argument("--kill-count", type=int, default=2_000, help="certificates in the kill-and-resume cohort")
    parser.add_argument("--kill-at", type=float, default=0.3, help="fraction issued when the worker is killed")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes (prefork pool)")
    parser.add_argument("--renders", type=int, default=40, help="renders per script for the medians")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/4", help="Redis broker (its own DB number)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds to wait for a run")
    parser.add_argument("--skip-issue", action="store_true", help="only measure rendering")


def _seed_network(app: Any) -> dict[str, int]:
    from sqlalchemy import select

    from lms.accounts import services as accounts
    from lms.accounts.models import OrganisationKind
    from lms.certificates.demo import _logo
    from lms.core.db import write_transactions
    from lms.core.storage import get_storage
    from lms.courses.models import CertificationTrack, Course, CourseVersion, CourseVersionStatus
    from lms.extensions import db
    from lms.partners.models import ClassStatus, PartnerBranding, TrainingClass

    with app.app_context(), write_transactions():
        body = accounts.create_organisation(
            kind=OrganisationKind.CERTIFICATION_BODY, name="AI Certification Council", slug="body"
        )
        partner = accounts.create_organisation(
            kind=OrganisationKind.TRAINING_PARTNER, name="Gulf AI Academy", slug="gulf"
        )
        get_storage().save("branding/bench/gulf.png", _logo("GA", "#0E7C86"), "image/png")
        db.session.add_all(
            [
                PartnerBranding(
                    partner_id=body.id,
                    display_name=body.name,
                    signatory_name="Dr. Helen Park",
                    signatory_title="Chair, Certification Board",
                ),
                PartnerBranding(
                    partner_id=partner.id,
                    display_name=partner.name,
                    primary_colour="#0E7C86",
                    secondary_colour="#B54708",
                    logo_key="branding/bench/gulf.png",
                    signatory_name="Omar Al-Farsi",
                    signatory_title="Director of Training",
                ),
            ]
        )
        track = CertificationTrack(
            code="DEV",
            slug="ai-plus-developer",
            requires_course_completion=False,
            names={"en": "AI+ Developer", "ar": "الذكاء الاصطناعي+ للمطورين", "ja": "AI+ デベロッパー"},
        )
        db.session.add(track)
        db.session.flush()
        course = Course(track_id=track.id, code="DEV-101", slug="dev-101")
        db.session.add(course)
        db.session.flush()
        version = CourseVersion(course_id=course.id, status=CourseVersionStatus.PUBLISHED, titles={"en": "Dev"})
        db.session.add(version)
        db.session.flush()
        classes = []
        for _ in range(2):
            training_class = TrainingClass(
                partner_id=partner.id, course_version_id=version.id, status=ClassStatus.PUBLISHED, capacity=100_000
            )
            db.session.add(training_class)
            classes.append(training_class)
        db.session.commit()
        assert db.session.execute(select(CertificationTrack.id)).first()
        return {"partner": partner.id, "track": track.id, "classes": [c.id for c in classes]}


def _render_medians(app: Any, ids: dict[str, Any], renders: int) -> dict[str, Any]:
    from lms.accounts import services as accounts
    from lms.certificates.models import CertificateTemplate
    from lms.certificates.rendering import render_certificate
    from lms.certificates.services import issuing
    from lms.core.db import write_transactions
    from lms.courses.models import CertificationTrack
    from lms.extensions import db

    figures: dict[str, Any] = {}
    with app.app_context(), write_transactions():
        track = db.session.get(CertificationTrack, ids["track"])
        for script, (name, latin, language) in NAMES.items():
            user = accounts.register_user(
                email=f"render-{script}@bench.lms",
                password="bench-password-123",
                display_name=script,
                legal_name=name,
                legal_name_latin=latin,
                locale=language,
                send_verification=False,
            )
            certificate = issuing.issue_certificate(
                user=user,
                track=track,
                partner_id=ids["partner"],
                source_ref=f"bench:render:{script}",
                language=language,
            )
            db.session.commit()
            template = db.session.get(CertificateTemplate, certificate.template_id)
            for _ in range(3):  # warm-up: fonts, fontconfig, the pre-subset CJK font
                render_certificate(certificate, language, False, template)
            timings, cpu = [], []
            for _ in range(renders):
                started, started_cpu = time.perf_counter(), time.process_time()
                rendered = render_certificate(certificate, language, False, template)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            figures[f"render_ms_{script}"] = round(statistics.median(timings), 1)
            figures[f"render_cpu_ms_{script}"] = round(statistics.median(cpu), 1)
            figures[f"pdf_bytes_{script}"] = len(rendered.pdf)
            figures[f"missing_glyphs_{script}"] = len(rendered.missing_glyphs)
            log(f"{script}: median {figures[f'render_ms_{script}']} ms, {len(rendered.pdf)} bytes")
    figures["pdf_bytes"] = figures["pdf_bytes_latin"]
    return figures


def _seed_cohort(app: Any, ids: dict[str, Any], class_id: int, count: int, tag: str) -> None:
    """``count`` learners enrolled in the class, each with a recorded pass (bulk inserts)."""
    import sqlalchemy as sa

    from lms.accounts.models import User
    from lms.accounts.passwords import hash_password
    from lms.certificates.models import DecisionState, PassingDecision
    from lms.core.db import write_transactions
    from lms.core.time import utcnow
    from lms.courses.models import Enrolment, EnrolmentSource, EnrolmentStatus
    from lms.extensions import db
    from lms.partners.models import TrainingClass

    now = utcnow()
    with app.app_context(), write_transactions():
        password = hash_password("bench-password-123")
        version_id = db.session.get(TrainingClass, class_id).course_version_id
        for start in range(0, count, 2000):
            chunk = range(start, min(count, start + 2000))
            db.session.execute(
                sa.insert(User),
                [
                    {
                        "email": f"{tag}-{i}@bench.lms",
                        "password_hash": password,
                        "display_name": f"Learner {i}",
                        "legal_name": f"Learner {tag.upper()} {i}",
                        "legal_name_latin": None,
                        "locale": "en",
                        "timezone": "UTC",
                        "session_version": 1,
                        "is_active": True,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in chunk
                ],
            )
        users = dict(
            db.session.execute(sa.select(User.email, User.id).where(User.email.like(f"{tag}-%@bench.lms"))).all()
        )
        user_ids = [users[f"{tag}-{i}@bench.lms"] for i in range(count)]
        for start in range(0, count, 2000):
            chunk = user_ids[start : start + 2000]
            db.session.execute(
                sa.insert(Enrolment),
                [
                    {
                        "user_id": uid,
                        "course_version_id": version_id,
                        "status": EnrolmentStatus.COMPLETED,
                        "source": EnrolmentSource.PARTNER,
                        "partner_id": ids["partner"],
                        "class_id": class_id,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for uid in chunk
                ],
            )
            db.session.execute(
                sa.insert(PassingDecision),
                [
                    {
                        "source_ref": f"exam-attempt:{tag}-{uid}",
                        "user_id": uid,
                        "track_id": ids["track"],
                        "partner_id": ids["partner"],
                        "decided_at": now,
                        "state": DecisionState.PENDING,
                        "attempts": 0,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for uid in chunk
                ],
            )
        db.session.commit()


class Worker:
    """A real ``celery worker`` (prefork pool) in its own process group, so SIGKILL takes all of it."""

    def __init__(self, env: Environment, broker: str, concurrency: int) -> None:
        command = [
            sys.executable, "-m", "celery", "-A", "lms.worker:celery", "worker", "--pool", "prefork",
            "--concurrency", str(concurrency), "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--loglevel", "WARNING", "--prefetch-multiplier", "1",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env.env(LMS_BROKER_URL=broker, LMS_EMBEDDED_BEAT="false"),
            start_new_session=True,
            stdout=subprocess.DEVNULL,
        )

    def cpu_seconds(self) -> float:
        """User + system CPU time of every process of the worker (main and pool), from /proc."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.process.pid:  # process group = the worker's own session
                total += int(fields[11]) + int(fields[12])
        return total / ticks

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def _issued(app: Any, job_id: int) -> tuple[int, int]:
    from lms.certificates.models import BulkIssueJob
    from lms.certificates.services import bulk
    from lms.extensions import db

    with app.app_context():
        progress = bulk.job_progress(db.session.get(BulkIssueJob, job_id))
        db.session.remove()
    return progress.issued, progress.pending + progress.failed


def _start_job(app: Any, class_id: int) -> int:
    from lms.certificates.services import bulk
    from lms.core.db import write_transactions
    from lms.extensions import db
    from lms.partners.models import TrainingClass

    with app.app_context(), write_transactions():
        job = bulk.start_bulk_issue(db.session.get(TrainingClass, class_id), partner_id=None, actor_id=None)
        db.session.commit()  # the batches are published to the broker now
        return job.id


def _wait(app: Any, job_id: int, total: int, timeout: int, until: float = 1.0) -> float:
    started = time.monotonic()
    last = -1
    while True:
        issued, _open = _issued(app, job_id)
        if issued != last and issued % 1000 < 100:
            log(f"job {job_id}: {issued}/{total}")
        last = issued
        if issued >= total * until:
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"job {job_id} issued {issued}/{total} in {timeout}s")
        time.sleep(0.5)


def _resume(app: Any, job_id: int) -> int:
    from lms.certificates.models import BulkIssueJob
    from lms.certificates.services import bulk
    from lms.core.db import write_transactions
    from lms.extensions import db

    with app.app_context(), write_transactions():
        remaining = bulk.resume_job(db.session.get(BulkIssueJob, job_id), actor_id=None)
        db.session.commit()
        return remaining


def _count_problems(app: Any) -> dict[str, int]:
    import sqlalchemy as sa

    from lms.certificates.models import Certificate, CertificateDocument, PassingDecision
    from lms.core.audit import verify_chain
    from lms.extensions import db

    with app.app_context():
        per_decision = sa.select(Certificate.source_ref).group_by(Certificate.source_ref).having(sa.func.count() > 1)
        per_person = (
            sa.select(Certificate.user_id, Certificate.track_id)
            .group_by(Certificate.user_id, Certificate.track_id)
            .having(sa.func.count() > 1)
        )
        duplicates = db.session.execute(sa.select(sa.func.count()).select_from(per_decision.subquery())).scalar_one()
        duplicates += db.session.execute(sa.select(sa.func.count()).select_from(per_person.subquery())).scalar_one()
        missing = db.session.execute(
            sa.select(sa.func.count())
            .select_from(PassingDecision)
            .where(PassingDecision.certificate_id.is_(None), PassingDecision.source_ref.like("exam-attempt:%"))
        ).scalar_one()
        issued = db.session.execute(sa.select(sa.func.count()).select_from(Certificate)).scalar_one()
        # A batch creates its rows before rendering: a certificate left without its PDF is missing too.
        without_pdf = db.session.execute(
            sa.select(sa.func.count())
            .select_from(Certificate)
            .where(~sa.exists().where(CertificateDocument.certificate_id == Certificate.id))
        ).scalar_one()
        # Two processes appended audit events (a batch's at once): the hash chain must still hold.
        chain = verify_chain()
        return {
            "duplicates": duplicates,
            "missing": missing,
            "without_pdf": without_pdf,
            "certificates_total": issued,
            "audit_events_checked": chain.checked,
            "audit_chain_ok": chain.ok,
        }


def run(args: Any) -> dict[str, Any]:
    import redis

    figures: dict[str, Any] = {"benchmark": "certificates"}
    with environment("certificates", args.database_url) as env:
        figures["database"] = env.database_label
        app = env.app(BROKER_URL=args.broker)
        ids = _seed_network(app)
        figures.update(_render_medians(app, ids, args.renders))
        if args.skip_issue:
            return figures

        broker = redis.Redis.from_url(args.broker)
        broker.flushdb()  # our own DB number: leftovers of an earlier run would replay here
        timed_class, kill_class = ids["classes"]
        log(f"seeding {args.count} + {args.kill_count} learners with recorded passes")
        _seed_cohort(app, ids, timed_class, args.count, "timed")
        _seed_cohort(app, ids, kill_class, args.kill_count, "kill")

        worker = Worker(env, args.broker, args.concurrency)
        try:
            time.sleep(3)  # let the pool start before the clock does
            started = time.monotonic()
            cpu_before = worker.cpu_seconds()
            job_id = _start_job(app, timed_class)
            _wait(app, job_id, args.count, args.timeout)
            figures["issue_seconds"] = round(time.monotonic() - started, 1)
            # What the machine's load does not distort: worker CPU per certificate (PostgreSQL's own
            # CPU not included); two cores give issue_seconds ≈ count × this / 2 on a quiet machine.
            figures["issue_worker_cpu_ms_per_certificate"] = round(
                (worker.cpu_seconds() - cpu_before) * 1000 / args.count, 1
            )
            figures["issued"] = _issued(app, job_id)[0]
            figures["issue_per_second"] = round(figures["issued"] / figures["issue_seconds"], 1)
            log(f"issued {figures['issued']} in {figures['issue_seconds']} s")

            kill_job = _start_job(app, kill_class)
            _wait(app, kill_job, args.kill_count, args.timeout, until=args.kill_at)
            worker.kill()
            killed_at = _issued(app, kill_job)[0]
            log(f"SIGKILLed the worker with {killed_at}/{args.kill_count} issued")
            worker = Worker(env, args.broker, args.concurrency)
            figures["kill_resumed"] = _resume(app, kill_job)
            _wait(app, kill_job, args.kill_count, args.timeout)
            figures["kill_issued_before_kill"] = killed_at
            figures["kill_issued"] = _issued(app, kill_job)[0]
        finally:
            worker.stop()
            broker.flushdb()
        figures.update(_count_problems(app))
        figures["failed"] = bool(
            figures["duplicates"] or figures["missing"] or figures["without_pdf"] or not figures["audit_chain_ok"]
        )
    return figures
