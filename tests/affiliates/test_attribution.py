"""Attribution: windows and models on a frozen clock, bindings at sign-up and first purchase, and the
precedence partner channel > affiliate coupon > affiliate cookie, each stored with its reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from lms.affiliates.models import (
    AttributionModel,
    AttributionRule,
    BindingSource,
    Commission,
    OrderAttribution,
    Referral,
)
from lms.affiliates.services import attribution
from lms.extensions import db
from lms.partners.models import Channel, Order
from lms.partners.services import orders
from tests.conftest import DEFAULT_PASSWORD

BROWSER = {"User-Agent": "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Safari/605.1.15"}
DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def click(client, code: str, at: datetime, path: str = "", agent: str = BROWSER["User-Agent"]) -> None:
    with time_machine.travel(at, tick=False):
        response = client.get(f"/r/{code}/{path}" if path else f"/r/{code}", headers={"User-Agent": agent})
    assert response.status_code == 302


def sign_up(client, email: str, at: datetime):
    from lms.accounts.services import find_user_by_email

    with time_machine.travel(at, tick=False):
        client.forget_csrf()  # a token from another time is refused
        response = client.post(
            "/register",
            data={
                "email": email,
                "password": DEFAULT_PASSWORD,
                "confirm": DEFAULT_PASSWORD,
                "display_name": "Referred Learner",
                "legal_name": "Referred Learner",
                "locale": "en",
                "timezone": "UTC",
                "accept_terms": "y",
            },
        )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return find_user_by_email(email)


def buy(user, training_class, at: datetime, **kwargs):
    with time_machine.travel(at, tick=False):
        order = orders.start_class_order(user, training_class.id, **kwargs)
        orders.pay(order, provider_code="test", actor=user)
        result = attribution.attribute_order(order.id)
    return order, result


@pytest.fixture
def shop(make_partner, make_class, network):
    partner, _admin = make_partner()
    return partner, make_class(partner, days=200, price=100000, academic=None, association=None)


def test_first_click_wins_by_default_and_last_click_when_the_programme_says_so(
    client, make_client, shop, network, make_affiliate, create_user
):
    _partner, training_class = shop
    first, last = make_affiliate(network, code="FIRST"), make_affiliate(network, code="LAST")
    learner = create_user()
    # A signed-in learner clicks: the click carries their id (no binding at sign-up).
    from tests.conftest import DEFAULT_PASSWORD as password

    with time_machine.travel(DAY0, tick=False):
        client.post("/login", data={"email": learner.email, "password": password})
    click(client, "FIRST", DAY0)
    # Five hours later, still signed in (the session lasts 12 hours): the next click is also theirs.
    click(client, "LAST", DAY0 + timedelta(hours=5))

    _order, result = buy(learner, training_class, DAY0 + timedelta(days=10))
    assert (result.rule, result.affiliate_id) == (AttributionRule.COOKIE, first.id)
    assert result.reason["model"] == "first_click" and result.reason["window_days"] == 60

    network.attribution_model = AttributionModel.LAST_CLICK
    other = create_user()
    second = make_client()
    with time_machine.travel(DAY0, tick=False):
        second.post("/login", data={"email": other.email, "password": password})
    firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    click(second, "FIRST", DAY0, agent=firefox)
    click(second, "LAST", DAY0 + timedelta(hours=5), agent=firefox)
    _order, result = buy(other, training_class, DAY0 + timedelta(days=10))
    assert (result.rule, result.affiliate_id) == (AttributionRule.COOKIE, last.id)


def test_the_window_ends_after_sixty_days(client, shop, network, make_affiliate, create_user):
    _partner, training_class = shop
    make_affiliate(network, code="WINDOW")
    learner = sign_up(client, "late@example.com", DAY0 - timedelta(days=1))
    click(client, "WINDOW", DAY0)
    # The click came after sign-up: nothing is bound; the purchase decides on the cookie alone.
    assert db.session.query(Referral).filter_by(user_id=learner.id).count() == 0
    from lms.affiliates.services.attribution import link_visitor

    link_visitor(learner.id, client.get_cookie("lms_ref").value.split(".")[0])
    _order, late = buy(learner, training_class, DAY0 + timedelta(days=60, minutes=1))
    assert late.rule == AttributionRule.NONE and late.affiliate_id is None

    learner2 = sign_up(client, "early@example.com", DAY0 + timedelta(days=70))
    click(client, "WINDOW", DAY0 + timedelta(days=71))
    link_visitor(learner2.id, client.get_cookie("lms_ref").value.split(".")[0])
    _order, inside = buy(learner2, training_class, DAY0 + timedelta(days=71 + 59))
    assert inside.rule == AttributionRule.COOKIE


def test_sign_up_binds_the_learner_and_later_purchases_keep_the_binding(
    client, shop, network, make_affiliate, make_class
):
    partner, training_class = shop
    alice, bob = make_affiliate(network, code="ALICE"), make_affiliate(network, code="BOBBY")
    click(client, "ALICE", DAY0)
    learner = sign_up(client, "bound@example.com", DAY0 + timedelta(days=1))
    referral = db.session.query(Referral).filter_by(user_id=learner.id).one()
    assert (referral.affiliate_id, referral.source) == (alice.id, BindingSource.SIGNUP)
    assert referral.expires_at == DAY0 + timedelta(days=1 + 365)

    # Much later (the cookie window is long over) another affiliate's link is clicked: the binding holds.
    click(client, "BOBBY", DAY0 + timedelta(days=200))
    _order, result = buy(learner, training_class, DAY0 + timedelta(days=201))
    assert (result.rule, result.affiliate_id) == (AttributionRule.BINDING, alice.id)
    assert result.reason["bound_by"] == "signup"

    # After the binding period the cookie decides again.
    network.binding_days = 30
    referral.expires_at = referral.bound_at + timedelta(days=30)
    second_class = make_class(partner, days=400, price=50000, academic=None, association=None)
    _order, result = buy(learner, second_class, DAY0 + timedelta(days=210))
    assert (result.rule, result.affiliate_id) == (AttributionRule.COOKIE, bob.id)


def test_the_first_purchase_binds_a_learner_who_signed_up_without_a_click(
    client, shop, network, make_affiliate, make_class
):
    partner, training_class = shop
    carol = make_affiliate(network, code="CAROL")
    learner = sign_up(client, "buyer@example.com", DAY0)
    click(client, "CAROL", DAY0 + timedelta(days=2))
    with time_machine.travel(DAY0 + timedelta(days=2), tick=False):
        client.forget_csrf()
        client.post("/logout")
        client.forget_csrf()
        client.post("/login", data={"email": learner.email, "password": DEFAULT_PASSWORD})
    _order, first = buy(learner, training_class, DAY0 + timedelta(days=3))
    assert first.rule == AttributionRule.COOKIE
    referral = db.session.query(Referral).filter_by(user_id=learner.id).one()
    assert (referral.source, referral.via, referral.affiliate_id) == (BindingSource.FIRST_PURCHASE, "cookie", carol.id)
    later_class = make_class(partner, days=300, price=30000, academic=None, association=None)
    _order, later = buy(learner, later_class, DAY0 + timedelta(days=150))
    assert (later.rule, later.affiliate_id) == (AttributionRule.BINDING, carol.id)


def test_a_coupon_beats_a_cookie_and_gives_the_buyer_its_discount(client, shop, network, make_affiliate, create_user):
    _partner, training_class = shop
    cookie_affiliate = make_affiliate(network, code="COOKIE")
    coupon_affiliate = make_affiliate(network, code="COUPON")
    learner = sign_up(client, "coupon@example.com", DAY0 - timedelta(days=1))
    click(client, "COOKIE", DAY0)
    from lms.affiliates.services.attribution import link_visitor

    link_visitor(learner.id, client.get_cookie("lms_ref").value.split(".")[0])
    with time_machine.travel(DAY0 + timedelta(days=1), tick=False):
        order = orders.start_class_order(learner, training_class.id)
        label = orders.apply_code(order, coupon_affiliate.coupons[0].code.lower(), learner)
        assert "COUPON-10" in label
        assert (order.net_amount, order.code_source) == (90000, "affiliates")
        orders.pay(order, provider_code="test", actor=learner)
        result = attribution.attribute_order(order.id)
    assert (result.rule, result.affiliate_id) == (AttributionRule.COUPON, coupon_affiliate.id)
    assert result.reason["coupon"] == "COUPON-10"
    commission = db.session.query(Commission).filter_by(order_id=order.id).one()
    assert (commission.affiliate_id, commission.base_amount, commission.amount) == (coupon_affiliate.id, 90000, 9000)
    assert cookie_affiliate.id not in {c.affiliate_id for c in db.session.query(Commission)}


def test_a_partner_channel_beats_network_affiliates_but_pays_the_partners_own(
    client, make_partner, make_class, network, partner_programme, make_affiliate, create_user
):
    partner, _admin = make_partner()
    training_class = make_class(partner, days=100, price=100000, academic=None, association=None)
    own = partner_programme(partner)
    network_affiliate = make_affiliate(network, code="NETWORK")
    learner = sign_up(client, "storefront@example.com", DAY0 - timedelta(days=1))
    click(client, "NETWORK", DAY0)
    from lms.affiliates.services.attribution import link_visitor

    visitor = client.get_cookie("lms_ref").value.split(".")[0]
    link_visitor(learner.id, visitor)
    # Bought on the partner's storefront: the partner brought the sale, the network affiliate steps back.
    order, result = buy(learner, training_class, DAY0 + timedelta(days=1), storefront_partner_id=partner.id)
    assert order.channel == Channel.PARTNER and order.channel_reason["rule"] == "storefront"
    assert (result.rule, result.affiliate_id) == (AttributionRule.PARTNER_CHANNEL, None)
    assert result.reason["lost"] == [{"via": "cookie", "why": "partner_channel", "affiliate_id": network_affiliate.id}]
    assert db.session.query(Commission).filter_by(order_id=order.id).count() == 0

    # The partner's own affiliate on its own storefront is paid, out of the partner's share.
    partner_affiliate = make_affiliate(own, code="PARTNERS")
    other = sign_up(client, "storefront2@example.com", DAY0 + timedelta(days=2))
    click(client, "PARTNERS", DAY0 + timedelta(days=3))
    link_visitor(other.id, client.get_cookie("lms_ref").value.split(".")[0])
    other_class = make_class(partner, days=120, price=100000, academic=None, association=None)
    order, result = buy(other, other_class, DAY0 + timedelta(days=4), storefront_partner_id=partner.id)
    assert (result.rule, result.affiliate_id) == (AttributionRule.COOKIE, partner_affiliate.id)
    commission = db.session.query(Commission).filter_by(order_id=order.id).one()
    assert (commission.payer_kind, commission.payer_owner_id) == ("partner", partner.id)


def test_a_network_coupon_on_a_partners_storefront_keeps_its_discount_but_the_partner_channel_wins(
    shop, network, make_affiliate, create_user
):
    partner, training_class = shop
    affiliate = make_affiliate(network, code="PROMO")
    learner = create_user()
    with time_machine.travel(DAY0, tick=False):
        order = orders.start_class_order(learner, training_class.id, storefront_partner_id=partner.id)
        orders.apply_code(order, affiliate.coupons[0].code, learner)
        assert order.net_amount == 90000
        orders.pay(order, provider_code="test", actor=learner)
        result = attribution.attribute_order(order.id)
    assert result.rule == AttributionRule.PARTNER_CHANNEL
    assert result.reason["lost"][0]["why"] == "partner_channel"
    assert result.reason["lost"][0]["coupon"] == "PROMO-10"


def test_a_partner_programmes_coupon_only_works_for_that_partners_classes(
    make_partner, make_class, partner_programme, make_affiliate, create_user, network
):
    from lms.core.errors import DomainError

    partner, _a = make_partner()
    other, _b = make_partner(name="Other Academy")
    affiliate = make_affiliate(partner_programme(partner), code="OWNCODE")
    learner = create_user()
    elsewhere = orders.start_class_order(learner, make_class(other, price=10000, academic=None, association=None).id)
    with pytest.raises(DomainError) as refused:
        orders.apply_code(elsewhere, affiliate.coupons[0].code, learner)
    assert partner.name in refused.value.message
    here = orders.start_class_order(create_user(), make_class(partner, price=10000, academic=None, association=None).id)
    orders.apply_code(here, affiliate.coupons[0].code, here.buyer)
    assert here.net_amount == 9000


def test_affiliates_cannot_use_their_own_coupon_and_unknown_codes_fall_through(
    shop, network, make_affiliate, create_user
):
    from lms.core.errors import DomainError

    _partner, training_class = shop
    affiliate = make_affiliate(network, code="MINE")
    order = orders.start_class_order(affiliate.user, training_class.id)
    with pytest.raises(DomainError) as own:
        orders.apply_code(order, affiliate.coupons[0].code, affiliate.user)
    assert "own" in own.value.message
    with pytest.raises(DomainError) as unknown:
        orders.apply_code(order, "NO-SUCH-CODE", affiliate.user)
    assert "do not know" in unknown.value.message


def test_attributing_twice_changes_nothing(client, shop, network, make_affiliate):
    _partner, training_class = shop
    make_affiliate(network, code="TWICE")
    click(client, "TWICE", DAY0)
    learner = sign_up(client, "twice@example.com", DAY0)
    order, first = buy(learner, training_class, DAY0 + timedelta(days=1))
    assert attribution.attribute_order(order.id).id == first.id
    assert db.session.query(OrderAttribution).filter_by(order_id=order.id).count() == 1
    assert db.session.query(Commission).filter_by(order_id=order.id).count() == 1


def test_paying_through_the_checkout_page_attributes_after_commit(client, shop, network, make_affiliate):
    """The real path: the order_paid signal queues the attribution, which runs after the commit."""
    _partner, training_class = shop
    make_affiliate(network, code="PAGE")
    click(client, "PAGE", DAY0)
    learner = sign_up(client, "page@example.com", DAY0)
    with time_machine.travel(DAY0 + timedelta(hours=1), tick=False):
        client.forget_csrf()
        booked = client.post(f"/classes/{training_class.id}/book", json={}, headers={"Accept": "application/json"})
        assert booked.status_code == 201, booked.get_data(as_text=True)
        order_id = booked.get_json()["order_id"]
        paid = client.post(f"/orders/{order_id}/pay", json={"provider": "test"}, headers={"Accept": "application/json"})
        assert paid.status_code == 200, paid.get_data(as_text=True)
    result = db.session.query(OrderAttribution).filter_by(order_id=order_id).one()
    assert result.rule == AttributionRule.BINDING  # bound at sign-up, right after the click
    assert db.session.get(Order, order_id).buyer_user_id == learner.id
    assert db.session.query(Commission).filter_by(order_id=order_id).one().amount == 10000
