"""The certificate PDF: scripts, fonts, page, attachment, metadata, hash; templates as hostile input."""

from __future__ import annotations

import hashlib
import http.server
import io
import threading

import pytest
from pypdf import PdfReader

from lms.certificates import credentials
from lms.certificates.rendering import (
    TemplateRejected,
    design_files,
    preview_pdf,
    render_certificate,
    save_template,
)
from lms.certificates.services import issuing
from lms.extensions import db

NAMES = [
    ("ليلى حسن", "Layla Hassan", "ar"),
    ("王小明", "Wang Xiaoming", "en"),
    ("佐藤 健二", "Kenji Sato", "ja"),
    ("髙橋 𠮷男", "Takahashi Yoshio", "ja"),  # rarer kanji, one outside the Basic Multilingual Plane
    ("प्रिया रमन", "Priya Raman", "en"),
    ("Zoë Łukasiewicz-Müller", None, "de"),
    ("Nguyễn Thị Ánh", None, "fr"),
]


def _reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def _fonts(reader: PdfReader) -> list[dict]:
    found = []
    resources = reader.pages[0]["/Resources"]["/Font"]
    for ref in resources.values():
        font = ref.get_object()
        for descendant in font.get("/DescendantFonts", [font]):
            found.append(descendant.get_object())
    return found


@pytest.mark.parametrize(("name", "latin", "language"), NAMES)
def test_every_script_prints_with_embedded_subset_fonts_and_no_missing_glyph(
    create_user, pass_exam, track, partner, name, latin, language
):
    user = create_user(legal_name=name, legal_name_latin=latin, locale=language)
    certificate = pass_exam(user, track, partner)
    rendered = render_certificate(
        certificate, language, False, db.session.get(issuing.CertificateTemplate, certificate.template_id)
    )

    assert rendered.missing_glyphs == []
    reader = _reader(rendered.pdf)
    text = reader.pages[0].extract_text()
    assert name in text
    if latin:
        assert latin in text
    fonts = _fonts(reader)
    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
        # Subset fonts carry a six-letter tag: ABCDEF+Name.
        assert font["/BaseFont"][7] == "+", font["/BaseFont"]


def test_the_stored_pdf_is_a4_landscape_pdfa3b_with_the_credential_attached(certificate):
    document = certificate.primary_document
    data = issuing.document_bytes(document)
    assert hashlib.sha256(data).hexdigest() == document.sha256
    reader = _reader(data)

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    attachments = dict(reader.attachments)
    assert list(attachments) == [f"{certificate.number}.vc.jwt"]
    attached = attachments[f"{certificate.number}.vc.jwt"][0].decode()
    assert attached == certificate.credential_jwt
    assert credentials.verify(attached)["credentialSubject"]["licenseNumber"] == certificate.number
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/AF"]  # the associated file of PDF/A-3
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.metadata.title == "Certificate: AI+ Developer — ليلى حسن"
    images = [x.get_object() for x in reader.pages[0]["/Resources"]["/XObject"].values()]
    images = [x for x in images if x.get("/Subtype") == "/Image"]
    assert images  # the marks and logos are on the page, none with Interpolate true (PDF/A forbids it)
    assert not [x for x in images if x.get("/Interpolate") == True]  # noqa: E712 (a pypdf BooleanObject)
    text = reader.pages[0].extract_text()
    for expected in (
        "Gulf AI Academy",
        "Omar Al-Farsi",
        "AI Certification Council",
        certificate.number,
        credentials.verification_url(certificate),
        "Certification scheme 2026.1",
    ):
        assert expected in text.replace("\n", "") or expected in text


def test_arabic_is_right_to_left_with_arabic_dates_and_labels(certificate):
    document = issuing.document_for(certificate, "ar")
    reader = _reader(issuing.document_bytes(document))
    text = reader.pages[0].extract_text()
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    assert "شهادة" in text and "نشهد بأن" in text
    assert "الذكاء الاصطناعي+ للمطورين" in text or "للمطورين" in text
    assert "صالحة حتى" in text
    months = [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ]
    assert months[certificate.expires_at.month - 1] in text


