"""The OpenAPI document: valid, complete, generated from the code — and the API keeps its promises.

Schemathesis generates requests from the document (valid and invalid ones) and checks every answer
against it: no 500s, every status and body as documented, invalid data refused, auth not ignored.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from hypothesis.errors import Unsatisfiable
from markupsafe import escape
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from lms.api.framework import AUTH_ATTRIBUTE
from lms.core.security import Role
from lms.core.time import utcnow
from lms.courses import services as courses
from lms.courses.models import EnrolmentSource
from lms.extensions import db
from lms.partners.models import VoucherKind
from lms.partners.services import network, orders, resale, vouchers
from tests.api.conftest import bearer


def test_the_document_is_valid_openapi(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    assert document["openapi"].startswith("3.")


def test_every_route_is_documented_with_its_methods_and_auth(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.startswith("api_docs."):
            continue
        path = rule.rule.replace("<id:", "{").replace(">", "}")
        operations = document["paths"][path]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = operations[method.lower()]
            auth, scope = getattr(app.view_functions[rule.endpoint], AUTH_ATTRIBUTE)
            assert operation["x-auth"] == auth
            assert operation.get("x-required-scope") == (scope.value if scope else None)
            assert operation["security"], path
            assert "429" in operation["responses"]
            if method == "POST":
                assert {"$ref": "#/components/parameters/IdempotencyKey"} in operation["parameters"]


def test_the_docs_page_shows_every_operation(client):
    document = client.get("/api/v1/openapi.json").get_json()
    page = client.get("/api/v1/docs", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert 'dir="rtl"' in page
    for path, operations in document["paths"].items():
        assert path in page
        for method, operation in operations.items():
            if method != "parameters":
                assert str(escape(operation["summary"])) in page
    assert "enrolment.created" in page and "LMS-Signature" in page


# --- property-based tests generated from the document ------------------------------------------------


@pytest.fixture
def api_world(
    app,
    make_key,
    partner,
    partner_admin,
    make_course,
    create_user,
    login,
    client,
    generous_rate_limits,
    make_class,
    make_partner,
    body,
):
    """A seeded partner key, a catalog, enrolments, classes, holds, allotments, vouchers and a signed-in
    learner for the generated requests (small ids, so generated ids often name real rows)."""
    course = make_course(languages=["en", "ar"])
    led = make_course(modes=["instructor_led"]).current_version
    api_key, token = make_key(partner)
    api_key.created_by_id = partner_admin.id
    network.set_agreement(partner.id, actor_id=None, **network.DEFAULT_SHARES)
    learner = create_user(roles=[], display_name="Learner")
    enrolment = courses.enrol(
        user_id=learner.id,
        course_version_id=course.current_version.id,
        source=EnrolmentSource.PARTNER,
        partner_id=partner.id,
    )
    own = make_class(partner, capacity=40, version=led)
    make_class(partner, publish=False, version=led)
    other, _other_admin = make_partner(name="Elsewhere Academy")
    theirs = make_class(other, capacity=40, resale_allowed=True, version=led)
    resale.reserve_allotment(partner, theirs, quantity=3, release_at=utcnow() + timedelta(days=3), actor_id=None)
    orders.start_class_order(partner_admin, own.id, quantity=1, buyer_partner_id=partner.id)
    vouchers.generate_batch(partner, actor_id=partner_admin.id, name="Batch", kind=VoucherKind.SEAT, count=2)
    db.session.flush()
    login(client, learner)
    return {
        "token": token,
        "session": client.get_cookie("session").value,
        "csrf": client.csrf_token(),
        "enrolment_id": enrolment.id,
        "learner_id": learner.id,
        "role": Role.LEARNER,
    }


def _has_object(value):
    return isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict | list) for v in value))


def _call(case, world):
    # An empty list or an object as a query value has no standard form in a URL (it may be sent as
    # nothing, or as an empty string): such a "negative" case can reach the API as a valid request.
    assume(not any(value == [] or _has_object(value) for value in (case.query or {}).values()))
    # A cursor is opaque: the document cannot say which strings are valid ones, so a made-up cursor
    # is rightly refused (422 invalid_cursor) although it matches the schema.
    # Writes apply business rules no schema can say (a course version must be published, a class
    # must have a meeting before it is published): their refusals are 4xx error objects, not bugs.
    rules = case.method.upper() in {"POST", "PATCH", "DELETE"}
    excluded = [positive_data_acceptance] if rules or "cursor" in (case.query or {}) else []
    if case.path.startswith("/api/v1/me"):
        return case.call_and_validate(
            cookies={"session": world["session"]}, headers={"X-CSRFToken": world["csrf"]}, excluded_checks=excluded
        )
    return case.call_and_validate(headers=bearer(world["token"]), excluded_checks=excluded)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_requests_get_documented_answers(app, api_world, mode):
    # Schemathesis' own pytest loader does not run under pytest 9.2 yet: drive its strategies directly.
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            _call(case, api_world)

        try:
            check()
        except Unsatisfiable:  # nothing invalid can be said to an operation without inputs
            assert mode == GenerationMode.NEGATIVE
        checked.append(operation.label)
    assert len(checked) >= 10
