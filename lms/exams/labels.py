"""Translated labels for exam states and evidence-timeline events (shared by pages and JSON)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.exams.models import INTEGRITY_KINDS, AttemptStatus, EventKind, ResultStatus

EVENT_LABELS = {
    EventKind.CHECKED_IN: _l("Checked in"),
    EventKind.FOCUS_LOST: _l("Window lost focus"),
    EventKind.FOCUS_REGAINED: _l("Window regained focus"),
    EventKind.PAGE_HIDDEN: _l("Page hidden"),
    EventKind.PAGE_VISIBLE: _l("Page visible again"),
    EventKind.COPY: _l("Copied text"),
    EventKind.PASTE: _l("Pasted text"),
    EventKind.FULLSCREEN_EXIT: _l("Left full screen"),
    EventKind.SECOND_SESSION: _l("Opened on a second device"),
    EventKind.IP_CHANGE: _l("Network address changed"),
    EventKind.SNAPSHOT: _l("Webcam snapshot"),
    EventKind.PAUSED: _l("Clock paused"),
    EventKind.RESUMED: _l("Clock resumed"),
    EventKind.TIME_ADDED: _l("Time added"),
    EventKind.ENDED: _l("Ended by a proctor"),
    EventKind.NOTE: _l("Note"),
    EventKind.FLAGGED: _l("Flagged for review"),
    EventKind.DEVICE_MOVED: _l("Move to another device approved"),
    EventKind.SUBMITTED: _l("Submitted by the candidate"),
    EventKind.DEADLINE_REACHED: _l("Submitted at the deadline"),
    EventKind.RESULT_HELD: _l("Result held for review"),
    EventKind.RESULT_RELEASED: _l("Result released"),
    EventKind.RESULT_INVALIDATED: _l("Result invalidated"),
    EventKind.RESCORED: _l("Re-scored"),
}
ACTION_KINDS = frozenset(
    {
        EventKind.PAUSED,
        EventKind.RESUMED,
        EventKind.TIME_ADDED,
        EventKind.ENDED,
        EventKind.NOTE,
        EventKind.FLAGGED,
        EventKind.DEVICE_MOVED,
        EventKind.RESULT_RELEASED,
        EventKind.RESULT_INVALIDATED,
        EventKind.RESCORED,
    }
)
STATUS_LABELS = {
    AttemptStatus.IN_PROGRESS: _l("In progress"),
    AttemptStatus.PAUSED: _l("Paused"),
    AttemptStatus.COMPLETED: _l("Finished"),
}
RESULT_LABELS = {
    ResultStatus.PENDING: _l("Not finished"),
    ResultStatus.HELD: _l("Held for review"),
    ResultStatus.RELEASED: _l("Released"),
    ResultStatus.INVALIDATED: _l("Invalidated"),
}


def event_class(kind: EventKind) -> str:
    if kind in INTEGRITY_KINDS:
        return "is-integrity"
    if kind in ACTION_KINDS:
        return "is-action"
    return ""


def question_labels() -> dict[str, str]:
    """The words of the attempt page, translated once per page rather than once per question.

    Strings with placeholders stay unformatted here; the template fills them with ``|format``.
    """
    from flask_babel import gettext

    return {
        "question": gettext("Question %(number)d of %(total)d"),
        "choose_one": gettext("Choose one answer."),
        "choose_many": gettext("Choose every answer that applies."),
        "true_false": gettext("True or false"),
        "true": gettext("True"),
        "false": gettext("False"),
        "order": gettext("Give each step its place: 1 comes first."),
        "place_of": gettext("Place of: %(step)s"),
        "match": gettext("Match each item on the left with one on the right."),
        "flag": gettext("Flag this question to review it later"),
        "previous": gettext("Previous"),
        "next": gettext("Next"),
        "answered": gettext("answered"),
        "not_answered": gettext("not answered"),
        "flagged": gettext("flagged"),
    }
