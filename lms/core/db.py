"""Database base classes, types and the locking rules for both run modes.

SQLite (embedded) and PostgreSQL (scale) run the same code. Two differences are handled here:

* SQLite's driver opens transactions lazily and cannot upgrade a read transaction to a writer
  safely under WAL. We emit ``BEGIN`` ourselves: ``BEGIN IMMEDIATE`` for requests that change state
  (POST/PUT/PATCH/DELETE), tasks and CLI commands, a deferred ``BEGIN`` for reads. A read path that
  must write calls :func:`ensure_write_lock`. A state-changing view marked :func:`reads_first` begins
  deferred too: it does its slow reading (a password check, validating an answer) without the lock
  every writer queues for, and calls :func:`ensure_write_lock` before its first write.
* Locks on one row (a class, an attempt) are ``SELECT … FOR UPDATE`` on PostgreSQL and the database
  write lock on SQLite (one writer at a time), both released at commit.
* SQLite writers queue for that lock in the kernel (:class:`WriterQueue`), not in SQLite's busy
  handler, which polls with sleeps of up to 100 ms and leaves the lock idle under a burst of writers.
"""

from __future__ import annotations

import enum
import fcntl
import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import abort, current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

from lms.core.time import as_utc, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Set by :func:`reads_first` on a view that reads first and locks later.
READS_FIRST_ATTRIBUTE = "lms_reads_first"
_begin_immediate: ContextVar[bool] = ContextVar("lms_sqlite_begin_immediate", default=False)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on both databases; naive values are refused on the way in."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use lms.core.time.utcnow()")
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


