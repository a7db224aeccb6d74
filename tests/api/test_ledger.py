"""The ledger through the API: balances, journal lines and statements — minor units and currency."""

from lms.core.time import utcnow
from lms.partners.services import orders, resale
from tests.api.conftest import bearer


def _sell_resold_seats(network, make_class, quantity=2):
    """Our partner buys ``quantity`` seats of the other partner's class at 1000.00 (60/20/20 split)."""
    theirs = make_class(network["other"], price=100000, academic=None, association=None, resale_allowed=True)
    order = resale.buy_seats(network["partner"], theirs, quantity=quantity, buyer=network["admin"])
    orders.pay(order, provider_code="test", actor=network["admin"])
    return order


def test_balances_and_lines_show_the_partners_share_in_minor_units(client, network, make_class, body):
    order = _sell_resold_seats(network, make_class)
    headers = bearer(network["token"])
    response = client.get("/api/v1/ledger/balances", headers=headers)
    assert response.status_code == 200, response.get_json()
    balances = response.get_json()["data"]
    assert balances == [
        {
            "currency": "USD",
            "pending": {"amount": 40000, "currency": "USD"},
            "available": {"amount": 0, "currency": "USD"},
            "total": {"amount": 40000, "currency": "USD"},
        }
    ]
    lines = client.get("/api/v1/ledger/lines", headers=headers).get_json()["data"]
    assert [(line["role"], line["amount"]) for line in lines] == [("reseller", {"amount": 40000, "currency": "USD"})]
    assert lines[0]["order_number"] == order.number and lines[0]["quantity"] == 2
    theirs = client.get("/api/v1/ledger/lines", headers=bearer(network["other_token"])).get_json()["data"]
    assert [(line["role"], line["amount"]["amount"]) for line in theirs] == [("delivering", 120000)]


def test_lines_filter_by_day_and_currency(client, network, make_class, body):
    _sell_resold_seats(network, make_class)
    headers = bearer(network["token"])
    today = utcnow().date().isoformat()
    assert len(client.get(f"/api/v1/ledger/lines?from={today}&to={today}", headers=headers).get_json()["data"]) == 1
    assert client.get("/api/v1/ledger/lines?from=2001-01-01&to=2001-12-31", headers=headers).get_json()["data"] == []
    assert client.get("/api/v1/ledger/lines?currency=EUR", headers=headers).get_json()["data"] == []


def test_the_monthly_statement_matches_the_money_page(client, network, make_class, body):
    _sell_resold_seats(network, make_class)
    now = utcnow()
    headers = bearer(network["token"])
    months = client.get("/api/v1/ledger/statements", headers=headers).get_json()["data"]
    assert months == [{"year": now.year, "month": now.month}]
    statement = client.get(f"/api/v1/ledger/statement?year={now.year}&month={now.month}", headers=headers)
    assert statement.status_code == 200
    [section] = statement.get_json()["sections"]
    assert section["opening"] == {"amount": 0, "currency": "USD"}
    assert section["closing"] == section["credits"] == {"amount": 40000, "currency": "USD"}
    assert section["lines"][0]["description"].endswith("× 2")
    assert client.get("/api/v1/ledger/statement?year=2026&month=13", headers=headers).status_code == 422


def test_a_partner_without_postings_has_an_empty_ledger_and_scope_is_needed(client, network, make_key):
    headers = bearer(network["token"])
    assert client.get("/api/v1/ledger/balances", headers=headers).get_json() == {"data": []}
    assert client.get("/api/v1/ledger/lines", headers=headers).get_json() == {"data": [], "next_cursor": None}
    _key, token = make_key(network["partner"], scopes=["seats:write"])
    assert client.get("/api/v1/ledger/balances", headers=bearer(token)).status_code == 403
    assert client.get("/api/v1/ledger/lines").status_code == 401


def test_a_made_up_cursor_is_refused_even_before_the_first_posting(client, network):
    response = client.get("/api/v1/ledger/lines?cursor=abc", headers=bearer(network["token"]))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_cursor"
