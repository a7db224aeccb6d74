"""Question types: one class per type with ``validate`` / ``render`` / ``score`` (the CTFd pattern).

Shared by certification exams (items in the item bank) and practice quizzes in the courseware.
An item's *content* is a plain dict per language::

    {"stem": "…", "options": [{"id": "a", "text": "…", "fixed": False}, …]}   # choice types
    {"stem": "…", "options": [...]}                                            # ordering
    {"stem": "…", "prompts": [{"id": "p1", "text": "…"}], "options": [...]}     # matching

and its *key* (never sent to a browser during an exam) is type-specific::

    single_choice:    {"correct": "b"}
    multiple_response:{"correct": ["a", "c"]}
    true_false:       {"correct": True}
    ordering:         {"order": ["c", "a", "b"]}
    matching:         {"pairs": {"p1": "b", "p2": "a"}}

A *response* is what the candidate sent: an option id, a list of ids, a bool, an ordered list, or a
``{prompt_id: option_id}`` mapping. ``score`` returns a fraction in [0, 1] (partial credit where the
type allows it and ``partial_credit`` is on). ``render`` returns the public view: no key, options
in the given order (fixed options such as "All of the above" stay where they are).

Keys also have a one-line text form, used by CSV import/export and the item editor
(``parse_key`` / ``format_key``): ``b`` · ``a;c`` · ``true`` · ``c;a;b`` · ``p1=b;p2=a``.
Error messages are lazily translated, so ``str(error)`` is in the reader's language.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l


class InvalidItem(ValueError):
    """The item's content or key is malformed (reported per row on import)."""


class InvalidResponse(ValueError):
    """The response does not fit the item (unknown option, wrong shape)."""


@dataclass(frozen=True)
class ScoreResult:
    fraction: Fraction
    correct: bool


def _split(text: str) -> list[str]:
    return [part.strip() for part in str(text or "").replace(",", ";").split(";") if part.strip()]


class QuestionType:
    name: ClassVar[str]
    label: ClassVar[Any]
    #: Whether options may be shuffled per attempt (fixed options keep their place).
    shuffles_options: ClassVar[bool] = True

    # --- authoring -------------------------------------------------------------------------
    def validate(self, content: dict[str, Any], key: dict[str, Any]) -> None:
        options = content.get("options")
        if not isinstance(content.get("stem"), str) or not content["stem"].strip():
            raise InvalidItem(_l("The question text is empty."))
        if not isinstance(options, list) or len(options) < 2:
            raise InvalidItem(_l("A question needs at least two options."))
        ids = [o.get("id") for o in options if isinstance(o, dict)]
        if len(ids) != len(options) or not all(isinstance(i, str) and i for i in ids):
            raise InvalidItem(_l("Every option needs an id."))
        if len(set(ids)) != len(ids):
            raise InvalidItem(_l("Option ids must be unique."))
        if not all(isinstance(o.get("text"), str) and o["text"].strip() for o in options):
            raise InvalidItem(_l("Every option needs a text."))
        self.validate_key(ids, content, key)

    def validate_key(self, option_ids: list[str], content: dict[str, Any], key: dict[str, Any]) -> None:
        raise NotImplementedError

    def parse_key(self, text: str) -> dict[str, Any]:
        """The key from its one-line text form (CSV cell, editor field)."""
        raise NotImplementedError

    def format_key(self, key: dict[str, Any]) -> str:
        raise NotImplementedError

    # --- delivery --------------------------------------------------------------------------
    def option_order(self, content: dict[str, Any], rng: random.Random) -> list[str]:
        """A shuffled option order for one attempt; options marked ``fixed`` keep their index."""
        options = content["options"]
        ids = [o["id"] for o in options]
        if not self.shuffles_options:
            return ids
        movable = [o["id"] for o in options if not o.get("fixed")]
        rng.shuffle(movable)
        shuffled = iter(movable)
        return [o["id"] if o.get("fixed") else next(shuffled) for o in options]

    def render(self, content: dict[str, Any], option_order: Sequence[str] | None = None) -> dict[str, Any]:
        """The public view of an item: stem and options in delivery order, never the key."""
        by_id = {o["id"]: o for o in content["options"]}
        order = list(option_order) if option_order else list(by_id)
        view: dict[str, Any] = {
            "type": self.name,
            "stem": content["stem"],
            "options": [{"id": oid, "text": by_id[oid]["text"]} for oid in order if oid in by_id],
        }
        return view

    def check_response(self, content: dict[str, Any], response: Any) -> Any:
        """Normalise a response or raise :class:`InvalidResponse` (``None`` means unanswered)."""
        raise NotImplementedError

    def form_response(self, content: dict[str, Any], field: str, getlist: Callable[[str], list[str]]) -> Any:
        """The response from an HTML form (no script): fields named ``field`` (``field-<id>`` for parts)."""
        values = [v for v in getlist(field) if v]
        return values[0] if values else None

    def score(self, key: dict[str, Any], response: Any, partial_credit: bool = False) -> ScoreResult:
        raise NotImplementedError

    @staticmethod
    def _option_ids(content: dict[str, Any]) -> set[str]:
        return {o["id"] for o in content["options"]}


