"""The owner passphrase for an app served beyond localhost.

The passphrase itself is never stored: ``.streamlit/secrets.toml`` holds only a salted
PBKDF2-HMAC-SHA256 hash, written by ``python -m core.sharing.passphrase``::

    owner_passphrase_hash = "pbkdf2_sha256$600000$<salt, base64>$<hash, base64>"

Standard library only, and no Streamlit state; wrong guesses are slowed by
:class:`core.sharing.throttle.LoginThrottle`.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import getpass
import hashlib
import hmac
import secrets
import sys
import unicodedata
from dataclasses import dataclass

from core.domain.validation import ValidationError

ALGORITHM = "pbkdf2_sha256"
DEFAULT_ITERATIONS = 600_000
MAX_ITERATIONS = 10_000_000
MIN_PASSPHRASE_CHARS = 10
MAX_PASSPHRASE_CHARS = 1024
SALT_BYTES = 16
HASH_BYTES = 32
SECRETS_KEY = "owner_passphrase_hash"


def _normalise(passphrase: str) -> bytes:
    # NFC, so the same passphrase typed on two keyboards (composed or decomposed
    # accents) gives the same bytes.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def validate_passphrase(passphrase: object) -> str:
    """A new owner passphrase: text of at least MIN_PASSPHRASE_CHARS characters."""
    if not isinstance(passphrase, str):
        raise ValidationError("The passphrase must be text.")
    length = len(unicodedata.normalize("NFC", passphrase))
    if length < MIN_PASSPHRASE_CHARS:
        raise ValidationError(
            f"The passphrase must be at least {MIN_PASSPHRASE_CHARS} characters long; "
            f"this one has {length}. A few unrelated words make a good one."
        )
    if length > MAX_PASSPHRASE_CHARS:
        raise ValidationError(
            f"The passphrase can be at most {MAX_PASSPHRASE_CHARS} characters long."
        )
    if "\x00" in passphrase:
        raise ValidationError("The passphrase cannot contain a NUL character.")
    return passphrase


def hash_passphrase(
    passphrase: str, *, iterations: int = DEFAULT_ITERATIONS, salt: bytes | None = None
) -> str:
    """Hash a new passphrase as ``pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>``.

    The salt is 16 random bytes unless given (tests pass one to get a fixed result).
    Raises ValidationError for a passphrase shorter than MIN_PASSPHRASE_CHARS.
    """
    validate_passphrase(passphrase)
    return hash_secret(passphrase, iterations=iterations, salt=salt)


def hash_secret(
    secret: str, *, iterations: int = DEFAULT_ITERATIONS, salt: bytes | None = None
) -> str:
    """The salted PBKDF2 hash of a secret already checked by its own rules (a passphrase, a
    profile PIN), in the format :func:`verify_passphrase` reads."""
    if not isinstance(iterations, int) or isinstance(iterations, bool):
        raise ValueError("iterations must be a whole number.")
    if not 1 <= iterations <= MAX_ITERATIONS:
        raise ValueError(f"iterations must be from 1 to {MAX_ITERATIONS}.")
    if salt is None:
        salt = secrets.token_bytes(SALT_BYTES)
    if not isinstance(salt, bytes) or not salt:
        raise ValueError("salt must be non-empty bytes.")
    digest = hashlib.pbkdf2_hmac("sha256", _normalise(secret), salt, iterations)
    return "$".join(
        (
            ALGORITHM,
            str(iterations),
            base64.b64encode(salt).decode("ascii"),
            base64.b64encode(digest).decode("ascii"),
        )
    )


@dataclass(frozen=True)
class _ParsedHash:
    iterations: int
    salt: bytes
    digest: bytes


def _parse(stored: object) -> _ParsedHash | None:
    if not isinstance(stored, str):
        return None
    parts = stored.strip().split("$")
    if len(parts) != 4 or parts[0] != ALGORITHM:
        return None
    _, iterations_text, salt_text, digest_text = parts
    if not iterations_text.isascii() or not iterations_text.isdigit():
        return None
    iterations = int(iterations_text)
    if not 1 <= iterations <= MAX_ITERATIONS:
        return None
    try:
        salt = base64.b64decode(salt_text, validate=True)
        digest = base64.b64decode(digest_text, validate=True)
    except (binascii.Error, ValueError):
        return None
    if not salt or len(digest) != HASH_BYTES:
        return None
    return _ParsedHash(iterations, salt, digest)


def is_valid_hash(stored: object) -> bool:
    """True if ``stored`` looks like a hash made by :func:`hash_passphrase` (for Settings)."""
    return _parse(stored) is not None


def verify_passphrase(passphrase: object, stored: object) -> bool:
    """True only if ``passphrase`` matches the stored hash; False for anything malformed.

    The final comparison is constant-time (``hmac.compare_digest``).
    """
    parsed = _parse(stored)
    if parsed is None or not isinstance(passphrase, str) or not passphrase:
        return False
    if len(passphrase) > MAX_PASSPHRASE_CHARS:
        return False
    candidate = hashlib.pbkdf2_hmac(
        "sha256", _normalise(passphrase), parsed.salt, parsed.iterations
    )
    return hmac.compare_digest(candidate, parsed.digest)


def secrets_line(stored_hash: str) -> str:
    """The line to put in ``.streamlit/secrets.toml`` for this hash."""
    if not is_valid_hash(stored_hash):
        raise ValueError("Not a passphrase hash made by hash_passphrase.")
    return f'{SECRETS_KEY} = "{stored_hash}"'


def _read_from_stdin() -> str:
    line = sys.stdin.readline()
    return line.removesuffix("\n").removesuffix("\r")


def main(argv: list[str] | None = None) -> int:
    """Ask for a passphrase and print its secrets.toml line (the module's command line)."""
    parser = argparse.ArgumentParser(
        prog="python -m core.sharing.passphrase",
        description="Make the owner passphrase hash for .streamlit/secrets.toml.",
    )
    parser.add_argument(
        "--stdin",
        action="store_true",
        help="read the passphrase from the first line of standard input instead of asking",
    )
    args = parser.parse_args(argv)
    if args.stdin:
        passphrase = _read_from_stdin()
    else:
        try:
            passphrase = getpass.getpass("Owner passphrase: ")
            again = getpass.getpass("Same passphrase again: ")
        except (EOFError, KeyboardInterrupt):
            print("\nCancelled; nothing was made.", file=sys.stderr)
            return 1
        if not hmac.compare_digest(passphrase.encode("utf-8"), again.encode("utf-8")):
            print("The two passphrases differ; nothing was made. Try again.", file=sys.stderr)
            return 1
    try:
        stored = hash_passphrase(passphrase)
    except ValidationError as error:
        print(error, file=sys.stderr)
        return 1
    print("Put this line in .streamlit/secrets.toml:", file=sys.stderr)
    print(secrets_line(stored))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
