import pytest

from lms.core.i18n import LANGUAGES
from lms.core.i18n_catalogs import check


@pytest.mark.parametrize(
    ("accept", "expected"), [("ar,en;q=0.5", "ar"), ("de-CH,de;q=0.9", "de"), ("ja", "ja"), ("pt-BR", "en")]
)
def test_visitors_get_their_browsers_language(client, accept, expected):
    page = client.get("/", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert f'lang="{expected}"' in page
    assert f'dir="{LANGUAGES[expected].direction}"' in page


def test_the_session_choice_beats_the_browser_and_the_profile_beats_both(client, create_user, login):
    client.post("/language", data={"lang": "fr"})
    assert 'lang="fr"' in client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    user = create_user(locale="es")
    login(client, user)
    # Signing in keeps the session's "fr", but the user's own preference wins.
    assert 'lang="es"' in client.get("/dashboard", headers={"Accept-Language": "de"}).get_data(as_text=True)


def test_pages_are_translated_not_just_tagged(client):
    arabic = client.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Sign in" in english and "Sign in" not in arabic


def test_times_are_shown_in_the_viewers_time_zone(client, create_user, login):
    login(client, create_user(timezone="Asia/Tokyo"))
    assert "Asia/Tokyo" in client.get("/dashboard").get_data(as_text=True)


def test_every_message_is_translated_in_every_locale():
    gaps = check()
    summary = [f"{g.catalog}/{g.locale}: {g.problem}: {g.msgid[:60]}" for g in gaps[:40]]
    assert gaps == [], "\n".join(summary)
