"""iCalendar feeds: valid RFC 5545 with time zones, filters, one class, a learner's private feed."""

from __future__ import annotations

import icalendar
import pytest

from lms.partners.services import calendar


def _parse(data: bytes) -> icalendar.Calendar:
    # RFC 5545 structure: CRLF line ends and content lines folded at 75 octets.
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    parsed = icalendar.Calendar.from_ical(data)
    assert parsed["VERSION"] == "2.0" and parsed["PRODID"]
    return parsed


def _check_events_have_their_zones(parsed: icalendar.Calendar) -> list:
    zones = {str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")}
    events = list(parsed.walk("VEVENT"))
    for event in events:
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert name in event, name
        tzid = event["DTSTART"].params.get("TZID")
        assert tzid and tzid in zones, (tzid, zones)
        assert event.decoded("DTEND") > event.decoded("DTSTART")
    return events


def test_the_schedule_feed_validates_and_honours_its_filters(client, make_partner, make_class, body):
    gulf, _a = make_partner()
    euro, _b = make_partner(city="Berlin", country="DE")
    make_class(gulf, timezone="Asia/Dubai", language="ar", meetings=2)
    make_class(euro, timezone="Europe/Berlin", language="de", meetings=3)
    response = client.get("/schedule.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    parsed = _parse(response.data)
    assert {str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")} >= {"Asia/Dubai", "Europe/Berlin"}
    assert len(_check_events_have_their_zones(parsed)) == 5
    german = _parse(client.get("/schedule.ics?language=de").data)
    assert len(_check_events_have_their_zones(german)) == 3
    assert {str(tz["TZID"]) for tz in german.walk("VTIMEZONE")} == {"Europe/Berlin"}


def test_a_class_feed_keeps_the_meeting_link_private(client, make_partner, make_class, body):
    gulf, _a = make_partner()
    training_class = make_class(gulf, meetings=2)
    parsed = _parse(client.get(f"/classes/{training_class.id}.ics").data)
    events = _check_events_have_their_zones(parsed)
    assert len(events) == 2
    assert "meet.example.com" not in client.get(f"/classes/{training_class.id}.ics").get_data(as_text=True)


def test_a_learners_private_feed_lists_only_their_classes_with_links(
    client, login, make_partner, make_class, create_user, buy_seat, body
):
    gulf, _a = make_partner()
    mine, other = make_class(gulf, meetings=2), make_class(gulf, meetings=1)
    learner = create_user()
    buy_seat(learner, mine)
    login(client, learner)
    page = client.post("/my/calendar").get_data(as_text=True)
    token = page.split("/calendar/")[1].split(".ics")[0]
    feed = client.get(f"/calendar/{token}.ics")
    parsed = _parse(feed.data)
    assert len(_check_events_have_their_zones(parsed)) == 2
    assert "meet.example.com" in feed.get_data(as_text=True).replace("\r\n ", "")
    assert f"/classes/{other.id}" not in feed.get_data(as_text=True).replace("\r\n ", "")
    # A new link replaces the old one.
    client.post("/my/calendar")
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


@pytest.mark.parametrize("zone", ["Asia/Dubai", "Europe/Berlin", "America/New_York", "Asia/Tokyo"])
def test_every_zone_gets_a_vtimezone(make_partner, make_class, zone, body, app):
    gulf, _a = make_partner()
    training_class = make_class(gulf, timezone=zone)
    with app.test_request_context():
        parsed = _parse(calendar.build([training_class], name="x"))
    assert [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")] == [zone]
