"""The affiliate pages as each role sees them: applying, staff decisions, the dashboard and its
export, payouts, the review queue, and a partner's own programme (another partner's rows are 404)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from lms.affiliates.models import (
    Affiliate,
    AffiliateStatus,
    Click,
    ClickKind,
    Commission,
    CommissionRule,
    CommissionStatus,
    FraudFlag,
    Payout,
    PayoutStatus,
)
from lms.affiliates.services import attribution, commissions, programmes
from lms.core.security import Role
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.services import orders


def referred_sale(affiliate, training_class, buyer):
    """A paid order credited to the affiliate by coupon, after a click from the buyer."""
    db.session.add(
        Click(
            affiliate_id=affiliate.id,
            occurred_at=utcnow() - timedelta(hours=1),
            kind=ClickKind.UNIQUE,
            user_id=buyer.id,
            ip_hash="f" * 16,
            landing_path="/",
        )
    )
    order = orders.start_class_order(buyer, training_class.id)
    orders.apply_code(order, affiliate.coupons[0].code, buyer)
    orders.pay(order, provider_code="test", actor=buyer)
    attribution.attribute_order(order.id)
    return order


@pytest.fixture
def partner_class(make_partner, make_class):
    partner, admin = make_partner()
    return partner, admin, make_class(partner, days=60, price=100000, academic=None, association=None)


def test_anyone_sees_the_programmes_and_a_learner_applies(client, network, create_user, login):
    page = client.get("/affiliates")
    assert page.status_code == 200 and network.name in page.get_data(as_text=True)
    assert client.get(f"/affiliates/apply/{network.id}").status_code == 302  # sign in first
    learner = create_user()
    login(client, learner)
    bad = client.post(
        f"/affiliates/apply/{network.id}",
        data={"channels": "blog", "audience": "people", "payout_method": "bank", "payout_details": "123"},
    )
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "IBAN" in text
    good = client.post(
        f"/affiliates/apply/{network.id}",
        data={
            "website": "https://learn-ai.example.com",
            "channels": "My newsletter",
            "audience": "Product managers in the Gulf",
            "payout_method": "paypal",
            "payout_details": learner.email,
            "preferred_code": "gulf-pm",
        },
    )
    assert good.status_code == 302
    affiliate = db.session.execute(sa.select(Affiliate).where(Affiliate.user_id == learner.id)).scalar_one()
    assert (affiliate.status, affiliate.code) == (AffiliateStatus.APPLIED, "GULF-PM")
    again = client.post(
        f"/affiliates/apply/{network.id}",
        data={"channels": "x" * 5, "audience": "y" * 12, "payout_method": "paypal", "payout_details": learner.email},
    )
    assert "already applied" in again.get_data(as_text=True)
    dashboard = client.get("/affiliates/dashboard").get_data(as_text=True)
    assert "being reviewed" in dashboard


def test_staff_approve_and_the_affiliate_gets_the_role_a_code_and_a_coupon(
    client, make_client, network, make_affiliate, staff, login
):
    affiliate = make_affiliate(network, code="PENDING", approve=False)
    login(client, staff)
    page = client.get(f"/staff/affiliates/affiliates/{affiliate.id}")
    assert page.status_code == 200
    refused = client.post(f"/staff/affiliates/affiliates/{affiliate.id}", data={"decision": "reject", "reason": ""})
    assert "Give a reason" in refused.get_data(as_text=True)
    client.post(f"/staff/affiliates/affiliates/{affiliate.id}", data={"decision": "approve", "reason": "Good fit"})
    assert affiliate.status == AffiliateStatus.APPROVED
    assert Role.AFFILIATE in affiliate.user.roles
    assert [c.code for c in affiliate.coupons] == ["PENDING-10"]
    mine = make_client()
    login(mine, affiliate.user)
    text = mine.get("/affiliates/dashboard").get_data(as_text=True)
    assert "http://localhost/r/PENDING" in text and "PENDING-10" in text and 'data-copy="link-1"' in text
    built = mine.get("/affiliates/dashboard?page=http://localhost/schedule").get_data(as_text=True)
    assert "http://localhost/r/PENDING/schedule" in built
    refused = mine.get("/affiliates/dashboard?page=/staff/users").get_data(as_text=True)
    assert "only to public pages" in refused
    # Suspension: the reason is shown to the affiliate with its date.
    client.post(f"/staff/affiliates/affiliates/{affiliate.id}", data={"decision": "suspend", "reason": "Spam"})
    assert "suspended" in mine.get("/affiliates/dashboard").get_data(as_text=True)


def test_the_dashboard_shows_figures_charts_commissions_and_exports_csv(
    client, network, make_affiliate, partner_class, create_user, login
):
    _partner, _admin, training_class = partner_class
    affiliate = make_affiliate(network, code="FIGURES")
    referred_sale(affiliate, training_class, create_user())
    login(client, affiliate.user)
    page = client.get("/affiliates/dashboard?months=3")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for chart in ("clicks", "signups", "sales", "conversion", "earnings-USD"):
        assert f'data-chart="{chart}"' in text
    assert '<svg class="chart"' in text and 'data-state="pending"' in text
    assert "$900.00" in text and "$90.00" in text  # the sale after the coupon and the commission
    export = client.get("/affiliates/dashboard/commissions.csv")
    assert export.headers["Content-Type"].startswith("text/csv")
    lines = export.get_data(as_text=True).splitlines()
    assert lines[0].startswith("commission,kind,created,order") and ",90.00,USD,pending," in lines[1]


def test_someone_elses_affiliate_account_is_a_404(client, network, make_affiliate, login):
    mine, theirs = make_affiliate(network, code="MINE"), make_affiliate(network, code="THEIRS")
    login(client, mine.user)
    assert client.get(f"/affiliates/dashboard?a={theirs.id}").status_code == 404
    assert client.get(f"/affiliates/dashboard/commissions.csv?a={theirs.id}").status_code == 404
    assert (
        client.post(
            f"/affiliates/{theirs.id}/payout-details", data={"payout_method": "paypal", "payout_details": "x@y.zz"}
        ).status_code
        == 404
    )


def test_roles_are_kept_out_of_pages_that_are_not_theirs(
    client, network, make_affiliate, partner_class, create_user, login
):
    affiliate = make_affiliate(network, code="ROLES")
    login(client, affiliate.user)
    for path in ("/staff/affiliates/", "/staff/affiliates/payouts", "/staff/affiliates/review", "/partner/affiliates/"):
        assert client.get(path).status_code == 403, path
    _partner, admin, _class = partner_class
    client.post("/logout")
    client.forget_csrf()
    login(client, admin)
    assert client.get("/staff/affiliates/").status_code == 403
    assert client.get("/partner/affiliates/").status_code == 200
    assert client.get("/affiliates/dashboard").status_code == 302  # not an affiliate: sent to the programmes


def test_payouts_through_the_staff_pages(client, network, make_affiliate, partner_class, create_user, staff, login):
    _partner, _admin, training_class = partner_class
    affiliate = make_affiliate(network, code="PAYME")
    for _i in range(6):
        referred_sale(affiliate, training_class, create_user())
    commissions.approve_due(utcnow() + timedelta(days=31))
    db.session.flush()
    login(client, staff)
    page = client.get("/staff/affiliates/payouts").get_data(as_text=True)
    assert f'value="{affiliate.id}:USD"' in page and "$540.00" in page
    created = client.post("/staff/affiliates/payouts", data={"selection": [f"{affiliate.id}:USD"]})
    assert created.status_code == 302
    payout = db.session.execute(sa.select(Payout)).scalar_one()
    csv = client.get(f"/staff/affiliates/payouts/{payout.id}.csv")
    assert "540.00" in csv.get_data(as_text=True) and affiliate.payout_details in csv.get_data(as_text=True)
    client.post(f"/staff/affiliates/payouts/{payout.id}/paid", data={"reference": "SEPA-2026-11"})
    assert payout.status == PayoutStatus.PAID and payout.reference == "SEPA-2026-11"
    paid = db.session.execute(sa.select(Commission)).scalars().all()
    assert {c.status for c in paid} == {CommissionStatus.PAID}
    client.post("/logout")
    client.forget_csrf()
    login(client, affiliate.user)
    assert "Paid " in client.get("/affiliates/dashboard").get_data(as_text=True)


def test_the_review_queue_decides_flags(client, network, make_affiliate, partner_class, create_user, staff, login):
    _partner, _admin, training_class = partner_class
    affiliate = make_affiliate(network, code="LEAKY")
    order = orders.start_class_order(buyer := create_user(), training_class.id)
    orders.apply_code(order, affiliate.coupons[0].code, buyer)
    orders.pay(order, provider_code="test", actor=buyer)
    attribution.attribute_order(order.id)
    flag = db.session.execute(sa.select(FraudFlag)).scalar_one()
    login(client, staff)
    page = client.get("/staff/affiliates/review").get_data(as_text=True)
    assert f'data-flag="{flag.id}"' in page and "Coupon used without any click" in page
    client.post(f"/staff/affiliates/flags/{flag.id}", data={"decision": "clear", "note": "Podcast listener"})
    assert flag.status.value == "cleared"
    assert db.session.execute(sa.select(Commission.status)).scalar_one() == CommissionStatus.PENDING


def test_staff_change_the_network_programmes_terms_and_rules(client, network, staff, login):
    login(client, staff)
    assert client.get(f"/staff/affiliates/programmes/{network.id}").status_code == 200
    client.post(
        f"/staff/affiliates/programmes/{network.id}",
        data={
            "name": "Network affiliates",
            "status": "open",
            "cookie_window_days": 30,
            "attribution_model": "last_click",
            "binding_days": 180,
            "holding_days": 14,
            "coupon_percent": "15",
            "payout_minimum": "25.00",
            "terms": "Be honest.",
        },
    )
    assert (network.cookie_window_days, network.attribution_model.value, network.coupon_discount_bp) == (
        30,
        "last_click",
        1500,
    )
    assert network.payout_minimum == 2500
    bad = client.post(f"/staff/affiliates/programmes/{network.id}", data={"name": "N", "cookie_window_days": 900})
    assert bad.status_code == 200 and network.cookie_window_days == 30
    client.post(
        f"/staff/affiliates/programmes/{network.id}/rules",
        data={
            "name": "Exam vouchers",
            "product_kind": "exam_voucher",
            "affiliate_id": "",
            "flat": "20",
            "currency": "usd",
            "min_monthly_sales": 0,
            "payer": "body",
        },
    )
    rule = db.session.execute(sa.select(CommissionRule).where(CommissionRule.name == "Exam vouchers")).scalar_one()
    assert (rule.flat_amount, rule.currency) == (2000, "USD")


def test_a_partner_runs_its_own_programme_and_sees_what_reached_its_classes(
    client, make_client, network, make_partner, make_class, partner_programme, make_affiliate, create_user, login
):
    partner, admin = make_partner()
    other, other_admin = make_partner(name="Other Academy")
    training_class = make_class(partner, days=60, price=100000, academic=None, association=None)
    own = partner_programme(partner)
    theirs = make_affiliate(partner_programme(other), code="THEIRS")
    applicant = make_affiliate(own, code="OWNAPP", approve=False)
    network_affiliate = make_affiliate(network, code="NETREF")
    referred_sale(network_affiliate, training_class, create_user())
    login(client, admin)
    page = client.get("/partner/affiliates/").get_data(as_text=True)
    assert "OWNAPP" in page and "THEIRS" not in page
    assert 'data-figure="referred-orders">1<' in page and "NETREF" in page  # a network affiliate's sale
    # Another partner's affiliate or rule: 404, never 403.
    assert client.get(f"/partner/affiliates/{theirs.id}").status_code == 404
    other_rule = programmes.rules_of(theirs.programme)[0]
    assert client.post(f"/partner/affiliates/rules/{other_rule.id}/retire").status_code == 404
    # The partner admin approves its applicant and sets a personal rate (paid from the partner's share).
    client.post(f"/partner/affiliates/{applicant.id}", data={"decision": "approve", "reason": ""})
    assert applicant.status == AffiliateStatus.APPROVED
    client.post(
        "/partner/affiliates/rules",
        data={
            "name": "Top promoter",
            "product_kind": "class_seat",
            "affiliate_id": str(applicant.id),
            "percent": "20",
            "min_monthly_sales": 0,
            "back": str(applicant.id),
        },
    )
    rule = db.session.execute(sa.select(CommissionRule).where(CommissionRule.name == "Top promoter")).scalar_one()
    assert (rule.affiliate_id, rule.rate_bp, rule.payer.value, rule.partner_id) == (
        applicant.id,
        2000,
        "default",
        partner.id,
    )
    with time_machine.travel(utcnow() + timedelta(minutes=5)):
        order = referred_sale(applicant, training_class, create_user())
    commission = db.session.execute(sa.select(Commission).where(Commission.order_id == order.id)).scalar_one()
    assert (commission.amount, commission.payer_kind, commission.payer_owner_id) == (18000, "partner", partner.id)
    # A manager sees but does not decide.
    manager = create_user(roles=[(partner, Role.PARTNER_MANAGER)])
    second = make_client()
    login(second, manager)
    assert second.get(f"/partner/affiliates/{applicant.id}").status_code == 200
    assert (
        second.post(f"/partner/affiliates/{applicant.id}", data={"decision": "suspend", "reason": "x"}).status_code
        == 403
    )
    assert second.get("/partner/affiliates/settings").status_code == 403
    _unused = other_admin
