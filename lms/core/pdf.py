"""PDF rendering with WeasyPrint behind a URL fetcher that only serves our own bundled assets.

Documents (certificates, statements, flyers) may come from templates staff can edit; the fetcher
therefore refuses ``file://``, ``http(s)://`` and every other scheme except ``data:``, ``asset:``
(files under ``lms/static/``, resolved without leaving that folder) and, when the caller names a
fonts folder, ``font:`` (font files in that one folder, e.g. pre-subset CJK fonts).

Speed: most of a small document's cost is font loading. Each thread keeps one WeasyPrint
``FontConfiguration`` and reuses it for every document it renders (fontconfig's font set and the
``@font-face`` files are loaded once), which roughly halves the time of a one-page certificate.
Documents drawn in two layers (``render_layered_pdf``) lay out and draw their static part once; the
font subsets and stream compressions that come back identical from one PDF to the next are
remembered per thread.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import mimetypes
import re
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# WeasyPrint logs its progress at INFO, starting with stylesheets it parses on import; keep that
# out of every command's output.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

import pydyf  # noqa: E402
from pydyf import _to_bytes  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

STATIC_ROOT = Path(__file__).resolve().parent.parent / "static"
FONT_SUFFIXES = frozenset({".otf", ".ttf", ".woff", ".woff2"})
_FONT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
_local = threading.local()


class ForbiddenResource(ValueError):
    """A document asked for a resource outside what the renderer may read."""


class SafeURLFetcher(URLFetcher):
    """Serves ``data:``, ``asset:`` (and ``font:`` when given a fonts folder); refuses every other URL."""

    def __init__(self, fonts_dir: Path | None = None) -> None:
        super().__init__(allowed_protocols=("data", "asset", "font"), allow_redirects=False)
        self.fonts_dir = fonts_dir.resolve() if fonts_dir else None

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("asset:"):
            relative = url.removeprefix("asset:").lstrip("/")
            path = (STATIC_ROOT / relative).resolve()
            if not path.is_relative_to(STATIC_ROOT) or not path.is_file():
                raise ForbiddenResource(f"no such asset: {relative}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        if url.startswith("font:") and self.fonts_dir is not None:
            name = url.removeprefix("font:")
            path = self.fonts_dir / name
            if not _FONT_NAME.match(name) or path.suffix not in FONT_SUFFIXES or not path.is_file():
                raise ForbiddenResource(f"no such font: {name[:80]!r}")
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "font/otf"})
        raise ForbiddenResource(f"refused to fetch {url[:80]!r} while rendering a PDF")


def url_fetcher(fonts_dir: Path | None = None) -> SafeURLFetcher:
    """This thread's fetcher for ``fonts_dir`` (building one sets up a urllib opener: not free)."""
    fetchers: dict[str, SafeURLFetcher] = getattr(_local, "fetchers", None) or {}
    _local.fetchers = fetchers
    key = str(fonts_dir)
    fetcher = fetchers.get(key)
    if fetcher is None:
        fetcher = fetchers[key] = SafeURLFetcher(fonts_dir)
    return fetcher


class _Compressor:
    """One stream's compression at zlib's default level, remembered (per thread, by content) for
    streams of a few kilobytes or more: the colour profile, the fonts and images of a design's
    static page come back identical in every PDF of a batch."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def compress(self, data: bytes) -> bytes:
        self._chunks.append(data)
        return b""

    def flush(self, *args: Any) -> bytes:
        data = b"".join(self._chunks)
        if len(data) < _COMPRESSION_CACHE_MIN:
            return zlib.compress(data)
        cache: dict[bytes, bytes] = getattr(_local, "compressed", None) or {}
        if len(cache) > 64:
            cache = {}
        _local.compressed = cache
        key = hashlib.blake2b(data, digest_size=20).digest()
        compressed = cache.get(key)
        if compressed is None:
            compressed = cache[key] = zlib.compress(data)
        return compressed


_COMPRESSION_CACHE_MIN = 2048


class _DefaultLevelZlib:
    """zlib for pydyf, which compresses every PDF stream (fonts, pages, metadata) at level 9: three
    times the CPU of zlib's default level for about 1 % smaller files, a tenth of a page's time."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = -1, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs)
        return _Compressor()


