"""Background work: the deadline for browsers that went quiet, and voucher expiry (the task base commits)."""

from __future__ import annotations

from lms.core.tasks import periodic, task


@periodic(20)
@task(name="exams.finish_overdue_attempts")
def finish_overdue_attempts() -> int:
    """Submit every attempt whose deadline and grace have passed (requests also do it lazily)."""
    from lms.exams.services.delivery import finish_overdue

    return finish_overdue()


@periodic(3600)
@task(name="exams.expire_vouchers")
def expire_vouchers() -> int:
    from lms.exams.services.vouchers import expire_vouchers as expire

    return expire()