def test_bilingual_pages_carry_both_languages(certificate):
    document = issuing.document_for(certificate, "ja", bilingual=True)
    reader = _reader(issuing.document_bytes(document))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    assert "認定証" in text and "Certificate" in text
    assert f"{certificate.expires_at.year}年" in text and "Valid until" in text


def test_a_template_change_never_changes_an_issued_certificate(certificate, pass_exam, create_user, track, partner):
    original = certificate.primary_document
    original_bytes = issuing.document_bytes(original)
    html, css = design_files(None)
    save_template(
        track_id=track.id,
        html=html.replace("</h1>", "</h1><p>REDESIGNED 2027</p>"),
        css=css,
        note="new look",
        actor_id=None,
    )
    db.session.flush()

    assert issuing.document_bytes(certificate.primary_document) == original_bytes
    # Another language of the old certificate still uses the design it was issued with.
    german = issuing.document_for(certificate, "de")
    assert "REDESIGNED" not in _reader(issuing.document_bytes(german)).pages[0].extract_text()
    # A new certificate gets the new design.
    newcomer = pass_exam(create_user(), track, partner)
    assert "REDESIGNED 2027" in _reader(issuing.document_bytes(newcomer.primary_document)).pages[0].extract_text()


@pytest.fixture
def local_web_server():
    """A web server on this machine that counts requests: a hostile template must not reach it."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def test_hostile_template_urls_are_refused(body, local_web_server, tmp_path):
    base, hits = local_web_server
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    html = f"""
      <p>{{{{ holder.name }}}}</p>
      <img src="file://{secret}">
      <img src="{base}/pixel.png">
      <object data="file://{secret}"></object>
      <iframe src="file://{secret}"></iframe>
      <link rel="attachment" href="file://{secret}">
      <link rel="attachment" href="{base}/leak">
      <link rel="stylesheet" href="{base}/style.css">
      <a rel="attachment" href="file://{secret}">x</a>
    """
    css = f"""
      @import url("file://{secret}");
      @import url("{base}/import.css");
      @font-face {{ font-family: X; src: url("{base}/font.otf"); }}
      body {{ background: url("{base}/bg.png"); }}
      p {{ font-family: X; }}
    """
    pdf = preview_pdf(html, css, "en", False)
    reader = _reader(pdf)
    assert hits == []
    assert dict(reader.attachments) == {}
    assert b"TOP-SECRET-CONTENT" not in pdf
    assert "TOP-SECRET" not in reader.pages[0].extract_text()


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{% include '/etc/passwd' %}",
        "{% import 'os' as os %}",
        "{{ lipsum.__globals__['os'] }}",
        "{% for x in %}",
    ],
)
def test_jinja_escapes_are_refused(body, template):
    with pytest.raises(TemplateRejected):
        preview_pdf(template, "", "en", False)
    with pytest.raises(TemplateRejected):
        save_template(track_id=None, html=template, css="", note=None, actor_id=None)


@pytest.mark.parametrize("template", ["X{{ holder.__class__ }}Y", "X{{ body.items.__self__ }}Y", "X{{ config }}Y"])
def test_unsafe_attributes_render_as_nothing(body, template):
    text = _reader(preview_pdf(template, "", "en", False)).pages[0].extract_text()
    assert text.strip() == "XY"


def test_a_name_cannot_inject_markup(body, create_user, pass_exam, track, partner):
    user = create_user(legal_name='<img src="file:///etc/passwd">Eve</b>', legal_name_latin=None)
    certificate = pass_exam(user, track, partner)
    text = _reader(issuing.document_bytes(certificate.primary_document)).pages[0].extract_text()
    assert '<img src="file:///etc/passwd">Eve</b>' in text


def test_css_cannot_close_its_style_element(body):
    pdf = preview_pdf("<p>Body</p>", "p { color: red } </style><p>INJECTED</p><style>", "en", False)
    assert "INJECTED" not in _reader(pdf).pages[0].extract_text()


def test_holders_of_one_design_each_get_their_own_name_number_and_qr_code(create_user, pass_exam, track, partner):
    # The page around the holder is laid out once per design and reused: nothing of one holder may
    # show on the next one's certificate.
    first = pass_exam(create_user(legal_name="Ada Lovelace", legal_name_latin=None), track, partner)
    second = pass_exam(create_user(legal_name="Grace Hopper", legal_name_latin=None), track, partner)
    texts = {}
    for certificate in (first, second):
        reader = _reader(issuing.document_bytes(certificate.primary_document))
        texts[certificate.id] = reader.pages[0].extract_text().replace("\n", "")
        assert reader.metadata.title.endswith(certificate.holder_name)
        assert "Certification scheme 2026.1" in texts[certificate.id]
    assert "Ada Lovelace" in texts[first.id] and first.number in texts[first.id]
    assert "Grace Hopper" not in texts[first.id] and second.number not in texts[first.id]
    assert "Grace Hopper" in texts[second.id] and second.number in texts[second.id]
    assert credentials.verification_url(second) in texts[second.id]
    assert credentials.verification_url(first) not in texts[second.id]


def test_a_very_long_name_prints_whole_on_one_page(create_user, pass_exam, track, partner):
    name = "Maximiliana Alexandra Konstantinopoulou-Wittelsbacher y Hohenzollern"
    certificate = pass_exam(create_user(legal_name=name, legal_name_latin=None), track, partner)
    reader = _reader(issuing.document_bytes(certificate.primary_document))
    assert len(reader.pages) == 1
    assert name in reader.pages[0].extract_text().replace("\n", " ")


def test_a_design_printing_the_holder_outside_the_holder_elements_still_prints_it(
    certificate, pass_exam, create_user, track, partner
):
    html, css = design_files(None)
    save_template(
        track_id=track.id,
        html=html.replace("</h1>", "</h1><p>Awarded to {{ holder.name }} ({{ number }})</p>"),
        css=css,
        note="name twice",
        actor_id=None,
    )
    newcomer = pass_exam(create_user(legal_name="Katherine Johnson", legal_name_latin=None), track, partner)
    text = _reader(issuing.document_bytes(newcomer.primary_document)).pages[0].extract_text()
    assert f"Awarded to Katherine Johnson ({newcomer.number})" in text.replace("\n", " ")


@pytest.mark.parametrize("faded", ["opacity: 0.6", "color: #555"])
def test_a_link_on_the_page_of_a_design_stays_for_every_holder(
    certificate, pass_exam, create_user, track, partner, faded
):
    # The page around the holder is drawn once and replayed; a page it cannot replay (transparency)
    # is drawn each time, and links on it stay clickable either way.
    html, css = design_files(None)
    save_template(
        track_id=track.id,
        html=html.replace("</h1>", '</h1><p class="faded"><a href="https://example.org/scheme">Scheme rules</a></p>'),
        css=css + f"\n.faded {{ {faded}; }}",
        note="faded link",
        actor_id=None,
    )
    for name in ("Katherine Johnson", "ليلى حسن"):
        holder = pass_exam(create_user(legal_name=name, legal_name_latin=None), track, partner)
        page = _reader(issuing.document_bytes(holder.primary_document)).pages[0]
        text = page.extract_text()
        assert name in text and "Scheme rules" in text and holder.number in text
        uris = [annotation.get_object()["/A"]["/URI"] for annotation in page.get("/Annots", [])]
        assert "https://example.org/scheme" in uris


def test_certificates_of_one_design_in_different_scripts_each_embed_the_glyphs_of_their_holder(
    create_user, pass_exam, track, partner
):
    names = ("Zoë Łukasiewicz-Müller", "ليلى حسن", "佐藤 健二", "Grace Hopper")
    for name in names:
        holder = pass_exam(create_user(legal_name=name, legal_name_latin=None), track, partner)
        reader = _reader(issuing.document_bytes(holder.primary_document))
        assert name in reader.pages[0].extract_text()
        assert all(
            "/FontFile2" in font["/FontDescriptor"] or "/FontFile3" in font["/FontDescriptor"]
            for font in _fonts(reader)
        )
