"""The pages each role uses: staff item bank, import, blueprint, review; dashboards; access rules."""

import io

import pytest
import sqlalchemy as sa

from lms.exams.models import EndReason, ExamAttempt, ExamBlueprint, Item, ItemStatus, ResultStatus
from lms.exams.services import bank, grading
from lms.extensions import db
from tests.exams.conftest import correct_response


@pytest.fixture
def staff_client(client, login, staff_user):
    login(client, staff_user)
    return client


def test_staff_see_every_bank_and_its_readiness(staff_client, exam):
    page = staff_client.get("/staff/exams/").get_data(as_text=True)
    assert exam.track.names["en"] in page and "Open" in page
    page = staff_client.get(f"/staff/exams/{exam.track.code}/items?status=live").get_data(as_text=True)
    assert exam.items[0].code in page
    page = staff_client.get(f"/staff/exams/items/{exam.items[0].id}").get_data(as_text=True)
    assert "Key:" in page and exam.items[0].latest.content["en"]["stem"] in page


def test_importing_a_csv_reports_errors_per_row_and_imports_nothing(staff_client, exam):
    csv = (
        "code,language,type,domain,stem,option_a,option_b,key,status\r\n"
        "UP-1,en,single_choice,basics,Fine question?,yes,no,a,live\r\n"
        "UP-2,en,single_choice,basics,Broken key?,yes,no,z,live\r\n"
    )
    response = staff_client.post(
        f"/staff/exams/{exam.track.code}/import",
        data={"file": (io.BytesIO(csv.encode()), "items.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "nothing was imported" in page and '<td class="num">3</td>' in page
    assert db.session.execute(sa.select(Item).where(Item.code == "UP-1")).first() is None
    fixed = csv.replace("Broken key?,yes,no,z", "Fixed key?,yes,no,b")
    response = staff_client.post(
        f"/staff/exams/{exam.track.code}/import",
        data={"file": (io.BytesIO(fixed.encode()), "items.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert db.session.execute(sa.select(Item).where(Item.code == "UP-2")).scalar_one().latest.key == {"correct": "b"}


def test_export_then_import_json_through_the_pages(staff_client, exam):
    exported = staff_client.get(f"/staff/exams/{exam.track.code}/export.json")
    assert exported.mimetype == "application/json"
    response = staff_client.post(
        f"/staff/exams/{exam.track.code}/import",
        data={"file": (io.BytesIO(exported.get_data()), "bank.json")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "0 new items, 0 updated" in response.get_data(as_text=True)


def test_an_item_is_written_one_language_at_a_time(staff_client, exam):
    form = {
        "code": "ED-1", "type": "single_choice", "domain": "basics", "objective": "Define AI", "difficulty": "2",
        "status": "draft", "language": "en", "stem": "What is AI?", "option_a": "Software that learns",
        "option_b": "A kind of rock", "option_c": "All of the above", "fixed_c": "y", "key": "a",
    }  # fmt: skip
    response = staff_client.post(f"/staff/exams/{exam.track.code}/items/new", data=form)
    assert response.status_code == 302
    item = db.session.execute(sa.select(Item).where(Item.code == "ED-1")).scalar_one()
    arabic = dict(form, language="ar", stem="ما الذكاء الاصطناعي؟", option_a="برمجيات تتعلم", option_b="نوع من الصخور",
                  option_c="كل ما سبق")  # fmt: skip
    staff_client.post(f"/staff/exams/items/{item.id}/edit", data=arabic)
    db.session.refresh(item)
    assert item.latest.languages == ["ar", "en"] and item.current_version == 1
    assert item.latest.content["ar"]["options"][2] == {"id": "c", "text": "كل ما سبق", "fixed": True}
    page = staff_client.get(f"/staff/exams/items/{item.id}/edit?lang=ar").get_data(as_text=True)
    assert "برمجيات تتعلم" in page
    bad = dict(form, code="ED-2", key="z")
    assert "key must name" in staff_client.post(f"/staff/exams/{exam.track.code}/items/new", data=bad).get_data(
        as_text=True
    )
    duplicate = staff_client.post(f"/staff/exams/{exam.track.code}/items/new", data=form).get_data(as_text=True)
    assert "exists already" in duplicate


def test_key_correction_and_rescore_from_the_item_page(staff_client, exam, candidate, start_attempt):
    attempt = start_attempt(candidate, exam)
    for item in attempt.items:
        item.response = correct_response(item.version)
    grading.finish_attempt(attempt.id, EndReason.SUBMITTED)
    served = attempt.items[0]
    item = db.session.get(Item, served.item_id)
    new_key = {"single_choice": "a", "multiple_response": "b", "true_false": "false", "ordering": "a;b;c;d",
               "matching": "p1=a;p2=b;p3=c"}[item.latest.type]  # fmt: skip
    staff_client.post(f"/staff/exams/items/{item.id}/key", data={"key": new_key, "reason": "Typo in the key"})
    page = staff_client.get(f"/staff/exams/items/{item.id}").get_data(as_text=True)
    assert "key correction" in page and "Re-score" in page
    response = staff_client.post(f"/staff/exams/items/{item.id}/rescore", data={"reason": "Apply the fixed key"},
                                 follow_redirects=True)  # fmt: skip
    assert "1 attempts checked, 1 results changed" in response.get_data(as_text=True)
    assert db.session.get(ExamAttempt, attempt.id).raw_points == 5


def test_the_blueprint_form_saves_and_refuses_what_the_bank_cannot_serve(staff_client, exam):
    url = f"/staff/exams/{exam.track.code}/blueprint"
    page = staff_client.get(url).get_data(as_text=True)
    assert 'name="count_basics"' in page
    form = {
        "time_limit_minutes": "45", "pass_percent": "65", "scale_min": "100", "scale_cut": "650", "scale_max": "900",
        "pilot_item_count": "0", "attempts_allowed": "3", "retake_wait_days": "2, 30", "max_attempts_per_year": "3",
        "voucher_required": "y", "attempts_per_seat": "1", "voucher_validity_days": "180", "review_policy": "all",
        "integrity_threshold": "5", "webcam_snapshot_seconds": "0", "languages": "en", "is_active": "y",
        "count_basics": "3", "count_risk": "1", "count_practice": "1",
    }  # fmt: skip
    assert staff_client.post(url, data=form).status_code == 302
    blueprint = db.session.execute(sa.select(ExamBlueprint).where(ExamBlueprint.track_id == exam.track.id)).scalar_one()
    assert blueprint.retake_wait_days == [2, 30] and blueprint.domain_counts == {"basics": 3, "risk": 1, "practice": 1}
    assert blueprint.version == 2
    too_many = staff_client.post(url, data=dict(form, count_basics="40"))
    assert too_many.status_code == 200 and "needs 40 live items" in too_many.get_data(as_text=True)
    bad_waits = staff_client.post(url, data=dict(form, retake_wait_days="soon"))
    assert "whole numbers" in bad_waits.get_data(as_text=True)


def test_staff_release_a_held_result_from_the_review_queue(staff_client, exam, candidate, start_attempt):
    attempt = start_attempt(candidate, exam)
    attempt.flagged = True
    grading.finish_attempt(attempt.id, EndReason.SUBMITTED)
    page = staff_client.get("/staff/exams/review").get_data(as_text=True)
    assert candidate.legal_name in page
    detail = staff_client.get(f"/staff/exams/attempts/{attempt.id}").get_data(as_text=True)
    assert "Evidence timeline" in detail and "Checked in" in detail
    staff_client.post(f"/staff/exams/attempts/{attempt.id}/release", data={"note": ""})
    assert db.session.get(ExamAttempt, attempt.id).result_status == ResultStatus.HELD
    staff_client.post(f"/staff/exams/attempts/{attempt.id}/release", data={"note": "Reviewed, nothing wrong"})
    assert db.session.get(ExamAttempt, attempt.id).result_status == ResultStatus.RELEASED


def test_the_dashboard_shows_each_role_its_exam_panel(
    client, login, make_client, exam, candidate, staff_user, start_attempt
):
    login(client, candidate)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Your exams" in page and "Check in and start" in page and "2 exam vouchers available" in page
    start_attempt(candidate, exam)
    assert "Resume the exam" in client.get("/dashboard").get_data(as_text=True)
    staff = make_client()
    login(staff, staff_user)
    page = staff.get("/dashboard").get_data(as_text=True)
    assert "Exam decisions" in page and "Live exams" in page and candidate.legal_name in page


def test_a_learner_without_the_course_sees_what_remains(client, login, create_user, exam):
    from lms.exams.services import vouchers

    user = create_user()
    vouchers.grant(user_id=user.id, track_id=exam.track.id, origin_ref="voucher:9")
    login(client, user)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Complete a course of this certification" in page
    assert client.post(f"/exams/{exam.track.code}/start", data={"identity_confirmed": "y", "rules_accepted": "y",
                       "confidentiality_accepted": "y", "language": "en"}).status_code == 400  # fmt: skip


STAFF_ONLY = [
    "/staff/exams/",
    "/staff/exams/review",
    "/staff/exams/accommodations",
    "/staff/exams/{code}/items",
    "/staff/exams/{code}/blueprint",
    "/staff/exams/{code}/statistics",
    "/staff/exams/{code}/import",
    "/staff/exams/{code}/export.csv",
]


def test_learners_and_partners_cannot_reach_staff_pages(
    make_client, login, exam, candidate, create_user, create_organisation
):
    from lms.accounts.models import OrganisationKind
    from lms.core.security import Role

    partner = create_organisation(OrganisationKind.TRAINING_PARTNER)
    for user in (candidate, create_user(roles=[(partner, Role.PARTNER_ADMIN)])):
        client = make_client()
        login(client, user)
        for url in STAFF_ONLY:
            assert client.get(url.format(code=exam.track.code)).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(client, exam):
    for url in ("/exams/", f"/exams/{exam.track.code}", "/exams/attempts/1", "/proctor/", "/staff/exams/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_unknown_exams_and_items_are_404(staff_client):
    assert staff_client.get("/exams/NOPE").status_code == 404
    assert staff_client.get("/staff/exams/items/999999").status_code == 404
    assert staff_client.get("/staff/exams/NOPE/items").status_code == 404


def test_retiring_an_item_from_its_page(staff_client, exam):
    item = exam.items[0]
    staff_client.post(f"/staff/exams/items/{item.id}/status", data={"status": "retired"})
    assert db.session.get(Item, item.id).status == ItemStatus.RETIRED
    assert bank.items_of(exam.track.id)
