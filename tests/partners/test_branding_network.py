"""Joining the network (apply, approve, reject, suspend, invite) and branding (colours, images, storefront)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from lms.accounts.models import Membership, OrganisationKind, OrganisationStatus
from lms.core.errors import DomainError
from lms.core.security import Role
from lms.extensions import db
from lms.partners.models import ApplicationStatus
from lms.partners.services import branding, network


def _image(kind: str = "PNG", size=(800, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 80, 160)).save(out, format=kind)
    return out.getvalue()


def test_apply_approve_makes_the_applicant_partner_admin(client, login, create_user, staff_user, body):
    applicant = create_user(display_name="Omar")
    login(client, applicant)
    response = client.post(
        "/partners/apply",
        data={
            "kind": "training_partner",
            "name": "Desert AI School",
            "country": "ae",
            "city": "Abu Dhabi",
            "languages": ["ar", "en"],
            "motivation": "We train engineers across the Gulf in Arabic and English.",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    application = db.session.execute(db.select(network.PartnerApplication)).scalar_one()
    assert application.organisation.status == OrganisationStatus.APPLIED
    assert "Under review" in client.get("/partners/apply").get_data(as_text=True)
    assert client.get("/partner/classes").status_code == 403  # not a partner yet

    staff = client.application.test_client()
    login(staff, staff_user)
    assert "Desert AI School" in staff.get("/staff/network/").get_data(as_text=True)
    response = staff.post(
        f"/staff/network/applications/{application.id}", data={"decision": "approve", "reason": "Strong references."}
    )
    assert response.status_code == 302
    assert application.status == ApplicationStatus.APPROVED
    assert application.organisation.status == OrganisationStatus.ACTIVE
    assert Role.PARTNER_ADMIN in applicant.roles
    assert client.get("/partner/classes").status_code == 200
    assert client.get("/partner/branding").status_code == 200


def test_rejection_needs_a_reason_and_is_final(create_user, staff_user, body):
    applicant = create_user()
    application = network.apply(
        applicant,
        kind=OrganisationKind.ASSOCIATION,
        name="Nurses of Lyon",
        country="FR",
        city="Lyon",
        website=None,
        motivation="We would like to offer the healthcare track to our members.",
        languages=["fr"],
    )
    with pytest.raises(DomainError):
        network.reject(application, actor_id=staff_user.id, reason="  ")
    network.reject(application, actor_id=staff_user.id, reason="Not an association.")
    assert application.organisation.status == OrganisationStatus.REJECTED
    with pytest.raises(DomainError):
        network.approve(application, actor_id=staff_user.id, reason="changed mind")


def test_suspending_a_partner_removes_its_peoples_access(client, login, make_partner, staff_user):
    partner, admin = make_partner()
    login(client, admin)
    assert client.get("/partner/classes").status_code == 200
    network.set_partner_status(partner, OrganisationStatus.SUSPENDED, actor_id=staff_user.id, reason="Unpaid invoices")
    db.session.commit()
    assert client.get("/partner/classes").status_code == 403
    assert client.get(f"/p/{partner.slug}").status_code == 404


def test_an_invitation_is_accepted_only_by_its_addressee(client, login, make_partner, create_user):
    partner, admin = make_partner()
    invitation, token = network.invite(partner, email="Priya@Example.com", role=Role.INSTRUCTOR, actor=admin)
    stranger = create_user()
    with pytest.raises(DomainError):
        network.accept_invitation(token, stranger)
    priya = create_user(email="priya@example.com")
    login(client, priya)
    assert "invites" in client.get(f"/partners/invitations/{token}").get_data(as_text=True)
    assert client.post(f"/partners/invitations/{token}/accept").status_code == 302
    assert Role.INSTRUCTOR in priya.roles
    with pytest.raises(DomainError):
        network.accept_invitation(token, priya)  # used
    assert invitation.accepted_by == priya.id


def test_the_last_admin_cannot_be_removed(make_partner):
    _partner, admin = make_partner()
    membership = db.session.execute(db.select(Membership).where(Membership.user_id == admin.id)).scalar_one()
    with pytest.raises(DomainError):
        network.remove_member(membership, actor_id=admin.id)


@pytest.mark.parametrize(
    "primary, secondary, field",
    [
        ("#FFFF00", "#0E7C86", "primary_colour"),
        ("#1D4ED8", "#EEEEEE", "secondary_colour"),
        ("blue", "#0E7C86", "primary_colour"),
        ("#12345G", "#0E7C86", "primary_colour"),
        ("#1D4ED8;}body{", "#0E7C86", "primary_colour"),
    ],
)
def test_colours_are_hex_and_readable_under_white_text(make_partner, primary, secondary, field):
    partner, admin = make_partner()
    with pytest.raises(DomainError) as refused:
        branding.update_branding(
            partner.id,
            actor_id=admin.id,
            display_name="X",
            primary_colour=primary,
            secondary_colour=secondary,
            languages=["en"],
        )
    assert refused.value.field == field


def test_contrast_ratio_matches_wcag():
    assert round(branding.contrast_ratio("#000000", "#FFFFFF"), 1) == 21.0
    assert round(branding.contrast_ratio("#3538CD", "#FFFFFF"), 1) >= 4.5


def test_logos_are_checked_by_content_and_re_encoded(make_partner, app):
    partner, admin = make_partner()
    row = branding.set_logo(partner.id, _image("JPEG"), actor_id=admin.id, display_name=partner.name)
    stored = branding.image_bytes(row.logo_key)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG" and image.size[0] <= 600 and image.size[1] <= 240
    for bad, message in (
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
        (b"\x89PNG\r\n\x1a\n" + b"not really a png", "not a PNG or JPEG"),
        (b"GIF89a" + _image("GIF")[6:], "PNG or JPEG"),
        (b"x" * (3 * 1024 * 1024), "larger than 2 MB"),
    ):
        with pytest.raises(DomainError, match=message):
            branding.set_logo(partner.id, bad, actor_id=admin.id, display_name=partner.name)


def test_storefront_serves_its_colours_as_a_stylesheet_and_its_logo_as_png(client, make_partner, make_class):
    partner, admin = make_partner()
    branding.update_branding(
        partner.id,
        actor_id=admin.id,
        display_name="Gulf AI Academy",
        primary_colour="#0b5394",
        secondary_colour="#0E7C86",
        languages=["ar", "en"],
        taglines={"en": "Learn AI in Dubai"},
    )
    branding.set_logo(partner.id, _image(), actor_id=admin.id, display_name=partner.name)
    make_class(partner)
    page = client.get(f"/p/{partner.slug}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Gulf AI Academy" in html and "Learn AI in Dubai" in html
    assert 'style="' not in html
    css = client.get(f"/p/{partner.slug}/theme.css")
    assert css.mimetype == "text/css" and "--partner-primary: #0B5394;" in css.get_data(as_text=True)
    logo = client.get(f"/p/{partner.slug}/logo.png")
    assert logo.mimetype == "image/png" and logo.data.startswith(b"\x89PNG")
    assert client.get("/p/no-such-partner").status_code == 404
