"""Referral links: /r/<code>[/<path>] and ?ref=<code> redirect only to public pages of this site, set
the first-party cookie, and count each click once (bots and repeats apart, never attributed)."""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from lms.affiliates import tracking
from lms.affiliates.models import Click, ClickKind
from lms.affiliates.services import programmes
from lms.extensions import db

BROWSER = {"User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"}


def clicks(kind: ClickKind | None = None) -> int:
    stmt = sa.select(sa.func.count()).select_from(Click)
    if kind is not None:
        stmt = stmt.where(Click.kind == kind)
    return db.session.execute(stmt).scalar_one()


@pytest.fixture
def code(network, make_affiliate):
    return make_affiliate(network, code="SARA").code


def test_a_link_redirects_to_the_page_sets_the_cookie_and_counts_the_click(client, code):
    response = client.get("/r/sara/schedule?language=ar&ref=IGNORED", headers=BROWSER)
    assert response.status_code == 302
    assert response.headers["Location"] == "/schedule?language=ar"
    cookie = client.get_cookie("lms_ref")
    assert cookie is not None and cookie.value.split(".")[1] == "SARA"
    assert cookie.http_only and cookie.same_site == "Lax"
    row = db.session.execute(sa.select(Click)).scalar_one()
    assert (row.kind, row.landing_path, row.visitor_id) == (ClickKind.UNIQUE, "/schedule", cookie.value.split(".")[0])
    assert client.get("/r/SARA", headers=BROWSER).headers["Location"] == "/"


@pytest.mark.parametrize(
    "path",
    [
        "/r/SARA//evil.example",
        "/r/SARA/%2F%2Fevil.example",
        "/r/SARA/%5Cevil.example",
        "/r/SARA/https://evil.example/x",
        "/r/SARA/http:%2F%2Fevil.example",
        "/r/SARA/staff/users",
        "/r/SARA/dashboard",
        "/r/SARA/r/OTHER",
        "/r/SARA/no-such-page",
    ],
)
def test_links_never_leave_the_site_nor_land_on_private_pages(client, code, path):
    response = client.get(path, headers=BROWSER)
    assert response.status_code in (301, 302, 308)
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert not parts.netloc or parts.netloc == "localhost", location
    if response.status_code == 302:
        assert location == "/"


def test_unknown_codes_and_suspended_affiliates_redirect_without_counting(client, network, make_affiliate, staff):
    assert client.get("/r/NOBODY/schedule", headers=BROWSER).headers["Location"] == "/schedule"
    affiliate = make_affiliate(network, code="GONE")
    programmes.suspend(affiliate, actor_id=staff.id, reason="spam")
    assert client.get("/r/GONE", headers=BROWSER).status_code == 302
    assert clicks() == 0 and client.get_cookie("lms_ref") is None


def test_bots_are_counted_apart_and_get_no_cookie(client, code):
    for agent in ("Mozilla/5.0 (compatible; Googlebot/2.1)", "facebookexternalhit/1.1", "curl/8.5.0", ""):
        assert client.get("/r/SARA", headers={"User-Agent": agent}).status_code == 302
    assert clicks(ClickKind.BOT) == 4 and clicks(ClickKind.UNIQUE) == 0
    assert client.get_cookie("lms_ref") is None


def test_a_repeated_click_within_the_window_is_counted_apart(client, make_client, code, app):
    client.get("/r/SARA", headers=BROWSER)
    client.get("/r/SARA/schedule", headers=BROWSER)
    assert (clicks(ClickKind.UNIQUE), clicks(ClickKind.REPEAT)) == (1, 1)
    # Without a cookie, the same address and browser are recognised too.
    other = make_client()
    other.get("/r/SARA", headers={"User-Agent": "Mozilla/5.0 Firefox/128.0"})
    other.delete_cookie("lms_ref")
    other.get("/r/SARA", headers={"User-Agent": "Mozilla/5.0 Firefox/128.0"})
    assert (clicks(ClickKind.UNIQUE), clicks(ClickKind.REPEAT)) == (2, 2)
    # After the window, the same visitor counts again.
    app.config["AFFILIATE_REPEAT_CLICK_SECONDS"] = 0
    try:
        client.get("/r/SARA", headers=BROWSER)
    finally:
        app.config.pop("AFFILIATE_REPEAT_CLICK_SECONDS")
    assert clicks(ClickKind.UNIQUE) == 3


