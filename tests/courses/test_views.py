"""Pages a learner, an instructor and staff use, and who may open them."""

import io
import re

import pytest

from lms.core import signals
from lms.core.dashboard import SeatOffer
from lms.core.security import Role
from lms.courses import services
from lms.courses.models import EnrolmentSource, EnrolmentStatus, LabStatus, LabSubmission
from lms.extensions import db
from tests.courses.conftest import lesson_of
from tests.signals import only_receivers_from


def _enrol(course, user, **kw):
    return services.enrol(
        user_id=user.id, course_version_id=course.current_version.id, source=EnrolmentSource.PURCHASE, **kw
    )


# --- public catalog ---------------------------------------------------------------------------------


def test_catalog_is_public_and_filters(client, make_course, make_track):
    track = make_track()
    make_course(track=track, title="Prompting for everyone", delivery_modes=("elearning",), languages=("en", "ar"))
    make_course(title="Deploying models", delivery_modes=("instructor_led",), languages=("en", "es"))
    make_course(title="Hidden draft", published=False)
    page = client.get("/courses").get_data(as_text=True)
    assert "Prompting for everyone" in page and "Deploying models" in page
    assert "Hidden draft" not in page
    assert "Prompting for everyone" not in client.get("/courses?q=deploying").get_data(as_text=True)
    only_track = client.get(f"/courses?track={track.slug}").get_data(as_text=True)
    assert "Prompting for everyone" in only_track and "Deploying models" not in only_track
    spanish = client.get("/courses?language=es").get_data(as_text=True)
    assert "Deploying models" in spanish and "Prompting for everyone" not in spanish
    classes = client.get("/courses?mode=instructor_led").get_data(as_text=True)
    assert "Deploying models" in classes and "Prompting for everyone" not in classes
    none = client.get("/courses?q=zzzz").get_data(as_text=True)
    assert "No course matches these filters." in none


def test_course_page_shows_what_a_seat_includes_and_offers(client, make_course):
    course = make_course()
    version = course.current_version

    def inclusions(sender, **kw):
        return ["2 exam attempts"] if sender.id == version.id else []

    def offers(sender, **kw):
        return [SeatOffer(label="Buy an eLearning seat", url="/checkout/x", price="$499.00")]

    with only_receivers_from("tests", signals.seat_offers):  # no partner offers seats yet
        page = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert "No seats are on sale for this course right now" in page
    with (
        only_receivers_from("tests", signals.seat_offers, signals.seat_inclusions),
        signals.seat_inclusions.connected_to(inclusions),
        signals.seat_offers.connected_to(offers),
    ):
        page = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert "2 exam attempts" in page
    assert "Buy an eLearning seat" in page and "$499.00" in page
    assert "1 video with captions and transcript" in page
    assert "180 days of eLearning access" in page
    assert "at least 80% of the meetings" in page
    assert "Certificate valid for 24 months" in page
    assert "$499.00" in page  # list price in the price table
    assert "Module 1: Module one" in page


def test_course_page_in_arabic(client, make_course):
    course = make_course()
    client.post("/language", data={"lang": "ar", "next": f"/courses/{course.slug}"})
    page = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "الوحدة الأولى" in page


def test_unknown_or_draft_course_page_is_404(client, make_course):
    draft = make_course(published=False)
    assert client.get(f"/courses/{draft.slug}").status_code == 404
    assert client.get("/courses/nope").status_code == 404


# --- learner pages ----------------------------------------------------------------------------------


