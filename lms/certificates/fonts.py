"""Fonts for certificates: every script prints, and Japanese prints fast.

Latin, Arabic, Devanagari and the rest come from Debian's Noto packages through fontconfig
(``fonts-noto-core``, ``fonts-noto-cjk``). The CJK fonts are 20 MB collections of 65,000 glyphs:
WeasyPrint subsets the font it embeds for every document, and subsetting from the full collection
costs about 40 ms a page. We therefore cut, once per deployment, a smaller CJK font holding kana,
the ~3,000 common kanji of JIS X 0208 level 1 and CJK punctuation (about 3,500 glyphs) into the
instance folder, and list it before the full font: text it covers is subset from the small font,
and any rarer character still falls back to the full Noto CJK font, so nothing prints as a box.

Building needs ``uharfbuzz`` (half a second); without it certificates use the full fonts (slower,
same result).
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

#: Where Debian's fonts-noto-cjk puts the collections; the Japanese face is the first of each.
CJK_COLLECTIONS = {
    400: ("NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto"),
    700: ("NotoSansCJK-Bold.ttc", "/usr/share/fonts/opentype/noto"),
}
CJK_FACE_INDEX = 0
SUBSET_FAMILY = "LMS CJK Subset"
#: Bumped when the character set below changes, so cached fonts are rebuilt.
SUBSET_VERSION = "2"
#: The font stack of every certificate, after the (optional) pre-subset CJK family.
FALLBACK_FAMILIES = (
    "Noto Sans",
    "Noto Sans Arabic",
    "Noto Sans Devanagari",
    "Noto Sans Hebrew",
    "Noto Sans Thai",
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "sans-serif",
)


@dataclass(frozen=True)
class CertificateFonts:
    """The fonts folder the renderer may read (``font:`` URLs) and the CSS that declares them."""

    folder: Path | None
    css: str
    families: str


def _subset_codepoints() -> list[int]:
    points = set(range(0x20, 0x7F))
    points |= set(range(0xA0, 0x100))
    points |= set(range(0x2000, 0x2070))  # general punctuation
    points |= set(range(0x3000, 0x3100))  # CJK symbols, hiragana, katakana
    points |= set(range(0x31F0, 0x3200))
    points |= set(range(0xFF00, 0xFFF0))  # full-width and half-width forms
    for code in range(0x4E00, 0xA000):
        try:
            encoded = chr(code).encode("shift_jis")
        except UnicodeEncodeError:
            continue
        # JIS X 0208 level 1 (the ~3,000 common kanji) sits in lead bytes 0x88-0x98.
        if 0x88 <= encoded[0] <= 0x98:
            points.add(code)
    return sorted(points)


def _find_collection(name: str, default_folder: str) -> Path | None:
    candidate = Path(default_folder) / name
    if candidate.is_file():
        return candidate
    for root in ("/usr/share/fonts", "/usr/local/share/fonts"):
        found = next(Path(root).rglob(name), None) if Path(root).is_dir() else None
        if found is not None:
            return found
    return None


def _subset_file_name(weight: int, source: Path) -> str:
    stat = source.stat()
    digest = hashlib.sha256(f"{SUBSET_VERSION}:{source}:{stat.st_size}:{int(stat.st_mtime)}".encode()).hexdigest()
    return f"cjk-jp-{weight}-{digest[:12]}.otf"


def build_cjk_subset(source: Path, target: Path) -> None:
    """Cut the CJK collection's Japanese face down to the common characters (atomic write)."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(source)), CJK_FACE_INDEX)
    subset_input = hb.SubsetInput()
    for code in _subset_codepoints():
        subset_input.unicode_set.add(code)
    subset = hb.subset(face, subset_input)
    if subset is None:
        raise RuntimeError(f"harfbuzz could not subset {source}")
    data = subset.blob.data
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-font-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, target)


def ensure_cjk_subsets(folder: Path) -> dict[int, str]:
    """Build (once, under a file lock) the pre-subset CJK fonts; returns {weight: file name}."""
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        log.info("uharfbuzz is not installed: certificates use the full CJK fonts")
        return {}
    folder.mkdir(parents=True, exist_ok=True)
    names: dict[int, str] = {}
    with open(folder / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for weight, (collection, default_folder) in CJK_COLLECTIONS.items():
            source = _find_collection(collection, default_folder)
            if source is None:
                log.warning("%s is missing (apt-get install fonts-noto-cjk)", collection)
                continue
            name = _subset_file_name(weight, source)
            target = folder / name
            if not target.is_file():
                try:
                    build_cjk_subset(source, target)
                except Exception:
                    log.exception("could not build the CJK subset of %s", source)
                    continue
            names[weight] = name
    return names


@lru_cache(maxsize=4)
def certificate_fonts(instance_path: str) -> CertificateFonts:
    """The font set-up for certificates of one instance (built on first use, then cached)."""
    folder = Path(instance_path) / "fonts"
    subsets = ensure_cjk_subsets(folder)
    rules = [
        f'@font-face {{ font-family: "{SUBSET_FAMILY}"; src: url("font:{name}"); font-weight: {weight}; }}'
        for weight, name in sorted(subsets.items())
    ]
    families = ", ".join(
        f'"{family}"' if family != "sans-serif" else family
        for family in (
            *FALLBACK_FAMILIES[:4],
            *([SUBSET_FAMILY] if subsets else []),
            *FALLBACK_FAMILIES[4:],
        )
    )
    return CertificateFonts(folder if subsets else None, "\n".join(rules), families)
