"""Certificates through the API: the partner's learners' certificates, and verification as on the public page."""

import pytest

from lms.certificates.services.status import StatusAction, change_status
from tests.api.conftest import bearer


@pytest.fixture
def issued(network, pass_exam, make_track, create_user):
    """A certificate naming our partner, and one naming the other partner."""
    track = make_track("DEV")
    mine = pass_exam(create_user(legal_name="Layla Hassan", display_name="Layla"), track, network["partner"])
    theirs = pass_exam(create_user(legal_name="Jonas Weber"), track, network["other"])
    assert mine is not None and theirs is not None
    return mine, theirs


def test_the_partners_certificates_are_listed_and_got(client, network, issued):
    mine, theirs = issued
    headers = {**bearer(network["token"]), "Accept-Language": "de"}
    listed = client.get("/api/v1/certificates", headers=headers)
    assert listed.status_code == 200
    [data] = listed.get_json()["data"]
    assert data["id"] == mine.id and data["number"] == mine.number
    assert data["holder_name"] == "Layla Hassan" and data["learner"]["display_name"] == "Layla"
    assert data["status"] == "active" and data["valid"] is True
    assert data["certification_name"] == "AI+ Entwickler"
    assert data["verify_url"].endswith(f"/verify/{mine.token}")
    assert client.get(f"/api/v1/certificates/{mine.id}", headers=headers).get_json() == data
    assert client.get(f"/api/v1/certificates/{theirs.id}", headers=headers).status_code == 404


def test_any_certificate_verifies_by_token_or_by_number_and_surname(client, network, issued):
    _mine, theirs = issued
    headers = bearer(network["token"])
    by_token = client.get(f"/api/v1/certificates/verify?token={theirs.token}", headers=headers)
    assert by_token.status_code == 200
    body = by_token.get_json()
    assert body["number"] == theirs.number and body["valid"] is True
    assert body["holder"]["name"] == "Jonas Weber"
    assert body["expires_on"] == theirs.expires_at.date().isoformat()
    # The same statement as the public page's JSON.
    public = client.get(f"/verify/{theirs.token}.json").get_json()
    for name in ("number", "status", "valid", "holder", "issued_on", "expires_on", "superseded_by"):
        assert body[name] == public[name]
    looked_up = client.get(f"/api/v1/certificates/lookup?number={theirs.number}&surname=weber")
    assert looked_up.status_code == 200 and looked_up.get_json() == {**body}
    wrong_surname = client.get(f"/api/v1/certificates/lookup?number={theirs.number}&surname=Hassan")
    assert wrong_surname.status_code == 404
    assert client.get("/api/v1/certificates/verify?token=nope").status_code == 404


def test_a_revoked_certificate_verifies_as_revoked(client, network, issued, staff_user):
    mine, _theirs = issued
    change_status(mine.id, StatusAction.REVOKE, reason="Exam fraud", actor_id=staff_user.id)
    body = client.get(f"/api/v1/certificates/verify?token={mine.token}").get_json()
    assert body["status"] == "revoked" and body["valid"] is False
    listed = client.get("/api/v1/certificates?status=revoked", headers=bearer(network["token"])).get_json()["data"]
    assert [c["id"] for c in listed] == [mine.id]


def test_certificates_need_certificates_read(client, network, issued, make_key):
    mine, _theirs = issued
    _key, token = make_key(network["partner"], scopes=["results:read"])
    assert client.get("/api/v1/certificates", headers=bearer(token)).status_code == 403
    assert client.get(f"/api/v1/certificates/verify?token={mine.token}", headers=bearer(token)).status_code == 403
    assert client.get("/api/v1/certificates").status_code == 401