def enum_column(enum_class: type[enum.Enum], length: int = 32) -> sa.Enum:
    """An enum stored as its lower-case *values* in a VARCHAR (readable in SQL, portable, no DDL enum)."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), dict[str, Any]: sa.JSON(), list[Any]: sa.JSON()},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


ModelT = TypeVar("ModelT")
ViewT = TypeVar("ViewT", bound=Callable[..., Any])


# --- SQLite transaction control -------------------------------------------------------------


class WriterQueue:
    """Where the SQLite writers of every process wait their turn: an exclusive ``flock`` on a file beside
    the database, taken just before ``BEGIN IMMEDIATE`` and released right after ``COMMIT``/``ROLLBACK``.

    Waiting happens in the kernel, which wakes a waiter the moment the lock is released, so the database
    lock never sits idle while writers sleep in SQLite's busy handler. It only orders writers: SQLite's
    own lock still decides (a writer that bypasses the queue, such as a read transaction that writes
    without :func:`ensure_write_lock`, waits in the busy handler as before).
    """

    _held = threading.local()  # a thread already in the queue (through another connection) skips it

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        self.holding = False

    def acquire(self) -> None:
        if self.holding or getattr(self._held, "depth", 0):
            return
        fcntl.flock(self.fd, fcntl.LOCK_EX)  # blocks without the GIL until the current writer is done
        self.holding = True
        self._held.depth = 1

    def release(self) -> None:
        if self.holding:
            self.holding = False
            self._held.depth = 0
            fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self.release()
        os.close(self.fd)


class QueuedSQLiteConnection(sqlite3.Connection):
    """A pysqlite connection that leaves the :class:`WriterQueue` when its transaction ends."""

    writer_queue: WriterQueue | None = None

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            if self.writer_queue is not None:
                self.writer_queue.release()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            if self.writer_queue is not None:
                self.writer_queue.release()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.writer_queue is not None:
                self.writer_queue.close()
                self.writer_queue = None


def configure_engine_events(engine: Engine) -> None:
    """Install the SQLite pragmas and our own BEGIN on an engine (no-op for PostgreSQL)."""
    if engine.dialect.name != "sqlite":
        return
    database = engine.url.database
    queue_path = f"{database}.writers" if database and database != ":memory:" and "mode=memory" not in database else ""

    @event.listens_for(engine, "do_connect")
    def _use_queued_connections(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
        if queue_path:
            cparams["factory"] = QueuedSQLiteConnection

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so BEGIN, SAVEPOINT and RELEASE are ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
        if isinstance(dbapi_connection, QueuedSQLiteConnection):
            dbapi_connection.writer_queue = WriterQueue(queue_path)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        immediate = wants_write_transaction()
        queue = getattr(connection.connection.dbapi_connection, "writer_queue", None) if immediate else None
        if queue is not None:
            queue.acquire()
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        except BaseException:
            if queue is not None:
                queue.release()
            raise
        connection.info["lms_immediate"] = immediate


def reads_first(view: ViewT) -> ViewT:
    """Mark a state-changing view that reads before it writes (SQLite begins its transaction deferred).

    For views that often answer after reading alone (a checkout refusing a full class, a sign-in with
    a wrong password) and hold a lock only for a short write at their end: those answers never queue
    for the database write lock. The view (or the services it calls) must call
    :func:`ensure_write_lock` (which ``lock_row`` and the class lock call) before its first write and
    re-check under the lock whatever it read that a concurrent writer could have changed: a deferred
    SQLite transaction cannot safely become a writer. No-op on PostgreSQL.
    """
    setattr(view, READS_FIRST_ATTRIBUTE, True)
    return view


def request_changes_state() -> bool:
    """This request is a POST/PUT/PATCH/DELETE (it writes anyway, so small extra writes ride along)."""
    return has_request_context() and request.method not in READ_METHODS


def wants_write_transaction() -> bool:
    if _begin_immediate.get():
        return True
    if not request_changes_state():
        return False
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return not getattr(view, READS_FIRST_ATTRIBUTE, False)


@contextmanager
def write_transactions() -> Iterator[None]:
    """Within this block, SQLite transactions begin IMMEDIATE (tasks and CLI commands use it)."""
    token = _begin_immediate.set(True)
    try:
        yield
    finally:
        _begin_immediate.reset(token)


def ensure_write_lock() -> None:
    """Hold the SQLite write lock from here to commit; on PostgreSQL this is a no-op.

    A deferred read transaction that has not written yet is ended and restarted as IMMEDIATE; the
    objects it loaded are expired and reload on access, so the caller re-reads under the lock.
    """
    from lms.extensions import db

    session = db.session
    if session.get_bind().dialect.name != "sqlite":
        return
    _begin_immediate.set(True)
    connection = session.connection()
    if connection.info.get("lms_immediate") or session.info.get("lms_wrote"):
        return
    if session.new or session.dirty or session.deleted:
        # Pending changes: flushing takes the write lock (and waits for it) — nothing to restart.
        session.flush()
        return
    session.rollback()


def lock_row(model: type[ModelT], ident: Any) -> ModelT | None:
    """Load one row holding a lock on it until commit (FOR UPDATE / SQLite write lock)."""
    from lms.extensions import db

    ensure_write_lock()
    stmt = sa.select(model).where(model.id == ident)  # type: ignore[attr-defined]
    if db.session.get_bind().dialect.name != "sqlite":
        stmt = stmt.with_for_update()
    return db.session.execute(stmt.execution_options(populate_existing=True)).scalar_one_or_none()


def advisory_lock(name: str) -> None:
    """Serialise a named critical section until commit (PostgreSQL advisory lock / SQLite write lock)."""
    from lms.extensions import db

    ensure_write_lock()
    if db.session.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def get_or_404(model: type[ModelT], ident: Any) -> ModelT:
    from lms.extensions import db

    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


def install_session_events(session_class: type) -> None:
    @event.listens_for(session_class, "after_flush")
    def _mark_written(session: Any, _ctx: Any) -> None:
        session.info["lms_wrote"] = True

    @event.listens_for(session_class, "after_transaction_end")
    def _clear_written(session: Any, transaction: Any) -> None:
        if transaction.parent is None:
            session.info.pop("lms_wrote", None)


#: Objects created by dialect-specific DDL in migrations rather than by the models' metadata: the
#: mentor's FTS5 table (and its shadow tables) on SQLite and its GIN expression index on PostgreSQL.
DDL_ONLY_TABLE_PREFIXES = ("mentor_passages_fts",)
DDL_ONLY_INDEXES = frozenset({"ix_mentor_passages_search"})


def migration_include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's ``include_name``: leave DDL-only objects out of autogenerate's comparison."""
    if type_ == "table" and name and name.startswith(DDL_ONLY_TABLE_PREFIXES):
        return False
    return not (type_ == "index" and name in DDL_ONLY_INDEXES)
