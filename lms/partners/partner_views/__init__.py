"""Pages of a partner's team (/partner/…): classes, branding, team, resale, vouchers, cohorts, money.

Every page works on the partner the signed-in person acts for; another partner's object is a 404.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

bp = Blueprint(
    "partner_portal",
    __name__,
    url_prefix="/partner",
    template_folder=str(Path(__file__).resolve().parent.parent / "templates"),
)

from lms.partners.partner_views import classes, money, organisation, resale, vouchers  # noqa: E402,F401
