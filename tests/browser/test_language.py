"""A learner signs in, switches to Arabic, and the page is right-to-left."""

from lms.extensions import db
from tests.conftest import DEFAULT_PASSWORD


def test_learner_signs_in_and_switches_to_arabic(live_server, page, screenshot):
    with live_server.app.app_context():
        from lms.accounts import services
        from lms.core.time import utcnow

        user = services.register_user(
            email="layla@example.com",
            password=DEFAULT_PASSWORD,
            display_name="Layla",
            legal_name="ليلى حسن",
            legal_name_latin="Layla Hassan",
            send_verification=False,
        )
        user.email_verified_at = utcnow()
        db.session.commit()

    page.goto(f"{live_server.url}/login")
    page.get_by_label("E-mail address").fill("layla@example.com")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/dashboard")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.get_by_role("heading", name="Hello, Layla").is_visible()
    screenshot(page, "dashboard-en")

    page.get_by_test_id("language-menu").locator("summary").click()
    page.get_by_role("button", name="العربية").click()
    page.wait_for_load_state()

    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == "ar"
    # The header's brand sits on the right in a right-to-left layout.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > 1280 / 2
    screenshot(page, "dashboard-ar")

    # The choice is kept: the next page is Arabic too, and so is the next sign-in.
    page.goto(f"{live_server.url}/account/profile")
    assert page.locator("html").get_attribute("dir") == "rtl"
