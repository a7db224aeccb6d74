"""A candidate answers, loses the network, keeps answering (the page queues the answers), comes back
online and submits: every answer is kept. Also the attempt page in Arabic (right to left)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from lms.core.time import utcnow
from lms.courses.models import (
    CertificationTrack,
    Course,
    CourseVersion,
    CourseVersionStatus,
    EnrolmentSource,
    EnrolmentStatus,
)
from lms.exams.models import ExamAttempt
from lms.exams.services import bank, blueprints
from lms.extensions import db
from tests.conftest import DEFAULT_PASSWORD
from tests.exams.conftest import DOMAINS, blueprint_fields, item_entries

pytestmark = pytest.mark.browser


def _exam_and_candidate(app: Any, create_user: Any, locale: str = "en") -> tuple[str, str]:
    from lms.courses import services as courses

    with app.app_context():
        track = CertificationTrack(code="ESS", slug="ai-essentials", names={"en": "AI+ Essentials", "ar": "الأساسيات"})
        course = Course(track=track, code="ESS-1", slug="ess-1")
        version = CourseVersion(
            course=course, number=1, status=CourseVersionStatus.PUBLISHED, delivery_modes=["elearning"]
        )
        db.session.add_all([track, course, version])
        db.session.flush()
        for domain in DOMAINS:
            bank.save_domain(track, domain, {"en": domain.title(), "ar": f"مجال {domain}"}, actor_id=None)
        assert bank.apply_inputs(track, item_entries("ESS", 4, ("en", "ar")), actor_id=None).ok
        blueprints.save_blueprint(track, blueprint_fields(languages=["en", "ar"]), activate=True, actor_id=None)
        user = create_user(email=f"candidate-{locale}@example.com", legal_name="Layla Hassan", locale=locale)
        enrolment = courses.enrol(user_id=user.id, course_version_id=version.id, source=EnrolmentSource.STAFF)
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.completed_at = utcnow()
        db.session.commit()
        return track.code, user.email


def _sign_in_and_start(page: Any, base: str, email: str, code: str, language: str = "en") -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/dashboard"))
    page.goto(f"{base}/exams/{code}")
    page.check("#identity_confirmed")
    page.check("#rules_accepted")
    page.check("#confidentiality_accepted")
    page.select_option("#language", language)
    page.locator("#exam-checkin ~ form [type=submit], form[action$='/start'] [type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/exams/attempts/\d+$"))


def _answer_visible_question(page: Any) -> tuple[int, Any]:
    """Answer the question on screen like a person would; returns (position, the expected stored answer)."""
    section = page.locator(".exam-question:not([hidden])")
    position = int(section.get_attribute("data-position"))
    kind = section.get_attribute("data-type")
    if kind == "single_choice":
        option = section.locator("input[type=radio]").nth(1)
        section.locator("label.exam-option").nth(1).click()
        return position, option.get_attribute("value")
    if kind == "true_false":
        section.locator("label.exam-option").first.click()
        return position, True
    if kind == "multiple_response":
        boxes = section.locator("input[type=checkbox][name^=q]")
        section.locator("label.exam-option").nth(0).click()
        section.locator("label.exam-option").nth(2).click()
        return position, sorted([boxes.nth(0).get_attribute("value"), boxes.nth(2).get_attribute("value")])
    selects = section.locator("select")
    names = [selects.nth(i).get_attribute("name") for i in range(selects.count())]
    if kind == "ordering":
        for rank, name in enumerate(reversed(names), start=1):
            section.locator(f"select[name='{name}']").select_option(str(rank))
        return position, [name.split("-", 1)[1] for name in reversed(names)]
    pairs = {}
    for i, name in enumerate(names):
        value = selects.nth(i).locator("option").nth(1).get_attribute("value")
        selects.nth(i).select_option(value)
        pairs[name.split("-", 1)[1]] = value
    return position, pairs


def test_answers_given_offline_are_kept_and_submitted(live_server, page, create_user, screenshot):
    code, email = _exam_and_candidate(live_server.app, create_user)
    _sign_in_and_start(page, live_server.url, email, code)
    connection = page.get_by_test_id("connection")
    expected: dict[int, Any] = {}

    for _ in range(2):  # online: each answer is saved as it is given
        position, answer = _answer_visible_question(page)
        expected[position] = answer
        expect(connection).to_have_text("All answers saved")
        page.locator(".exam-question:not([hidden]) [data-go]").last.click()
    screenshot(page, "exams-attempt-online")

    page.context.set_offline(True)
    for _ in range(3):  # offline: the page keeps them
        position, answer = _answer_visible_question(page)
        expected[position] = answer
        page.locator(".exam-question:not([hidden]) [data-go]").last.click()
    page.locator(".exam-question:not([hidden]) .exam-flag-input").check()
    flagged_position = int(page.locator(".exam-question:not([hidden])").get_attribute("data-position"))
    expect(connection).to_contain_text("Offline")
    expect(connection).to_contain_text("4 answers waiting")
    screenshot(page, "exams-attempt-offline")

    page.context.set_offline(False)
    expect(connection).to_have_text("All answers saved", timeout=20_000)
    position, answer = _answer_visible_question(page)
    expected[position] = answer
    expect(connection).to_have_text("All answers saved")

    page.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_role("heading", name="Review and submit")).to_be_visible()
    expect(page.get_by_text("You answered 6 of 6 questions.")).to_be_visible()
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit the exam").click()
    page.wait_for_url(re.compile(r".*/result$"))
    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    screenshot(page, "exams-result")

    with live_server.app.app_context():
        attempt = db.session.execute(sa.select(ExamAttempt)).scalar_one()
        stored = {i.position: i.response for i in attempt.items}
        flags = {i.position for i in attempt.items if i.flagged}
        assert attempt.end_reason.value == "submitted"
    assert stored == expected
    assert flags == {flagged_position}


def test_the_attempt_page_in_arabic_reads_right_to_left(live_server, page, create_user, screenshot):
    code, email = _exam_and_candidate(live_server.app, create_user, locale="ar")
    _sign_in_and_start(page, live_server.url, email, code, language="ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".exam-question:not([hidden]) .exam-stem")).to_contain_text("[ar]")
    _answer_visible_question(page)
    screenshot(page, "exams-attempt-arabic")
    page.goto(f"{live_server.url}/exams/{code}")
    screenshot(page, "exams-overview-arabic")
