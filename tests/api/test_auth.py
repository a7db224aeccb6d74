"""Who may call what: keys, scopes, revocation, expiry, partner scoping, learner sessions, CSRF."""

from datetime import timedelta

import pytest
import time_machine

from lms.api.framework import AUTH_ATTRIBUTE
from lms.api.models import ApiKey
from lms.api.services import keys
from lms.core.time import utcnow
from lms.courses import services as courses
from lms.courses.models import EnrolmentSource
from lms.extensions import db
from tests.api.conftest import bearer

#: The /api endpoints anyone may call (the documented public ones).
PUBLIC_API_ENDPOINTS = {
    "api_docs.openapi_json",
    "api_docs.docs",
    "api_catalog.list_tracks",
    "api_catalog.get_track",
    "api_catalog.list_courses",
    "api_catalog.get_course",
    "api_events.list_events",
    "api_certificates.verify_certificate",
    "api_certificates.lookup_certificate",
}


def _api_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                url = rule.rule
                for argument in rule.arguments:
                    url = url.replace(f"<id:{argument}>", "1").replace(f"<int:{argument}>", "1")
                yield rule.endpoint, method, url


def test_every_api_view_is_guarded_by_api_view_or_is_public_documentation(app):
    unguarded = [
        endpoint
        for endpoint, _method, _url in _api_routes(app)
        if not hasattr(app.view_functions[endpoint], AUTH_ATTRIBUTE)
        and endpoint not in {"api_docs.openapi_json", "api_docs.docs"}
    ]
    assert unguarded == []


