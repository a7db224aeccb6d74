"""Reads for partner-network pages: the shared schedule, rosters, dashboards (no writes here)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from lms.accounts.models import Organisation, OrganisationStatus, User
from lms.core.time import utcnow
from lms.courses.models import CertificationTrack, Course, CourseVersion, Enrolment, EnrolmentStatus
from lms.extensions import db
from lms.partners.models import (
    AccountKind,
    Allotment,
    AllotmentStatus,
    ApplicationStatus,
    ClassFormat,
    ClassMeeting,
    ClassStaff,
    ClassStaffRole,
    ClassStatus,
    ExamPass,
    JournalEntry,
    JournalLine,
    LedgerAccount,
    Order,
    OrderLine,
    OrderStatus,
    PartnerApplication,
    ResaleListing,
    Seat,
    SeatStatus,
    TrainingClass,
    WaitlistEntry,
    WaitlistStatus,
)
from lms.partners.services import ledger
from lms.partners.services.seats import Availability, availability_map, available_expression

PAGE_SIZE = 20


# --- the shared schedule -----------------------------------------------------------------------


@dataclass
class ScheduleFilters:
    q: str = ""
    course_id: int | None = None
    track: str = ""
    language: str = ""
    date_from: date | None = None
    date_to: date | None = None
    format: str = ""
    country: str = ""
    city: str = ""
    available_only: bool = False
    partner_id: int | None = None
    resale_only: bool = False

    @classmethod
    def from_args(cls, args: Any) -> ScheduleFilters:
        def parse_date(value: str | None) -> date | None:
            try:
                return date.fromisoformat(value) if value else None
            except ValueError:
                return None

        def text(name: str, limit: int) -> str:
            # NUL cannot be stored or compared in PostgreSQL text: a filter never carries it.
            return (args.get(name) or "").replace("\x00", "").strip()[:limit]

        course = args.get("course", "")
        return cls(
            q=text("q", 100),
            course_id=int(course) if str(course).isdigit() else None,
            track=text("track", 8).upper(),
            language=text("language", 8).lower(),
            date_from=parse_date(args.get("from")),
            date_to=parse_date(args.get("to")),
            format=args.get("format") if args.get("format") in ("virtual", "in_person") else "",
            country=text("country", 2).upper(),
            city=text("city", 120),
            available_only=args.get("available") in ("1", "on", "true", "yes"),
            resale_only=args.get("resale") in ("1", "on", "true", "yes"),
        )

    def as_args(self) -> dict[str, str]:
        values = {
            "q": self.q,
            "course": str(self.course_id or ""),
            "track": self.track,
            "language": self.language,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "format": self.format,
            "country": self.country,
            "city": self.city,
            "available": "1" if self.available_only else "",
            "resale": "1" if self.resale_only else "",
        }
        return {k: v for k, v in values.items() if v}


@dataclass
class ScheduleRow:
    training_class: TrainingClass
    version: CourseVersion
    course: Course
    track: CertificationTrack
    partner: Organisation
    availability: Availability


@dataclass
class SchedulePage:
    rows: list[ScheduleRow]
    page: int
    pages: int
    total: int

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _schedule_statement(filters: ScheduleFilters, now: datetime, viewer_zone: str) -> sa.Select:
    stmt = (
        sa.select(TrainingClass, CourseVersion, Course, CertificationTrack, Organisation)
        .join(CourseVersion, CourseVersion.id == TrainingClass.course_version_id)
        .join(Course, Course.id == CourseVersion.course_id)
        .join(CertificationTrack, CertificationTrack.id == Course.track_id)
        .join(Organisation, Organisation.id == TrainingClass.partner_id)
        .where(
            TrainingClass.status == ClassStatus.PUBLISHED,
            TrainingClass.starts_at > now,
            Organisation.status == OrganisationStatus.ACTIVE,
        )
    )
    if filters.q:
        like = f"%{filters.q.lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(sa.cast(CourseVersion.titles, sa.String)).like(like),
                sa.func.lower(Course.code).like(like),
                sa.func.lower(Organisation.name).like(like),
                sa.func.lower(sa.func.coalesce(TrainingClass.city, "")).like(like),
            )
        )
    if filters.course_id:
        stmt = stmt.where(Course.id == filters.course_id)
    if filters.track:
        stmt = stmt.where(CertificationTrack.code == filters.track)
    if filters.language:
        stmt = stmt.where(TrainingClass.language == filters.language)
    zone = ZoneInfo(viewer_zone)
    if filters.date_from:
        stmt = stmt.where(TrainingClass.starts_at >= datetime.combine(filters.date_from, time.min, tzinfo=zone))
    if filters.date_to:
        stmt = stmt.where(
            TrainingClass.starts_at < datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=zone)
        )
    if filters.format:
        stmt = stmt.where(TrainingClass.format == ClassFormat(filters.format))
    if filters.country:
        stmt = stmt.where(TrainingClass.country == filters.country)
    if filters.city:
        stmt = stmt.where(sa.func.lower(TrainingClass.city) == filters.city.lower())
    if filters.partner_id:
        stmt = stmt.where(TrainingClass.partner_id == filters.partner_id)
    if filters.resale_only:
        stmt = stmt.where(TrainingClass.resale_allowed.is_(True))
    if filters.available_only:
        stmt = stmt.where(available_expression(now) > 0)
    return stmt


def schedule_statement(filters: ScheduleFilters, viewer_zone: str = "UTC") -> sa.Select:
    """The schedule's rows (class, version, course, track, partner) for other ways of paging (the API).

    Order by ``(TrainingClass.starts_at, TrainingClass.id)`` as :func:`schedule` does; pass the rows
    read to :func:`schedule_rows` for their availability.
    """
    return _schedule_statement(filters, utcnow(), viewer_zone)


def schedule_rows(rows: list[Any]) -> list[ScheduleRow]:
    seats = availability_map([r[0].id for r in rows], utcnow())
    return [
        ScheduleRow(tc, version, course, track, partner, seats[tc.id]) for tc, version, course, track, partner in rows
    ]


def schedule(
    filters: ScheduleFilters, page: int = 1, viewer_zone: str = "UTC", per_page: int = PAGE_SIZE
) -> SchedulePage:
    now = utcnow()
    stmt = _schedule_statement(filters, now, viewer_zone)
    total = db.session.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar_one()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        stmt.order_by(TrainingClass.starts_at, TrainingClass.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    seats = availability_map([r[0].id for r in rows], now)
    return SchedulePage(
        [
            ScheduleRow(tc, version, course, track, partner, seats[tc.id])
            for tc, version, course, track, partner in rows
        ],
        page,
        pages,
        total,
    )


def schedule_classes(filters: ScheduleFilters, viewer_zone: str = "UTC", limit: int = 500) -> list[TrainingClass]:
    stmt = _schedule_statement(filters, utcnow(), viewer_zone).order_by(TrainingClass.starts_at).limit(limit)
    return [row[0] for row in db.session.execute(stmt).all()]


def filter_options() -> dict[str, list]:
    """Choices for the schedule's filters (courses and tracks with published versions, countries)."""
    tracks = db.session.execute(sa.select(CertificationTrack).order_by(CertificationTrack.position)).scalars().all()
    courses = (
        db.session.execute(sa.select(Course).where(Course.is_active.is_(True)).order_by(Course.code)).scalars().all()
    )
    countries = (
        db.session.execute(
            sa.select(TrainingClass.country)
            .distinct()
            .where(TrainingClass.status == ClassStatus.PUBLISHED, TrainingClass.country.is_not(None))
            .order_by(TrainingClass.country)
        )
        .scalars()
        .all()
    )
    languages = (
        db.session.execute(
            sa.select(TrainingClass.language)
            .distinct()
            .where(TrainingClass.status == ClassStatus.PUBLISHED)
            .order_by(TrainingClass.language)
        )
        .scalars()
        .all()
    )
    return {
        "tracks": list(tracks),
        "courses": list(courses),
        "countries": list(countries),
        "languages": list(languages),
    }


