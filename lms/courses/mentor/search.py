"""Finding passages: one interface, two engines (SQLite FTS5, PostgreSQL full-text search).

Both look for the question's normalised terms as prefixes in the passages of one course version and
language and rank the hits (bm25 / ts_rank_cd); :func:`grounded_passages` then keeps only passages that
cover enough of the question to ground an answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from lms.courses.models import MentorPassage
from lms.extensions import db

CANDIDATES = 20
#: Share of the question's distinct terms a passage must contain to ground an answer.
MIN_COVERAGE = 0.5


def _prefix(term: str) -> str:
    # A shorter prefix meets other forms of the word (stems differ across inflections).
    return term if len(term) <= 5 else term[: max(5, len(term) - 2)]


def _candidates_sqlite(course_version_id: int, language: str, query_terms: list[str]) -> list[MentorPassage]:
    match = " OR ".join('"{}"*'.format(_prefix(t).replace('"', "")) for t in query_terms)
    rows = db.session.execute(
        sa.text(
            "SELECT p.id FROM mentor_passages_fts JOIN mentor_passages p ON p.id = mentor_passages_fts.rowid "
            "WHERE mentor_passages_fts MATCH :match AND p.course_version_id = :version AND p.language = :language "
            "ORDER BY bm25(mentor_passages_fts) LIMIT :limit"
        ),
        {"match": match, "version": course_version_id, "language": language, "limit": CANDIDATES},
    ).scalars()
    return _load(list(rows))


def _candidates_postgres(course_version_id: int, language: str, query_terms: list[str]) -> list[MentorPassage]:
    # Terms are \w+ only (see terms.py), so they are safe inside to_tsquery's syntax.
    query = " | ".join(f"{_prefix(t)}:*" for t in query_terms)
    vector = sa.func.to_tsvector(sa.literal_column("'simple'::regconfig"), MentorPassage.search_text)
    tsquery = sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), query)
    rows = db.session.execute(
        sa.select(MentorPassage.id)
        .where(
            MentorPassage.course_version_id == course_version_id,
            MentorPassage.language == language,
            vector.bool_op("@@")(tsquery),
        )
        .order_by(sa.func.ts_rank_cd(vector, tsquery).desc(), MentorPassage.id)
        .limit(CANDIDATES)
    ).scalars()
    return _load(list(rows))


def _load(ids: list[int]) -> list[MentorPassage]:
    if not ids:
        return []
    by_id = {p.id: p for p in db.session.execute(sa.select(MentorPassage).where(MentorPassage.id.in_(ids))).scalars()}
    return [by_id[i] for i in ids if i in by_id]


def candidates(course_version_id: int, language: str, query_terms: list[str]) -> list[MentorPassage]:
    """Passages that share at least one term with the question, best first."""
    if not query_terms:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        return _candidates_postgres(course_version_id, language, query_terms)
    return _candidates_sqlite(course_version_id, language, query_terms)


def _matches(term: str, tokens: set[str]) -> bool:
    prefix = _prefix(term)
    return any(token.startswith(prefix) or (len(token) >= 4 and term.startswith(token)) for token in tokens)


def coverage(query_terms: list[str], passage_terms: set[str]) -> float:
    if not query_terms:
        return 0.0
    return sum(1 for t in query_terms if _matches(t, passage_terms)) / len(query_terms)


@dataclass(frozen=True)
class Hit:
    passage: MentorPassage
    coverage: float


def grounded_passages(course_version_id: int, language: str, query_terms: list[str], limit: int = 3) -> list[Hit]:
    """The best passages that cover at least half of the question's terms (none: the mentor refuses)."""
    hits = []
    for rank, passage in enumerate(candidates(course_version_id, language, query_terms)):
        covered = coverage(query_terms, set(passage.search_text.split()))
        if covered >= MIN_COVERAGE:
            hits.append((covered, -rank, passage))
    hits.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [Hit(passage, covered) for covered, _rank, passage in hits[:limit]]
