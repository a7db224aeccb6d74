"""Cohorts for enterprise clients and their bulk enrolment from a CSV file.

Upload → dry run (every row checked, one message per bad row, nothing written but the preview)
→ confirm → a task enrols row by row, reporting progress. Each row has a key (e-mail + target),
unique per cohort, so uploading the same file again creates nothing twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Organisation, User
from lms.core import audit
from lms.core.csvio import read_csv, write_csv
from lms.core.errors import Conflict, DomainError
from lms.core.i18n import LANGUAGES
from lms.core.time import utcnow
from lms.courses import services as courses
from lms.courses.models import Course, CourseVersion, DeliveryMode, Enrolment, EnrolmentSource
from lms.extensions import db
from lms.partners.models import (
    ClassStatus,
    Cohort,
    CohortImport,
    CohortMember,
    ImportStatus,
    TrainingClass,
)
from lms.partners.services import seats
from lms.partners.services.learners import find_or_create_learner, valid_email

MAX_ROWS = 5000
MAX_FILE_BYTES = 2 * 1024 * 1024
#: Rows enrolled between two commits of the import task (each commit updates the progress bar).
BATCH = 25
COLUMNS = ("email", "first_name", "last_name", "language", "class", "course")


def create_cohort(partner: Organisation, *, name: str, client_id: int | None, actor_id: int) -> Cohort:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the cohort a name."), field="name")
    if client_id is not None:
        client = db.session.get(Organisation, client_id)
        if client is None or client.parent_id != partner.id:
            raise DomainError(_("Choose one of your clients."), field="client_id")
    cohort = Cohort(partner_id=partner.id, name=name[:120], client_id=client_id, created_by=actor_id)
    db.session.add(cohort)
    db.session.flush()
    audit.record("cohort.created", actor_id=actor_id, subject=cohort, partner_id=partner.id)
    return cohort


def row_key(email: str, class_id: int | None, course_version_id: int) -> str:
    target = f"class:{class_id}" if class_id else f"course:{course_version_id}"
    return hashlib.sha256(f"{email.lower()}|{target}".encode()).hexdigest()


def _course_version_by_code(code: str) -> CourseVersion | None:
    course = db.session.execute(
        sa.select(Course).where(sa.func.upper(Course.code) == code.upper())
    ).scalar_one_or_none()
    return course.current_version if course is not None else None


@dataclass
class PreviewCounts:
    new: int = 0
    skip: int = 0
    error: int = 0


def preview(cohort: Cohort, *, filename: str, data: bytes, actor_id: int) -> CohortImport:
    """Check every row without enrolling anyone; the result is kept for the confirmation step."""
    if not data:
        raise DomainError(_("Choose a CSV file."), field="file")
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(_("The file is larger than 2 MB. Split it into smaller files."), field="file")
    try:
        rows = read_csv(data)
    except UnicodeDecodeError as exc:
        raise DomainError(
            _("The file is not a UTF-8 CSV file. Save it as “CSV UTF-8” and try again."), field="file"
        ) from exc
    except Exception as exc:  # csv.Error and friends: the file is not CSV at all
        raise DomainError(_("We could not read this file as CSV."), field="file") from exc
    if not rows:
        raise DomainError(_("The file has no rows under its header."), field="file")
    if "email" not in rows[0]:
        raise DomainError(_("The CSV needs a column named “email”."), field="file")
    if len(rows) > MAX_ROWS:
        raise DomainError(_("At most %(max)d rows per file.", max=MAX_ROWS), field="file")
    classes: dict[int, TrainingClass | None] = {}
    versions: dict[str, CourseVersion | None] = {}
    per_class: dict[int, int] = {}
    seen: set[str] = set()
    existing_keys = set(
        db.session.execute(sa.select(CohortMember.row_key).where(CohortMember.cohort_id == cohort.id)).scalars()
    )
    checked: list[dict[str, Any]] = []
    for line, row in enumerate(rows, start=2):
        errors: list[str] = []
        email = row.get("email", "").strip().lower()
        if not valid_email(email):
            errors.append(_("“%(value)s” is not an e-mail address.", value=row.get("email", "")))
        language = (row.get("language") or "en").strip().lower() or "en"
        if language not in LANGUAGES:
            errors.append(_("Unknown language “%(value)s” (use en, ar, es, fr, de or ja).", value=language))
        class_ref, course_ref = (row.get("class") or "").strip(), (row.get("course") or "").strip()
        class_id: int | None = None
        version_id: int | None = None
        if bool(class_ref) == bool(course_ref):
            errors.append(_("Give either a class number or a course code, not both and not neither."))
        elif class_ref:
            if not class_ref.isdigit():
                errors.append(_("The class must be its number, e.g. 42."))
            else:
                class_id = int(class_ref)
                if class_id not in classes:
                    found = db.session.get(TrainingClass, class_id)
                    classes[class_id] = found if found is not None and found.partner_id == cohort.partner_id else None
                training_class = classes[class_id]
                if training_class is None:
                    errors.append(_("Class %(number)s is not one of your classes.", number=class_ref))
                elif training_class.status != ClassStatus.PUBLISHED:
                    errors.append(_("Class %(number)s is not published.", number=class_ref))
                elif training_class.starts_at is not None and training_class.starts_at <= utcnow():
                    errors.append(_("Class %(number)s has already started.", number=class_ref))
                else:
                    version_id = training_class.course_version_id
        else:
            if course_ref not in versions:
                versions[course_ref] = _course_version_by_code(course_ref)
            version = versions[course_ref]
            if version is None:
                errors.append(_("There is no published course with the code “%(code)s”.", code=course_ref))
            elif version.delivery_modes and DeliveryMode.ELEARNING.value not in version.delivery_modes:
                errors.append(_("Course “%(code)s” is not offered as eLearning: choose a class.", code=course_ref))
            else:
                version_id = version.id
        status = "new"
        if not errors and version_id is not None:
            key = row_key(email, class_id, version_id)
            if key in seen:
                errors.append(_("This row repeats an earlier row of the file."))
            elif key in existing_keys:
                status = "skip"
            seen.add(key)
            if status == "new" and class_id is not None:
                per_class[class_id] = per_class.get(class_id, 0) + 1
        if errors:
            status = "error"
        checked.append(
            {
                "line": line,
                "email": email,
                "first_name": (row.get("first_name") or "").strip()[:60],
                "last_name": (row.get("last_name") or "").strip()[:60],
                "language": language,
                "class_id": class_id,
                "course_version_id": version_id,
                "status": status,
                "errors": errors,
            }
        )
    # Rows beyond a class's free seats would fail: say so now, on the rows themselves.
    for class_id, wanted in per_class.items():
        free = seats.availability(class_id).available
        if wanted > free:
            over = 0
            for item in checked:
                if item["class_id"] == class_id and item["status"] == "new":
                    over += 1
                    if over > free:
                        item["status"] = "error"
                        item["errors"].append(
                            _("Class %(number)d has only %(count)d free seats.", number=class_id, count=free)
                        )
    record = CohortImport(
        partner_id=cohort.partner_id,
        cohort_id=cohort.id,
        filename=(filename or "upload.csv")[:200],
        file_hash=hashlib.sha256(data).hexdigest(),
        rows=checked,
        total_rows=len(checked),
        error_count=sum(1 for item in checked if item["status"] == "error"),
        skipped_count=sum(1 for item in checked if item["status"] == "skip"),
        created_by=actor_id,
    )
    db.session.add(record)
    db.session.flush()
    audit.record(
        "cohort.import_previewed",
        actor_id=actor_id,
        subject=record,
        partner_id=cohort.partner_id,
        details={"rows": len(checked), "errors": record.error_count},
    )
    return record


def counts(record: CohortImport) -> PreviewCounts:
    result = PreviewCounts()
    for item in record.rows:
        setattr(result, item["status"], getattr(result, item["status"]) + 1)
    return result


def start(record: CohortImport, *, actor_id: int) -> None:
    from lms.core.tasks import enqueue
    from lms.partners import tasks

    if record.status != ImportStatus.PREVIEWED:
        raise Conflict(_("This import has already run."))
    if not any(item["status"] == "new" for item in record.rows):
        raise DomainError(_("There is nothing to import: fix the rows with errors and upload the file again."))
    record.status = ImportStatus.QUEUED
    audit.record("cohort.import_started", actor_id=actor_id, subject=record, partner_id=record.partner_id)
    enqueue(tasks.run_cohort_import, record.id)


def run(import_id: int) -> CohortImport | None:
    """Enrol the checked rows (the task's body). Safe to run twice: members already made are skipped."""
    record = db.session.get(CohortImport, import_id)
    if record is None or record.status in (ImportStatus.COMPLETED, ImportStatus.PREVIEWED):
        return record
    cohort = db.session.get(Cohort, record.cohort_id)
    partner = db.session.get(Organisation, record.partner_id)
    record.status = ImportStatus.RUNNING
    record.processed_rows = sum(1 for item in record.rows if item["status"] != "new")
    record.created_count = 0
    errors: list[dict[str, Any]] = []
    db.session.commit()
    pending = [item for item in record.rows if item["status"] == "new"]
    for index, item in enumerate(pending, start=1):
        outcome = _import_row(cohort, partner, record, item)
        if outcome == "created":
            record.created_count += 1
        elif outcome == "skipped":
            record.skipped_count += 1
        else:
            errors.append({"line": item["line"], "message": outcome})
        record.processed_rows += 1
        if index % BATCH == 0:
            record.run_errors = list(errors)
            db.session.commit()
    record.run_errors = errors
    record.error_count = sum(1 for item in record.rows if item["status"] == "error") + len(errors)
    record.status = ImportStatus.COMPLETED
    record.finished_at = utcnow()
    audit.record(
        "cohort.import_completed",
        actor_id=record.created_by,
        subject=record,
        partner_id=record.partner_id,
        details={"created": record.created_count, "skipped": record.skipped_count, "errors": len(errors)},
    )
    return record


def _import_row(cohort: Cohort, partner: Organisation, record: CohortImport, item: dict[str, Any]) -> str:
    """'created', 'skipped' or the error message; a failing row leaves nothing behind (savepoint)."""
    key = row_key(item["email"], item["class_id"], item["course_version_id"])
    exists = db.session.execute(
        sa.select(CohortMember.id).where(CohortMember.cohort_id == cohort.id, CohortMember.row_key == key)
    ).first()
    if exists:
        return "skipped"
    name = " ".join(part for part in (item.get("first_name"), item.get("last_name")) if part)
    try:
        with db.session.begin_nested():
            user, _new = find_or_create_learner(
                item["email"],
                display_name=item.get("first_name") or name,
                legal_name=name,
                locale=item.get("language") or "en",
                partner_name=partner.name,
            )
            member = CohortMember(
                cohort_id=cohort.id,
                user_id=user.id,
                row_key=key,
                class_id=item["class_id"],
                course_version_id=item["course_version_id"],
                import_id=record.id,
            )
            if item["class_id"]:
                seat = seats.take_free_seat(
                    item["class_id"],
                    user_id=user.id,
                    source=EnrolmentSource.COHORT,
                    actor_id=record.created_by,
                    origin_ref=f"cohort:{cohort.id}",
                )
                member.seat_id = seat.id
                member.enrolment_id = seat.enrolment_id
            else:
                enrolment = courses.enrol(
                    user_id=user.id,
                    course_version_id=item["course_version_id"],
                    source=EnrolmentSource.COHORT,
                    partner_id=partner.id,
                    origin_ref=f"cohort:{cohort.id}",
                    actor_id=record.created_by,
                )
                member.enrolment_id = enrolment.id
            db.session.add(member)
            db.session.flush()
    except DomainError as error:
        return error.message
    return "created"


# --- reading and export ------------------------------------------------------------------------


@dataclass
class MemberProgress:
    member: CohortMember
    user: User
    enrolment: Enrolment | None


def members_with_progress(cohort: Cohort) -> list[MemberProgress]:
    members = (
        db.session.execute(sa.select(CohortMember).where(CohortMember.cohort_id == cohort.id).order_by(CohortMember.id))
        .scalars()
        .all()
    )
    enrolment_ids = [m.enrolment_id for m in members if m.enrolment_id]
    enrolments = (
        {e.id: e for e in db.session.execute(sa.select(Enrolment).where(Enrolment.id.in_(enrolment_ids))).scalars()}
        if enrolment_ids
        else {}
    )
    return [MemberProgress(m, m.user, enrolments.get(m.enrolment_id)) for m in members]


def members_csv(cohort: Cohort, locale: str = "en") -> str:
    rows = []
    for item in members_with_progress(cohort):
        version = (
            item.enrolment.course_version
            if item.enrolment
            else db.session.get(CourseVersion, item.member.course_version_id)
        )
        rows.append(
            [
                item.user.email,
                item.user.display_name,
                item.user.legal_name,
                version.title(locale) if version else "",
                item.member.class_id or "",
                item.enrolment.status.value if item.enrolment else "",
                item.enrolment.completed_at.date().isoformat()
                if item.enrolment and item.enrolment.completed_at
                else "",
            ]
        )
    return write_csv(["email", "display_name", "legal_name", "course", "class", "status", "completed_on"], rows)


TEMPLATE_CSV = write_csv(
    list(COLUMNS),
    [
        ["amira.haddad@example.com", "Amira", "Haddad", "ar", "", "AIP-ESS-101"],
        ["jonas.berg@example.com", "Jonas", "Berg", "de", "42", ""],
    ],
)