# --- one class ---------------------------------------------------------------------------------


@dataclass
class ClassView:
    training_class: TrainingClass
    version: CourseVersion
    course: Course
    track: CertificationTrack
    partner: Organisation


def class_view(class_id: int) -> ClassView | None:
    row = db.session.execute(
        sa.select(TrainingClass, CourseVersion, Course, CertificationTrack, Organisation)
        .join(CourseVersion, CourseVersion.id == TrainingClass.course_version_id)
        .join(Course, Course.id == CourseVersion.course_id)
        .join(CertificationTrack, CertificationTrack.id == Course.track_id)
        .join(Organisation, Organisation.id == TrainingClass.partner_id)
        .where(TrainingClass.id == class_id)
    ).first()
    return ClassView(*row) if row else None


def roster(class_id: int) -> list[Seat]:
    """Confirmed seats of a class, learners by name; resold seats carry their reseller."""
    return list(
        db.session.execute(
            sa.select(Seat)
            .outerjoin(User, User.id == Seat.user_id)
            .where(Seat.class_id == class_id, Seat.status == SeatStatus.CONFIRMED)
            .order_by(User.display_name.is_(None), User.display_name, Seat.id)
        ).scalars()
    )


def seat_of(class_id: int, user_id: int) -> Seat | None:
    return db.session.execute(
        sa.select(Seat).where(Seat.class_id == class_id, Seat.user_id == user_id, Seat.status == SeatStatus.CONFIRMED)
    ).scalar_one_or_none()


