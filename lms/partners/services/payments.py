"""Payment providers behind one interface.

* ``test`` — the demo's provider: payment succeeds at once (no money moves).
* ``invoice`` — a purchase order: the order waits, its seats are held until the due date, and
  staff mark it paid when the money arrives (or it lapses and the seats return).
* ``free`` — used by the checkout itself when codes bring the total to zero.

A real card provider would be one more class with the same three methods.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l

from lms.core.time import utcnow


@dataclass(frozen=True)
class PaymentOutcome:
    paid: bool
    reference: str
    #: For deferred payment: when the seats stop being held.
    due_at: datetime | None = None


class PaymentProvider(Protocol):
    code: str
    label: Any
    description: Any
    needs_po_number: bool

    def start(self, order: Any, *, po_number: str | None = None) -> PaymentOutcome: ...
    def refund(self, order: Any, amount: int) -> str: ...


class TestProvider:
    code = "test"
    label = _l("Test payment (demo)")
    description = _l("Completes at once; no money moves. For trying the network out.")
    needs_po_number = False

    def start(self, order: Any, *, po_number: str | None = None) -> PaymentOutcome:
        return PaymentOutcome(paid=True, reference=f"test-{secrets.token_hex(6)}")

    def refund(self, order: Any, amount: int) -> str:
        return f"test-refund-{secrets.token_hex(6)}"


class InvoiceProvider:
    code = "invoice"
    label = _l("Invoice (purchase order)")
    description = _l("We send an invoice; your seats are held until it is due and confirmed when it is paid.")
    needs_po_number = True

    def start(self, order: Any, *, po_number: str | None = None) -> PaymentOutcome:
        days = int(current_app.config.get("INVOICE_DUE_DAYS", 14))
        due = utcnow() + timedelta(days=days)
        return PaymentOutcome(paid=False, reference=f"INV-{order.number}", due_at=due)

    def refund(self, order: Any, amount: int) -> str:
        return f"credit-note-{order.number}-{secrets.token_hex(3)}"


class FreeProvider:
    code = "free"
    label = _l("No payment needed")
    description = _l("Your codes cover the whole amount.")
    needs_po_number = False

    def start(self, order: Any, *, po_number: str | None = None) -> PaymentOutcome:
        return PaymentOutcome(paid=True, reference="free")

    def refund(self, order: Any, amount: int) -> str:
        return "free"


PROVIDERS: dict[str, PaymentProvider] = {p.code: p for p in (TestProvider(), InvoiceProvider(), FreeProvider())}
#: Offered at checkout (``free`` is chosen by the checkout itself).
CHECKOUT_PROVIDERS = ("test", "invoice")


def provider(code: str) -> PaymentProvider | None:
    return PROVIDERS.get(code)
