"""SQLite writers queue in the kernel for the write lock: a second writer waits for the first to commit,
then writes (no "database is locked")."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from lms.core.db import write_transactions
from lms.extensions import db

pytestmark = pytest.mark.committing


def test_a_second_writer_waits_for_the_first_and_then_writes(committing_app):
    with committing_app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the writer queue is SQLite's")
        db.session.execute(sa.text("CREATE TABLE queue_probe (n INTEGER)"))
        db.session.commit()
    order: list[str] = []
    first_holds = threading.Event()

    def first() -> None:
        with committing_app.app_context(), write_transactions():
            db.session.execute(sa.text("INSERT INTO queue_probe VALUES (1)"))
            first_holds.set()
            time.sleep(0.3)
            order.append("first commits")
            db.session.commit()

    def second() -> None:
        first_holds.wait(10)
        with committing_app.app_context(), write_transactions():
            db.session.execute(sa.text("INSERT INTO queue_probe VALUES (2)"))
            order.append("second writes")
            db.session.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert order == ["first commits", "second writes"]
    with committing_app.app_context():
        assert db.session.execute(sa.text("SELECT n FROM queue_probe ORDER BY n")).scalars().all() == [1, 2]