pydyf.zlib = _DefaultLevelZlib()  # type: ignore[attr-defined]


def font_configuration() -> Any:
    """This thread's WeasyPrint font configuration, created once and reused for every document."""
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


@dataclass
class RenderReport:
    """What WeasyPrint complained about while rendering one document in this thread."""

    missing_glyphs: list[str] = field(default_factory=list)
    refused_urls: list[str] = field(default_factory=list)


class _ThreadFilter(logging.Filter):
    """Collects WeasyPrint's warnings raised by one thread (other threads may render meanwhile)."""

    def __init__(self, report: RenderReport) -> None:
        super().__init__()
        self.report = report
        self.thread = threading.get_ident()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.thread == self.thread:
            message = record.getMessage()
            if ".notdef glyph" in message:
                self.report.missing_glyphs.append(message)
            elif "refused to fetch" in message or "no such" in message:
                self.report.refused_urls.append(message)
        return True


@contextmanager
def render_report() -> Iterator[RenderReport]:
    report = RenderReport()
    logger = logging.getLogger("weasyprint")
    handler = logging.NullHandler()
    handler.addFilter(_ThreadFilter(report))
    logger.addHandler(handler)
    previous_level = logger.level
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield report
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


def image_cache() -> dict[str, Any]:
    """This thread's cache of decoded images, shared by the documents it renders (logos and marks
    repeat on every certificate). Bounded: cleared when it grows past a few dozen entries."""
    cache = getattr(_local, "image_cache", None)
    if cache is None or len(cache) > 64:
        cache = _local.image_cache = {}
    return cache


def stylesheet(css: str, fonts_dir: Path | None = None) -> Any:
    """A parsed stylesheet, cached per thread by its text: parsing CSS and compiling its selectors is
    a third of a small document's time, and a batch of certificates shares the same few sheets."""
    from weasyprint import CSS

    cache: dict[tuple[str, str], Any] = getattr(_local, "stylesheets", None) or {}
    if len(cache) > 32:
        cache = {}
    _local.stylesheets = cache
    key = (hashlib.sha256(css.encode()).hexdigest(), str(fonts_dir))
    sheet = cache.get(key)
    if sheet is None:
        sheet = cache[key] = CSS(
            string=css, base_url="asset:/", url_fetcher=url_fetcher(fonts_dir), font_config=font_configuration()
        )
    return sheet


def render_pdf(
    html: str, *, fonts_dir: Path | None = None, stylesheets: list[str] | tuple[str, ...] = (), **write_options: Any
) -> bytes:
    """Render trusted-structure HTML to PDF bytes; extra options go to ``write_pdf``.

    ``fonts_dir`` lets the document load font files from that folder with ``url(font:NAME)``;
    ``stylesheets`` are CSS texts applied after the document's own (parsed once per thread).
    """
    from weasyprint import HTML

    document = HTML(string=html, base_url="asset:/", url_fetcher=url_fetcher(fonts_dir))
    write_options.setdefault("cache", image_cache())
    sheets = [stylesheet(css, fonts_dir) for css in stylesheets]
    return document.write_pdf(font_config=font_configuration(), stylesheets=sheets or None, **write_options)


def _layer_cache() -> dict[str, Any]:
    cache: dict[str, Any] = getattr(_local, "layers", None) or {}
    if len(cache) > 32:
        cache = {}
    _local.layers = cache
    return cache


