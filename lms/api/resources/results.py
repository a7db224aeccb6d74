"""Exam results of the learners your organisation trained: the learner's own result view, no item data."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import abort

from lms.api.framework import ID_RANGE, ResourceBlueprint, api_view
from lms.api.pagination import PageArgs, page_schema, paginate
from lms.api.resources.catalog import _locale
from lms.api.resources.enrolments import LearnerRefSchema, _learners
from lms.api.schemas import UTCDateTime
from lms.api.scopes import Scope
from lms.core.security import current_partner_id
from lms.courses.models import CertificationTrack
from lms.exams import queries
from lms.exams.models import ExamAttempt, ResultStatus
from lms.exams.services.bank import domains_of
from lms.exams.services.delivery import learner_result
from lms.exams.services.grading import BAND_LABELS
from lms.extensions import db

blp = ResourceBlueprint(
    "results",
    __name__,
    tag="Exam results",
    description="Exam results of your learners as they see them: score, pass or fail, domain bands. No questions.",
)

BANDS = list(BAND_LABELS)


class DomainResultSchema(ma.Schema):
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True, metadata={"description": "In the caller's language."})
    percent = ma.fields.Float(required=True)
    band = ma.fields.String(required=True, metadata={"enum": BANDS})
    band_label = ma.fields.String(required=True, metadata={"description": "In the caller's language."})


class ScaleSchema(ma.Schema):
    min = ma.fields.Integer(required=True)
    max = ma.fields.Integer(required=True)
    cut = ma.fields.Integer(required=True, metadata={"description": "The passing score."})


class ResultSchema(ma.Schema):
    id = ma.fields.Integer(required=True, metadata={"description": "The attempt."})
    learner = ma.fields.Nested(LearnerRefSchema, required=True)
    track_id = ma.fields.Integer(required=True)
    track_code = ma.fields.String(required=True)
    attempt_number = ma.fields.Integer(required=True)
    language = ma.fields.String(required=True)
    class_id = ma.fields.Integer(required=True, allow_none=True)
    started_at = UTCDateTime(required=True)
    finished_at = UTCDateTime(required=True, allow_none=True)
    decided_at = UTCDateTime(required=True, allow_none=True)
    status = ma.fields.String(
        required=True,
        metadata={"enum": ["held", "released", "invalidated"], "description": "Held results wait for staff review."},
    )
    passed = ma.fields.Boolean(required=True, allow_none=True, metadata={"description": "Null until released."})
    scaled_score = ma.fields.Integer(required=True, allow_none=True)
    scale = ma.fields.Nested(ScaleSchema, required=True, allow_none=True)
    raw_percent = ma.fields.Float(required=True, allow_none=True)
    domains = ma.fields.List(ma.fields.Nested(DomainResultSchema), required=True)
    note = ma.fields.String(required=True, allow_none=True, metadata={"description": "Why a result was invalidated."})


class ResultListArgs(PageArgs):
    learner_id = ma.fields.Integer(validate=ID_RANGE)
    track_id = ma.fields.Integer(validate=ID_RANGE)
    passed = ma.fields.Boolean(metadata={"description": "Only released passes (true) or fails (false)."})


def results_data(attempts: list[ExamAttempt]) -> list[dict[str, Any]]:
    locale = _locale()
    learners = _learners(attempts)  # rows with id, email, display_name (attempts carry user_id too)
    tracks = {t.id: t for t in db.session.execute(db.select(CertificationTrack)).scalars()}
    names: dict[int, dict[str, str]] = {}
    out = []
    for attempt in attempts:
        if attempt.track_id not in names:
            names[attempt.track_id] = {d.code: d.name(locale) for d in domains_of(attempt.track_id)}
        result = learner_result(attempt) or {"status": "held"}
        released = result["status"] == "released"
        learner = learners[attempt.user_id]
        out.append(
            {
                "id": attempt.id,
                "learner": {"id": learner.id, "email": learner.email, "display_name": learner.display_name},
                "track_id": attempt.track_id,
                "track_code": tracks[attempt.track_id].code,
                "attempt_number": attempt.number,
                "language": attempt.language,
                "class_id": attempt.class_id,
                "started_at": attempt.started_at,
                "finished_at": attempt.finished_at,
                "decided_at": attempt.result_decided_at,
                "status": result["status"],
                "passed": result["passed"] if released else None,
                "scaled_score": result["scaled_score"] if released else None,
                "scale": {"min": result["scale_min"], "max": result["scale_max"], "cut": result["scale_cut"]}
                if released
                else None,
                "raw_percent": result["raw_percent"] if released else None,
                "domains": [
                    {
                        "code": d["code"],
                        "name": names[attempt.track_id].get(d["code"], d["code"]),
                        "percent": d["percent"],
                        "band": d["band"],
                        "band_label": str(BAND_LABELS.get(d["band"], d["band"])),
                    }
                    for d in result.get("domains", [])
                ],
                "note": result.get("note"),
            }
        )
    return out


@blp.route("/results")
@api_view(scope=Scope.RESULTS_READ)
@blp.arguments(ResultListArgs, location="query", as_kwargs=True)
@blp.response(200, page_schema(ResultSchema, "ResultPage"))
def list_results(
    limit: int,
    cursor: str | None,
    learner_id: int | None = None,
    track_id: int | None = None,
    passed: bool | None = None,
) -> dict[str, Any]:
    """List your learners' exam results

    Finished exam attempts of the learners your organisation trained, oldest first, as the learner
    sees them on the result page: scaled score, pass or fail, and a band per content domain. Held
    results show no score until staff release them. Questions and answers are never shown.
    """
    stmt = queries.partner_results(current_partner_id())
    if learner_id is not None:
        stmt = stmt.where(ExamAttempt.user_id == learner_id)
    if track_id is not None:
        stmt = stmt.where(ExamAttempt.track_id == track_id)
    if passed is not None:
        stmt = stmt.where(ExamAttempt.result_status == ResultStatus.RELEASED, ExamAttempt.passed.is_(passed))
    page = paginate(stmt, (ExamAttempt.id,), limit=limit, cursor=cursor, key_of=lambda a: (a.id,))
    return {"data": results_data(page.items), "next_cursor": page.next_cursor}


@blp.route("/results/<id:attempt_id>")
@api_view(scope=Scope.RESULTS_READ)
@blp.response(200, ResultSchema)
def get_result(attempt_id: int) -> dict[str, Any]:
    """Get an exam result"""
    attempt = db.session.execute(
        queries.partner_results(current_partner_id()).where(ExamAttempt.id == attempt_id)
    ).scalar_one_or_none()
    if attempt is None:
        abort(404)
    return results_data([attempt])[0]
