"""Tests for the owner passphrase (core.auth): hashing, verifying, the command, the throttle."""

from __future__ import annotations

import base64
import hashlib
import io
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from core.domain.validation import ValidationError
from core.sharing import passphrase as passphrase_module
from core.sharing.passphrase import (
    DEFAULT_ITERATIONS,
    hash_passphrase,
    is_valid_hash,
    main,
    secrets_line,
    verify_passphrase,
)
from core.sharing.throttle import LoginThrottle, Throttle

REPO_ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple"
SALT = b"0123456789abcdef"


def expected_hash(passphrase: str, salt: bytes, iterations: int) -> str:
    digest = hashlib.pbkdf2_hmac("sha256", passphrase.encode(), salt, iterations)
    return (
        f"pbkdf2_sha256${iterations}${base64.b64encode(salt).decode()}$"
        f"{base64.b64encode(digest).decode()}"
    )


def test_hash_format_is_exact() -> None:
    assert hash_passphrase(PASSPHRASE, iterations=1000, salt=SALT) == expected_hash(
        PASSPHRASE, SALT, 1000
    )
    assert hash_passphrase(PASSPHRASE, iterations=1000, salt=SALT) == (
        "pbkdf2_sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg==$"
        + base64.b64encode(hashlib.pbkdf2_hmac("sha256", PASSPHRASE.encode(), SALT, 1000)).decode()
    )


def test_default_hash_uses_600000_iterations_and_a_random_16_byte_salt() -> None:
    first = hash_passphrase(PASSPHRASE)
    name, iterations, salt, digest = first.split("$")
    assert (name, int(iterations), len(base64.b64decode(salt)), len(base64.b64decode(digest))) == (
        "pbkdf2_sha256",
        600_000,
        16,
        32,
    )
    assert DEFAULT_ITERATIONS == 600_000
    assert verify_passphrase(PASSPHRASE, first) is True
    second = hash_passphrase(PASSPHRASE, iterations=1000)
    assert second.split("$")[2] != salt


def test_verify_accepts_the_right_passphrase_only() -> None:
    stored = hash_passphrase(PASSPHRASE, iterations=1000, salt=SALT)
    assert verify_passphrase(PASSPHRASE, stored) is True
    assert verify_passphrase(PASSPHRASE + " ", stored) is False
    assert verify_passphrase(PASSPHRASE.upper(), stored) is False
    assert verify_passphrase("", stored) is False
    assert verify_passphrase(None, stored) is False
    assert verify_passphrase(b"correct horse battery staple", stored) is False
    assert verify_passphrase("x" * 5000, stored) is False


def test_composed_and_decomposed_accents_are_the_same_passphrase() -> None:
    composed = unicodedata.normalize("NFC", "crème brûlée café")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    stored = hash_passphrase(composed, iterations=1000, salt=SALT)
    assert verify_passphrase(decomposed, stored) is True


def test_verify_tolerates_surrounding_whitespace_in_the_stored_value() -> None:
    stored = hash_passphrase(PASSPHRASE, iterations=1000, salt=SALT)
    assert verify_passphrase(PASSPHRASE, f"  {stored}\n") is True


GOOD = hash_passphrase(PASSPHRASE, iterations=1000, salt=SALT)
_, _, GOOD_SALT, GOOD_DIGEST = GOOD.split("$")


@pytest.mark.parametrize(
    "stored",
    [
        None,
        123,
        b"pbkdf2_sha256$1000$x$y",
        "",
        "garbage",
        "pbkdf2_sha256$",
        "pbkdf2_sha256$1000$" + GOOD_SALT,
        f"pbkdf2_sha1$1000${GOOD_SALT}${GOOD_DIGEST}",
        f"PBKDF2_SHA256$1000${GOOD_SALT}${GOOD_DIGEST}",
        f"pbkdf2_sha256$abc${GOOD_SALT}${GOOD_DIGEST}",
        f"pbkdf2_sha256$0${GOOD_SALT}${GOOD_DIGEST}",
        f"pbkdf2_sha256$-1000${GOOD_SALT}${GOOD_DIGEST}",
        f"pbkdf2_sha256$+1000${GOOD_SALT}${GOOD_DIGEST}",
        f"pbkdf2_sha256$1e3${GOOD_SALT}${GOOD_DIGEST}",
        f"pbkdf2_sha256$١٠٠٠${GOOD_SALT}${GOOD_DIGEST}",
        f"pbkdf2_sha256$99999999999${GOOD_SALT}${GOOD_DIGEST}",
        f"pbkdf2_sha256$1000$!!!!${GOOD_DIGEST}",
        f"pbkdf2_sha256$1000$${GOOD_DIGEST}",
        f"pbkdf2_sha256$1000${GOOD_SALT}$!!!!",
        f"pbkdf2_sha256$1000${GOOD_SALT}${GOOD_DIGEST[:-4]}",
        f"pbkdf2_sha256$1000${GOOD_SALT}$" + base64.b64encode(b"x" * 31).decode(),
        f"pbkdf2_sha256$1000${GOOD_SALT}${GOOD_DIGEST}$extra",
        f"pbkdf2_sha256$1001${GOOD_SALT}${GOOD_DIGEST}",
    ],
)
def test_malformed_or_wrong_stored_values_verify_false(stored: object) -> None:
    assert verify_passphrase(PASSPHRASE, stored) is False
    assert is_valid_hash(stored) is (stored == f"pbkdf2_sha256$1001${GOOD_SALT}${GOOD_DIGEST}")


def test_is_valid_hash_for_a_good_value() -> None:
    assert is_valid_hash(GOOD) is True


