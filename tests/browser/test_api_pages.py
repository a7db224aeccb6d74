"""A partner admin creates an API key in the browser, uses it, and reads the API reference (en and ar)."""

import urllib.request

from lms.extensions import db
from tests.conftest import DEFAULT_PASSWORD


def _partner_admin(app, locale="en"):
    with app.app_context():
        from lms.accounts import services
        from lms.accounts.models import OrganisationKind
        from lms.core.security import Role
        from lms.core.time import utcnow

        partner = services.create_organisation(
            kind=OrganisationKind.TRAINING_PARTNER, name="Gulf AI Academy", slug="gulf-ai-academy"
        )
        user = services.register_user(
            email="omar@example.com",
            password=DEFAULT_PASSWORD,
            display_name="Omar",
            legal_name="Omar Al-Farsi",
            locale=locale,
            send_verification=False,
        )
        user.email_verified_at = utcnow()
        services.grant_role(user, partner, Role.PARTNER_ADMIN, actor_id=None)
        db.session.commit()


def _sign_in(page, url):
    page.goto(f"{url}/login")
    page.locator("#email").fill("omar@example.com")
    page.locator("#password").fill(DEFAULT_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url(f"{url}/dashboard")


def test_partner_admin_creates_a_key_and_calls_the_api(live_server, page, screenshot):
    _partner_admin(live_server.app)
    _sign_in(page, live_server.url)
    page.locator(".nav-menu summary", has_text="Your organisation").click()
    page.get_by_role("link", name="API & webhooks").click()
    page.wait_for_url(f"{live_server.url}/partner/api")
    screenshot(page, "api-keys-empty-en")
    page.locator("summary", has_text="New API key").click()
    page.locator("#key-name").fill("HR system")
    page.get_by_label("enrolments:read", exact=False).check()
    screenshot(page, "api-keys-form-en")
    page.get_by_role("button", name="Create key").click()
    token = page.get_by_test_id("api-key").input_value()
    assert token.startswith("lms_")
    screenshot(page, "api-key-created-en")

    request = urllib.request.Request(  # noqa: S310 (our own live server)
        f"{live_server.url}/api/v1/enrolments", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310 (our own live server)
        assert response.status == 200

    page.get_by_role("link", name="I have copied it").click()
    assert page.locator("tbody tr", has_text="HR system").count() == 1
    assert token not in page.content()
    screenshot(page, "api-keys-list-en")


def test_the_api_reference_reads_right_to_left_in_arabic(live_server, page, screenshot):
    _partner_admin(live_server.app, locale="ar")
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/partner/api")
    assert page.locator("html").get_attribute("dir") == "rtl"
    screenshot(page, "api-keys-ar")
    page.goto(f"{live_server.url}/api/v1/docs")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#get-api-v1-courses").is_visible()
    screenshot(page, "api-docs-ar", full_page=False)
    page.goto(f"{live_server.url}/api/v1/docs#post-api-v1-enrolments-bulk")
    screenshot(page, "api-docs-bulk-ar", full_page=False)
