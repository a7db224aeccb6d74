"""commission.approved reaches the partner whose affiliate programme earned it (signed, as every event)."""

# ruff: noqa: F401, F811 (fixtures imported from the affiliates and webhook tests)

from datetime import timedelta

from lms.affiliates.services import commissions
from lms.api.services import webhooks
from lms.extensions import db
from tests.affiliates.conftest import _fresh_link_memory, make_affiliate, network, partner_programme, staff
from tests.affiliates.test_commissions import DAY0, commission_of, seat, sell
from tests.api.test_webhooks import load_example, receiver, send_due


def test_an_approved_commission_of_a_partner_programme_is_sent_to_that_partner(
    network, partner_programme, make_affiliate, seat, sell, receiver
):
    partner = seat.partner
    _endpoint, secret = webhooks.create_endpoint(
        partner_id=partner.id, url=receiver.url, events=["commission.approved"], actor_id=None
    )
    db.session.flush()
    own = partner_programme(partner)
    affiliate = make_affiliate(own, code="HOOKED")
    network_affiliate = make_affiliate(network, code="ELSEWHERE")
    commission = commission_of(sell(affiliate, seat()))
    sell(network_affiliate, seat())  # the network programme's commission is no partner's event
    approved = commissions.approve_due(DAY0 + timedelta(days=30))
    assert commission.id in approved and len(approved) == 2
    send_due()
    events = receiver.events()
    assert [(e["type"], e["partner_id"], e["data"]) for e in events] == [
        ("commission.approved", partner.id, {"commission_id": commission.id, "affiliate_id": affiliate.id})
    ]
    headers, body = receiver.requests[0]
    assert load_example().verify_signature(secret, headers["LMS-Signature"], body)
