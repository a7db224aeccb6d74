"""The item bank: domains, items and their versions, key corrections (files: :mod:`.transfer`).

Every way an item is written (the editor, a CSV row, a JSON object) becomes an :class:`ItemInput`
and goes through :func:`apply_inputs`, so the rules are the same whatever the channel.
A version that an attempt has served is never changed: an edit then makes a new version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.core import audit
from lms.core.csvio import FORMULA_PREFIXES
from lms.core.errors import DomainError
from lms.core.i18n import LANGUAGES
from lms.courses.models import CertificationTrack
from lms.exams.models import AttemptItem, ExamDomain, Item, ItemStatus, ItemVersion
from lms.exams.question_types import QUESTION_TYPES, InvalidItem, question_type
from lms.extensions import db

OPTION_IDS = tuple("abcdefgh")
PROMPT_IDS = tuple(f"p{n}" for n in range(1, 7))
CSV_HEADER = [
    "code",
    "language",
    "type",
    "domain",
    "objective",
    "difficulty",
    "status",
    "partial_credit",
    "stem",
    *(f"option_{o}" for o in OPTION_IDS),
    "fixed",
    *(f"prompt_{n}" for n in range(1, len(PROMPT_IDS) + 1)),
    "key",
]
MAX_IMPORT_ROWS = 5000


# --- domains -------------------------------------------------------------------------------------


def domains_of(track_id: int) -> list[ExamDomain]:
    return list(
        db.session.execute(
            sa.select(ExamDomain).where(ExamDomain.track_id == track_id).order_by(ExamDomain.position, ExamDomain.code)
        ).scalars()
    )


def save_domain(track: CertificationTrack, code: str, names: dict[str, str], *, actor_id: int | None) -> ExamDomain:
    code = (code or "").strip().lower()
    if not code or len(code) > 40 or not all(ch.isalnum() or ch in "-_" for ch in code):
        raise DomainError(_("Use letters, digits, - or _ for the domain code (at most 40)."), field="code")
    names = {k: v.strip() for k, v in names.items() if k in LANGUAGES and v and v.strip()}
    if not names.get("en"):
        raise DomainError(_("Give the domain an English name."), field="name_en")
    domain = db.session.execute(
        sa.select(ExamDomain).where(ExamDomain.track_id == track.id, ExamDomain.code == code)
    ).scalar_one_or_none()
    if domain is None:
        domain = ExamDomain(track_id=track.id, code=code, position=len(domains_of(track.id)))
        db.session.add(domain)
    domain.names = names
    db.session.flush()
    audit.record("exams.domain_saved", actor_id=actor_id, subject=domain, details={"code": code})
    return domain


# --- the shape every channel writes --------------------------------------------------------------


@dataclass
class ItemInput:
    """One item as written by a channel: metadata, type and key, and one or more language variants."""

    code: str
    type: str
    domain: str
    key: dict[str, Any]
    content: dict[str, dict[str, Any]]
    objective: str = ""
    difficulty: int = 3
    status: ItemStatus = ItemStatus.DRAFT
    partial_credit: bool = False
    #: Where it came from, for error messages ("row 7", "item 3").
    rows: list[int] = field(default_factory=list)


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _variant(
    stem: str,
    options: dict[str, str],
    fixed: Iterable[str] = (),
    prompts: dict[str, str] | None = None,
    qtype: str = "single_choice",
) -> dict[str, Any]:
    fixed = set(fixed)
    variant: dict[str, Any] = {"stem": stem.strip()}
    if qtype != "true_false":
        variant["options"] = [
            {"id": oid, "text": text.strip(), **({"fixed": True} if oid in fixed else {})}
            for oid, text in options.items()
            if text and text.strip()
        ]
    if qtype == "matching":
        variant["prompts"] = [{"id": pid, "text": text.strip()} for pid, text in (prompts or {}).items() if text]
    return variant


def _parse_difficulty(value: Any) -> int:
    try:
        difficulty = int(str(value).strip() or 3)
    except ValueError as exc:
        raise InvalidItem(_("Difficulty must be a whole number from 1 to 5.")) from exc
    if not 1 <= difficulty <= 5:
        raise InvalidItem(_("Difficulty must be a whole number from 1 to 5."))
    return difficulty


def _parse_status(value: Any) -> ItemStatus:
    text = str(value or "draft").strip().lower()
    try:
        return ItemStatus(text)
    except ValueError as exc:
        raise InvalidItem(_("Status must be draft, pilot, live or retired.")) from exc


def _parse_bool(value: Any) -> bool:
    return str(value or "").strip().lower() in {"1", "true", "yes", "y"}


def _uncell(value: str) -> str:
    """Undo the apostrophe CSV export puts before a cell that starts like a formula."""
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_PREFIXES:
        return value[1:]
    return value


# --- applying ------------------------------------------------------------------------------------


def items_of(track_id: int) -> list[Item]:
    return list(
        db.session.execute(sa.select(Item).where(Item.track_id == track_id).order_by(Item.code)).unique().scalars()
    )


def version_served(version_id: int) -> bool:
    return (
        db.session.execute(sa.select(AttemptItem.id).where(AttemptItem.item_version_id == version_id).limit(1)).first()
        is not None
    )


def _check(entry: ItemInput, merged: dict[str, dict[str, Any]]) -> None:
    qtype = question_type(entry.type)
    option_sets = set()
    for language, variant in merged.items():
        if not isinstance(variant, dict):
            raise InvalidItem(_("The %(language)s variant is not an object.", language=language))
        try:
            qtype.validate(variant, entry.key)
        except InvalidItem as exc:
            raise InvalidItem(
                _("%(language)s: %(problem)s", language=LANGUAGES[language].native_name, problem=str(exc))
            ) from exc
        option_sets.add(tuple(sorted(o["id"] for o in variant.get("options", []))))
    if len(option_sets) > 1:
        raise InvalidItem(_("Every language must offer the same options (the same ids)."))


def apply_inputs(
    track: CertificationTrack, entries: list[ItemInput], *, actor_id: int | None, note: str = "", write: bool = True
) -> ImportReport:
    """Validate every entry first; write nothing if any fails (errors per row), else create or update."""
    report = ImportReport()
    domains = {d.code: d for d in domains_of(track.id)}
    existing = {i.code: i for i in items_of(track.id)}
    plans: list[tuple[ItemInput, dict[str, dict[str, Any]]]] = []
    seen: set[str] = set()
    for entry in entries:
        row = entry.rows[0] if entry.rows else 0
        try:
            if entry.code in seen:
                raise InvalidItem(_("Item %(code)s appears twice.", code=entry.code))
            seen.add(entry.code)
            if len(entry.code) > 40:
                raise InvalidItem(_("The code is longer than 40 characters."))
            if entry.domain not in domains:
                raise InvalidItem(_("Unknown domain: %(domain)s.", domain=entry.domain or "—"))
            if entry.type not in QUESTION_TYPES:
                raise InvalidItem(_("Unknown question type: %(name)s.", name=entry.type))
            item = existing.get(entry.code)
            merged = dict(item.latest.content) if item is not None and item.latest.type == entry.type else {}
            merged.update(entry.content)
            _check(entry, merged)
            plans.append((entry, merged))
        except InvalidItem as exc:
            report.errors.append(RowError(row, str(exc)))
    if report.errors or not write:
        return report
    for entry, merged in plans:
        outcome = _write(track, existing.get(entry.code), entry, merged, domains[entry.domain], actor_id, note)
        if outcome == "created":
            report.created += 1
        elif outcome == "updated":
            report.updated += 1
        else:
            report.unchanged += 1
    db.session.flush()
    if report.created or report.updated:
        audit.record(
            "exams.items_imported",
            actor_id=actor_id,
            subject=track,
            subject_type="CertificationTrack",
            details={"created": report.created, "updated": report.updated},
        )
    return report


def _write(
    track: CertificationTrack,
    item: Item | None,
    entry: ItemInput,
    content: dict[str, dict[str, Any]],
    domain: ExamDomain,
    actor_id: int | None,
    note: str,
) -> str:
    if item is None:
        item = Item(
            track_id=track.id,
            code=entry.code,
            domain_id=domain.id,
            objective=entry.objective,
            difficulty=entry.difficulty,
            status=entry.status,
            current_version=1,
        )
        item.versions.append(
            ItemVersion(
                number=1,
                type=entry.type,
                content=content,
                key=entry.key,
                partial_credit=entry.partial_credit,
                created_by_id=actor_id,
                change_note=note,
            )
        )
        db.session.add(item)
        return "created"
    changed = False
    for attr, value in (
        ("domain_id", domain.id),
        ("objective", entry.objective),
        ("difficulty", entry.difficulty),
        ("status", entry.status),
    ):
        if getattr(item, attr) != value:
            setattr(item, attr, value)
            changed = True
    latest = item.latest
    if (latest.type, latest.content, latest.key, latest.partial_credit) != (
        entry.type,
        content,
        entry.key,
        entry.partial_credit,
    ):
        changed = True
        if version_served(latest.id):
            _new_version(item, entry.type, content, entry.key, entry.partial_credit, actor_id, note)
        else:  # nobody has seen it yet: edit in place
            latest.type, latest.content, latest.key = entry.type, content, entry.key
            latest.partial_credit = entry.partial_credit
            latest.change_note = note or latest.change_note
    return "updated" if changed else "unchanged"


def _new_version(
    item: Item,
    qtype: str,
    content: dict[str, Any],
    key: dict[str, Any],
    partial_credit: bool,
    actor_id: int | None,
    note: str,
    corrects: ItemVersion | None = None,
) -> ItemVersion:
    number = max(v.number for v in item.versions) + 1
    version = ItemVersion(
        number=number,
        type=qtype,
        content=content,
        key=key,
        partial_credit=partial_credit,
        created_by_id=actor_id,
        change_note=note,
        corrects_version_id=corrects.id if corrects is not None else None,
    )
    item.versions.append(version)
    item.current_version = number
    db.session.flush()
    return version


# --- the editor ----------------------------------------------------------------------------------


def editor_input(
    *,
    code: str,
    language: str,
    qtype: str,
    domain: str,
    objective: str,
    difficulty: int,
    status: str,
    partial_credit: bool,
    stem: str,
    options: dict[str, str],
    fixed: Iterable[str],
    prompts: dict[str, str],
    key_text: str,
) -> ItemInput:
    """The item editor's fields (one language at a time) as an :class:`ItemInput`."""
    kind = question_type(qtype)
    return ItemInput(
        code=code.strip(),
        type=kind.name,
        domain=domain,
        key=kind.parse_key(key_text),
        content={language: _variant(stem, options, fixed, prompts, kind.name)},
        objective=objective.strip(),
        difficulty=_parse_difficulty(difficulty),
        status=_parse_status(status),
        partial_credit=partial_credit,
        rows=[1],
    )


