"""Demo organisations and one account per role (``flask --app lms seed-demo``)."""

from __future__ import annotations

import sqlalchemy as sa

from lms.accounts import services
from lms.accounts.models import Organisation, OrganisationKind, User
from lms.accounts.passwords import hash_password
from lms.core.demo import DemoContext
from lms.core.security import Role
from lms.extensions import db

ORGANISATIONS = [
    # key, kind, name, slug, country, city, parent
    (
        "body",
        OrganisationKind.CERTIFICATION_BODY,
        "AI Certification Council",
        "ai-certification-council",
        "US",
        "Boston",
        None,
    ),
    (
        "atp_gulf",
        OrganisationKind.TRAINING_PARTNER,
        "Gulf AI Academy",
        "gulf-ai-academy",
        "AE",
        "Dubai",
        None,
    ),
    (
        "atp_euro",
        OrganisationKind.TRAINING_PARTNER,
        "EuroSkills Institute",
        "euroskills-institute",
        "DE",
        "Berlin",
        None,
    ),
    (
        "academic",
        OrganisationKind.ACADEMIC_PARTNER,
        "Universidad Técnica del Sol",
        "universidad-tecnica-del-sol",
        "ES",
        "Valencia",
        None,
    ),
    (
        "association",
        OrganisationKind.ASSOCIATION,
        "Healthcare Informatics Society",
        "healthcare-informatics-society",
        "FR",
        "Lyon",
        None,
    ),
    (
        "enterprise",
        OrganisationKind.ENTERPRISE_CLIENT,
        "Nordlicht Logistics",
        "nordlicht-logistics",
        "DE",
        "Hamburg",
        "atp_euro",
    ),
]

ACCOUNTS = [
    # email, display name, legal name, latin, locale, time zone, [(organisation key, role)]
    ("learner@demo.lms", "Layla", "ليلى حسن", "Layla Hassan", "en", "Asia/Dubai", []),
    (
        "partner@demo.lms",
        "Omar",
        "Omar Al-Farsi",
        None,
        "en",
        "Asia/Dubai",
        [("atp_gulf", Role.PARTNER_ADMIN)],
    ),
    (
        "reseller@demo.lms",
        "Greta",
        "Greta Vogel",
        None,
        "de",
        "Europe/Berlin",
        [("atp_euro", Role.PARTNER_ADMIN)],
    ),
    (
        "instructor@demo.lms",
        "Priya",
        "Priya Raman",
        None,
        "en",
        "Asia/Dubai",
        [("atp_gulf", Role.INSTRUCTOR)],
    ),
    (
        "proctor@demo.lms",
        "Kenji",
        "佐藤 健二",
        "Kenji Sato",
        "ja",
        "Asia/Tokyo",
        [("atp_gulf", Role.PROCTOR)],
    ),
    (
        "affiliate@demo.lms",
        "Sofia",
        "Sofía Martínez",
        None,
        "es",
        "Europe/Madrid",
        [("body", Role.AFFILIATE)],
    ),
    ("staff@demo.lms", "Claire", "Claire Dubois", None, "fr", "Europe/Paris", [("body", Role.STAFF)]),
]


def seed(context: DemoContext) -> None:
    for key, kind, name, slug, country, city, parent in ORGANISATIONS:
        organisation = db.session.execute(sa.select(Organisation).where(Organisation.slug == slug)).scalar_one_or_none()
        if organisation is None:
            organisation = services.create_organisation(
                kind=kind,
                name=name,
                slug=slug,
                country=country,
                city=city,
                parent_id=context.organisations[parent].id if parent else None,
            )
        context.organisations[key] = organisation

    for email, display, legal, latin, locale, zone, roles in ACCOUNTS:
        user = services.find_user_by_email(email)
        if user is None:
            user = services.register_user(
                email=email,
                password=context.password,
                display_name=display,
                legal_name=legal,
                legal_name_latin=latin,
                locale=locale,
                timezone=zone,
                send_verification=False,
            )
            context.new_accounts = True
        elif context.reset_passwords:
            user.password_hash = hash_password(context.password)
        if user.email_verified_at is None:
            user.email_verified_at = user.created_at
        for org_key, role in roles:
            services.grant_role(user, context.organisations[org_key], role, actor_id=None)
        context.accounts[email] = user
    db.session.flush()


def demo_user(email: str) -> User | None:
    return services.find_user_by_email(email)
