"""Prices a viewer sees: the currency they browse in and the tier their memberships give them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import has_request_context, session
from flask_babel import get_locale

from lms.accounts.models import User
from lms.courses.models import CourseVersion
from lms.partners.models import ClassPrice, PriceTier, TrainingClass
from lms.partners.services.network import memberships_of

CURRENCY_SESSION_KEY = "currency"
#: A first guess from the interface language, until the visitor picks a currency.
LOCALE_CURRENCIES = {"ar": "AED", "de": "EUR", "fr": "EUR", "es": "EUR", "ja": "JPY", "en": "USD"}
KNOWN_CURRENCIES = ("USD", "EUR", "AED", "GBP", "JPY", "SAR", "INR")


def preferred_currency() -> str:
    if has_request_context():
        chosen = session.get(CURRENCY_SESSION_KEY)
        if chosen in KNOWN_CURRENCIES:
            return chosen
        return LOCALE_CURRENCIES.get(str(get_locale() or "en"), "USD")
    return "USD"


def pick_currency(available: list[str], wanted: str | None = None) -> str | None:
    """The viewer's currency if the offer is priced in it, else USD, else the first one offered."""
    if not available:
        return None
    for candidate in (wanted, preferred_currency(), "USD"):
        if candidate and candidate in available:
            return candidate
    return available[0]


@dataclass(frozen=True)
class Quote:
    currency: str
    tier: PriceTier
    unit_list: int
    unit_amount: int
    #: The academic partner or association whose membership gives the tier.
    tier_partner_id: int | None = None
    tier_partner_name: str | None = None

    @property
    def reduced(self) -> bool:
        return self.unit_amount < self.unit_list


def _best(price: ClassPrice | object, currency: str, user: User | None, list_only: bool) -> Quote:
    list_amount = price.list_amount  # type: ignore[attr-defined]
    best = Quote(currency, PriceTier.LIST, list_amount, list_amount)
    if list_only:
        return best
    for membership in memberships_of(user):
        amount = (
            price.academic_amount  # type: ignore[attr-defined]
            if membership.tier == PriceTier.ACADEMIC
            else price.association_amount  # type: ignore[attr-defined]
        )
        if amount is not None and amount < best.unit_amount:
            best = Quote(currency, membership.tier, list_amount, amount, membership.partner_id, membership.partner_name)
    return best


def quote_class(
    training_class: TrainingClass, user: User | None, currency: str | None = None, *, list_only: bool = False
) -> Quote | None:
    chosen = pick_currency(training_class.currencies, currency)
    if chosen is None:
        return None
    return _best(training_class.price(chosen), chosen, user, list_only)


def quote_elearning(
    version: CourseVersion, user: User | None, currency: str | None = None, *, list_only: bool = False
) -> Quote | None:
    chosen = pick_currency([p.currency for p in version.prices], currency)
    if chosen is None:
        return None
    return _best(version.price(chosen), chosen, user, list_only)
