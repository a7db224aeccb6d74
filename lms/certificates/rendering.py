"""Certificate PDFs: a template (HTML body + CSS) rendered in Jinja's sandbox with plain values,
wrapped in a head we control (fonts, metadata, page size), then WeasyPrint to PDF/A-3b with the
signed credential attached.

Templates are data that staff may edit, so they are treated as hostile: the sandboxed environment
has no loader (no include/import), blocks attribute escapes (``__class__``…), and sees only plain
strings, numbers, lists and dicts; the PDF renderer's URL fetcher reads nothing but ``data:``,
bundled assets and our fonts folder (no ``file://``, no network).
"""

from __future__ import annotations

import base64
import hashlib
import io
import mimetypes
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import segno
import sqlalchemy as sa
from babel.dates import format_date
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import DictLoader, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import escape

from lms.accounts.services import certification_body
from lms.certificates.credentials import verification_url
from lms.certificates.fonts import certificate_fonts
from lms.certificates.models import Certificate, CertificateTemplate
from lms.core.db import advisory_lock
from lms.core.errors import DomainError
from lms.core.i18n import LANGUAGES
from lms.core.pdf import attachment, render_layered_pdf, render_pdf, render_report
from lms.core.storage import get_storage
from lms.extensions import db
from lms.partners.services import Branding, branding_for

DESIGNS = Path(__file__).resolve().parent / "designs"
STATIC = Path(__file__).resolve().parent.parent / "static"
DEFAULT_MARK = STATIC / "img" / "certificates" / "body-mark.svg"
DEFAULT_SCOPE = "default"
DEFAULT_PRIMARY = "#3538CD"
DEFAULT_SECONDARY = "#0E7C86"
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
#: Languages a certificate can be printed in (every interface language).
CERTIFICATE_LANGUAGES = tuple(LANGUAGES)
MAX_TEMPLATE_CHARS = 60_000

# An empty loader: {% include %} / {% import %} find nothing (and fail as template errors).
_html_env = ImmutableSandboxedEnvironment(autoescape=True, loader=DictLoader({}))
_css_env = ImmutableSandboxedEnvironment(autoescape=False, loader=DictLoader({}))


class TemplateRejected(DomainError):
    """A certificate template failed to render (syntax error, forbidden access…)."""


@dataclass
class RenderedCertificate:
    pdf: bytes
    missing_glyphs: list[str]


# --- templates ------------------------------------------------------------------------------------


def track_scope(track_id: int | None) -> str:
    return DEFAULT_SCOPE if track_id is None else f"track:{track_id}"


def design_files(code: str | None) -> tuple[str, str]:
    """The design shipped as files: ``designs/<CODE>.html/.css`` if present, else the default."""
    for name in ([code.upper()] if code else []) + ["default"]:
        html, css = DESIGNS / f"{name}.html", DESIGNS / f"{name}.css"
        if html.is_file() and css.is_file():
            return html.read_text(encoding="utf-8"), css.read_text(encoding="utf-8")
    raise FileNotFoundError("the default certificate design is missing")


def latest_template(scope: str) -> CertificateTemplate | None:
    return db.session.execute(
        sa.select(CertificateTemplate)
        .where(CertificateTemplate.scope == scope)
        .order_by(CertificateTemplate.version.desc())
        .limit(1)
    ).scalar_one_or_none()


def template_for_track(track_id: int, code: str) -> CertificateTemplate:
    """The design new certificates of this certification get: its own, else the default one.

    The designs shipped as files become version 1 the first time they are needed.
    """
    own = latest_template(track_scope(track_id))
    if own is not None:
        return own
    has_own_files = (DESIGNS / f"{code.upper()}.html").is_file()
    scope = track_scope(track_id) if has_own_files else DEFAULT_SCOPE
    existing = latest_template(scope)
    if existing is not None:
        return existing
    advisory_lock("lms.certificates.templates")
    existing = latest_template(scope)
    if existing is not None:
        return existing
    html, css = design_files(code if has_own_files else None)
    template = CertificateTemplate(scope=scope, version=1, html=html, css=css, note="Shipped design")
    db.session.add(template)
    db.session.flush()
    return template


