"""What an API key may do: one scope per kind of access, chosen when the key is created.

The catalogue says which resources each one opens.
"""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Scope(enum.StrEnum):
    CATALOG_READ = "catalog:read"
    ENROLMENTS_READ = "enrolments:read"
    ENROLMENTS_WRITE = "enrolments:write"
    SCHEDULE_READ = "schedule:read"
    CLASSES_WRITE = "classes:write"
    SEATS_WRITE = "seats:write"
    RESULTS_READ = "results:read"
    CERTIFICATES_READ = "certificates:read"
    LEDGER_READ = "ledger:read"


SCOPE_LABELS = {
    Scope.CATALOG_READ: _l("Read the catalog (certifications, courses, prices)"),
    Scope.ENROLMENTS_READ: _l("Read your enrolments and your learners' progress"),
    Scope.ENROLMENTS_WRITE: _l("Enrol learners (creating their accounts if needed)"),
    Scope.SCHEDULE_READ: _l("Read the shared class schedule"),
    Scope.CLASSES_WRITE: _l("Create, update, publish and cancel your classes"),
    Scope.SEATS_WRITE: _l("Hold and confirm seats, use allotments and vouchers"),
    Scope.RESULTS_READ: _l("Read your learners' exam results"),
    Scope.CERTIFICATES_READ: _l("Read your learners' certificates"),
    Scope.LEDGER_READ: _l("Read your ledger statements"),
}

#: Scopes whose resources this version serves (all of them since phase 2).
SERVED_SCOPES = frozenset(Scope)


def parse_scopes(values: list[str] | tuple[str, ...]) -> list[Scope]:
    """Known scopes in catalogue order; unknown values raise ``ValueError``."""
    wanted = {Scope(value) for value in values}
    return [scope for scope in Scope if scope in wanted]
