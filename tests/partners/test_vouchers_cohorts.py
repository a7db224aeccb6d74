"""Vouchers (single-use, capped, assigned, expiring, exam) and cohort CSV imports (dry run, progress,
idempotent re-upload, formula cells neutralised on export)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import time_machine

from lms.core import signals
from lms.core.errors import DomainError
from lms.core.time import utcnow
from lms.courses.models import CertificationTrack, Enrolment
from lms.extensions import db
from lms.partners.models import CohortMember, ImportStatus, VoucherKind
from lms.partners.services import cohorts, network, seats, vouchers


@pytest.fixture
def gulf(make_partner, body):
    return make_partner(name="Gulf")


def test_codes_follow_their_rules(gulf, make_class, create_user):
    partner, admin = gulf
    training_class = make_class(partner)
    client = network.create_client(partner, name="Nordlicht", country="DE", city="Hamburg", actor_id=admin.id)
    capped = vouchers.generate_batch(
        partner,
        actor_id=admin.id,
        name="Capped",
        kind=VoucherKind.SEAT,
        count=1,
        max_uses=2,
        client_id=client.id,
        class_id=training_class.id,
    ).vouchers[0]
    first, second, third = create_user(), create_user(), create_user()
    vouchers.redeem(capped.code, first, actor_id=None)
    vouchers.redeem(capped.code, second, actor_id=None)
    with pytest.raises(DomainError, match="used up"):
        vouchers.redeem(capped.code, third, actor_id=None)

    named = vouchers.generate_batch(
        partner,
        actor_id=admin.id,
        name="Named",
        kind=VoucherKind.SEAT,
        count=99,
        class_id=training_class.id,
        assigned_emails=[third.email, "someone@example.com"],
    )
    assert len(named.vouchers) == 2 and {v.max_uses for v in named.vouchers} == {1}
    mine = next(v for v in named.vouchers if v.assigned_email == third.email)
    theirs = next(v for v in named.vouchers if v.assigned_email != third.email)
    with pytest.raises(DomainError, match="someone else"):
        vouchers.redeem(theirs.code, third, actor_id=None)
    vouchers.redeem(mine.code, third, actor_id=None)

    expiring = vouchers.generate_batch(
        partner,
        actor_id=admin.id,
        name="Soon",
        kind=VoucherKind.SEAT,
        count=1,
        class_id=training_class.id,
        expires_at=utcnow() + timedelta(days=1),
    ).vouchers[0]
    with time_machine.travel(utcnow() + timedelta(days=2), tick=False), pytest.raises(DomainError, match="expired"):
        vouchers.redeem(expiring.code, create_user(), actor_id=None)
    vouchers.revoke(expiring, actor_id=admin.id)
    with pytest.raises(DomainError, match="withdrawn"):
        vouchers.redeem(expiring.code, create_user(), actor_id=None)
    assert seats.availability(training_class.id).confirmed == 3


def test_an_exam_voucher_tells_the_exams_domain(gulf, create_user):
    partner, admin = gulf
    track = CertificationTrack(code="EXV", slug="exam-voucher-track", names={"en": "Track"})
    db.session.add(track)
    db.session.flush()
    batch = vouchers.generate_batch(
        partner, actor_id=admin.id, name="Exams", kind=VoucherKind.EXAM, count=2, track_id=track.id
    )
    heard = []

    def listener(sender=None, **data):
        heard.append(data)

    signals.exam_voucher_redeemed.connect(listener)
    try:
        learner = create_user()
        kind, learner_back = vouchers.redeem_for_learner(
            partner, code=batch.vouchers[0].code, email=learner.email, display_name="", locale="en", actor=admin
        )
    finally:
        signals.exam_voucher_redeemed.disconnect(listener)
    assert kind == "exam" and learner_back.id == learner.id
    assert heard == [{"user_id": learner.id, "track_id": track.id, "origin_ref": f"voucher:{batch.vouchers[0].id}"}]


def test_a_partner_cannot_redeem_another_partners_code(gulf, make_partner, make_class):
    partner, admin = gulf
    other, other_admin = make_partner(name="Other")
    batch = vouchers.generate_batch(other, actor_id=other_admin.id, name="Theirs", kind=VoucherKind.SEAT, count=1)
    with pytest.raises(DomainError):
        vouchers.redeem_for_learner(
            partner, code=batch.vouchers[0].code, email="x@example.com", display_name="", locale="en", actor=admin
        )


def test_voucher_export_neutralises_formula_cells(gulf):
    partner, admin = gulf
    batch = vouchers.generate_batch(
        partner, actor_id=admin.id, name='=HYPERLINK("http://evil")', kind=VoucherKind.SEAT, count=1
    )
    exported = vouchers.export_csv(list(batch.vouchers))
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'


CSV = """email,first_name,last_name,language,class,course
amira@example.com,Amira,Haddad,ar,{class_id},
jonas@example.com,Jonas,Berg,de,,{course}
not-an-email,X,Y,en,{class_id},
lea@example.com,Léa,Roux,xx,{class_id},
amira@example.com,Amira,Haddad,ar,{class_id},
ben@example.com,Ben,Ode,en,99999,
carl@example.com,=cmd|'/C calc'!A0,Lee,en,,{course}
both@example.com,B,B,en,{class_id},{course}
"""


def test_a_cohort_import_previews_errors_then_enrols_once_even_if_uploaded_twice(gulf, make_class, make_version):
    partner, admin = gulf
    version = make_version()
    training_class = make_class(partner, capacity=5, version=version)
    cohort = cohorts.create_cohort(partner, name="Nordlicht spring", client_id=None, actor_id=admin.id)
    data = CSV.format(class_id=training_class.id, course=version.course.code).encode()

    preview = cohorts.preview(cohort, filename="staff.csv", data=data, actor_id=admin.id)
    by_line = {row["line"]: row for row in preview.rows}
    assert by_line[2]["status"] == "new" and by_line[3]["status"] == "new" and by_line[8]["status"] == "new"
    assert "not an e-mail address" in by_line[4]["errors"][0]
    assert "Unknown language" in by_line[5]["errors"][0]
    assert "repeats an earlier row" in by_line[6]["errors"][0]
    assert "not one of your classes" in by_line[7]["errors"][0]
    assert "not both" in by_line[9]["errors"][0]
    assert db.session.execute(db.select(db.func.count()).select_from(CohortMember)).scalar_one() == 0  # dry run

    cohorts.start(preview, actor_id=admin.id)
    db.session.commit()  # without a broker the queued import task runs right after the commit
    db.session.refresh(preview)
    assert preview.status == ImportStatus.COMPLETED
    assert (preview.created_count, preview.processed_rows) == (3, 8)
    assert seats.availability(training_class.id).confirmed == 1
    members = db.session.execute(db.select(CohortMember).where(CohortMember.cohort_id == cohort.id)).scalars().all()
    assert len(members) == 3
    enrolments = db.session.execute(
        db.select(Enrolment).where(Enrolment.id.in_([m.enrolment_id for m in members]))
    ).scalars()
    assert {e.source.value for e in enrolments} == {"cohort"}

    again = cohorts.preview(cohort, filename="staff.csv", data=data, actor_id=admin.id)
    assert cohorts.counts(again).new == 0 and cohorts.counts(again).skip == 3
    with pytest.raises(DomainError):
        cohorts.start(again, actor_id=admin.id)
    # Running the task twice creates nothing more either.
    cohorts.run(preview.id)
    assert db.session.execute(db.select(db.func.count()).select_from(CohortMember)).scalar_one() == 3

    exported = cohorts.members_csv(cohort)
    assert "'=cmd|'/C calc'!A0" in exported


def test_rows_beyond_a_classes_free_seats_are_flagged_in_the_preview(gulf, make_class):
    partner, admin = gulf
    training_class = make_class(partner, capacity=1)
    cohort = cohorts.create_cohort(partner, name="Big", client_id=None, actor_id=admin.id)
    data = f"email,class\na@example.com,{training_class.id}\nb@example.com,{training_class.id}\n".encode()
    preview = cohorts.preview(cohort, filename="big.csv", data=data, actor_id=admin.id)
    assert [row["status"] for row in preview.rows] == ["new", "error"]
    assert "only 1 free seats" in preview.rows[1]["errors"][0]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "Choose a CSV file"),
        (b"name,class\nx,1\n", "column named"),
        (b"\xff\xfe\x00bad", "UTF-8"),
        (b"email\n", "no rows"),
    ],
)
def test_bad_files_get_a_clear_message(gulf, data, message):
    partner, admin = gulf
    cohort = cohorts.create_cohort(partner, name="C", client_id=None, actor_id=admin.id)
    with pytest.raises(DomainError, match=message):
        cohorts.preview(cohort, filename="x.csv", data=data, actor_id=admin.id)