def test_every_api_route_refuses_anonymous_callers_except_the_public_ones(app, client):
    seen_public = set()
    for endpoint, method, url in _api_routes(app):
        response = client.open(url, method=method, json={} if method in {"POST", "PATCH", "PUT"} else None)
        if endpoint in PUBLIC_API_ENDPOINTS:
            seen_public.add(endpoint)
            assert response.status_code != 401, (method, url)
            continue
        assert response.status_code == 401, (method, url, response.status_code)
        error = response.get_json()["error"]
        assert error["code"] == "unauthorized" and error["message"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert seen_public == PUBLIC_API_ENDPOINTS


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Bearer lms_nosuchkey123_abcdefghijklmnopqrstuvwxyz", "invalid_api_key"),
        ("Bearer not-a-key", "invalid_api_key"),
        ("Basic dXNlcjpwYXNz", "invalid_api_key"),
    ],
)
def test_unknown_or_malformed_keys_are_refused(client, header, code):
    response = client.get("/api/v1/enrolments", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == code


def test_a_wrong_secret_for_a_real_key_id_is_refused(client, key):
    _api_key, token = key
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    response = client.get("/api/v1/enrolments", headers=bearer(forged))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_api_key"


def test_revoked_keys_are_refused_with_their_own_message(client, key):
    api_key, token = key
    assert client.get("/api/v1/enrolments", headers=bearer(token)).status_code == 200
    keys.revoke_api_key(api_key, actor_id=None)
    db.session.flush()
    response = client.get("/api/v1/enrolments", headers=bearer(token))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "api_key_revoked"


def test_expired_keys_are_refused(client, make_key, partner):
    _api_key, token = make_key(partner, expires_at=utcnow() + timedelta(days=1))
    assert client.get("/api/v1/enrolments", headers=bearer(token)).status_code == 200
    with time_machine.travel(utcnow() + timedelta(days=2)):
        response = client.get("/api/v1/enrolments", headers=bearer(token))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "api_key_expired"


def test_a_key_without_the_scope_is_forbidden(client, make_key, partner, course):
    _api_key, token = make_key(partner, scopes=["catalog:read"])
    for method, url, body in [
        ("GET", "/api/v1/enrolments", None),
        ("GET", "/api/v1/learners/1/progress", None),
        ("POST", "/api/v1/enrolments/bulk", {"rows": [{"email": "a@example.com", "course_id": course.id}]}),
    ]:
        response = client.open(url, method=method, json=body, headers=bearer(token))
        assert response.status_code == 403, url
        error = response.get_json()["error"]
        assert error["code"] == "insufficient_scope"
        assert "enrolments:" in error["message"]
    assert client.get("/api/v1/courses", headers=bearer(token)).status_code == 200


def test_public_endpoints_check_a_key_when_one_is_sent(client, make_key, partner):
    _api_key, token = make_key(partner, scopes=["enrolments:read"])
    assert client.get("/api/v1/courses").status_code == 200
    assert client.get("/api/v1/courses", headers=bearer(token)).status_code == 403
    assert client.get("/api/v1/courses", headers=bearer("lms_aaaaaaaaaaaa_" + "x" * 30)).status_code == 401


def test_another_partners_enrolments_and_learners_are_not_found(client, token, other_partner, course, create_user):
    learner = create_user()
    theirs = courses.enrol(
        user_id=learner.id,
        course_version_id=course.current_version.id,
        source=EnrolmentSource.PARTNER,
        partner_id=other_partner.id,
    )
    db.session.flush()
    assert client.get(f"/api/v1/enrolments/{theirs.id}", headers=bearer(token)).status_code == 404
    assert client.get(f"/api/v1/learners/{learner.id}/progress", headers=bearer(token)).status_code == 404
    listed = client.get("/api/v1/enrolments", headers=bearer(token)).get_json()
    assert listed["data"] == []
    assert client.get(f"/api/v1/enrolments?learner_id={learner.id}", headers=bearer(token)).get_json()["data"] == []
    # Enrolling that learner again does not reveal the other partner's enrolment.
    response = client.post(
        "/api/v1/enrolments/bulk",
        json={"rows": [{"email": learner.email, "course_id": course.id}]},
        headers=bearer(token),
    )
    row = response.get_json()["results"][0]
    assert row["status"] == "failed" and row["enrolment"] is None
    assert row["error"]["code"] == "enrolled_elsewhere"


def test_own_enrolments_and_resold_ones_are_visible(client, token, partner, other_partner, course, create_user):
    delivered = create_user()
    resold = create_user()
    mine = courses.enrol(
        user_id=delivered.id,
        course_version_id=course.current_version.id,
        source=EnrolmentSource.PARTNER,
        partner_id=partner.id,
    )
    sold = courses.enrol(
        user_id=resold.id,
        course_version_id=course.current_version.id,
        source=EnrolmentSource.PURCHASE,
        partner_id=other_partner.id,
        reseller_id=partner.id,
    )
    db.session.flush()
    ids = [e["id"] for e in client.get("/api/v1/enrolments", headers=bearer(token)).get_json()["data"]]
    assert ids == [mine.id, sold.id]
    progress = client.get(f"/api/v1/learners/{delivered.id}/progress", headers=bearer(token)).get_json()
    assert [e["id"] for e in progress["enrolments"]] == [mine.id]
    assert progress["tracks"] == [
        {"track_id": course.track_id, "exam_eligible": False, "reason": progress["tracks"][0]["reason"]}
    ]
    assert progress["tracks"][0]["reason"]


def test_requests_act_for_the_keys_partner_and_record_last_use(client, key, partner):
    api_key, token = key
    assert api_key.last_used_at is None
    response = client.get("/api/v1/enrolments", headers=bearer(token))
    assert response.headers["Cache-Control"] == "no-store"
    assert db.session.get(ApiKey, api_key.id).last_used_at is not None


# --- learner sessions -------------------------------------------------------------------------------


def test_a_learner_reads_their_own_profile_and_enrolments_with_their_session(client, create_user, login, course):
    learner = create_user(display_name="Layla")
    mine = courses.enrol(user_id=learner.id, course_version_id=course.current_version.id, source=EnrolmentSource.STAFF)
    other = create_user()
    courses.enrol(user_id=other.id, course_version_id=course.current_version.id, source=EnrolmentSource.STAFF)
    db.session.flush()
    assert client.get("/api/v1/me").status_code == 401
    login(client, learner)
    me = client.get("/api/v1/me").get_json()
    assert me["email"] == learner.email and me["roles"] == ["learner"]
    assert [e["id"] for e in client.get("/api/v1/me/enrolments").get_json()["data"]] == [mine.id]


def test_api_keys_cannot_use_learner_endpoints(client, token):
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "session_required"


def test_session_writes_need_the_csrf_header(client, create_user, login):
    learner = create_user()
    login(client, learner)
    refused = client.patch("/api/v1/me", json={"display_name": "Changed"})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "csrf_failed"
    accepted = client.patch(
        "/api/v1/me", json={"display_name": "Changed"}, headers={"X-CSRFToken": client.csrf_token()}
    )
    assert accepted.status_code == 200
    assert accepted.get_json()["display_name"] == "Changed"


def test_bearer_writes_need_no_csrf_token_and_a_session_alone_opens_no_partner_endpoint(
    client, token, course, partner_admin, login
):
    body = {"rows": [{"email": "x@example.com", "course_id": course.id, "legal_name": "X Person"}]}
    assert client.post("/api/v1/enrolments/bulk", json=body, headers=bearer(token), csrf=False).status_code == 200
    login(client, partner_admin)  # a partner admin's browser session is no API credential
    response = client.post("/api/v1/enrolments/bulk", json=body)
    assert response.status_code == 401


def test_every_scoped_endpoint_refuses_a_key_without_its_scope(app, client, make_key, partner, generous_rate_limits):
    from lms.api.scopes import Scope

    tokens = {}
    checked = 0
    for endpoint, method, url in _api_routes(app):
        view = app.view_functions[endpoint]
        if not hasattr(view, AUTH_ATTRIBUTE):
            continue
        _auth, scope = getattr(view, AUTH_ATTRIBUTE)
        if scope is None:
            continue
        if scope not in tokens:
            tokens[scope] = make_key(partner, scopes=[s.value for s in Scope if s != scope], name=str(scope))[1]
        response = client.open(
            url, method=method, json={} if method in {"POST", "PATCH", "PUT"} else None, headers=bearer(tokens[scope])
        )
        assert response.status_code == 403, (method, url, response.status_code)
        assert response.get_json()["error"]["code"] == "insufficient_scope", (method, url)
        checked += 1
    assert checked >= 40