def class_allotments(class_id: int) -> list[Allotment]:
    return list(
        db.session.execute(sa.select(Allotment).where(Allotment.class_id == class_id).order_by(Allotment.id)).scalars()
    )


def waitlist(class_id: int) -> list[WaitlistEntry]:
    return list(
        db.session.execute(
            sa.select(WaitlistEntry)
            .where(
                WaitlistEntry.class_id == class_id,
                WaitlistEntry.status.in_([WaitlistStatus.WAITING, WaitlistStatus.OFFERED]),
            )
            .order_by(WaitlistEntry.created_at)
        ).scalars()
    )


def partner_classes(
    partner_id: int, statuses: list[ClassStatus] | None = None
) -> list[tuple[TrainingClass, CourseVersion]]:
    stmt = (
        sa.select(TrainingClass, CourseVersion)
        .join(CourseVersion, CourseVersion.id == TrainingClass.course_version_id)
        .where(TrainingClass.partner_id == partner_id)
        .order_by(TrainingClass.starts_at.is_(None), TrainingClass.starts_at.desc(), TrainingClass.id.desc())
    )
    if statuses:
        stmt = stmt.where(TrainingClass.status.in_(statuses))
    return [(tc, v) for tc, v in db.session.execute(stmt).all()]


def taught_classes(user_id: int) -> list[tuple[TrainingClass, CourseVersion]]:
    stmt = (
        sa.select(TrainingClass, CourseVersion)
        .join(CourseVersion, CourseVersion.id == TrainingClass.course_version_id)
        .join(ClassStaff, ClassStaff.class_id == TrainingClass.id)
        .where(ClassStaff.user_id == user_id, ClassStaff.role == ClassStaffRole.INSTRUCTOR)
        .where(TrainingClass.status.in_([ClassStatus.PUBLISHED, ClassStatus.COMPLETED]))
        .order_by(TrainingClass.starts_at)
    )
    return [(tc, v) for tc, v in db.session.execute(stmt).all()]


def publishable_versions() -> list[tuple[CourseVersion, Course]]:
    from lms.courses.models import CourseVersionStatus

    rows = db.session.execute(
        sa.select(CourseVersion, Course)
        .join(Course, Course.id == CourseVersion.course_id)
        .where(CourseVersion.status == CourseVersionStatus.PUBLISHED)
        .order_by(Course.code, CourseVersion.number)
    ).all()
    return [(v, c) for v, c in rows]


def partner_storefront(partner_id: int) -> tuple[list[ScheduleRow], list[ScheduleRow]]:
    """Classes a partner delivers and classes it resells (published, upcoming)."""
    own = schedule(ScheduleFilters(partner_id=partner_id), per_page=100).rows
    resold_ids = set(
        db.session.execute(sa.select(ResaleListing.class_id).where(ResaleListing.partner_id == partner_id)).scalars()
    )
    resold_ids |= set(
        db.session.execute(
            sa.select(Allotment.class_id).where(
                Allotment.partner_id == partner_id, Allotment.status == AllotmentStatus.ACTIVE
            )
        ).scalars()
    )
    resold = [
        row
        for row in schedule(ScheduleFilters(resale_only=True), per_page=500).rows
        if row.training_class.id in resold_ids and row.partner.id != partner_id
    ]
    return own, resold


