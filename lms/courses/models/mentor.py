"""The AI mentor's search index (passages of lesson texts and transcripts) and its questions and answers.

Both databases search ``search_text`` (terms normalised per language, see ``lms.courses.mentor.terms``):
SQLite through an FTS5 table (``mentor_passages_fts``, external content, kept in step by triggers),
PostgreSQL through ``to_tsvector``/``to_tsquery`` with a GIN index.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.core.db import enum_column
from lms.core.time import utcnow
from lms.extensions import db


class MentorPassage(db.Model):
    __tablename__ = "mentor_passages"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_version_id: Mapped[int] = mapped_column(sa.ForeignKey("course_versions.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(sa.String(8))
    #: The element id the citation links to in the lesson player (``passage-3``, ``transcript-2``).
    anchor: Mapped[str] = mapped_column(sa.String(40))
    heading: Mapped[str] = mapped_column(sa.String(300), default="")
    text: Mapped[str] = mapped_column(sa.Text)
    #: ``heading`` and ``text`` reduced to normalised search terms (light stemming, Arabic letter
    #: forms, CJK bigrams); what SQLite's FTS5 indexes and what grounding is measured against.
    search_text: Mapped[str] = mapped_column(sa.Text, default="")

    __table_args__ = (sa.Index("ix_mentor_passages_version_language", "course_version_id", "language"),)


#: The FTS5 table and the triggers that keep it in step with ``mentor_passages`` (SQLite only).
SQLITE_FTS_DDL = (
    "CREATE VIRTUAL TABLE mentor_passages_fts USING fts5(search_text, content='mentor_passages', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER mentor_passages_ai AFTER INSERT ON mentor_passages BEGIN "
    "INSERT INTO mentor_passages_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER mentor_passages_ad AFTER DELETE ON mentor_passages BEGIN "
    "INSERT INTO mentor_passages_fts(mentor_passages_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER mentor_passages_au AFTER UPDATE ON mentor_passages BEGIN "
    "INSERT INTO mentor_passages_fts(mentor_passages_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO mentor_passages_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)
SQLITE_FTS_DROP = (
    "DROP TRIGGER IF EXISTS mentor_passages_au",
    "DROP TRIGGER IF EXISTS mentor_passages_ad",
    "DROP TRIGGER IF EXISTS mentor_passages_ai",
    "DROP TABLE IF EXISTS mentor_passages_fts",
)

#: PostgreSQL searches the same normalised terms with its own full-text engine, through a GIN index.
POSTGRES_SEARCH_INDEX = (
    "CREATE INDEX ix_mentor_passages_search ON mentor_passages "
    "USING gin (to_tsvector('simple'::regconfig, search_text))"
)

sa.event.listen(MentorPassage.__table__, "after_create", sa.DDL(POSTGRES_SEARCH_INDEX).execute_if(dialect="postgresql"))
for _statement in SQLITE_FTS_DDL:
    sa.event.listen(MentorPassage.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="sqlite"))
for _statement in SQLITE_FTS_DROP:
    sa.event.listen(MentorPassage.__table__, "before_drop", sa.DDL(_statement).execute_if(dialect="sqlite"))


class MentorReview(enum.StrEnum):
    UNREVIEWED = "unreviewed"
    GOOD = "good"
    NEEDS_WORK = "needs_work"
    WRONG = "wrong"


class MentorExchange(db.Model):
    """One question a learner asked the mentor and the answer it gave, kept for history and review."""

    __tablename__ = "mentor_exchanges"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    course_version_id: Mapped[int] = mapped_column(sa.ForeignKey("course_versions.id"), index=True)
    enrolment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(sa.String(8))
    question: Mapped[str] = mapped_column(sa.Text)
    answer: Mapped[str] = mapped_column(sa.Text)
    #: [{"n": 1, "lesson_id": …, "anchor": …, "title": …, "excerpt": …}]
    citations: Mapped[list[Any]] = mapped_column(default=list)
    #: False when the mentor refused ("not covered in this course").
    grounded: Mapped[bool] = mapped_column(default=True)
    #: "retrieval", or "llm:<model>" when the optional model wrote the answer.
    provider: Mapped[str] = mapped_column(sa.String(120), default="retrieval")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    review: Mapped[MentorReview] = mapped_column(enum_column(MentorReview, 16), default=MentorReview.UNREVIEWED)
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    review_note: Mapped[str | None] = mapped_column(sa.Text)
    reviewed_at: Mapped[datetime | None]