class _StaticDrawing:
    """A page drawn once into a scratch stream, replayed into every PDF that shows it.

    What drawing leaves behind is kept: the content-stream operators (serialized once), the fonts
    with the glyphs they used (copied per PDF: subsetting rewrites a font and the holder's layer adds
    glyphs), the opacity states and the images, each image encoded once as a PDF image object
    (re-encoding logos and marks was a millisecond per image per PDF). Drawings that need more
    (transparency groups, patterns, gradients, tagged PDF, form fields) are not recorded: ``record``
    returns None and the page is drawn every time.
    """

    def __init__(self, operators: bytes, fonts: dict[str, Any], states: dict[str, Any], images: dict[str, Any]):
        self.operators = operators
        self.fonts = fonts
        self.states = states
        #: name → (the image's entry as WeasyPrint's writer keeps it, its encoded PDF object)
        self.images = images

    @classmethod
    def record(cls, page: Any, stream: Any, scale: float) -> _StaticDrawing | None:
        from weasyprint.pdf.stream import Stream

        if stream._tags is not None or page.forms.get(None) or len(page.forms) > 1:
            return None
        resources = pydyf.Dictionary(
            {
                "ExtGState": pydyf.Dictionary(),
                "XObject": pydyf.Dictionary(),
                "Pattern": pydyf.Dictionary(),
                "Shading": pydyf.Dictionary(),
                "ColorSpace": stream._resources["ColorSpace"],
            }
        )
        fonts: dict[str, Any] = {}
        images: dict[str, Any] = {}
        scratch = Stream(
            fonts, stream.page_rectangle, resources, images, None, stream._color_profiles, stream._output_intent
        )
        page.paint(scratch, scale)
        if (
            resources["Pattern"]
            or resources["Shading"]
            or any(value is not None for value in resources["XObject"].values())
        ):
            return None
        if any(not isinstance(state, dict) or "SMask" in state for state in resources["ExtGState"].values()):
            return None
        encoded = {}
        for name, entry in images.items():
            x_object = entry["image"].get_x_object(entry["interpolate"], max(entry["dpi_ratios"]))
            if "SMask" in x_object.extra or "Resources" in x_object.extra:
                return None
            data = b"".join(_to_bytes(item) for item in x_object.stream)
            encoded[name] = (entry, data, dict(x_object.extra), x_object.compress)
        operators = b"\n".join(_to_bytes(item) for item in scratch.stream)
        return cls(operators, fonts, dict(resources["ExtGState"]), encoded)

    def replay(self, stream: Any) -> None:
        """Draw the recorded page into ``stream`` (a page of the PDF being written)."""
        for key, font in self.fonts.items():
            if key not in stream._fonts:
                stream._fonts[key] = _font_copy(font)
        stream._resources["ExtGState"].update(self.states)
        for name, (entry, data, extra, compress) in self.images.items():
            # An object of its own in each PDF; the writer then skips encoding it. Should the
            # holder's layer show the same image, it resets the name and the writer encodes it.
            stream._images[name] = {**entry, "dpi_ratios": set(entry["dpi_ratios"]), "x_object": None}
            stream._resources["XObject"][name] = pydyf.Stream([data], pydyf.Dictionary(extra), compress=compress)
        stream.stream.append(self.operators)


def _font_copy(font: Any) -> Any:
    """A font as drawing left it, for one PDF: what writing or more drawing changes is copied."""
    import copy

    clone = copy.copy(font)
    clone.__class__ = _subset_remembering(type(font))
    clone.widths = dict(font.widths)
    clone.to_unicode = dict(font.to_unicode)
    clone.missing = dict(font.missing)
    clone.variations = dict(font.variations)
    return clone


@functools.cache
def _subset_remembering(font_class: type) -> type:
    """``font_class`` whose subsetting is remembered per thread by font and glyphs: a font the
    holder's layer does not use (or uses with the same glyphs) subsets to the same bytes in every PDF
    of a batch, and HarfBuzz's subsetter is a millisecond per font."""

    class SubsetRemembered(font_class):  # type: ignore[valid-type,misc]
        def subset(self, to_unicode: dict[int, Any], hinting: bool) -> None:
            key = (
                self.hash,
                len(self.file_content),
                hashlib.blake2b(self.file_content[:4096], digest_size=16).digest(),
                bool(hinting),
                tuple(sorted(self.missing.items())),
                tuple(sorted(to_unicode)),
            )
            cache: dict[Any, bytes] = getattr(_local, "subsets", None) or {}
            if len(cache) > 128:
                cache = {}
            _local.subsets = cache
            content = cache.get(key)
            if content is None:
                super().subset(to_unicode, hinting)
                cache[key] = self.file_content
            else:
                self.file_content = content

    return SubsetRemembered


