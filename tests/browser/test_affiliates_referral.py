"""A visitor follows an affiliate's link, signs up, buys a class seat through the checkout (test
payment provider), and the affiliate's dashboard shows the pending commission. Screenshots of the
dashboard in English and Arabic."""

from __future__ import annotations

import random
import secrets
from datetime import time, timedelta

from playwright.sync_api import expect

from lms.extensions import db
from tests.conftest import DEFAULT_PASSWORD

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


def _setup(app) -> dict:
    from lms.accounts import services as accounts
    from lms.accounts.models import OrganisationKind
    from lms.affiliates.models import Click, ClickKind, PayoutMethod
    from lms.affiliates.services import programmes
    from lms.core.security import Role
    from lms.core.time import utcnow
    from lms.courses.models import CertificationTrack, Course, CourseVersion, CourseVersionStatus
    from lms.partners.models import ClassFormat, ClassStaffRole
    from lms.partners.services import branding, classes, network

    with app.app_context():
        body = accounts.create_organisation(
            kind=OrganisationKind.CERTIFICATION_BODY, name="AI Certification Council", slug="body"
        )
        gulf = accounts.create_organisation(
            kind=OrganisationKind.TRAINING_PARTNER, name="Gulf AI Academy", slug="gulf", country="AE", city="Dubai"
        )
        branding.ensure_branding(gulf.id, gulf.name)
        network.set_agreement(gulf.id, actor_id=None, **network.DEFAULT_SHARES)

        def person(email: str, name: str, **fields):
            user = accounts.register_user(
                email=email, password=DEFAULT_PASSWORD, display_name=name, legal_name=name, send_verification=False,
                **fields,
            )  # fmt: skip
            user.email_verified_at = utcnow()
            return user

        staff = person("claire@body.example.com", "Claire")
        accounts.grant_role(staff, body, Role.STAFF, actor_id=None)
        sofia = person("sofia@blog.example.com", "Sofía", locale="en", timezone="Europe/Madrid")
        programme = programmes.ensure_programme(None)
        affiliate = programmes.apply(
            sofia,
            programme,
            website="https://sofia-learns-ai.example.com",
            channels="Blog and newsletter",
            audience="Spanish-speaking developers moving into AI",
            payout_method=PayoutMethod.PAYPAL,
            payout_details="sofia.payouts@example.com",
            preferred_code="SOFIA",
        )
        programmes.approve(affiliate, actor_id=staff.id)
        # Earlier months of clicks, so the charts have a history.
        rng = random.Random(7)
        for days_ago in range(1, 80):
            for _i in range(rng.randint(2, 9)):
                db.session.add(
                    Click(
                        affiliate_id=affiliate.id,
                        occurred_at=utcnow() - timedelta(days=days_ago, hours=rng.randint(0, 12)),
                        kind=rng.choices([ClickKind.UNIQUE, ClickKind.REPEAT, ClickKind.BOT], [85, 10, 5])[0],
                        visitor_id=secrets.token_urlsafe(16),
                        ip_hash=f"{rng.getrandbits(64):016x}",
                        landing_path="/schedule",
                    )
                )
        track = CertificationTrack(
            code="ESS", slug="ess", names={"en": "AI+ Essentials", "ar": "أساسيات الذكاء الاصطناعي"}
        )
        db.session.add(track)
        db.session.flush()
        course = Course(track_id=track.id, code="AIP-ESS-101", slug="aip-ess-101")
        db.session.add(course)
        db.session.flush()
        version = CourseVersion(
            course_id=course.id,
            status=CourseVersionStatus.PUBLISHED,
            delivery_modes=["instructor_led"],
            titles={
                "en": "AI+ Essentials: working with AI",
                "ar": "أساسيات الذكاء الاصطناعي: العمل مع الذكاء الاصطناعي",
            },
        )
        db.session.add(version)
        db.session.flush()
        training_class = classes.create_class(
            gulf, actor_id=None, course_version_id=version.id, language="en", timezone="Asia/Dubai", capacity=20,
            format=ClassFormat.VIRTUAL, meeting_url="https://meet.example.com/gulf", resale_allowed=False,
        )  # fmt: skip
        first = (utcnow() + timedelta(days=14)).date()
        for index in range(2):
            classes.add_meeting(
                training_class, day=first + timedelta(days=index), start=time(9), end=time(13), actor_id=None
            )
        classes.set_price(training_class, currency="USD", list_amount=45000, actor_id=None)
        teacher = person("priya@gulf.example.com", "Priya")
        accounts.grant_role(teacher, gulf, Role.INSTRUCTOR, actor_id=None)
        classes.add_staff(training_class, user_id=teacher.id, role=ClassStaffRole.INSTRUCTOR, actor_id=None)
        classes.publish(training_class, actor_id=None)
        db.session.commit()
        return {"class_id": training_class.id}


