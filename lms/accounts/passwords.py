"""argon2id password hashing tuned for sign-in storms (about 19 MiB and two passes, near 20 ms)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app


@lru_cache(maxsize=4)
def _hasher(memory_kib: int, time_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(
        time_cost=time_cost,
        memory_cost=memory_kib,
        parallelism=parallelism,
        hash_len=32,
        salt_len=16,
        type=Type.ID,
    )


def hasher() -> PasswordHasher:
    config = current_app.config
    return _hasher(config["PASSWORD_MEMORY_KIB"], config["PASSWORD_TIME_COST"], config["PASSWORD_PARALLELISM"])


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)


@lru_cache(maxsize=4)
def _dummy_hash(memory_kib: int, time_cost: int, parallelism: int) -> str:
    return _hasher(memory_kib, time_cost, parallelism).hash("not-a-real-password")


def burn_verification_time(password: str) -> None:
    """Spend a real verification's time when no account matches, so timing reveals nothing."""
    config = current_app.config
    verify_password(
        _dummy_hash(config["PASSWORD_MEMORY_KIB"], config["PASSWORD_TIME_COST"], config["PASSWORD_PARALLELISM"]),
        password,
    )
