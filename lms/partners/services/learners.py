"""Finding or creating the learner a partner enrols (seat assignment, vouchers, cohort imports)."""

from __future__ import annotations

import re
import secrets

from flask import current_app
from flask_babel import gettext as _

from lms.accounts import services as accounts
from lms.accounts.models import User
from lms.core.errors import DomainError
from lms.core.i18n import LANGUAGES
from lms.core.mail import send_mail

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def valid_email(value: str) -> bool:
    return bool(EMAIL.match(value or "")) and len(value) <= 254


def find_or_create_learner(
    email: str, *, display_name: str = "", legal_name: str = "", locale: str = "en", partner_name: str = ""
) -> tuple[User, bool]:
    """The account for this address; a new one gets a welcome e-mail to choose a password."""
    email = accounts.normalise_email(email)
    if not valid_email(email):
        raise DomainError(_("“%(value)s” is not an e-mail address.", value=email), field="email")
    user = accounts.find_user_by_email(email)
    if user is not None:
        return user, False
    name = (display_name or "").strip() or email.split("@")[0]
    user = accounts.register_user(
        email=email,
        # Never used: the learner chooses a password through the link in the welcome e-mail.
        password=secrets.token_urlsafe(24),
        display_name=name[:120],
        legal_name=((legal_name or "").strip() or name)[:200],
        locale=locale if locale in LANGUAGES else "en",
        send_verification=False,
    )
    send_mail(
        user.email,
        "learner_welcome",
        user.locale,
        display_name=user.display_name,
        partner=partner_name,
        url=f"{current_app.config['BASE_URL']}/account/password-reset",
    )
    return user, True
