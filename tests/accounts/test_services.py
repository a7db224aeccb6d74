import pytest
import sqlalchemy as sa
import time_machine

from lms.accounts import services
from lms.accounts.models import OrganisationKind
from lms.core.audit import AuditEvent
from lms.core.errors import DomainError
from lms.core.security import Role
from lms.extensions import db


def test_email_is_unique_whatever_its_case(create_user):
    create_user(email="Ana.Silva@Example.com")
    with pytest.raises(DomainError, match="already exists"):
        create_user(email="ana.silva@EXAMPLE.com")


def test_legal_name_keeps_its_own_script_and_an_optional_transliteration(create_user):
    user = create_user(legal_name="  山田 太郎 ", legal_name_latin=" Taro Yamada ")
    assert user.legal_name == "山田 太郎"
    assert user.legal_name_latin == "Taro Yamada"
    assert create_user(legal_name_latin="  ").legal_name_latin is None


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "at least 10"), ("x" * 300, "too long"), ("user@example.com", "must not be your e-mail")],
)
def test_password_rules(password, message):
    with pytest.raises(DomainError, match=message):
        services.check_password_rules(password, "user@example.com")


def test_unknown_locale_or_time_zone_is_refused(create_user):
    with pytest.raises(DomainError, match="offered languages"):
        create_user(locale="xx")
    with pytest.raises(DomainError, match="time zone"):
        create_user(timezone="Mars/Olympus")


def test_wrong_password_and_unknown_email_give_the_same_message(create_user):
    user = create_user()
    with pytest.raises(DomainError) as wrong_password:
        services.authenticate(user.email, "not the password")
    with pytest.raises(DomainError) as unknown:
        services.authenticate("nobody@example.com", "not the password")
    assert wrong_password.value.message == unknown.value.message


def test_disabled_accounts_cannot_sign_in(create_user):
    user = create_user()
    user.is_active = False
    with pytest.raises(DomainError, match="disabled"):
        services.authenticate(user.email, "correct horse battery")


def test_sign_in_rehashes_when_the_cost_parameters_change(app, create_user):
    user = create_user()
    old_hash = user.password_hash
    app.config["PASSWORD_TIME_COST"] = 2
    try:
        services.authenticate(user.email, "correct horse battery")
    finally:
        app.config["PASSWORD_TIME_COST"] = 1
    assert user.password_hash != old_hash
    assert "t=2" in user.password_hash


def test_email_verification_token_confirms_the_address(create_user):
    user = create_user()
    user.email_verified_at = None
    token = services.email_verification_token(user)
    assert services.verify_email(token) is user
    assert user.email_verified_at is not None
    with pytest.raises(DomainError, match="not valid"):
        services.verify_email(token + "x")


def test_verification_link_expires(create_user):
    user = create_user()
    with time_machine.travel("2030-01-01 00:00Z"):
        token = services.email_verification_token(user)
    with time_machine.travel("2030-01-04 00:00Z"), pytest.raises(DomainError, match="expired"):
        services.verify_email(token)


def test_reset_link_works_once(create_user):
    user = create_user()
    services.request_password_reset(user.email)
    token = services._serializer("reset-password").dumps({"uid": user.id, "pf": services._password_fingerprint(user)})
    services.reset_password(token, "a brand new password")
    with pytest.raises(DomainError, match="already used"):
        services.reset_password(token, "another new password")


def test_password_change_needs_the_current_password_and_ends_other_sessions(create_user):
    user = create_user()
    version = user.session_version
    with pytest.raises(DomainError, match="current password"):
        services.change_password(user, "wrong", "a brand new password")
    services.change_password(user, "correct horse battery", "a brand new password")
    assert user.session_version == version + 1
    assert services.authenticate(user.email, "a brand new password") is user


def test_role_grants_and_removals_are_audited_and_end_sessions(create_user, create_organisation, staff_user):
    partner = create_organisation(OrganisationKind.TRAINING_PARTNER)
    user = create_user()
    membership = services.grant_role(user, partner, Role.INSTRUCTOR, actor_id=staff_user.id)
    assert Role.INSTRUCTOR in user.roles
    version = user.session_version
    services.revoke_role(membership, actor_id=staff_user.id)
    assert Role.INSTRUCTOR not in user.roles
    assert user.session_version == version + 1
    actions = (
        db.session.execute(
            sa.select(AuditEvent.action).where(AuditEvent.action.like("role.%"), AuditEvent.actor_id == staff_user.id)
        )
        .scalars()
        .all()
    )
    assert actions == ["role.granted", "role.revoked"]


def test_staff_roles_belong_to_the_certification_body(create_user, create_organisation):
    partner = create_organisation(OrganisationKind.TRAINING_PARTNER)
    with pytest.raises(DomainError, match="certification body"):
        services.grant_role(create_user(), partner, Role.STAFF, actor_id=None)


def test_roles_in_a_suspended_organisation_do_not_count(create_user, create_organisation, staff_user):
    from lms.accounts.models import OrganisationStatus

    partner = create_organisation(OrganisationKind.TRAINING_PARTNER)
    user = create_user(roles=[(partner, Role.PARTNER_ADMIN)])
    assert Role.PARTNER_ADMIN in user.roles
    services.set_organisation_status(
        partner, OrganisationStatus.SUSPENDED, actor_id=staff_user.id, reason="Unpaid fees"
    )
    assert Role.PARTNER_ADMIN not in user.roles
    with pytest.raises(DomainError, match="reason"):
        services.set_organisation_status(partner, OrganisationStatus.ACTIVE, actor_id=staff_user.id, reason=" ")
