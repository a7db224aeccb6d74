"""Translated labels for the courses domain's enums (template globals, see ``init_app``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "video": _l("Video"),
    "ebook": _l("eBook chapter"),
    "podcast": _l("Podcast episode"),
    "case_lab": _l("Case lab"),
    "quiz": _l("Practice quiz"),
    "mentor": _l("AI mentor"),
}
MOVE_ON_LABELS = {
    "viewed": _l("When opened"),
    "completed": _l("When completed"),
    "passed": _l("When passed"),
    "completed_or_passed": _l("When completed or passed"),
    "not_applicable": _l("Optional (does not count)"),
}
MODE_LABELS = {"elearning": _l("eLearning"), "instructor_led": _l("Instructor-led class")}
LEVEL_LABELS = {"foundation": _l("Foundation"), "intermediate": _l("Intermediate"), "advanced": _l("Advanced")}
ENROLMENT_STATUS_LABELS = {
    "pending": _l("Starts soon"),
    "active": _l("In progress"),
    "completed": _l("Completed"),
    "expired": _l("Access ended"),
    "cancelled": _l("Cancelled"),
    "transferred": _l("Transferred"),
}
ENROLMENT_SOURCE_LABELS = {
    "purchase": _l("Purchase"),
    "voucher": _l("Voucher"),
    "partner": _l("Training partner"),
    "cohort": _l("Employer cohort"),
    "staff": _l("Certification body"),
}
VERSION_STATUS_LABELS = {"draft": _l("Draft"), "published": _l("Published"), "retired": _l("Retired")}
LESSON_STATUS_LABELS = {
    "done": _l("Done"),
    "in_progress": _l("Started"),
    "not_started": _l("Not started"),
    "optional": _l("Optional"),
}
LAB_STATUS_LABELS = {
    "submitted": _l("Waiting for grading"),
    "needs_revision": _l("Needs revision"),
    "passed": _l("Passed"),
}
MEDIA_ROLE_LABELS = {
    "video": _l("Video file"),
    "audio": _l("Audio file"),
    "pdf": _l("PDF"),
    "captions": _l("Captions (WebVTT)"),
    "image": _l("Image"),
    "attachment": _l("Starter file"),
}
QUESTION_TYPE_LABELS = {
    "single_choice": _l("Single choice"),
    "multiple_response": _l("Multiple response"),
    "true_false": _l("True or false"),
    "ordering": _l("Ordering"),
    "matching": _l("Matching"),
}
REVIEW_LABELS = {
    "unreviewed": _l("Not reviewed"),
    "good": _l("Good answer"),
    "needs_work": _l("Needs work"),
    "wrong": _l("Wrong"),
}


def template_globals() -> dict[str, object]:
    return {
        "COURSE_KIND_LABELS": KIND_LABELS,
        "MOVE_ON_LABELS": MOVE_ON_LABELS,
        "MODE_LABELS": MODE_LABELS,
        "LEVEL_LABELS": LEVEL_LABELS,
        "ENROLMENT_STATUS_LABELS": ENROLMENT_STATUS_LABELS,
        "ENROLMENT_SOURCE_LABELS": ENROLMENT_SOURCE_LABELS,
        "VERSION_STATUS_LABELS": VERSION_STATUS_LABELS,
        "LESSON_STATUS_LABELS": LESSON_STATUS_LABELS,
        "LAB_STATUS_LABELS": LAB_STATUS_LABELS,
        "MEDIA_ROLE_LABELS": MEDIA_ROLE_LABELS,
        "QUESTION_TYPE_LABELS": QUESTION_TYPE_LABELS,
        "MENTOR_REVIEW_LABELS": REVIEW_LABELS,
    }
