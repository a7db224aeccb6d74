"""Migration 0002 builds the same courses schema as the models, including the mentor's search index."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lms.extensions import db
from tests.conftest import database_url_for, make_app

COURSE_TABLES = {
    "course_modules",
    "lessons",
    "lesson_media",
    "practice_questions",
    "lesson_progress",
    "practice_attempts",
    "lab_submissions",
    "lab_submission_files",
    "mentor_passages",
    "mentor_exchanges",
    "course_prerequisites",
    "prerequisite_overrides",
    "course_versions",
    "enrolments",
}


@pytest.fixture
def migrated_app(tmp_path, committing_app):
    """An app on a database built by the migrations (asking for ``committing_app`` turns off the
    rolled-back test transaction, so ``db.session`` talks to this database)."""
    from flask_migrate import downgrade, upgrade

    app = make_app(database_url_for("migrate", tmp_path), tmp_path / "instance")
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(revision="0002")
        yield app
        downgrade(revision="0001")
        assert "lessons" not in sa.inspect(db.engine).get_table_names()
        downgrade(revision="base")
        db.engine.dispose()


def _include_name(name, type_, parent_names):
    if type_ == "table":
        return name in COURSE_TABLES
    return name != "ix_mentor_passages_search"


def _include_object(obj, name, type_, reflected, compare_to):
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return table is None or table.name in COURSE_TABLES


@pytest.mark.committing
def test_migration_matches_models_and_search_works(migrated_app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_name": _include_name, "include_object": _include_object},
        )
        differences = [d for d in compare_metadata(context, db.metadata)]
    assert differences == []

    from lms.courses.mentor.search import candidates

    with db.engine.begin() as connection:
        track = connection.execute(
            sa.text(
                "INSERT INTO certification_tracks (code, slug, names, summaries, validity_months, scheme_version, "
                "requires_course_completion, position, created_at, updated_at) VALUES "
                "('T', 't', '{}', '{}', 24, '1', true, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id"
            )
        ).scalar()
        course = connection.execute(
            sa.text(
                "INSERT INTO courses (track_id, code, slug, primary_language, is_active, created_at, updated_at) "
                "VALUES (:t, 'C', 'c', 'en', true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id"
            ),
            {"t": track},
        ).scalar()
        version = connection.execute(
            sa.text(
                "INSERT INTO course_versions (course_id, number, status, titles, descriptions, level, "
                "duration_hours, languages, delivery_modes, access_days, created_at, updated_at) VALUES "
                "(:c, 1, 'draft', '{}', '{}', 'foundation', 1, '[]', '[]', 1, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP) RETURNING id"
            ),
            {"c": course},
        ).scalar()
        module = connection.execute(
            sa.text(
                "INSERT INTO course_modules (course_version_id, position, titles, summaries, created_at, "
                "updated_at) VALUES (:v, 1, '{}', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id"
            ),
            {"v": version},
        ).scalar()
        lesson = connection.execute(
            sa.text(
                "INSERT INTO lessons (module_id, position, kind, move_on, duration_minutes, titles, bodies, "
                "transcripts, settings, created_at, updated_at) VALUES (:m, 1, 'ebook', 'completed', 5, '{}', "
                "'{}', '{}', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id"
            ),
            {"m": module},
        ).scalar()
        connection.execute(
            sa.text(
                "INSERT INTO mentor_passages (course_version_id, lesson_id, language, anchor, heading, text, "
                "search_text) VALUES (:v, :l, 'en', 'passage-1', '', 'Overfitting', 'overfit model')"
            ),
            {"v": version, "l": lesson},
        )
    assert [p.anchor for p in candidates(version, "en", ["overfit"])] == ["passage-1"]
    db.session.remove()
