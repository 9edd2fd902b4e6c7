"""What a person tells the app about their health over time: warning signs reported and
cleared, when this episode of back pain began, and the latest severe pain rating.

A warning sign is stored with its tier and time (``warning_signs``). Signs ticked at the
first version's setup live in ``profiles.red_flags`` with one ``red_flags_cleared`` for
all of them; they are read here beside the others, and moved into ``warning_signs`` the
first time one of them is cleared, so that each can be cleared on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.db.store import Store, new_id
from core.domain.course import validate_onset
from core.domain.days import as_utc, utc_now
from core.domain.models import Profile
from core.domain.safety import SIGNS_BY_ID, Tier, WarningSign, is_severe, most_urgent, sign_for
from core.domain.validation import ValidationError


@dataclass(frozen=True)
class ReportedSign:
    """A warning sign the person reported: when, and whether it has been cleared.

    ``from_first_setup`` marks a sign read from ``profiles.red_flags`` (reported when the
    profile was made); ``cleared`` is True once the person confirmed a clinician checked
    them for it (``cleared_at`` is unknown for the first setup's signs).
    """

    sign: WarningSign
    reported_at: datetime
    cleared: bool
    cleared_at: datetime | None
    from_first_setup: bool = False

    @property
    def tier(self) -> Tier:
        return self.sign.tier


def reported_signs(store: Store, profile: Profile) -> list[ReportedSign]:
    """Every warning sign the person reported, oldest first (the first setup's ones first)."""
    created = profile.created_at or utc_now()
    found = [
        ReportedSign(sign_for(flag), created, profile.red_flags_cleared, None, True)
        for flag in profile.red_flags
    ]
    rows = store.con.execute(
        "SELECT sign, reported_at, cleared_at FROM warning_signs WHERE profile_id = ? "
        "ORDER BY reported_at, id",
        [profile.id],
    ).fetchall()
    for sign, reported_at, cleared_at in rows:
        cleared = None if cleared_at is None else as_utc(cleared_at)
        found.append(
            ReportedSign(sign_for(str(sign)), as_utc(reported_at), cleared is not None, cleared)
        )
    return found


def open_signs(store: Store, profile: Profile) -> list[ReportedSign]:
    """The reported signs no clinician has checked yet, most urgent first, then oldest."""
    signs = [sign for sign in reported_signs(store, profile) if not sign.cleared]
    return sorted(signs, key=lambda sign: (sign.tier != "emergency", sign.reported_at))


def care_first(store: Store, profile: Profile) -> Tier | None:
    """The most urgent tier among the open signs: medical help before any exercise."""
    return most_urgent([sign.tier for sign in open_signs(store, profile)])


def report_signs(
    store: Store, profile: Profile, sign_ids: Iterable[str], *, now: datetime | None = None
) -> int:
    """Record warning signs reported now (from Today or Settings); how many were new.

    A sign already open is not recorded twice.
    """
    wanted = list(dict.fromkeys(sign_ids))
    if not wanted:
        raise ValidationError("Tick the sign or signs you have first.")
    unknown = [sign_id for sign_id in wanted if sign_id not in SIGNS_BY_ID]
    if unknown:
        raise ValidationError(f"Unknown warning sign {unknown[0]!r}.")
    already = {sign.sign.id for sign in open_signs(store, profile)}
    new = [sign_id for sign_id in wanted if sign_id not in already]
    stamp = now or utc_now()
    with store.writing(profile.id, atomic=True):
        for sign_id in new:
            store.con.execute(
                "INSERT INTO warning_signs (id, profile_id, sign, tier, reported_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [new_id(), profile.id, sign_id, SIGNS_BY_ID[sign_id].tier, stamp],
            )
    return len(new)


def clear_sign(
    store: Store, profile: Profile, sign_id: str, *, now: datetime | None = None
) -> None:
    """The person confirms a clinician has checked them for this sign: it no longer stops
    exercise. The first setup's signs move into ``warning_signs`` first (all of them, so
    the others stay open), in the same transaction."""
    stamp = now or utc_now()
    with store.writing(profile.id, atomic=True):
        if profile.red_flags and not profile.red_flags_cleared:
            for flag in profile.red_flags:
                store.con.execute(
                    "INSERT INTO warning_signs (id, profile_id, sign, tier, reported_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [new_id(), profile.id, flag, sign_for(flag).tier, profile.created_at or stamp],
                )
            store.con.execute(
                "UPDATE profiles SET red_flags = '', updated_at = ? WHERE id = ?",
                [stamp, profile.id],
            )
        store.con.execute(
            "UPDATE warning_signs SET cleared_at = ? "
            "WHERE profile_id = ? AND sign = ? AND cleared_at IS NULL",
            [stamp, profile.id, sign_id],
        )


def set_pain_onset(
    store: Store, profile: Profile, kind: str | None, day: date | None, *, today: date
) -> Profile:
    """Save when this episode of back pain began (see core.domain.course)."""
    onset = validate_onset(kind, day, today=today)
    with store.writing(profile.id):
        store.con.execute(
            "UPDATE profiles SET pain_onset = ?, pain_onset_date = ?, updated_at = ? WHERE id = ?",
            [*onset, utc_now(), profile.id],
        )
    return store.get_profile(profile.id)


@dataclass(frozen=True)
class SevereRating:
    """The latest pain rating of the day when it was severe: what to do comes first."""

    pain: int
    kind: str
    at: datetime


def severe_rating_today(store: Store, profile: Profile, today: date) -> SevereRating | None:
    """The person's latest rating, if it was given on local day ``today`` and is severe.

    Any kind counts (before, after, during an exercise, a check-in); a later rating below
    the threshold ends it, and so does the next day.
    """
    zone = ZoneInfo(profile.time_zone)
    start, end = (datetime.combine(day, time(), zone) for day in (today, today + timedelta(1)))
    row = store.con.execute(
        "SELECT pain, kind, recorded_at FROM pain_ratings WHERE profile_id = ? "
        "AND recorded_at >= ? AND recorded_at < ? ORDER BY recorded_at DESC, id DESC LIMIT 1",
        [profile.id, start, end],
    ).fetchone()
    if row is None or not is_severe(int(row[0])):
        return None
    return SevereRating(int(row[0]), str(row[1]), as_utc(row[2]))


def care_first_all(store: Store, profiles: Iterable[Profile]) -> dict[str, Tier]:
    """:func:`care_first` of many profiles in one query: profile id -> the most urgent tier
    among its open warning signs (profiles without one are left out)."""
    tiers: dict[str, list[Tier]] = {
        p.id: [sign_for(flag).tier for flag in p.red_flags] if not p.red_flags_cleared else []
        for p in profiles
    }
    rows = store.con.execute(
        "SELECT profile_id, list(DISTINCT sign) FROM warning_signs WHERE cleared_at IS NULL "
        "GROUP BY profile_id"
    ).fetchall()
    for profile_id, signs in rows:
        if str(profile_id) in tiers:
            tiers[str(profile_id)].extend(sign_for(str(sign)).tier for sign in signs)
    found = {profile_id: most_urgent(found) for profile_id, found in tiers.items()}
    return {profile_id: tier for profile_id, tier in found.items() if tier is not None}
