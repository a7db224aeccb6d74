"""Exam day: 1,000 candidates sign in and start within a minute; then 2,000 answer with think time.

Against gunicorn (2 workers) on a fresh database (SQLite by default, PostgreSQL with --database-url):

1. start: ``--start-candidates`` (1,000) sign in and start the AI+ Essentials exam, their arrivals spread
   evenly over ``--start-window`` seconds (60). Each does what a browser does: sign-in page, sign-in,
   exam page (check-in), start, attempt page. ``start_p95_ms`` is the start request plus the attempt
   page it opens; ``login_p95_ms`` the sign-in POST (argon2id at the production cost).
2. the remaining candidates (up to ``--candidates``, 2,000) sign in and start the same way (ramped).
3. answering: every candidate waits 30–90 s (think time), answers the next question (a save with a
   sequence number), and polls the attempt's state when it has not heard from the server for 60 s,
   as the page does, for ``--duration`` seconds. Then every acknowledged answer is looked up in the
   database.
4. throughput: wrk against the bare ``/livez`` ("hello") and against the save endpoint, same
   connections, in the same run: ``save_ratio_to_hello``.

The benchmark raises the per-address sign-in limit (LMS_LOGIN_RATE_LIMIT_PER_ADDRESS), since all
candidates sign in from one address here. ``--scale 0.05 --duration 30`` is a quick smoke run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

from bench.common import environment, gunicorn, log, percentile, wrk

PASSWORD = "bench-password-123"
TRACK = "ESS"
RATE_LIMIT = "1000000 per minute"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SEQ_ATTR = re.compile(r'data-seq="(\d+)"')


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--candidates", type=int, default=2000, help="candidates answering concurrently")
    parser.add_argument("--start-candidates", type=int, default=1000, help="candidates starting in the window")
    parser.add_argument("--start-window", type=float, default=60.0, help="seconds over which they arrive")
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of the answering phase")
    parser.add_argument("--think-min", type=float, default=30.0)
    parser.add_argument("--think-max", type=float, default=90.0)
    parser.add_argument(
        "--state-idle", type=float, default=60.0, help="the page polls its state after this many quiet seconds"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the candidate counts (smoke runs)")
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk phase")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (the issue's figures: 2)")


# --- seeding -------------------------------------------------------------------------------------


def seed(env: Any, users: int) -> dict[str, Any]:
    """A certification with the demo ESS bank, an open blueprint, and ``users`` eligible candidates."""
    app = env.app()
    with app.app_context():
        import sqlalchemy as sa

        from lms.accounts.models import User
        from lms.accounts.passwords import hash_password
        from lms.core.time import utcnow
        from lms.courses.models import (
            CertificationTrack,
            Course,
            CourseVersion,
            CourseVersionStatus,
            Enrolment,
            EnrolmentSource,
            EnrolmentStatus,
        )
        from lms.exams.demo_items import as_json_items, ess
        from lms.exams.models import ExamVoucher, ReviewPolicy
        from lms.exams.services import bank, blueprints, transfer, vouchers
        from lms.extensions import db

        track = CertificationTrack(code=TRACK, slug="ai-plus-essentials", names={"en": "AI+ Essentials"})
        course = Course(track=track, code="ESS-101", slug="ess-101")
        version = CourseVersion(
            course=course, number=1, status=CourseVersionStatus.PUBLISHED, delivery_modes=["elearning"]
        )
        db.session.add_all([track, course, version])
        db.session.flush()
        for code, names in ess.DOMAINS.items():
            bank.save_domain(track, code, names, actor_id=None)
        entries, errors = transfer.inputs_from_json(json.dumps(as_json_items(TRACK, ess.ITEMS)))
        assert not errors and bank.apply_inputs(track, entries, actor_id=None).ok
        blueprints.save_blueprint(
            track,
            blueprints.BlueprintFields(
                domain_counts=dict.fromkeys(ess.DOMAINS, 6),
                time_limit_minutes=90,
                pass_percent=70,
                scale_min=0,
                scale_max=1000,
                scale_cut=700,
                attempts_allowed=0,
                retake_wait_days=[1, 14],
                max_attempts_per_year=4,
                voucher_required=True,
                attempts_per_seat=1,
                voucher_validity_days=365,
                review_policy=ReviewPolicy.FLAGGED,
                integrity_threshold=8,
                webcam_snapshot_seconds=0,
                languages=["en"],
            ),
            activate=True,
            actor_id=None,
        )
        # One real argon2id hash at the configured cost, shared: seeding 2,000 hashes would take a minute.
        password_hash = hash_password(PASSWORD)
        now = utcnow()
        emails = [f"candidate{n:05d}@bench.lms" for n in range(users)]
        db.session.execute(
            sa.insert(User),
            [
                {
                    "email": email,
                    "password_hash": password_hash,
                    "display_name": f"Candidate {n}",
                    "legal_name": f"Bench Candidate {n}",
                    "locale": "en",
                    "timezone": "UTC",
                    "session_version": 1,
                    "is_active": True,
                    "email_verified_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
                for n, email in enumerate(emails)
            ],
        )
        ids = dict(db.session.execute(sa.select(User.email, User.id).where(User.email.in_(emails))).all())
        db.session.execute(
            sa.insert(Enrolment),
            [
                {
                    "user_id": ids[email],
                    "course_version_id": version.id,
                    "status": EnrolmentStatus.COMPLETED,
                    "source": EnrolmentSource.STAFF,
                    "started_at": now,
                    "completed_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
                for email in emails
            ],
        )
        db.session.execute(
            sa.insert(ExamVoucher),
            [
                {
                    "code": vouchers.new_code(),
                    "user_id": ids[email],
                    "track_id": track.id,
                    "status": "available",
                    "origin_ref": f"bench:{ids[email]}",
                    "origin_index": 1,
                    "expires_at": now.replace(year=now.year + 1),
                    "created_at": now,
                    "updated_at": now,
                }
                for email in emails
            ],
        )
        db.session.commit()
        db.engine.dispose()
    return {"emails": emails}


def answers_for(env: Any, attempt_ids: list[int]) -> dict[int, dict[int, Any]]:
    """A valid answer for every question of these attempts (the benchmark may read keys; browsers never do)."""
    app = env.app()
    with app.app_context():
        import sqlalchemy as sa

        from lms.exams.models import AttemptItem, ItemVersion
        from lms.extensions import db

        rows = db.session.execute(
            sa.select(AttemptItem.attempt_id, AttemptItem.position, ItemVersion.type, ItemVersion.key)
            .join(ItemVersion, AttemptItem.item_version_id == ItemVersion.id)
            .where(AttemptItem.attempt_id.in_(attempt_ids))
        ).all()
        db.engine.dispose()
    out: dict[int, dict[int, Any]] = {}
    for attempt_id, position, kind, key in rows:
        out.setdefault(attempt_id, {})[position] = {
            "single_choice": lambda k: k["correct"],
            "multiple_response": lambda k: sorted(k["correct"]),
            "true_false": lambda k: k["correct"],
            "ordering": lambda k: list(k["order"]),
            "matching": lambda k: dict(k["pairs"]),
        }[kind](key)
    return out


def stored_answers(env: Any, attempt_ids: list[int]) -> dict[tuple[int, int], tuple[Any, int]]:
    app = env.app()
    with app.app_context():
        import sqlalchemy as sa

        from lms.exams.models import AttemptItem
        from lms.extensions import db

        rows = db.session.execute(
            sa.select(
                AttemptItem.attempt_id, AttemptItem.position, AttemptItem.response, AttemptItem.response_seq
            ).where(AttemptItem.attempt_id.in_(attempt_ids))
        ).all()
        db.engine.dispose()
    return {(a, p): (r, s) for a, p, r, s in rows}


# --- candidates ----------------------------------------------------------------------------------


@dataclass
class Candidate:
    email: str
    session: Any = None
    csrf: str = ""
    attempt_id: int = 0
    seq: int = 0
    questions: int = 0
    acked: list[tuple[int, int, Any]] = field(default_factory=list)


@dataclass
class Figures:
    login: list[float] = field(default_factory=list)
    start: list[float] = field(default_factory=list)
    flow: list[float] = field(default_factory=list)
    save: list[float] = field(default_factory=list)
    state: list[float] = field(default_factory=list)
    start_errors: int = 0
    save_errors: int = 0
    state_errors: int = 0
    errors: list[str] = field(default_factory=list)

    def error(self, message: str) -> None:
        if len(self.errors) < 20:
            self.errors.append(message)


async def _text(response: Any) -> str:
    return await response.text()


async def sign_in_and_start(base: str, candidate: Candidate, connector: Any, figures: Figures, measured: bool) -> bool:
    import aiohttp

    candidate.session = aiohttp.ClientSession(
        connector=connector, connector_owner=False, cookie_jar=aiohttp.CookieJar(unsafe=True)
    )
    session = candidate.session
    began = time.perf_counter()
    try:
        async with session.get(f"{base}/login") as r:
            token = CSRF_FIELD.search(await _text(r)) or CSRF_META.search(await _text(r))
        data = {"csrf_token": token.group(1), "email": candidate.email, "password": PASSWORD}
        t0 = time.perf_counter()
        async with session.post(f"{base}/login", data=data, allow_redirects=False) as r:
            await r.read()
            if r.status != 302 or "/dashboard" not in r.headers.get("Location", ""):
                raise RuntimeError(f"sign-in answered {r.status}")
        login_ms = (time.perf_counter() - t0) * 1000
        async with session.get(f"{base}/exams/{TRACK}") as r:
            page = await _text(r)
            token = CSRF_FIELD.search(page) or CSRF_META.search(page)
            if r.status != 200 or token is None:
                raise RuntimeError(f"check-in page answered {r.status}")
        form = {
            "csrf_token": token.group(1),
            "identity_confirmed": "y",
            "rules_accepted": "y",
            "confidentiality_accepted": "y",
            "language": "en",
        }
        t1 = time.perf_counter()
        async with session.post(f"{base}/exams/{TRACK}/start", data=form, allow_redirects=False) as r:
            await r.read()
            location = r.headers.get("Location", "")
            if r.status != 302 or "/exams/attempts/" not in location:
                raise RuntimeError(f"start answered {r.status}")
        async with session.get(f"{base}{location}" if location.startswith("/") else location) as r:
            page = await _text(r)
            if r.status != 200:
                raise RuntimeError(f"attempt page answered {r.status}")
        start_ms = (time.perf_counter() - t1) * 1000
        candidate.attempt_id = int(location.rstrip("/").rsplit("/", 1)[-1])
        candidate.csrf = CSRF_META.search(page).group(1)
        candidate.seq = int(SEQ_ATTR.search(page).group(1))
        candidate.questions = page.count('class="exam-question"')
    except Exception as exc:
        if measured:
            figures.start_errors += 1
        figures.error(f"{candidate.email}: {exc!r}")
        return False
    if measured:
        figures.login.append(login_ms)
        figures.start.append(start_ms)
        figures.flow.append((time.perf_counter() - began) * 1000)
    return True


async def start_wave(
    base: str, candidates: list[Candidate], window: float, connector: Any, figures: Figures, measured: bool
) -> float:
    began = time.perf_counter()
    gap = window / max(1, len(candidates))

    async def one(index: int, candidate: Candidate) -> bool:
        await asyncio.sleep(index * gap)
        return await sign_in_and_start(base, candidate, connector, figures, measured)

    await asyncio.gather(*(one(i, c) for i, c in enumerate(candidates)))
    return time.perf_counter() - began


async def answer_loop(
    base: str, candidate: Candidate, answers: dict[int, Any], args: argparse.Namespace, figures: Figures, stop_at: float
) -> None:
    session = candidate.session
    headers = {"X-CSRFToken": candidate.csrf, "Accept": "application/json"}
    rng = random.Random(candidate.attempt_id)
    position = 0
    last_heard = time.monotonic() - rng.uniform(0, args.state_idle)
    next_save = time.monotonic() + rng.uniform(0, args.think_max)
    while True:
        now = time.monotonic()
        next_state = last_heard + args.state_idle
        wake = min(next_state, next_save)
        if wake >= stop_at:
            return
        await asyncio.sleep(max(0.0, wake - now))
        if next_state < next_save:
            t0 = time.perf_counter()
            try:
                async with session.get(f"{base}/exams/attempts/{candidate.attempt_id}/state", headers=headers) as r:
                    await r.read()
                    ok = r.status == 200
            except Exception as exc:
                ok = False
                figures.error(f"state: {exc!r}")
            last_heard = time.monotonic()
            figures.state.append((time.perf_counter() - t0) * 1000)
            figures.state_errors += 0 if ok else 1
            continue
        next_save += rng.uniform(args.think_min, args.think_max)
        position = position % candidate.questions + 1
        candidate.seq += 1
        # Every other pass over the questions clears the answer, so each save really changes the row.
        response = answers[position] if (candidate.seq // candidate.questions) % 2 == 0 else None
        body = {"position": position, "response": response, "flagged": False, "seq": candidate.seq}
        t0 = time.perf_counter()
        try:
            async with session.post(
                f"{base}/exams/attempts/{candidate.attempt_id}/save", json=body, headers=headers
            ) as r:
                await r.read()
                status = r.status
        except Exception as exc:
            status = 0
            figures.error(f"save: {exc!r}")
        figures.save.append((time.perf_counter() - t0) * 1000)
        if status == 200:
            last_heard = time.monotonic()
            candidate.acked.append((position, candidate.seq, response))
        else:
            figures.save_errors += 1
            if status:
                figures.error(f"save answered {status}")


# --- wrk: saves at full speed --------------------------------------------------------------------

WRK_SAVE = """
local counter = 0
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
init = function(args)
  local spec = args[id]
  local attempt, cookie, csrf, answers = spec:match("^(%d+)|([^|]*)|([^|]*)|(.*)$")
  path = "/exams/attempts/" .. attempt .. "/save"
  headers = {["Content-Type"] = "application/json", ["Cookie"] = cookie, ["X-CSRFToken"] = csrf,
             ["Accept"] = "application/json"}
  bodies = {}
  for answer in answers:gmatch("[^\\t]+") do table.insert(bodies, answer) end
