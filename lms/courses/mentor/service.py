"""Asking the mentor and reviewing its answers."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from lms.core import audit
from lms.core.errors import DomainError
from lms.core.time import utcnow
from lms.courses.mentor import provider
from lms.courses.mentor.index import indexed_languages
from lms.courses.mentor.search import Hit, grounded_passages
from lms.courses.mentor.terms import distinct_terms, terms
from lms.courses.models import CourseVersion, Enrolment, Lesson, MentorExchange, MentorPassage, MentorReview
from lms.extensions import db

log = logging.getLogger(__name__)

MIN_QUESTION = 3
MAX_QUESTION = 1000


def not_covered() -> str:
    return _(
        "This is not covered in this course, so I will not guess. "
        "Try asking about a topic from its lessons, or ask your instructor."
    )


_SENTENCE = re.compile(r"(?<=[.!?؟。])\s+")


@dataclass(frozen=True)
class Citation:
    number: int
    lesson_id: int
    anchor: str
    title: str
    excerpt: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.number,
            "lesson_id": self.lesson_id,
            "anchor": self.anchor,
            "title": self.title,
            "excerpt": self.excerpt,
        }


def _best_sentences(text: str, language: str, query_terms: list[str]) -> str:
    """The sentence that answers best, with the sentence before it for context (or after it, if first)."""
    sentences = [s.strip() for s in _SENTENCE.split(text) if s.strip()]
    if len(sentences) <= 2:
        return " ".join(sentences)
    wanted = set(query_terms)
    best = max(range(len(sentences)), key=lambda i: (len(wanted & set(terms(sentences[i], language))), -i))
    start = best - 1 if best > 0 else best
    return " ".join(sentences[start : start + 2])


def _citations(hits: list[Hit], language: str) -> list[Citation]:
    citations = []
    for number, hit in enumerate(hits, start=1):
        passage: MentorPassage = hit.passage
        lesson = db.session.get(Lesson, passage.lesson_id)
        title = lesson.title(language) if lesson else passage.heading
        if passage.heading and passage.heading != title:
            title = f"{title} — {passage.heading}"
        excerpt = passage.text if len(passage.text) <= 240 else passage.text[:237].rsplit(" ", 1)[0] + "…"
        citations.append(Citation(number, passage.lesson_id, passage.anchor, title, excerpt))
    return citations


def compose(hits: list[Hit], language: str, query_terms: list[str]) -> str:
    """An answer made of the best sentences of each passage, each followed by its citation number."""
    parts = []
    for number, hit in enumerate(hits, start=1):
        parts.append(f"{_best_sentences(hit.passage.text, language, query_terms)} [{number}]")
    return "\n\n".join(parts)


def _search_languages(version: CourseVersion, locale: str) -> list[str]:
    available = indexed_languages(version.id)
    ordered = [locale, version.course.primary_language, *sorted(available)]
    seen: list[str] = []
    for language in ordered:
        if language in available and language not in seen:
            seen.append(language)
    return seen


def ask(
    *,
    user_id: int,
    version: CourseVersion,
    question: str,
    locale: str,
    enrolment: Enrolment | None = None,
) -> MentorExchange:
    """Answer ``question`` from ``version``'s texts (in the learner's language where they exist) and store it."""
    question = re.sub(r"\s+", " ", question or "").strip()
    if len(question) < MIN_QUESTION:
        raise DomainError(_("Write a question first."), field="question")
    if len(question) > MAX_QUESTION:
        raise DomainError(_("Keep your question under %(max)d characters.", max=MAX_QUESTION), field="question")

    hits: list[Hit] = []
    language = locale
    query_terms: list[str] = []
    for candidate_language in _search_languages(version, locale):
        query_terms = distinct_terms(question, candidate_language)
        hits = grounded_passages(version.id, candidate_language, query_terms)
        if hits:
            language = candidate_language
            break

    exchange = MentorExchange(
        user_id=user_id,
        course_version_id=version.id,
        enrolment_id=enrolment.id if enrolment else None,
        language=language,
        question=question,
        provider="retrieval",
    )
    if not hits:
        exchange.grounded = False
        exchange.answer = not_covered()
        exchange.citations = []
    else:
        citations = _citations(hits, language)
        exchange.grounded = True
        exchange.citations = [c.as_dict() for c in citations]
        exchange.answer = compose(hits, language, query_terms)
        if provider.configured():
            try:
                written = provider.complete(
                    question,
                    [
                        provider.ProviderPassage(c.number, c.title, h.passage.text)
                        for c, h in zip(citations, hits, strict=True)
                    ],
                    locale,
                )
            except provider.ProviderError:
                log.warning("mentor model unavailable; answering from retrieval", exc_info=True)
            else:
                exchange.provider = f"llm:{provider.model_name()}"[:120]
                if written is None:
                    exchange.grounded = False
                    exchange.citations = []
                    exchange.answer = not_covered()
                else:
                    exchange.answer = written
    db.session.add(exchange)
    db.session.flush()
    return exchange


def review(exchange_id: int, *, reviewer_id: int, verdict: MentorReview, note: str = "") -> MentorExchange:
    exchange = db.session.get(MentorExchange, exchange_id)
    if exchange is None:
        raise DomainError(_("This question does not exist."))
    exchange.review = verdict
    exchange.review_note = (note or "").strip()[:2000] or None
    exchange.reviewer_id = reviewer_id
    exchange.reviewed_at = utcnow()
    db.session.flush()
    audit.record("mentor.reviewed", actor_id=reviewer_id, subject=exchange, details={"verdict": verdict.value})
    return exchange
