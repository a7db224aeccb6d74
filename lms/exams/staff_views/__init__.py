"""Staff of the certification body: item banks, blueprints, review, accommodations, statistics.

One blueprint; the pages live in :mod:`.bank_pages` (bank, import/export, blueprint, statistics,
vouchers) and :mod:`.decision_pages` (review of held results, accommodations).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import Role, roles_required
from lms.courses.models import CertificationTrack
from lms.exams import queries
from lms.exams.services import bank, blueprints

bp = Blueprint("staff_exams", __name__, url_prefix="/staff/exams", template_folder="templates")

register_nav("staff_exams.index", _l("Exam administration"), Role.STAFF, order=70)


def _track(code: str) -> CertificationTrack:
    track = queries.track_by_code(code)
    if track is None:
        abort(404)
    return track


def _form_error(form: Any, error: DomainError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


def _domain_choices(track_id: int) -> list[tuple[str, str]]:
    return [(d.code, d.name(str(current_user.locale))) for d in bank.domains_of(track_id)]


# --- overview ------------------------------------------------------------------------------------


@bp.route("/")
@roles_required(Role.STAFF)
def index() -> str:
    tracks = queries.tracks()
    return render_template(
        "exams/staff/index.html",
        tracks=tracks,
        counts=queries.bank_counts(),
        blueprints={t.id: blueprints.blueprint_for(t.id) for t in tracks},
        problems={
            t.id: blueprints.readiness_problems(bp_) if (bp_ := blueprints.blueprint_for(t.id)) else [] for t in tracks
        },
        held=len(queries.held_attempts()),
        pending=len(queries.pending_accommodations()),
    )


# The pages register themselves on ``bp`` (imported last: they need it).
from lms.exams.staff_views import bank_pages, decision_pages  # noqa: E402, F401
