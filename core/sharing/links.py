"""Share links for a therapist: create, verify, revoke, list, and the access log.

A link carries a random token (``secrets.token_urlsafe(32)``: 32 random bytes, 256 bits,
43 URL-safe characters). The database keeps only the token's SHA-256 hash, so a copy of
the database file does not open any link. The raw token is returned once, by
:func:`create_link`, and is never logged, stored, or put in an exception message.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from core.db.store import Store, new_id
from core.domain.days import as_utc, utc_now
from core.domain.validation import ValidationError, validate_date, validate_line, validate_whole
from core.domain.wording import format_day

TOKEN_BYTES = 32
TOKEN_CHARS = 43  # base64url of 32 bytes, without padding
DEFAULT_DAYS = 14
MAX_DAYS = 90
RECIPIENT_MAX_CHARS = 80
DEFAULT_BASE_URL = "http://localhost:8501"
QUERY_PARAM = "share"

LinkStatus = Literal["active", "expired", "revoked"]

_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


@dataclass(frozen=True)
class ShareLink:
    """A share link as stored (no token and no hash)."""

    id: str
    profile_id: str
    recipient: str
    created_at: datetime
    expires_at: datetime
    range_start: date | None
    range_end: date | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class ShareGrant:
    """What a valid token allows: one profile's data, within the link's date range."""

    profile_id: str
    link_id: str
    recipient: str
    expires_at: datetime
    range_start: date | None
    range_end: date | None


@dataclass(frozen=True)
class LinkSummary(ShareLink):
    """One row of the owner's list of links, with how often and when it was opened."""

    last_opened_at: datetime | None
    times_opened: int
    status: LinkStatus


def _now(now: datetime | None) -> datetime:
    if now is None:
        return utc_now()
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime.")
    return now.astimezone(UTC)


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored in place of the token.

    A plain, unsalted, fast hash is enough here, unlike for a passphrase: the token has
    256 bits of entropy, so there is no dictionary to try and a brute-force search over
    2**256 candidates is out of reach however fast each hash is. Salting or stretching
    would add nothing, and a deterministic hash lets :func:`verify` look the link up by
    an indexed equality.
    """
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def is_well_formed(token: object) -> bool:
    """True for a string shaped like our tokens: 43 characters of ``A-Z a-z 0-9 _ -``."""
    return isinstance(token, str) and _TOKEN_PATTERN.fullmatch(token) is not None


def validate_recipient(value: object) -> str:
    """Who the link is for: one line (:func:`validate_line`) of 1-80 characters."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("Name who the link is for, for example “my physio”.")
    return validate_line(value, what="the recipient", max_chars=RECIPIENT_MAX_CHARS)


def validate_days(value: object) -> int:
    """How many days a link stays valid: a whole number from 1 to MAX_DAYS."""
    return validate_whole(
        value,
        1,
        MAX_DAYS,
        f"A link can be valid for 1 to {MAX_DAYS} days (a whole number); got {value!r}.",
    )


def create_link(
    store: Store,
    profile_id: str,
    recipient: str,
    *,
    days: int = DEFAULT_DAYS,
    range_start: date | None = None,
    range_end: date | None = None,
    now: datetime | None = None,
) -> tuple[ShareLink, str]:
    """Create a link for ``recipient`` valid ``days`` days; return it and the raw token.

    The token is returned only here: show it to the owner once (in the URL) and drop it.
    ``range_start``/``range_end`` (either may be None for an open end) limit the dates
    the therapist view shows.
    """
    clean_recipient = validate_recipient(recipient)
    valid_days = validate_days(days)
    start = None if range_start is None else validate_date(range_start, what="start date")
    end = None if range_end is None else validate_date(range_end, what="end date")
    if start is not None and end is not None and start > end:
        raise ValidationError(
            f"The date range starts on {start:%Y-%m-%d}, after it ends on {end:%Y-%m-%d}. "
            "Swap the dates."
        )
    exists = store.con.execute(
        "SELECT count(*) FROM profiles WHERE id = ?", [profile_id]
    ).fetchall()
    if not exists or exists[0][0] == 0:
        raise KeyError(f"No profile {profile_id!r}.")
    created = _now(now)
    expires = created + timedelta(days=valid_days)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ShareLink(
        id=new_id(),
        profile_id=profile_id,
        recipient=clean_recipient,
        created_at=created,
        expires_at=expires,
        range_start=start,
        range_end=end,
        revoked_at=None,
    )
    row = [link.id, profile_id, clean_recipient, hash_token(token), created, expires, start, end]
    with store.writing(profile_id):
        store.con.execute(
            "INSERT INTO share_links (id, profile_id, recipient, token_hash, created_at, "
            "expires_at, range_start, range_end, revoked_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            row,
        )
    return link, token


