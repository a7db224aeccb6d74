"""Background work of the partner network."""

from __future__ import annotations

from lms.core.tasks import periodic, task


@periodic(60)
@task(name="partners.release_expired")
def release_expired() -> dict[str, int]:
    """Lapsed checkouts, invoices, waiting-list offers and allotments; freed seats go to waiting learners."""
    from lms.partners.services import seats

    return seats.release_expired()


@task(name="partners.run_cohort_import")
def run_cohort_import(import_id: int) -> None:
    from lms.partners.services import cohorts

    cohorts.run(import_id)
