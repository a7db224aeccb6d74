"""Course packages: a zip holding ``manifest.json`` plus the media files, so partners get turnkey courseware.

Import checks everything first and reports every problem with where it is; only a package without
problems is written, in one transaction (savepoint), as a new draft version — nothing is half-imported.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.core import audit
from lms.core.errors import DomainError
from lms.core.i18n import LANGUAGES
from lms.core.storage import get_storage
from lms.core.time import utcnow
from lms.courses import media
from lms.courses.content import parse_webvtt, sanitise_html, transcript_from_cues
from lms.courses.mentor.index import index_version
from lms.courses.models import (
    CertificationTrack,
    Course,
    CourseModule,
    CoursePrice,
    CourseVersion,
    CourseVersionStatus,
    DeliveryMode,
    Lesson,
    LessonKind,
    LessonMedia,
    MediaRole,
    MoveOn,
    PracticeQuestion,
)
from lms.courses.services.authoring import CODE_RE, CURRENCIES, LEVELS, ROLES_BY_KIND, SLUG_RE
from lms.courses.services.enrolment import set_prerequisites
from lms.exams.question_types import QUESTION_TYPES, InvalidItem
from lms.extensions import db

FORMAT = "lms-course-package"
FORMAT_VERSION = 1
MAX_ENTRIES = 2000
MAX_UNCOMPRESSED = 1024 * 1024 * 1024
MANIFEST = "manifest.json"


# --- export ------------------------------------------------------------------------------------


def export_version(version: CourseVersion) -> bytes:
    """The version as a package: manifest plus every media file (stored once per content hash)."""
    course = version.course
    files: dict[str, bytes] = {}
    storage = get_storage()
    modules = []
    for module in version.modules:
        lessons = []
        for lesson in module.lessons:
            media_entries = []
            for item in lesson.media:
                path = f"media/{item.sha256}.{media.EXTENSIONS.get(item.content_type, 'bin')}"
                if path not in files:
                    files[path] = storage.load(item.storage_key)
                media_entries.append(
                    {"role": item.role.value, "language": item.language, "file": path, "filename": item.filename}
                )
            lessons.append(
                {
                    "kind": lesson.kind.value,
                    "titles": lesson.titles,
                    "bodies": lesson.bodies,
                    "transcripts": lesson.transcripts,
                    "move_on": lesson.move_on.value,
                    "duration_minutes": lesson.duration_minutes,
                    "media_url": lesson.media_url,
                    "settings": lesson.settings or {},
                    "media": media_entries,
                    "questions": [
                        {"qtype": q.qtype, "contents": q.contents, "key": q.key, "explanations": q.explanations}
                        for q in lesson.questions
                    ],
                }
            )
        modules.append({"titles": module.titles, "summaries": module.summaries, "lessons": lessons})
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": utcnow().isoformat(),
        "track": course.track.code,
        "course": {
            "code": course.code,
            "slug": course.slug,
            "primary_language": course.primary_language,
            "prerequisites": [c.code for c in course.prerequisites],
        },
        "version": {
            "number": version.number,
            "titles": version.titles,
            "descriptions": version.descriptions,
            "level": version.level,
            "duration_hours": version.duration_hours,
            "languages": version.languages,
            "delivery_modes": version.delivery_modes,
            "access_days": version.access_days,
            "attendance_threshold": version.attendance_threshold,
            "prices": [
                {
                    "currency": p.currency,
                    "list_amount": p.list_amount,
                    "academic_amount": p.academic_amount,
                    "association_amount": p.association_amount,
                }
                for p in sorted(version.prices, key=lambda p: p.currency)
            ],
        },
        "modules": modules,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        for path, data in sorted(files.items()):
            # Media are already compressed; storing them saves time.
            archive.writestr(zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_STORED)
    return buffer.getvalue()


# --- import ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    where: str
    message: str


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)
    version: CourseVersion | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.version is not None

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))


class _Checker:
    """Validates a manifest and its files, collecting every problem (it never stops at the first)."""

    def __init__(self, manifest: Any, archive: zipfile.ZipFile, report: ImportReport) -> None:
        self.manifest = manifest
        self.archive = archive
        self.report = report
        self.names = set(archive.namelist())
        self.checked_files: dict[str, media.CheckedFile] = {}

    def problem(self, where: str, message: str) -> None:
        self.report.add(where, message)

    def texts(self, where: str, value: Any, *, required_language: str | None = None, what: str = "") -> dict:
        if value is None:
            value = {}
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            self.problem(where, _("%(what)s must be texts per language.", what=what))
            return {}
        unknown = [k for k in value if k not in LANGUAGES]
        if unknown:
            self.problem(where, _("Unknown language codes: %(codes)s.", codes=", ".join(unknown)))
        if required_language and not (value.get(required_language) or "").strip():
            self.problem(where, _("%(what)s is missing in the primary language.", what=what))
        return value

    def integer(self, where: str, value: Any, low: int, high: int, what: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.problem(
                where, _("%(what)s must be a whole number from %(low)d to %(high)d.", what=what, low=low, high=high)
            )
            return low
        return value

    def run(self) -> dict[str, Any]:
        m = self.manifest
        if not isinstance(m, dict):
            self.problem(MANIFEST, _("The manifest is not a JSON object."))
            return {}
        if m.get("format") != FORMAT or m.get("format_version") != FORMAT_VERSION:
            self.problem(MANIFEST, _("This is not a course package this platform can read (format or version)."))
        plan: dict[str, Any] = {}
        track = db.session.execute(
            sa.select(CertificationTrack).where(CertificationTrack.code == str(m.get("track", "")))
        ).scalar_one_or_none()
        if track is None:
            self.problem(_("Certification"), _("No certification has the code “%(code)s”.", code=m.get("track", "")))
        plan["track"] = track
        plan.update(self._course(m.get("course")))
        plan["version"] = self._version(m.get("version"), plan.get("primary", "en"))
        modules = m.get("modules")
        if not isinstance(modules, list) or not modules:
            self.problem(_("Modules"), _("The package has no modules."))
            modules = []
        plan["modules"] = [self._module(i, mod, plan.get("primary", "en")) for i, mod in enumerate(modules, start=1)]
        return plan

    def _course(self, data: Any) -> dict[str, Any]:
        where = _("Course")
        if not isinstance(data, dict):
            self.problem(where, _("The course section is missing."))
            return {}
        code = str(data.get("code", "")).upper()
        slug = str(data.get("slug", "")).lower()
        primary = data.get("primary_language", "")
        if not CODE_RE.match(code):
            self.problem(where, _("The course code “%(code)s” is not valid.", code=code))
        if not SLUG_RE.match(slug):
            self.problem(where, _("The course address “%(slug)s” is not valid.", slug=slug))
        if primary not in LANGUAGES:
            self.problem(where, _("The primary language “%(language)s” is not supported.", language=primary))
            primary = "en"
        existing = db.session.execute(sa.select(Course).where(Course.code == code)).scalar_one_or_none()
        if existing is not None:
            if any(v.status == CourseVersionStatus.DRAFT for v in existing.versions):
                self.problem(
                    where, _("Course %(code)s already has a draft version; publish or finish it first.", code=code)
                )
            if existing.primary_language != primary:
                self.problem(where, _("Course %(code)s exists with another primary language.", code=code))
        elif db.session.execute(sa.select(Course.id).where(Course.slug == slug)).first():
            self.problem(where, _("Another course already uses the address “%(slug)s”.", slug=slug))
        prerequisites = []
        for required in data.get("prerequisites") or []:
            found = db.session.execute(sa.select(Course).where(Course.code == str(required))).scalar_one_or_none()
            if found is None:
                self.problem(where, _("The prerequisite course %(code)s does not exist here.", code=required))
            else:
                prerequisites.append(found)
        return {"code": code, "slug": slug, "primary": primary, "existing": existing, "prerequisites": prerequisites}

    def _version(self, data: Any, primary: str) -> dict[str, Any]:
        where = _("Course details")
        if not isinstance(data, dict):
            self.problem(where, _("The version section is missing."))
            return {}
        result = {
            "titles": self.texts(where, data.get("titles"), required_language=primary, what=_("The title")),
            "descriptions": self.texts(where, data.get("descriptions"), what=_("The description")),
            "level": data.get("level", "foundation"),
            "duration_hours": self.integer(where, data.get("duration_hours"), 1, 500, _("The duration")),
            "access_days": self.integer(where, data.get("access_days"), 1, 3650, _("The access period")),
            "attendance_threshold": self.integer(
                where, data.get("attendance_threshold", 80), 0, 100, _("The attendance threshold")
            ),
            "languages": data.get("languages") or [],
            "delivery_modes": data.get("delivery_modes") or [],
            "prices": [],
        }
        if result["level"] not in LEVELS:
            self.problem(where, _("Unknown level “%(level)s”.", level=result["level"]))
        if not isinstance(result["languages"], list) or not set(result["languages"]) <= set(LANGUAGES):
            self.problem(where, _("The languages must be supported language codes."))
            result["languages"] = [primary]
        modes = {m.value for m in DeliveryMode}
        if (
            not isinstance(result["delivery_modes"], list)
            or not result["delivery_modes"]
            or not set(result["delivery_modes"]) <= modes
        ):
            self.problem(where, _("The delivery modes must be eLearning and/or instructor-led."))
            result["delivery_modes"] = [DeliveryMode.ELEARNING.value]
        seen = set()
        for index, price in enumerate(data.get("prices") or [], start=1):
            at = _("Price %(number)d", number=index)
            if not isinstance(price, dict) or price.get("currency") not in CURRENCIES or price["currency"] in seen:
                self.problem(at, _("Unknown or repeated currency."))
                continue
            seen.add(price["currency"])
            amounts = {}
            for name in ("list_amount", "academic_amount", "association_amount"):
                value = price.get(name)
                if value is None and name != "list_amount":
                    amounts[name] = None
                elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    self.problem(at, _("Amounts are whole, non-negative numbers of minor units."))
                    amounts[name] = 0
                else:
                    amounts[name] = value
            result["prices"].append({"currency": price["currency"], **amounts})
        return result

    def _module(self, number: int, data: Any, primary: str) -> dict[str, Any]:
        where = _("Module %(number)d", number=number)
        if not isinstance(data, dict):
            self.problem(where, _("A module must be an object."))
            return {"titles": {}, "summaries": {}, "lessons": []}
        lessons = data.get("lessons")
        if not isinstance(lessons, list) or not lessons:
            self.problem(where, _("The module has no lessons."))
            lessons = []
        return {
            "titles": self.texts(where, data.get("titles"), required_language=primary, what=_("The title")),
            "summaries": self.texts(where, data.get("summaries"), what=_("The summary")),
            "lessons": [self._lesson(where, i, lesson, primary) for i, lesson in enumerate(lessons, start=1)],
        }

    def _lesson(self, module_where: str, number: int, data: Any, primary: str) -> dict[str, Any]:
        title = ""
        if isinstance(data, dict) and isinstance(data.get("titles"), dict):
            title = str(data["titles"].get(primary) or "")
        where = _("%(module)s › lesson %(number)d “%(title)s”", module=module_where, number=number, title=title)
        if not isinstance(data, dict):
            self.problem(where, _("A lesson must be an object."))
            return {}
        try:
            kind = LessonKind(data.get("kind"))
        except ValueError:
            self.problem(where, _("Unknown kind of lesson “%(kind)s”.", kind=data.get("kind")))
            kind = LessonKind.EBOOK
        try:
            move_on = MoveOn(data.get("move_on", "completed"))
        except ValueError:
            self.problem(where, _("Unknown completion rule “%(rule)s”.", rule=data.get("move_on")))
            move_on = MoveOn.COMPLETED
        bodies = self.texts(where, data.get("bodies"), what=_("The text"))
        transcripts = self.texts(where, data.get("transcripts"), what=_("The transcript"))
        media_url = data.get("media_url")
        if media_url is not None and (not isinstance(media_url, str) or not media_url.startswith("https://")):
            self.problem(where, _("A video address must start with https://"))
            media_url = None
        settings = data.get("settings") or {}
        if not isinstance(settings, dict):
            self.problem(where, _("The settings must be an object."))
            settings = {}
        if kind == LessonKind.CASE_LAB:
            rubric = settings.get("rubric")
            if (
                not isinstance(rubric, list)
                or not rubric
                or not all(
                    isinstance(c, dict) and isinstance(c.get("id"), str) and isinstance(c.get("points"), int)
                    for c in rubric
                )
            ):
                self.problem(where, _("A case lab needs a rubric of criteria with ids and points."))
        plan = {
            "kind": kind,
            "move_on": move_on,
            "titles": self.texts(where, data.get("titles"), required_language=primary, what=_("The title")),
            "bodies": {lang: sanitise_html(html) for lang, html in bodies.items()},
            "transcripts": transcripts,
            "duration_minutes": self.integer(where, data.get("duration_minutes", 10), 1, 600, _("The duration")),
            "media_url": media_url,
            "settings": settings,
            "media": [],
            "questions": [],
        }
        for index, entry in enumerate(data.get("media") or [], start=1):
            plan["media"].append(self._media(f"{where} › {_('file %(number)d', number=index)}", entry, kind))
        for index, entry in enumerate(data.get("questions") or [], start=1):
            plan["questions"].append(
                self._question(f"{where} › {_('question %(number)d', number=index)}", entry, primary)
            )
        if kind == LessonKind.QUIZ and not plan["questions"]:
            self.problem(where, _("A practice quiz needs questions."))
        return plan

    def _media(self, where: str, entry: Any, kind: LessonKind) -> dict[str, Any]:
        if not isinstance(entry, dict):
            self.problem(where, _("A file entry must be an object."))
            return {}
        try:
            role = MediaRole(entry.get("role"))
        except ValueError:
            self.problem(where, _("Unknown file role “%(role)s”.", role=entry.get("role")))
            return {}
        if role not in ROLES_BY_KIND[kind]:
            self.problem(where, _("This kind of lesson does not take that kind of file."))
        language = entry.get("language")
        if language is not None and language not in LANGUAGES:
            self.problem(where, _("Unknown language code “%(code)s”.", code=language))
        if role == MediaRole.CAPTIONS and language is None:
            self.problem(where, _("Captions need a language."))
        path = str(entry.get("file", ""))
        if path not in self.names:
            self.problem(where, _("The file %(path)s is not in the package.", path=path))
            return {}
        checked = self.checked_files.get(f"{role.value}:{path}")
        if checked is None:
            try:
                checked = media.check_upload(role.value, self.archive.read(path), entry.get("filename") or path)
            except DomainError as exc:
                self.problem(where, exc.message)
                return {}
            self.checked_files[f"{role.value}:{path}"] = checked
        return {"role": role, "language": language, "checked": checked}

    def _question(self, where: str, entry: Any, primary: str) -> dict[str, Any]:
        if not isinstance(entry, dict) or entry.get("qtype") not in QUESTION_TYPES:
            self.problem(where, _("Unknown question type."))
            return {}
        contents = entry.get("contents") or {}
        key = entry.get("key") or {}
        if not isinstance(contents, dict) or primary not in contents:
            self.problem(where, _("The question is missing in the primary language."))
            return {}
        registry = QUESTION_TYPES[entry["qtype"]]
        for language, content in contents.items():
            if language not in LANGUAGES:
                self.problem(where, _("Unknown language code “%(code)s”.", code=language))
                continue
            try:
                registry.validate(content, key)
            except (InvalidItem, AttributeError, TypeError) as exc:
                self.problem(
                    where,
                    _("The question is not complete (%(language)s): %(problem)s.", language=language, problem=str(exc)),
                )
        return {
            "qtype": entry["qtype"],
            "contents": contents,
            "key": key,
            "explanations": self.texts(where, entry.get("explanations"), what=_("The explanation")),
        }


def _open(data: bytes, report: ImportReport) -> tuple[zipfile.ZipFile | None, Any]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        report.add(_("Package"), _("The file is not a zip archive."))
        return None, None
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
        report.add(_("Package"), _("The package is too large once unpacked."))
        return None, None
    for info in infos:
        path = PurePosixPath(info.filename)
        if path.is_absolute() or ".." in path.parts:
            report.add(_("Package"), _("The package contains an unsafe path: %(path)s.", path=info.filename))
            return None, None
    if MANIFEST not in archive.namelist():
        report.add(_("Package"), _("The package has no manifest.json."))
        return None, None
    try:
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.add(MANIFEST, _("The manifest is not valid JSON: %(error)s", error=str(exc)))
        return None, None
    return archive, manifest


def import_package(data: bytes, *, actor_id: int) -> ImportReport:
    """Check a package and, only if it has no problem at all, write it as a new draft version."""
    report = ImportReport()
    archive, manifest = _open(data, report)
    if archive is None:
        return report
    plan = _Checker(manifest, archive, report).run()
    if report.problems:
        return report
    try:
        with db.session.begin_nested():
            report.version = _write(plan, actor_id)
    except Exception as exc:  # anything unexpected: nothing was written, and we say so
        report.version = None
        report.add(_("Package"), _("The package could not be imported: %(error)s", error=type(exc).__name__))
        return report
    return report


def _write(plan: dict[str, Any], actor_id: int) -> CourseVersion:
    course: Course | None = plan["existing"]
    if course is None:
        course = Course(track=plan["track"], code=plan["code"], slug=plan["slug"], primary_language=plan["primary"])
        db.session.add(course)
        db.session.flush()
        number = 1
    else:
        number = max(v.number for v in course.versions) + 1
    v = plan["version"]
    version = CourseVersion(
        number=number,
        status=CourseVersionStatus.DRAFT,
        titles=v["titles"],
        descriptions=v["descriptions"],
        level=v["level"],
        duration_hours=v["duration_hours"],
        languages=v["languages"],
        delivery_modes=v["delivery_modes"],
        access_days=v["access_days"],
        attendance_threshold=v["attendance_threshold"],
    )
    for price in v["prices"]:
        version.prices.append(CoursePrice(**price))
    course.versions.append(version)
    for module_position, module_plan in enumerate(plan["modules"], start=1):
        module = CourseModule(
            position=module_position, titles=module_plan["titles"], summaries=module_plan["summaries"]
        )
        version.modules.append(module)
        for lesson_position, lp in enumerate(module_plan["lessons"], start=1):
            lesson = Lesson(
                position=lesson_position,
                kind=lp["kind"],
                move_on=lp["move_on"],
                titles=lp["titles"],
                bodies=lp["bodies"],
                transcripts=dict(lp["transcripts"]),
                duration_minutes=lp["duration_minutes"],
                media_url=lp["media_url"],
                settings=lp["settings"],
            )
            for entry in lp["media"]:
                checked = entry["checked"]
                lesson.media.append(
                    LessonMedia(
                        role=entry["role"],
                        language=entry["language"],
                        storage_key=media.store("courseware", checked),
                        filename=checked.filename,
                        content_type=checked.content_type,
                        size=checked.size,
                        sha256=checked.sha256,
                    )
                )
                if entry["role"] == MediaRole.CAPTIONS and not lesson.transcripts.get(entry["language"]):
                    lesson.transcripts = {
                        **lesson.transcripts,
                        entry["language"]: transcript_from_cues(parse_webvtt(checked.data)),
                    }
            for question_position, qp in enumerate(lp["questions"], start=1):
                lesson.questions.append(PracticeQuestion(position=question_position, **qp))
            module.lessons.append(lesson)
    db.session.flush()
    if plan["prerequisites"]:
        set_prerequisites(course, [c.id for c in plan["prerequisites"]], actor_id=actor_id)
    index_version(version)
    audit.record(
        "course_version.imported",
        actor_id=actor_id,
        subject=version,
        details={"course": course.code, "number": version.number},
    )
    return version
