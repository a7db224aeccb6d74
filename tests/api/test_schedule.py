"""The shared schedule through the API: the web view's filters, cursor pages, scope."""

from datetime import timedelta

from lms.core.time import utcnow
from lms.courses.models import CourseVersion
from lms.extensions import db
from tests.api.conftest import bearer
from tests.api.test_pagination import walk


def test_the_schedule_lists_published_upcoming_classes_of_every_partner_soonest_first(client, network, make_class):
    later = make_class(network["other"], days=20)
    sooner = make_class(network["partner"], days=5)
    make_class(network["partner"], days=8, publish=False)
    response = client.get("/api/v1/schedule", headers=bearer(network["token"]))
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert [c["id"] for c in data] == [sooner.id, later.id]
    first = data[0]
    assert first["partner"] == {"id": network["partner"].id, "name": network["partner"].name}
    assert first["seats_available"] == 10 and first["capacity"] == 10
    assert first["prices"][0]["list_price"] == {"amount": 100000, "currency": "USD"}
    assert first["starts_at"].endswith("Z")
    assert "meeting_url" not in first  # only learners holding a seat see the link


def test_the_filters_are_the_web_schedules(client, network, make_class):
    arabic = make_class(network["partner"], days=5, language="ar", country="AE", city="Dubai")
    make_class(network["other"], days=6, language="en", resale_allowed=True, country="DE", city="Berlin")
    in_a_month = make_class(network["other"], days=30, language="ar", country="MA", city="Casablanca")
    headers = bearer(network["token"])

    def ids(query):
        response = client.get(f"/api/v1/schedule?{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return [c["id"] for c in response.get_json()["data"]]

    assert ids("language=ar") == [arabic.id, in_a_month.id]
    assert ids("country=ae&city=dubai") == [arabic.id]
    assert len(ids("resale=true")) == 1
    day = (utcnow() + timedelta(days=25)).date().isoformat()
    assert ids(f"from={day}") == [in_a_month.id]
    assert ids(f"to={day}&language=ar") == [arabic.id]
    course_id = db.session.get(CourseVersion, arabic.course_version_id).course_id
    assert ids(f"course_id={course_id}") == [arabic.id]


def test_seats_available_filter_hides_full_classes(client, network, make_class):
    from lms.courses.models import EnrolmentSource
    from lms.partners.services import seats

    full = make_class(network["partner"], days=5, capacity=1)
    seats.take_free_seat(full.id, user_id=network["admin"].id, source=EnrolmentSource.PARTNER, actor_id=None)
    open_class = make_class(network["partner"], days=6)
    response = client.get("/api/v1/schedule?available=true", headers=bearer(network["token"]))
    assert [c["id"] for c in response.get_json()["data"]] == [open_class.id]


def test_pages_walk_the_schedule_once_in_order(client, network, make_class, generous_rate_limits):
    created = [make_class(network["partner"], days=3 + n, meetings=1).id for n in range(5)]
    ids, pages = walk(client, "/api/v1/schedule", 2, headers=bearer(network["token"]))
    assert ids == created
    assert pages == 3


def test_the_schedule_needs_a_key_with_schedule_read(client, network, make_key):
    assert client.get("/api/v1/schedule").status_code == 401
    _key, token = make_key(network["partner"], scopes=["catalog:read"])
    response = client.get("/api/v1/schedule", headers=bearer(token))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "insufficient_scope"


def test_bad_filters_are_field_errors(client, network):
    response = client.get("/api/v1/schedule?from=tomorrow&format=online", headers=bearer(network["token"]))
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"from", "format"}


def test_text_with_a_nul_character_is_a_field_error_not_a_database_error(client, network):
    response = client.get("/api/v1/schedule?q=a%00b&city=x", headers=bearer(network["token"]))
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["q"]
    lookup = client.get("/api/v1/certificates/lookup?number=AIC%00&surname=x")
    assert lookup.status_code == 422
