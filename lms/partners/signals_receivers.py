"""How the partner network answers other domains' signals."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import has_request_context, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from lms.core import signals
from lms.core.dashboard import SeatOffer
from lms.core.i18n import LANGUAGES, money
from lms.core.time import utcnow
from lms.courses.models import DeliveryMode
from lms.extensions import db
from lms.partners.models import ClassStatus, ExamPass, TrainingClass


@signals.seat_offers.connect
def seat_offers(version: Any, **kwargs: Any) -> list[SeatOffer]:
    """The course page asks how to get a seat: the eLearning seat and the classes with seats left."""
    from lms.partners.services import pricing, seats

    if not has_request_context():
        return []
    user = current_user if current_user.is_authenticated else None
    offers: list[SeatOffer] = []
    if not version.delivery_modes or DeliveryMode.ELEARNING.value in version.delivery_modes:
        quote = pricing.quote_elearning(version, user)
        if quote is not None:
            offers.append(
                SeatOffer(
                    label=_("eLearning seat"),
                    url=url_for("partners.elearning", version_id=version.id),
                    price=money(quote.unit_amount, quote.currency),
                    detail=_("Start today, at your own pace, for %(days)d days.", days=version.access_days),
                    order=10,
                )
            )
    classes = (
        db.session.execute(
            sa.select(TrainingClass)
            .where(
                TrainingClass.course_version_id == version.id,
                TrainingClass.status == ClassStatus.PUBLISHED,
                TrainingClass.starts_at > utcnow(),
            )
            .order_by(TrainingClass.starts_at)
            .limit(20)
        )
        .scalars()
        .all()
    )
    available = seats.availability_map([c.id for c in classes])
    for position, training_class in enumerate(classes):
        left = available[training_class.id].available
        if left <= 0:
            continue
        quote = pricing.quote_class(training_class, user)
        language = (
            LANGUAGES[training_class.language].native_name
            if training_class.language in LANGUAGES
            else training_class.language
        )
        offers.append(
            SeatOffer(
                label=_(
                    "Class from %(date)s (%(language)s)",
                    date=format_date(training_class.starts_at, "medium"),
                    language=language,
                ),
                url=url_for("partners.class_detail", class_id=training_class.id),
                price=money(quote.unit_amount, quote.currency) if quote else None,
                detail=_("%(count)d seats left", count=left),
                order=20 + position,
            )
        )
    return offers


@signals.exam_passed.connect
def record_exam_pass(sender: Any = None, **data: Any) -> None:
    """Keep passes per delivering partner for its dashboard's pass rates."""
    attempt_id = data.get("attempt_id")
    if attempt_id is None:
        return
    exists = db.session.execute(sa.select(ExamPass.id).where(ExamPass.attempt_id == attempt_id)).first()
    if exists:
        return
    db.session.add(
        ExamPass(
            attempt_id=attempt_id,
            partner_id=data.get("partner_id"),
            user_id=data["user_id"],
            track_id=data["track_id"],
            passed_at=data.get("decided_at") or utcnow(),
        )
    )
    db.session.flush()
