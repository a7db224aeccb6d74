"""Items in and out of the bank as files: CSV (one row per item and language) and JSON.

Both forms become :class:`~lms.exams.services.bank.ItemInput` and go through
:func:`~lms.exams.services.bank.apply_inputs`; every problem is reported with its row, and nothing is
written while any row is wrong.
"""

from __future__ import annotations

import json
from typing import Any

from flask_babel import gettext as _

from lms.core.csvio import read_csv, write_csv
from lms.core.i18n import LANGUAGES
from lms.courses.models import CertificationTrack
from lms.exams.question_types import InvalidItem, question_type
from lms.exams.services.bank import (
    CSV_HEADER,
    MAX_IMPORT_ROWS,
    OPTION_IDS,
    PROMPT_IDS,
    ImportReport,
    ItemInput,
    RowError,
    _parse_bool,
    _parse_difficulty,
    _parse_status,
    _uncell,
    _variant,
    apply_inputs,
    items_of,
)

# --- CSV -----------------------------------------------------------------------------------------


def inputs_from_csv(data: bytes | str) -> tuple[list[ItemInput], list[RowError]]:
    """Rows (one per item and language) grouped into items; errors name the spreadsheet row."""
    try:
        rows = read_csv(data)
    except (UnicodeDecodeError, ValueError) as exc:
        return [], [RowError(1, _("This file is not a UTF-8 CSV file (%(error)s).", error=str(exc)))]
    if not rows:
        return [], [RowError(1, _("The file has no item rows."))]
    if len(rows) > MAX_IMPORT_ROWS:
        return [], [RowError(1, _("Import at most %(count)d rows at a time.", count=MAX_IMPORT_ROWS))]
    missing = {"code", "language", "type", "stem", "key"} - set(rows[0])
    if missing:
        return [], [RowError(1, _("Columns missing: %(columns)s.", columns=", ".join(sorted(missing))))]
    errors: list[RowError] = []
    grouped: dict[str, ItemInput] = {}
    for index, raw in enumerate(rows, start=2):  # row 1 is the header
        row = {k: _uncell(v) for k, v in raw.items()}
        try:
            code = row.get("code", "").strip()
            if not code:
                raise InvalidItem(_("The code is empty."))
            language = row.get("language", "").strip().lower() or "en"
            if language not in LANGUAGES:
                raise InvalidItem(_("Unknown language: %(language)s.", language=language))
            qtype = question_type(row.get("type", "").strip())
            key = qtype.parse_key(row.get("key", ""))
            options = {oid: row.get(f"option_{oid}", "") for oid in OPTION_IDS}
            prompts = {pid: row.get(f"prompt_{n}", "") for n, pid in enumerate(PROMPT_IDS, start=1)}
            fixed = [f.strip() for f in row.get("fixed", "").replace(",", ";").split(";") if f.strip()]
            variant = _variant(row.get("stem", ""), options, fixed, prompts, qtype.name)
            entry = ItemInput(
                code=code,
                type=qtype.name,
                domain=row.get("domain", "").strip().lower(),
                key=key,
                content={},
                objective=row.get("objective", "").strip(),
                difficulty=_parse_difficulty(row.get("difficulty", "3")),
                status=_parse_status(row.get("status", "draft")),
                partial_credit=_parse_bool(row.get("partial_credit")),
                rows=[index],
            )
            existing = grouped.get(code)
            if existing is None:
                entry.content[language] = variant
                grouped[code] = entry
                continue
            if language in existing.content:
                raise InvalidItem(_("Item %(code)s has two rows in %(language)s.", code=code, language=language))
            if (existing.type, existing.key, existing.domain) != (entry.type, entry.key, entry.domain):
                raise InvalidItem(_("Every row of item %(code)s must have the same type, domain and key.", code=code))
            existing.content[language] = variant
            existing.rows.append(index)
        except InvalidItem as exc:
            errors.append(RowError(index, str(exc)))
    return list(grouped.values()), errors


