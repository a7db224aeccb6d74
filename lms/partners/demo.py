"""Demo partner network (``flask --app lms seed-demo``): two training partners with classes in several
languages and time zones, one reselling the other's seats, an academic partner and an association with
their prices, an enterprise cohort enrolled from a CSV, orders, vouchers and a month of ledger history.

Idempotent: every object is found before it is created, so running the seed again adds nothing.
"""

from __future__ import annotations

import io
from datetime import time, timedelta
from typing import Any

import sqlalchemy as sa

from lms.accounts import services as accounts
from lms.accounts.models import Organisation, User
from lms.core.demo import DemoContext
from lms.core.time import utcnow
from lms.courses.models import (
    CertificationTrack,
    Course,
    CoursePrice,
    CourseVersion,
    CourseVersionStatus,
)
from lms.extensions import db
from lms.partners.models import (
    Allotment,
    ClassFormat,
    ClassStaffRole,
    Cohort,
    Order,
    OrderLine,
    OrderStatus,
    PartnerMember,
    Seat,
    SeatStatus,
    TrainingClass,
    VoucherBatch,
    VoucherKind,
)
from lms.partners.services import branding, classes, cohorts, network, orders, resale, seats, vouchers

BRANDS = {
    # key: display name, primary, secondary, languages, taglines, logo colours
    "atp_gulf": (
        "Gulf AI Academy",
        "#0B5394",
        "#0E7C86",
        ["ar", "en"],
        {
            "en": "Certified AI training in Dubai, in Arabic and English",
            "ar": "تدريب معتمد على الذكاء الاصطناعي في دبي",
        },
    ),
    "atp_euro": (
        "EuroSkills Institute",
        "#1F3A5F",
        "#2E7D32",
        ["de", "en", "fr"],
        {"en": "AI skills for European teams", "de": "KI-Kompetenz für europäische Teams"},
    ),
    "academic": (
        "Universidad Técnica del Sol",
        "#8A1538",
        "#6B4E16",
        ["es", "en"],
        {"es": "Formación universitaria en IA", "en": "University AI education"},
    ),
    "association": (
        "Healthcare Informatics Society",
        "#00577A",
        "#6A1B9A",
        ["fr", "en"],
        {"fr": "L'IA au service des soignants", "en": "AI for clinicians"},
    ),
}

#: (partner, track, language, time zone, format, days until start, meetings, capacity, resale, city, prices)
CLASSES = [
    (
        "atp_gulf",
        "ESS",
        "ar",
        "Asia/Dubai",
        ClassFormat.VIRTUAL,
        12,
        3,
        20,
        True,
        "Dubai",
        {"USD": 45000, "AED": 165000},
    ),
    (
        "atp_gulf",
        "DEV",
        "en",
        "Asia/Dubai",
        ClassFormat.IN_PERSON,
        20,
        4,
        16,
        True,
        "Dubai",
        {"USD": 120000, "AED": 440000},
    ),
    ("atp_gulf", "EXE", "en", "Asia/Dubai", ClassFormat.VIRTUAL, 35, 2, 12, False, "Dubai", {"USD": 150000}),
    ("atp_euro", "ESS", "de", "Europe/Berlin", ClassFormat.VIRTUAL, 9, 3, 18, False, "Berlin", {"EUR": 42000}),
    ("atp_euro", "HLT", "fr", "Europe/Paris", ClassFormat.VIRTUAL, 16, 3, 15, True, "Berlin", {"EUR": 69000}),
    ("atp_euro", "DEV", "en", "Europe/Berlin", ClassFormat.IN_PERSON, 28, 4, 14, True, "Berlin", {"EUR": 110000}),
    ("academic", "EDU", "es", "Europe/Madrid", ClassFormat.IN_PERSON, 24, 2, 25, False, "Valencia", {"EUR": 38000}),
]

