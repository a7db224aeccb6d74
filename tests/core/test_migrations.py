"""Migrations: empty → head → base → head on each database, and no drift from the models."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from lms.core.db import DDL_ONLY_TABLE_PREFIXES, migration_include_name
from lms.extensions import db
from tests.conftest import TEST_DATABASE_URL, _postgres_database, make_app, worker_id

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "migrations")


@pytest.fixture
def empty_database_app(tmp_path):
    if TEST_DATABASE_URL:
        url = _postgres_database(TEST_DATABASE_URL, f"migrations_{worker_id()}")
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    else:
        url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    application = make_app(url, tmp_path / "instance")
    yield application
    with application.app_context():
        db.engine.dispose()


def _tables(application) -> set[str]:
    with application.app_context():
        names = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    return {name for name in names if not name.startswith(DDL_ONLY_TABLE_PREFIXES)}


def test_upgrade_downgrade_upgrade_and_no_drift(empty_database_app):
    application = empty_database_app
    with application.app_context():
        upgrade(directory=MIGRATIONS)
    assert _tables(application) == set(db.metadata.tables)
    with application.app_context():
        downgrade(directory=MIGRATIONS, revision="base")
    assert _tables(application) == set()
    with application.app_context():
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": migration_include_name}
            )
            differences = compare_metadata(context, db.metadata)
    assert differences == [], f"models and migrations differ: {differences}"
