"""A partner's money: balances (pending and available), journal lines, monthly statements, orders."""

from __future__ import annotations

from flask import Response, abort, make_response, render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from lms.accounts.models import Organisation
from lms.core.navigation import register_nav
from lms.core.security import Role, roles_required
from lms.extensions import db
from lms.partners import queries
from lms.partners.models import AccountKind, JournalEntry, JournalLine, OrderLine
from lms.partners.partner_views import bp
from lms.partners.services import ledger, statements
from lms.partners.web import current_partner

MANAGERS = (Role.PARTNER_ADMIN, Role.PARTNER_MANAGER)

register_nav("partner_portal.ledger_page", _l("Money"), *MANAGERS, order=46)


@bp.route("/money")
@roles_required(*MANAGERS)
def ledger_page() -> str:
    partner = current_partner()
    account_id = ledger.account_id_of(AccountKind.PARTNER, partner.id)
    lines = []
    if account_id is not None:
        lines = db.session.execute(
            db.select(JournalLine, JournalEntry, OrderLine)
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .outerjoin(OrderLine, OrderLine.id == JournalEntry.order_line_id)
            .where(JournalLine.account_id == account_id)
            .order_by(JournalLine.posted_at.desc(), JournalLine.id.desc())
            .limit(50)
        ).all()
    return render_template(
        "partners/partner/money.html",
        partner=partner,
        balances=ledger.balances(AccountKind.PARTNER, partner.id),
        lines=lines,
        months=statements.months_with_activity(partner.id),
        orders=queries.partner_orders(partner.id),
        locale=str(get_locale() or "en"),
        month_label=month_label,
    )


def month_label(year: int, month: int) -> str:
    from datetime import date

    from flask_babel import format_date

    return format_date(date(year, month, 1), "MMMM y")


def statement_response(partner: Organisation, year: int, month: int, kind: str) -> Response:
    try:
        statement = statements.build(partner, year, month, str(get_locale() or "en"))
    except ValueError:
        abort(404)
    name = f"statement-{partner.slug}-{year:04d}-{month:02d}"
    if kind == "csv":
        response = make_response(statements.to_csv(statement))
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        response = make_response(statements.to_pdf(statement, str(get_locale() or "en")))
        response.headers["Content-Type"] = "application/pdf"
        response.headers["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@bp.route("/statements/<int:year>-<int:month>.csv")
@roles_required(*MANAGERS)
def statement_csv(year: int, month: int) -> Response:
    return statement_response(current_partner(), year, month, "csv")


@bp.route("/statements/<int:year>-<int:month>.pdf")
@roles_required(*MANAGERS)
def statement_pdf(year: int, month: int) -> Response:
    return statement_response(current_partner(), year, month, "pdf")
