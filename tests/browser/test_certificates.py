"""The learner downloads a certificate, follows the verification link printed in it (the same URL the
QR code carries), and the public page answers in English and in Arabic."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

from lms.extensions import db
from tests.browser.conftest import ARTIFACTS
from tests.conftest import DEFAULT_PASSWORD


def _seed(app) -> str:
    with app.app_context():
        from lms.accounts import services
        from lms.accounts.models import OrganisationKind
        from lms.certificates.demo import ensure_brandings
        from lms.core import signals
        from lms.core.db import write_transactions
        from lms.core.demo import DemoContext
        from lms.core.time import utcnow
        from lms.courses.models import CertificationTrack

        with write_transactions():
            body = services.create_organisation(
                kind=OrganisationKind.CERTIFICATION_BODY, name="AI Certification Council", slug="body"
            )
            partner = services.create_organisation(
                kind=OrganisationKind.TRAINING_PARTNER, name="Gulf AI Academy", slug="gulf-ai-academy"
            )
            ensure_brandings(DemoContext(password="x", organisations={"body": body, "atp_gulf": partner}))
            track = CertificationTrack(
                code="DEV",
                slug="ai-plus-developer",
                requires_course_completion=False,
                names={"en": "AI+ Developer", "ar": "الذكاء الاصطناعي+ للمطورين", "ja": "AI+ デベロッパー"},
            )
            db.session.add(track)
            user = services.register_user(
                email="layla@example.com",
                password=DEFAULT_PASSWORD,
                display_name="Layla",
                legal_name="ليلى حسن",
                legal_name_latin="Layla Hassan",
                send_verification=False,
            )
            user.email_verified_at = utcnow()
            db.session.flush()
            signals.exam_passed.send(
                None, attempt_id=1, user_id=user.id, track_id=track.id, partner_id=partner.id, decided_at=utcnow()
            )
            db.session.commit()  # the issuing task runs now (no broker: in-process)
        from lms.certificates.models import Certificate

        return db.session.execute(db.select(Certificate.number)).scalar_one()


def _pdf_to_png(pdf: bytes, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(source), str(ARTIFACTS / name)], check=True)
    return ARTIFACTS / f"{name}.png"


def test_learner_downloads_a_certificate_and_opens_its_verification_page(live_server, page, screenshot):
    number = _seed(live_server.app)

    page.goto(f"{live_server.url}/login")
    page.get_by_label("E-mail address").fill("layla@example.com")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/dashboard")
    assert page.get_by_role("heading", name="My certificates").is_visible()
    page.get_by_role("link", name="Download, share or renew your certificates").click()
    card = page.get_by_test_id("certificate")
    assert card.get_attribute("data-number") == number
    screenshot(page, "certificates-mine-en")

    # Download it in Arabic, bilingual with English.
    card.get_by_label("Language of the PDF").select_option("ar")
    card.get_by_label("Bilingual (with English)").check()
    with page.expect_download() as download_info:
        card.get_by_test_id("download").click()
    pdf = Path(download_info.value.path()).read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert "ليلى حسن" in text and "Layla Hassan" in text and number in text
    _pdf_to_png(pdf, "certificate-ar-bilingual")

    # The URL printed under the QR code (the QR code encodes the same URL).
    match = re.search(r"https?://\S+/verify/[A-Za-z0-9_-]{20,}", text.replace("\n", ""))
    assert match, text
    verify_url = match.group(0)
    assert verify_url.startswith(live_server.url)

    page.goto(verify_url)
    assert page.get_by_test_id("certificate-status").inner_text() == "Valid"
    assert page.get_by_role("heading", name="This certificate is valid.").is_visible()
    assert page.get_by_test_id("holder-name").inner_text() == "ليلى حسن"
    screenshot(page, "certificate-verify-en")
    with page.expect_download() as pdf_download:
        page.get_by_test_id("pdf-link").click(modifiers=["Alt"])
    assert Path(pdf_download.value.path()).read_bytes().startswith(b"%PDF")

    page.get_by_test_id("language-menu").locator("summary").click()
    page.get_by_role("button", name="العربية").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", name="هذه الشهادة صالحة.").is_visible()
    assert page.get_by_test_id("certificate-status").inner_text() == "صالحة"
    screenshot(page, "certificate-verify-ar")

    # The same page for a stranger: a lookup by number and surname leads there too.
    stranger = page.context.browser.new_page()
    stranger.goto(f"{live_server.url}/verify")
    stranger.get_by_label("Certificate number").fill(number.lower())
    stranger.get_by_label("Holder's surname").fill("Hassan")
    stranger.get_by_role("button", name="Check certificate").click()
    stranger.wait_for_url(verify_url)
    assert stranger.get_by_role("heading", name="This certificate is valid.").is_visible()
    stranger.close()


def test_partner_admin_issues_for_a_class_and_sees_the_progress_bar_fill(live_server, page, screenshot):
    app = live_server.app
    with app.app_context():
        from lms.accounts import services
        from lms.accounts.models import OrganisationKind
        from lms.certificates.demo import ensure_brandings
        from lms.certificates.services import issuing
        from lms.core.db import write_transactions
        from lms.core.demo import DemoContext
        from lms.core.security import Role
        from lms.core.time import utcnow
        from lms.courses.models import (
            CertificationTrack,
            Course,
            CourseVersion,
            CourseVersionStatus,
            Enrolment,
            EnrolmentSource,
        )
        from lms.partners.models import ClassStatus, TrainingClass

        with write_transactions():
            body = services.create_organisation(kind=OrganisationKind.CERTIFICATION_BODY, name="Body", slug="body")
            partner = services.create_organisation(
                kind=OrganisationKind.TRAINING_PARTNER, name="EuroSkills Institute", slug="euroskills"
            )
            ensure_brandings(DemoContext(password="x", organisations={"body": body, "atp_euro": partner}))
            admin = services.register_user(
                email="greta@example.com",
                password=DEFAULT_PASSWORD,
                display_name="Greta",
                legal_name="Greta Vogel",
                send_verification=False,
            )
            admin.email_verified_at = utcnow()
            services.grant_role(admin, partner, Role.PARTNER_ADMIN, actor_id=None)
            track = CertificationTrack(
                code="ESS", slug="ess", names={"en": "AI+ Essentials"}, requires_course_completion=False
            )
            db.session.add(track)
            db.session.flush()
            course = Course(track_id=track.id, code="ESS-1", slug="ess-1")
            db.session.add(course)
            db.session.flush()
            version = CourseVersion(
                course_id=course.id, status=CourseVersionStatus.PUBLISHED, titles={"en": "Essentials"}
            )
            db.session.add(version)
            db.session.flush()
            training_class = TrainingClass(
                partner_id=partner.id, course_version_id=version.id, status=ClassStatus.PUBLISHED
            )
            db.session.add(training_class)
            db.session.flush()
            for i in range(4):
                learner = services.register_user(
                    email=f"learner{i}@example.com",
                    password=DEFAULT_PASSWORD,
                    display_name=f"L{i}",
                    legal_name=f"Jürgen Müller {i}",
                    send_verification=False,
                )
                db.session.add(
                    Enrolment(
                        user_id=learner.id,
                        course_version_id=version.id,
                        source=EnrolmentSource.PARTNER,
                        partner_id=partner.id,
                        class_id=training_class.id,
                    )
                )
                issuing.record_pass(
                    source_ref=f"exam-attempt:{i + 10}",
                    user_id=learner.id,
                    track_id=track.id,
                    partner_id=partner.id,
                    decided_at=utcnow(),
                )
            db.session.commit()

    page.goto(f"{live_server.url}/login")
    page.get_by_label("E-mail address").fill("greta@example.com")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/dashboard")
    page.goto(f"{live_server.url}/partner/certificates/")
    page.get_by_role("button", name="Issue for all who qualify").click()
    page.wait_for_url("**/partner/certificates/jobs/*")
    progress = page.get_by_test_id("bulk-progress")
    # A locator-based wait: a string predicate would be eval'd, which our CSP forbids.
    expect(page.locator("[data-progress-url]")).to_have_attribute("data-done", "true", timeout=60_000)
    bar = page.locator("progress#bulk-bar")
    assert bar.evaluate("el => [el.value, el.max]") == [4, 4]
    assert progress.locator('[data-field="issued"]').inner_text() == "4"
    assert "Done." in progress.inner_text()
    screenshot(page, "certificates-bulk-done")
    page.goto(f"{live_server.url}/partner/certificates/")
    assert page.get_by_text("Nothing to issue").is_visible()
    screenshot(page, "certificates-partner")