@pytest.mark.parametrize(
    ("passphrase", "message"),
    [
        (
            "short",
            "The passphrase must be at least 10 characters long; this one has 5. "
            "A few unrelated words make a good one.",
        ),
        (
            "123456789",
            "The passphrase must be at least 10 characters long; this one has 9. "
            "A few unrelated words make a good one.",
        ),
        (
            "",
            "The passphrase must be at least 10 characters long; this one has 0. "
            "A few unrelated words make a good one.",
        ),
        (None, "The passphrase must be text."),
        ("x" * 1025, "The passphrase can be at most 1024 characters long."),
        ("0123456789\x00", "The passphrase cannot contain a NUL character."),
    ],
)
def test_weak_passphrases_are_refused_with_a_clear_message(
    passphrase: object, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        hash_passphrase(passphrase, iterations=1000)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_ten_characters_is_enough() -> None:
    assert verify_passphrase("0123456789", hash_passphrase("0123456789", iterations=10)) is True


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"iterations": 0}, ValueError),
        ({"iterations": True}, ValueError),
        ({"iterations": 10_000_001}, ValueError),
        ({"salt": b""}, ValueError),
        ({"salt": "text"}, ValueError),
    ],
)
def test_hash_options_are_checked(options: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        hash_passphrase(PASSPHRASE, **options)  # type: ignore[arg-type]


def test_secrets_line() -> None:
    assert secrets_line(GOOD) == f'owner_passphrase_hash = "{GOOD}"'
    with pytest.raises(ValueError):
        secrets_line("nonsense")


# -- the command -------------------------------------------------------------------------


def test_command_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSPHRASE + "\r\n"))
    monkeypatch.setattr(passphrase_module.secrets, "token_bytes", lambda n: SALT[:n])
    assert main(["--stdin"]) == 0
    out, err = capsys.readouterr()
    assert out == f'owner_passphrase_hash = "{expected_hash(PASSPHRASE, SALT, 600_000)}"\n'
    assert err == "Put this line in .streamlit/secrets.toml:\n"


def test_command_prompts_twice(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter([PASSPHRASE, PASSPHRASE])
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(passphrase_module.getpass, "getpass", fake_getpass)
    monkeypatch.setattr(passphrase_module.secrets, "token_bytes", lambda n: SALT[:n])
    assert main([]) == 0
    out, _ = capsys.readouterr()
    assert prompts == ["Owner passphrase: ", "Same passphrase again: "]
    assert out == f'owner_passphrase_hash = "{expected_hash(PASSPHRASE, SALT, 600_000)}"\n'


def test_command_refuses_two_different_answers(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter([PASSPHRASE, PASSPHRASE + "!"])
    monkeypatch.setattr(passphrase_module.getpass, "getpass", lambda prompt="": next(answers))
    assert main([]) == 1
    assert capsys.readouterr() == (
        "",
        "The two passphrases differ; nothing was made. Try again.\n",
    )


def test_command_refuses_a_short_passphrase(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["--stdin"]) == 1
    assert capsys.readouterr() == (
        "",
        "The passphrase must be at least 10 characters long; this one has 5. "
        "A few unrelated words make a good one.\n",
    )


def test_python_dash_m_core_auth_prints_a_verifiable_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "core.sharing.passphrase", "--stdin"],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=True,
        timeout=60,
    )
    key, _, value = done.stdout.strip().partition(" = ")
    assert key == "owner_passphrase_hash"
    assert value.startswith('"pbkdf2_sha256$600000$') and value.endswith('"')
    assert verify_passphrase(PASSPHRASE, value.strip('"')) is True
    assert PASSPHRASE not in done.stdout + done.stderr


# -- throttle ----------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def test_login_throttle_slows_wrong_guesses() -> None:
    clock = FakeClock()
    throttle = LoginThrottle(clock=clock)
    delays = [throttle.record_failure("owner") for _ in range(11)]
    assert delays == [0.0, 0.0, 0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]
    assert throttle.wait_remaining("owner") == 60.0
    clock.now += 45.0
    assert throttle.wait_remaining("owner") == 15.0
    clock.now += 20.0
    assert throttle.wait_remaining("owner") == 0.0
    assert throttle.failures("owner") == 11


def test_login_throttle_resets_after_success_and_forgets_after_a_while() -> None:
    clock = FakeClock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(6):
        throttle.record_failure("owner")
    throttle.reset("owner")
    assert (throttle.failures("owner"), throttle.wait_remaining("owner")) == (0, 0.0)
    for _ in range(6):
        throttle.record_failure("owner")
    clock.now += 900.0
    assert (throttle.failures("owner"), throttle.record_failure("owner")) == (0, 0.0)


def test_throttle_delay_survives_very_long_runs() -> None:
    throttle = Throttle(free_failures=0, base_delay_s=0.5, max_delay_s=10.0, clock=FakeClock())
    assert [throttle.delay_after(n) for n in (0, 1, 2, 3, 5, 6, 10_000)] == [
        0.0,
        0.5,
        1.0,
        2.0,
        8.0,
        10.0,
        10.0,
    ]


def test_throttle_keeps_at_most_max_keys() -> None:
    clock = FakeClock()
    throttle = Throttle(max_keys=3, clock=clock)
    for index in range(5):
        clock.now += 1.0
        throttle.record_failure(f"k{index}")
    assert [throttle.failures(f"k{index}") for index in range(5)] == [0, 0, 1, 1, 1]


@pytest.mark.parametrize(
    "options",
    [
        {"free_failures": -1},
        {"base_delay_s": 0.0},
        {"base_delay_s": 5.0, "max_delay_s": 1.0},
        {"forget_after_s": 0.0},
        {"max_keys": 0},
    ],
)
def test_throttle_options_are_checked(options: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Throttle(**options)  # type: ignore[arg-type]
