"""The affiliates migration creates exactly what the models describe (no drift), and downgrades cleanly."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from lms.extensions import db
from tests.conftest import database_url_for, make_app

AFFILIATE_TABLES = {
    "affiliate_programmes",
    "affiliates",
    "affiliate_coupons",
    "affiliate_commission_rules",
    "affiliate_clicks",
    "affiliate_visitor_links",
    "affiliate_referrals",
    "affiliate_order_attributions",
    "affiliate_commissions",
    "affiliate_commission_events",
    "affiliate_payouts",
    "affiliate_payout_items",
    "affiliate_fraud_flags",
}


def _tables_in(diff: object) -> set[str]:
    names = set()
    for item in diff if isinstance(diff, tuple) else diff[0]:  # type: ignore[index]
        table = getattr(item, "table", None)
        if isinstance(item, sa.Table):
            names.add(item.name)
        elif table is not None and getattr(table, "name", None):
            names.add(table.name)
        elif isinstance(item, str):
            names.add(item)
    return names


def test_migration_matches_the_models_and_downgrades(tmp_path):
    app = make_app(database_url_for("aff_migrations", tmp_path), tmp_path / "instance")
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(revision="0006")
        with db.engine.connect() as connection:
            names = set(sa.inspect(connection).get_table_names())
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diffs = compare_metadata(context, db.metadata)
        assert names >= AFFILIATE_TABLES
        ours = [d for d in diffs if _tables_in(d) & AFFILIATE_TABLES]
        assert ours == [], ours
        downgrade(revision="0003")
        with db.engine.connect() as connection:
            assert not AFFILIATE_TABLES & set(sa.inspect(connection).get_table_names())
        db.engine.dispose()