end
request = function()
  counter = counter + 1
  local position = (counter % #bodies) + 1
  local response = bodies[position]
  if (math.floor(counter / #bodies) % 2) == 1 then response = "null" end
  local body = string.format('{"position":%d,"response":%s,"flagged":false,"seq":%d}', position, response,
                             1000000 + counter)
  return wrk.format("POST", path, headers, body)
end
done = function(summary, latency, requests)
  io.write(string.format("LMS requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d errors=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout))
end
"""


def wrk_saves(base: str, specs: list[str], seconds: int, connections: int) -> Any:
    import os
    import shutil
    import subprocess

    from bench.common import LoadResult

    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SAVE)
    command = [
        "wrk",
        "-t",
        str(len(specs)),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "-s",
        script.name,
        base,
        "--",
        *specs,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    match = re.search(
        r"LMS requests=(\d+) duration_us=(\d+) p50_us=(\d+) p95_us=(\d+) p99_us=(\d+) errors=(\d+)", output
    )
    if not match:
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    requests, duration, p50, p95, p99, errors = (int(g) for g in match.groups())
    return LoadResult(requests, requests / (duration / 1e6), p50 / 1000, p95 / 1000, p99 / 1000, errors)


def _cookie_header(candidate: Candidate, base: str) -> str:
    from yarl import URL

    cookies = candidate.session.cookie_jar.filter_cookies(URL(f"{base}/exams/attempts/1/save"))
    return "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())


# --- the run -------------------------------------------------------------------------------------


async def exam_day(base: str, env: Any, emails: list[str], args: argparse.Namespace) -> dict[str, Any]:
    import aiohttp

    figures = Figures()
    connector = aiohttp.TCPConnector(limit=512, limit_per_host=512, keepalive_timeout=25)
    n_start = max(1, round(args.start_candidates * args.scale))
    n_all = max(n_start, round(args.candidates * args.scale))
    wrk_threads = 2
    candidates = [Candidate(email) for email in emails[: n_all + wrk_threads]]
    first, rest, for_wrk = candidates[:n_start], candidates[n_start:n_all], candidates[n_all:]
    try:
        log(f"start: {n_start} candidates sign in and start over {args.start_window:.0f} s")
        start_seconds = await start_wave(base, first, args.start_window, connector, figures, measured=True)
        log(f"start wave done in {start_seconds:.1f} s ({figures.start_errors} errors)")
        if rest:
            log(f"the other {len(rest)} candidates sign in and start")
            await start_wave(base, rest, max(10.0, args.start_window * len(rest) / n_start), connector, figures, False)
        for candidate in for_wrk:
            await sign_in_and_start(base, candidate, connector, figures, measured=False)
        answering = [c for c in first + rest if c.attempt_id]
        answers = answers_for(env, [c.attempt_id for c in answering + for_wrk if c.attempt_id])
        think = f"{args.think_min:.0f}–{args.think_max:.0f} s"
        log(f"answering: {len(answering)} candidates, think time {think}, {args.duration:.0f} s")
        stop_at = time.monotonic() + args.duration
        await asyncio.gather(*(answer_loop(base, c, answers[c.attempt_id], args, figures, stop_at) for c in answering))
        specs = [
            f"{c.attempt_id}|{_cookie_header(c, base)}|{c.csrf}|"
            + "\t".join(json.dumps(answers[c.attempt_id][p]) for p in sorted(answers[c.attempt_id]))
            for c in for_wrk
            if c.attempt_id
        ]
    finally:
        for candidate in candidates:
            if candidate.session is not None:
                await candidate.session.close()
        await connector.close()
    return {
        "figures": figures,
        "answering": answering,
        "start_seconds": start_seconds,
        "n_start": n_start,
        "specs": specs,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    total = max(1, round(args.candidates * args.scale)) + 2
    with environment("exams", args.database_url) as env:
        log(f"seeding {total} candidates and the ESS bank")
        seeded = seed(env, total)
        extra = {"LMS_LOGIN_RATE_LIMIT_PER_ADDRESS": RATE_LIMIT}
        with gunicorn(env, workers=args.workers, threads=args.threads, **extra) as base:
            outcome = asyncio.run(exam_day(base, env, seeded["emails"], args))
            log(f"wrk: hello and saves, {args.seconds} s each, {args.connections} connections")
            wrk(f"{base}/livez", seconds=2, connections=args.connections)
            hello = wrk(f"{base}/livez", seconds=args.seconds, connections=args.connections)
            saves = wrk_saves(base, outcome["specs"], args.seconds, args.connections)
        figures: Figures = outcome["figures"]
        answering: list[Candidate] = outcome["answering"]
        stored = stored_answers(env, [c.attempt_id for c in answering])
        acknowledged = sum(len(c.acked) for c in answering)
        kept = 0
        for candidate in answering:
            last: dict[int, tuple[int, Any]] = {}
            for position, seq, response in candidate.acked:
                _response, seq_now = stored.get((candidate.attempt_id, position), (None, 0))
                kept += seq_now >= seq
                last[position] = (seq, response)
            for position, (seq, response) in last.items():
                if stored.get((candidate.attempt_id, position)) != (response, seq):
                    figures.error(
                        f"attempt {candidate.attempt_id} question {position}: last acknowledged answer not stored"
                    )
    result = {
        "database": env.database_label,
        "workers": args.workers,
        "threads_per_worker": args.threads,
        "scale": args.scale,
        "start_candidates": outcome["n_start"],
        "start_window_s": args.start_window,
        "start_wave_s": round(outcome["start_seconds"], 1),
        "login_p95_ms": round(percentile(figures.login, 95), 1),
        "start_p50_ms": round(percentile(figures.start, 50), 1),
        "start_p95_ms": round(percentile(figures.start, 95), 1),
        "start_flow_p95_ms": round(percentile(figures.flow, 95), 1),
        "start_errors": figures.start_errors,
        "candidates_answering": len(answering),
        "answering_duration_s": args.duration,
        "think_time_s": [args.think_min, args.think_max],
        "saves": len(figures.save),
        "save_p50_ms": round(percentile(figures.save, 50), 1),
        "save_p95_ms": round(percentile(figures.save, 95), 1),
        "save_p99_ms": round(percentile(figures.save, 99), 1),
        "save_errors": figures.save_errors,
        "state_polls": len(figures.state),
        "state_p95_ms": round(percentile(figures.state, 95), 1),
        "state_errors": figures.state_errors,
        "answers_acknowledged": acknowledged,
        "answers_stored": kept,
        "hello_rps": round(hello.rps, 1),
        "save_rps": round(saves.rps, 1),
        "save_wrk_p95_ms": round(saves.p95_ms, 2),
        "save_wrk_errors": saves.errors,
        "save_ratio_to_hello": round(saves.rps / hello.rps, 3) if hello.rps else 0.0,
        "login_rate_limit_per_address": RATE_LIMIT,
        "errors_sample": figures.errors[:5],
    }
    result["failed"] = bool(
        figures.start_errors
        or figures.save_errors
        or kept != acknowledged
        or any("not stored" in e for e in figures.errors)
    )
    return result