LEARNERS = [
    # email, display name, legal name, latin, locale, time zone
    ("amal.rahman@demo.lms", "Amal", "أمل الرحمن", "Amal Al-Rahman", "ar", "Asia/Dubai"),
    ("yousef.khalil@demo.lms", "Yousef", "يوسف خليل", "Yousef Khalil", "ar", "Asia/Riyadh"),
    ("fatima.saeed@demo.lms", "Fatima", "فاطمة سعيد", "Fatima Saeed", "en", "Asia/Dubai"),
    ("rahul.mehta@demo.lms", "Rahul", "Rahul Mehta", None, "en", "Asia/Kolkata"),
    ("lena.fischer@demo.lms", "Lena", "Lena Fischer", None, "de", "Europe/Berlin"),
    ("marc.dubois@demo.lms", "Marc", "Marc Dubois", None, "fr", "Europe/Paris"),
    ("sara.lopez@demo.lms", "Sara", "Sara López", None, "es", "Europe/Madrid"),
    ("hiro.tanaka@demo.lms", "Hiro", "田中 浩", "Hiro Tanaka", "ja", "Asia/Tokyo"),
    ("nina.weber@demo.lms", "Nina", "Nina Weber", None, "de", "Europe/Vienna"),
    ("omar.haddad@demo.lms", "Omar H.", "عمر حداد", "Omar Haddad", "ar", "Africa/Cairo"),
]

NORDLICHT_CSV = """email,first_name,last_name,language,class,course
jan.petersen@nordlicht.example.com,Jan,Petersen,de,{class_id},
maria.schulz@nordlicht.example.com,Maria,Schulz,de,{class_id},
tobias.krueger@nordlicht.example.com,Tobias,Krüger,de,{class_id},
ayse.demir@nordlicht.example.com,Ayşe,Demir,de,{class_id},
lukas.hoffmann@nordlicht.example.com,Lukas,Hoffmann,en,,{course}
emma.jensen@nordlicht.example.com,Emma,Jensen,en,,{course}
felix.wagner@nordlicht.example.com,Felix,Wagner,de,,{course}
sophie.braun@nordlicht.example.com,Sophie,Braun,de,{class_id},
"""