def export_csv(track_id: int) -> str:
    rows = []
    for item in items_of(track_id):
        version = item.latest
        qtype = question_type(version.type)
        for language in version.languages:
            variant = version.content[language]
            options = {o["id"]: o["text"] for o in variant.get("options", [])}
            prompts = {p["id"]: p["text"] for p in variant.get("prompts", [])}
            rows.append(
                [
                    item.code,
                    language,
                    version.type,
                    item.domain.code,
                    item.objective,
                    item.difficulty,
                    item.status.value,
                    "true" if version.partial_credit else "false",
                    variant["stem"],
                    *(options.get(oid, "") for oid in OPTION_IDS),
                    ";".join(o["id"] for o in variant.get("options", []) if o.get("fixed")),
                    *(prompts.get(pid, "") for pid in PROMPT_IDS),
                    qtype.format_key(version.key),
                ]
            )
    return write_csv(CSV_HEADER, rows)


# --- JSON ----------------------------------------------------------------------------------------


def inputs_from_json(data: bytes | str) -> tuple[list[ItemInput], list[RowError]]:
    """``[{code, type, domain, key, content: {lang: variant}, …}, …]``; errors name the item (1-based)."""
    try:
        payload = json.loads(data)
    except (UnicodeDecodeError, ValueError) as exc:
        return [], [RowError(1, _("This file is not valid JSON (%(error)s).", error=str(exc)))]
    if isinstance(payload, dict):
        payload = payload.get("items")
    if not isinstance(payload, list) or not payload:
        return [], [RowError(1, _("The file has no items."))]
    inputs: list[ItemInput] = []
    errors: list[RowError] = []
    for index, raw in enumerate(payload, start=1):
        try:
            if not isinstance(raw, dict):
                raise InvalidItem(_("Each item must be an object."))
            qtype = question_type(str(raw.get("type", "")))
            key = raw.get("key")
            if isinstance(key, str):
                key = qtype.parse_key(key)
            content = raw.get("content")
            if not isinstance(key, dict) or not isinstance(content, dict) or not content:
                raise InvalidItem(_("An item needs a key and content in at least one language."))
            unknown = [lang for lang in content if lang not in LANGUAGES]
            if unknown:
                raise InvalidItem(_("Unknown language: %(language)s.", language=", ".join(unknown)))
            code = str(raw.get("code", "")).strip()
            if not code:
                raise InvalidItem(_("The code is empty."))
            inputs.append(
                ItemInput(
                    code=code,
                    type=qtype.name,
                    domain=str(raw.get("domain", "")).strip().lower(),
                    key=key,
                    content=content,
                    objective=str(raw.get("objective", "")).strip(),
                    difficulty=_parse_difficulty(raw.get("difficulty", 3)),
                    status=_parse_status(raw.get("status", "draft")),
                    partial_credit=bool(raw.get("partial_credit", False)),
                    rows=[index],
                )
            )
        except InvalidItem as exc:
            errors.append(RowError(index, str(exc)))
    return inputs, errors


def export_json(track_id: int) -> list[dict[str, Any]]:
    out = []
    for item in items_of(track_id):
        version = item.latest
        out.append(
            {
                "code": item.code,
                "type": version.type,
                "domain": item.domain.code,
                "objective": item.objective,
                "difficulty": item.difficulty,
                "status": item.status.value,
                "partial_credit": version.partial_credit,
                "version": version.number,
                "key": version.key,
                "content": version.content,
            }
        )
    return out


def import_file(track: CertificationTrack, data: bytes, filename: str, *, actor_id: int | None) -> ImportReport:
    """A CSV or JSON upload: every problem of every row is reported; nothing is written unless all are fine."""
    looks_json = filename.lower().endswith(".json") or data.lstrip()[:1] in (b"[", b"{")
    entries, errors = inputs_from_json(data) if looks_json else inputs_from_csv(data)
    report = apply_inputs(track, entries, actor_id=actor_id, note="import", write=not errors)
    report.errors = sorted(errors + report.errors, key=lambda e: e.row)
    return report