def save_template(
    *, track_id: int | None, html: str, css: str, note: str | None, actor_id: int | None
) -> CertificateTemplate:
    """Store a new version (after proving it renders); issued certificates keep their version."""
    if not html.strip():
        raise TemplateRejected(_("The template's HTML is empty."), field="html")
    if len(html) > MAX_TEMPLATE_CHARS or len(css) > MAX_TEMPLATE_CHARS:
        raise TemplateRejected(_("The template is too long."), field="html")
    preview_pdf(html, css, "en", False)  # raises TemplateRejected if it does not render
    scope = track_scope(track_id)
    advisory_lock("lms.certificates.templates")
    latest = latest_template(scope)
    template = CertificateTemplate(
        scope=scope,
        version=(latest.version + 1) if latest else 1,
        html=html,
        css=css,
        note=(note or "").strip()[:300] or None,
        created_by_id=actor_id,
    )
    db.session.add(template)
    db.session.flush()
    return template


# --- the values a template sees -----------------------------------------------------------------


def _data_uri(data: bytes, media_type: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def _stored_image(key: str | None) -> str:
    if not key:
        return ""
    try:
        data = get_storage().load(key)
    except (OSError, ValueError):
        return ""
    media_type = mimetypes.guess_type(key)[0] or "image/png"
    if media_type == "image/svg+xml":
        return _data_uri(data, media_type)
    return _flattened_png(hashlib.sha256(data).hexdigest(), data)


@lru_cache(maxsize=64)
def _flattened_png(digest: str, data: bytes) -> str:
    """An image as an opaque PNG on white, once per content (by hash): the PDF writer splits
    transparency into a second image and re-encodes both on every page otherwise."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if image.mode in ("RGBA", "LA", "P", "PA"):
                rgba = image.convert("RGBA")
                flat = Image.new("RGB", rgba.size, "white")
                flat.paste(rgba, mask=rgba.getchannel("A"))
                image = flat
            elif image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            buffer = io.BytesIO()
            image.save(buffer, "PNG")
    except (OSError, ValueError):
        return ""
    return _data_uri(buffer.getvalue(), "image/png")


def qr_data_uri(url: str) -> str:
    """The QR code as a PNG with one pixel per module (a few hundred bytes); the template scales it
    up with ``image-rendering: pixelated`` so it stays sharp. A fixed mask skips segno's evaluation
    of all eight masks (a third of its time); every mask scans."""
    from PIL import Image

    qr = segno.make(url, error="m", mask=4)
    rows = [bytes(0 if dark else 255 for dark in row) for row in qr.matrix_iter(scale=1, border=0)]
    image = Image.frombytes("L", (len(rows[0]), len(rows)), b"".join(rows))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return _data_uri(buffer.getvalue(), "image/png")


def _colour(value: str | None, default: str) -> str:
    return value if value and HEX_COLOUR.match(value) else default


def text_direction_of(text: str) -> str:
    """ "rtl" when the text's first strong character is right-to-left (Arabic, Hebrew…)."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def name_fit(name: str) -> str:
    """ "" for a name that fits the line at full size, else "long" or "longer" (the design prints it
    smaller); counted in half-width units, as a CJK character is about twice a Latin one."""
    units = sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in name)
    if units > 48:
        return "longer"
    if units > 34:
        return "long"
    return ""


def _date(moment: datetime, language: str) -> str:
    return format_date(moment.date(), format="long", locale=language)


def _block(certificate: Certificate, language: str, partner_name: str | None) -> dict[str, Any]:
    with force_locale(language):
        return {
            "lang": language,
            "dir": LANGUAGES[language].direction,
            "title": _("Certificate"),
            "certifies": _("This is to certify that"),
            "requirement": _("has met all requirements of the certification"),
            "certification": certificate.certification_name(language),
            "scheme": _("Certification scheme %(version)s", version=certificate.scheme_version),
            "delivered_by": _("Training delivered by %(partner)s", partner=partner_name) if partner_name else "",
            "awarded_label": _("First awarded"),
            "awarded": _date(certificate.awarded_at, language),
            "issued_label": _("Issued"),
            "issued": _date(certificate.issued_at, language),
            "expires_label": _("Valid until"),
            "expires": _date(certificate.expires_at, language),
        }