def test_a_referred_visitor_signs_up_buys_a_seat_and_the_affiliate_sees_the_commission(
    live_server, browser, page, screenshot
):
    data = _setup(live_server.app)
    url = live_server.url

    # A headless browser announces itself ("HeadlessChrome"): counted as a bot, no cookie.
    page.goto(f"{url}/r/SOFIA")
    assert not [c for c in page.context.cookies() if c["name"] == "lms_ref"]

    # The visitor (an ordinary browser) follows Sofia's link to the class page: 302 + referral cookie.
    visitor_context = browser.new_context(
        locale="en-US", timezone_id="Asia/Dubai", viewport={"width": 1280, "height": 900}, user_agent=CHROME
    )
    visitor = visitor_context.new_page()
    visitor.goto(f"{url}/r/SOFIA/classes/{data['class_id']}")
    assert visitor.url == f"{url}/classes/{data['class_id']}"
    cookie = next(c for c in visitor_context.cookies() if c["name"] == "lms_ref")
    assert cookie["value"].split(".")[1] == "SOFIA" and cookie["httpOnly"]
    with live_server.app.app_context():
        import sqlalchemy as sa

        from lms.affiliates.models import Click

        today = sa.select(Click.kind).where(Click.landing_path != "/schedule")
        assert sorted(k.value for k in db.session.execute(today).scalars()) == ["bot", "unique"]

    # Signs up (the click is theirs from now on) and books the seat.
    visitor.goto(f"{url}/register")
    visitor.get_by_label("E-mail address").fill("amal@example.com")
    visitor.get_by_label("Display name").fill("Amal")
    visitor.get_by_label("Full legal name").fill("Amal Al-Rahman")
    visitor.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    visitor.get_by_label("Repeat the password").fill(DEFAULT_PASSWORD)
    visitor.get_by_role("button", name="Create account").click()
    visitor.wait_for_url(f"{url}/dashboard")
    visitor.goto(f"{url}/classes/{data['class_id']}")
    visitor.get_by_role("button", name="Book my seat").click()
    visitor.get_by_label("Test payment (demo)").check()
    visitor.get_by_role("button", name="Pay").click()
    assert "is confirmed" in visitor.content()

    visitor_context.close()

    # Sofia signs in elsewhere: the sale and the pending commission are on her dashboard.
    context = page.context
    sofia = page
    sofia.goto(f"{url}/login")
    sofia.get_by_label("E-mail address").fill("sofia@blog.example.com")
    sofia.get_by_label("Password").fill(DEFAULT_PASSWORD)
    sofia.get_by_role("button", name="Sign in").click()
    sofia.wait_for_url(f"{url}/dashboard")
    sofia.get_by_role("link", name="Affiliate", exact=True).click()
    sofia.wait_for_url(f"{url}/affiliates/dashboard")
    row = sofia.locator("table.aff-commissions tbody tr").first
    assert row.locator('[data-status="pending"]').is_visible()
    assert "$45.00" in row.inner_text()  # 10 % of the seat's 450.00
    assert sofia.locator('[data-figure="sales"]').inner_text() == "1"
    assert sofia.locator('[data-figure="signups"]').inner_text() == "1"
    # The copy button copies the link (clipboard allowed for this page).
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    copy = sofia.locator('[data-copy="link-1"]')
    copy.click()
    expect(copy).to_have_text("Copied")  # the clipboard write is asynchronous
    assert sofia.evaluate("navigator.clipboard.readText()") == f"{url}/r/SOFIA"
    screenshot(sofia, "affiliates-dashboard-en")

    sofia.get_by_test_id("language-menu").locator("summary").click()
    sofia.get_by_role("button", name="العربية").click()
    sofia.wait_for_load_state()
    assert sofia.locator("html").get_attribute("dir") == "rtl"
    assert sofia.locator('table.aff-commissions [data-status="pending"]').is_visible()
    screenshot(sofia, "affiliates-dashboard-ar")
