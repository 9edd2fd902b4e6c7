"""Tests for share links (core.sharing): tokens, hashing, expiry, revocation, access log."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.db.store import Store
from core.db.versions import data_version
from core.domain.validation import ValidationError
from core.sharing import links as links_module
from core.sharing.links import (
    LinkSummary,
    ShareGrant,
    ShareLink,
    create_link,
    hash_token,
    is_well_formed,
    list_links,
    record_access,
    revoke,
    share_url,
    verify,
)
from core.sharing.throttle import BadTokenThrottle
from tests import factories

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")


@pytest.fixture
def profile_id(store: Store) -> str:
    return factories.profile(store, name="Sam").id


# -- creation and storage --------------------------------------------------------------


def test_create_link_returns_the_record_and_a_256_bit_token(store: Store, profile_id: str) -> None:
    link, token = create_link(store, profile_id, "  my physio ", now=T0)

    assert link == ShareLink(
        id=link.id,
        profile_id=profile_id,
        recipient="my physio",
        created_at=T0,
        expires_at=T0 + timedelta(days=14),
        range_start=None,
        range_end=None,
        revoked_at=None,
    )
    assert TOKEN_RE.fullmatch(token)
    assert len(base64.urlsafe_b64decode(token + "=")) == 32
    stored = store.con.execute("SELECT * FROM share_links").fetchall()
    assert stored == [
        (
            link.id,
            profile_id,
            "my physio",
            hashlib.sha256(token.encode()).hexdigest(),
            T0,
            T0 + timedelta(days=14),
            None,
            None,
            None,
        )
    ]


def test_token_comes_from_token_urlsafe_32(
    store: Store, profile_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = links_module.secrets.token_urlsafe

    def spy(nbytes: int) -> str:
        calls.append(nbytes)
        return real(nbytes)

    monkeypatch.setattr(links_module.secrets, "token_urlsafe", spy)
    create_link(store, profile_id, "physio", now=T0)
    assert calls == [32]


def test_tokens_are_distinct_and_use_the_whole_alphabet(store: Store, profile_id: str) -> None:
    tokens = [create_link(store, profile_id, "physio", now=T0)[1] for _ in range(200)]
    assert len(set(tokens)) == 200
    assert all(TOKEN_RE.fullmatch(t) for t in tokens)
    # 200 x 42 free characters of a 64-letter alphabet: every letter turns up.
    assert set("".join(t[:42] for t in tokens)) == set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )


def test_only_the_hash_reaches_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "share.duckdb"
    with Store.open(path) as store:
        pid = factories.profile(store, name="Sam").id
        link, token = create_link(store, pid, "physio", now=T0)
        grant = verify(store, token, now=T0)
        assert grant is not None
        record_access(store, grant, now=T0)
        revoke(store, pid, link.id, now=T0 + timedelta(hours=1))
        stored = store.con.execute("SELECT token_hash FROM share_links").fetchall()
        assert stored == [(hash_token(token),)]
        store.con.execute("CHECKPOINT")
    files = sorted(tmp_path.iterdir())
    assert files
    for file in files:
        content = file.read_bytes()
        assert token.encode() not in content, file.name


def test_create_link_with_a_date_range_and_custom_days(store: Store, profile_id: str) -> None:
    link, _ = create_link(
        store,
        profile_id,
        "Dr Jones",
        days=90,
        range_start=date(2026, 10, 1),
        range_end=date(2026, 11, 24),
        now=T0,
    )
    assert (link.expires_at, link.range_start, link.range_end) == (
        T0 + timedelta(days=90),
        date(2026, 10, 1),
        date(2026, 11, 24),
    )


@pytest.mark.parametrize(
    ("recipient", "message"),
    [
        ("", "Name who the link is for, for example “my physio”."),
        ("   ", "Name who the link is for, for example “my physio”."),
        (None, "Name who the link is for, for example “my physio”."),
        ("x" * 81, "The recipient can be at most 80 characters; this one has 81."),
        ("my\nphysio", "The recipient cannot contain control characters or line breaks."),
        ("my\x00physio", "The recipient cannot contain control characters or line breaks."),
        ("my\u2028physio", "The recipient cannot contain control characters or line breaks."),
        ("evil\u202egnp.exe", "The recipient cannot contain control characters or line breaks."),
    ],
)
def test_recipient_validation(
    store: Store, profile_id: str, recipient: object, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        create_link(store, profile_id, recipient, now=T0)  # type: ignore[arg-type]
    assert str(caught.value) == message
    assert store.con.execute("SELECT count(*) FROM share_links").fetchall() == [(0,)]


def test_recipient_of_80_characters_and_emoji_is_fine(store: Store, profile_id: str) -> None:
    assert create_link(store, profile_id, "x" * 80, now=T0)[0].recipient == "x" * 80
    physio = "my physio 👩\u200d⚕️"
    assert create_link(store, profile_id, physio, now=T0)[0].recipient == physio


@pytest.mark.parametrize("days", [0, 91, -1, True, 1.5, "14", None])
def test_days_validation(store: Store, profile_id: str, days: object) -> None:
    with pytest.raises(ValidationError) as caught:
        create_link(store, profile_id, "physio", days=days, now=T0)  # type: ignore[arg-type]
    assert (
        str(caught.value) == f"A link can be valid for 1 to 90 days (a whole number); got {days!r}."
    )


@pytest.mark.parametrize("days", [1, 90])
def test_days_limits_are_inclusive(store: Store, profile_id: str, days: int) -> None:
    link, _ = create_link(store, profile_id, "physio", days=days, now=T0)
    assert link.expires_at == T0 + timedelta(days=days)


def test_range_start_after_end_is_refused(store: Store, profile_id: str) -> None:
    with pytest.raises(ValidationError) as caught:
        create_link(
            store,
            profile_id,
            "physio",
            range_start=date(2026, 11, 2),
            range_end=date(2026, 11, 1),
            now=T0,
        )
    assert str(caught.value) == (
        "The date range starts on 2026-11-02, after it ends on 2026-11-01. Swap the dates."
    )


def test_unknown_profile_is_refused(store: Store) -> None:
    with pytest.raises(KeyError):
        create_link(store, "no-such-profile", "physio", now=T0)


def test_naive_now_is_refused(store: Store, profile_id: str) -> None:
    with pytest.raises(ValueError):
        create_link(store, profile_id, "physio", now=datetime(2026, 11, 24, 9))


# -- verification ------------------------------------------------------------------------


def test_verify_returns_the_grant(store: Store, profile_id: str) -> None:
    link, token = create_link(
        store,
        profile_id,
        "physio",
        range_start=date(2026, 10, 1),
        range_end=date(2026, 11, 20),
        now=T0,
    )
    assert verify(store, token, now=T0) == ShareGrant(
        profile_id=profile_id,
        link_id=link.id,
        recipient="physio",
        expires_at=T0 + timedelta(days=14),
        range_start=date(2026, 10, 1),
        range_end=date(2026, 11, 20),
    )


def test_expiry_at_the_boundary_instant(store: Store, profile_id: str) -> None:
    link, token = create_link(store, profile_id, "physio", days=1, now=T0)
    one_us = timedelta(microseconds=1)
    assert verify(store, token, now=link.expires_at - one_us) is not None
    assert verify(store, token, now=link.expires_at) is None
    assert verify(store, token, now=link.expires_at + one_us) is None
    # Before creation is still within the window: only the end counts.
    assert verify(store, token, now=T0) is not None


def test_expiry_compares_instants_not_wall_clocks(store: Store, profile_id: str) -> None:
    link, token = create_link(store, profile_id, "physio", days=1, now=T0)
    at_expiry_in_berlin = link.expires_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert verify(store, token, now=at_expiry_in_berlin) is None
    just_before_in_new_york = (link.expires_at - timedelta(microseconds=1)).astimezone(
        ZoneInfo("America/New_York")
    )
    assert verify(store, token, now=just_before_in_new_york) is not None


def test_unknown_well_formed_token_is_none(store: Store, profile_id: str) -> None:
    create_link(store, profile_id, "physio", now=T0)
    assert verify(store, "A" * 43, now=T0) is None


def test_a_link_of_a_missing_profile_is_none(store: Store) -> None:
    token = "B" * 43
    store.con.execute(
        "INSERT INTO share_links VALUES ('l1', 'gone', 'physio', ?, ?, ?, NULL, NULL, NULL)",
        [hash_token(token), T0, T0 + timedelta(days=1)],
    )
    assert verify(store, token, now=T0) is None


class NoQueries:
    """A stand-in connection that fails the test if anything is queried."""

    def execute(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("a malformed token reached the database")


MALFORMED: list[object] = [
    "",
    "A" * 42,
    "A" * 44,
    "A" * 42 + "=",
    "A" * 42 + "+",
    "A" * 42 + "/",
    "A" * 42 + " ",
    " " + "A" * 42,
    "A" * 43 + "\n",
    "Ä" * 43,
    "A" * 21 + "\x00" + "A" * 21,
    "' OR 1=1 --" + "A" * 32,
    None,
    43,
    b"A" * 43,
    ["A" * 43],
]


@pytest.mark.parametrize("token", MALFORMED)
def test_malformed_tokens_are_refused_before_any_query(token: object) -> None:
    assert not is_well_formed(token)
    assert verify(NoQueries(), token, now=T0) is None  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def shared_store() -> Iterator[Store]:
    """One database with three links for every example hypothesis draws (closed at the end)."""
    with Store.open(":memory:") as store:
        pid = factories.profile(store, name="Sam").id
        for _ in range(3):
            create_link(store, pid, "physio", now=T0)
        yield store


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=120),
        st.text(alphabet="ABCxyz019_-=+/ %", min_size=40, max_size=46),
        st.from_regex(r"[A-Za-z0-9_-]{43}", fullmatch=True),
        st.binary(max_size=60),
        st.integers(),
        st.none(),
    )
)
def test_random_strings_never_verify_and_never_raise(shared_store: Store, token: object) -> None:
    assert verify(shared_store, token, now=T0) is None


def test_token_never_appears_in_logs_or_error_text(
    store: Store, profile_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    link, token = create_link(store, profile_id, "physio", now=T0)
    grant = verify(store, token, now=T0)
    assert grant is not None
    record_access(store, grant, now=T0)
    revoke(store, profile_id, link.id, now=T0)
    with pytest.raises(ValueError) as caught:
        share_url("http://localhost:8501", token + "x")
    assert token not in str(caught.value)
    store.close()
    with pytest.raises(duckdb.Error) as closed:
        verify(store, token, now=T0)
    assert token not in str(closed.value)
    assert token not in caplog.text
    assert token not in repr(link) + repr(grant)


# -- revocation --------------------------------------------------------------------------


def test_revoke_works_at_once_and_only_once(store: Store, profile_id: str) -> None:
    link, token = create_link(store, profile_id, "physio", now=T0)
    assert revoke(store, profile_id, link.id, now=T0 + timedelta(minutes=5)) is True
    assert verify(store, token, now=T0 + timedelta(minutes=5)) is None
    # Even a check dated before the revocation: a revoked link stays revoked.
    assert verify(store, token, now=T0) is None
    assert revoke(store, profile_id, link.id, now=T0 + timedelta(minutes=9)) is False
    assert store.con.execute("SELECT revoked_at FROM share_links").fetchall() == [
        (T0 + timedelta(minutes=5),)
    ]


def test_revoking_another_profiles_link_does_nothing(store: Store, profile_id: str) -> None:
    other = factories.profile(store, name="Alex").id
    link, token = create_link(store, profile_id, "physio", now=T0)
    assert revoke(store, other, link.id, now=T0) is False
    assert revoke(store, profile_id, "no-such-link", now=T0) is False
    assert verify(store, token, now=T0) is not None
    assert store.con.execute("SELECT revoked_at FROM share_links").fetchall() == [(None,)]


# -- date range --------------------------------------------------------------------------


def test_access_log_rows_hold_no_token(store: Store, profile_id: str) -> None:
    link, token = create_link(store, profile_id, "physio", now=T0)
    grant = verify(store, token, now=T0)
    assert grant is not None
    first = record_access(store, grant, now=T0 + timedelta(hours=1))
    second = record_access(store, grant, now=T0 + timedelta(hours=2))
    columns = store.con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'share_access_log' ORDER BY ordinal_position"
    ).fetchall()
    assert columns == [("id",), ("link_id",), ("profile_id",), ("opened_at",)]
    assert store.con.execute("SELECT * FROM share_access_log ORDER BY opened_at").fetchall() == [
        (first, link.id, profile_id, T0 + timedelta(hours=1)),
        (second, link.id, profile_id, T0 + timedelta(hours=2)),
    ]


def test_list_links_shows_status_counts_and_last_opening(store: Store, profile_id: str) -> None:
    other = factories.profile(store, name="Alex").id
    create_link(store, other, "their physio", now=T0)
    active, active_token = create_link(
        store, profile_id, "physio", days=30, range_start=date(2026, 10, 1), now=T0
    )
    expired, _ = create_link(store, profile_id, "old GP", days=1, now=T0 - timedelta(days=5))
    revoked, _ = create_link(store, profile_id, "gym", now=T0 - timedelta(days=1))
    grant = verify(store, active_token, now=T0)
    assert grant is not None
    record_access(store, grant, now=T0 + timedelta(hours=1))
    record_access(store, grant, now=T0 + timedelta(hours=3))
    revoke(store, profile_id, revoked.id, now=T0)

    assert list_links(store, profile_id, now=T0 + timedelta(days=1)) == [
        LinkSummary(
            id=active.id,
            profile_id=profile_id,
            recipient="physio",
            created_at=T0,
            expires_at=T0 + timedelta(days=30),
            range_start=date(2026, 10, 1),
            range_end=None,
            revoked_at=None,
            last_opened_at=T0 + timedelta(hours=3),
            times_opened=2,
            status="active",
        ),
        LinkSummary(
            id=revoked.id,
            profile_id=profile_id,
            recipient="gym",
            created_at=T0 - timedelta(days=1),
            expires_at=T0 + timedelta(days=13),
            range_start=None,
            range_end=None,
            revoked_at=T0,
            last_opened_at=None,
            times_opened=0,
            status="revoked",
        ),
        LinkSummary(
            id=expired.id,
            profile_id=profile_id,
            recipient="old GP",
            created_at=T0 - timedelta(days=5),
            expires_at=T0 - timedelta(days=4),
            range_start=None,
            range_end=None,
            revoked_at=None,
            last_opened_at=None,
            times_opened=0,
            status="expired",
        ),
    ]
    # At the expiry instant the active link turns expired.
    statuses = [s.status for s in list_links(store, profile_id, now=T0 + timedelta(days=30))]
    assert statuses == ["expired", "revoked", "expired"]


def test_link_writes_bump_the_data_version_but_an_opening_does_not(
    store: Store, profile_id: str
) -> None:
    before = data_version(profile_id)
    link, token = create_link(store, profile_id, "physio", now=T0)
    grant = verify(store, token, now=T0)
    assert grant is not None
    assert data_version(profile_id) == before + 1  # the new link
    # An opening is logged without a bump: the therapist view built for this version stays
    # valid, so the next opening reads it from the cache instead of building it again.
    record_access(store, grant, now=T0)
    assert data_version(profile_id) == before + 1
    assert list_links(store, profile_id, now=T0)[0].times_opened == 1
    # A revocation bumps it: no view built before is served again.
    revoke(store, profile_id, link.id, now=T0)
    assert data_version(profile_id) == before + 2


# -- URL ---------------------------------------------------------------------------------


def test_share_url() -> None:
    token = "Abc-_" + "x" * 38
    assert share_url(None, token) == f"http://localhost:8501/?share={token}"
    assert share_url("", token) == f"http://localhost:8501/?share={token}"
    assert share_url("https://bot.example.org", token) == (
        f"https://bot.example.org/?share={token}"
    )
    assert share_url(" https://example.org/backontrack/ ", token) == (
        f"https://example.org/backontrack/?share={token}"
    )


@pytest.mark.parametrize(
    "base", ["ftp://example.org", "example.org", "https://", "https://x.org/?a=1", "http://x#y"]
)
def test_share_url_refuses_a_bad_base(base: str) -> None:
    with pytest.raises(ValidationError):
        share_url(base, "A" * 43)


# -- throttle ----------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bad_token_throttle_grows_the_delay() -> None:
    clock = FakeClock()
    throttle = BadTokenThrottle(clock=clock)
    delays = [throttle.record_failure("session-a") for _ in range(10)]
    assert delays == [0.0, 0.0, 0.0, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert throttle.failures("session-a") == 10
    assert throttle.wait_remaining("session-a") == 30.0
    clock.now += 12.5
    assert throttle.wait_remaining("session-a") == 17.5
    # Another browser session is not slowed by the first one.
    assert throttle.record_failure("session-b") == 0.0
    assert throttle.wait_remaining("session-b") == 0.0


def test_bad_token_throttle_forgets_after_a_quiet_spell() -> None:
    clock = FakeClock()
    throttle = BadTokenThrottle(clock=clock)
    for _ in range(5):
        throttle.record_failure("s")
    clock.now += 899.0
    assert throttle.failures("s") == 5
    clock.now += 1.0
    assert (throttle.failures("s"), throttle.wait_remaining("s")) == (0, 0.0)
    assert throttle.record_failure("s") == 0.0