@dataclass(frozen=True)
class Parties:
    """Who the certificate names besides the holder: the body (its branding row holds its mark and
    signatory) and the delivering partner's branding."""

    body_name: str
    body_branding: Branding | None
    partner_branding: Branding | None


def parties_for(partner_id: int | None) -> Parties:
    body = certification_body()
    return Parties(
        body_name=body.name if body else "",
        body_branding=branding_for(body.id) if body is not None else None,
        partner_branding=branding_for(partner_id) if partner_id else None,
    )


def document_context(
    certificate: Certificate, language: str, bilingual: bool, parties: Parties | None = None
) -> dict[str, Any]:
    """Everything a template may print, as plain values (no model objects reach the sandbox)."""
    parties = parties or parties_for(certificate.partner_id)
    body_branding = parties.body_branding
    partner_branding = parties.partner_branding
    partner_name = (partner_branding.display_name if partner_branding else None) or certificate.partner_name
    url = verification_url(certificate)
    primary = _colour(partner_branding.primary_colour if partner_branding else None, DEFAULT_PRIMARY)
    secondary = _colour(partner_branding.secondary_colour if partner_branding else None, DEFAULT_SECONDARY)
    languages = [language] + (["en"] if bilingual and language != "en" else [])
    with force_locale(language):
        labels = {
            "number": _("Certificate number"),
            "verify": _("Verify this certificate at"),
            "body_signatory": _("For the certification body"),
        }
    body_name = (body_branding.display_name if body_branding else None) or parties.body_name
    return {
        "lang": language,
        "dir": LANGUAGES[language].direction,
        "number": certificate.number or "",
        "verification_url": url,
        "qr": qr_data_uri(url),
        "holder": {
            "name": certificate.holder_name,
            "name_latin": certificate.holder_name_latin
            if certificate.holder_name_latin and certificate.holder_name_latin != certificate.holder_name
            else "",
            "dir": text_direction_of(certificate.holder_name),
            "fit": name_fit(certificate.holder_name),
        },
        "body": {
            "name": body_name,
            "mark": _stored_image(body_branding.logo_key if body_branding else None)
            or _data_uri(DEFAULT_MARK.read_bytes(), "image/svg+xml"),
            "signatory_name": (body_branding.signatory_name if body_branding else None) or body_name,
            "signatory_title": (body_branding.signatory_title if body_branding else None) or labels["body_signatory"],
            "signature": _stored_image(body_branding.signature_key if body_branding else None),
        },
        "partner": {
            "name": partner_name,
            "logo": _stored_image(partner_branding.logo_key),
            "signatory_name": partner_branding.signatory_name or "",
            "signatory_title": partner_branding.signatory_title or "",
            "signature": _stored_image(partner_branding.signature_key),
        }
        if partner_branding
        else (
            {"name": partner_name, "logo": "", "signatory_name": "", "signatory_title": "", "signature": ""}
            if partner_name
            else None
        ),
        "colours": {"primary": primary, "secondary": secondary, "ink": "#172033"},
        "labels": labels,
        "blocks": [_block(certificate, code, partner_name) for code in languages],
        "title": f"{_block_title(language)}: {certificate.certification_name(language)} — {certificate.holder_name}",
        "issued_iso": certificate.issued_at.replace(microsecond=0).isoformat(),
    }


def _block_title(language: str) -> str:
    with force_locale(language):
        return _("Certificate")


# --- rendering -------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _compiled(source: str, *, css: bool) -> Any:
    """Compiling a template costs more than rendering it; versions are immutable, so cache them."""
    return (_css_env if css else _html_env).from_string(source)


@dataclass(frozen=True)
class CertificateHtml:
    html: str
    #: Applied in order after the document: fonts, the template's CSS, the page size (which wins).
    stylesheets: tuple[str, ...]


