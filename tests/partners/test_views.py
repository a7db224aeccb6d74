"""Pages as people use them: the schedule and its JSON feed, class pages, partner class management,
attendance feeding completion, dashboards, statements, the toolkit and the cohort import page."""

from __future__ import annotations

import io
from datetime import timedelta

import time_machine
from pypdf import PdfReader

from lms.core import signals
from lms.core.security import Role
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.models import ClassFormat, ClassStatus, TrainingClass


def test_schedule_filters_paginates_and_shows_times_in_the_viewers_zone(client, make_partner, make_class, body):
    gulf, _a = make_partner(name="Gulf AI Academy")
    euro, _b = make_partner(name="EuroSkills", city="Berlin", country="DE")
    make_class(gulf, language="ar", timezone="Asia/Dubai", city="Dubai", country="AE")
    berlin = make_class(
        euro,
        language="de",
        timezone="Europe/Berlin",
        city="Berlin",
        country="DE",
        format=ClassFormat.IN_PERSON,
        venue="Unter den Linden 1",
    )
    for _ in range(21):
        make_class(euro, language="en", meetings=1, capacity=1)
    page = client.get("/schedule?language=de").get_data(as_text=True)
    assert f"/classes/{berlin.id}" in page and "EuroSkills" in page and "1 class" in page
    assert "Gulf AI Academy" not in page
    assert "23 classes" in client.get("/schedule").get_data(as_text=True)
    assert "Page 1 of 2" in client.get("/schedule").get_data(as_text=True)
    assert "Page 2 of 2" in client.get("/schedule?page=2").get_data(as_text=True)
    assert f"/classes/{berlin.id}" in client.get("/schedule?format=in_person&city=berlin").get_data(as_text=True)
    # A NUL in a filter (PostgreSQL text cannot hold one) is dropped, not a server error.
    response = client.get("/schedule?format=in_person&q=Euro%00Skills&city=Ber%00lin")
    assert response.status_code == 200 and f"/classes/{berlin.id}" in response.get_data(as_text=True)
    assert "Gulf" in client.get("/schedule?q=gulf").get_data(as_text=True)
    client.set_cookie("lms_tz", "Asia/Tokyo")
    assert "Asia/Tokyo" in client.get("/schedule").get_data(as_text=True)

    feed = client.get("/schedule.json?country=DE&per_page=5").get_json()
    assert feed["total"] == 22 and feed["pages"] == 5 and len(feed["classes"]) == 5 and feed["next"]
    first = feed["classes"][0]
    assert {"id", "course", "track", "partner", "language", "timezone", "meetings", "seats_available", "prices"} <= set(
        first
    )
    assert first["starts_at"].endswith("+00:00")


def test_seats_available_filter_hides_full_classes(client, make_partner, make_class, create_user, buy_seat, body):
    gulf, _a = make_partner()
    full = make_class(gulf, capacity=1)
    buy_seat(create_user(), full)
    open_class = make_class(gulf, capacity=3)
    page = client.get("/schedule?available=1").get_data(as_text=True)
    assert f"/classes/{open_class.id}" in page and f'/classes/{full.id}"' not in page


def test_the_meeting_link_is_shown_only_to_learners_with_a_seat(
    client, login, make_partner, make_class, create_user, buy_seat, body
):
    gulf, _a = make_partner()
    training_class = make_class(gulf)
    assert "meet.example.com" not in client.get(f"/classes/{training_class.id}").get_data(as_text=True)
    learner = create_user()
    login(client, learner)
    assert "meet.example.com" not in client.get(f"/classes/{training_class.id}").get_data(as_text=True)
    buy_seat(learner, training_class)
    db.session.commit()
    assert "meet.example.com" in client.get(f"/classes/{training_class.id}").get_data(as_text=True)


