import re
from pathlib import Path

import pytest

from lms.core.mail import outbox_messages
from lms.extensions import db

PASSWORD = "correct horse battery"


def _outbox(app) -> list:
    return outbox_messages(Path(app.config["MAIL_OUTBOX"]))


@pytest.fixture(autouse=True)
def _empty_outbox(app):
    for message in Path(app.config["MAIL_OUTBOX"]).glob("*.eml"):
        message.unlink()


def _link(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/\S+)", body).group(1)


def test_register_signs_in_and_sends_a_confirmation_in_the_chosen_language(app, client):
    response = client.post(
        "/register",
        data={
            "email": "Nour@Example.com",
            "display_name": "Nour",
            "legal_name": "نور الهدى",
            "legal_name_latin": "Nour Al-Huda",
            "locale": "ar",
            "timezone": "Asia/Riyadh",
            "password": "a long enough password",
            "confirm": "a long enough password",
        },
    )
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    [message] = _outbox(app)
    assert message["To"] == "nour@example.com"
    assert message["Content-Language"] == "ar"
    # Confirming through the e-mailed link marks the address verified.
    client.get(_link(message))
    page = client.get("/account/profile").get_data(as_text=True)
    assert "Please confirm your e-mail address" not in page


def test_register_shows_each_problem_on_its_field(client, create_user):
    create_user(email="taken@example.com")
    page = client.post(
        "/register",
        data={
            "email": "taken@example.com",
            "display_name": "X",
            "legal_name": "X Y",
            "locale": "en",
            "timezone": "UTC",
            "password": "a long enough password",
            "confirm": "a long enough password",
        },
    ).get_data(as_text=True)
    assert "An account with this e-mail address already exists." in page
    page = client.post(
        "/register",
        data={"email": "new@example.com", "password": "short", "confirm": "other", "locale": "en", "timezone": "UTC"},
    ).get_data(as_text=True)
    assert "The passwords differ." in page
    assert 'aria-invalid="true"' in page


def test_sign_in_starts_a_fresh_session(client, create_user):
    user = create_user()
    with client.session_transaction() as session:
        session["planted"] = "by someone before sign-in"
        session["lang"] = "fr"
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "fr"  # the visitor's language choice is kept


def test_sign_out_ends_every_copy_of_the_session(client, make_client, create_user, login):
    user = create_user()
    login(client, user)
    copied = make_client()
    cookie = client.get_cookie("session")
    copied.set_cookie("session", cookie.value)
    assert copied.get("/dashboard").status_code == 200
    client.post("/logout")
    assert copied.get("/dashboard").status_code == 302  # the copied cookie no longer works


def test_password_change_signs_out_other_devices_but_keeps_this_one(client, make_client, create_user, login):
    user = create_user()
    login(client, user)
    other = make_client()
    login(other, user)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "a brand new password", "confirm": "a brand new password"},
    )
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other.get("/dashboard").status_code == 302


def test_password_reset_by_emailed_link(app, client, create_user):
    user = create_user()
    client.post("/account/password-reset", data={"email": user.email.upper()})
    [message] = _outbox(app)
    link = _link(message)
    response = client.post(link, data={"password": "reset to something new", "confirm": "reset to something new"})
    assert response.status_code == 302
    client.forget_csrf()  # the reset ended the session its form belonged to
    assert client.post("/login", data={"email": user.email, "password": "reset to something new"}).status_code == 302
    # The link was used up.
    client.get("/")
    assert client.get(link).status_code == 302


def test_reset_request_does_not_reveal_whether_an_account_exists(app, client):
    response = client.post("/account/password-reset", data={"email": "nobody@example.com"}, follow_redirects=True)
    assert "If an account uses that address" in response.get_data(as_text=True)
    assert _outbox(app) == []


