"""The oversell race, with real commits and real threads, on whichever database the suite runs on.

Many learners hold and pay for seats of one class at once; exactly ``capacity`` seats are confirmed,
everyone else is refused with SoldOut (never an error), and the ledger balances.
"""

from __future__ import annotations

import threading
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from lms.core.db import write_transactions
from lms.core.time import utcnow
from lms.extensions import db

pytestmark = pytest.mark.committing

CAPACITY = 8
BUYERS = 24


def _setup(app) -> tuple[int, list[int]]:
    from lms.accounts import services as accounts
    from lms.accounts.models import OrganisationKind
    from lms.core.security import Role
    from lms.courses.models import CertificationTrack, Course, CourseVersion, CourseVersionStatus
    from lms.partners.models import ClassStaffRole
    from lms.partners.services import classes

    with app.app_context(), write_transactions():
        accounts.create_organisation(kind=OrganisationKind.CERTIFICATION_BODY, name="Body", slug="body")
        partner = accounts.create_organisation(kind=OrganisationKind.TRAINING_PARTNER, name="Race ATP", slug="race-atp")
        track = CertificationTrack(code="RACE", slug="race", names={"en": "Race"})
        db.session.add(track)
        db.session.flush()
        course = Course(track_id=track.id, code="AIP-RACE-1", slug="race-course")
        db.session.add(course)
        db.session.flush()
        version = CourseVersion(
            course_id=course.id,
            status=CourseVersionStatus.PUBLISHED,
            titles={"en": "Race course"},
            delivery_modes=["instructor_led"],
        )
        db.session.add(version)
        db.session.flush()
        instructor = accounts.register_user(
            email="teacher@race.example.com",
            password="race-password-1",
            display_name="T",
            legal_name="T",
            send_verification=False,
        )
        accounts.grant_role(instructor, partner, Role.INSTRUCTOR, actor_id=None)
        tc = classes.create_class(
            partner,
            actor_id=None,
            course_version_id=version.id,
            language="en",
            timezone="UTC",
            capacity=CAPACITY,
            meeting_url="https://meet.example.com/race",
        )
        classes.add_meeting(tc, day=(utcnow() + timedelta(days=7)).date(), start=time(9), end=time(12), actor_id=None)
        classes.set_price(tc, currency="USD", list_amount=12345, actor_id=None)
        classes.add_staff(tc, user_id=instructor.id, role=ClassStaffRole.INSTRUCTOR, actor_id=None)
        classes.publish(tc, actor_id=None)
        buyers = [
            accounts.register_user(
                email=f"buyer{i}@race.example.com",
                password="race-password-1",
                display_name=f"B{i}",
                legal_name=f"B{i}",
                send_verification=False,
            ).id
            for i in range(BUYERS)
        ]
        db.session.commit()
        return tc.id, buyers


def test_concurrent_holds_and_payments_never_oversell(committing_app):
    from lms.accounts.models import User
    from lms.partners.models import Seat, SeatStatus
    from lms.partners.services import ledger, orders
    from lms.partners.services.seats import SoldOut

    class_id, buyers = _setup(committing_app)
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(buyers))

    def attempt(user_id: int) -> None:
        start.wait()
        with committing_app.app_context(), write_transactions():
            try:
                user = db.session.get(User, user_id)
                order = orders.start_class_order(user, class_id)
                db.session.commit()
                orders.pay(order, provider_code="test", actor=user)
                db.session.commit()
                result = "confirmed"
            except SoldOut:
                db.session.rollback()
                result = "sold_out"
            except Exception as exc:  # anything else is the failure this test looks for
                db.session.rollback()
                result = f"error: {exc!r}"
            finally:
                db.session.remove()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(uid,)) for uid in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("confirmed") == CAPACITY
    assert outcomes.count("sold_out") == BUYERS - CAPACITY
    with committing_app.app_context():
        confirmed = db.session.execute(
            sa.select(sa.func.count()).where(Seat.class_id == class_id, Seat.status == SeatStatus.CONFIRMED)
        ).scalar_one()
        assert confirmed == CAPACITY
        assert ledger.check_balance().ok


def test_concurrent_checkouts_over_http_never_oversell(committing_app):
    """The same race through the checkout pages, as the benchmark drives them.

    Booking and paying read first and take the lock only for their short write (on SQLite the
    transaction starts as a read): learners refused for a full class get a 409 with a message,
    nobody gets a 500, and exactly ``capacity`` seats are sold.
    """
    from lms.partners.models import Seat, SeatStatus
    from lms.partners.services import ledger
    from tests.conftest import Client

    class_id, _buyers = _setup(committing_app)
    committing_app.test_client_class = Client
    clients = []
    for index in range(BUYERS):
        client = committing_app.test_client()
        email = f"buyer{index}@race.example.com"
        signed_in = client.post("/login", data={"email": email, "password": "race-password-1"})
        assert signed_in.status_code == 302
        client.forget_csrf()
        client.csrf_token()
        clients.append(client)
    outcomes: list[tuple[int, ...]] = []
    lock = threading.Lock()
    start = threading.Barrier(len(clients))
    headers = {"Accept": "application/json"}

    def attempt(client: Client) -> None:
        start.wait()
        codes: tuple[int, ...]
        booked = client.post(f"/classes/{class_id}/book", json={}, headers=headers)
        if booked.status_code == 201:
            paid = client.post(
                f"/orders/{booked.get_json()['order_id']}/pay", json={"provider": "test"}, headers=headers
            )
            codes = (booked.status_code, paid.status_code, paid.get_json().get("status") == "paid")
        else:
            codes = (booked.status_code, booked.get_json()["error"]["kind"] == "sold_out")
        with lock:
            outcomes.append(codes)

    threads = [threading.Thread(target=attempt, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == BUYERS
    assert outcomes.count((201, 200, True)) == CAPACITY, outcomes
    assert outcomes.count((409, True)) == BUYERS - CAPACITY, outcomes
    with committing_app.app_context():
        confirmed = db.session.execute(
            sa.select(sa.func.count()).where(Seat.class_id == class_id, Seat.status == SeatStatus.CONFIRMED)
        ).scalar_one()
        assert confirmed == CAPACITY
        assert ledger.check_balance().ok