def test_a_partner_schedules_and_publishes_a_class_through_its_pages(
    client, login, make_partner, make_version, create_user, body
):
    gulf, admin = make_partner()
    version = make_version()
    instructor = create_user(roles=[(gulf, Role.INSTRUCTOR)], display_name="Priya")
    login(client, admin)
    response = client.post(
        "/partner/classes/new",
        data={
            "course_version_id": version.id,
            "language": "ar",
            "timezone": "Asia/Dubai",
            "capacity": 12,
            "format": "virtual",
            "meeting_url": "https://meet.example.com/x",
            "cancellation_cutoff_hours": 72,
            "transfer_cutoff_hours": 24,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    training_class = db.session.execute(
        db.select(TrainingClass).where(TrainingClass.partner_id == gulf.id)
    ).scalar_one()
    base = f"/partner/classes/{training_class.id}"
    assert "Add at least one meeting." in client.get(base).get_data(as_text=True)
    day = (utcnow() + timedelta(days=14)).date().isoformat()
    assert client.post(f"{base}/meetings", data={"day": day, "start": "09:00", "end": "12:00"}).status_code == 302
    assert client.post(f"{base}/prices", data={"currency": "aed", "list_price": "1500.50"}).status_code == 302
    assert client.post(f"{base}/staff", data={"user_id": instructor.id, "role": "instructor"}).status_code == 302
    assert client.post(f"{base}/publish").status_code == 302
    db.session.refresh(training_class)
    assert training_class.status == ClassStatus.PUBLISHED
    assert training_class.price("AED").list_amount == 150050
    meeting = training_class.meetings[0]
    # 09:00 in Dubai is 05:00 UTC.
    assert meeting.starts_at.hour == 5
    # A meeting that ends before it starts gets a message, not a 500.
    response = client.post(
        f"{base}/meetings", data={"day": day, "start": "15:00", "end": "14:00"}, follow_redirects=True
    )
    assert "must end after it starts" in response.get_data(as_text=True)


def test_attendance_is_recorded_by_the_instructor_and_reaches_courses(
    client, login, make_partner, make_class, create_user, buy_seat, body
):
    gulf, _admin = make_partner()
    training_class = make_class(gulf, days=1, meetings=2)
    instructor = training_class.staff[0].user
    present, absent = create_user(), create_user()
    buy_seat(present, training_class)
    buy_seat(absent, training_class)
    db.session.commit()
    heard = []

    def listener(sender=None, **data):
        heard.append(data)

    signals.attendance_recorded.connect(listener)
    try:
        meeting = training_class.meetings[0]
        with time_machine.travel(meeting.starts_at + timedelta(hours=1), tick=False):
            login(client, instructor)  # signed in on the day: a session does not last until then
            url = f"/partner/classes/{training_class.id}/attendance/{meeting.id}"
            assert client.get(url).status_code == 200
            assert client.post(url, data={"present": [str(present.id)]}).status_code == 302
    finally:
        signals.attendance_recorded.disconnect(listener)
    by_user = {item["user_id"]: item for item in heard}
    assert by_user[present.id] == {"class_id": training_class.id, "user_id": present.id, "attended": 1, "total": 1}
    assert by_user[absent.id]["attended"] == 0 and by_user[absent.id]["total"] == 1


def test_dashboards_show_each_role_its_boxes(
    client, login, make_partner, make_class, create_user, buy_seat, staff_user, body
):
    gulf, admin = make_partner()
    training_class = make_class(gulf)
    learner = create_user()
    buy_seat(learner, training_class)
    db.session.commit()
    login(client, learner)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Upcoming class meetings" in page and ".ics" in page
    partner_client = client.application.test_client()
    login(partner_client, admin)
    page = partner_client.get("/dashboard").get_data(as_text=True)
    for title in ("Sales", "Classes", "Learners and results", "Resale"):
        assert f">{title}</h3>" in page
    assert '<svg class="chart"' in page and 'style="' not in page
    staff_client = client.application.test_client()
    login(staff_client, staff_user)
    assert "Applications waiting" in staff_client.get("/dashboard").get_data(as_text=True)
    teacher_client = client.application.test_client()
    login(teacher_client, training_class.staff[0].user)
    assert "Your classes" in teacher_client.get("/dashboard").get_data(as_text=True)


def test_statements_download_as_csv_and_a_co_branded_pdf(
    client, login, make_partner, make_class, create_user, buy_seat, body
):
    gulf, admin = make_partner(name="Gulf AI Academy")
    training_class = make_class(gulf, price=100000, academic=None, association=None)
    buy_seat(create_user(), training_class)
    db.session.commit()
    login(client, admin)
    now = utcnow()
    csv_text = client.get(f"/partner/statements/{now.year}-{now.month}.csv").get_data(as_text=True)
    assert "opening_balance" in csv_text and ",70000," in csv_text and "closing_balance" in csv_text
    pdf = client.get(f"/partner/statements/{now.year}-{now.month}.pdf")
    assert pdf.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Gulf AI Academy" in text and "Monthly statement" in text
    assert client.get("/partner/statements/2026-13.csv").status_code == 404


def test_the_toolkit_offers_a_flyer_launch_emails_and_a_link(client, login, make_partner, make_class, body):
    from lms.partners.services import branding

    gulf, admin = make_partner()
    branding.update_branding(
        gulf.id,
        actor_id=admin.id,
        display_name="Gulf AI Academy",
        primary_colour="#0B5394",
        secondary_colour="#0E7C86",
        languages=["ar", "en"],
    )
    training_class = make_class(gulf)
    db.session.commit()
    login(client, admin)
    page = client.get(f"/partner/classes/{training_class.id}/toolkit").get_data(as_text=True)
    assert f"/p/{gulf.slug}/classes/{training_class.id}" in page
    assert 'lang="ar" dir="rtl"' in page
    flyer = client.get(f"/partner/classes/{training_class.id}/flyer.pdf?lang=ar")
    assert flyer.mimetype == "application/pdf" and len(PdfReader(io.BytesIO(flyer.data)).pages) == 1


def test_the_cohort_import_runs_from_the_page_and_reports_progress(client, login, make_partner, make_class, body):
    from lms.partners.services import cohorts

    gulf, admin = make_partner()
    training_class = make_class(gulf, capacity=5)
    cohort = cohorts.create_cohort(gulf, name="Acme", client_id=None, actor_id=admin.id)
    db.session.commit()
    login(client, admin)
    data = f"email,first_name,class\nana@example.com,Ana,{training_class.id}\nbad,Bad,{training_class.id}\n".encode()
    response = client.post(
        f"/partner/cohorts/{cohort.id}/upload",
        data={"file": (io.BytesIO(data), "acme.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page_url = response.headers["Location"]
    page = client.get(page_url).get_data(as_text=True)
    assert "not an e-mail address" in page and "Enrol 1 learner" in page
    import_id = int(page_url.rsplit("/", 1)[1])
    assert client.post(f"/partner/imports/{import_id}/start").status_code == 302
    progress = client.get(f"/partner/imports/{import_id}/progress.json").get_json()
    assert progress["done"] and progress["created"] == 1 and progress["percent"] == 100
    assert "js/partners/import.js" in client.get(page_url).get_data(as_text=True)


def test_course_page_offers_come_from_the_partner_network(app, make_partner, make_class, make_version, body):
    gulf, _a = make_partner()
    version = make_version(price=30000)
    make_class(gulf, version=version, price=90000, academic=None, association=None)
    with app.test_request_context("/"):
        offers = [o for _r, result in signals.seat_offers.send(version) for o in result]
    assert [o.order for o in offers] == [10, 20]
    assert offers[0].price == "$300.00" and "/elearning/" in offers[0].url
    assert offers[1].price == "$900.00" and "10 seats left" in offers[1].detail