def verify(store: Store, token: object, *, now: datetime | None = None) -> ShareGrant | None:
    """The grant a token gives, or None if it is unknown, malformed, expired or revoked.

    A malformed token is refused before any query. The lookup is by the token's hash,
    so the query's timing can reveal at most something about a hash, never about a
    token; the stored hash is then compared in constant time. A link is expired from
    its ``expires_at`` instant on (``expires_at == now`` is expired). The page shows
    one neutral message for every None, whatever the reason.
    """
    if not is_well_formed(token):
        return None
    digest = hash_token(token)  # type: ignore[arg-type]
    rows = store.con.execute(
        "SELECT l.token_hash, l.id, l.profile_id, l.recipient, l.expires_at, l.range_start, "
        "l.range_end, l.revoked_at FROM share_links AS l "
        "JOIN profiles AS p ON p.id = l.profile_id WHERE l.token_hash = ?",
        [digest],
    ).fetchall()
    row = rows[0] if rows else None
    if row is None or not hmac.compare_digest(str(row[0]), digest):
        return None
    expires_at = _utc(row[4])
    if row[7] is not None or expires_at is None or expires_at <= _now(now):
        return None
    return ShareGrant(
        profile_id=str(row[2]),
        link_id=str(row[1]),
        recipient=str(row[3]),
        expires_at=expires_at,
        range_start=row[5],
        range_end=row[6],
    )


def record_access(store: Store, grant: ShareGrant, *, now: datetime | None = None) -> str:
    """Log one opening of a link (its id, the profile and the time; never the token).

    The profile's data version is left alone: the log is shown on no cached page, and a
    bump would make every opening of a share link rebuild the therapist view.
    """
    access_id = new_id()
    with store.writing():
        store.con.execute(
            "INSERT INTO share_access_log (id, link_id, profile_id, opened_at) VALUES (?, ?, ?, ?)",
            [access_id, grant.link_id, grant.profile_id, _now(now)],
        )
    return access_id


def list_links(store: Store, profile_id: str, *, now: datetime | None = None) -> list[LinkSummary]:
    """The profile's links, newest first, with last opening, times opened and status."""
    rows = store.con.execute(
        "SELECT l.id, l.recipient, l.created_at, l.expires_at, l.range_start, l.range_end, "
        "l.revoked_at, max(a.opened_at) AS last_opened_at, count(a.id) AS times_opened, "
        "CASE WHEN l.revoked_at IS NOT NULL THEN 'revoked' "
        "WHEN l.expires_at <= ? THEN 'expired' ELSE 'active' END AS status "
        "FROM share_links AS l LEFT JOIN share_access_log AS a "
        "ON a.link_id = l.id AND a.profile_id = l.profile_id "
        "WHERE l.profile_id = ? "
        "GROUP BY l.id, l.recipient, l.created_at, l.expires_at, l.range_start, l.range_end, "
        "l.revoked_at ORDER BY l.created_at DESC, l.id",
        [_now(now), profile_id],
    ).fetchall()
    return [
        LinkSummary(
            id=str(r[0]),
            profile_id=profile_id,
            recipient=str(r[1]),
            created_at=_utc(r[2]),  # type: ignore[arg-type]
            expires_at=_utc(r[3]),  # type: ignore[arg-type]
            range_start=r[4],
            range_end=r[5],
            revoked_at=_utc(r[6]),
            last_opened_at=_utc(r[7]),
            times_opened=int(r[8]),
            status=r[9],
        )
        for r in rows
    ]


def revoke(store: Store, profile_id: str, link_id: str, *, now: datetime | None = None) -> bool:
    """Revoke one of the profile's links at once; False if it is not theirs or already revoked."""
    with store.writing(profile_id):
        revoked = store.con.execute(
            "UPDATE share_links SET revoked_at = ? "
            "WHERE id = ? AND profile_id = ? AND revoked_at IS NULL RETURNING id",
            [_now(now), link_id, profile_id],
        ).fetchall()
    return bool(revoked)


def share_url(base_url: str | None, token: str) -> str:
    """The link to send: ``<base>/?share=<token>`` (base defaults to DEFAULT_BASE_URL)."""
    base = (base_url or DEFAULT_BASE_URL).strip()
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(
            "The public address must start with http:// or https:// and name a host, "
            "for example https://backontrack.example.org."
        )
    if parts.query or parts.fragment:
        raise ValidationError("The public address cannot contain '?' or '#'.")
    if not is_well_formed(token):
        raise ValueError("share_url needs a token made by create_link.")
    return f"{base.rstrip('/')}/?{QUERY_PARAM}={token}"


def shared_header(name: str, expires_at: datetime, time_zone: str) -> str:
    """The therapist view's header: "Shared by Ann, read-only, link expires Tue 8 Dec 2026"."""
    who = name.strip() or "your patient"
    expires = expires_at.astimezone(ZoneInfo(time_zone))
    return f"Shared by {who}, read-only, link expires {format_day(expires.date())}"


def range_words(start: date | None, end: date | None) -> str:
    """A link's date range in words: "all dates", "from …", "until …" or "… to …"."""
    if start is None and end is None:
        return "all dates"
    if end is None:
        return f"from {format_day(start)}"  # type: ignore[arg-type]
    if start is None:
        return f"until {format_day(end)}"
    return f"{format_day(start)} to {format_day(end)}"
