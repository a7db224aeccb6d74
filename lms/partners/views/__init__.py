"""Public and learner pages of the partner network: schedule, classes, storefronts, checkout, my classes."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

bp = Blueprint("partners", __name__, template_folder=str(Path(__file__).resolve().parent.parent / "templates"))

from lms.partners.views import checkout, learner, public  # noqa: E402,F401  (routes register on bp)
