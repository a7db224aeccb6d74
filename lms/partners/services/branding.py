"""Branding: display name, colours (validated, contrast-checked), logo and signature images.

Images are accepted only as PNG or JPEG *by content* (Pillow decodes them), are re-encoded as
PNG without metadata and scaled down, so nothing a partner uploads is ever served as it came.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.core import audit
from lms.core.errors import DomainError
from lms.core.i18n import LANGUAGES
from lms.core.storage import get_storage
from lms.extensions import db
from lms.partners.models import PartnerBranding

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#FFFFFF"
#: White text on the primary colour (header, buttons) must reach the WCAG AA ratio for body text;
#: the secondary colour carries large text and accents only, so it needs the ratio for large text.
MIN_PRIMARY_CONTRAST = 4.5
MIN_SECONDARY_CONTRAST = 3.0
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_PIXELS = 4096 * 4096
LOGO_BOX = (600, 240)
SIGNATURE_BOX = (600, 200)


@dataclass(frozen=True)
class Branding:
    """Plain branding values for documents and pages (certificates, flyers, storefront)."""

    partner_id: int
    display_name: str
    primary_colour: str
    secondary_colour: str
    logo_key: str | None
    signatory_name: str | None
    signatory_title: str | None
    signature_key: str | None


def branding_for(partner_id: int) -> Branding | None:
    row = db.session.execute(
        sa.select(PartnerBranding).where(PartnerBranding.partner_id == partner_id)
    ).scalar_one_or_none()
    if row is None:
        return None
    return Branding(
        partner_id=row.partner_id,
        display_name=row.display_name,
        primary_colour=row.primary_colour,
        secondary_colour=row.secondary_colour,
        logo_key=row.logo_key,
        signatory_name=row.signatory_name,
        signatory_title=row.signatory_title,
        signature_key=row.signature_key,
    )


def branding_row(partner_id: int) -> PartnerBranding | None:
    return db.session.execute(
        sa.select(PartnerBranding).where(PartnerBranding.partner_id == partner_id)
    ).scalar_one_or_none()


def ensure_branding(partner_id: int, display_name: str) -> PartnerBranding:
    row = branding_row(partner_id)
    if row is None:
        row = PartnerBranding(partner_id=partner_id, display_name=display_name, languages=["en"], taglines={})
        db.session.add(row)
        db.session.flush()
    return row


# --- colours -----------------------------------------------------------------------------------


def normalise_colour(value: str, field: str) -> str:
    value = (value or "").strip()
    if not HEX_COLOUR.match(value):
        raise DomainError(_("Enter a colour as # followed by six hexadecimal digits, e.g. #1D4ED8."), field=field)
    return value.upper()


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def check_colours(primary: str, secondary: str) -> tuple[str, str]:
    primary = normalise_colour(primary, "primary_colour")
    secondary = normalise_colour(secondary, "secondary_colour")
    ratio = contrast_ratio(primary, WHITE)
    if ratio < MIN_PRIMARY_CONTRAST:
        raise DomainError(
            _(
                "White text on this primary colour is hard to read (contrast %(ratio)s:1, at least %(minimum)s:1 "
                "is needed). Choose a darker colour.",
                ratio=f"{ratio:.1f}",
                minimum=f"{MIN_PRIMARY_CONTRAST:.1f}",
            ),
            field="primary_colour",
        )
    ratio = contrast_ratio(secondary, WHITE)
    if ratio < MIN_SECONDARY_CONTRAST:
        raise DomainError(
            _(
                "White text on this secondary colour is hard to read (contrast %(ratio)s:1, at least %(minimum)s:1 "
                "is needed). Choose a darker colour.",
                ratio=f"{ratio:.1f}",
                minimum=f"{MIN_SECONDARY_CONTRAST:.1f}",
            ),
            field="secondary_colour",
        )
    return primary, secondary


def update_branding(
    partner_id: int,
    *,
    actor_id: int | None,
    display_name: str,
    primary_colour: str,
    secondary_colour: str,
    signatory_name: str | None = None,
    signatory_title: str | None = None,
    contact_email: str | None = None,
    languages: list[str] | None = None,
    taglines: dict[str, str] | None = None,
) -> PartnerBranding:
    display_name = (display_name or "").strip()
    if not display_name:
        raise DomainError(_("Enter the name learners should see."), field="display_name")
    primary, secondary = check_colours(primary_colour, secondary_colour)
    chosen = [code for code in (languages or []) if code in LANGUAGES]
    if not chosen:
        raise DomainError(_("Choose at least one language you teach in."), field="languages")
    row = ensure_branding(partner_id, display_name)
    before = {"display_name": row.display_name, "primary": row.primary_colour, "secondary": row.secondary_colour}
    row.display_name = display_name[:200]
    row.primary_colour = primary
    row.secondary_colour = secondary
    row.signatory_name = (signatory_name or "").strip() or None
    row.signatory_title = (signatory_title or "").strip() or None
    row.contact_email = (contact_email or "").strip().lower() or None
    row.languages = chosen
    row.taglines = {k: v.strip()[:200] for k, v in (taglines or {}).items() if k in LANGUAGES and v and v.strip()}
    audit.record(
        "partner.branding_updated",
        actor_id=actor_id,
        subject=row,
        partner_id=partner_id,
        details={"before": before, "primary": primary, "secondary": secondary},
    )
    return row


# --- images ------------------------------------------------------------------------------------


def clean_image(data: bytes, box: tuple[int, int], field: str) -> bytes:
    """Decode PNG/JPEG by content, refuse anything else, and return a re-encoded, scaled PNG."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise DomainError(_("Choose an image file."), field=field)
    if len(data) > MAX_IMAGE_BYTES:
        raise DomainError(_("The image is larger than 2 MB. Upload a smaller one."), field=field)
    head = data[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg")) or b"<svg" in head:
        raise DomainError(_("SVG images are not accepted. Upload a PNG or JPEG image."), field=field)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()
        if kind not in {"PNG", "JPEG"}:
            raise DomainError(_("Upload a PNG or JPEG image."), field=field)
        if width * height > MAX_IMAGE_PIXELS:
            raise DomainError(_("The image has too many pixels. Upload a smaller one."), field=field)
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = image.convert("RGBA")
            image.thumbnail(box)
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise DomainError(_("This file is not a PNG or JPEG image we can read."), field=field) from exc
    return out.getvalue()


def _store_image(partner_id: int, purpose: str, png: bytes) -> str:
    digest = hashlib.sha256(png).hexdigest()[:16]
    key = f"partners/{partner_id}/{purpose}-{digest}.png"
    get_storage().save(key, png, "image/png")
    return key


def set_logo(partner_id: int, data: bytes, *, actor_id: int | None, display_name: str) -> PartnerBranding:
    png = clean_image(data, LOGO_BOX, "logo")
    row = ensure_branding(partner_id, display_name)
    row.logo_key = _store_image(partner_id, "logo", png)
    audit.record("partner.logo_uploaded", actor_id=actor_id, subject=row, partner_id=partner_id)
    return row


def set_signature(partner_id: int, data: bytes, *, actor_id: int | None, display_name: str) -> PartnerBranding:
    png = clean_image(data, SIGNATURE_BOX, "signature")
    row = ensure_branding(partner_id, display_name)
    row.signature_key = _store_image(partner_id, "signature", png)
    audit.record("partner.signature_uploaded", actor_id=actor_id, subject=row, partner_id=partner_id)
    return row


def image_bytes(key: str | None) -> bytes | None:
    if not key:
        return None
    storage = get_storage()
    if not storage.exists(key):
        return None
    return storage.load(key)


def image_data_uri(key: str | None) -> str | None:
    """A stored PNG as a data: URI (the PDF renderer fetches nothing else)."""
    import base64

    data = image_bytes(key)
    if data is None:
        return None
    return "data:image/png;base64," + base64.b64encode(data).decode()


def theme_css(branding: PartnerBranding | Branding | None) -> str:
    """The storefront's colours as CSS custom properties (values re-checked: hex only)."""
    primary = getattr(branding, "primary_colour", None) or "#3538CD"
    secondary = getattr(branding, "secondary_colour", None) or "#0E7C86"
    if not HEX_COLOUR.match(primary):
        primary = "#3538CD"
    if not HEX_COLOUR.match(secondary):
        secondary = "#0E7C86"
    return (
        ".storefront, .partner-theme {\n"
        f"  --partner-primary: {primary};\n"
        f"  --partner-secondary: {secondary};\n"
        "  --partner-on-primary: #FFFFFF;\n"
        "}\n"
    )


def taglines_for(row: PartnerBranding | None, locale: str) -> str:
    texts: dict[str, Any] = (row.taglines if row else None) or {}
    return texts.get(locale) or texts.get("en") or next(iter(texts.values()), "")
