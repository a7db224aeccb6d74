"""Certificate numbers, verification tokens and status-list positions.

A number reads ``AIC-DEV-2026-0004817``: prefix, certification code, year of issue, then a
serial (the certificate's id, at least six digits) and one Luhn check digit computed over the
year and serial, so a mistyped digit or two swapped neighbours are caught before any lookup.
"""

from __future__ import annotations

import re
import secrets
import uuid

from stdnum import luhn

PREFIX = "AIC"
NUMBER_PATTERN = re.compile(r"^(?P<prefix>[A-Z]{2,5})-(?P<code>[A-Z0-9]{2,8})-(?P<year>\d{4})-(?P<digits>\d{7,})$")
#: Bits in one Bitstring Status List (the spec's minimum size, 16 KiB), so lists give herd privacy.
STATUS_LIST_SIZE = 131_072
#: An odd multiplier spreads consecutive ids over the whole list (a bijection modulo a power of two),
#: so a certificate's position does not reveal how many were issued before it.
_STATUS_SPREAD = 0x9E3B


def make_number(code: str, year: int, serial: int) -> str:
    digits = f"{serial:06d}"
    check = luhn.calc_check_digit(f"{year}{digits}")
    return f"{PREFIX}-{code.upper()}-{year}-{digits}{check}"


def normalise_number(text: str) -> str:
    """Upper-case, trimmed, with spaces and any kind of dash read as a hyphen."""
    cleaned = re.sub(r"[\s‐-―−]+", "-", text.strip().upper())
    return cleaned.strip("-")


def is_well_formed(number: str) -> bool:
    """Shape and check digit are right (says nothing about whether such a certificate exists)."""
    match = NUMBER_PATTERN.match(number)
    if not match:
        return False
    return luhn.is_valid(match.group("year") + match.group("digits"))


def new_token() -> str:
    """144 random bits, URL-safe (24 characters): the key of the public verification page."""
    return secrets.token_urlsafe(18)


def new_credential_id() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def status_position(certificate_id: int) -> tuple[int, int]:
    """(list number, index in that list) for a certificate: unique per id, spread over the list."""
    zero_based = certificate_id - 1
    list_number = zero_based // STATUS_LIST_SIZE + 1
    index = (zero_based * _STATUS_SPREAD) % STATUS_LIST_SIZE
    return list_number, index
