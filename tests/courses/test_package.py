"""Course packages: export → import round trip, and a broken package rejected with every problem listed."""

import io
import json
import zipfile

import sqlalchemy as sa

from lms.courses import package
from lms.courses.models import Course, CourseVersion, CourseVersionStatus, LessonMedia, MentorPassage
from lms.courses.services import authoring
from lms.extensions import db

VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:03.000\nA model predicts the next token.\n"


def _course_with_media(make_course, staff_user):
    course = make_course(published=False)
    video = lesson_of_draft(course, "video")
    authoring.attach_media(video, role="captions", language="en", filename="en.vtt", data=VTT, actor_id=staff_user.id)
    return course


def lesson_of_draft(course, kind):
    return next(lesson for lesson in course.versions[0].lessons if lesson.kind.value == kind)


def test_round_trip_creates_the_next_draft_version(make_course, staff_user):
    course = _course_with_media(make_course, staff_user)
    version = course.versions[0]
    version.status = CourseVersionStatus.PUBLISHED
    db.session.flush()
    data = package.export_version(version)

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["course"]["code"] == course.code
        assert any(name.startswith("media/") and name.endswith(".vtt") for name in archive.namelist())

    report = package.import_package(data, actor_id=staff_user.id)
    assert report.ok, report.problems
    imported = report.version
    assert imported.course_id == course.id and imported.number == 2
    assert imported.status == CourseVersionStatus.DRAFT
    original_lessons = [(lesson.kind, lesson.titles, lesson.bodies, lesson.move_on) for lesson in version.lessons]
    copied_lessons = [(lesson.kind, lesson.titles, lesson.bodies, lesson.move_on) for lesson in imported.lessons]
    assert copied_lessons == original_lessons
    assert [q.key for q in imported.lessons[4].questions] == [q.key for q in version.lessons[4].questions]
    assert imported.price("USD").academic_amount == 29900
    captions = db.session.execute(
        sa.select(LessonMedia).where(LessonMedia.lesson_id == imported.lessons[0].id)
    ).scalar_one()
    assert captions.role.value == "captions" and captions.sha256
    # The mentor can answer from the imported version straight away.
    assert db.session.execute(
        sa.select(sa.func.count()).select_from(MentorPassage).where(MentorPassage.course_version_id == imported.id)
    ).scalar()


def test_a_package_for_a_new_course_creates_it(make_course, staff_user):
    course = make_course()
    data = package.export_version(course.current_version)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        files = {name: archive.read(name) for name in archive.namelist() if name != "manifest.json"}
    manifest["course"].update(code="AIP-COPY-1", slug="a-copy")
    rebuilt = _zip(manifest, files)
    report = package.import_package(rebuilt, actor_id=staff_user.id)
    assert report.ok, report.problems
    assert report.version.course.code == "AIP-COPY-1" and report.version.number == 1


def _zip(manifest, files=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_broken_package_lists_every_problem_and_writes_nothing(make_course, staff_user):
    course = make_course()
    data = package.export_version(course.current_version)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    manifest["course"].update(code="AIP-BROKEN-1", slug="broken")
    lessons = manifest["modules"][0]["lessons"]
    lessons[0]["kind"] = "hologram"
    lessons[1]["titles"] = {"en": ""}
    lessons[2]["media"] = [{"role": "audio", "language": None, "file": "media/missing.mp3"}]
    lessons[4]["questions"][0]["key"] = {"correct": "z"}
    manifest["version"]["prices"].append({"currency": "XXX", "list_amount": 1})
    fake = {"media/fake.vtt": b"this is not webvtt"}
    lessons[3]["media"] = [{"role": "pdf", "language": None, "file": "media/fake.vtt"}]
    courses_before = db.session.execute(sa.select(sa.func.count()).select_from(Course)).scalar()
    versions_before = db.session.execute(sa.select(sa.func.count()).select_from(CourseVersion)).scalar()

    report = package.import_package(_zip(manifest, fake), actor_id=staff_user.id)

    assert not report.ok
    text = " | ".join(f"{p.where}: {p.message}" for p in report.problems)
    assert "Unknown kind of lesson “hologram”" in text
    assert "lesson 2" in text and "missing in the primary language" in text
    assert "media/missing.mp3 is not in the package" in text
    assert "question 1" in text
    assert "Price" in text
    assert "not an accepted kind of file" in text
    assert len(report.problems) >= 6
    assert db.session.execute(sa.select(sa.func.count()).select_from(Course)).scalar() == courses_before
    assert db.session.execute(sa.select(sa.func.count()).select_from(CourseVersion)).scalar() == versions_before


def test_not_a_zip_or_no_manifest(staff_user):
    assert "not a zip" in package.import_package(b"hello", actor_id=staff_user.id).problems[0].message
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hi")
    assert "manifest.json" in package.import_package(buffer.getvalue(), actor_id=staff_user.id).problems[0].message
    assert "not valid JSON" in package.import_package(_zip_raw("{oops"), actor_id=staff_user.id).problems[0].message
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("manifest.json", "{}")
        archive.writestr("../../etc/passwd", "x")
    assert "unsafe path" in package.import_package(evil.getvalue(), actor_id=staff_user.id).problems[0].message


def _zip_raw(text):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", text)
    return buffer.getvalue()


def test_import_page_reports_problems(client, login, staff_user):
    login(client, staff_user)
    response = client.post(
        "/staff/catalog/import",
        data={"package": (io.BytesIO(b"not a zip"), "course.zip")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert "The package was not imported: 1 problem" in page and "not a zip archive" in page


def test_export_download(client, login, staff_user, make_course):
    course = make_course()
    login(client, staff_user)
    response = client.get(f"/staff/catalog/versions/{course.current_version.id}/export")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(response.data)).read("manifest.json")