def test_ref_on_a_public_page_counts_and_sets_the_cookie_but_not_on_private_pages(client, code, create_user, login):
    response = client.get("/schedule?ref=sara", headers=BROWSER)
    assert response.status_code == 200
    assert client.get_cookie("lms_ref").value.split(".")[1] == "SARA"
    assert clicks() == 1
    login(client, create_user())
    client.get("/dashboard?ref=SARA", headers=BROWSER)
    assert clicks() == 1


def test_a_signed_in_learners_click_carries_their_account(client, code, create_user, login):
    learner = create_user()
    login(client, learner)
    client.get("/r/SARA", headers=BROWSER)
    assert db.session.execute(sa.select(Click.user_id)).scalar_one() == learner.id


def test_share_links_point_only_to_public_pages(app, code):
    from lms.affiliates import web
    from lms.core.errors import DomainError

    with app.test_request_context():
        assert web.share_link("SARA") == "http://localhost/r/SARA"
        assert web.share_link("SARA", "http://localhost/schedule?language=de") == (
            "http://localhost/r/SARA/schedule?language=de"
        )
        for page in ("/staff/users", "https://evil.example/", "//evil.example"):
            with pytest.raises(DomainError):
                web.share_link("SARA", page)


@pytest.mark.committing
def test_every_click_is_counted_under_concurrent_requests(committing_app):
    """Threads hammer the redirect through the real (committing) path; no click is lost."""
    from lms.accounts import services as accounts
    from lms.accounts.models import OrganisationKind
    from lms.affiliates.models import PayoutMethod
    from lms.core.db import write_transactions

    with committing_app.app_context(), write_transactions():
        body = accounts.create_organisation(kind=OrganisationKind.CERTIFICATION_BODY, name="Body", slug="body")
        person = accounts.register_user(
            email="race@example.com",
            password="a long password",
            display_name="Racer",
            legal_name="Racer",
            send_verification=False,
        )
        staff = accounts.register_user(
            email="staff@example.com",
            password="a long password",
            display_name="Staff",
            legal_name="Staff",
            send_verification=False,
        )
        from lms.core.security import Role

        accounts.grant_role(staff, body, Role.STAFF, actor_id=None)
        programme = programmes.ensure_programme(None)
        affiliate = programmes.apply(
            person,
            programme,
            website=None,
            channels="a blog",
            audience="people who read my blog",
            payout_method=PayoutMethod.PAYPAL,
            payout_details="race@example.com",
            preferred_code="RACE",
        )
        programmes.approve(affiliate, actor_id=staff.id)
        db.session.commit()
    tracking.forget_codes()
    threads, per_thread = 8, 25
    errors: list[str] = []

    def hammer(number: int) -> None:
        client = committing_app.test_client()
        for i in range(per_thread):
            agent = "Googlebot/2.1" if i % 5 == 0 else f"Mozilla/5.0 Visitor/{number}"
            response = client.get(f"/r/RACE/schedule?i={i}", headers={"User-Agent": agent})
            if response.status_code != 302:
                errors.append(f"{response.status_code}")

    workers = [threading.Thread(target=hammer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert errors == []
    with committing_app.app_context():
        counts = dict(db.session.execute(sa.select(Click.kind, sa.func.count()).group_by(Click.kind)).all())
    assert counts[ClickKind.BOT] == threads * per_thread // 5
    assert counts[ClickKind.UNIQUE] + counts.get(ClickKind.REPEAT, 0) == threads * per_thread * 4 // 5
    # Each thread is one browser: its first click counts, the rest are repeats within the window.
    assert counts[ClickKind.UNIQUE] == threads