#: The page size wins over the template's; images are never marked for interpolation, which
#: PDF/A forbids (WeasyPrint writes ``Interpolate true`` for ``image-rendering: auto``).
PAGE_CSS = "@page { size: A4 landscape; margin: 0; } html, html * { image-rendering: crisp-edges !important; }"


def render_html(html_template: str, css_template: str, context: dict[str, Any]) -> CertificateHtml:
    """The document: our head (metadata) around the sandboxed template, and its stylesheets (fonts,
    the template's CSS, the page size). Stylesheets travel apart so they are parsed once per thread."""
    try:
        body = _compiled(html_template, css=False).render(**context)
        # The stylesheet sees colours only: no user-provided text ever reaches unescaped CSS.
        css = _compiled(css_template, css=True).render(colours=context["colours"])
    except TemplateError as error:  # SecurityError and syntax errors included
        raise TemplateRejected(
            _("The certificate template could not be rendered: %(error)s", error=str(error)[:200]), field="html"
        ) from error
    fonts = certificate_fonts(current_app.instance_path)
    head = [
        '<meta charset="utf-8">',
        f"<title>{escape(context['title'])}</title>",
        f'<meta name="author" content="{escape(context["body"]["name"])}">',
        f'<meta name="description" content="{escape(context["number"])} · {escape(context["verification_url"])}">',
        f'<meta name="keywords" content="certificate, {escape(context["number"])}">',
        '<meta name="generator" content="lms">',
        f'<meta name="dcterms.created" content="{escape(context["issued_iso"])}">',
    ]
    html = (
        f'<!doctype html><html lang="{escape(context["lang"])}" dir="{escape(context["dir"])}"><head>'
        + "".join(head)
        + f"</head><body>{body}</body></html>"
    )
    return CertificateHtml(html, (f"{fonts.css}\nhtml {{ font-family: {fonts.families}; }}", css, PAGE_CSS))


def _attachments(credential_jwt: str | None, number: str, created: datetime) -> list[Any]:
    if not credential_jwt:
        return []
    naive = created.replace(tzinfo=None)
    return [
        attachment(
            credential_jwt,
            name=f"{number or 'certificate'}.vc.jwt",
            media_type="application/vc+jwt",
            description="Signed Open Badges 3.0 credential (VC-JWT)",
            relationship="Alternative",
            created=naive,
            modified=naive,
        )
    ]


def _pdf(document: CertificateHtml, credential_jwt: str | None, number: str, created: datetime) -> RenderedCertificate:
    fonts = certificate_fonts(current_app.instance_path)
    with render_report() as report:
        pdf = render_pdf(
            document.html,
            fonts_dir=fonts.folder,
            stylesheets=document.stylesheets,
            pdf_variant="pdf/a-3b",
            attachments=_attachments(credential_jwt, number, created),
        )
    return RenderedCertificate(pdf, report.missing_glyphs)


# --- two layers: the page once per design, the holder's elements per certificate -----------------
#
# A design may mark elements with ``data-layer="holder"``: top-level, absolutely positioned boxes
# holding everything that differs between two holders of the same certificate (name, number, QR
# code, URL). The rest of the page then does not depend on the holder, so it is laid out and drawn
# once (per design, language, partner, dates…; ``render_layered_pdf`` replays its drawing) and only
# the marked elements are laid out and drawn per certificate, over it, on one page. The page
# without the marked elements is rendered from placeholder values: if a placeholder shows up
# outside them (the template prints the holder elsewhere), or the marked elements cannot be cut out
# cleanly, the certificate is rendered whole, as before.

HOLDER_LAYER = 'data-layer="holder"'
_PLACEHOLDER = "\ue000lms-holder\ue000"
_LAYER_START = re.compile(r'<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\sdata-layer="holder"[^>]*>')
_VOID_TAGS = frozenset({"img", "br", "hr", "input", "wbr"})


