"""Panels that domains contribute to the signed-in user's dashboard (through a signal)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class DashboardPanel:
    """One box on /dashboard: ``template`` is rendered with ``context``; lower ``order`` comes first."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
    #: Shown as a section for this role ("learner", "staff"…); None for general panels.
    role: str | None = None


@dataclass
class SeatOffer:
    """One way to get a seat on a course, contributed to the course page (see ``signals.seat_offers``)."""

    label: str
    url: str
    price: str | None = None  # already formatted for the viewer
    detail: str | None = None
    order: int = 100


@dataclass
class CheckoutCode:
    """A domain's answer to ``signals.checkout_code_lookup``: what the code gives and who brought the sale."""

    source: str  # the answering domain, e.g. "affiliates"
    ref: str  # what the code is there, e.g. "affiliate-link:12"
    label: str  # shown to the buyer, already translated
    discount_bp: int = 0  # basis points off the order's amount (0–10 000)
    discount_amount: int = 0  # or a fixed amount in the order's minor units
    channel: str = "referral"  # the order's channel when no partner sold it
    attribution: dict[str, Any] = field(default_factory=dict)  # stored on the order (channel_reason)
