"""Signed credentials: Open Badges 3.0 AchievementCredentials (W3C VC 2.0) secured as VC-JWT (EdDSA).

* The issuer is the deployment's ``did:web`` (from ``BASE_URL``); its Ed25519 keys are published
  in ``/.well-known/did.json`` and ``/.well-known/jwks.json``. Retired keys stay published, so a
  credential signed before a rotation keeps verifying.
* The JWT header names the key (``kid`` = ``<did>#<thumbprint>``); the payload is the credential
  itself (VC-JOSE-COSE) plus the registered claims ``iss``, ``jti``, ``iat``, ``nbf`` and ``exp``,
  so a generic JWT library checks signature and validity period.
* Revocation and suspension are published as two Bitstring Status List credentials; every
  certificate holds one position in both.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import warnings
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from lms.certificates.models import Certificate, CertificateStatus, KeyStatus, SigningKey
from lms.certificates.numbering import PREFIX, STATUS_LIST_SIZE
from lms.core.db import advisory_lock
from lms.core.time import utcnow
from lms.extensions import db

ALGORITHM = "EdDSA"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
STATUS_PURPOSES = ("revocation", "suspension")
#: Which certificate states set the bit in each list (superseded = replaced, so no longer valid).
STATUS_BITS = {
    "revocation": (CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED),
    "suspension": (CertificateStatus.SUSPENDED,),
}

_private_keys: dict[str, Any] = {}


class CredentialError(ValueError):
    """A credential did not verify."""


# --- the issuer's identity ----------------------------------------------------------------------


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def issuer_did() -> str:
    """``did:web`` of the deployment: host (port percent-encoded), then path segments."""
    parts = urlsplit(base_url())
    host = parts.hostname or "localhost"
    if parts.port:
        host = f"{host}%3A{parts.port}"
    segments = [quote(s, safe="") for s in parts.path.split("/") if s]
    return ":".join(["did:web", host, *segments])


def verification_method(kid: str) -> str:
    return f"{issuer_did()}#{kid}"


# --- keys -------------------------------------------------------------------------------------------


def _wrapping_key() -> bytes:
    secret = current_app.config["SECRET_KEY"].encode()
    return HKDF(algorithm=SHA256(), length=32, salt=b"lms.certificates", info=b"signing-key").derive(secret)


def _encrypt(private_pem: bytes) -> str:
    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(_wrapping_key()).encrypt(nonce, private_pem, b"lms-signing-key")).decode()


def _decrypt(blob: str) -> bytes:
    raw = base64.b64decode(blob)
    return AESGCM(_wrapping_key()).decrypt(raw[:12], raw[12:], b"lms-signing-key")


def _new_key() -> SigningKey:
    from joserfc.jwk import OKPKey

    key = OKPKey.generate_key("Ed25519")
    kid = key.thumbprint()
    public = {**key.as_dict(private=False), "kid": kid, "alg": ALGORITHM, "use": "sig"}
    row = SigningKey(
        kid=kid,
        algorithm=ALGORITHM,
        public_jwk=public,
        private_key_encrypted=_encrypt(key.as_pem(private=True)),
        status=KeyStatus.ACTIVE,
    )
    db.session.add(row)
    db.session.flush()
    return row


def active_key() -> SigningKey:
    """The key new credentials are signed with; generated on first use (once, under a lock)."""
    stmt = sa.select(SigningKey).where(SigningKey.status == KeyStatus.ACTIVE)
    key = db.session.execute(stmt).scalar_one_or_none()
    if key is not None:
        return key
    advisory_lock("lms.certificates.signing-key")
    return db.session.execute(stmt).scalar_one_or_none() or _new_key()


def rotate_key() -> tuple[SigningKey | None, SigningKey]:
    """Retire the active key (it stays published for verification) and make a new one active."""
    advisory_lock("lms.certificates.signing-key")
    old = db.session.execute(sa.select(SigningKey).where(SigningKey.status == KeyStatus.ACTIVE)).scalar_one_or_none()
    if old is not None:
        old.status = KeyStatus.RETIRED
        old.retired_at = utcnow()
        db.session.flush()
    return old, _new_key()


def published_keys() -> list[SigningKey]:
    return list(db.session.execute(sa.select(SigningKey).order_by(SigningKey.id)).scalars())


def _private_key(key: SigningKey) -> Any:
    from joserfc.jwk import OKPKey

    cached = _private_keys.get(key.kid)
    if cached is None:
        cached = OKPKey.import_key(_decrypt(key.private_key_encrypted))
        _private_keys[key.kid] = cached
    return cached


def sign(payload: dict[str, Any], key: SigningKey | None = None, typ: str = "vc+jwt") -> tuple[str, str]:
    """Compact JWS of ``payload``; returns (token, kid)."""
    from joserfc import jws

    key = key or active_key()
    header = {"alg": ALGORITHM, "kid": verification_method(key.kid), "typ": typ}
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, sort_keys=False)
    with warnings.catch_warnings():
        # joserfc flags "EdDSA" as superseded by the fully-specified "Ed25519" (RFC 9864); verifiers
        # in the field (and PyJWT) still expect "EdDSA".
        warnings.simplefilter("ignore")
        token = jws.serialize_compact(header, body.encode(), _private_key(key), algorithms=[ALGORITHM])
    return token, key.kid


def verify(token: str) -> dict[str, Any]:
    """Check a VC-JWT against our published keys; returns the payload or raises CredentialError."""
    from joserfc import jws
    from joserfc.errors import JoseError
    from joserfc.jwk import OKPKey

    try:
        header = json.loads(_b64decode(token.split(".")[0]))
    except (ValueError, IndexError) as exc:
        raise CredentialError("not a compact JWS") from exc
    kid = str(header.get("kid", "")).rpartition("#")[2]
    key = db.session.execute(sa.select(SigningKey).where(SigningKey.kid == kid)).scalar_one_or_none()
    if key is None or header.get("alg") != ALGORITHM:
        raise CredentialError("signed with an unknown key")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = jws.deserialize_compact(token, OKPKey.import_key(key.public_jwk), algorithms=[ALGORITHM])
    except JoseError as exc:
        raise CredentialError("signature does not verify") from exc
    return json.loads(result.payload)


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def did_document() -> dict[str, Any]:
    did = issuer_did()
    methods = [
        {
            "id": verification_method(key.kid),
            "type": "JsonWebKey",
            "controller": did,
            "publicKeyJwk": {k: v for k, v in key.public_jwk.items() if k in ("kty", "crv", "x", "kid", "alg")},
        }
        for key in published_keys()
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
        "authentication": [m["id"] for m in methods],
    }


def jwks() -> dict[str, Any]:
    return {"keys": [dict(key.public_jwk) for key in published_keys()]}


# --- the credential ----------------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def status_list_url(purpose: str, list_number: int) -> str:
    return f"{base_url()}/credentials/status/{purpose}/{list_number}"


def verification_url(certificate: Certificate) -> str:
    return f"{base_url()}/verify/{certificate.token}"


def build_credential(
    certificate: Certificate,
    *,
    body_name: str,
    holder_email: str,
) -> dict[str, Any]:
    """The OB 3.0 AchievementCredential of a certificate (plain JSON, before signing)."""
    did = issuer_did()
    salt = hashlib.sha256(f"{certificate.credential_id}:salt".encode()).hexdigest()[:16]
    identifiers: list[dict[str, Any]] = [
        {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": certificate.holder_name},
        {
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": True,
            "salt": salt,
            "identityHash": "sha256$" + hashlib.sha256((holder_email.lower() + salt).encode()).hexdigest(),
        },
    ]
    if certificate.holder_name_latin and certificate.holder_name_latin != certificate.holder_name:
        identifiers.insert(
            1,
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": certificate.holder_name_latin,
            },
        )
    issuer = {"id": did, "type": ["Profile"], "name": body_name, "url": base_url()}
    achievement: dict[str, Any] = {
        "id": f"{base_url()}/certifications/{certificate.certification_code.lower()}",
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": certificate.certification_name("en"),
        "description": f"{certificate.certification_name('en')} certification, scheme {certificate.scheme_version}.",
        "criteria": {
            "narrative": "Passed the certification exam under the certification body's scheme "
            "(and completed the course where the certification requires it)."
        },
        "creator": issuer,
        "humanCode": f"{PREFIX}-{certificate.certification_code}",
        "version": certificate.scheme_version,
        "inLanguage": "en",
    }
    translations = {k: v for k, v in (certificate.certification_names or {}).items() if k != "en"}
    if translations:
        achievement["alternateName"] = [{"@language": k, "@value": v} for k, v in sorted(translations.items())]
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": identifiers,
        "achievement": achievement,
        "licenseNumber": certificate.number,
        "activityEndDate": _iso(certificate.awarded_at),
    }
    if certificate.partner_id and certificate.partner_name:
        # The delivering partner assessed the learner's training on the body's behalf.
        subject["source"] = {
            "id": f"{base_url()}/partners/{certificate.partner_id}",
            "type": ["Profile"],
            "name": certificate.partner_name,
        }
    statuses = [
        {
            "id": f"{status_list_url(purpose, certificate.status_list or 1)}#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": status_list_url(purpose, certificate.status_list or 1),
        }
        for purpose in STATUS_PURPOSES
    ]
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": certificate.credential_id,
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": f"{certificate.certification_name('en')} — {certificate.number}",
        "issuer": issuer,
        "validFrom": _iso(certificate.issued_at),
        "validUntil": _iso(certificate.expires_at),
        "awardedDate": _iso(certificate.awarded_at),
        "credentialSubject": subject,
        "credentialStatus": statuses,
        "evidence": [
            {
                "id": verification_url(certificate),
                "type": ["Evidence"],
                "name": "Public verification page",
            }
        ],
    }


def sign_credential(credential: dict[str, Any], key: SigningKey | None = None) -> tuple[str, str]:
    """VC-JWT of a credential: the credential as payload, plus the registered JWT claims."""
    payload = dict(credential)
    payload.update(
        {
            "iss": credential["issuer"]["id"],
            "jti": credential["id"],
            "iat": int(_parse(credential["validFrom"]).timestamp()),
            "nbf": int(_parse(credential["validFrom"]).timestamp()),
            "exp": int(_parse(credential["validUntil"]).timestamp()),
        }
    )
    return sign(payload, key)


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# --- status lists -------------------------------------------------------------------------------------


def encoded_list(indices: list[int], size: int = STATUS_LIST_SIZE) -> str:
    """Multibase (``u`` = base64url, no padding) of the GZIP of the bitstring; index 0 is the left-most bit."""
    bits = bytearray(size // 8)
    for index in indices:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode_list(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise CredentialError("status list is not base64url multibase")
    return gzip.decompress(_b64decode(encoded[1:]))


def bit_is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(purpose: str, list_number: int) -> dict[str, Any]:
    indices = list(
        db.session.execute(
            sa.select(Certificate.status_index).where(
                Certificate.status_list == list_number,
                Certificate.status.in_(STATUS_BITS[purpose]),
                Certificate.status_index.is_not(None),
            )
        ).scalars()
    )
    url = status_list_url(purpose, list_number)
    now = utcnow()
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did(),
        "validFrom": _iso(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded_list(indices),
        },
    }


def signed_status_list(purpose: str, list_number: int) -> str:
    credential = status_list_credential(purpose, list_number)
    payload = {**credential, "iss": credential["issuer"], "jti": credential["id"], "iat": int(utcnow().timestamp())}
    return sign(payload)[0]