class SingleChoice(QuestionType):
    name = "single_choice"
    label = _l("Single choice")

    def validate_key(self, option_ids: list[str], content: dict[str, Any], key: dict[str, Any]) -> None:
        if key.get("correct") not in option_ids:
            raise InvalidItem(_l("The key must name one of the options."))

    def parse_key(self, text: str) -> dict[str, Any]:
        parts = _split(text)
        if len(parts) != 1:
            raise InvalidItem(_l("Give exactly one correct option, such as b."))
        return {"correct": parts[0]}

    def format_key(self, key: dict[str, Any]) -> str:
        return str(key.get("correct", ""))

    def check_response(self, content: dict[str, Any], response: Any) -> Any:
        if response is None:
            return None
        if response not in self._option_ids(content):
            raise InvalidResponse(_l("Choose one of the options."))
        return response

    def score(self, key: dict[str, Any], response: Any, partial_credit: bool = False) -> ScoreResult:
        correct = response is not None and response == key["correct"]
        return ScoreResult(Fraction(int(correct)), correct)


class TrueFalse(QuestionType):
    name = "true_false"
    label = _l("True or false")
    shuffles_options = False

    def validate(self, content: dict[str, Any], key: dict[str, Any]) -> None:
        if not isinstance(content.get("stem"), str) or not content["stem"].strip():
            raise InvalidItem(_l("The question text is empty."))
        if not isinstance(key.get("correct"), bool):
            raise InvalidItem(_l("The key must be true or false."))

    def parse_key(self, text: str) -> dict[str, Any]:
        value = str(text or "").strip().lower()
        if value not in ("true", "false"):
            raise InvalidItem(_l("The key must be true or false."))
        return {"correct": value == "true"}

    def format_key(self, key: dict[str, Any]) -> str:
        return "true" if key.get("correct") else "false"

    def render(self, content: dict[str, Any], option_order: Sequence[str] | None = None) -> dict[str, Any]:
        return {"type": self.name, "stem": content["stem"], "options": []}

    def option_order(self, content: dict[str, Any], rng: random.Random) -> list[str]:
        return []

    def check_response(self, content: dict[str, Any], response: Any) -> Any:
        if response is None:
            return None
        if isinstance(response, bool):
            return response
        if response in ("true", "false"):
            return response == "true"
        raise InvalidResponse(_l("Answer true or false."))

    def score(self, key: dict[str, Any], response: Any, partial_credit: bool = False) -> ScoreResult:
        correct = response is not None and response == key["correct"]
        return ScoreResult(Fraction(int(correct)), correct)


class MultipleResponse(QuestionType):
    name = "multiple_response"
    label = _l("Multiple response")

    def validate_key(self, option_ids: list[str], content: dict[str, Any], key: dict[str, Any]) -> None:
        correct = key.get("correct")
        if not isinstance(correct, list) or not correct or not set(correct) <= set(option_ids):
            raise InvalidItem(_l("The key must list one or more of the options."))

    def parse_key(self, text: str) -> dict[str, Any]:
        parts = _split(text)
        if not parts:
            raise InvalidItem(_l("The key must list one or more of the options."))
        return {"correct": sorted(set(parts))}

    def format_key(self, key: dict[str, Any]) -> str:
        return ";".join(key.get("correct", []))

    def render(self, content: dict[str, Any], option_order: Sequence[str] | None = None) -> dict[str, Any]:
        view = super().render(content, option_order)
        # How many to pick is part of the question, not of the key.
        if content.get("select_count"):
            view["select_count"] = content["select_count"]
        return view

    def check_response(self, content: dict[str, Any], response: Any) -> Any:
        if response is None:
            return None
        if not isinstance(response, list) or not set(response) <= self._option_ids(content):
            raise InvalidResponse(_l("Choose among the options."))
        return sorted(set(response))

    def form_response(self, content: dict[str, Any], field: str, getlist: Callable[[str], list[str]]) -> Any:
        values = [v for v in getlist(field) if v]
        return values or None

    def score(self, key: dict[str, Any], response: Any, partial_credit: bool = False) -> ScoreResult:
        chosen = set(response or [])
        correct = set(key["correct"])
        exact = chosen == correct
        if exact or not partial_credit:
            return ScoreResult(Fraction(int(exact)), exact)
        # Partial credit: right picks minus wrong picks, never below zero.
        hits = len(chosen & correct) - len(chosen - correct)
        return ScoreResult(max(Fraction(0), Fraction(hits, len(correct))), False)


