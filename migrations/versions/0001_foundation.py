"""foundation

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-21 21:23:00.100054

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('certification_tracks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('names', sa.JSON(), nullable=False),
    sa.Column('summaries', sa.JSON(), nullable=False),
    sa.Column('validity_months', sa.Integer(), nullable=False),
    sa.Column('scheme_version', sa.String(length=20), nullable=False),
    sa.Column('requires_course_completion', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certification_tracks')),
    sa.UniqueConstraint('code', name=op.f('uq_certification_tracks_code')),
    sa.UniqueConstraint('slug', name=op.f('uq_certification_tracks_slug'))
    )
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('certification_body', 'training_partner', 'academic_partner', 'association', 'enterprise_client', name='organisationkind', native_enum=False, length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('city', sa.String(length=120), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('status', sa.Enum('applied', 'active', 'rejected', 'suspended', 'offboarded', name='organisationstatus', native_enum=False, length=16), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['organisations.id'], name=op.f('fk_organisations_parent_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('slug', name=op.f('uq_organisations_slug'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_parent_id'), ['parent_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('legal_name', sa.String(length=200), nullable=False),
    sa.Column('legal_name_latin', sa.String(length=200), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('email_verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_users_email_lowercase')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('subject_type', sa.String(length=60), nullable=True),
    sa.Column('subject_id', sa.String(length=80), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('ip_address', sa.String(length=64), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_audit_events_partner_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_events_hash'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index('ix_audit_events_subject', ['subject_type', 'subject_id'], unique=False)

    op.create_table('courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('primary_language', sa.String(length=8), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['track_id'], ['certification_tracks.id'], name=op.f('fk_courses_track_id_certification_tracks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courses')),
    sa.UniqueConstraint('code', name=op.f('uq_courses_code')),
    sa.UniqueConstraint('slug', name=op.f('uq_courses_slug'))
    )
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_courses_track_id'), ['track_id'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('learner', 'instructor', 'proctor', 'partner_manager', 'partner_admin', 'affiliate', 'staff', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_memberships_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('user_id', 'organisation_id', 'role', name=op.f('uq_memberships_user_id_organisation_id_role'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_user_id'), ['user_id'], unique=False)

    op.create_table('course_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'retired', name='courseversionstatus', native_enum=False, length=16), nullable=False),
    sa.Column('titles', sa.JSON(), nullable=False),
    sa.Column('descriptions', sa.JSON(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('duration_hours', sa.Integer(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('delivery_modes', sa.JSON(), nullable=False),
    sa.Column('access_days', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_versions_course_id_courses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_versions')),
    sa.UniqueConstraint('course_id', 'number', name=op.f('uq_course_versions_course_id_number'))
    )
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_versions_course_id'), ['course_id'], unique=False)

    op.create_table('course_prices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_version_id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('list_amount', sa.Integer(), nullable=False),
    sa.Column('academic_amount', sa.Integer(), nullable=True),
    sa.Column('association_amount', sa.Integer(), nullable=True),
    sa.CheckConstraint('list_amount >= 0', name=op.f('ck_course_prices_list_amount_not_negative')),
    sa.ForeignKeyConstraint(['course_version_id'], ['course_versions.id'], name=op.f('fk_course_prices_course_version_id_course_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_prices')),
    sa.UniqueConstraint('course_version_id', 'currency', name=op.f('uq_course_prices_course_version_id_currency'))
    )
    with op.batch_alter_table('course_prices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_prices_course_version_id'), ['course_version_id'], unique=False)

    op.create_table('partner_brandings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('primary_colour', sa.String(length=7), nullable=False),
    sa.Column('secondary_colour', sa.String(length=7), nullable=False),
    sa.Column('logo_key', sa.String(length=255), nullable=True),
    sa.Column('signatory_name', sa.String(length=200), nullable=True),
    sa.Column('signatory_title', sa.String(length=200), nullable=True),
    sa.Column('signature_key', sa.String(length=255), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_partner_brandings_partner_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_brandings')),
    sa.UniqueConstraint('partner_id', name=op.f('uq_partner_brandings_partner_id'))
    )
    with op.batch_alter_table('partner_brandings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_brandings_partner_id'), ['partner_id'], unique=False)

    op.create_table('training_classes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_version_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'cancelled', 'completed', name='classstatus', native_enum=False, length=16), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_training_classes_capacity_not_negative')),
    sa.ForeignKeyConstraint(['course_version_id'], ['course_versions.id'], name=op.f('fk_training_classes_course_version_id_course_versions')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_training_classes_partner_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_classes'))
    )
    with op.batch_alter_table('training_classes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_classes_course_version_id'), ['course_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_classes_partner_id'), ['partner_id'], unique=False)

    op.create_table('class_staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('instructor', 'proctor', name='classstaffrole', native_enum=False, length=16), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_class_staff_class_id_training_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_class_staff_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_staff')),
    sa.UniqueConstraint('class_id', 'user_id', 'role', name=op.f('uq_class_staff_class_id_user_id_role'))
    )
    with op.batch_alter_table('class_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_staff_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_class_staff_user_id'), ['user_id'], unique=False)

    op.create_table('enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_version_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'active', 'completed', 'expired', 'cancelled', 'transferred', name='enrolmentstatus', native_enum=False, length=16), nullable=False),
    sa.Column('source', sa.Enum('purchase', 'voucher', 'partner', 'cohort', 'staff', name='enrolmentsource', native_enum=False, length=16), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('reseller_id', sa.Integer(), nullable=True),
    sa.Column('class_id', sa.Integer(), nullable=True),
    sa.Column('origin_ref', sa.String(length=80), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('access_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_enrolments_class_id_training_classes')),
    sa.ForeignKeyConstraint(['course_version_id'], ['course_versions.id'], name=op.f('fk_enrolments_course_version_id_course_versions')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_enrolments_partner_id_organisations')),
    sa.ForeignKeyConstraint(['reseller_id'], ['organisations.id'], name=op.f('fk_enrolments_reseller_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_enrolments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolments'))
    )
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolments_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolments_course_version_id'), ['course_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolments_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolments_reseller_id'), ['reseller_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolments_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_enrolments_one_live_per_version', ['user_id', 'course_version_id'], unique=True, sqlite_where=sa.text("status IN ('pending', 'active', 'completed')"), postgresql_where=sa.text("status IN ('pending', 'active', 'completed')"))




def downgrade():

    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_index('uq_enrolments_one_live_per_version', sqlite_where=sa.text("status IN ('pending', 'active', 'completed')"), postgresql_where=sa.text("status IN ('pending', 'active', 'completed')"))
        batch_op.drop_index(batch_op.f('ix_enrolments_user_id'))
        batch_op.drop_index(batch_op.f('ix_enrolments_reseller_id'))
        batch_op.drop_index(batch_op.f('ix_enrolments_partner_id'))
        batch_op.drop_index(batch_op.f('ix_enrolments_course_version_id'))
        batch_op.drop_index(batch_op.f('ix_enrolments_class_id'))

    op.drop_table('enrolments')
    with op.batch_alter_table('class_staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_staff_user_id'))
        batch_op.drop_index(batch_op.f('ix_class_staff_class_id'))

    op.drop_table('class_staff')
    with op.batch_alter_table('training_classes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_classes_partner_id'))
        batch_op.drop_index(batch_op.f('ix_training_classes_course_version_id'))

    op.drop_table('training_classes')
    with op.batch_alter_table('course_prices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_prices_course_version_id'))

    op.drop_table('course_prices')
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_versions_course_id'))

    op.drop_table('course_versions')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_memberships_organisation_id'))

    op.drop_table('memberships')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_courses_track_id'))

    op.drop_table('courses')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_subject')
        batch_op.drop_index(batch_op.f('ix_audit_events_partner_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))

    op.drop_table('audit_events')
    with op.batch_alter_table('partner_brandings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_brandings_partner_id'))

    op.drop_table('partner_brandings')
    op.drop_table('users')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_parent_id'))

    op.drop_table('organisations')
    op.drop_table('certification_tracks')