def _layered_page(static_page: Any, layer_page: Any, drawings: dict[Any, Any]) -> Any:
    """A page showing the static page (drawn once per scale and kind of PDF, then replayed) under
    the layer. Its box holds both layouts' boxes, so links, anchors, forms and tags of both count."""
    from weasyprint.document import Page
    from weasyprint.draw import draw_stacking_context
    from weasyprint.stacking import StackingContext

    static_box, layer_box = static_page._page_box, layer_page._page_box

    class LayeredPage(Page):
        def paint(self, stream: Any, scale: float = 1) -> None:
            # A tagged PDF (PDF/UA, PDF/A-…a) marks each drawn box: its drawing is not replayed.
            key = (scale, stream._tags is None)
            if key not in drawings:
                drawings[key] = _StaticDrawing.record(static_page, stream, scale)
            drawing = drawings[key]
            if drawing is None:  # not recordable: draw both layouts as one page
                super().paint(stream, scale)
                return
            drawing.replay(stream)
            with stream.stacked():
                stream.transform(a=scale, d=scale)
                # Only the layer's boxes: its page background would cover the static page.
                draw_stacking_context(stream, StackingContext.from_page(layer_box))

    # Both layouts were laid out on the same page size; a copy leaves the cached layout untouched.
    return LayeredPage(static_box.copy_with_children([*static_box.children, *layer_box.children]))


def render_layered_pdf(
    static_html: str,
    layer_html: str,
    *,
    fonts_dir: Path | None = None,
    stylesheets: list[str] | tuple[str, ...] = (),
    **write_options: Any,
) -> bytes | None:
    """A one-page document drawn from two layouts: ``static_html``, laid out once and kept (per
    thread, by its text and stylesheets), under ``layer_html``, laid out every time. Metadata (title,
    language…) come from ``layer_html``. For documents that differ only in a few absolutely
    positioned elements — certificates of one design — most of the work is done once: the static
    page is laid out once and drawn once (its drawing is replayed into each PDF); the layer is
    painted over it.

    Returns None when either part does not lay out as exactly one page (the caller renders whole).
    """
    from weasyprint import HTML
    from weasyprint.document import Document

    sheets = [stylesheet(css, fonts_dir) for css in stylesheets]
    options: dict[str, Any] = {
        "font_config": font_configuration(),
        "stylesheets": sheets or None,
        "cache": image_cache(),
        "pdf_variant": write_options.get("pdf_variant"),
    }
    cache = _layer_cache()
    key = hashlib.sha256("\0".join((str(fonts_dir), static_html, *stylesheets)).encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        static = HTML(string=static_html, base_url="asset:/", url_fetcher=url_fetcher(fonts_dir)).render(**options)
        cached = cache[key] = (static, {})
    static, drawings = cached
    layer = HTML(string=layer_html, base_url="asset:/", url_fetcher=url_fetcher(fonts_dir)).render(**options)
    if len(static.pages) != 1 or len(layer.pages) != 1:
        return None
    page = _layered_page(static.pages[0], layer.pages[0], drawings)
    document = Document(
        [page], layer.metadata, layer.url_fetcher, layer.font_config, layer.color_profiles, layer.output_intent
    )
    return document.write_pdf(**write_options)


def attachment(data: bytes | str, *, name: str, media_type: str, description: str = "", **options: Any) -> Any:
    """A file to embed in the PDF (``render_pdf(..., attachments=[…])``), from bytes, not a URL."""
    import base64

    from weasyprint import Attachment

    raw = data.encode() if isinstance(data, str) else data
    url = f"data:{media_type};base64,{base64.b64encode(raw).decode()}"
    return Attachment(url=url, url_fetcher=url_fetcher(), name=name, description=description, **options)
