"""Partner B finds partner A's class in the shared schedule, reserves 3 seats, buys and assigns them to
its learners, and both partners' dashboards show it. Screenshots in English and Arabic."""

from __future__ import annotations

import io
from datetime import time, timedelta

from lms.extensions import db
from tests.conftest import DEFAULT_PASSWORD


def _logo(colour: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 4, 116, 116), radius=24, fill=colour)
    draw.ellipse((30, 30, 90, 90), outline="white", width=10)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _setup(app) -> dict:
    from lms.accounts import services as accounts
    from lms.accounts.models import OrganisationKind
    from lms.core.security import Role
    from lms.core.time import utcnow
    from lms.courses.models import CertificationTrack, Course, CourseVersion, CourseVersionStatus
    from lms.partners.models import ClassFormat, ClassStaffRole
    from lms.partners.services import branding, classes, network

    with app.app_context():
        accounts.create_organisation(
            kind=OrganisationKind.CERTIFICATION_BODY, name="AI Certification Council", slug="body"
        )
        gulf = accounts.create_organisation(
            kind=OrganisationKind.TRAINING_PARTNER,
            name="Gulf AI Academy",
            slug="gulf-ai-academy",
            country="AE",
            city="Dubai",
        )
        euro = accounts.create_organisation(
            kind=OrganisationKind.TRAINING_PARTNER,
            name="EuroSkills Institute",
            slug="euroskills",
            country="DE",
            city="Berlin",
        )

        def person(email: str, name: str, organisation, role):
            user = accounts.register_user(
                email=email, password=DEFAULT_PASSWORD, display_name=name, legal_name=name, send_verification=False
            )
            user.email_verified_at = utcnow()
            accounts.grant_role(user, organisation, role, actor_id=None)
            return user

        person("omar@gulf.example.com", "Omar", gulf, Role.PARTNER_ADMIN)
        person("greta@euro.example.com", "Greta", euro, Role.PARTNER_ADMIN)
        teacher = person("priya@gulf.example.com", "Priya", gulf, Role.INSTRUCTOR)
        for partner, colour, secondary, languages, tagline in (
            (
                gulf,
                "#0B5394",
                "#0E7C86",
                ["ar", "en"],
                {"en": "Certified AI training in Dubai", "ar": "تدريب معتمد على الذكاء الاصطناعي في دبي"},
            ),
            (euro, "#1F3A5F", "#2E7D32", ["de", "en"], {"en": "AI skills for European teams"}),
        ):
            branding.update_branding(
                partner.id,
                actor_id=None,
                display_name=partner.name,
                primary_colour=colour,
                secondary_colour=secondary,
                languages=languages,
                taglines=tagline,
            )
            branding.set_logo(partner.id, _logo(colour), actor_id=None, display_name=partner.name)
            network.set_agreement(partner.id, actor_id=None, **network.DEFAULT_SHARES)
        track = CertificationTrack(
            code="ESS", slug="ai-plus-essentials", names={"en": "AI+ Essentials", "ar": "الذكاء الاصطناعي+ الأساسيات"}
        )
        db.session.add(track)
        db.session.flush()
        course = Course(track_id=track.id, code="AIP-ESS-101", slug="aip-ess-101")
        db.session.add(course)
        db.session.flush()
        version = CourseVersion(
            course_id=course.id,
            status=CourseVersionStatus.PUBLISHED,
            delivery_modes=["elearning", "instructor_led"],
            titles={
                "en": "AI+ Essentials: working with AI",
                "ar": "أساسيات الذكاء الاصطناعي: العمل مع الذكاء الاصطناعي",
            },
        )
        db.session.add(version)
        db.session.flush()
        made = []
        for language, zone, days, resale_ok in (("ar", "Asia/Dubai", 12, True), ("en", "Asia/Dubai", 20, False)):
            tc = classes.create_class(
                gulf,
                actor_id=None,
                course_version_id=version.id,
                language=language,
                timezone=zone,
                capacity=20,
                format=ClassFormat.VIRTUAL,
                meeting_url="https://meet.example.com/gulf",
                resale_allowed=resale_ok,
            )
            first = (utcnow() + timedelta(days=days)).date()
            for index in range(3):
                classes.add_meeting(
                    tc, day=first + timedelta(days=index), start=time(9, 30), end=time(13), actor_id=None
                )
            classes.set_price(
                tc, currency="USD", list_amount=45000, academic_amount=30000, association_amount=36000, actor_id=None
            )
            classes.set_price(tc, currency="AED", list_amount=165000, actor_id=None)
            classes.add_staff(tc, user_id=teacher.id, role=ClassStaffRole.INSTRUCTOR, actor_id=None)
            classes.publish(tc, actor_id=None)
            made.append(tc)
        db.session.commit()
        return {"class_id": made[0].id, "gulf_slug": gulf.slug}