class Ordering(QuestionType):
    name = "ordering"
    label = _l("Ordering")

    def validate_key(self, option_ids: list[str], content: dict[str, Any], key: dict[str, Any]) -> None:
        order = key.get("order")
        if not isinstance(order, list) or sorted(order) != sorted(option_ids):
            raise InvalidItem(_l("The key must order every option exactly once."))

    def parse_key(self, text: str) -> dict[str, Any]:
        parts = _split(text)
        if len(parts) < 2:
            raise InvalidItem(_l("The key must order every option exactly once."))
        return {"order": parts}

    def format_key(self, key: dict[str, Any]) -> str:
        return ";".join(key.get("order", []))

    def option_order(self, content: dict[str, Any], rng: random.Random) -> list[str]:
        ids = [o["id"] for o in content["options"]]
        shuffled = ids[:]
        # Never present the items already in a sorted order that could be the answer.
        for _ in range(5):
            rng.shuffle(shuffled)
            if shuffled != ids:
                break
        return shuffled

    def check_response(self, content: dict[str, Any], response: Any) -> Any:
        if response is None:
            return None
        if not isinstance(response, list) or sorted(response) != sorted(self._option_ids(content)):
            raise InvalidResponse(_l("Give every step its own place."))
        return list(response)

    def form_response(self, content: dict[str, Any], field: str, getlist: Callable[[str], list[str]]) -> Any:
        # One rank select per option: field-<option id> = "1", "2"…
        ranks: dict[str, int] = {}
        for option in content["options"]:
            values = [v for v in getlist(f"{field}-{option['id']}") if v]
            if not values:
                return None
            try:
                ranks[option["id"]] = int(values[0])
            except ValueError as exc:
                raise InvalidResponse(_l("Give every step its own place.")) from exc
        if len(set(ranks.values())) != len(ranks):
            raise InvalidResponse(_l("Give every step its own place."))
        return sorted(ranks, key=ranks.__getitem__)

    def score(self, key: dict[str, Any], response: Any, partial_credit: bool = False) -> ScoreResult:
        order = key["order"]
        exact = response == order
        if exact or not partial_credit or not response:
            return ScoreResult(Fraction(int(exact)), exact)
        in_place = sum(1 for a, b in zip(response, order, strict=False) if a == b)
        return ScoreResult(Fraction(in_place, len(order)), False)


class Matching(QuestionType):
    name = "matching"
    label = _l("Matching")

    def validate_key(self, option_ids: list[str], content: dict[str, Any], key: dict[str, Any]) -> None:
        prompts = content.get("prompts")
        if not isinstance(prompts, list) or len(prompts) < 2:
            raise InvalidItem(_l("A matching question needs at least two prompts."))
        prompt_ids = [p.get("id") for p in prompts if isinstance(p, dict)]
        if len(set(prompt_ids)) != len(prompts) or not all(
            isinstance(p.get("text"), str) and p["text"] for p in prompts
        ):
            raise InvalidItem(_l("Every prompt needs a unique id and a text."))
        pairs = key.get("pairs")
        if not isinstance(pairs, dict) or set(pairs) != set(prompt_ids) or not set(pairs.values()) <= set(option_ids):
            raise InvalidItem(_l("The key must match every prompt to an option."))

    def parse_key(self, text: str) -> dict[str, Any]:
        pairs: dict[str, str] = {}
        for part in _split(text):
            prompt, sep, option = part.partition("=")
            if not sep or not prompt.strip() or not option.strip():
                raise InvalidItem(_l("Write the key as prompt=option pairs, such as p1=b;p2=a."))
            pairs[prompt.strip()] = option.strip()
        if not pairs:
            raise InvalidItem(_l("Write the key as prompt=option pairs, such as p1=b;p2=a."))
        return {"pairs": pairs}

    def format_key(self, key: dict[str, Any]) -> str:
        return ";".join(f"{p}={o}" for p, o in sorted(key.get("pairs", {}).items()))

    def render(self, content: dict[str, Any], option_order: Sequence[str] | None = None) -> dict[str, Any]:
        view = super().render(content, option_order)
        view["prompts"] = [{"id": p["id"], "text": p["text"]} for p in content["prompts"]]
        return view

    def check_response(self, content: dict[str, Any], response: Any) -> Any:
        if response is None:
            return None
        prompt_ids = {p["id"] for p in content["prompts"]}
        if (
            not isinstance(response, dict)
            or not set(response) <= prompt_ids
            or not set(response.values()) <= self._option_ids(content)
        ):
            raise InvalidResponse(_l("Match each prompt to one of the options."))
        return dict(sorted(response.items()))

    def form_response(self, content: dict[str, Any], field: str, getlist: Callable[[str], list[str]]) -> Any:
        pairs = {}
        for prompt in content["prompts"]:
            values = [v for v in getlist(f"{field}-{prompt['id']}") if v]
            if values:
                pairs[prompt["id"]] = values[0]
        return pairs or None

    def score(self, key: dict[str, Any], response: Any, partial_credit: bool = False) -> ScoreResult:
        pairs = key["pairs"]
        given = response or {}
        right = sum(1 for prompt, option in pairs.items() if given.get(prompt) == option)
        exact = right == len(pairs)
        if exact or not partial_credit:
            return ScoreResult(Fraction(int(exact)), exact)
        return ScoreResult(Fraction(right, len(pairs)), False)


QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t for t in (SingleChoice(), MultipleResponse(), TrueFalse(), Ordering(), Matching())
}


def question_type(name: str) -> QuestionType:
    try:
        return QUESTION_TYPES[name]
    except KeyError as exc:
        raise InvalidItem(_l("Unknown question type: %(name)s.", name=str(name))) from exc
