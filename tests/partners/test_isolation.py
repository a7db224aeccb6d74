"""Another partner's objects are a 404 on every partner route, export and download, and a learner
cannot reach someone else's order, seat or waiting-list entry."""

from __future__ import annotations

import pytest

from lms.accounts.models import OrganisationKind
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.services import orders, seats


def _partner_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("partner_portal.") and rule.arguments - {"year", "month"}:
            yield rule


def test_every_partner_route_answers_404_for_another_partners_objects(app, client, login, world):
    login(client, world["b_admin"])
    checked = []
    for rule in _partner_rules(app):
        values = {name: world["ids"][name] for name in rule.arguments}
        url = rule.build(values)[1]
        method = "POST" if "POST" in rule.methods and "GET" not in rule.methods else "GET"
        response = (
            client.post(url, data={"reason": "x", "email": "y@example.com"}) if method == "POST" else client.get(url)
        )
        assert response.status_code == 404, (rule.endpoint, url, response.status_code)
        checked.append(rule.endpoint)
    # The walk above covered every partner route that takes an id, downloads and exports included.
    assert {
        "partner_portal.roster_csv",
        "partner_portal.voucher_batch_csv",
        "partner_portal.class_flyer",
        "partner_portal.cohort_members_csv",
        "partner_portal.cohort_import_progress",
    } <= set(checked)
    assert len(checked) >= 35


def test_exports_without_ids_show_only_the_partners_own_rows(client, login, world):
    login(client, world["b_admin"])
    assert "A codes" not in client.get("/partner/vouchers").get_data(as_text=True)
    assert world["a"].slug not in client.get("/partner/vouchers.csv").get_data(as_text=True)
    assert client.get("/partner/members.csv").status_code == 404  # a training partner keeps no member roster
    statement = client.get(f"/partner/statements/{utcnow():%Y}-{utcnow().month}.csv").get_data(as_text=True)
    assert world["a_order"].number not in statement


def test_learners_cannot_reach_other_peoples_orders_seats_or_waiting_list(
    client, login, create_user, world, make_class
):
    intruder = create_user()
    login(client, intruder)
    learner_order = db.session.execute(
        db.select(orders.Order).where(orders.Order.buyer_user_id == world["learner"].id)
    ).scalar_one()
    assert client.get(f"/orders/{learner_order.id}").status_code == 404
    assert client.post(f"/orders/{learner_order.id}/pay", data={"provider": "test"}).status_code == 404
    assert client.post(f"/orders/{world['a_order'].id}/cancel").status_code == 404
    assert client.post(f"/my/seats/{world['ids']['seat_id']}/cancel", data={"reason": "x"}).status_code == 404
    assert (
        client.post(f"/my/seats/{world['ids']['seat_id']}/transfer", data={"email": "z@example.com"}).status_code == 404
    )
    full = make_class(world["a"], capacity=1)
    db.session.commit()
    other = create_user()
    seats.take_free_seat(full.id, user_id=create_user().id, source=seats.EnrolmentSource.STAFF, actor_id=None)
    entry = seats.join_waitlist(full.id, other)
    db.session.commit()
    assert client.post(f"/waitlist/{entry.id}/leave").status_code == 404


def test_a_reseller_sees_its_own_seat_but_not_the_delivering_partners_pages(client, login, world):
    login(client, world["b_admin"])
    assert (
        client.post(
            f"/partner/resale/seats/{world['resold_seat'].id}/assign", data={"email": "q@example.com"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize("path", ["/staff/network/", "/staff/network/orders"])
def test_partners_are_kept_out_of_staff_pages(client, login, world, path):
    login(client, world["b_admin"])
    assert client.get(path).status_code == 403


def test_instructors_take_attendance_only_in_their_own_partners_classes(
    client, login, world, create_user, make_partner
):
    other, _admin = make_partner(OrganisationKind.TRAINING_PARTNER, name="Delta")
    from lms.core.security import Role

    teacher = create_user(roles=[(other, Role.INSTRUCTOR)])
    login(client, teacher)
    url = f"/partner/classes/{world['ids']['class_id']}/attendance/{world['ids']['meeting_id']}"
    assert client.get(url).status_code == 404