def save_from_editor(track: CertificationTrack, entry: ItemInput, *, actor_id: int | None) -> Item:
    report = apply_inputs(track, [entry], actor_id=actor_id, note="editor")
    if not report.ok:
        raise DomainError(report.errors[0].message)
    item = db.session.execute(sa.select(Item).where(Item.track_id == track.id, Item.code == entry.code)).scalar_one()
    audit.record("exams.item_saved", actor_id=actor_id, subject=item, details={"version": item.current_version})
    return item


def set_status(item: Item, status: ItemStatus, *, actor_id: int | None) -> None:
    if item.status == status:
        return
    previous = item.status
    item.status = status
    db.session.flush()
    audit.record(
        "exams.item_status", actor_id=actor_id, subject=item, details={"from": previous.value, "to": status.value}
    )


def correct_key(item: Item, key_text: str, reason: str, *, actor_id: int | None) -> ItemVersion:
    """A new version with the corrected key; attempts that saw the old one can then be re-scored."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the key is corrected."), field="reason")
    latest = item.latest
    qtype = question_type(latest.type)
    try:
        key = qtype.parse_key(key_text)
        for variant in latest.content.values():
            qtype.validate(variant, key)
    except InvalidItem as exc:
        raise DomainError(str(exc), field="key") from exc
    if key == latest.key:
        raise DomainError(_("This is the key the item already has."), field="key")
    version = _new_version(
        item, latest.type, latest.content, key, latest.partial_credit, actor_id, reason, corrects=latest
    )
    audit.record(
        "exams.key_corrected",
        actor_id=actor_id,
        subject=item,
        details={"from_version": latest.number, "to_version": version.number, "reason": reason},
    )
    return version


def key_version_for(served: ItemVersion) -> ItemVersion:
    """The version whose key decides a served version: the last correction in its chain, or itself."""
    current = served
    for _step in range(50):
        correction = db.session.execute(
            sa.select(ItemVersion)
            .where(ItemVersion.corrects_version_id == current.id)
            .order_by(ItemVersion.number.desc())
            .limit(1)
        ).scalar_one_or_none()
        if correction is None:
            return current
        current = correction
    return current
