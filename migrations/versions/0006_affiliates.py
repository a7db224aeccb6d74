"""affiliates: programmes, affiliates and their coupons, commission rules, clicks, visitor links,
referrals (bindings), order attributions, commissions and their history, payout batches, fraud flags.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 22:34:38.546000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('affiliate_payouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('open', 'paid', 'cancelled', name='payoutstatus', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('exported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_by', sa.Integer(), nullable=True),
    sa.Column('reference', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_affiliate_payouts_created_by_users')),
    sa.ForeignKeyConstraint(['paid_by'], ['users.id'], name=op.f('fk_affiliate_payouts_paid_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliate_payouts'))
    )
    op.create_table('affiliate_programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('status', sa.Enum('open', 'paused', name='programmestatus', native_enum=False, length=16), nullable=False),
    sa.Column('cookie_window_days', sa.Integer(), nullable=False),
    sa.Column('attribution_model', sa.Enum('first_click', 'last_click', name='attributionmodel', native_enum=False, length=16), nullable=False),
    sa.Column('binding_days', sa.Integer(), nullable=False),
    sa.Column('holding_days', sa.Integer(), nullable=False),
    sa.Column('coupon_discount_bp', sa.Integer(), nullable=False),
    sa.Column('payout_minimum', sa.Integer(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('cookie_window_days BETWEEN 1 AND 365', name=op.f('ck_affiliate_programmes_window_in_range')),
    sa.CheckConstraint('coupon_discount_bp BETWEEN 0 AND 10000', name=op.f('ck_affiliate_programmes_coupon_in_range')),
    sa.CheckConstraint('holding_days BETWEEN 0 AND 365', name=op.f('ck_affiliate_programmes_holding_in_range')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_affiliate_programmes_partner_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliate_programmes'))
    )
    with op.batch_alter_table('affiliate_programmes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_affiliate_programmes_partner_id'), ['partner_id'], unique=False)

    op.create_table('affiliate_visitor_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visitor_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_affiliate_visitor_links_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliate_visitor_links')),
    sa.UniqueConstraint('visitor_id', 'user_id', name=op.f('uq_affiliate_visitor_links_visitor_id_user_id'))
    )
    with op.batch_alter_table('affiliate_visitor_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_affiliate_visitor_links_user_id'), ['user_id'], unique=False)

    op.create_table('affiliates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('applied', 'approved', 'rejected', 'suspended', name='affiliatestatus', native_enum=False, length=16), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('channels', sa.Text(), nullable=False),
    sa.Column('audience', sa.Text(), nullable=False),
    sa.Column('payout_method', sa.Enum('bank', 'paypal', name='payoutmethod', native_enum=False, length=16), nullable=False),
    sa.Column('payout_details', sa.String(length=200), nullable=False),
    sa.Column('payout_fingerprint', sa.String(length=64), nullable=True),
    sa.Column('payout_minimum', sa.Integer(), nullable=True),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_affiliates_decided_by_users')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_affiliates_partner_id_organisations')),
    sa.ForeignKeyConstraint(['programme_id'], ['affiliate_programmes.id'], name=op.f('fk_affiliates_programme_id_affiliate_programmes')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_affiliates_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliates')),
    sa.UniqueConstraint('code', name=op.f('uq_affiliates_code')),
    sa.UniqueConstraint('programme_id', 'user_id', name=op.f('uq_affiliates_programme_id_user_id'))
    )
    with op.batch_alter_table('affiliates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_affiliates_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliates_payout_fingerprint'), ['payout_fingerprint'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliates_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliates_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliates_user_id'), ['user_id'], unique=False)

    op.create_table('affiliate_clicks',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('affiliate_id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.Enum('unique', 'repeat', 'bot', name='clickkind', native_enum=False, length=8), nullable=False),
    sa.Column('visitor_id', sa.String(length=32), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('ip_hash', sa.String(length=16), nullable=False),
    sa.Column('landing_path', sa.String(length=300), nullable=False),
    sa.Column('referrer_host', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['affiliate_id'], ['affiliates.id'], name=op.f('fk_affiliate_clicks_affiliate_id_affiliates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliate_clicks'))
    )
    with op.batch_alter_table('affiliate_clicks', schema=None) as batch_op:
        batch_op.create_index('ix_affiliate_clicks_affiliate_time', ['affiliate_id', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_clicks_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_clicks_visitor_id'), ['visitor_id'], unique=False)

    op.create_table('affiliate_commission_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('product_kind', sa.Enum('elearning_seat', 'class_seat', 'exam_voucher', name='productkind', native_enum=False, length=20), nullable=True),
    sa.Column('affiliate_id', sa.Integer(), nullable=True),
    sa.Column('rate_bp', sa.Integer(), nullable=True),
    sa.Column('flat_amount', sa.Integer(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('min_monthly_sales', sa.Integer(), nullable=False),
    sa.Column('payer', sa.Enum('default', 'body', 'partner', name='payer', native_enum=False, length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(rate_bp IS NOT NULL AND flat_amount IS NULL) OR (rate_bp IS NULL AND flat_amount IS NOT NULL)', name=op.f('ck_affiliate_commission_rules_rate_or_flat')),
    sa.CheckConstraint('flat_amount IS NULL OR (flat_amount >= 0 AND currency IS NOT NULL)', name=op.f('ck_affiliate_commission_rules_flat_valid')),
    sa.CheckConstraint('min_monthly_sales >= 0', name=op.f('ck_affiliate_commission_rules_tier_not_negative')),
    sa.CheckConstraint('rate_bp IS NULL OR rate_bp BETWEEN 0 AND 10000', name=op.f('ck_affiliate_commission_rules_rate_in_range')),
    sa.ForeignKeyConstraint(['affiliate_id'], ['affiliates.id'], name=op.f('fk_affiliate_commission_rules_affiliate_id_affiliates')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_affiliate_commission_rules_partner_id_organisations')),
    sa.ForeignKeyConstraint(['programme_id'], ['affiliate_programmes.id'], name=op.f('fk_affiliate_commission_rules_programme_id_affiliate_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliate_commission_rules'))
    )
    with op.batch_alter_table('affiliate_commission_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_affiliate_commission_rules_affiliate_id'), ['affiliate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_commission_rules_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_commission_rules_programme_id'), ['programme_id'], unique=False)

    op.create_table('affiliate_coupons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('affiliate_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('discount_bp', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('discount_bp BETWEEN 0 AND 10000', name=op.f('ck_affiliate_coupons_discount_in_range')),
    sa.ForeignKeyConstraint(['affiliate_id'], ['affiliates.id'], name=op.f('fk_affiliate_coupons_affiliate_id_affiliates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliate_coupons')),
    sa.UniqueConstraint('code', name=op.f('uq_affiliate_coupons_code'))
    )
    with op.batch_alter_table('affiliate_coupons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_affiliate_coupons_affiliate_id'), ['affiliate_id'], unique=False)

    op.create_table('affiliate_payout_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payout_id', sa.Integer(), nullable=False),
    sa.Column('affiliate_id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('commission_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['affiliate_id'], ['affiliates.id'], name=op.f('fk_affiliate_payout_items_affiliate_id_affiliates')),
    sa.ForeignKeyConstraint(['payout_id'], ['affiliate_payouts.id'], name=op.f('fk_affiliate_payout_items_payout_id_affiliate_payouts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliate_payout_items')),
    sa.UniqueConstraint('payout_id', 'affiliate_id', 'currency', name=op.f('uq_affiliate_payout_items_payout_id_affiliate_id_currency'))
    )
    with op.batch_alter_table('affiliate_payout_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_affiliate_payout_items_affiliate_id'), ['affiliate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_payout_items_payout_id'), ['payout_id'], unique=False)

    op.create_table('affiliate_order_attributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('affiliate_id', sa.Integer(), nullable=True),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('rule', sa.Enum('partner_channel', 'coupon', 'binding', 'cookie', 'none', name='attributionrule', native_enum=False, length=16), nullable=False),
    sa.Column('reason', sa.JSON(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['affiliate_id'], ['affiliates.id'], name=op.f('fk_affiliate_order_attributions_affiliate_id_affiliates')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_affiliate_order_attributions_order_id_orders')),
    sa.ForeignKeyConstraint(['programme_id'], ['affiliate_programmes.id'], name=op.f('fk_affiliate_order_attributions_programme_id_affiliate_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliate_order_attributions')),
    sa.UniqueConstraint('order_id', name=op.f('uq_affiliate_order_attributions_order_id'))
    )
    with op.batch_alter_table('affiliate_order_attributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_affiliate_order_attributions_affiliate_id'), ['affiliate_id'], unique=False)

    op.create_table('affiliate_referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('affiliate_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('bound_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.Enum('signup', 'first_purchase', name='bindingsource', native_enum=False, length=16), nullable=False),
    sa.Column('via', sa.String(length=16), nullable=False),
    sa.Column('click_id', sa.BigInteger(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['affiliate_id'], ['affiliates.id'], name=op.f('fk_affiliate_referrals_affiliate_id_affiliates')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_affiliate_referrals_order_id_orders')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_affiliate_referrals_partner_id_organisations')),
    sa.ForeignKeyConstraint(['programme_id'], ['affiliate_programmes.id'], name=op.f('fk_affiliate_referrals_programme_id_affiliate_programmes')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_affiliate_referrals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliate_referrals')),
    sa.UniqueConstraint('programme_id', 'user_id', name=op.f('uq_affiliate_referrals_programme_id_user_id'))
    )
    with op.batch_alter_table('affiliate_referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_affiliate_referrals_affiliate_id'), ['affiliate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_referrals_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_referrals_user_id'), ['user_id'], unique=False)

    op.create_table('affiliate_commissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('affiliate_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('sale', 'clawback', name='commissionkind', native_enum=False, length=16), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('delivering_partner_id', sa.Integer(), nullable=True),
    sa.Column('reseller_id', sa.Integer(), nullable=True),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('rule_snapshot', sa.JSON(), nullable=False),
    sa.Column('base_amount', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('payer_kind', sa.String(length=16), nullable=False),
    sa.Column('payer_owner_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'on_hold', 'approved', 'paid', 'voided', 'rejected', name='commissionstatus', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hold_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('payout_id', sa.Integer(), nullable=True),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['affiliate_id'], ['affiliates.id'], name=op.f('fk_affiliate_commissions_affiliate_id_affiliates')),
    sa.ForeignKeyConstraint(['corrects_id'], ['affiliate_commissions.id'], name=op.f('fk_affiliate_commissions_corrects_id_affiliate_commissions')),
    sa.ForeignKeyConstraint(['delivering_partner_id'], ['organisations.id'], name=op.f('fk_affiliate_commissions_delivering_partner_id_organisations')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_affiliate_commissions_order_id_orders')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_affiliate_commissions_order_line_id_order_lines')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_affiliate_commissions_partner_id_organisations')),
    sa.ForeignKeyConstraint(['payout_id'], ['affiliate_payouts.id'], name=op.f('fk_affiliate_commissions_payout_id_affiliate_payouts')),
    sa.ForeignKeyConstraint(['programme_id'], ['affiliate_programmes.id'], name=op.f('fk_affiliate_commissions_programme_id_affiliate_programmes')),
    sa.ForeignKeyConstraint(['reseller_id'], ['organisations.id'], name=op.f('fk_affiliate_commissions_reseller_id_organisations')),
    sa.ForeignKeyConstraint(['rule_id'], ['affiliate_commission_rules.id'], name=op.f('fk_affiliate_commissions_rule_id_affiliate_commission_rules')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliate_commissions'))
    )
    with op.batch_alter_table('affiliate_commissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_affiliate_commissions_affiliate_id'), ['affiliate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_commissions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_commissions_delivering_partner_id'), ['delivering_partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_commissions_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_commissions_order_line_id'), ['order_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_commissions_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_commissions_payout_id'), ['payout_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_commissions_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_commissions_reseller_id'), ['reseller_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_commissions_status'), ['status'], unique=False)

    op.create_table('affiliate_commission_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commission_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'on_hold', 'approved', 'paid', 'voided', 'rejected', name='commissionstatus', native_enum=False, length=16), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_affiliate_commission_events_actor_id_users')),
    sa.ForeignKeyConstraint(['commission_id'], ['affiliate_commissions.id'], name=op.f('fk_affiliate_commission_events_commission_id_affiliate_commissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliate_commission_events'))
    )
    with op.batch_alter_table('affiliate_commission_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_affiliate_commission_events_commission_id'), ['commission_id'], unique=False)

    op.create_table('affiliate_fraud_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('affiliate_id', sa.Integer(), nullable=False),
    sa.Column('commission_id', sa.Integer(), nullable=True),
    sa.Column('rule', sa.Enum('self_referral', 'partner_staff', 'duplicate_payout', 'click_flood', 'coupon_without_clicks', name='fraudrule', native_enum=False, length=24), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('open', 'cleared', 'confirmed', name='flagstatus', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('dedupe_key', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['affiliate_id'], ['affiliates.id'], name=op.f('fk_affiliate_fraud_flags_affiliate_id_affiliates')),
    sa.ForeignKeyConstraint(['commission_id'], ['affiliate_commissions.id'], name=op.f('fk_affiliate_fraud_flags_commission_id_affiliate_commissions')),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_affiliate_fraud_flags_decided_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliate_fraud_flags')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_affiliate_fraud_flags_dedupe_key'))
    )
    with op.batch_alter_table('affiliate_fraud_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_affiliate_fraud_flags_affiliate_id'), ['affiliate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_fraud_flags_commission_id'), ['commission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliate_fraud_flags_status'), ['status'], unique=False)



def downgrade():
    with op.batch_alter_table('affiliate_fraud_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_affiliate_fraud_flags_status'))
        batch_op.drop_index(batch_op.f('ix_affiliate_fraud_flags_commission_id'))
        batch_op.drop_index(batch_op.f('ix_affiliate_fraud_flags_affiliate_id'))

    op.drop_table('affiliate_fraud_flags')
    with op.batch_alter_table('affiliate_commission_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_affiliate_commission_events_commission_id'))

    op.drop_table('affiliate_commission_events')
    with op.batch_alter_table('affiliate_commissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_affiliate_commissions_status'))
        batch_op.drop_index(batch_op.f('ix_affiliate_commissions_reseller_id'))
        batch_op.drop_index(batch_op.f('ix_affiliate_commissions_programme_id'))
        batch_op.drop_index(batch_op.f('ix_affiliate_commissions_payout_id'))
        batch_op.drop_index(batch_op.f('ix_affiliate_commissions_partner_id'))
        batch_op.drop_index(batch_op.f('ix_affiliate_commissions_order_line_id'))
        batch_op.drop_index(batch_op.f('ix_affiliate_commissions_order_id'))
        batch_op.drop_index(batch_op.f('ix_affiliate_commissions_delivering_partner_id'))
        batch_op.drop_index(batch_op.f('ix_affiliate_commissions_created_at'))
        batch_op.drop_index(batch_op.f('ix_affiliate_commissions_affiliate_id'))

    op.drop_table('affiliate_commissions')
    with op.batch_alter_table('affiliate_referrals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_affiliate_referrals_user_id'))
        batch_op.drop_index(batch_op.f('ix_affiliate_referrals_partner_id'))
        batch_op.drop_index(batch_op.f('ix_affiliate_referrals_affiliate_id'))

    op.drop_table('affiliate_referrals')
    with op.batch_alter_table('affiliate_order_attributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_affiliate_order_attributions_affiliate_id'))

    op.drop_table('affiliate_order_attributions')
    with op.batch_alter_table('affiliate_payout_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_affiliate_payout_items_payout_id'))
        batch_op.drop_index(batch_op.f('ix_affiliate_payout_items_affiliate_id'))

    op.drop_table('affiliate_payout_items')
    with op.batch_alter_table('affiliate_coupons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_affiliate_coupons_affiliate_id'))

    op.drop_table('affiliate_coupons')
    with op.batch_alter_table('affiliate_commission_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_affiliate_commission_rules_programme_id'))
        batch_op.drop_index(batch_op.f('ix_affiliate_commission_rules_partner_id'))
        batch_op.drop_index(batch_op.f('ix_affiliate_commission_rules_affiliate_id'))

    op.drop_table('affiliate_commission_rules')
    with op.batch_alter_table('affiliate_clicks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_affiliate_clicks_visitor_id'))
        batch_op.drop_index(batch_op.f('ix_affiliate_clicks_user_id'))
        batch_op.drop_index('ix_affiliate_clicks_affiliate_time')

    op.drop_table('affiliate_clicks')
    with op.batch_alter_table('affiliates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_affiliates_user_id'))
        batch_op.drop_index(batch_op.f('ix_affiliates_status'))
        batch_op.drop_index(batch_op.f('ix_affiliates_programme_id'))
        batch_op.drop_index(batch_op.f('ix_affiliates_payout_fingerprint'))
        batch_op.drop_index(batch_op.f('ix_affiliates_partner_id'))

    op.drop_table('affiliates')
    with op.batch_alter_table('affiliate_visitor_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_affiliate_visitor_links_user_id'))

    op.drop_table('affiliate_visitor_links')
    with op.batch_alter_table('affiliate_programmes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_affiliate_programmes_partner_id'))

    op.drop_table('affiliate_programmes')
    op.drop_table('affiliate_payouts')
