"""Demo exams: a live item bank and an open blueprint for each certification, the demo learner's
ESS voucher, and a history of synthetic attempts so statistics and the review queue show something.

Safe to run again: items go through the same import as staff use (unchanged items stay unchanged),
blueprints and vouchers are found before they are created, the history is made once.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from lms.accounts import services as accounts
from lms.accounts.models import User
from lms.core.demo import DemoContext
from lms.core.time import utcnow
from lms.courses.models import CertificationTrack
from lms.exams.demo_items import as_json_items, dev, edu, ess, exe, hlt
from lms.exams.models import (
    AttemptEvent,
    EndReason,
    EventKind,
    ExamAttempt,
    ExamDomain,
    ReviewPolicy,
)
from lms.exams.services import bank, blueprints, grading, transfer, vouchers
from lms.exams.services.attempts import build_attempt
from lms.extensions import db

BANKS = {"ESS": ess, "DEV": dev, "EXE": exe, "HLT": hlt, "EDU": edu}
#: Items per domain in each exam (four domains → 24 items) and the time for them.
ITEMS_PER_DOMAIN = 6
TIME_LIMIT_MINUTES = 40
HISTORY_CANDIDATES = 36


def _tracks(context: DemoContext) -> dict[str, CertificationTrack]:
    tracks = dict(context.objects.get("tracks") or {})
    for track in db.session.execute(sa.select(CertificationTrack)).scalars():
        tracks.setdefault(track.code, track)
    return tracks


def _seed_bank(track: CertificationTrack, module: Any) -> None:
    existing = {d.code for d in bank.domains_of(track.id)}
    for position, (code, names) in enumerate(module.DOMAINS.items()):
        if code not in existing:
            domain = bank.save_domain(track, code, names, actor_id=None)
            domain.position = position
    entries, errors = transfer.inputs_from_json(json.dumps(as_json_items(track.code, module.ITEMS)))
    report = bank.apply_inputs(track, entries, actor_id=None, note="demo") if not errors else None
    if errors or report is None or not report.ok:
        problems = errors or (report.errors if report else [])
        raise RuntimeError(f"demo items of {track.code} do not import: {problems[:3]}")


def _seed_blueprint(track: CertificationTrack, module: Any) -> None:
    if blueprints.blueprint_for(track.id) is not None:
        return
    languages = ["en", "ar"] if track.code == "ESS" else ["en"]
    blueprints.save_blueprint(
        track,
        blueprints.BlueprintFields(
            domain_counts={code: ITEMS_PER_DOMAIN for code in module.DOMAINS},
            time_limit_minutes=TIME_LIMIT_MINUTES,
            pass_percent=70,
            scale_min=0,
            scale_max=1000,
            scale_cut=700,
            attempts_allowed=0,
            retake_wait_days=[1, 14],
            max_attempts_per_year=4,
            voucher_required=True,
            attempts_per_seat=2,
            voucher_validity_days=365,
            review_policy=ReviewPolicy.FLAGGED,
            integrity_threshold=8,
            # The healthcare exam shows webcam snapshots; the others do without.
            webcam_snapshot_seconds=60 if track.code == "HLT" else 0,
            languages=languages,
        ),
        activate=True,
        actor_id=None,
    )


def _learner_voucher(context: DemoContext, track: CertificationTrack) -> None:
    """The demo learner sits ESS delivered by Gulf AI Academy, so its proctor can watch the attempt."""
    learner = context.accounts.get("learner@demo.lms")
    gulf = context.organisations.get("atp_gulf")
    if learner is None:
        return
    now = utcnow()
    held = vouchers.vouchers_of(learner.id, track.id)
    if any(v.usable(now) and v.partner_id for v in held):
        return
    # Expiring before a seat's vouchers, it is the one the next attempt uses.
    vouchers.grant(
        user_id=learner.id,
        track_id=track.id,
        origin_ref="demo:learner:ESS",
        count=1,
        partner_id=gulf.id if gulf is not None else None,
        expires_at=now + timedelta(days=120),
    )


def _candidate(n: int, password: str) -> User:
    email = f"candidate{n:02d}@demo.lms"
    user = accounts.find_user_by_email(email)
    if user is None:
        user = accounts.register_user(
            email=email,
            password=password,
            display_name=f"Candidate {n:02d}",
            legal_name=f"Demo Candidate {n:02d}",
            send_verification=False,
        )
        user.email_verified_at = user.created_at
    return user


def _simulated_response(version: Any, option_order: list[str], correct: bool, rng: random.Random) -> Any:
    key = version.key
    options = option_order or [o["id"] for o in next(iter(version.content.values())).get("options", [])]
    kind = version.type
    if kind == "true_false":
        return key["correct"] if correct else not key["correct"]
    if kind == "single_choice":
        wrong = [o for o in options if o != key["correct"]]
        return key["correct"] if correct or not wrong else rng.choice(wrong)
    if kind == "multiple_response":
        if correct:
            return sorted(key["correct"])
        picked = set(key["correct"][:-1]) | {rng.choice(options)}
        return sorted(picked) if picked != set(key["correct"]) else sorted(options[:1])
    if kind == "ordering":
        if correct:
            return list(key["order"])
        shuffled = list(key["order"])
        shuffled[0], shuffled[-1] = shuffled[-1], shuffled[0]
        return shuffled
    pairs = dict(key["pairs"])
    if not correct:
        prompts = sorted(pairs)
        pairs[prompts[0]], pairs[prompts[1]] = pairs[prompts[1]], pairs[prompts[0]]
    return pairs


def _history(context: DemoContext, track: CertificationTrack) -> None:
    """Finished attempts of synthetic candidates (abilities spread out), made once per demo database."""
    blueprint = blueprints.active_blueprint(track.id)
    done = db.session.execute(sa.select(sa.func.count(ExamAttempt.id)).where(ExamAttempt.track_id == track.id)).scalar()
    if blueprint is None or done:
        return
    rng = random.Random(2026)
    difficulty = {i.id: i.difficulty for i in bank.items_of(track.id)}
    for n in range(1, HISTORY_CANDIDATES + 1):
        user = _candidate(n, context.password)
        ability = rng.gauss(0.2, 1.0)
        started = utcnow() - timedelta(days=rng.randint(3, 60), minutes=rng.randint(0, 600))
        attempt = build_attempt(
            user.id,
            blueprint,
            language="en",
            number=1,
            checkin={"legal_name": user.legal_name, "identity_confirmed": True, "webcam_consent": False},
            now=started,
        )
        for item in attempt.items:
            chance = 1 / (1 + pow(2.718281828, -(ability - (difficulty.get(item.item_id, 3) - 3) * 0.8 + 0.1)))
            item.response = _simulated_response(item.version, item.option_order, rng.random() < chance, rng)
            item.response_seq = item.position
            item.answered_at = started + timedelta(minutes=item.position)
        if n == HISTORY_CANDIDATES:  # one attempt full of integrity signals: it waits in the review queue
            for minute in range(9):
                db.session.add(
                    AttemptEvent(
                        attempt_id=attempt.id,
                        occurred_at=started + timedelta(minutes=minute * 3 + 1),
                        kind=EventKind.FOCUS_LOST,
                        source="candidate",
                    )
                )
            attempt.integrity_count = 9
            attempt.flagged = True
        db.session.flush()
        grading.finish_attempt(attempt.id, EndReason.SUBMITTED, now=started + timedelta(minutes=len(attempt.items) + 3))
    db.session.flush()


def seed(context: DemoContext) -> None:
    tracks = _tracks(context)
    for code, module in BANKS.items():
        track = tracks.get(code)
        if track is None:
            continue
        _seed_bank(track, module)
        _seed_blueprint(track, module)
    db.session.flush()
    ess_track = tracks.get("ESS")
    if ess_track is not None:
        _learner_voucher(context, ess_track)
        _history(context, ess_track)
    context.objects["exam_domains"] = {
        t.code: [d.code for d in db.session.execute(sa.select(ExamDomain).where(ExamDomain.track_id == t.id)).scalars()]
        for t in tracks.values()
    }
