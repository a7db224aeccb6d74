"""The demo: ``flask --app lms seed-demo`` builds the network once, and each role lands on its own page."""

import pytest
import sqlalchemy as sa

from lms.accounts.models import Organisation, User
from lms.extensions import db

DEMO_PASSWORD = "demo password 123"
ROLE_PAGES = {
    # account → something only that role's dashboard shows
    "learner@demo.lms": 'data-role="learner"',
    "partner@demo.lms": 'data-role="partner_admin"',
    "reseller@demo.lms": 'data-role="partner_admin"',
    "instructor@demo.lms": 'data-role="instructor"',
    "proctor@demo.lms": 'data-role="proctor"',
    "affiliate@demo.lms": 'data-role="affiliate"',
    "staff@demo.lms": 'data-role="staff"',
}


@pytest.fixture
def seeded(app, monkeypatch):
    monkeypatch.setenv("LMS_DEMO_PASSWORD", DEMO_PASSWORD)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def _counts():
    return (
        db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one(),
        db.session.execute(sa.select(sa.func.count()).select_from(Organisation)).scalar_one(),
    )


def test_seeding_twice_creates_nothing_twice(app, seeded):
    before = _counts()
    again = app.test_cli_runner().invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert _counts() == before
    assert before[0] >= 7 and before[1] >= 6


@pytest.mark.parametrize("email", sorted(ROLE_PAGES))
def test_each_demo_account_lands_on_a_page_made_for_its_role(client, seeded, email):
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get("/dashboard").get_data(as_text=True)
    assert ROLE_PAGES[email] in page


def test_without_a_given_password_one_is_generated_and_printed_once(app, monkeypatch, tmp_path):
    monkeypatch.delenv("LMS_DEMO_PASSWORD", raising=False)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Password (shown once" in result.output
    again = app.test_cli_runner().invoke(args=["seed-demo"])
    assert "Passwords unchanged" in again.output