# --- learner -----------------------------------------------------------------------------------


@dataclass
class UpcomingMeeting:
    meeting: ClassMeeting
    training_class: TrainingClass
    version: CourseVersion


def upcoming_meetings(user_id: int, limit: int = 6) -> list[UpcomingMeeting]:
    rows = db.session.execute(
        sa.select(ClassMeeting, TrainingClass, CourseVersion)
        .join(TrainingClass, TrainingClass.id == ClassMeeting.class_id)
        .join(CourseVersion, CourseVersion.id == TrainingClass.course_version_id)
        .join(Seat, Seat.class_id == TrainingClass.id)
        .where(
            Seat.user_id == user_id,
            Seat.status == SeatStatus.CONFIRMED,
            ClassMeeting.ends_at > utcnow(),
            TrainingClass.status.in_([ClassStatus.PUBLISHED, ClassStatus.COMPLETED]),
        )
        .order_by(ClassMeeting.starts_at)
        .limit(limit)
    ).all()
    return [UpcomingMeeting(m, tc, v) for m, tc, v in rows]


def learner_seats(user_id: int) -> list[tuple[Seat, TrainingClass, CourseVersion]]:
    rows = db.session.execute(
        sa.select(Seat, TrainingClass, CourseVersion)
        .join(TrainingClass, TrainingClass.id == Seat.class_id)
        .join(CourseVersion, CourseVersion.id == TrainingClass.course_version_id)
        .where(Seat.user_id == user_id)
        .order_by(TrainingClass.starts_at.desc())
    ).all()
    return [(s, tc, v) for s, tc, v in rows]


def learner_waitlist(user_id: int) -> list[WaitlistEntry]:
    return list(
        db.session.execute(
            sa.select(WaitlistEntry)
            .where(
                WaitlistEntry.user_id == user_id,
                WaitlistEntry.status.in_([WaitlistStatus.WAITING, WaitlistStatus.OFFERED]),
            )
            .order_by(WaitlistEntry.created_at)
        ).scalars()
    )


def buyer_orders(user_id: int, limit: int = 50) -> list[Order]:
    return list(
        db.session.execute(
            sa.select(Order).where(Order.buyer_user_id == user_id).order_by(Order.id.desc()).limit(limit)
        ).scalars()
    )


def position_in_waitlist(entry: WaitlistEntry) -> int:
    return db.session.execute(
        sa.select(sa.func.count()).where(
            WaitlistEntry.class_id == entry.class_id,
            WaitlistEntry.status == WaitlistStatus.WAITING,
            WaitlistEntry.created_at <= entry.created_at,
        )
    ).scalar_one()


# --- partner dashboard -------------------------------------------------------------------------


def last_months(count: int = 6, now: datetime | None = None) -> list[tuple[int, int]]:
    now = now or utcnow()
    year, month = now.year, now.month
    months = []
    for _step in range(count):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


@dataclass
class PartnerStats:
    months: list[tuple[int, int]]
    seats_by_month: dict[tuple[int, int], int]
    revenue_by_month: dict[str, dict[tuple[int, int], int]]
    fill: list[tuple[TrainingClass, CourseVersion, Availability]]
    enrolments: dict[str, int]
    courses: list[dict[str, Any]]
    resale_income: dict[str, int]
    reseller_commission: dict[str, int]
    resale_cost: dict[str, int]
    resold_seats: int
    bought_seats: int
    balances: list[ledger.Balance] = field(default_factory=list)


def _month_key(value: datetime) -> tuple[int, int]:
    return value.year, value.month


