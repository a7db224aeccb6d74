"""Structural accessibility checks for a rendered page (labels, names, language, headings, ids)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_attrs: dict[str, str | None] = {}
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self.images: list[dict[str, str | None]] = []
        self.h1 = 0
        self.buttons: list[dict] = []
        self._label_depth = 0
        self._button: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"])  # type: ignore[arg-type]
        if tag == "html":
            self.html_attrs = a
        elif tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.label_for.add(a["for"])  # type: ignore[arg-type]
        elif tag in {"input", "select", "textarea"}:
            if tag == "input" and (a.get("type") or "text") in UNLABELLED_INPUT_TYPES:
                return
            self.controls.append({**a, "_tag": tag, "_wrapped": "1" if self._label_depth else None})
        elif tag == "img":
            self.images.append(a)
        elif tag == "h1":
            self.h1 += 1
        elif tag == "button":
            self._button = {"attrs": a, "text": ""}

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_depth = max(0, self._label_depth - 1)
        elif tag == "button" and self._button is not None:
            self.buttons.append(self._button)
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button["text"] += data


def accessibility_problems(html: str) -> list[str]:
    collector = _Collector()
    collector.feed(html)
    problems = []
    if not collector.html_attrs.get("lang"):
        problems.append("<html> has no lang")
    if collector.html_attrs.get("dir") not in {"ltr", "rtl"}:
        problems.append("<html> has no dir")
    if collector.h1 != 1:
        problems.append(f"{collector.h1} <h1> elements (expected exactly one)")
    for control in collector.controls:
        named = (
            control.get("aria-label")
            or control.get("aria-labelledby")
            or control.get("_wrapped")
            or (control.get("id") and control["id"] in collector.label_for)
        )
        if not named:
            problems.append(f"<{control['_tag']} name={control.get('name')!r}> has no label")
    for image in collector.images:
        if image.get("alt") is None:
            problems.append(f"<img src={image.get('src')!r}> has no alt")
    for button in collector.buttons:
        if not button["text"].strip() and not button["attrs"].get("aria-label"):
            problems.append("a <button> has no text")
    duplicates = [i for i, n in Counter(collector.ids).items() if n > 1]
    if duplicates:
        problems.append(f"duplicate ids: {duplicates}")
    return problems


def assert_accessible(html: str) -> None:
    problems = accessibility_problems(html)
    assert problems == [], "; ".join(problems)
