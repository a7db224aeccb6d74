"""Pages: public verification (two languages, no hints, JSON, PDF, credential, LinkedIn), the
learner's certificates, staff administration and a partner's bulk issue; who may see what."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from lms.certificates.models import Certificate, CertificateDocument, CertificateStatus
from lms.certificates.services import issuing
from lms.certificates.services.status import StatusAction, change_status
from lms.core.security import Role
from lms.extensions import db


def _page(response) -> str:
    return response.get_data(as_text=True)


def _same_page(response) -> str:
    """The page without what only echoes the request (the language switch's return path, CSRF token)."""
    return re.sub(r'value="[^"]*"|content="[^"]*"', "", _page(response))


# --- public verification --------------------------------------------------------------------------------


def test_the_verification_page_shows_the_certificate_without_scores(client, certificate):
    response = client.get(f"/verify/{certificate.token}")
    page = _page(response)

    assert response.status_code == 200
    assert "This certificate is valid." in page
    for expected in (
        "ليلى حسن",
        "Layla Hassan",
        "AI+ Developer",
        "AI Certification Council",
        "Gulf AI Academy",
        certificate.number,
        "Certification scheme 2026.1",
    ):
        assert expected in page
    assert re.search(r"score|attempt", page, re.IGNORECASE) is None
    assert response.headers["X-Robots-Tag"].startswith("noindex")


def test_the_verification_page_speaks_the_visitors_language(client, certificate):
    response = client.get(f"/verify/{certificate.token}", headers={"Accept-Language": "ar"})
    page = _page(response)
    assert '<html lang="ar" dir="rtl">' in page
    assert "هذه الشهادة صالحة." in page
    assert "الذكاء الاصطناعي+ للمطورين" in page
    german = _page(client.get(f"/verify/{certificate.token}", headers={"Accept-Language": "de"}))
    assert "Dieses Zertifikat ist gültig." in german


def test_unknown_tokens_are_plain_404s(client, certificate):
    unknown = client.get("/verify/aaaaaaaaaaaaaaaaaaaaaaaa")
    other = client.get("/verify/" + certificate.token[:-1] + ("A" if certificate.token[-1] != "A" else "B"))
    assert unknown.status_code == other.status_code == 404
    assert _same_page(unknown) == _same_page(other)
    assert client.get("/verify/nope.json").status_code == 404
    assert client.get("/verify/nope/certificate.pdf").status_code == 404
    assert client.get("/verify/nope/credential.jwt").status_code == 404


def test_json_gives_status_names_dates_and_links(client, certificate):
    data = client.get(f"/verify/{certificate.token}.json").get_json()
    assert data["number"] == certificate.number
    assert data["status"] == "active" and data["valid"] is True
    assert data["holder"] == {"name": "ليلى حسن", "name_latin": "Layla Hassan"}
    assert data["certification"]["scheme_version"] == "2026.1"
    assert data["issuer"]["id"] == "did:web:localhost"
    assert data["partner"] == {"name": "Gulf AI Academy"}
    assert data["expires_on"] == certificate.expires_at.date().isoformat()
    assert data["links"]["pdf"].endswith(f"/verify/{certificate.token}/certificate.pdf")
    assert "score" not in str(data).lower()


@pytest.mark.parametrize("surname", ["Hassan", "hassan", "  HASSAN ", "حسن", "Layla Hassan"])
def test_lookup_by_number_and_surname(client, certificate, surname):
    number = certificate.number.lower().replace("-", " ")
    response = client.get("/verify", query_string={"number": number, "surname": surname})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{certificate.token}")


def test_lookup_failures_all_look_the_same(client, certificate):
    wrong_surname = _page(client.get("/verify", query_string={"number": certificate.number, "surname": "Smith"}))
    from lms.certificates.numbering import make_number

    other = make_number("DEV", certificate.issued_at.year, certificate.id + 1000)  # well formed, not issued
    no_such_number = _page(client.get("/verify", query_string={"number": other, "surname": "Hassan"}))
    malformed = _page(client.get("/verify", query_string={"number": "AIC-DEV-2026-0000000", "surname": "Hassan"}))
    message = "No certificate matches this number and surname."
    assert message in wrong_surname and message in no_such_number and message in malformed
    strip = lambda page: re.sub(r'value="[^"]*"|content="[^"]*"', "", page)  # noqa: E731
    assert strip(wrong_surname) == strip(no_such_number) == strip(malformed)


def test_public_pdf_and_credential_downloads(client, certificate):
    stored = issuing.document_bytes(certificate.primary_document)
    response = client.get(f"/verify/{certificate.token}/certificate.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == stored
    # A visitor never makes the server render: an unissued language falls back to the stored PDF.
    count = db.session.execute(sa.select(sa.func.count()).select_from(CertificateDocument)).scalar_one()
    assert client.get(f"/verify/{certificate.token}/certificate.pdf?lang=ja").data == stored
    assert db.session.execute(sa.select(sa.func.count()).select_from(CertificateDocument)).scalar_one() == count
    credential = client.get(f"/verify/{certificate.token}/credential.jwt")
    assert credential.mimetype == "application/vc+jwt"
    assert credential.get_data(as_text=True) == certificate.credential_jwt


def test_the_linkedin_link_is_prefilled(client, certificate):
    page = _page(client.get(f"/verify/{certificate.token}"))
    href = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', page).group(1).replace("&amp;", "&")
    params = {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}
    assert params["startTask"] == "CERTIFICATION_NAME"
    assert params["name"] == "AI+ Developer"
    assert params["organizationName"] == "AI Certification Council"
    assert params["issueYear"] == str(certificate.issued_at.year)
    assert params["issueMonth"] == str(certificate.issued_at.month)
    assert params["expirationYear"] == str(certificate.expires_at.year)
    assert params["expirationMonth"] == str(certificate.expires_at.month)
    assert params["certUrl"] == f"http://localhost/verify/{certificate.token}"
    assert params["certId"] == certificate.number


@pytest.mark.parametrize(
    ("action", "headline"),
    [
        (StatusAction.SUSPEND, "This certificate is suspended."),
        (StatusAction.REVOKE, "This certificate has been revoked."),
    ],
)
def test_suspended_and_revoked_certificates_say_so(client, certificate, staff_user, action, headline):
    change_status(certificate.id, action, reason="Reason kept private", actor_id=staff_user.id)
    db.session.commit()
    page = _page(client.get(f"/verify/{certificate.token}"))
    assert headline in page
    assert "Reason kept private" not in page
    assert "linkedin.com" not in page
    assert client.get(f"/verify/{certificate.token}.json").get_json()["valid"] is False


def test_a_replaced_certificate_points_to_its_successor(client, certificate, staff_user):
    new = issuing.reissue(certificate.id, reason="Name correction", actor_id=staff_user.id)
    db.session.commit()
    page = _page(client.get(f"/verify/{certificate.token}"))
    assert "This certificate has been replaced." in page
    assert f"/verify/{new.token}" in page
    assert client.get(f"/verify/{certificate.token}.json").get_json()["superseded_by"].endswith(new.token)


# --- the learner -----------------------------------------------------------------------------------------


def test_the_learner_sees_downloads_and_shares_their_certificates(client, login, learner, certificate):
    login(client, learner)
    dashboard = _page(client.get("/dashboard"))
    assert "My certificates" in dashboard and "AI+ Developer" in dashboard

    page = _page(client.get("/my/certificates"))
    assert certificate.number in page
    assert f"http://localhost/verify/{certificate.token}" in page
    assert "linkedin.com/profile/add" in page

    response = client.get(f"/my/certificates/{certificate.id}/download", query_string={"lang": "ar", "bilingual": "1"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    db.session.expire_all()
    stored = db.session.get(Certificate, certificate.id)
    assert {(d.language, d.bilingual) for d in stored.documents} == {("en", False), ("ar", True)}
    assert stored.number == certificate.number and stored.token == certificate.token
    again = client.get(f"/my/certificates/{certificate.id}/download", query_string={"lang": "ar", "bilingual": "1"})
    assert again.data == response.data
    assert client.get(f"/my/certificates/{certificate.id}/download", query_string={"lang": "xx"}).status_code == 404


def test_other_people_cannot_reach_my_certificate(client, make_client, login, create_user, certificate):
    assert client.get("/my/certificates").status_code == 302  # sign in first
    stranger = create_user()
    login(client, stranger)
    assert client.get(f"/my/certificates/{certificate.id}/download").status_code == 404
    assert certificate.number not in _page(client.get("/my/certificates"))
    assert client.get("/staff/certificates/").status_code == 403
    assert client.get("/partner/certificates/").status_code == 403


# --- staff ---------------------------------------------------------------------------------------------------


def test_staff_suspend_reinstate_and_revoke_with_reasons(client, login, staff_user, certificate):
    login(client, staff_user)
    assert certificate.number in _page(client.get("/staff/certificates/", query_string={"q": "hassan"}))
    detail = _page(client.get(f"/staff/certificates/{certificate.id}"))
    assert "Suspend" in detail and "Revoke" in detail

    refused = client.post(f"/staff/certificates/{certificate.id}/status/suspend", data={"reason": ""})
    assert refused.status_code == 302
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).status == CertificateStatus.ACTIVE

    client.post(f"/staff/certificates/{certificate.id}/status/suspend", data={"reason": "Complaint received"})
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).status == CertificateStatus.SUSPENDED
    client.post(f"/staff/certificates/{certificate.id}/status/reinstate", data={"reason": "Complaint unfounded"})
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).status == CertificateStatus.ACTIVE
    client.post(f"/staff/certificates/{certificate.id}/status/revoke", data={"reason": "Impersonation"})
    db.session.expire_all()
    revoked = db.session.get(Certificate, certificate.id)
    assert revoked.status == CertificateStatus.REVOKED and revoked.status_reason == "Impersonation"
    history = _page(client.get(f"/staff/certificates/{certificate.id}"))
    assert "certificate.suspend" in history and "Impersonation" in history
    assert client.post(f"/staff/certificates/{certificate.id}/status/explode", data={"reason": "x"}).status_code == 404


def test_staff_reissue_and_issue_by_form(client, login, staff_user, certificate, create_user, track, partner):
    login(client, staff_user)
    response = client.post(
        f"/staff/certificates/{certificate.id}/reissue",
        data={"holder_name": "ليلى حسّان", "holder_name_latin": "Laila Hassan", "reason": "Spelling"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    old = db.session.get(Certificate, certificate.id)
    assert old.status == CertificateStatus.SUPERSEDED
    assert db.session.get(Certificate, old.superseded_by_id).holder_name == "ليلى حسّان"

    other = create_user(legal_name="Zoë Müller")
    form = _page(client.get("/staff/certificates/issue"))
    nonce = re.search(r'name="nonce" type="hidden" value="([^"]+)"', form).group(1)
    data = {
        "email": other.email,
        "track_id": track.id,
        "partner_id": partner.id,
        "language": "de",
        "reason": "Exam held on paper",
        "nonce": nonce,
    }
    assert client.post("/staff/certificates/issue", data=data).status_code == 302
    assert client.post("/staff/certificates/issue", data=data).status_code == 302  # double submit
    issued = db.session.execute(sa.select(Certificate).where(Certificate.user_id == other.id)).scalars().all()
    assert len(issued) == 1 and issued[0].language == "de"
    unknown = _page(
        client.post("/staff/certificates/issue", data={**data, "email": "nobody@example.com", "nonce": "n2"})
    )
    assert "No account uses this e-mail address." in unknown


def test_staff_template_preview_and_hostile_save(client, login, staff_user, track, body):
    login(client, staff_user)
    page = _page(client.get(f"/staff/certificates/templates/{track.id}"))
    assert "holder.name" in page
    preview = client.post(
        f"/staff/certificates/templates/{track.id}",
        data={"html": "<p>{{ holder.name }}</p>", "css": "", "preview_language": "ar", "preview": "1"},
    )
    assert preview.mimetype == "application/pdf"
    hostile = client.post(
        f"/staff/certificates/templates/{track.id}",
        data={"html": "{{ cycler.__init__.__globals__ }}", "css": "", "preview_language": "en", "save": "1"},
    )
    assert hostile.status_code == 200 and "could not be rendered" in _page(hostile)
    saved = client.post(
        f"/staff/certificates/templates/{track.id}",
        data={
            "html": "<p>{{ holder.name }}</p>",
            "css": "p { color: {{ colours.primary }} }",
            "note": "Plain",
            "preview_language": "en",
            "save": "1",
        },
    )
    assert saved.status_code == 302
    assert "Version 1" in _page(client.get(f"/staff/certificates/templates/{track.id}"))


def test_staff_rotate_key_page(client, login, staff_user, certificate):
    login(client, staff_user)
    assert certificate.key_id in _page(client.get("/staff/certificates/keys"))
    client.post("/staff/certificates/keys/rotate", data={"reason": "Yearly rotation"})
    page = _page(client.get("/staff/certificates/keys"))
    assert page.count("<code>") == 2


# --- partners ---------------------------------------------------------------------------------------------------


def test_a_partner_admin_issues_for_a_class_and_follows_progress(
    client, login, partner_admin, partner, make_class, create_user, track, body
):
    learners = [create_user(legal_name=f"Learner {i}") for i in range(3)]
    training_class = make_class(partner, track, learners)
    db.session.commit()
    login(client, partner_admin)
    assert "Issue for all who qualify" in _page(client.get("/partner/certificates/"))

    response = client.post(f"/partner/certificates/classes/{training_class.id}/issue")
    assert response.status_code == 302
    job_url = response.headers["Location"]
    page = _page(client.get(job_url))
    assert 'data-progress-url="' in page and "js/certificates/progress.js" in page
    progress = client.get(job_url + "/progress").get_json()
    assert progress == {
        "total": 3,
        "issued": 3,
        "waiting_for_course": 0,
        "failed": 0,
        "pending": 0,
        "percent": 100,
        "done": True,
    }
    again = client.post(f"/partner/certificates/classes/{training_class.id}/issue", follow_redirects=True)
    assert "Nobody in this class is waiting for a certificate." in _page(again)


def test_a_partner_cannot_touch_another_partners_class_or_job(
    client, make_client, login, partner_admin, make_partner, make_class, create_user, track, body, staff_user
):
    other_partner = make_partner("EuroSkills Institute", colour="#B42318")
    training_class = make_class(other_partner, track, [create_user()])
    db.session.commit()
    login(client, staff_user)
    job_response = client.post("/staff/certificates/bulk", data={"class_id": training_class.id})
    job_id = int(job_response.headers["Location"].rsplit("/", 1)[1])
    client = make_client()
    login(client, partner_admin)
    assert client.post(f"/partner/certificates/classes/{training_class.id}/issue").status_code == 404
    assert client.get(f"/partner/certificates/jobs/{job_id}").status_code == 404
    assert client.get(f"/partner/certificates/jobs/{job_id}/progress").status_code == 404
    assert f'data-class-id="{training_class.id}"' not in _page(client.get("/partner/certificates/"))


def test_roles_needed_for_each_area(client, login, create_user, partner):
    instructor = create_user(roles=[(partner, Role.INSTRUCTOR)])
    login(client, instructor)
    assert client.get("/partner/certificates/").status_code == 403
    assert client.get("/staff/certificates/bulk").status_code == 403
    assert client.get("/staff/certificates/keys").status_code == 403
