"""The security baseline: access policy on every route, redirects, headers, CSRF, error pages."""

import pytest

from lms.core.security import Role, access_of, public, safe_next_url
from tests.conftest import make_app

#: Every endpoint anyone may call without signing in. Adding one is a deliberate act: list it here.
PUBLIC_ENDPOINTS = {
    "static",
    "site.home",
    "site.healthz",
    "site.livez",
    "accounts.login",
    "accounts.register",
    "accounts.verify_email",
    "accounts.request_password_reset",
    "accounts.reset_password",
    "accounts.switch_language",
    "courses.catalog",
    "courses.course_page",
    # the partner API's public documentation, catalog and webhook events list (lms/api)
    "api_docs.openapi_json",
    "api_docs.docs",
    "api_catalog.list_tracks",
    "api_catalog.get_track",
    "api_catalog.list_courses",
    "api_catalog.get_course",
    "api_events.list_events",
    "api_certificates.verify_certificate",
    "api_certificates.lookup_certificate",
    # partners: the shared schedule and its feeds, class pages, storefronts, a learner's private calendar
    "partners.schedule",
    "partners.schedule_json",
    "partners.schedule_ics",
    "partners.class_detail",
    "partners.class_ics",
    "partners.storefront",
    "partners.storefront_theme",
    "partners.storefront_logo",
    "partners.storefront_class",
    "partners.elearning",
    "partners.switch_currency",
    "partners.calendar_feed",
    "partners.invitation",
    # certificates: public verification, the issuer's keys and status lists
    "certificates.lookup",
    "certificates.verify",
    "certificates.verify_json",
    "certificates.public_pdf",
    "certificates.public_credential",
    "certificates.did_document",
    "certificates.jwks",
    "certificates.status_list",
    # affiliates: the referral redirects and the programmes page
    "affiliates.referral",
    "affiliates.referral_to",
    "affiliates.programmes_page",
}


def test_every_route_is_public_by_the_list_or_guarded(app):
    unguarded, public_endpoints = [], set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            public_endpoints.add("static")
            continue
        access = access_of(app.view_functions[rule.endpoint])
        if access is None:
            unguarded.append(rule.rule)
        elif access.public:
            public_endpoints.add(rule.endpoint)
        elif access.self_authenticated:
            continue
    assert unguarded == [], f"routes without an access policy: {unguarded}"
    assert public_endpoints == PUBLIC_ENDPOINTS


def test_anonymous_visitors_are_sent_to_sign_in_and_learners_kept_out_of_staff_pages(client, create_user, login):
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    login(client, create_user())
    assert client.get("/staff/users").status_code == 403


def test_staff_reach_staff_pages(client, staff_user, login):
    login(client, staff_user)
    assert client.get("/staff/users").status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "/\\evil.com",
        "javascript:alert(1)",
        "http://evil.com/",
        "https:evil.com",
        "/%0a//evil.com"[:0] + "\n/x",
        "",
    ],
)
def test_next_must_stay_on_this_site(target):
    assert safe_next_url(target) is None


def test_next_keeps_local_paths():
    assert safe_next_url("/account/profile?tab=1") == "/account/profile?tab=1"


@pytest.mark.parametrize("target", ["//evil.com", "/\\evil.com", "javascript:alert(1)", "https://evil.com"])
def test_sign_in_never_redirects_off_site(client, create_user, target):
    user = create_user()
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_sign_in_follows_a_local_next(client, create_user):
    user = create_user()
    response = client.post(
        "/login", data={"email": user.email, "password": "correct horse battery", "next": "/account/profile"}
    )
    assert response.headers["Location"] == "/account/profile"


def _assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_security_headers_on_pages_and_error_pages(client):
    _assert_security_headers(client.get("/"))
    not_found = client.get("/no-such-page")
    assert not_found.status_code == 404
    _assert_security_headers(not_found)
    assert "We could not find that page." in not_found.get_data(as_text=True)


def test_unexpected_errors_show_a_generic_page_without_a_traceback(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'e.sqlite3'}", tmp_path / "instance", TESTING=False)

    @public
    def explode():
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/explode", view_func=explode)
    response = app.test_client().get("/explode")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "secret internal detail" not in body and "Traceback" not in body
    _assert_security_headers(response)


def test_authenticated_pages_are_not_cached(client, create_user, login):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login(client, create_user())
    assert client.get("/dashboard").headers["Cache-Control"] == "no-store"
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_forms_without_a_csrf_token_are_refused(client, create_user):
    user = create_user()
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery"}, csrf=False)
    assert response.status_code == 400
    assert "Your session expired" in response.get_data(as_text=True)


def test_json_posts_need_the_csrf_header(client, create_user, login):
    login(client, create_user())
    refused = client.post("/language", json={"lang": "fr"}, csrf=False)
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == 400
    accepted = client.post("/language", json={"lang": "fr"}, headers={"X-CSRFToken": client.csrf_token()})
    assert accepted.status_code == 302


def test_a_view_without_a_policy_is_refused(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'p.sqlite3'}", tmp_path / "instance")
    app.add_url_rule("/forgotten", view_func=lambda: "should never be served", endpoint="forgotten")
    assert app.test_client().get("/forgotten").status_code == 403


def test_roles_include_learner_for_everyone(create_user):
    assert create_user().roles == frozenset({Role.LEARNER})
