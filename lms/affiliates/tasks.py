"""Background work of the affiliate programmes (each task is safe to run twice)."""

from __future__ import annotations

from typing import Any

from lms.core.tasks import periodic, task


@task(name="affiliates.attribute_order")
def attribute_order(order_id: int) -> str | None:
    """A paid order: decide who referred it and earn the commissions."""
    from lms.affiliates.services import attribution

    result = attribution.attribute_order(order_id)
    return result.rule.value if result is not None else None


@task(name="affiliates.apply_refund")
def apply_refund(refund_id: int) -> None:
    """A refund: void or claw back the commissions of the refunded line."""
    from lms.affiliates.services import commissions

    commissions.apply_refund(refund_id)


@periodic(3600)
@task(name="affiliates.approve_due")
def approve_due() -> list[int]:
    """Approve the commissions whose holding period is over (flagged ones wait for staff)."""
    from lms.affiliates.services import commissions

    return commissions.approve_due()


@periodic(900)
@task(name="affiliates.scan_click_floods")
def scan_click_floods() -> dict[str, Any]:
    """Flag addresses that clicked one affiliate's links too often in the last hour."""
    from lms.affiliates.services import fraud

    return {"flags": [flag.id for flag in fraud.scan_click_floods()]}
