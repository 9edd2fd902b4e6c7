"""An optional PIN per profile, so that in a household file one person cannot open another's
records in the app.

The PIN is stored only as a salted PBKDF2 hash (the owner passphrase's format, see
:mod:`core.sharing.passphrase`) in ``profile_pins``, which is never exported or copied
into a share view; wrong guesses are slowed by a throttle the pages keep per profile. A
PIN guards the app's pages, not the file: anyone who can read the data file can read it
without the app, and the pages say so. Nothing here logs a PIN.
"""

from __future__ import annotations

import hashlib

from core.db.store import Store
from core.domain.days import utc_now
from core.domain.validation import ValidationError
from core.sharing.passphrase import hash_secret, verify_passphrase

PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12


def validate_pin(pin: object) -> str:
    """A new PIN: PIN_MIN_DIGITS to PIN_MAX_DIGITS digits 0-9, nothing else."""
    if not isinstance(pin, str):
        raise ValidationError("A PIN must be text.")
    if not (pin.isascii() and pin.isdigit()):
        raise ValidationError("A PIN is made of digits 0 to 9 only.")
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise ValidationError(
            f"A PIN has {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits; this one has {len(pin)}."
        )
    return pin


def pin_hash(store: Store, profile_id: str) -> str | None:
    """The profile's PIN hash, or None when it has no PIN."""
    row = store.con.execute(
        "SELECT pin_hash FROM profile_pins WHERE profile_id = ?", [profile_id]
    ).fetchone()
    return None if row is None else str(row[0])


def pinned_profiles(store: Store) -> set[str]:
    """The ids of the profiles that have a PIN."""
    return {
        str(row[0]) for row in store.con.execute("SELECT profile_id FROM profile_pins").fetchall()
    }


def pin_hashes(store: Store) -> dict[str, str]:
    """Every profile's PIN hash, in one query (profiles without a PIN are left out)."""
    rows = store.con.execute("SELECT profile_id, pin_hash FROM profile_pins").fetchall()
    return {str(profile_id): str(stored) for profile_id, stored in rows}


def pin_matches(pin: object, stored: str | None) -> bool:
    """True when ``pin`` is the PIN of the stored hash (constant-time comparison)."""
    return stored is not None and isinstance(pin, str) and verify_passphrase(pin, stored)


def fingerprint(stored: str) -> str:
    """A short digest of a stored hash: an unlock remembers it, so a new PIN locks again."""
    return hashlib.sha256(stored.encode("utf-8")).hexdigest()


def _require_current(store: Store, profile_id: str, current: object) -> None:
    stored = pin_hash(store, profile_id)
    if stored is not None and not pin_matches(current, stored):
        raise ValidationError("The current PIN is not right; nothing was changed.")


def set_pin(
    store: Store,
    profile_id: str,
    pin: object,
    *,
    repeated: object,
    current: object = None,
    iterations: int | None = None,
) -> None:
    """Set or change the profile's PIN (``repeated`` must match; ``current`` is asked for
    when one is set already). ``iterations`` is for tests only."""
    store.get_profile(profile_id)
    clean = validate_pin(pin)
    if repeated != pin:
        raise ValidationError("The two PINs differ; nothing was changed.")
    _require_current(store, profile_id, current)
    stored = hash_secret(clean) if iterations is None else hash_secret(clean, iterations=iterations)
    with store.writing(profile_id):
        store.con.execute(
            "INSERT OR REPLACE INTO profile_pins (profile_id, pin_hash, updated_at) "
            "VALUES (?, ?, ?)",
            [profile_id, stored, utc_now()],
        )


def remove_pin(store: Store, profile_id: str, *, current: object) -> None:
    """Remove the profile's PIN, once ``current`` is right."""
    _require_current(store, profile_id, current)
    with store.writing(profile_id):
        store.con.execute("DELETE FROM profile_pins WHERE profile_id = ?", [profile_id])
