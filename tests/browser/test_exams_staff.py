"""The staff and proctor pages of the demo, in the demo users' own languages (French staff, Japanese
proctor), with a live attempt to watch: screenshots for a person to look at, and what they must show."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lms.accounts import demo as accounts_demo
from lms.core.demo import DemoContext
from lms.courses import demo as courses_demo
from lms.exams import demo as exams_demo
from lms.exams.services import attempts
from lms.extensions import db

pytestmark = pytest.mark.browser
PASSWORD = "demo-password-123"


def _seed(app) -> dict:
    with app.app_context():
        context = DemoContext(password=PASSWORD, reset_passwords=True)
        for seeder in (accounts_demo.seed, courses_demo.seed, exams_demo.seed):
            seeder(context)
            db.session.commit()
        # A live attempt of a Gulf AI Academy candidate, for the proctor to watch.
        candidate = db.session.execute(
            db.select(accounts_demo.User).where(accounts_demo.User.email == "candidate01@demo.lms")
        ).scalar_one()
        track = context.objects["tracks"]["ESS"]
        blueprint = exams_demo.blueprints.active_blueprint(track.id)
        attempt = attempts.build_attempt(
            candidate.id,
            blueprint,
            language="en",
            number=2,
            checkin={"legal_name": candidate.legal_name},
            now=exams_demo.utcnow(),
        )
        attempt.partner_id = context.organisations["atp_gulf"].id
        db.session.commit()
        return {"track": track.code, "item": exams_demo.bank.items_of(track.id)[0].id}


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/dashboard"))


def test_staff_pages_in_french(live_server, page, screenshot):
    seeded = _seed(live_server.app)
    _sign_in(page, live_server.url, "staff@demo.lms")
    screenshot(page, "exams-staff-dashboard-fr")
    page.goto(f"{live_server.url}/staff/exams/")
    expect(page.get_by_role("heading", name="Examens")).to_be_visible()
    screenshot(page, "exams-staff-index-fr")
    page.goto(f"{live_server.url}/staff/exams/{seeded['track']}/items")
    expect(page.locator("table")).to_contain_text("ESS-001")
    screenshot(page, "exams-staff-items-fr")
    page.goto(f"{live_server.url}/staff/exams/items/{seeded['item']}")
    expect(page.locator(".item-preview[lang=ar]")).to_have_attribute("dir", "rtl")
    screenshot(page, "exams-staff-item-fr")
    page.goto(f"{live_server.url}/staff/exams/{seeded['track']}/statistics")
    expect(page.get_by_test_id("forms")).to_contain_text(str(exams_demo.HISTORY_CANDIDATES))
    screenshot(page, "exams-staff-statistics-fr")
    page.goto(f"{live_server.url}/staff/exams/review")
    expect(page.get_by_test_id("held")).to_contain_text("Demo Candidate 36")
    page.get_by_role("link", name="Examiner").first.click()
    expect(page.get_by_test_id("timeline")).to_contain_text("La fenêtre a perdu le focus")
    screenshot(page, "exams-staff-attempt-fr")
    page.goto(f"{live_server.url}/staff/exams/{seeded['track']}/blueprint")
    screenshot(page, "exams-staff-blueprint-fr")


def test_proctor_console_in_japanese(live_server, page, screenshot):
    _seed(live_server.app)
    _sign_in(page, live_server.url, "proctor@demo.lms")
    page.goto(f"{live_server.url}/proctor/")
    expect(page.locator("#proctor-live")).to_contain_text("Demo Candidate 01")
    screenshot(page, "exams-proctor-console-ja")
    page.get_by_role("link", name="Demo Candidate 01").click()
    page.fill("#reason-pause", "ネットワーク障害のため")
    page.locator("form[action$='/pause'] button").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("時間を一時停止")
    expect(page.get_by_test_id("timeline")).to_contain_text("ネットワーク障害のため")
    screenshot(page, "exams-proctor-attempt-ja")
