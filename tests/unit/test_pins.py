"""Profile PINs (core.sharing.pins): digits only, stored as a PBKDF2 hash, changed or removed
only with the current PIN."""

from __future__ import annotations

import pytest

from core.db.store import Store
from core.db.versions import data_version
from core.domain.validation import ValidationError
from core.sharing import pins
from core.sharing.passphrase import is_valid_hash
from tests import factories

FAST = 1_000  # iterations: quick to check, the hash format is the real one


def test_a_pin_is_stored_only_as_a_hash_that_verifies(store: Store) -> None:
    ann = factories.profile(store)
    assert pins.pin_hash(store, ann.id) is None
    version = data_version(ann.id)
    pins.set_pin(store, ann.id, "0420", repeated="0420", iterations=FAST)
    stored = pins.pin_hash(store, ann.id)
    assert stored is not None and is_valid_hash(stored) and "0420" not in stored
    assert stored.startswith("pbkdf2_sha256$1000$")
    assert data_version(ann.id) == version + 1
    assert pins.pin_matches("0420", stored)
    assert not pins.pin_matches("0421", stored)
    assert not pins.pin_matches("", stored)
    assert not pins.pin_matches(420, stored)
    assert pins.pinned_profiles(store) == {ann.id}


@pytest.mark.parametrize(
    ("pin", "message"),
    [
        ("123", "4 to 12 digits; this one has 3"),
        ("1" * 13, "4 to 12 digits; this one has 13"),
        ("12a4", "digits 0 to 9 only"),
        ("١٢٣٤", "digits 0 to 9 only"),  # Arabic-Indic digits are digits, but not 0-9
        (" 1234", "digits 0 to 9 only"),
        (1234, "must be text"),
    ],
)
def test_bad_pins_are_refused_in_words(store: Store, pin: object, message: str) -> None:
    ann = factories.profile(store)
    with pytest.raises(ValidationError, match=message):
        pins.set_pin(store, ann.id, pin, repeated=pin, iterations=FAST)
    assert pins.pin_hash(store, ann.id) is None


def test_changing_or_removing_needs_the_current_pin(store: Store) -> None:
    ann = factories.profile(store)
    pins.set_pin(store, ann.id, "1111", repeated="1111", iterations=FAST)
    first = pins.pin_hash(store, ann.id)
    with pytest.raises(ValidationError, match="two PINs differ"):
        pins.set_pin(store, ann.id, "2222", repeated="2223", current="1111", iterations=FAST)
    with pytest.raises(ValidationError, match="current PIN is not right"):
        pins.set_pin(store, ann.id, "2222", repeated="2222", current="9999", iterations=FAST)
    with pytest.raises(ValidationError, match="current PIN is not right"):
        pins.remove_pin(store, ann.id, current="9999")
    assert pins.pin_hash(store, ann.id) == first
    pins.set_pin(store, ann.id, "2222", repeated="2222", current="1111", iterations=FAST)
    second = pins.pin_hash(store, ann.id)
    assert second != first and pins.fingerprint(second) != pins.fingerprint(first)
    pins.remove_pin(store, ann.id, current="2222")
    assert pins.pin_hash(store, ann.id) is None
