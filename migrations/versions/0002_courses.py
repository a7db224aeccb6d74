"""courses: courseware, progress, labs, practice quizzes, prerequisites, the AI mentor's index and history

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 21:41:54.598527

The mentor's passages are searched through an FTS5 table on SQLite and a GIN full-text index on
PostgreSQL (see lms/courses/models/mentor.py); both are created here for their dialect only.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# Copied from lms/courses/models/mentor.py (migrations import no application code).
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


def upgrade():
    op.create_table('course_prerequisites',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('required_course_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('course_id <> required_course_id', name=op.f('ck_course_prerequisites_not_self')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_prerequisites_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['required_course_id'], ['courses.id'], name=op.f('fk_course_prerequisites_required_course_id_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_id', 'required_course_id', name=op.f('pk_course_prerequisites'))
    )
    with op.batch_alter_table('course_prerequisites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_prerequisites_required_course_id'), ['required_course_id'], unique=False)

    op.create_table('prerequisite_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_prerequisite_overrides_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_prerequisite_overrides_granted_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_prerequisite_overrides_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prerequisite_overrides'))
    )
    with op.batch_alter_table('prerequisite_overrides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prerequisite_overrides_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prerequisite_overrides_user_id'), ['user_id'], unique=False)

    op.create_table('course_modules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('titles', sa.JSON(), nullable=False),
    sa.Column('summaries', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_version_id'], ['course_versions.id'], name=op.f('fk_course_modules_course_version_id_course_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_modules'))
    )
    with op.batch_alter_table('course_modules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_modules_course_version_id'), ['course_version_id'], unique=False)

    op.create_table('lessons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('video', 'ebook', 'podcast', 'case_lab', 'quiz', 'mentor', name='lessonkind', native_enum=False, length=16), nullable=False),
    sa.Column('move_on', sa.Enum('viewed', 'completed', 'passed', 'completed_or_passed', 'not_applicable', name='moveon', native_enum=False, length=24), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('titles', sa.JSON(), nullable=False),
    sa.Column('bodies', sa.JSON(), nullable=False),
    sa.Column('transcripts', sa.JSON(), nullable=False),
    sa.Column('media_url', sa.String(length=500), nullable=True),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['course_modules.id'], name=op.f('fk_lessons_module_id_course_modules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lessons'))
    )
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lessons_module_id'), ['module_id'], unique=False)

    op.create_table('lab_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'needs_revision', 'passed', name='labstatus', native_enum=False, length=16), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('grader_id', sa.Integer(), nullable=True),
    sa.Column('graded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('criterion_comments', sa.JSON(), nullable=False),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_lab_submissions_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grader_id'], ['users.id'], name=op.f('fk_lab_submissions_grader_id_users')),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_lab_submissions_lesson_id_lessons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lab_submissions')),
    sa.UniqueConstraint('enrolment_id', 'lesson_id', 'number', name=op.f('uq_lab_submissions_enrolment_id_lesson_id_number'))
    )
    with op.batch_alter_table('lab_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_submissions_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lab_submissions_lesson_id'), ['lesson_id'], unique=False)

    op.create_table('lesson_media',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('video', 'audio', 'pdf', 'captions', 'image', 'attachment', name='mediarole', native_enum=False, length=16), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_lesson_media_lesson_id_lessons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_media'))
    )
    with op.batch_alter_table('lesson_media', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_media_lesson_id'), ['lesson_id'], unique=False)

    op.create_table('lesson_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('viewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('passed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('satisfied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('best_score', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_lesson_progress_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_lesson_progress_lesson_id_lessons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_progress')),
    sa.UniqueConstraint('enrolment_id', 'lesson_id', name=op.f('uq_lesson_progress_enrolment_id_lesson_id'))
    )
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_progress_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lesson_progress_lesson_id'), ['lesson_id'], unique=False)

    op.create_table('mentor_exchanges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_version_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('citations', sa.JSON(), nullable=False),
    sa.Column('grounded', sa.Boolean(), nullable=False),
    sa.Column('provider', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('review', sa.Enum('unreviewed', 'good', 'needs_work', 'wrong', name='mentorreview', native_enum=False, length=16), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['course_version_id'], ['course_versions.id'], name=op.f('fk_mentor_exchanges_course_version_id_course_versions')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_mentor_exchanges_enrolment_id_enrolments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_mentor_exchanges_reviewer_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mentor_exchanges_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_exchanges'))
    )
    with op.batch_alter_table('mentor_exchanges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_exchanges_course_version_id'), ['course_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_exchanges_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_exchanges_user_id'), ['user_id'], unique=False)

    op.create_table('mentor_passages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_version_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('anchor', sa.String(length=40), nullable=False),
    sa.Column('heading', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['course_version_id'], ['course_versions.id'], name=op.f('fk_mentor_passages_course_version_id_course_versions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_mentor_passages_lesson_id_lessons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_passages'))
    )
    with op.batch_alter_table('mentor_passages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_passages_lesson_id'), ['lesson_id'], unique=False)
        batch_op.create_index('ix_mentor_passages_version_language', ['course_version_id', 'language'], unique=False)

    op.create_table('practice_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.Column('score_percent', sa.Integer(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_practice_attempts_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_practice_attempts_lesson_id_lessons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_attempts'))
    )
    with op.batch_alter_table('practice_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_attempts_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_attempts_lesson_id'), ['lesson_id'], unique=False)

    op.create_table('practice_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('qtype', sa.String(length=32), nullable=False),
    sa.Column('contents', sa.JSON(), nullable=False),
    sa.Column('key', sa.JSON(), nullable=False),
    sa.Column('explanations', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_practice_questions_lesson_id_lessons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_questions'))
    )
    with op.batch_alter_table('practice_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_questions_lesson_id'), ['lesson_id'], unique=False)

    op.create_table('lab_submission_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['lab_submissions.id'], name=op.f('fk_lab_submission_files_submission_id_lab_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lab_submission_files'))
    )
    with op.batch_alter_table('lab_submission_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_submission_files_submission_id'), ['submission_id'], unique=False)

    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attendance_threshold', sa.Integer(), server_default='80', nullable=False))
        batch_op.create_check_constraint('attendance_threshold_percent', 'attendance_threshold BETWEEN 0 AND 100')

    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meetings_attended', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('meetings_held', sa.Integer(), server_default='0', nullable=False))



    _create_search_index()


def _create_search_index():
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for statement in SQLITE_FTS_DDL:
            op.execute(statement)
    elif dialect == 'postgresql':
        op.execute(
            "CREATE INDEX ix_mentor_passages_search ON mentor_passages "
            "USING gin (to_tsvector('simple'::regconfig, search_text))"
        )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for statement in SQLITE_FTS_DROP:
            op.execute(statement)
    elif dialect == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_mentor_passages_search")
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_column('meetings_held')
        batch_op.drop_column('meetings_attended')

    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.drop_constraint('attendance_threshold_percent', type_='check')
        batch_op.drop_column('attendance_threshold')

    with op.batch_alter_table('lab_submission_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lab_submission_files_submission_id'))

    op.drop_table('lab_submission_files')
    with op.batch_alter_table('practice_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_questions_lesson_id'))

    op.drop_table('practice_questions')
    with op.batch_alter_table('practice_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_attempts_lesson_id'))
        batch_op.drop_index(batch_op.f('ix_practice_attempts_enrolment_id'))

    op.drop_table('practice_attempts')
    with op.batch_alter_table('mentor_passages', schema=None) as batch_op:
        batch_op.drop_index('ix_mentor_passages_version_language')
        batch_op.drop_index(batch_op.f('ix_mentor_passages_lesson_id'))

    op.drop_table('mentor_passages')
    with op.batch_alter_table('mentor_exchanges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_exchanges_user_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_exchanges_created_at'))
        batch_op.drop_index(batch_op.f('ix_mentor_exchanges_course_version_id'))

    op.drop_table('mentor_exchanges')
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_progress_lesson_id'))
        batch_op.drop_index(batch_op.f('ix_lesson_progress_enrolment_id'))

    op.drop_table('lesson_progress')
    with op.batch_alter_table('lesson_media', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_media_lesson_id'))

    op.drop_table('lesson_media')
    with op.batch_alter_table('lab_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lab_submissions_lesson_id'))
        batch_op.drop_index(batch_op.f('ix_lab_submissions_enrolment_id'))

    op.drop_table('lab_submissions')
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lessons_module_id'))

    op.drop_table('lessons')
    with op.batch_alter_table('course_modules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_modules_course_version_id'))

    op.drop_table('course_modules')
    with op.batch_alter_table('prerequisite_overrides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prerequisite_overrides_user_id'))
        batch_op.drop_index(batch_op.f('ix_prerequisite_overrides_course_id'))

    op.drop_table('prerequisite_overrides')
    with op.batch_alter_table('course_prerequisites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_prerequisites_required_course_id'))

    op.drop_table('course_prerequisites')

