"""Passwords: a strength rule when one is set, argon2id to store it, rehash when parameters change.

Verifying costs ~130 ms on 2 cores (4 lanes) and 64 MiB by design, so callers run it off the writer thread and
bound how many run at once (the login throttle and ``web.pages``)."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from katchi.core import Invalid

MIN_LENGTH = 12
MAX_LENGTH = 256
#: zxcvbn's score (0–4): 3 is "safely unguessable: moderate protection from offline attacks".
MIN_SCORE = 3
_ZXCVBN_MAX = 72  # zxcvbn refuses longer input; the first 72 characters decide

_hasher = PasswordHasher()
_DUMMY = _hasher.hash("not-a-real-password")


def check_strength(password: str, *, hints: tuple[str, ...] = ()) -> None:
    """Refuse a password that is short or guessable: common passwords, keyboard walks, dates, and
    the ``hints`` (username, display name, organisation) with small changes."""
    if len(password) < MIN_LENGTH:
        raise Invalid(f"password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise Invalid(f"password must have at most {MAX_LENGTH} characters")
    verdict = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=[h for h in hints if h])
    if verdict["score"] < MIN_SCORE:
        warning = verdict["feedback"].get("warning") or "it is too easy to guess"
        raise Invalid(f"password is too weak: {warning.rstrip('.')}; a few unrelated words make a strong one")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@dataclass(frozen=True, slots=True)
class Verified:
    """A password matched ``stored``; ``rehash`` is a new hash when the stored one used other
    argon2 parameters (saved at sign-in, the only time the password is known)."""

    stored: str
    rehash: str | None


def verify(stored: str | None, password: str) -> Verified | None:
    """Check ``password`` against ``stored`` (a dummy hash when None, so an unknown user costs the
    same time as a known one)."""
    if len(password) > MAX_LENGTH:
        password = password[: MAX_LENGTH + 1]  # still wrong, and no more work than a long right one
    try:
        _hasher.verify(stored or _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    if stored is None:
        return None
    return Verified(stored, _hasher.hash(password) if _hasher.check_needs_rehash(stored) else None)