def test_learner_pages_need_sign_in(client, make_course, learner):
    enrolment = _enrol(make_course(), learner)
    response = client.get(f"/learn/{enrolment.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_another_learners_enrolment_is_not_found(client, login, make_course, learner, create_user):
    course = make_course()
    enrolment = _enrol(course, learner)
    login(client, create_user())
    assert client.get(f"/learn/{enrolment.id}").status_code == 404
    lesson = course.current_version.lessons[0]
    assert client.get(f"/learn/{enrolment.id}/lessons/{lesson.id}").status_code == 404
    assert client.post(f"/learn/{enrolment.id}/lessons/{lesson.id}/complete").status_code == 404


@pytest.mark.parametrize("kind", ["video", "ebook", "podcast", "case_lab", "quiz", "mentor"])
def test_every_lesson_kind_has_a_player(client, login, make_course, learner, kind):
    course = make_course()
    enrolment = _enrol(course, learner)
    login(client, learner)
    lesson = lesson_of(course, kind)
    response = client.get(f"/learn/{enrolment.id}/lessons/{lesson.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'data-kind="{kind}"' in page
    if kind == "ebook":
        assert 'id="passage-4"' in page and "validation set" in page
    if kind in ("video", "podcast"):
        assert 'id="transcript-3"' in page
    if kind == "quiz":
        assert "What does a language model predict?" in page


def test_opening_and_completing_moves_progress(client, login, make_course, learner):
    course = make_course(kinds=("video", "ebook"))
    enrolment = _enrol(course, learner)
    login(client, learner)
    video = lesson_of(course, "video")
    client.get(f"/learn/{enrolment.id}/lessons/{video.id}")
    response = client.post(f"/learn/{enrolment.id}/lessons/{video.id}/complete", json={})
    assert response.get_json() == {"recorded": True, "percent": 50, "done": 1, "total": 2, "course_completed": False}
    home = client.get(f"/learn/{enrolment.id}").get_data(as_text=True)
    assert "1 of 2 required lessons done." in home
    ebook = lesson_of(course, "ebook")
    response = client.post(f"/learn/{enrolment.id}/lessons/{ebook.id}/complete")
    assert response.status_code == 302
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert "You completed this course" in client.get(f"/learn/{enrolment.id}").get_data(as_text=True)


def test_arabic_learner_sees_arabic_text_and_fallback_notice(client, login, make_course, create_user):
    course = make_course(kinds=("ebook", "video"))
    layla = create_user(locale="ar")
    enrolment = _enrol(course, layla)
    login(client, layla)
    ebook_page = client.get(f"/learn/{enrolment.id}/lessons/{lesson_of(course, 'ebook').id}").get_data(as_text=True)
    assert "الإفراط في التخصيص" in ebook_page
    assert 'data-testid="language-fallback"' not in ebook_page
    video_page = client.get(f"/learn/{enrolment.id}/lessons/{lesson_of(course, 'video').id}").get_data(as_text=True)
    assert 'data-testid="language-fallback"' in video_page  # the transcript exists in English only
    assert 'lang="en"' in video_page


def test_quiz_gives_immediate_feedback(client, login, make_course, learner):
    course = make_course(kinds=("quiz",))
    enrolment = _enrol(course, learner)
    login(client, learner)
    quiz = lesson_of(course, "quiz")
    first, second = quiz.questions
    page = client.post(
        f"/learn/{enrolment.id}/lessons/{quiz.id}/quiz", data={f"q{first.id}": "b", f"q{second.id}": "true"}
    ).get_data(as_text=True)
    assert "You scored 50%." in page
    assert "Not quite." in page and "The next token" in page  # the right answer is shown
    assert "That is a hallucination." in page


def test_lab_submission_with_files_checks_content(client, login, make_course, learner):
    course = make_course(kinds=("case_lab",))
    enrolment = _enrol(course, learner)
    login(client, learner)
    lab = lesson_of(course, "case_lab")
    url = f"/learn/{enrolment.id}/lessons/{lab.id}/lab"
    bad = client.post(
        url,
        data={"text": "my answer", "files": (io.BytesIO(b"\x7fELF binary"), "report.pdf")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 200
    assert "not an accepted kind of file" in bad.get_data(as_text=True)
    assert "my answer" in bad.get_data(as_text=True)  # nothing the learner typed is lost
    good = client.post(
        url,
        data={"text": "my answer", "files": (io.BytesIO(b"%PDF-1.4 broken"), "report.pdf")},
        content_type="multipart/form-data",
    )
    assert "damaged" in good.get_data(as_text=True)
    ok = client.post(url, data={"text": "My clinic policy"}, content_type="multipart/form-data")
    assert ok.status_code == 302
    page = client.get(f"/learn/{enrolment.id}/lessons/{lab.id}").get_data(as_text=True)
    assert "Waiting for grading" in page and "My clinic policy" in page


def test_mentor_page_answers_with_citation_links(client, login, make_course, learner):
    course = make_course(kinds=("ebook", "mentor"))
    enrolment = _enrol(course, learner)
    login(client, learner)
    mentor_lesson = lesson_of(course, "mentor")
    response = client.post(
        f"/learn/{enrolment.id}/mentor",
        data={"question": "How do I detect overfitting?", "lesson_id": mentor_lesson.id},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    ebook = lesson_of(course, "ebook")
    assert f"/learn/{enrolment.id}/lessons/{ebook.id}#passage-" in page
    refused = client.post(
        f"/learn/{enrolment.id}/mentor", data={"question": "Best pizza in Naples?", "lesson_id": mentor_lesson.id}
    )
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "not covered in this course" in page
    history = client.get("/learn/mentor").get_data(as_text=True)
    assert "Best pizza in Naples?" in history and "How do I detect overfitting?" in history


def test_expired_access_closes_lessons(client, login, make_course, learner):
    course = make_course(kinds=("ebook",))
    enrolment = _enrol(course, learner)
    services.expire_enrolments  # noqa: B018
    enrolment.status = EnrolmentStatus.EXPIRED
    db.session.flush()
    login(client, learner)
    response = client.get(f"/learn/{enrolment.id}/lessons/{lesson_of(course, 'ebook').id}")
    assert response.status_code == 302
    assert "Your access period for this course has ended." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_dashboard_shows_my_courses_panel(client, login, make_course, learner):
    course = make_course(kinds=("ebook", "video"))
    _enrol(course, learner)
    login(client, learner)
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'data-testid="my-courses"' in page
    assert course.current_version.title("en") in page
    assert "Next step:" in page and "0% complete" in page
    assert "left)" in page  # time left in the access period


# --- media -------------------------------------------------------------------------------------------


def _upload_pdf(lesson, staff_user):
    from lms.courses.services import authoring

    lesson.module.course_version.status = lesson.module.course_version.status.DRAFT
    item = authoring.attach_media(
        lesson, role="pdf", language=None, filename="chapter.pdf", data=_tiny_pdf(), actor_id=staff_user.id
    )
    lesson.module.course_version.status = lesson.module.course_version.status.PUBLISHED
    db.session.flush()
    return item


def _tiny_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_media_is_served_only_to_those_with_access(client, login, make_course, learner, create_user, staff_user):
    course = make_course(kinds=("ebook",))
    item = _upload_pdf(lesson_of(course, "ebook"), staff_user)
    url = f"/media/{item.id}/chapter.pdf"
    assert client.get(url).status_code == 302  # sign in first
    login(client, create_user())
    assert client.get(url).status_code == 404  # not enrolled
    other = client.application.test_client()
    _enrol(course, learner)
    login(other, learner)
    response = other.get(url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert response.headers["Content-Type"] == "application/pdf"


# --- roles ---------------------------------------------------------------------------------------------


STAFF_PAGES = ["/staff/catalog", "/staff/catalog/import", "/staff/catalog/mentor", "/staff/catalog/courses/new"]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_refuse_learners_and_instructors(client, login, create_user, create_organisation, url):
    partner = create_organisation()
    login(client, create_user(roles=[(partner, Role.INSTRUCTOR)]))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_open_for_staff(client, login, staff_user, make_course, url):
    make_course()
    login(client, staff_user)
    assert client.get(url).status_code == 200


def test_grading_is_scoped_to_the_partner(client, login, make_course, learner, create_user, create_organisation):
    gulf, euro = create_organisation(name="Gulf"), create_organisation(name="Euro")
    course = make_course(kinds=("case_lab",))
    enrolment = _enrol(course, learner, partner_id=gulf.id)
    from lms.courses.services import labs

    submission = labs.submit(enrolment, lesson_of(course, "case_lab"), text="answer", uploads=[], actor_id=learner.id)
    euro_instructor = create_user(roles=[(euro, Role.INSTRUCTOR)])
    login(client, euro_instructor)
    assert "answer" not in client.get("/grading").get_data(as_text=True)
    assert client.get(f"/grading/{submission.id}").status_code == 404
    assert client.post(f"/grading/{submission.id}", data={"feedback": "x"}).status_code == 404

    gulf_client = client.application.test_client()
    login(gulf_client, create_user(roles=[(gulf, Role.INSTRUCTOR)]))
    queue = gulf_client.get("/grading").get_data(as_text=True)
    assert f"/grading/{submission.id}" in queue
    bad = gulf_client.post(f"/grading/{submission.id}", data={"score-c1": "7", "score-c2": "1", "feedback": "x"})
    assert "Points must be between 0 and 5." in bad.get_data(as_text=True)
    ok = gulf_client.post(
        f"/grading/{submission.id}", data={"score-c1": "5", "score-c2": "4", "feedback": "Strong policy"}
    )
    assert ok.status_code == 302
    assert db.session.get(LabSubmission, submission.id).status == LabStatus.PASSED


def test_learner_cannot_open_grading(client, login, learner):
    login(client, learner)
    assert client.get("/grading").status_code == 403


# --- authoring --------------------------------------------------------------------------------------


def test_staff_builds_and_publishes_a_course(client, login, staff_user, make_track):
    track = make_track()
    login(client, staff_user)
    response = client.post(
        "/staff/catalog/courses/new",
        data={
            "track_id": track.id,
            "code": "AIP-NEW-1",
            "slug": "new-course",
            "primary_language": "en",
            "title": "New",
        },
    )
    assert response.status_code == 302
    version_url = response.headers["Location"]
    version_id = int(re.search(r"/versions/(\d+)", version_url).group(1))
    page = client.get(version_url).get_data(as_text=True)
    assert "Add at least one module with a lesson." in page
    client.post(f"/staff/catalog/versions/{version_id}/modules", data={"title": "Basics", "lang": "en"})
    from lms.courses.models import CourseVersion

    version = db.session.get(CourseVersion, version_id)
    module = version.modules[0]
    response = client.post(
        f"/staff/catalog/modules/{module.id}/lessons", data={"kind": "ebook", "title": "Chapter one", "lang": "en"}
    )
    lesson_url = response.headers["Location"]
    response = client.post(
        lesson_url,
        data={
            "lang": "en",
            "title": "Chapter one",
            "body": '<h2>Intro</h2><p onclick="steal()">Safe text<script>alert(1)</script></p>',
            "move_on": "completed",
            "duration_minutes": "12",
        },
    )
    assert response.status_code == 302
    lesson = version.modules[0].lessons[0]
    db.session.refresh(lesson)
    assert "script" not in lesson.bodies["en"] and "onclick" not in lesson.bodies["en"]
    assert "Safe text" in lesson.bodies["en"]
    client.post(
        version_url,
        data={
            "lang": "en",
            "title": "New",
            "description": "A new course.",
            "level": "foundation",
            "duration_hours": "4",
            "languages": ["en"],
            "delivery_modes": ["elearning"],
            "access_days": "90",
            "attendance_threshold": "80",
        },
    )
    client.post(f"/staff/catalog/versions/{version_id}/prices", data={"USD-list": "199.00", "USD-academic": "99"})
    db.session.refresh(version)
    assert version.price("USD").list_amount == 19900 and version.price("USD").academic_amount == 9900
    client.post(f"/staff/catalog/versions/{version_id}/publish")
    db.session.refresh(version)
    assert version.status.value == "published"
    assert "New" in client.get("/courses").get_data(as_text=True)
    # Published content cannot change; a new draft version can.
    refused = client.post(
        lesson_url, data={"lang": "en", "title": "Changed", "move_on": "completed", "duration_minutes": "5"}
    )
    assert refused.status_code == 200
    assert "cannot change" in refused.get_data(as_text=True)


def test_upload_checks_content_not_extension(client, login, staff_user, make_course):
    course = make_course(published=False, kinds=("video",))
    lesson = course.versions[0].lessons[0]
    login(client, staff_user)
    response = client.post(
        f"/staff/catalog/lessons/{lesson.id}/media",
        data={"role": "video", "file": (io.BytesIO(b"<html>not a video</html>"), "clip.mp4")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "not an accepted kind of file" in response.get_data(as_text=True)
    vtt = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nOverfitting means memorising.\n"
    response = client.post(
        f"/staff/catalog/lessons/{lesson.id}/media",
        data={"role": "captions", "language": "es", "file": (io.BytesIO(vtt), "es.vtt")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "The file is uploaded." in response.get_data(as_text=True)
    db.session.refresh(lesson)
    assert lesson.transcripts["es"] == "Overfitting means memorising."
    broken = client.post(
        f"/staff/catalog/lessons/{lesson.id}/media",
        data={"role": "captions", "language": "fr", "file": (io.BytesIO(b"WEBVTT\n\nnot a cue"), "fr.vtt")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "not valid WebVTT" in broken.get_data(as_text=True)


def test_staff_preview_records_nothing(client, login, staff_user, make_course):
    course = make_course(kinds=("quiz",))
    version = course.current_version
    quiz = version.lessons[0]
    login(client, staff_user)
    page = client.get(f"/staff/catalog/versions/{version.id}/preview/lessons/{quiz.id}").get_data(as_text=True)
    assert "Preview as a learner" in page
    first = quiz.questions[0]
    graded = client.post(
        f"/staff/catalog/versions/{version.id}/preview/lessons/{quiz.id}", data={f"q{first.id}": "a"}
    ).get_data(as_text=True)
    assert "You scored 50%." in graded


def test_staff_enrols_and_overrides_prerequisites(client, login, staff_user, make_course, learner):
    course = make_course(kinds=("ebook",))
    login(client, staff_user)
    version = course.current_version
    client.post(f"/staff/catalog/versions/{version.id}/enrolments", data={"action": "enrol", "email": learner.email})
    enrolment = services.live_enrolment(learner.id, version.id)
    assert enrolment is not None and enrolment.source == EnrolmentSource.STAFF
    response = client.post(
        f"/staff/catalog/courses/{course.id}/overrides", data={"email": learner.email, "reason": "Prior degree in AI"}
    )
    assert response.status_code == 302
    page = client.get(f"/staff/catalog/courses/{course.id}").get_data(as_text=True)
    assert "Prior degree in AI" in page


def test_mentor_review_page_lists_and_records_verdicts(client, login, staff_user, make_course, learner):
    from lms.courses import mentor
    from lms.courses.models import MentorExchange, MentorReview

    course = make_course(kinds=("ebook",))
    exchange = mentor.ask(
        user_id=learner.id, version=course.current_version, question="What is overfitting?", locale="en"
    )
    login(client, staff_user)
    page = client.get("/staff/catalog/mentor").get_data(as_text=True)
    assert "What is overfitting?" in page
    client.post(f"/staff/catalog/mentor/{exchange.id}/review", data={"verdict": "good", "note": "fine"})
    assert db.session.get(MentorExchange, exchange.id).review == MentorReview.GOOD


def test_staff_writes_a_question_and_translates_it(client, login, staff_user, make_course):
    course = make_course(published=False, kinds=("quiz",))
    quiz = course.versions[0].lessons[0]
    login(client, staff_user)
    url = f"/staff/catalog/lessons/{quiz.id}/questions/new"
    bad = client.post(
        url, data={"lang": "en", "qtype": "single_choice", "stem": "Pick", "options": "One\nTwo", "answer": "z"}
    )
    assert "The question is not complete" in bad.get_data(as_text=True)
    response = client.post(
        url,
        data={
            "lang": "en",
            "qtype": "multiple_response",
            "stem": "Which are checks?",
            "options": "Numbers\nLinks\nNothing",
            "answer": "a, b",
            "explanation": "Check facts and sources.",
        },
    )
    assert response.status_code == 302
    question = quiz.questions[-1]
    db.session.refresh(question)
    assert question.key == {"correct": ["a", "b"]}
    # The Arabic translation keeps the options' ids and the key.
    missing_option = client.post(
        f"/staff/catalog/questions/{question.id}",
        data={"lang": "ar", "stem": "أي منها؟", "options": "الأرقام\nالروابط"},
    )
    assert "Translate every option" in missing_option.get_data(as_text=True)
    client.post(
        f"/staff/catalog/questions/{question.id}",
        data={"lang": "ar", "stem": "أيٌّ منها تحقق؟", "options": "الأرقام\nالروابط\nلا شيء", "explanation": "تحقق."},
    )
    db.session.refresh(question)
    assert question.contents["ar"]["options"][2] == {"id": "c", "text": "لا شيء"}
    assert question.key == {"correct": ["a", "b"]}


def test_staff_edits_a_lesson_per_language_and_reorders(client, login, staff_user, make_course):
    course = make_course(published=False, kinds=("ebook", "video"))
    version = course.versions[0]
    ebook, video = version.lessons
    login(client, staff_user)
    response = client.post(
        f"/staff/catalog/lessons/{ebook.id}",
        data={
            "lang": "fr",
            "title": "Le surapprentissage",
            "body": "<p>Texte</p>",
            "move_on": "viewed",
            "duration_minutes": "7",
        },
    )
    assert response.status_code == 302
    db.session.refresh(ebook)
    assert ebook.titles["fr"] == "Le surapprentissage" and ebook.titles["en"] == "Ebook lesson"
    assert ebook.move_on.value == "viewed"
    client.post(f"/staff/catalog/lessons/{video.id}/move", data={"direction": "up"})
    db.session.refresh(version)
    assert [lesson.kind.value for lesson in version.modules[0].lessons] == ["video", "ebook"]
    bad_rubric = client.post(
        f"/staff/catalog/lessons/{ebook.id}",
        data={"lang": "en", "title": "x", "move_on": "completed", "duration_minutes": "0"},
    )
    assert "Duration is between 1 and 600 minutes." in bad_rubric.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.INSTRUCTOR, 200),
        (Role.PARTNER_ADMIN, 200),
        (Role.PARTNER_MANAGER, 200),
        (Role.PROCTOR, 403),
        (Role.AFFILIATE, 403),
    ],
)
def test_grading_queue_access_by_role(client, login, create_user, create_organisation, role, status):
    from lms.accounts.models import OrganisationKind

    kind = OrganisationKind.CERTIFICATION_BODY if role == Role.AFFILIATE else OrganisationKind.TRAINING_PARTNER
    organisation = create_organisation(kind)
    login(client, create_user(roles=[(organisation, role)]))
    assert client.get("/grading").status_code == status
    # Learner pages stay open to everyone signed in; staff pages do not.
    assert client.get("/learn").status_code == 200
    assert client.get("/staff/catalog").status_code == 403
