"""Uploaded files: checked by what they contain (not their name) and by size, then stored.

Each role accepts a few formats, recognised by their signatures (``filetype``), images are opened
with Pillow, PDFs parsed with pypdf, captions parsed as WebVTT. Files are stored under a key made
of their hash, never a name the user chose, and served only by a view that checks access.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from flask_babel import gettext as _

from lms.core.errors import DomainError
from lms.core.storage import get_storage
from lms.courses.content import InvalidCaptions, parse_webvtt

MB = 1024 * 1024

#: role → (accepted content types, size limit in bytes)
LIMITS: dict[str, tuple[frozenset[str], int]] = {
    "video": (frozenset({"video/mp4", "video/webm"}), 60 * MB),
    "audio": (frozenset({"audio/mpeg", "audio/ogg", "audio/x-wav", "audio/mp4", "audio/webm"}), 40 * MB),
    "pdf": (frozenset({"application/pdf"}), 25 * MB),
    "captions": (frozenset({"text/vtt"}), 1 * MB),
    "image": (frozenset({"image/png", "image/jpeg", "image/webp", "image/gif"}), 5 * MB),
    "attachment": (
        frozenset({"application/pdf", "image/png", "image/jpeg", "text/plain", "text/csv", "application/zip"}),
        20 * MB,
    ),
    "lab": (
        frozenset(
            {
                "application/pdf",
                "image/png",
                "image/jpeg",
                "text/plain",
                "text/csv",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            }
        ),
        10 * MB,
    ),
}  # fmt: skip

OFFICE_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
EXTENSIONS = {
    "video/mp4": "mp4",
    "video/webm": "webm",
    "audio/mpeg": "mp3",
    "audio/ogg": "ogg",
    "audio/x-wav": "wav",
    "audio/mp4": "m4a",
    "audio/webm": "weba",
    "application/pdf": "pdf",
    "text/vtt": "vtt",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "image/gif": "gif",
    "text/plain": "txt",
    "text/csv": "csv",
    "application/zip": "zip",
    **{v: k.rstrip("/")[:4] for k, v in OFFICE_TYPES.items()},
}


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    filename: str
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def safe_filename(name: str | None, fallback: str = "file") -> str:
    """A display name without paths or control characters (the file is stored under its hash)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return base[:200] or fallback


def sniff(data: bytes) -> str | None:
    """The content type that the bytes themselves show, or None."""
    if data[:6] == b"WEBVTT" or data[:9] == b"\xef\xbb\xbfWEBVTT":
        return "text/vtt"
    kind = filetype.guess(data[:8192])
    if kind is not None:
        mime = kind.mime
        if mime == "video/quicktime" or mime == "video/x-m4v":
            return "video/mp4"
        if mime == "audio/x-m4a" or mime == "audio/m4a":
            return "audio/mp4"
        if mime == "audio/wav":
            return "audio/x-wav"
        if mime == "video/mp4" and data[8:11] == b"M4A":
            return "audio/mp4"
        if mime == "application/zip":
            return _zip_kind(data)
        return mime
    if _is_text(data):
        return "text/plain"
    return None


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return "application/octet-stream"
    if "[Content_Types].xml" in names:
        for prefix, mime in OFFICE_TYPES.items():
            if any(name.startswith(prefix) for name in names):
                return mime
    return "application/zip"


_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 12, 13} | {127}


def _is_text(data: bytes) -> bool:
    """UTF-8 text without control characters (binaries often start with a few ASCII bytes)."""
    if _CONTROL_BYTES.intersection(data[:65536]):
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def check_upload(role: str, data: bytes, filename: str | None) -> CheckedFile:
    """Accept ``data`` for ``role`` or raise a :class:`DomainError` saying what is wrong, in the user's language."""
    accepted, limit = LIMITS[role]
    name = safe_filename(filename)
    if not data:
        raise DomainError(_("The file %(name)s is empty.", name=name), field="file")
    if len(data) > limit:
        raise DomainError(
            _("The file %(name)s is larger than %(limit)d MB.", name=name, limit=limit // MB), field="file"
        )
    content_type = sniff(data)
    if content_type == "text/plain" and name.lower().endswith(".csv"):
        content_type = "text/csv"
    if content_type not in accepted:
        raise DomainError(
            _("The file %(name)s is not an accepted kind of file here (its content does not match).", name=name),
            field="file",
        )
    _deep_check(content_type, data, name)
    return CheckedFile(data, name, content_type, hashlib.sha256(data).hexdigest())


def _deep_check(content_type: str, data: bytes, name: str) -> None:
    if content_type.startswith("image/"):
        from PIL import Image

        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except Exception as exc:
            raise DomainError(_("The image %(name)s is damaged or not an image.", name=name), field="file") from exc
    elif content_type == "application/pdf":
        if not data.startswith(b"%PDF-"):
            raise DomainError(_("The file %(name)s is not a PDF.", name=name), field="file")
        from pypdf import PdfReader

        try:
            reader = PdfReader(io.BytesIO(data))
            if len(reader.pages) < 1:
                raise ValueError("no pages")
        except Exception as exc:
            raise DomainError(_("The PDF %(name)s is damaged or has no pages.", name=name), field="file") from exc
    elif content_type == "text/vtt":
        try:
            parse_webvtt(data)
        except InvalidCaptions as exc:
            raise DomainError(
                _("The captions file %(name)s is not valid WebVTT (%(problem)s).", name=name, problem=str(exc)),
                field="file",
            ) from exc


def store(prefix: str, checked: CheckedFile) -> str:
    """Save a checked file under a key made of its hash; returns the storage key."""
    extension = EXTENSIONS.get(checked.content_type, "bin")
    key = f"{prefix}/{checked.sha256[:2]}/{checked.sha256}.{re.sub(r'[^a-z0-9]', '', extension)}"
    storage = get_storage()
    if not storage.exists(key):
        storage.save(key, checked.data, checked.content_type)
    return key
