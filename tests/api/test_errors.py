"""Every error under /api/ is the same object, in the caller's language; 429 tells when to retry."""

import pytest

from lms.core.errors import Conflict
from lms.core.security import public
from tests.api.conftest import bearer
from tests.conftest import make_app


def _error(response):
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


def test_unknown_paths_and_methods(client):
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and _error(missing)["code"] == "not_found"
    not_allowed = client.delete("/api/v1/courses")
    assert not_allowed.status_code == 405
    assert _error(not_allowed)["code"] == "method_not_allowed"
    assert "GET" in not_allowed.headers["Allow"]
    assert client.get("/api/v1/courses/99999999999").status_code == 404  # beyond any id: not found, no crash


def test_validation_errors_name_each_field_in_the_callers_language(client, token):
    response = client.get("/api/v1/courses?limit=0&delivery_mode=pigeon", headers={"Accept-Language": "fr"})
    assert response.status_code == 422
    error = _error(response)
    assert error["code"] == "validation_failed"
    assert error["message"] == "Une partie de ce que vous avez envoyé n'est pas valide."
    assert set(error["fields"]) == {"limit", "delivery_mode"}
    assert error["fields"]["limit"] == ["Saisissez une valeur de 1 à 200."]


def test_body_errors_point_at_the_row_and_field(client, token):
    response = client.post(
        "/api/v1/enrolments/bulk",
        json={"rows": [{"email": "a@example.com", "course_id": 1}, {"course_id": "x"}], "extra": 1},
        headers={**bearer(token), "Accept-Language": "de"},
    )
    assert response.status_code == 422
    fields = _error(response)["fields"]
    assert set(fields) == {"rows.1.email", "rows.1.course_id", "extra"}
    assert fields["rows.1.email"] == ["Dieses Feld ist erforderlich."]


def test_unauthenticated_errors_speak_arabic_when_asked(client):
    response = client.get("/api/v1/enrolments", headers={"Accept-Language": "ar"})
    assert response.status_code == 401
    message = _error(response)["message"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in message)


def test_a_learners_own_language_is_used_for_session_calls(client, create_user, login):
    login(client, create_user(locale="es"))
    response = client.patch(
        "/api/v1/me", json={"timezone": "Mars/Olympus"}, headers={"X-CSRFToken": client.csrf_token()}
    )
    assert response.status_code == 422
    error = _error(response)
    assert error["fields"] == {"timezone": [error["message"]]}
    assert error["message"] == "Elija una zona horaria de la lista."


def test_invalid_json_is_a_400_error_object(client, token):
    response = client.post(
        "/api/v1/enrolments/bulk", data="{not json", content_type="application/json", headers=bearer(token), csrf=False
    )
    assert response.status_code == 400
    assert _error(response)["code"] == "invalid_json"


def test_conflicts_and_crashes_answer_error_objects_without_details(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'e.sqlite3'}", tmp_path / "instance", TESTING=False)

    @public
    def conflict():
        raise Conflict("Someone else changed this class.", field="capacity")

    @public
    def crash():
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/api/v1/test-conflict", view_func=conflict)
    app.add_url_rule("/api/v1/test-crash", view_func=crash)
    client = app.test_client()
    conflicted = client.get("/api/v1/test-conflict")
    assert conflicted.status_code == 409
    assert conflicted.get_json() == {
        "error": {
            "code": "conflict",
            "message": "Someone else changed this class.",
            "fields": {"capacity": ["Someone else changed this class."]},
        }
    }
    crashed = client.get("/api/v1/test-crash")
    assert crashed.status_code == 500
    assert _error(crashed)["code"] == "internal_error"
    assert "secret internal detail" not in crashed.get_data(as_text=True)
    # Outside /api/ the site's HTML error page is unchanged.
    assert client.get("/no-such-page").content_type.startswith("text/html")


@pytest.fixture
def low_rate_limit(app, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    monkeypatch.setitem(app.config, "API_PUBLIC_RATE_LIMIT", "2 per minute")


def test_each_key_has_its_own_rate_limit_and_429_says_when_to_retry(client, low_rate_limit, make_key, partner):
    _first, token = make_key(partner)
    _second, other_token = make_key(partner)
    for _ in range(3):
        assert client.get("/api/v1/enrolments", headers=bearer(token)).status_code == 200
    limited = client.get("/api/v1/courses", headers=bearer(token))  # one budget across endpoints
    assert limited.status_code == 429
    assert _error(limited)["code"] == "rate_limited"
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert client.get("/api/v1/enrolments", headers=bearer(other_token)).status_code == 200


def test_anonymous_public_calls_are_limited_per_address(client, low_rate_limit):
    assert client.get("/api/v1/tracks").status_code == 200
    assert client.get("/api/v1/tracks").status_code == 200
    limited = client.get("/api/v1/tracks")
    assert limited.status_code == 429 and "Retry-After" in limited.headers


def test_a_single_valued_parameter_sent_twice_is_refused_not_half_read(client, token):
    response = client.get("/api/v1/enrolments?limit=2&limit=200", headers=bearer(token))
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["limit"]
