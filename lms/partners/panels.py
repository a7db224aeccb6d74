"""Boxes the partner network adds to /dashboard: a learner's class meetings, a partner's figures
and charts, an instructor's classes, and the network for staff."""

from __future__ import annotations

from typing import Any

from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.core.dashboard import DashboardPanel
from lms.core.i18n import money
from lms.core.security import Role, current_partner_id
from lms.core.signals import dashboard_panels
from lms.core.time import utcnow
from lms.partners import charts, queries
from lms.partners.services import calendar, ledger


def _month_label(year: int, month: int) -> str:
    from datetime import date

    from flask_babel import format_date

    return format_date(date(year, month, 1), "MMM")


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def partner_charts(stats: queries.PartnerStats) -> dict[str, Any]:
    seats = [
        charts.Bar(
            _month_label(y, m), stats.seats_by_month.get((y, m), 0), format_decimal(stats.seats_by_month.get((y, m), 0))
        )
        for y, m in stats.months
    ]
    revenue = {}
    for currency, by_month in stats.revenue_by_month.items():
        revenue[currency] = charts.column_chart(
            [
                charts.Bar(_month_label(y, m), by_month.get((y, m), 0) / 100, money(by_month.get((y, m), 0), currency))
                for y, m in stats.months
            ],
            title=_("Your earnings by month (%(currency)s)", currency=currency),
            description=_("Your share of every sale and refund, per month."),
            colour=charts.ACCENT,
            axis_format=lambda v: format_decimal(round(v)),
        )
    fill = charts.meter_chart(
        [
            charts.Bar(
                _short(f"#{tc.id} {version.title(str(get_locale() or 'en'))}"),
                (seat.confirmed / seat.capacity) if seat.capacity else 0,
                f"{seat.confirmed}/{seat.capacity}",
            )
            for tc, version, seat in stats.fill
        ],
        title=_("Fill rate per class"),
        description=_("Confirmed seats against capacity for each published class."),
    )
    return {
        "seats_chart": charts.column_chart(
            seats,
            title=_("Seats sold by month"),
            description=_("Confirmed seats in your classes and seats you resold, per month."),
        ),
        "revenue_charts": revenue,
        "fill_chart": fill,
    }


@dashboard_panels.connect
def partner_panels(user: User, **kwargs: Any) -> list[DashboardPanel]:
    roles = user.roles
    panels: list[DashboardPanel] = []
    meetings = queries.upcoming_meetings(user.id)
    if meetings or queries.learner_waitlist(user.id):
        panels.append(
            DashboardPanel(
                _l("Upcoming class meetings"),
                "partners/panels/meetings.html",
                {
                    "meetings": meetings,
                    "has_calendar": calendar.has_token(user.id),
                    "waitlist": queries.learner_waitlist(user.id),
                },
                order=20,
                role=Role.LEARNER.value,
            )
        )
    partner_id = current_partner_id()
    if partner_id and roles & {Role.PARTNER_ADMIN, Role.PARTNER_MANAGER}:
        stats = queries.partner_stats(partner_id)
        context = {"stats": stats, **partner_charts(stats)}
        panels.append(
            DashboardPanel(_l("Sales"), "partners/panels/partner_sales.html", context, order=20, role="partner")
        )
        panels.append(
            DashboardPanel(_l("Classes"), "partners/panels/partner_classes.html", context, order=21, role="partner")
        )
        panels.append(
            DashboardPanel(
                _l("Learners and results"), "partners/panels/partner_learners.html", context, order=22, role="partner"
            )
        )
        panels.append(
            DashboardPanel(_l("Resale"), "partners/panels/partner_resale.html", context, order=23, role="partner")
        )
    if Role.INSTRUCTOR in roles:
        panels.append(
            DashboardPanel(
                _l("Your classes"),
                "partners/panels/instructor.html",
                {"rows": queries.taught_classes(user.id), "now": utcnow()},
                order=25,
                role="partner",
            )
        )
    if Role.STAFF in roles:
        panels.append(
            DashboardPanel(
                _l("Partner network"),
                "partners/panels/staff.html",
                {
                    "pending": queries.pending_applications(),
                    "totals": ledger.network_totals(),
                    "seats": queries.network_seat_totals(),
                    "check": ledger.check_balance(),
                },
                order=15,
                role=Role.STAFF.value,
            )
        )
    return panels
