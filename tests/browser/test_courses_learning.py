"""A learner works through a video, an eBook chapter and a case lab and sees progress move;
screenshots of the catalog, a course page, a lesson player and the dashboard in English and Arabic."""

import re

import pytest

from lms.extensions import db

PASSWORD = "demo-password-123"


@pytest.fixture
def demo_server(live_server):
    with live_server.app.app_context():
        from lms.accounts import demo as accounts_demo
        from lms.core.demo import DemoContext
        from lms.courses import demo as courses_demo

        context = DemoContext(password=PASSWORD, reset_passwords=True)
        accounts_demo.seed(context)
        db.session.commit()
        courses_demo.seed(context)
        context.accounts["staff@demo.lms"].locale = "en"  # the grader reads this test's English labels
        db.session.commit()
        live_server.enrolments = {code: e.id for code, e in context.objects["demo_enrolments"].items()}
    return live_server


def sign_in(page, server, email):
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/dashboard")


def percent(page) -> int:
    text = page.get_by_test_id("progress-label").first.inner_text()
    return int(re.search(r"\d+", text).group(0))


def test_learner_opens_video_ebook_and_case_lab_and_sees_progress_move(demo_server, page, browser, screenshot):
    server = demo_server
    enrolment_id = server.enrolments["HLT"]
    sign_in(page, server, "learner@demo.lms")
    page.goto(f"{server.url}/learn/{enrolment_id}")
    assert percent(page) == 0

    # The video lesson: it plays, has captions and a transcript; finishing it records progress.
    page.get_by_role("link", name="How clinical AI tools are built and validated").first.click()
    assert page.locator("video track[srclang='en']").count() == 1
    assert page.locator("#transcript-2").is_visible()
    page.get_by_test_id("mark-complete").click()

    # "Watched" moves on to the next lesson, the eBook chapter.
    page.wait_for_selector("[data-kind='ebook']")
    assert page.get_by_role("heading", name="Sensitivity, specificity and predictive values").is_visible()
    after_video = percent(page)
    assert after_video > 0
    assert page.locator("#passage-3").is_visible()
    page.get_by_test_id("mark-complete").click()
    page.wait_for_selector("[data-kind='podcast']")
    after_ebook = percent(page)
    assert after_ebook > after_video

    # The case lab: read the brief and rubric, submit text and a file.
    page.get_by_role("link", name="Assess a sepsis early-warning tool").first.click()
    assert page.get_by_role("heading", name="How it is graded").is_visible()
    page.get_by_label("Your answer").fill(
        "Missing evidence: external validation in European hospitals, calibration, subgroup results, alert rates."
    )
    page.get_by_label("Files (optional)").set_input_files(
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"Alert estimate: 2 to 3 per day."}]
    )
    page.get_by_role("button", name="Submit for grading").click()
    page.wait_for_selector("[data-testid='submission'][data-status='submitted']")
    assert page.get_by_text("Your submission is waiting to be graded.").is_visible()
    assert page.get_by_role("link", name="notes.txt").is_visible()
    assert percent(page) == after_ebook  # a lab counts once it is passed

    # Staff grade it against the rubric; the learner's progress moves again.
    grader_context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    grader = grader_context.new_page()
    sign_in(grader, server, "staff@demo.lms")
    grader.goto(f"{server.url}/grading")
    grader.get_by_role("link", name="Assess a sepsis early-warning tool").click()
    grader.get_by_label("Points (0 to 4)").fill("4")
    for field in grader.get_by_label("Points (0 to 3)").all():
        field.fill("2")
    grader.get_by_label("Comments for the learner").fill("Good list of missing evidence; estimate the alert rate.")
    grader.get_by_role("button", name="Save the grade").click()
    grader.wait_for_url(f"{server.url}/grading")
    grader_context.close()

    page.reload()
    assert page.locator("[data-testid='submission'][data-status='passed']").is_visible()
    assert page.get_by_text("Good list of missing evidence").is_visible()
    assert percent(page) > after_ebook
    screenshot(page, "courses-lab-en")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_screenshots_of_catalog_course_player_and_dashboard(demo_server, page, screenshot, language):
    server = demo_server
    sign_in(page, server, "learner@demo.lms")
    if language == "ar":
        page.get_by_test_id("language-menu").locator("summary").click()
        page.get_by_role("button", name="العربية").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("dir") == "rtl"

    page.goto(f"{server.url}/courses")
    assert page.locator("[data-course]").count() == 5
    screenshot(page, f"courses-catalog-{language}")

    page.goto(f"{server.url}/courses/ai-plus-essentials-working-with-ai")
    assert page.get_by_test_id("seat-includes").is_visible()
    screenshot(page, f"courses-course-page-{language}")

    enrolment_id = server.enrolments["EXE"]
    page.goto(f"{server.url}/learn/{enrolment_id}")
    page.locator(".lesson-list a").nth(1).click()
    page.wait_for_selector("[data-kind='ebook']")
    if language == "ar":
        assert page.locator(".lesson-body").get_attribute("lang") == "ar"
        outline = page.locator(".outline").bounding_box()
        assert outline["x"] > 1280 / 2  # the outline sits on the right in Arabic
    screenshot(page, f"courses-player-{language}")

    page.goto(f"{server.url}/learn/{server.enrolments['ESS']}")
    page.get_by_role("link", name=re.compile("mentor|المرشد|مرشد")).first.click()
    screenshot(page, f"courses-mentor-{language}")

    page.goto(f"{server.url}/dashboard")
    assert page.get_by_test_id("my-courses").is_visible()
    assert page.get_by_test_id("exam-eligible").first.is_visible()
    screenshot(page, f"courses-dashboard-{language}")


def test_staff_authoring_pages(demo_server, page, screenshot):
    server = demo_server
    sign_in(page, server, "staff@demo.lms")
    page.goto(f"{server.url}/staff/catalog")
    page.get_by_role("link", name="AIP-ESS-101").click()
    page.get_by_role("button", name="Create the next version (draft copy)").click()
    assert page.get_by_test_id("version-status").inner_text().startswith("v2")
    screenshot(page, "courses-staff-version-en")
    page.locator("[data-lesson] a.grow").first.click()
    assert page.get_by_role("heading", name="Files").is_visible()
    screenshot(page, "courses-staff-lesson-en")
    page.goto(f"{server.url}/staff/catalog/mentor")
    assert page.get_by_text("How do I book a flight to Dubai?").is_visible()
    screenshot(page, "courses-staff-mentor-en")
