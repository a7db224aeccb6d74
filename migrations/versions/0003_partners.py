"""partners: applications, branding, classes and meetings, seats and holds, allotments, waiting lists,
orders, refunds, the ledger, vouchers, cohorts, member rosters.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 22:36:31.419438

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ledger_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('payments', 'body', 'partner', 'affiliate', name='accountkind', native_enum=False, length=16), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_accounts')),
    sa.UniqueConstraint('kind', 'owner_id', name=op.f('uq_ledger_accounts_kind_owner_id'))
    )
    op.create_table('calendar_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_tokens_token_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_tokens_user_id'))
    )
    op.create_table('cohorts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['organisations.id'], name=op.f('fk_cohorts_client_id_organisations')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_cohorts_created_by_users')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_cohorts_partner_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohorts'))
    )
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohorts_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohorts_partner_id'), ['partner_id'], unique=False)

    op.create_table('partner_agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('own_partner_bp', sa.Integer(), nullable=False),
    sa.Column('own_body_bp', sa.Integer(), nullable=False),
    sa.Column('resale_delivering_bp', sa.Integer(), nullable=False),
    sa.Column('resale_reseller_bp', sa.Integer(), nullable=False),
    sa.Column('resale_body_bp', sa.Integer(), nullable=False),
    sa.Column('refund_window_days', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('own_partner_bp + own_body_bp = 10000', name=op.f('ck_partner_agreements_own_shares_complete')),
    sa.CheckConstraint('own_partner_bp >= 0 AND own_body_bp >= 0 AND resale_delivering_bp >= 0 AND resale_reseller_bp >= 0 AND resale_body_bp >= 0', name=op.f('ck_partner_agreements_shares_not_negative')),
    sa.CheckConstraint('resale_delivering_bp + resale_reseller_bp + resale_body_bp = 10000', name=op.f('ck_partner_agreements_resale_shares_complete')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_partner_agreements_created_by_users')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_partner_agreements_partner_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_agreements'))
    )
    with op.batch_alter_table('partner_agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_agreements_partner_id'), ['partner_id'], unique=False)

    op.create_table('partner_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('expected_learners', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='applicationstatus', native_enum=False, length=16), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['users.id'], name=op.f('fk_partner_applications_applicant_id_users')),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_partner_applications_decided_by_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_partner_applications_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_applications'))
    )
    with op.batch_alter_table('partner_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_applications_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_applications_organisation_id'), ['organisation_id'], unique=False)

    # partner_brandings exists since 0001; the storefront adds taglines, languages and a contact address.
    with op.batch_alter_table('partner_brandings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('taglines', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('languages', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))

    op.create_table('partner_exam_passes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('passed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_partner_exam_passes_partner_id_organisations')),
    sa.ForeignKeyConstraint(['track_id'], ['certification_tracks.id'], name=op.f('fk_partner_exam_passes_track_id_certification_tracks')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_partner_exam_passes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_exam_passes')),
    sa.UniqueConstraint('attempt_id', name=op.f('uq_partner_exam_passes_attempt_id'))
    )
    with op.batch_alter_table('partner_exam_passes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_exam_passes_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_exam_passes_user_id'), ['user_id'], unique=False)

    op.create_table('partner_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.Enum('learner', 'instructor', 'proctor', 'partner_manager', 'partner_admin', 'affiliate', 'staff', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_by', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['accepted_by'], ['users.id'], name=op.f('fk_partner_invitations_accepted_by_users')),
    sa.ForeignKeyConstraint(['invited_by'], ['users.id'], name=op.f('fk_partner_invitations_invited_by_users')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_partner_invitations_partner_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_partner_invitations_token_hash'))
    )
    with op.batch_alter_table('partner_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_invitations_partner_id'), ['partner_id'], unique=False)

    op.create_table('partner_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('code', sa.String(length=32), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('valid_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_partner_members_partner_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_partner_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_members')),
    sa.UniqueConstraint('code', name=op.f('uq_partner_members_code')),
    sa.UniqueConstraint('partner_id', 'email', name=op.f('uq_partner_members_partner_id_email'))
    )
    with op.batch_alter_table('partner_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_members_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_members_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_members_user_id'), ['user_id'], unique=False)

    op.create_table('cohort_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('file_hash', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('previewed', 'queued', 'running', 'completed', 'failed', name='importstatus', native_enum=False, length=16), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('processed_rows', sa.Integer(), nullable=False),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('skipped_count', sa.Integer(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('run_errors', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_imports_cohort_id_cohorts')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_cohort_imports_created_by_users')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_cohort_imports_partner_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_imports'))
    )
    with op.batch_alter_table('cohort_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_imports_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_imports_partner_id'), ['partner_id'], unique=False)

    op.create_table('allotments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('delivering_partner_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('release_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('active', 'released', name='allotmentstatus', native_enum=False, length=16), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_allotments_quantity_positive')),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_allotments_class_id_training_classes')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_allotments_created_by_users')),
    sa.ForeignKeyConstraint(['delivering_partner_id'], ['organisations.id'], name=op.f('fk_allotments_delivering_partner_id_organisations')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_allotments_partner_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allotments'))
    )
    with op.batch_alter_table('allotments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allotments_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allotments_delivering_partner_id'), ['delivering_partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allotments_partner_id'), ['partner_id'], unique=False)

    op.create_table('class_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_class_meetings_ends_after_start')),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_class_meetings_class_id_training_classes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_meetings'))
    )
    with op.batch_alter_table('class_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_meetings_class_id'), ['class_id'], unique=False)

    op.create_table('class_prices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('list_amount', sa.Integer(), nullable=False),
    sa.Column('academic_amount', sa.Integer(), nullable=True),
    sa.Column('association_amount', sa.Integer(), nullable=True),
    sa.CheckConstraint('list_amount >= 0', name=op.f('ck_class_prices_list_amount_not_negative')),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_class_prices_class_id_training_classes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_prices')),
    sa.UniqueConstraint('class_id', 'currency', name=op.f('uq_class_prices_class_id_currency'))
    )
    with op.batch_alter_table('class_prices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_prices_class_id'), ['class_id'], unique=False)

    op.create_table('resale_listings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_resale_listings_class_id_training_classes')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_resale_listings_partner_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resale_listings')),
    sa.UniqueConstraint('partner_id', 'class_id', name=op.f('uq_resale_listings_partner_id_class_id'))
    )
    with op.batch_alter_table('resale_listings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resale_listings_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resale_listings_partner_id'), ['partner_id'], unique=False)

    op.create_table('voucher_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('seat', 'exam', name='voucherkind', native_enum=False, length=16), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('class_id', sa.Integer(), nullable=True),
    sa.Column('course_version_id', sa.Integer(), nullable=True),
    sa.Column('track_id', sa.Integer(), nullable=True),
    sa.Column('discount_bp', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('order_line_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('discount_bp BETWEEN 0 AND 10000', name=op.f('ck_voucher_batches_discount_in_range')),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_voucher_batches_class_id_training_classes')),
    sa.ForeignKeyConstraint(['client_id'], ['organisations.id'], name=op.f('fk_voucher_batches_client_id_organisations')),
    sa.ForeignKeyConstraint(['course_version_id'], ['course_versions.id'], name=op.f('fk_voucher_batches_course_version_id_course_versions')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_voucher_batches_created_by_users')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_voucher_batches_partner_id_organisations')),
    sa.ForeignKeyConstraint(['track_id'], ['certification_tracks.id'], name=op.f('fk_voucher_batches_track_id_certification_tracks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voucher_batches'))
    )
    with op.batch_alter_table('voucher_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voucher_batches_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_voucher_batches_order_line_id'), ['order_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_voucher_batches_partner_id'), ['partner_id'], unique=False)

    op.create_table('class_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['class_meetings.id'], name=op.f('fk_class_attendance_meeting_id_class_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_class_attendance_recorded_by_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_class_attendance_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_attendance')),
    sa.UniqueConstraint('meeting_id', 'user_id', name=op.f('uq_class_attendance_meeting_id_user_id'))
    )
    with op.batch_alter_table('class_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_attendance_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_class_attendance_user_id'), ['user_id'], unique=False)

    op.create_table('vouchers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('assigned_email', sa.String(length=254), nullable=True),
    sa.Column('max_uses', sa.Integer(), nullable=False),
    sa.Column('used_count', sa.Integer(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('max_uses > 0', name=op.f('ck_vouchers_max_uses_positive')),
    sa.CheckConstraint('used_count <= max_uses', name=op.f('ck_vouchers_within_cap')),
    sa.ForeignKeyConstraint(['batch_id'], ['voucher_batches.id'], name=op.f('fk_vouchers_batch_id_voucher_batches')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_vouchers_partner_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vouchers')),
    sa.UniqueConstraint('code', name=op.f('uq_vouchers_code'))
    )
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vouchers_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vouchers_partner_id'), ['partner_id'], unique=False)

    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=True),
    sa.Column('buyer_user_id', sa.Integer(), nullable=False),
    sa.Column('buyer_partner_id', sa.Integer(), nullable=True),
    sa.Column('storefront_partner_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('open', 'awaiting_payment', 'paid', 'cancelled', 'expired', 'refunded', name='orderstatus', native_enum=False, length=20), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('list_amount', sa.Integer(), nullable=False),
    sa.Column('discount_amount', sa.Integer(), nullable=False),
    sa.Column('net_amount', sa.Integer(), nullable=False),
    sa.Column('tax_amount', sa.Integer(), nullable=False),
    sa.Column('total_amount', sa.Integer(), nullable=False),
    sa.Column('refunded_amount', sa.Integer(), nullable=False),
    sa.Column('price_tier', sa.Enum('list', 'academic', 'association', name='pricetier', native_enum=False, length=16), nullable=False),
    sa.Column('tier_partner_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=True),
    sa.Column('code_source', sa.String(length=40), nullable=True),
    sa.Column('code_ref', sa.String(length=80), nullable=True),
    sa.Column('voucher_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.Enum('direct', 'partner', 'referral', name='channel', native_enum=False, length=16), nullable=False),
    sa.Column('channel_reason', sa.JSON(), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=True),
    sa.Column('provider_ref', sa.String(length=120), nullable=True),
    sa.Column('po_number', sa.String(length=80), nullable=True),
    sa.Column('hold_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['buyer_partner_id'], ['organisations.id'], name=op.f('fk_orders_buyer_partner_id_organisations')),
    sa.ForeignKeyConstraint(['buyer_user_id'], ['users.id'], name=op.f('fk_orders_buyer_user_id_users')),
    sa.ForeignKeyConstraint(['storefront_partner_id'], ['organisations.id'], name=op.f('fk_orders_storefront_partner_id_organisations')),
    sa.ForeignKeyConstraint(['tier_partner_id'], ['organisations.id'], name=op.f('fk_orders_tier_partner_id_organisations')),
    sa.ForeignKeyConstraint(['voucher_id'], ['vouchers.id'], name=op.f('fk_orders_voucher_id_vouchers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('number', name=op.f('uq_orders_number'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_orders_buyer_partner_id'), ['buyer_partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_buyer_user_id'), ['buyer_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_paid_at'), ['paid_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_storefront_partner_id'), ['storefront_partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_voucher_id'), ['voucher_id'], unique=False)

    op.create_table('order_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('class_seat', 'elearning_seat', name='linekind', native_enum=False, length=20), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=True),
    sa.Column('course_version_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_list_amount', sa.Integer(), nullable=False),
    sa.Column('unit_amount', sa.Integer(), nullable=False),
    sa.Column('discount_amount', sa.Integer(), nullable=False),
    sa.Column('net_amount', sa.Integer(), nullable=False),
    sa.Column('delivering_partner_id', sa.Integer(), nullable=True),
    sa.Column('reseller_id', sa.Integer(), nullable=True),
    sa.Column('allotment_id', sa.Integer(), nullable=True),
    sa.Column('split_delivering_bp', sa.Integer(), nullable=False),
    sa.Column('split_reseller_bp', sa.Integer(), nullable=False),
    sa.Column('split_body_bp', sa.Integer(), nullable=False),
    sa.Column('assign_to_buyer', sa.Boolean(), nullable=False),
    sa.Column('refunded_quantity', sa.Integer(), nullable=False),
    sa.Column('refunded_amount', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_order_lines_quantity_positive')),
    sa.CheckConstraint('split_delivering_bp + split_reseller_bp + split_body_bp = 10000', name=op.f('ck_order_lines_split_complete')),
    sa.ForeignKeyConstraint(['allotment_id'], ['allotments.id'], name=op.f('fk_order_lines_allotment_id_allotments')),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_order_lines_class_id_training_classes')),
    sa.ForeignKeyConstraint(['course_version_id'], ['course_versions.id'], name=op.f('fk_order_lines_course_version_id_course_versions')),
    sa.ForeignKeyConstraint(['delivering_partner_id'], ['organisations.id'], name=op.f('fk_order_lines_delivering_partner_id_organisations')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_lines_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reseller_id'], ['organisations.id'], name=op.f('fk_order_lines_reseller_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines'))
    )
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_lines_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_lines_course_version_id'), ['course_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_lines_delivering_partner_id'), ['delivering_partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_lines_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_lines_reseller_id'), ['reseller_id'], unique=False)

    op.create_table('seat_holds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('active', 'converted', 'released', name='holdstatus', native_enum=False, length=16), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('allotment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_seat_holds_quantity_positive')),
    sa.ForeignKeyConstraint(['allotment_id'], ['allotments.id'], name=op.f('fk_seat_holds_allotment_id_allotments')),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_seat_holds_class_id_training_classes')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_seat_holds_order_id_orders')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_seat_holds_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seat_holds'))
    )
    with op.batch_alter_table('seat_holds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seat_holds_class_id'), ['class_id'], unique=False)
        batch_op.create_index('ix_seat_holds_class_status_expiry', ['class_id', 'status', 'expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_seat_holds_order_id'), ['order_id'], unique=False)

    op.create_table('voucher_redemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('voucher_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('redeemed_by', sa.Integer(), nullable=True),
    sa.Column('redeemed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_voucher_redemptions_order_id_orders')),
    sa.ForeignKeyConstraint(['redeemed_by'], ['users.id'], name=op.f('fk_voucher_redemptions_redeemed_by_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_voucher_redemptions_user_id_users')),
    sa.ForeignKeyConstraint(['voucher_id'], ['vouchers.id'], name=op.f('fk_voucher_redemptions_voucher_id_vouchers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voucher_redemptions')),
    sa.UniqueConstraint('voucher_id', 'user_id', name=op.f('uq_voucher_redemptions_voucher_id_user_id'))
    )
    with op.batch_alter_table('voucher_redemptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voucher_redemptions_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_voucher_redemptions_voucher_id'), ['voucher_id'], unique=False)

    op.create_table('refunds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('provider_ref', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_refunds_amount_not_negative')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_refunds_actor_id_users')),
    sa.ForeignKeyConstraint(['line_id'], ['order_lines.id'], name=op.f('fk_refunds_line_id_order_lines')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_refunds_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_order_id'), ['order_id'], unique=False)

    op.create_table('seats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('confirmed', 'cancelled', name='seatstatus', native_enum=False, length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reseller_id', sa.Integer(), nullable=True),
    sa.Column('order_line_id', sa.Integer(), nullable=True),
    sa.Column('allotment_id', sa.Integer(), nullable=True),
    sa.Column('enrolment_id', sa.Integer(), nullable=True),
    sa.Column('origin_ref', sa.String(length=80), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=300), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['allotment_id'], ['allotments.id'], name=op.f('fk_seats_allotment_id_allotments')),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_seats_class_id_training_classes')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_seats_enrolment_id_enrolments')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_seats_order_line_id_order_lines')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_seats_partner_id_organisations')),
    sa.ForeignKeyConstraint(['reseller_id'], ['organisations.id'], name=op.f('fk_seats_reseller_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_seats_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seats'))
    )
    with op.batch_alter_table('seats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seats_allotment_id'), ['allotment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seats_class_id'), ['class_id'], unique=False)
        batch_op.create_index('ix_seats_class_id_status', ['class_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_seats_order_line_id'), ['order_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seats_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seats_reseller_id'), ['reseller_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seats_user_id'), ['user_id'], unique=False)

    op.create_table('waitlist_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('waiting', 'offered', 'accepted', 'expired', 'left', name='waitliststatus', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offer_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hold_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_waitlist_entries_class_id_training_classes')),
    sa.ForeignKeyConstraint(['hold_id'], ['seat_holds.id'], name=op.f('fk_waitlist_entries_hold_id_seat_holds')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_waitlist_entries_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waitlist_entries'))
    )
    with op.batch_alter_table('waitlist_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_waitlist_entries_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_waitlist_entries_user_id'), ['user_id'], unique=False)

    op.create_table('cohort_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('row_key', sa.String(length=64), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=True),
    sa.Column('course_version_id', sa.Integer(), nullable=False),
    sa.Column('seat_id', sa.Integer(), nullable=True),
    sa.Column('enrolment_id', sa.Integer(), nullable=True),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_cohort_members_class_id_training_classes')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_members_cohort_id_cohorts')),
    sa.ForeignKeyConstraint(['course_version_id'], ['course_versions.id'], name=op.f('fk_cohort_members_course_version_id_course_versions')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_cohort_members_enrolment_id_enrolments')),
    sa.ForeignKeyConstraint(['import_id'], ['cohort_imports.id'], name=op.f('fk_cohort_members_import_id_cohort_imports')),
    sa.ForeignKeyConstraint(['seat_id'], ['seats.id'], name=op.f('fk_cohort_members_seat_id_seats')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cohort_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_members')),
    sa.UniqueConstraint('cohort_id', 'row_key', name=op.f('uq_cohort_members_cohort_id_row_key'))
    )
    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_members_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_members_user_id'), ['user_id'], unique=False)

    op.create_table('journal_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('memo', sa.String(length=300), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('order_line_id', sa.Integer(), nullable=True),
    sa.Column('refund_id', sa.Integer(), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_journal_entries_order_id_orders')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_journal_entries_order_line_id_order_lines')),
    sa.ForeignKeyConstraint(['refund_id'], ['refunds.id'], name=op.f('fk_journal_entries_refund_id_refunds')),
    sa.ForeignKeyConstraint(['reverses_id'], ['journal_entries.id'], name=op.f('fk_journal_entries_reverses_id_journal_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_entries')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_journal_entries_idempotency_key'))
    )
    with op.batch_alter_table('journal_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_entries_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_journal_entries_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_journal_entries_posted_at'), ['posted_at'], unique=False)

    op.create_table('journal_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('available_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount <> 0', name=op.f('ck_journal_lines_amount_not_zero')),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_accounts.id'], name=op.f('fk_journal_lines_account_id_ledger_accounts')),
    sa.ForeignKeyConstraint(['entry_id'], ['journal_entries.id'], name=op.f('fk_journal_lines_entry_id_journal_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_lines'))
    )
    with op.batch_alter_table('journal_lines', schema=None) as batch_op:
        batch_op.create_index('ix_journal_lines_account_posted', ['account_id', 'posted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_journal_lines_entry_id'), ['entry_id'], unique=False)

    with op.batch_alter_table('training_classes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('format', sa.Enum('virtual', 'in_person', name='classformat', native_enum=False, length=16), server_default='virtual', nullable=False))
        batch_op.add_column(sa.Column('meeting_url', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('venue', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('city', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('country', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('notes', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('resale_allowed', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('cancellation_cutoff_hours', sa.Integer(), server_default='72', nullable=False))
        batch_op.add_column(sa.Column('transfer_cutoff_hours', sa.Integer(), server_default='24', nullable=False))
        batch_op.add_column(sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_training_classes_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index('ix_training_classes_status_starts_at', ['status', 'starts_at'], unique=False)



def downgrade():
    with op.batch_alter_table('training_classes', schema=None) as batch_op:
        batch_op.drop_index('ix_training_classes_status_starts_at')
        batch_op.drop_index(batch_op.f('ix_training_classes_starts_at'))
        batch_op.drop_column('published_at')
        batch_op.drop_column('ends_at')
        batch_op.drop_column('starts_at')
        batch_op.drop_column('transfer_cutoff_hours')
        batch_op.drop_column('cancellation_cutoff_hours')
        batch_op.drop_column('resale_allowed')
        batch_op.drop_column('notes')
        batch_op.drop_column('country')
        batch_op.drop_column('city')
        batch_op.drop_column('venue')
        batch_op.drop_column('meeting_url')
        batch_op.drop_column('format')

    with op.batch_alter_table('journal_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journal_lines_entry_id'))
        batch_op.drop_index('ix_journal_lines_account_posted')

    op.drop_table('journal_lines')
    with op.batch_alter_table('journal_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journal_entries_posted_at'))
        batch_op.drop_index(batch_op.f('ix_journal_entries_order_id'))
        batch_op.drop_index(batch_op.f('ix_journal_entries_kind'))

    op.drop_table('journal_entries')
    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_members_cohort_id'))

    op.drop_table('cohort_members')
    with op.batch_alter_table('waitlist_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_waitlist_entries_user_id'))
        batch_op.drop_index(batch_op.f('ix_waitlist_entries_class_id'))

    op.drop_table('waitlist_entries')
    with op.batch_alter_table('seats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seats_user_id'))
        batch_op.drop_index(batch_op.f('ix_seats_reseller_id'))
        batch_op.drop_index(batch_op.f('ix_seats_partner_id'))
        batch_op.drop_index(batch_op.f('ix_seats_order_line_id'))
        batch_op.drop_index('ix_seats_class_id_status')
        batch_op.drop_index(batch_op.f('ix_seats_class_id'))
        batch_op.drop_index(batch_op.f('ix_seats_allotment_id'))

    op.drop_table('seats')
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refunds_order_id'))

    op.drop_table('refunds')
    with op.batch_alter_table('voucher_redemptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voucher_redemptions_voucher_id'))
        batch_op.drop_index(batch_op.f('ix_voucher_redemptions_user_id'))

    op.drop_table('voucher_redemptions')
    with op.batch_alter_table('seat_holds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seat_holds_order_id'))
        batch_op.drop_index('ix_seat_holds_class_status_expiry')
        batch_op.drop_index(batch_op.f('ix_seat_holds_class_id'))

    op.drop_table('seat_holds')
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_lines_reseller_id'))
        batch_op.drop_index(batch_op.f('ix_order_lines_order_id'))
        batch_op.drop_index(batch_op.f('ix_order_lines_delivering_partner_id'))
        batch_op.drop_index(batch_op.f('ix_order_lines_course_version_id'))
        batch_op.drop_index(batch_op.f('ix_order_lines_class_id'))

    op.drop_table('order_lines')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_voucher_id'))
        batch_op.drop_index(batch_op.f('ix_orders_storefront_partner_id'))
        batch_op.drop_index(batch_op.f('ix_orders_status'))
        batch_op.drop_index(batch_op.f('ix_orders_paid_at'))
        batch_op.drop_index(batch_op.f('ix_orders_buyer_user_id'))
        batch_op.drop_index(batch_op.f('ix_orders_buyer_partner_id'))

    op.drop_table('orders')
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vouchers_partner_id'))
        batch_op.drop_index(batch_op.f('ix_vouchers_batch_id'))

    op.drop_table('vouchers')
    with op.batch_alter_table('class_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_attendance_user_id'))
        batch_op.drop_index(batch_op.f('ix_class_attendance_meeting_id'))

    op.drop_table('class_attendance')
    with op.batch_alter_table('voucher_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voucher_batches_partner_id'))
        batch_op.drop_index(batch_op.f('ix_voucher_batches_order_line_id'))
        batch_op.drop_index(batch_op.f('ix_voucher_batches_client_id'))

    op.drop_table('voucher_batches')
    with op.batch_alter_table('resale_listings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resale_listings_partner_id'))
        batch_op.drop_index(batch_op.f('ix_resale_listings_class_id'))

    op.drop_table('resale_listings')
    with op.batch_alter_table('class_prices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_prices_class_id'))

    op.drop_table('class_prices')
    with op.batch_alter_table('class_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_meetings_class_id'))

    op.drop_table('class_meetings')
    with op.batch_alter_table('allotments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allotments_partner_id'))
        batch_op.drop_index(batch_op.f('ix_allotments_delivering_partner_id'))
        batch_op.drop_index(batch_op.f('ix_allotments_class_id'))

    op.drop_table('allotments')
    with op.batch_alter_table('cohort_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_imports_partner_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_imports_cohort_id'))

    op.drop_table('cohort_imports')
    with op.batch_alter_table('partner_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_partner_members_partner_id'))
        batch_op.drop_index(batch_op.f('ix_partner_members_email'))

    op.drop_table('partner_members')
    with op.batch_alter_table('partner_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_invitations_partner_id'))

    op.drop_table('partner_invitations')
    with op.batch_alter_table('partner_exam_passes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_exam_passes_user_id'))
        batch_op.drop_index(batch_op.f('ix_partner_exam_passes_partner_id'))

    op.drop_table('partner_exam_passes')
    with op.batch_alter_table('partner_brandings', schema=None) as batch_op:
        batch_op.drop_column('contact_email')
        batch_op.drop_column('languages')
        batch_op.drop_column('taglines')

    with op.batch_alter_table('partner_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_applications_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_partner_applications_applicant_id'))

    op.drop_table('partner_applications')
    with op.batch_alter_table('partner_agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_agreements_partner_id'))

    op.drop_table('partner_agreements')
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohorts_partner_id'))
        batch_op.drop_index(batch_op.f('ix_cohorts_client_id'))

    op.drop_table('cohorts')
    op.drop_table('calendar_tokens')
    op.drop_table('ledger_accounts')
