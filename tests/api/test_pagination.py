"""Cursor pagination: every row exactly once, in order, even while rows are added; cursors are opaque."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.courses.models import Course
from lms.extensions import db
from tests.api.conftest import bearer


def walk(client, url, limit, headers=None, between_pages=None):
    ids, cursor, pages = [], None, 0
    while True:
        separator = "&" if "?" in url else "?"
        page_url = f"{url}{separator}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(page_url, headers=headers or {})
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert len(body["data"]) <= limit
        ids.extend(item["id"] for item in body["data"])
        cursor = body["next_cursor"]
        pages += 1
        if cursor is None:
            return ids, pages
        if between_pages:
            between_pages(pages)


def listed_course_ids():
    return sorted(db.session.execute(db.select(Course.id)).scalars())


def test_pages_cover_every_course_once_in_order(client, make_course):
    for _ in range(7):
        make_course()
    ids, pages = walk(client, "/api/v1/courses", 2)
    assert ids == listed_course_ids()
    assert pages == 4


def test_rows_added_while_paging_appear_once_and_nothing_is_skipped(client, make_course):
    for _ in range(5):
        make_course()
    before = listed_course_ids()
    added = []
    ids, _pages = walk(client, "/api/v1/courses", 2, between_pages=lambda n: added.append(make_course().id))
    assert len(ids) == len(set(ids))
    assert ids[: len(before)] == before
    assert set(ids) == set(before) | set(added)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(new=st.integers(min_value=0, max_value=6), limit=st.integers(min_value=1, max_value=5))
def test_any_page_size_walks_the_whole_list(client, make_course, generous_rate_limits, new, limit):
    for _ in range(new):
        make_course()
    ids, _pages = walk(client, "/api/v1/courses", limit)
    assert ids == listed_course_ids()


def test_filtered_pages_are_full_and_complete(client, make_course):
    arabic = [make_course(languages=["ar", "en"]).id for _ in range(3)]
    for _ in range(4):
        make_course(languages=["fr"])
    arabic.append(make_course(languages=["ar"]).id)
    ids, _pages = walk(client, "/api/v1/courses?language=ar", 1)
    assert ids == sorted(arabic)
    ids, _pages = walk(client, "/api/v1/courses?language=ar", 3)
    assert ids == sorted(arabic)


def test_drafts_are_not_in_the_public_catalog(client, make_course):
    draft = make_course(published=False)
    ids, _pages = walk(client, "/api/v1/courses", 50)
    assert draft.id not in ids
    assert client.get(f"/api/v1/courses/{draft.id}").status_code == 404


def test_tampered_or_foreign_cursors_are_refused(client, token, make_course):
    for _ in range(3):
        make_course()
    cursor = client.get("/api/v1/courses?limit=1").get_json()["next_cursor"]
    assert cursor
    tampered = client.get(f"/api/v1/courses?limit=1&cursor={cursor[:-2]}xx")
    assert tampered.status_code == 422
    assert tampered.get_json()["error"]["code"] == "invalid_cursor"
    assert "cursor" in tampered.get_json()["error"]["fields"]
    foreign = client.get(f"/api/v1/enrolments?cursor={cursor}", headers=bearer(token))
    assert foreign.status_code == 422


def test_limits_outside_the_range_are_refused(client):
    assert client.get("/api/v1/courses?limit=0").status_code == 422
    assert client.get("/api/v1/courses?limit=201").status_code == 422
    assert client.get("/api/v1/courses?limit=200").status_code == 200
