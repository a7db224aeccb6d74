"""Classical item statistics from stored responses, for staff.

Counted: items of finished attempts whose result was not invalidated (scores as last re-scored).

* facility (p-value): the mean item score — for a right/wrong item, the share who got it right;
* discrimination: the point-biserial correlation (Pearson) between the item score and the
  candidate's *rest score* — the share of the other scored items of the attempt they got right
  (the item itself left out, so it does not correlate with itself);
* option distribution: how many chose each option (choice items), true/false, or how many were
  right, partly right, wrong or omitted (ordering, matching);
* exposure: how many attempts served the item (also those under way), and the share of all attempts;
  flagged when it is well above the average share of the bank's served items;
* reliability per form (KR-20, or coefficient alpha with partial credit): every attempt built from
  the same blueprint version is one form. Random draws give candidates different items, so the sum of
  item variances is taken over each attempt's own items and averaged; when all candidates see the
  same items this is exactly the classical KR-20. Variances are population variances (÷ N).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lms.core.csvio import write_csv
from lms.exams.models import AttemptItem, AttemptStatus, ExamAttempt, Item, ItemVersion, ResultStatus
from lms.extensions import db

#: Below this many responses an item gets only the "few responses" flag.
MIN_RESPONSES = 20
TOO_EASY = 0.95
TOO_HARD = 0.25
LOW_DISCRIMINATION = 0.15
#: An item served this many times more often than the bank's average is over-exposed.
OVEREXPOSED = 1.5

FLAG_LABELS = {
    "few_responses": _l("Too few responses to judge"),
    "too_easy": _l("Almost everyone gets it right"),
    "too_hard": _l("Very few get it right"),
    "low_discrimination": _l("Does not separate strong from weak candidates"),
    "negative_discrimination": _l("Weaker candidates do better: check the key"),
    "distractor_beats_key": _l("A wrong option is chosen more than the key: check the key"),
    "unused_distractor": _l("An option nobody chooses"),
    "overexposed": _l("Served far more often than the other items"),
}


@dataclass
class ItemStats:
    item_id: int
    code: str
    domain: str
    status: str
    responses: int = 0
    facility: float | None = None
    discrimination: float | None = None
    exposure: int = 0
    exposure_rate: float = 0.0
    options: dict[str, int] = field(default_factory=dict)
    key: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


@dataclass
class FormStats:
    blueprint_version: int
    attempts: int
    items_per_form: int
    mean_percent: float | None
    kr20: float | None


def pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def population_variance(values: list[float]) -> float:
    n = len(values)
    if n == 0:
        return 0.0
    mean = sum(values) / n
    return sum((v - mean) ** 2 for v in values) / n


def _rows(track_id: int) -> list[Any]:
    return list(
        db.session.execute(
            sa.select(
                AttemptItem.attempt_id,
                AttemptItem.item_id,
                AttemptItem.scored,
                AttemptItem.score,
                AttemptItem.response,
                ExamAttempt.blueprint_version,
            )
            .join(ExamAttempt, AttemptItem.attempt_id == ExamAttempt.id)
            .where(
                ExamAttempt.track_id == track_id,
                ExamAttempt.status == AttemptStatus.COMPLETED,
                ExamAttempt.result_status != ResultStatus.INVALIDATED,
            )
        ).all()
    )


def _distribution(qtype: str, responses: list[Any], scores: list[float]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for response, score in zip(responses, scores, strict=True):
        if response is None:
            counts["omitted"] += 1
        elif qtype == "single_choice":
            counts[str(response)] += 1
        elif qtype == "multiple_response":
            counts.update(str(r) for r in response)
        elif qtype == "true_false":
            counts["true" if response else "false"] += 1
        else:
            counts["correct" if score >= 1 else "partial" if score > 0 else "incorrect"] += 1
    return counts


def _flags(
    stats: ItemStats, qtype: str, option_ids: list[str], counts: Counter[str], mean_exposure: float
) -> list[str]:
    flags = []
    if mean_exposure and stats.exposure_rate > OVEREXPOSED * mean_exposure:
        flags.append("overexposed")
    if stats.responses < MIN_RESPONSES:
        return ["few_responses", *flags]
    assert stats.facility is not None
    if stats.facility > TOO_EASY:
        flags.append("too_easy")
    if stats.facility < TOO_HARD:
        flags.append("too_hard")
    if stats.discrimination is not None:
        if stats.discrimination < 0:
            flags.append("negative_discrimination")
        elif stats.discrimination < LOW_DISCRIMINATION:
            flags.append("low_discrimination")
    if qtype == "single_choice" and stats.key:
        key_count = counts.get(stats.key[0], 0)
        distractors = [oid for oid in option_ids if oid not in stats.key]
        if any(counts.get(oid, 0) > key_count for oid in distractors):
            flags.append("distractor_beats_key")
        if any(counts.get(oid, 0) == 0 for oid in distractors):
            flags.append("unused_distractor")
    return flags


def item_statistics(track_id: int) -> tuple[list[ItemStats], list[FormStats]]:
    rows = _rows(track_id)
    # Per attempt: scored points and count, for the rest score.
    totals: dict[int, list[float]] = defaultdict(lambda: [0.0, 0])
    for row in rows:
        if row.scored:
            totals[row.attempt_id][0] += row.score or 0.0
            totals[row.attempt_id][1] += 1
    per_item: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        per_item[row.item_id].append(row)

    exposure = dict(
        db.session.execute(
            sa.select(AttemptItem.item_id, sa.func.count(AttemptItem.id))
            .join(ExamAttempt, AttemptItem.attempt_id == ExamAttempt.id)
            .where(ExamAttempt.track_id == track_id)
            .group_by(AttemptItem.item_id)
        ).all()
    )
    attempt_count = (
        db.session.execute(sa.select(sa.func.count(ExamAttempt.id)).where(ExamAttempt.track_id == track_id)).scalar()
        or 0
    )
    items = db.session.execute(
        sa.select(Item, ItemVersion)
        .join(ItemVersion, sa.and_(ItemVersion.item_id == Item.id, ItemVersion.number == Item.current_version))
        .where(Item.track_id == track_id)
        .order_by(Item.code)
    ).all()

    results: list[tuple[ItemStats, str, list[str], Counter[str]]] = []
    variances: dict[int, float] = {}
    for item, version in items:
        entries = per_item.get(item.id, [])
        scores = [e.score or 0.0 for e in entries]
        rest = []
        for e in entries:
            points, count = totals[e.attempt_id]
            if e.scored:
                points, count = points - (e.score or 0.0), count - 1
            rest.append(points / count if count else 0.0)
        stats = ItemStats(
            item_id=item.id,
            code=item.code,
            domain=item.domain.code,
            status=item.status.value,
            responses=len(entries),
            facility=sum(scores) / len(scores) if scores else None,
            discrimination=pearson(scores, rest),
            exposure=int(exposure.get(item.id, 0)),
            exposure_rate=(exposure.get(item.id, 0) / attempt_count) if attempt_count else 0.0,
        )
        key = version.key
        stats.key = (
            [key["correct"]]
            if version.type == "single_choice"
            else list(key.get("correct", []))
            if version.type == "multiple_response"
            else ["true" if key.get("correct") else "false"]
            if version.type == "true_false"
            else []
        )
        counts = _distribution(version.type, [e.response for e in entries], scores)
        any_language = next(iter(version.content.values()), {})
        option_ids = [o["id"] for o in any_language.get("options", [])]
        if version.type in ("single_choice", "multiple_response"):
            stats.options = {oid: counts.get(oid, 0) for oid in option_ids} | {"omitted": counts.get("omitted", 0)}
        elif version.type == "true_false":
            stats.options = {k: counts.get(k, 0) for k in ("true", "false", "omitted")}
        else:
            stats.options = {k: counts.get(k, 0) for k in ("correct", "partial", "incorrect", "omitted")}
        variances[item.id] = population_variance(scores)
        results.append((stats, version.type, option_ids, counts))
    served = [s.exposure_rate for s, *_rest in results if s.exposure]
    mean_exposure = sum(served) / len(served) if served else 0.0
    for stats, qtype, option_ids, counts in results:
        stats.flags = _flags(stats, qtype, option_ids, counts, mean_exposure)
    return [r[0] for r in results], _forms(rows, variances)


def _forms(rows: list[Any], variances: dict[int, float]) -> list[FormStats]:
    by_form: dict[int, dict[int, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row.scored:
            by_form[row.blueprint_version][row.attempt_id].append(row)
    forms = []
    for version, attempts in sorted(by_form.items()):
        totals = [sum(r.score or 0.0 for r in entries) for entries in attempts.values()]
        lengths = Counter(len(entries) for entries in attempts.values())
        k = lengths.most_common(1)[0][0]
        variance_total = population_variance(totals)
        mean_item_variance_sum = sum(
            sum(variances.get(r.item_id, 0.0) for r in entries) for entries in attempts.values()
        ) / len(attempts)
        kr20 = None
        if len(attempts) >= 2 and k >= 2 and variance_total > 0:
            kr20 = k / (k - 1) * (1 - mean_item_variance_sum / variance_total)
        mean_percent = sum(totals) / len(totals) / k * 100 if k else None
        forms.append(FormStats(version, len(attempts), k, mean_percent, kr20))
    return forms


def statistics_csv(stats: list[ItemStats]) -> str:
    header = [
        "code",
        "domain",
        "status",
        "responses",
        "facility",
        "discrimination",
        "exposure",
        "exposure_rate",
        "key",
        "options",
        "flags",
    ]
    rows = [
        [
            s.code,
            s.domain,
            s.status,
            s.responses,
            "" if s.facility is None else f"{s.facility:.3f}",
            "" if s.discrimination is None else f"{s.discrimination:.3f}",
            s.exposure,
            f"{s.exposure_rate:.3f}",
            ";".join(s.key),
            ";".join(f"{k}={v}" for k, v in s.options.items()),
            ";".join(s.flags),
        ]
        for s in stats
    ]
    return write_csv(header, rows)