def _sign_in(page, url: str, email: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/dashboard")


def _arabic(page) -> None:
    page.get_by_test_id("language-menu").locator("summary").click()
    page.get_by_role("button", name="العربية").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"


def _english(page) -> None:
    page.get_by_test_id("language-menu").locator("summary").click()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()


def test_partner_b_resells_three_seats_of_partner_as_class(live_server, browser, page, screenshot):
    data = _setup(live_server.app)
    url = live_server.url
    class_id = data["class_id"]

    # The storefront and the shared schedule, as a visitor sees them, in English and Arabic.
    page.goto(f"{url}/p/{data['gulf_slug']}")
    assert page.get_by_role("heading", name="Gulf AI Academy").is_visible()
    screenshot(page, "partners-storefront-en")
    _arabic(page)
    screenshot(page, "partners-storefront-ar")
    page.goto(f"{url}/schedule")
    screenshot(page, "partners-schedule-ar")
    page.goto(f"{url}/p/{data['gulf_slug']}/classes/{class_id}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    screenshot(page, "partners-class-ar")
    _english(page)
    page.goto(f"{url}/schedule")
    screenshot(page, "partners-schedule-en")

    # Partner B (EuroSkills) finds A's class in the schedule and reserves three seats.
    _sign_in(page, url, "greta@euro.example.com")
    page.goto(f"{url}/schedule")
    page.get_by_label("Open to resale").check()
    page.get_by_role("button", name="Show classes").click()
    page.locator(f'[data-class-id="{class_id}"]').get_by_role("link", name="View class").click()
    page.get_by_role("link", name="Reserve seats for resale").click()
    page.get_by_label("Seats").first.fill("3")
    page.get_by_role("button", name="Reserve allotment").click()
    page.wait_for_url(f"{url}/partner/resale")
    assert "3 seats reserved for you" in page.content()

    # B takes the three seats from its allotment and pays (test provider).
    page.get_by_role("button", name="Buy from allotment").click()
    page.get_by_role("button", name="Pay").click()
    assert "is confirmed" in page.content()
    page.get_by_role("link", name="Assign the seats to learners").click()

    # B assigns them to its learners, one by one.
    for email, name in (
        ("jan@nordlicht.example.com", "Jan"),
        ("maria@nordlicht.example.com", "Maria"),
        ("ayse@nordlicht.example.com", "Ayşe"),
    ):
        row = (
            page.get_by_test_id("resold-seats").locator("tr", has=page.get_by_role("button", name="Assign seat")).first
        )
        row.get_by_placeholder("Learner e-mail").fill(email)
        row.get_by_placeholder("Name").fill(name)
        row.get_by_role("button", name="Assign seat").click()
        assert f"Seat assigned to {name}" in page.content()
    table = page.get_by_test_id("resold-seats")
    for email in ("jan@nordlicht.example.com", "maria@nordlicht.example.com", "ayse@nordlicht.example.com"):
        assert email in table.inner_text()

    # B's dashboard shows the seats it bought in another partner's class.
    page.goto(f"{url}/dashboard")
    assert page.get_by_test_id("bought-seats-count").inner_text() == "3"
    screenshot(page, "partners-dashboard-reseller-en")

    # A's dashboard and roster show the resale, naming the reseller.
    gulf_context = browser.new_context(
        locale="en-US", timezone_id="Asia/Dubai", viewport={"width": 1280, "height": 900}
    )
    gulf_page = gulf_context.new_page()
    _sign_in(gulf_page, url, "omar@gulf.example.com")
    assert gulf_page.get_by_test_id("resold-seats-count").inner_text() == "3"
    screenshot(gulf_page, "partners-dashboard-en")
    gulf_page.goto(f"{url}/partner/classes/{class_id}")
    badges = gulf_page.locator('[data-reseller="euroskills"]')
    assert badges.count() == 3 and "EuroSkills Institute" in badges.first.inner_text()
    screenshot(gulf_page, "partners-class-roster-en")
    _arabic(gulf_page)
    gulf_page.goto(f"{url}/dashboard")
    assert gulf_page.get_by_test_id("resold-seats-count").inner_text() == "3"
    screenshot(gulf_page, "partners-dashboard-ar")
    gulf_context.close()