def partner_stats(partner_id: int, months: int = 6) -> PartnerStats:
    window = last_months(months)
    since = datetime(window[0][0], window[0][1], 1, tzinfo=ZoneInfo("UTC"))
    seats_by_month: dict[tuple[int, int], int] = defaultdict(int)
    for confirmed_at in db.session.execute(
        sa.select(Seat.confirmed_at).where(
            sa.or_(Seat.partner_id == partner_id, Seat.reseller_id == partner_id),
            Seat.status == SeatStatus.CONFIRMED,
            Seat.confirmed_at >= since,
        )
    ).scalars():
        seats_by_month[_month_key(confirmed_at)] += 1
    revenue: dict[str, dict[tuple[int, int], int]] = defaultdict(lambda: defaultdict(int))
    account_id = ledger.account_id_of(AccountKind.PARTNER, partner_id)
    resale_income: dict[str, int] = defaultdict(int)
    commission: dict[str, int] = defaultdict(int)
    if account_id is not None:
        for posted_at, currency, amount in db.session.execute(
            sa.select(JournalLine.posted_at, JournalLine.currency, JournalLine.amount).where(
                JournalLine.account_id == account_id, JournalLine.posted_at >= since
            )
        ).all():
            revenue[currency][_month_key(posted_at)] += int(amount)
        for role, currency, amount in db.session.execute(
            sa.select(JournalLine.role, JournalLine.currency, sa.func.sum(JournalLine.amount))
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .join(OrderLine, OrderLine.id == JournalEntry.order_line_id)
            .where(JournalLine.account_id == account_id, OrderLine.reseller_id.is_not(None))
            .group_by(JournalLine.role, JournalLine.currency)
        ).all():
            if role == "delivering":
                resale_income[currency] += int(amount)
            elif role == "reseller":
                commission[currency] += int(amount)
    cost: dict[str, int] = defaultdict(int)
    for currency, net, refunded in db.session.execute(
        sa.select(Order.currency, sa.func.sum(Order.net_amount), sa.func.sum(Order.refunded_amount))
        .where(Order.buyer_partner_id == partner_id, Order.status.in_([OrderStatus.PAID, OrderStatus.REFUNDED]))
        .group_by(Order.currency)
    ).all():
        cost[currency] += int(net or 0) - int(refunded or 0)
    classes = partner_classes(partner_id, [ClassStatus.PUBLISHED, ClassStatus.COMPLETED])[:12]
    seats = availability_map([tc.id for tc, _v in classes])
    fill = [(tc, v, seats[tc.id]) for tc, v in classes]
    enrolments = {
        status.value: count
        for status, count in db.session.execute(
            sa.select(Enrolment.status, sa.func.count())
            .where(Enrolment.partner_id == partner_id)
            .group_by(Enrolment.status)
        ).all()
    }
    per_course = db.session.execute(
        sa.select(
            Course.id,
            Course.code,
            Course.track_id,
            sa.func.count(Enrolment.id),
            sa.func.sum(sa.case((Enrolment.status == EnrolmentStatus.COMPLETED, 1), else_=0)),
        )
        .join(CourseVersion, CourseVersion.id == Enrolment.course_version_id)
        .join(Course, Course.id == CourseVersion.course_id)
        .where(Enrolment.partner_id == partner_id)
        .group_by(Course.id, Course.code, Course.track_id)
        .order_by(Course.code)
    ).all()
    passes = {
        track_id: count
        for track_id, count in db.session.execute(
            sa.select(ExamPass.track_id, sa.func.count(sa.distinct(ExamPass.user_id)))
            .where(ExamPass.partner_id == partner_id)
            .group_by(ExamPass.track_id)
        ).all()
    }
    courses = [
        {
            "code": code,
            "enrolled": int(total),
            "completed": int(completed or 0),
            "completion_rate": (int(completed or 0) / total) if total else 0.0,
            "passed": passes.get(track_id, 0),
            "pass_rate": (passes.get(track_id, 0) / int(completed)) if completed else None,
        }
        for _course_id, code, track_id, total, completed in per_course
    ]
    resold_seats = db.session.execute(
        sa.select(sa.func.count()).where(
            Seat.partner_id == partner_id, Seat.reseller_id.is_not(None), Seat.status == SeatStatus.CONFIRMED
        )
    ).scalar_one()
    bought_seats = db.session.execute(
        sa.select(sa.func.count()).where(Seat.reseller_id == partner_id, Seat.status == SeatStatus.CONFIRMED)
    ).scalar_one()
    return PartnerStats(
        window,
        dict(seats_by_month),
        {c: dict(v) for c, v in revenue.items()},
        fill,
        enrolments,
        courses,
        dict(resale_income),
        dict(commission),
        dict(cost),
        int(resold_seats),
        int(bought_seats),
        ledger.balances(AccountKind.PARTNER, partner_id),
    )


# --- resale (the reseller's side) --------------------------------------------------------------


def reseller_allotments(partner_id: int) -> list[Allotment]:
    return list(
        db.session.execute(
            sa.select(Allotment)
            .where(Allotment.partner_id == partner_id)
            .order_by(Allotment.status, Allotment.release_at)
        ).scalars()
    )


