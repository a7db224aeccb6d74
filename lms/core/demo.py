"""Shared state for ``flask --app lms seed-demo``: each domain's ``demo.seed(context)`` adds to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class DemoContext:
    password: str
    #: True when the password was given (LMS_DEMO_PASSWORD): existing demo accounts are reset to it.
    reset_passwords: bool = False
    accounts: dict[str, Any] = field(default_factory=dict)
    organisations: dict[str, Any] = field(default_factory=dict)
    new_accounts: bool = False
    #: Anything a later seeder needs from an earlier one (tracks, courses, classes…).
    objects: dict[str, Any] = field(default_factory=dict)
