"""Affiliates: programmes, referral links and clicks, attribution, commissions, payouts, fraud review."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import format_percent

    from lms.affiliates import tracking, web

    tracking.init_app(app)
    app.jinja_env.globals.update(affiliate_labels=web.labels(), format_percent=format_percent)
