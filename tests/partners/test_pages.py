"""Every partner, learner and staff page renders for the people it is for (no template errors)."""

from __future__ import annotations

import pytest

from lms.accounts.models import OrganisationKind
from lms.core.time import utcnow
from lms.extensions import db

#: Partner routes that answer 404 to this partner by design (with the reason).
NOT_FOR_THIS_PARTNER = {
    "partner_portal.resale_class",  # its own class: it sells it directly, it does not resell it
    "partner_portal.members",  # a training partner keeps no member roster
    "partner_portal.members_csv",
    "partner_portal.branding_signature_image",  # no signature uploaded
}


def test_every_partner_page_renders_for_its_partner(app, client, login, world):
    login(client, world["a_admin"])
    now = utcnow()
    ids = dict(world["ids"], year=now.year, month=now.month)
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("partner_portal.") or "GET" not in rule.methods:
            continue
        url = rule.build({name: ids[name] for name in rule.arguments})[1]
        response = client.get(url)
        expected = 404 if rule.endpoint in NOT_FOR_THIS_PARTNER else 200
        assert response.status_code == expected, (rule.endpoint, url, response.get_data(as_text=True)[:500])
        checked += 1
    assert checked >= 25
    # A reseller's view of another partner's class it may resell.
    assert client.get(f"/partner/resale/classes/{world['c_class'].id}").status_code == 200


def test_learner_pages_render(client, login, world):
    login(client, world["learner"])
    from lms.partners.models import Order

    order = db.session.execute(db.select(Order.id).where(Order.buyer_user_id == world["learner"].id)).scalar_one()
    for path in (
        "/my/classes",
        f"/orders/{order}",
        "/vouchers/redeem",
        "/membership",
        "/partners/apply",
        "/my/calendar",
        "/dashboard",
        f"/classes/{world['ids']['class_id']}",
        f"/p/{world['a'].slug}/classes/{world['ids']['class_id']}",
    ):
        response = client.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:500])


def test_staff_pages_render(client, login, world, staff_user):
    login(client, staff_user)
    order = world["a_order"]
    for path in (
        "/staff/network/",
        "/staff/network/orders",
        "/staff/network/orders?status=paid",
        f"/staff/network/orders/{order.id}",
        f"/staff/network/partners/{world['a'].id}",
        "/dashboard",
    ):
        response = client.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:500])


def test_association_member_pages_render(client, login, make_partner):
    _association, admin = make_partner(OrganisationKind.ASSOCIATION, name="Society")
    login(client, admin)
    assert client.get("/partner/members").status_code == 200
    assert client.post("/partner/members/codes", data={"count": 3}).status_code == 302
    assert client.get("/partner/members.csv").get_data(as_text=True).count("MBR-") == 3


@pytest.mark.parametrize("lang", ["ar", "ja", "de"])
def test_pages_render_in_other_languages(client, login, world, lang):
    client.post("/language", data={"lang": lang})
    for path in ("/schedule", f"/p/{world['a'].slug}", f"/classes/{world['ids']['class_id']}"):
        assert client.get(path).status_code == 200
    login(client, world["a_admin"])
    client.post("/language", data={"lang": lang})
    for path in ("/dashboard", "/partner/classes", f"/partner/classes/{world['ids']['class_id']}", "/partner/money"):
        assert client.get(path).status_code == 200, path