def reseller_seats(partner_id: int) -> list[Seat]:
    """Seats this partner bought in other partners' classes (its own learners only)."""
    return list(
        db.session.execute(
            sa.select(Seat)
            .where(Seat.reseller_id == partner_id, Seat.status == SeatStatus.CONFIRMED)
            .order_by(Seat.class_id, Seat.user_id.is_not(None), Seat.id)
        ).scalars()
    )


def reseller_listings(partner_id: int) -> list[ResaleListing]:
    return list(db.session.execute(sa.select(ResaleListing).where(ResaleListing.partner_id == partner_id)).scalars())


def partner_orders(partner_id: int, limit: int = 100) -> list[Order]:
    return list(
        db.session.execute(
            sa.select(Order).where(Order.buyer_partner_id == partner_id).order_by(Order.id.desc()).limit(limit)
        ).scalars()
    )


def versions_by_id(ids: set[int]) -> dict[int, CourseVersion]:
    if not ids:
        return {}
    return {v.id: v for v in db.session.execute(sa.select(CourseVersion).where(CourseVersion.id.in_(ids))).scalars()}


# --- staff -------------------------------------------------------------------------------------


def pending_applications() -> list[PartnerApplication]:
    return list(
        db.session.execute(
            sa.select(PartnerApplication)
            .where(PartnerApplication.status == ApplicationStatus.PENDING)
            .order_by(PartnerApplication.created_at)
        ).scalars()
    )


def recent_applications(limit: int = 30) -> list[PartnerApplication]:
    return list(
        db.session.execute(sa.select(PartnerApplication).order_by(PartnerApplication.id.desc()).limit(limit)).scalars()
    )


def partners(kind_filter: list | None = None) -> list[Organisation]:
    from lms.accounts.models import PARTNER_KINDS

    return list(
        db.session.execute(
            sa.select(Organisation)
            .where(Organisation.kind.in_(kind_filter or list(PARTNER_KINDS)))
            .order_by(Organisation.name)
        ).scalars()
    )


def partner_balances() -> list[tuple[Organisation, str, int]]:
    rows = db.session.execute(
        sa.select(Organisation, JournalLine.currency, sa.func.sum(JournalLine.amount))
        .join(LedgerAccount, LedgerAccount.id == JournalLine.account_id)
        .join(Organisation, Organisation.id == LedgerAccount.owner_id)
        .where(LedgerAccount.kind == AccountKind.PARTNER)
        .group_by(Organisation, JournalLine.currency)
        .order_by(Organisation.name, JournalLine.currency)
    ).all()
    return [(org, currency, int(total)) for org, currency, total in rows]


def staff_orders(status: str = "", limit: int = 100) -> list[Order]:
    stmt = sa.select(Order).order_by(Order.id.desc()).limit(limit)
    if status in OrderStatus._value2member_map_:
        stmt = stmt.where(Order.status == OrderStatus(status))
    return list(db.session.execute(stmt).scalars())


def network_seat_totals() -> dict[str, int]:
    confirmed = db.session.execute(sa.select(sa.func.count()).where(Seat.status == SeatStatus.CONFIRMED)).scalar_one()
    resold = db.session.execute(
        sa.select(sa.func.count()).where(Seat.status == SeatStatus.CONFIRMED, Seat.reseller_id.is_not(None))
    ).scalar_one()
    published = db.session.execute(
        sa.select(sa.func.count()).where(
            TrainingClass.status == ClassStatus.PUBLISHED, TrainingClass.starts_at > utcnow()
        )
    ).scalar_one()
    return {"seats": int(confirmed), "resold": int(resold), "classes": int(published)}


def partner_journal(partner_id: int) -> sa.Select:
    """A partner's journal lines with their entry, order and order line (none before its first posting)."""
    account_id = ledger.account_id_of(AccountKind.PARTNER, partner_id)
    return (
        sa.select(JournalLine, JournalEntry, Order, OrderLine)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .outerjoin(Order, Order.id == JournalEntry.order_id)
        .outerjoin(OrderLine, OrderLine.id == JournalEntry.order_line_id)
        .where(JournalLine.account_id == account_id if account_id is not None else sa.false())
    )
