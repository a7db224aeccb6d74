"""Translation catalogs: one per package, so each domain owns its own messages.

``translations/<catalog>/<locale>/LC_MESSAGES/messages.po``, where ``<catalog>`` is ``core``
(``lms/core``, the top-level modules and ``templates/``) or a domain package name. Flask-Babel
merges every catalog directory at run time. ``flask --app lms translations …`` extracts, updates,
compiles and checks them; the check (also a test) fails on any missing or empty translation.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
TRANSLATIONS = REPO_ROOT / "translations"
LOCALES = ("en", "ar", "es", "fr", "de", "ja")
#: Our lazy variants (``_l``) are extracted like ``gettext``.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
#: A translator marks an entry that is rightly identical to the English (a brand, "OK") with this flag.
SAME_AS_SOURCE_FLAG = "same-as-source"
DOMAIN_PACKAGES = ("accounts", "courses", "exams", "partners", "certificates", "affiliates", "api")


def catalog_sources() -> dict[str, list[Path]]:
    sources = {"core": [REPO_ROOT / "lms" / "core", REPO_ROOT / "templates"]}
    sources["core"] += [p for p in (REPO_ROOT / "lms").glob("*.py")]
    for package in DOMAIN_PACKAGES:
        path = REPO_ROOT / "lms" / package
        if (path / "__init__.py").exists():
            sources[package] = [path]
    return sources


def translation_directories() -> list[str]:
    return [str(TRANSLATIONS / name) for name in catalog_sources()]


def _method_map() -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    with open(REPO_ROOT / "babel.cfg") as handle:
        return parse_mapping_cfg(handle)


def extract(catalog_name: str) -> Catalog:
    """Every translatable message in one catalog's sources, as a template catalog."""
    method_map, options_map = _method_map()
    template = Catalog(project="lms", msgid_bugs_address="i18n@lms.local", charset="utf-8")
    for source in catalog_sources()[catalog_name]:
        if source.is_file():
            entries = _extract_file(source, method_map, options_map)
        else:
            entries = (
                (str((source / filename).relative_to(REPO_ROOT)), lineno, message, comments, context)
                for filename, lineno, message, comments, context in extract_from_dir(
                    str(source), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
                )
            )
        for filename, lineno, message, comments, context in entries:
            template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def _extract_file(path: Path, method_map: list, options_map: dict) -> Iterator[tuple]:
    from babel.messages.extract import extract_from_file

    for lineno, message, comments, context in extract_from_file(
        "python", str(path), keywords=KEYWORDS, strip_comment_tags=True
    ):
        yield str(path.relative_to(REPO_ROOT)), lineno, message, comments, context


def po_path(catalog_name: str, locale: str) -> Path:
    return TRANSLATIONS / catalog_name / locale / "LC_MESSAGES" / "messages.po"


#: Fixed header dates keep catalogs byte-stable when their messages did not change.
STABLE_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def _write_if_changed(path: Path, catalog: Catalog, **options: object) -> None:
    catalog.creation_date = STABLE_DATE
    catalog.revision_date = STABLE_DATE
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, **options)
    data = buffer.getvalue()
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def update(catalog_name: str) -> Catalog:
    """Write the .pot and merge it into every locale's .po (new messages arrive untranslated)."""
    template = extract(catalog_name)
    directory = TRANSLATIONS / catalog_name
    directory.mkdir(parents=True, exist_ok=True)
    _write_if_changed(directory / "messages.pot", template)
    for locale in LOCALES:
        path = po_path(catalog_name, locale)
        if path.exists():
            with open(path, "rb") as handle:
                catalog = read_po(handle, locale=locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=locale, project="lms", charset="utf-8")
        # A copy: Catalog.update shares message objects with the template, and English rewrites them.
        catalog.update(copy.deepcopy(template), update_header_comment=False)
        if locale == "en":
            # English is the source language: its catalog simply mirrors the source strings.
            for message in catalog:
                if message.id:
                    message.string = tuple(message.id[:2]) if isinstance(message.id, tuple) else message.id
                    message.flags.discard("fuzzy")
        _write_if_changed(path, catalog, ignore_obsolete=True)
    return template


def compile_all() -> int:
    count = 0
    for catalog_name in catalog_sources():
        for locale in LOCALES:
            path = po_path(catalog_name, locale)
            if not path.exists():
                continue
            with open(path, "rb") as handle:
                catalog = read_po(handle, locale=locale)
            with open(path.with_suffix(".mo"), "wb") as handle:
                write_mo(handle, catalog, use_fuzzy=False)
            count += 1
    return count


@dataclass
class Gap:
    catalog: str
    locale: str
    msgid: str
    problem: str


def check() -> list[Gap]:
    """Messages in the sources that some locale does not translate (missing, empty or fuzzy)."""
    gaps: list[Gap] = []
    for catalog_name in catalog_sources():
        template = extract(catalog_name)
        for locale in LOCALES:
            path = po_path(catalog_name, locale)
            if not path.exists():
                gaps.append(Gap(catalog_name, locale, "*", "catalog file missing"))
                continue
            with open(path, "rb") as handle:
                catalog = read_po(handle, locale=locale)
            for message in template:
                if not message.id:
                    continue
                translated = catalog.get(message.id, context=message.context)
                key = message.id if isinstance(message.id, str) else message.id[0]
                if translated is None:
                    gaps.append(Gap(catalog_name, locale, key, "missing"))
                elif "fuzzy" in translated.flags:
                    gaps.append(Gap(catalog_name, locale, key, "fuzzy"))
                elif isinstance(translated.string, tuple):
                    if not all(translated.string) or len(translated.string) < catalog.num_plurals:
                        gaps.append(Gap(catalog_name, locale, key, "plural forms incomplete"))
                elif not translated.string:
                    gaps.append(Gap(catalog_name, locale, key, "empty"))
                elif locale != "en" and translated.string == key and SAME_AS_SOURCE_FLAG not in translated.flags:
                    gaps.append(Gap(catalog_name, locale, key, "same as the English (flag it same-as-source if meant)"))
                elif not _same_placeholders(key, translated.string):
                    gaps.append(Gap(catalog_name, locale, key, "placeholders differ"))
    return gaps


def _placeholders(text: str) -> set[str]:
    import re

    return set(re.findall(r"%\((\w+)\)[sd]", text))


def _same_placeholders(source: str, translation: str) -> bool:
    return _placeholders(source) == _placeholders(translation)