def test_too_many_failed_sign_ins_answer_429_without_locking_the_account_for_others(app, make_client, create_user):
    user = create_user()
    attacker = make_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    statuses = [
        attacker.post("/login", data={"email": user.email, "password": f"guess {i} wrong"}).status_code
        for i in range(12)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]
    # The real owner, from another address, still signs in.
    owner = make_client()
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert owner.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


def test_successful_sign_ins_do_not_use_up_the_limit(make_client, create_user):
    users = [create_user() for _ in range(12)]
    for user in users:
        browser = make_client()
        assert browser.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


def test_profile_edits_change_language_and_name(client, create_user, login):
    user = create_user()
    login(client, user)
    client.post(
        "/account/profile",
        data={
            "display_name": "Jo",
            "legal_name": "Johanna Müller",
            "legal_name_latin": "",
            "locale": "de",
            "timezone": "Europe/Berlin",
        },
    )
    db.session.refresh(user)
    assert (user.display_name, user.legal_name, user.locale, user.timezone) == (
        "Jo",
        "Johanna Müller",
        "de",
        "Europe/Berlin",
    )
    assert 'lang="de"' in client.get("/dashboard").get_data(as_text=True)


def test_language_switch_for_visitors_and_signed_in_users(client, create_user, login):
    client.post("/language", data={"lang": "ar", "next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    user = create_user()
    login(client, user)
    client.post("/language", data={"lang": "ja", "next": "/dashboard"})
    db.session.refresh(user)
    assert user.locale == "ja"


def test_staff_grant_a_role_from_the_person_page(client, staff_user, create_user, create_organisation, login):
    partner = create_organisation(name="Cairo AI School")
    person = create_user(display_name="Hany")
    login(client, staff_user)
    page = client.get(f"/staff/users/{person.id}").get_data(as_text=True)
    assert "Cairo AI School" in page
    client.post(f"/staff/users/{person.id}", data={"organisation_id": partner.id, "role": "instructor"})
    db.session.refresh(person)
    assert [(m.organisation_id, m.role.value) for m in person.memberships] == [(partner.id, "instructor")]
    assert "role.granted" in client.get("/staff/audit").get_data(as_text=True)


def test_the_partner_admin_sees_their_team_on_the_dashboard(client, create_user, create_organisation, login):
    partner = create_organisation(name="Riyadh Data Academy")
    admin = create_user(display_name="Faisal")
    from lms.accounts import services
    from lms.core.security import Role

    services.grant_role(admin, partner, Role.PARTNER_ADMIN, actor_id=None)
    create_user(display_name="Mona", roles=[(partner, Role.INSTRUCTOR)])
    login(client, admin)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Riyadh Data Academy" in page and "Mona" in page


def test_the_rate_limit_is_shared_through_redis_when_configured(tmp_path, create_user):
    import redis as redis_client

    from tests.conftest import TEST_BROKER_URL, make_app, reset_schema, service_missing

    if not TEST_BROKER_URL.startswith("redis"):
        service_missing("set LMS_TEST_BROKER_URL to a Redis URL to test shared rate-limit counters")
    storage = TEST_BROKER_URL.rsplit("/", 1)[0] + "/15"
    redis_client.Redis.from_url(storage).flushdb()
    first, second = (
        make_app(f"sqlite:///{tmp_path / 'r.sqlite3'}", tmp_path / "i", RATELIMIT_STORAGE_URL=storage) for _ in range(2)
    )
    assert first.config["RATELIMIT_STORAGE_URI"] == storage
    reset_schema(first)
    with first.app_context():
        from lms.accounts import services

        services.register_user(email="r@example.com", password=PASSWORD, display_name="R", legal_name="R R")
        db.session.commit()
    # Two workers (two app objects) share one counter: 6 failures on each make 12 in all.
    statuses = []
    for app_object in (first, second):
        client = app_object.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        for i in range(6):
            statuses.append(
                client.post(
                    "/login", data={"csrf_token": token, "email": "r@example.com", "password": f"no {i}"}
                ).status_code
            )
    assert statuses.count(429) == 2
    with first.app_context():
        db.engine.dispose()
