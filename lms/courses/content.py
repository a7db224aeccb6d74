"""Lesson text handling: sanitising rich HTML, cutting it into citable passages, transcripts, WebVTT.

The lesson player and the mentor's index both cut texts with :func:`html_passages` and
:func:`transcript_passages`, so a citation's anchor always names the element the player renders.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
import webvtt

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "b", "i", "u", "a", "blockquote", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "figure", "figcaption", "img", "br", "hr", "sup",
    "sub", "dl", "dt", "dd", "abbr", "mark", "small",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "*": {"lang", "dir"},
}
VOID_TAGS = {"br", "hr", "img"}
HEADING_TAGS = {"h2", "h3", "h4"}


def sanitise_html(raw: str | None) -> str:
    """Rich text as staff wrote it, reduced to a safe subset (no scripts, styles, event handlers, frames)."""
    if not raw:
        return ""
    cleaned = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return cleaned.strip()


@dataclass(frozen=True)
class Block:
    """A top-level element of a lesson's HTML: rendered with ``anchor`` as its id."""

    anchor: str
    tag: str
    html: str
    text: str


@dataclass(frozen=True)
class Passage:
    anchor: str
    heading: str
    text: str


class _BlockSplitter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, list[str], list[str]]] = []
        self.depth = 0

    def _current(self, tag: str) -> tuple[str, list[str], list[str]]:
        if self.depth == 0 and (not self.blocks or self.blocks[-1][0] != "#text"):
            self.blocks.append((tag, [], []))
        return self.blocks[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.blocks.append((tag, [], []))
        block = self.blocks[-1]
        block[1].append(self.get_starttag_text() or f"<{tag}>")
        if tag not in VOID_TAGS:
            self.depth += 1
        elif tag == "br":
            block[2].append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.blocks.append((tag, [], []))
        self.blocks[-1][1].append(self.get_starttag_text() or f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS or self.depth == 0:
            return
        self.blocks[-1][1].append(f"</{tag}>")
        self.depth -= 1
        if tag in {"p", "li", "td", "th", "dt", "dd", "h2", "h3", "h4", "caption", "figcaption"}:
            self.blocks[-1][2].append(" ")

    def handle_data(self, data: str) -> None:
        if not data.strip() and self.depth == 0:
            return
        block = self._current("#text") if self.depth == 0 else self.blocks[-1]
        block[1].append(html.escape(data, quote=False))
        block[2].append(data)


def html_blocks(sanitised: str) -> list[Block]:
    """The top-level elements of sanitised HTML, each with a stable anchor (``passage-1``…)."""
    splitter = _BlockSplitter()
    splitter.feed(sanitised or "")
    splitter.close()
    blocks = []
    for index, (tag, parts, texts) in enumerate(splitter.blocks, start=1):
        text = re.sub(r"\s+", " ", "".join(texts)).strip()
        markup = "".join(parts)
        if tag == "#text":
            markup, tag = f"<p>{markup}</p>", "p"
        blocks.append(Block(f"passage-{index}", tag, markup, text))
    return blocks


def html_passages(sanitised: str) -> list[Passage]:
    """Citable passages: every block that is not a heading, labelled with the heading above it."""
    passages = []
    heading = ""
    for block in html_blocks(sanitised):
        if block.tag in HEADING_TAGS:
            heading = block.text
            continue
        if block.text:
            passages.append(Passage(block.anchor, heading, block.text))
    return passages


def transcript_paragraphs(transcript: str | None) -> list[str]:
    return [re.sub(r"\s+", " ", part).strip() for part in re.split(r"\n\s*\n", transcript or "") if part.strip()]


def transcript_passages(transcript: str | None, heading: str = "") -> list[Passage]:
    return [
        Passage(f"transcript-{index}", heading, text)
        for index, text in enumerate(transcript_paragraphs(transcript), start=1)
    ]


@dataclass(frozen=True)
class Cue:
    start_seconds: float
    text: str


class InvalidCaptions(ValueError):
    pass


def parse_webvtt(data: bytes) -> list[Cue]:
    """The cues of a WebVTT file; raises :class:`InvalidCaptions` when it is not one."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidCaptions("not UTF-8 text") from exc
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise InvalidCaptions("missing the WEBVTT header")
    try:
        captions = webvtt.from_string(text)
    except Exception as exc:  # the library raises several malformed-file errors
        raise InvalidCaptions(str(exc) or "malformed") from exc
    cues = [Cue(float(c.start_in_seconds), c.text.replace("\n", " ").strip()) for c in captions]
    if not cues:
        raise InvalidCaptions("no cues")
    return cues


def transcript_from_cues(cues: list[Cue], cues_per_paragraph: int = 4) -> str:
    """A readable transcript from caption cues (paragraphs of a few cues each)."""
    paragraphs = []
    for start in range(0, len(cues), cues_per_paragraph):
        paragraphs.append(" ".join(c.text for c in cues[start : start + cues_per_paragraph]))
    return "\n\n".join(paragraphs)


def plain_text(sanitised: str) -> str:
    return " ".join(block.text for block in html_blocks(sanitised))
