"""Demo item banks: real exam items about AI for each certification, as plain data.

Each module has ``DOMAINS`` (code → names per language) and ``ITEMS``: tuples of
``(domain, type, difficulty, objective, stem, options, key)`` plus an optional dict of extras
(``prompts`` for matching, ``ar`` for an Arabic variant: ``{"stem", "options", "prompts"}``).
Types: ``sc`` single choice, ``mr`` multiple response, ``tf`` true/false, ``or`` ordering,
``ma`` matching. An option starting with ``^`` is kept in place ("All of the above").
Keys use the one-line form of :mod:`lms.exams.question_types` (``b``, ``a;c``, ``true``…).
"""

from __future__ import annotations

from typing import Any

from lms.exams.services.bank import OPTION_IDS, PROMPT_IDS

TYPES = {"sc": "single_choice", "mr": "multiple_response", "tf": "true_false", "or": "ordering", "ma": "matching"}


def _variant(stem: str, options: list[str] | None, prompts: list[str] | None) -> dict[str, Any]:
    variant: dict[str, Any] = {"stem": stem}
    if options:
        variant["options"] = [
            {"id": oid, "text": text.lstrip("^"), **({"fixed": True} if text.startswith("^") else {})}
            for oid, text in zip(OPTION_IDS, options, strict=False)
        ]
    if prompts:
        variant["prompts"] = [{"id": pid, "text": text} for pid, text in zip(PROMPT_IDS, prompts, strict=False)]
    return variant


def as_json_items(track_code: str, items: list[tuple]) -> list[dict[str, Any]]:
    """The bank in the JSON import form (so the demo goes through the same import as staff do)."""
    from lms.exams.question_types import question_type

    out = []
    for number, entry in enumerate(items, start=1):
        domain, short_type, difficulty, objective, stem, options, key = entry[:7]
        extra = entry[7] if len(entry) > 7 else {}
        qtype = question_type(TYPES[short_type])
        content = {"en": _variant(stem, options, extra.get("prompts"))}
        if "ar" in extra:
            ar = extra["ar"]
            content["ar"] = _variant(ar["stem"], ar.get("options"), ar.get("prompts"))
        out.append(
            {
                "code": f"{track_code}-{number:03d}",
                "type": qtype.name,
                "domain": domain,
                "objective": objective,
                "difficulty": difficulty,
                "status": "live",
                "partial_credit": short_type in ("or", "ma"),
                "key": qtype.parse_key(key),
                "content": content,
            }
        )
    return out
