"""Domain signals → webhook events for the partner each event belongs to.

Receivers run inside the sender's transaction: deliveries are written (in a savepoint) with the
action that caused them and vanish if it rolls back. A failure here is logged and never breaks
the domain action that sent the signal.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from lms.api.services import webhooks
from lms.core import signals
from lms.courses.models import Enrolment
from lms.extensions import db

log = logging.getLogger(__name__)


def _emit(partner_ids: Iterable[int | None], event_type: str, data: dict[str, Any]) -> None:
    for partner_id in sorted({p for p in partner_ids if p is not None}):
        try:
            with db.session.begin_nested():
                webhooks.emit(partner_id, event_type, data)
        except Exception:  # the domain action must go on; the partner can replay from the log
            log.exception("could not queue webhook %s for partner %s", event_type, partner_id)


def _iso(value: Any) -> Any:
    return value.isoformat(timespec="seconds").replace("+00:00", "Z") if isinstance(value, datetime) else value


@signals.enrolment_created.connect
def enrolment_created(_sender: Any, *, enrolment_id: int, user_id: int, course_version_id: int, **_: Any) -> None:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None:
        return
    _emit(
        (enrolment.partner_id, enrolment.reseller_id),
        "enrolment.created",
        {
            "enrolment_id": enrolment.id,
            "learner_id": user_id,
            "course_id": enrolment.course_version.course_id,
            "course_version_id": course_version_id,
            "status": enrolment.status.value,
            "source": enrolment.source.value,
            "partner_id": enrolment.partner_id,
            "reseller_id": enrolment.reseller_id,
            "class_id": enrolment.class_id,
            "reference": enrolment.origin_ref,
        },
    )


def _seat_reseller(seat_id: int) -> int | None:
    """The partner that bought or sold the seat in another partner's class: it hears of the seat too."""
    from lms.partners.models import Seat

    return db.session.execute(sa.select(Seat.reseller_id).where(Seat.id == seat_id)).scalar_one_or_none()


@signals.seat_confirmed.connect
def seat_confirmed(
    _sender: Any, *, seat_id: int, class_id: int, partner_id: int | None, user_id: int | None = None, **_: Any
) -> None:
    _emit(
        (partner_id, _seat_reseller(seat_id)),
        "seat.confirmed",
        {"seat_id": seat_id, "class_id": class_id, "learner_id": user_id},
    )


@signals.seat_released.connect
def seat_released(_sender: Any, *, seat_id: int, class_id: int, partner_id: int | None, **_: Any) -> None:
    _emit((partner_id, _seat_reseller(seat_id)), "seat.released", {"seat_id": seat_id, "class_id": class_id})


@signals.exam_passed.connect
def exam_passed(
    _sender: Any,
    *,
    attempt_id: int,
    user_id: int,
    track_id: int,
    partner_id: int | None = None,
    decided_at: Any = None,
    **_: Any,
) -> None:
    _emit(
        (partner_id,),
        "exam.passed",
        {"attempt_id": attempt_id, "learner_id": user_id, "track_id": track_id, "decided_at": _iso(decided_at)},
    )


@signals.certificate_issued.connect
def certificate_issued(
    _sender: Any, *, certificate_id: int, user_id: int, partner_id: int | None = None, **_: Any
) -> None:
    _emit((partner_id,), "certificate.issued", {"certificate_id": certificate_id, "learner_id": user_id})


@signals.certificate_status_changed.connect
def certificate_status_changed(
    _sender: Any,
    *,
    certificate_id: int,
    status: Any,
    reason: str | None = None,
    partner_id: int | None = None,
    **_: Any,
) -> None:
    if str(getattr(status, "value", status)) != "revoked":
        return
    if partner_id is None:  # the certificates domain does not say: the certificate names its partner
        from lms.certificates.models import Certificate

        partner_id = db.session.execute(
            sa.select(Certificate.partner_id).where(Certificate.id == certificate_id)
        ).scalar_one_or_none()
    _emit((partner_id,), "certificate.revoked", {"certificate_id": certificate_id, "reason": reason})


@signals.commission_approved.connect
def commission_approved(
    _sender: Any, *, commission_id: int, affiliate_id: int, partner_id: int | None = None, **_: Any
) -> None:
    if partner_id is None:  # a partner programme's commission: that partner runs the programme
        from lms.affiliates.models import Commission

        partner_id = db.session.execute(
            sa.select(Commission.partner_id).where(Commission.id == commission_id)
        ).scalar_one_or_none()
    _emit((partner_id,), "commission.approved", {"commission_id": commission_id, "affiliate_id": affiliate_id})