def _logo(colour: str, accent: str) -> bytes:
    """A simple generated mark (a rounded square with a ring), as PNG bytes."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (360, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 4, 116, 116), radius=24, fill=colour)
    draw.ellipse((30, 30, 90, 90), outline="white", width=10)
    draw.rounded_rectangle((132, 34, 340, 52), radius=8, fill=colour)
    draw.rounded_rectangle((132, 68, 280, 86), radius=8, fill=accent)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _version_for(context: DemoContext, code: str) -> CourseVersion:
    """A published version of a course of this track (the courses seed's, else a minimal one of ours)."""
    track = (
        context.objects.get("tracks", {}).get(code)
        or db.session.execute(sa.select(CertificationTrack).where(CertificationTrack.code == code)).scalar_one()
    )
    version = db.session.execute(
        sa.select(CourseVersion)
        .join(Course, Course.id == CourseVersion.course_id)
        .where(Course.track_id == track.id, CourseVersion.status == CourseVersionStatus.PUBLISHED)
        .order_by(CourseVersion.id)
        .limit(1)
    ).scalar_one_or_none()
    if version is not None:
        return version
    course = Course(track_id=track.id, code=f"AIP-{code}-101", slug=f"aip-{code.lower()}-101", primary_language="en")
    db.session.add(course)
    db.session.flush()
    version = CourseVersion(
        course_id=course.id,
        number=1,
        status=CourseVersionStatus.PUBLISHED,
        titles=dict(track.names or {}),
        descriptions=dict(track.summaries or {}),
        duration_hours=16,
        languages=["en", "ar", "de", "fr", "es", "ja"],
        delivery_modes=["elearning", "instructor_led"],
        published_at=utcnow(),
    )
    db.session.add(version)
    db.session.flush()
    for currency, amount in (("USD", 39000), ("EUR", 36000), ("AED", 143000)):
        db.session.add(
            CoursePrice(
                course_version_id=version.id,
                currency=currency,
                list_amount=amount,
                academic_amount=amount * 60 // 100,
                association_amount=amount * 80 // 100,
            )
        )
    db.session.flush()
    return version


def _learner(email: str, display: str, legal: str, latin: str | None, locale: str, zone: str, password: str) -> User:
    user = accounts.find_user_by_email(email)
    if user is None:
        user = accounts.register_user(
            email=email, password=password, display_name=display, legal_name=legal, legal_name_latin=latin,
            locale=locale, timezone=zone, send_verification=False,
        )  # fmt: skip
        user.email_verified_at = user.created_at
    return user


def _class(partner: Organisation, version: CourseVersion, spec: tuple, staff: dict[str, User]) -> TrainingClass:
    _key, _track, language, zone, fmt, days, meetings, capacity, resale_ok, city, prices = spec
    existing = db.session.execute(
        sa.select(TrainingClass).where(
            TrainingClass.partner_id == partner.id,
            TrainingClass.course_version_id == version.id,
            TrainingClass.language == language,
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    venue = {"Dubai": "Dubai Internet City, Building 4", "Berlin": "Friedrichstraße 68, 10117 Berlin",
             "Valencia": "Campus de Vera, Edificio 8B"}.get(city)  # fmt: skip
    training_class = classes.create_class(
        partner,
        actor_id=None,
        course_version_id=version.id,
        language=language,
        timezone=zone,
        capacity=capacity,
        format=fmt,
        meeting_url=f"https://meet.example.com/{partner.slug}-{language}" if fmt == ClassFormat.VIRTUAL else None,
        venue=venue if fmt == ClassFormat.IN_PERSON else None,
        city=city,
        resale_allowed=resale_ok,
        notes="Bring a laptop. Materials are shared in the first meeting.",
    )
    first_day = (utcnow() + timedelta(days=days)).date()
    for index in range(meetings):
        classes.add_meeting(
            training_class,
            day=first_day + timedelta(days=index * 2),
            start=time(9, 30),
            end=time(13, 0),
            title=f"Session {index + 1}",
            actor_id=None,
        )
    for currency, amount in prices.items():
        classes.set_price(
            training_class, currency=currency, list_amount=amount, academic_amount=amount * 65 // 100,
            association_amount=amount * 80 // 100, actor_id=None,
        )  # fmt: skip
    for user in staff.get("instructors", []):
        classes.add_staff(training_class, user_id=user.id, role=ClassStaffRole.INSTRUCTOR, actor_id=None)
    for user in staff.get("proctors", []):
        classes.add_staff(training_class, user_id=user.id, role=ClassStaffRole.PROCTOR, actor_id=None)
    classes.publish(training_class, actor_id=None)
    return training_class


def _paid_seat(buyer: User, training_class: TrainingClass, days_ago: int, **kwargs: Any) -> Order | None:
    """A seat bought ``days_ago`` (the ledger history is dated accordingly)."""
    bought_before = db.session.execute(
        sa.select(Order.id)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(Order.buyer_user_id == buyer.id, OrderLine.class_id == training_class.id)
    ).first()
    if bought_before:
        return None
    when = utcnow() - timedelta(days=days_ago, hours=3)
    order = orders.start_class_order(buyer, training_class.id, **kwargs)
    order.created_at = when
    order.provider, order.provider_ref = "test", f"demo-{order.id}"
    orders.complete_payment(order, actor_id=buyer.id, now=when)
    return order


def seed(context: DemoContext) -> None:
    orgs = context.organisations
    staff = context.accounts.get("staff@demo.lms")
    for key, (name, primary, secondary, languages, taglines) in BRANDS.items():
        partner = orgs[key]
        row = branding.ensure_branding(partner.id, name)
        if row.logo_key is None:
            branding.update_branding(
                partner.id, actor_id=None, display_name=name, primary_colour=primary, secondary_colour=secondary,
                languages=languages, taglines=taglines, contact_email=f"hello@{partner.slug}.example",
                signatory_name=context.accounts["partner@demo.lms"].legal_name if key == "atp_gulf" else None,
                signatory_title="Managing Director" if key == "atp_gulf" else None,
            )  # fmt: skip
            branding.set_logo(partner.id, _logo(primary, secondary), actor_id=None, display_name=name)
        if network.current_agreement(partner.id) is None:
            shares = dict(network.DEFAULT_SHARES)
            if key == "atp_euro":
                shares.update(own_partner_bp=7200, own_body_bp=2800)
            network.set_agreement(partner.id, actor_id=staff.id if staff else None, note="Demo terms", **shares)

    gulf, euro = orgs["atp_gulf"], orgs["atp_euro"]
    instructor = context.accounts["instructor@demo.lms"]
    proctor = context.accounts["proctor@demo.lms"]
    gulf_staff = {"instructors": [instructor], "proctors": [proctor]}
    euro_admin = context.accounts["reseller@demo.lms"]
    gulf_admin = context.accounts["partner@demo.lms"]
    versions = {code: _version_for(context, code) for code in ("ESS", "DEV", "EXE", "HLT", "EDU")}
    made: list[TrainingClass] = []
    for spec in CLASSES:
        partner = orgs[spec[0]]
        people = gulf_staff if spec[0] == "atp_gulf" else {"instructors": [_partner_admin(partner, context)]}
        made.append(_class(partner, versions[spec[1]], spec, people))
    gulf_ess, gulf_dev, _gulf_exe, euro_ess, euro_hlt, _euro_dev, _uni_edu = made
    context.objects["partner_classes"] = {cls.id: cls for cls in made}

    learners = [_learner(*row, password=context.password) for row in LEARNERS]
    learner = context.accounts["learner@demo.lms"]

    # Memberships: the association's roster has learner@ and Marc; the university hands out codes.
    association, academic = orgs["association"], orgs["academic"]
    roster = b"email\nlearner@demo.lms\nmarc.dubois@demo.lms\n"
    network.import_member_roster(association, roster, actor_id=None)
    if not db.session.execute(sa.select(PartnerMember.id).where(PartnerMember.partner_id == academic.id)).first():
        codes = network.generate_member_codes(academic, 5, actor_id=None)
        network.claim_member_code(learners[6], codes[0].code)  # Sara studies there

    # A month of sales in Gulf's and Euro's classes.
    plan = [
        (learner, gulf_ess, 24),
        (learners[0], gulf_ess, 22),
        (learners[1], gulf_ess, 19),
        (learners[2], gulf_dev, 17),
        (learners[3], gulf_dev, 12),
        (learners[4], euro_ess, 15),
        (learners[8], euro_ess, 8),
        (learners[5], euro_hlt, 6),
        (learners[7], gulf_ess, 3),
    ]
    for buyer, training_class, days_ago in plan:
        _paid_seat(buyer, training_class, days_ago)

    # Resale: EuroSkills sells Gulf's classes — an allotment, seats bought and assigned, a storefront listing.
    if not db.session.execute(
        sa.select(Allotment.id).where(Allotment.partner_id == euro.id, Allotment.class_id == gulf_dev.id)
    ).first():
        resale.reserve_allotment(
            euro, gulf_dev, quantity=4, release_at=gulf_dev.starts_at - timedelta(days=7), actor_id=euro_admin.id
        )
    resale.list_class(euro, gulf_ess, actor_id=euro_admin.id)
    if not db.session.execute(sa.select(Seat.id).where(Seat.reseller_id == euro.id)).first():
        _paid_seat(euro_admin, gulf_ess, 10, quantity=3, buyer_partner_id=euro.id)
        bought = (
            db.session.execute(
                sa.select(Seat)
                .where(Seat.reseller_id == euro.id, Seat.status == SeatStatus.CONFIRMED)
                .order_by(Seat.id)
            )
            .scalars()
            .all()
        )
        for seat, person in zip(bought[:2], (learners[8], learners[5]), strict=True):
            seats.assign_seat(seat, person, actor_id=euro_admin.id)
        # A learner bought on EuroSkills' storefront: EuroSkills is the reseller of that seat.
        _paid_seat(learners[9], gulf_ess, 5, storefront_partner_id=euro.id)
        # An invoice for two more seats in Gulf's developer class, waiting for payment.
        invoice = orders.start_class_order(euro_admin, gulf_dev.id, quantity=2, buyer_partner_id=euro.id)
        orders.pay(invoice, provider_code="invoice", actor=euro_admin, po_number="PO-ESI-2026-031")

    # A refund by staff (posted as a reversal).
    refunded = db.session.execute(
        sa.select(Order).where(Order.buyer_user_id == learners[3].id, Order.status == OrderStatus.PAID)
    ).scalar_one_or_none()
    if refunded is not None and staff is not None:
        orders.refund(
            refunded, line=refunded.lines[0], seats_count=1, reason="Booked twice by mistake", actor_id=staff.id
        )

    # Vouchers and the enterprise cohort of Nordlicht Logistics (EuroSkills' client).
    nordlicht = orgs["enterprise"]
    if not db.session.execute(sa.select(VoucherBatch.id).where(VoucherBatch.partner_id == euro.id)).first():
        seat_batch = vouchers.generate_batch(
            euro, actor_id=euro_admin.id, name="Nordlicht — Essentials seats", kind=VoucherKind.SEAT, count=10,
            client_id=nordlicht.id, class_id=euro_ess.id, expires_at=euro_ess.starts_at,
        )  # fmt: skip
        exam_batch = vouchers.generate_batch(
            euro, actor_id=euro_admin.id, name="Nordlicht — Essentials exams", kind=VoucherKind.EXAM, count=5,
            client_id=nordlicht.id, track_id=versions["ESS"].course.track_id, expires_at=utcnow() + timedelta(days=180),
        )  # fmt: skip
        vouchers.generate_batch(
            gulf, actor_id=gulf_admin.id, name="Ramadan offer", kind=VoucherKind.SEAT, count=1, max_uses=25,
            discount_bp=1500, expires_at=utcnow() + timedelta(days=60),
        )  # fmt: skip
        vouchers.redeem_for_learner(
            euro, code=seat_batch.vouchers[0].code, email="henrik.olsen@nordlicht.example.com", display_name="Henrik",
            locale="de", actor=euro_admin,
        )  # fmt: skip
        vouchers.redeem_for_learner(
            euro, code=exam_batch.vouchers[0].code, email="henrik.olsen@nordlicht.example.com", display_name="Henrik",
            locale="de", actor=euro_admin,
        )  # fmt: skip
    cohort = db.session.execute(sa.select(Cohort).where(Cohort.partner_id == euro.id)).scalar_one_or_none()
    if cohort is None:
        cohort = cohorts.create_cohort(
            euro, name="Nordlicht Logistics — AI Essentials, spring", client_id=nordlicht.id, actor_id=euro_admin.id
        )
        data = NORDLICHT_CSV.format(class_id=euro_ess.id, course=versions["ESS"].course.code).encode()
        record = cohorts.preview(cohort, filename="nordlicht-staff.csv", data=data, actor_id=euro_admin.id)
        record.status = cohorts.ImportStatus.QUEUED
        cohorts.run(record.id)
    context.objects["cohort"] = cohort
    db.session.flush()


def _partner_admin(partner: Organisation, context: DemoContext) -> User:
    """The partner's administrator teaches its own classes in the demo (it holds a class-staff role)."""
    from lms.accounts.models import Membership
    from lms.core.security import Role

    admin = db.session.execute(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == partner.id, Membership.role == Role.PARTNER_ADMIN)
        .limit(1)
    ).scalar_one_or_none()
    if admin is not None:
        return admin
    email = f"admin@{partner.slug}.demo.lms"
    admin = _learner(email, partner.name, partner.name, None, "en", "UTC", context.password)
    accounts.grant_role(admin, partner, Role.PARTNER_ADMIN, actor_id=None)
    return admin