def split_layer(body: str) -> tuple[str, str] | None:
    """(the body without the holder's elements, those elements), or None if they cannot be cut."""
    kept, layer, position = [], [], 0
    for match in _LAYER_START.finditer(body):
        if match.start() < position:
            return None  # a marked element inside another
        tag = match.group(1).lower()
        end = match.end() if tag in _VOID_TAGS or match.group(0).endswith("/>") else _closing(body, tag, match.end())
        if end is None:
            return None
        kept.append(body[position : match.start()])
        layer.append(body[match.start() : end])
        position = end
    kept.append(body[position:])
    return "".join(kept), "".join(layer)


def _closing(html: str, tag: str, start: int) -> int | None:
    depth = 1
    for match in re.finditer(rf"<(/?){tag}\b[^>]*>", html[start:], flags=re.IGNORECASE):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return start + match.end()
    return None


def _placeholder_context(context: dict[str, Any]) -> dict[str, Any]:
    holder = context["holder"]
    return {
        **context,
        "number": _PLACEHOLDER,
        "verification_url": _PLACEHOLDER,
        "qr": _PLACEHOLDER,
        "holder": {**holder, "name": _PLACEHOLDER, "name_latin": _PLACEHOLDER if holder["name_latin"] else ""},
        "title": _PLACEHOLDER,
    }


def _layered_pdf(
    template: CertificateTemplate, context: dict[str, Any], credential_jwt: str | None, number: str, created: datetime
) -> RenderedCertificate | None:
    if HOLDER_LAYER not in template.html:
        return None
    whole = render_html(template.html, template.css, context)
    generic = render_html(template.html, template.css, _placeholder_context(context))
    head, _, rest = whole.html.partition("<body>")
    body = rest.rpartition("</body>")[0]
    generic_body = generic.html.partition("<body>")[2].rpartition("</body>")[0]
    own, generic_split = split_layer(body), split_layer(generic_body)
    if own is None or generic_split is None or _PLACEHOLDER in generic_split[0]:
        return None
    fonts = certificate_fonts(current_app.instance_path)
    page_html = (
        f'<!doctype html><html lang="{escape(context["lang"])}" dir="{escape(context["dir"])}">'
        f'<head><meta charset="utf-8"></head><body>{generic_split[0]}</body></html>'
    )
    layer_html = f"{head}<body>{own[1]}</body></html>"
    with render_report() as report:
        pdf = render_layered_pdf(
            page_html,
            layer_html,
            fonts_dir=fonts.folder,
            stylesheets=whole.stylesheets,
            pdf_variant="pdf/a-3b",
            attachments=_attachments(credential_jwt, number, created),
        )
    if pdf is None:
        return None
    return RenderedCertificate(pdf, report.missing_glyphs)


def render_certificate(
    certificate: Certificate,
    language: str,
    bilingual: bool,
    template: CertificateTemplate,
    parties: Parties | None = None,
) -> RenderedCertificate:
    context = document_context(certificate, language, bilingual, parties)
    number, created = certificate.number or "", certificate.issued_at
    layered = _layered_pdf(template, context, certificate.credential_jwt, number, created)
    if layered is not None:
        return layered
    html = render_html(template.html, template.css, context)
    return _pdf(html, certificate.credential_jwt, number, created)


def preview_pdf(html_template: str, css_template: str, language: str, bilingual: bool) -> bytes:
    """Render a template with a sample certificate (nothing is stored)."""
    from lms.core.time import utcnow

    now = utcnow()
    sample = Certificate(
        number="AIC-DEV-2026-0000001",
        token="preview",  # noqa: S106 (a placeholder, not a secret)
        credential_id="urn:uuid:00000000-0000-0000-0000-000000000000",
        source_ref="preview",
        user_id=0,
        track_id=0,
        holder_name="ليلى حسن",
        holder_name_latin="Layla Hassan",
        certification_code="DEV",
        certification_names={"en": "AI+ Developer", "ar": "الذكاء الاصطناعي+ للمطورين", "ja": "AI+ デベロッパー"},
        scheme_version="2026.1",
        partner_name="Partner",
        issued_at=now,
        awarded_at=now,
        expires_at=now + timedelta(days=730),
        language=language,
    )
    context = document_context(sample, language, bilingual)
    html = render_html(html_template, css_template, context)
    return _pdf(html, None, sample.number or "", now).pdf
