"""The signed credential: OB 3.0 / VC 2.0 shape, verified by an independent library (PyJWT) against
the published keys; tampering fails; rotation keeps old credentials verifiable; status lists."""

from __future__ import annotations

import base64
import gzip
import json

import jwt as pyjwt
import pytest

from lms.certificates import credentials
from lms.certificates.services.status import StatusAction, change_status
from lms.extensions import db


def _verify_with_pyjwt(token: str, jwks: dict) -> dict:
    header = pyjwt.get_unverified_header(token)
    kid = header["kid"].rpartition("#")[2]
    jwk = next(k for k in jwks["keys"] if k["kid"] == kid)
    key = pyjwt.PyJWK(jwk).key
    return pyjwt.decode(token, key=key, algorithms=["EdDSA"], options={"verify_aud": False})


def test_the_credential_verifies_with_pyjwt_against_the_published_keys(client, certificate):
    jwks = client.get("/.well-known/jwks.json").get_json()
    payload = _verify_with_pyjwt(certificate.credential_jwt, jwks)

    assert payload["type"] == ["VerifiableCredential", "AchievementCredential"]
    assert payload["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "purl.imsglobal.org/spec/ob/v3p0" in payload["@context"][1]
    assert payload["issuer"]["id"] == "did:web:localhost" == payload["iss"]
    assert payload["issuer"]["name"] == "AI Certification Council"
    assert payload["id"] == certificate.credential_id == payload["jti"]
    subject = payload["credentialSubject"]
    assert subject["licenseNumber"] == certificate.number
    assert {"identityType": "name", "identityHash": "ليلى حسن"}.items() <= subject["identifier"][0].items()
    assert subject["achievement"]["achievementType"] == "Certification"
    assert subject["achievement"]["creator"]["name"] == "AI Certification Council"
    assert subject["achievement"]["version"] == "2026.1"
    assert subject["source"]["name"] == "Gulf AI Academy"
    assert payload["validUntil"].startswith(certificate.expires_at.date().isoformat())
    purposes = {s["statusPurpose"]: s for s in payload["credentialStatus"]}
    assert set(purposes) == {"revocation", "suspension"}
    assert purposes["revocation"]["statusListIndex"] == str(certificate.status_index)
    assert "score" not in json.dumps(payload).lower()
    header = pyjwt.get_unverified_header(certificate.credential_jwt)
    assert header["alg"] == "EdDSA" and header["typ"] == "vc+jwt"


def test_the_did_document_publishes_the_signing_key(client, certificate):
    did = client.get("/.well-known/did.json")
    assert did.status_code == 200
    document = did.get_json()
    assert document["id"] == "did:web:localhost"
    kid = pyjwt.get_unverified_header(certificate.credential_jwt)["kid"]
    assert kid in document["assertionMethod"]
    method = next(m for m in document["verificationMethod"] if m["id"] == kid)
    assert method["publicKeyJwk"]["crv"] == "Ed25519"
    assert "d" not in method["publicKeyJwk"]  # never the private half
    assert all("d" not in key for key in client.get("/.well-known/jwks.json").get_json()["keys"])


def test_a_tampered_credential_fails(client, certificate):
    jwks = client.get("/.well-known/jwks.json").get_json()
    header, payload, signature = certificate.credential_jwt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    tampered = f"{header}.{forged}.{signature}"

    with pytest.raises(pyjwt.InvalidSignatureError):
        _verify_with_pyjwt(tampered, jwks)
    with pytest.raises(credentials.CredentialError):
        credentials.verify(tampered)
    # A valid signature from another key does not pass either.
    from joserfc.jwk import OKPKey

    stranger = OKPKey.generate_key("Ed25519")
    jwk = {
        **stranger.as_dict(private=False),
        "kid": pyjwt.get_unverified_header(certificate.credential_jwt)["kid"].rpartition("#")[2],
    }
    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt.decode(certificate.credential_jwt, key=pyjwt.PyJWK(jwk).key, algorithms=["EdDSA"])


def test_rotation_keeps_old_credentials_verifiable(client, certificate, pass_exam, create_user, track, partner):
    old_kid = certificate.key_id
    old_key, new_key = credentials.rotate_key()
    db.session.commit()
    newer = pass_exam(create_user(), track, partner)

    assert old_key.kid == old_kid and newer.key_id == new_key.kid != old_kid
    jwks = client.get("/.well-known/jwks.json").get_json()
    assert {k["kid"] for k in jwks["keys"]} == {old_kid, new_key.kid}
    assert _verify_with_pyjwt(certificate.credential_jwt, jwks)["jti"] == certificate.credential_id
    assert _verify_with_pyjwt(newer.credential_jwt, jwks)["jti"] == newer.credential_id
    assert credentials.verify(certificate.credential_jwt)


def _bit(client, jwks, purpose: str, certificate) -> bool:
    response = client.get(f"/credentials/status/{purpose}/{certificate.status_list}")
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    status_list = _verify_with_pyjwt(response.get_data(as_text=True), jwks)
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = status_list["credentialSubject"]
    assert subject["statusPurpose"] == purpose
    encoded = subject["encodedList"]
    assert encoded.startswith("u")
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131_072
    index = certificate.status_index
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_the_status_lists_reflect_suspension_and_revocation(client, certificate, staff_user):
    jwks = client.get("/.well-known/jwks.json").get_json()
    assert not _bit(client, jwks, "revocation", certificate)
    assert not _bit(client, jwks, "suspension", certificate)

    change_status(certificate.id, StatusAction.SUSPEND, reason="Under investigation", actor_id=staff_user.id)
    db.session.commit()
    assert _bit(client, jwks, "suspension", certificate) and not _bit(client, jwks, "revocation", certificate)

    change_status(certificate.id, StatusAction.REVOKE, reason="Exam fraud confirmed", actor_id=staff_user.id)
    db.session.commit()
    assert _bit(client, jwks, "revocation", certificate) and not _bit(client, jwks, "suspension", certificate)
    assert client.get("/credentials/status/other/1").status_code == 404


def test_did_web_encodes_the_port_and_path(app):
    with app.test_request_context():
        app.config["BASE_URL"] = "https://certs.example.org:8443/lms"
        try:
            assert credentials.issuer_did() == "did:web:certs.example.org%3A8443:lms"
        finally:
            app.config["BASE_URL"] = "http://localhost"
