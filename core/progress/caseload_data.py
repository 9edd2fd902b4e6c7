"""The caseload's numbers for every profile at once: one query per metric, never one per person.

Each figure comes from the set-based twin of the metric the person's own pages use, written
beside it and tested to give the same numbers: :func:`~core.progress.adherence.
weekly_adherence_all` and :func:`~core.progress.adherence.last_session_days` (adherence and
dose), :func:`~core.progress.pain.resting_pain_all` (the 7-day mean and the baseline, judged
by :func:`~core.progress.six_week.six_week_status`), :func:`~core.db.flags.active_flags_all`
and :func:`~core.db.flags.pain_stop_streaks` (exercises), :func:`~core.db.answers.
care_first_all` (warning signs), and :func:`last_updated_all` here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime

import pandas as pd

from core.db.answers import care_first_all
from core.db.flags import active_flags_all, pain_stop_streaks
from core.db.store import Store
from core.domain.days import local_today, monday, programme_week
from core.domain.models import Profile
from core.progress.adherence import last_session_days, weekly_adherence_all
from core.progress.caseload import TARGET_WEEKS, CaseloadRow
from core.progress.pain import resting_pain_all, settled_baseline
from core.progress.queries import PROFILE_DAYS, profile_days, run
from core.progress.six_week import six_week_status

#: Every table's "when was this written" column: the latest is when the records were
#: last updated (an imported file's rows keep the times they were written at home).
_WRITTEN = (
    ("profiles", "updated_at", "id"),
    ("programme_items", "updated_at", "profile_id"),
    ("sessions", "updated_at", "profile_id"),
    ("pain_ratings", "recorded_at", "profile_id"),
    ("weekly_checkins", "recorded_at", "profile_id"),
    ("psfs_scores", "recorded_at", "profile_id"),
    ("exercise_flags", "flagged_at", "profile_id"),
    ("exercise_flags", "cleared_at", "profile_id"),
    ("warning_signs", "reported_at", "profile_id"),
    ("warning_signs", "cleared_at", "profile_id"),
    ("weekly_targets", "recorded_at", "profile_id"),
)


def last_updated_all(store: Store, days: Mapping[str, date]) -> dict[str, date]:
    """The local day each profile's records were last written (one query)."""
    if not days:
        return {}
    written = " UNION ALL ".join(
        f"SELECT {owner} AS profile_id, {column} AS at FROM {table}"
        for table, column, owner in _WRITTEN
    )
    rows = run(
        store,
        f"""
        WITH {PROFILE_DAYS}
        SELECT a.profile_id, CAST(timezone(a.time_zone, max(w.at)) AS DATE)
        FROM asked a JOIN ({written}) w ON w.profile_id = a.profile_id
        GROUP BY a.profile_id, a.time_zone
        """,
        profile_days(days),
    ).fetchall()
    return {str(profile_id): day for profile_id, day in rows}


#: One week of :func:`weekly_adherence_all`: (Monday, sessions, target, done, prescribed).
_Week = tuple[date, int, int, int, int]


def _weeks_by_profile(frame: pd.DataFrame) -> dict[str, list[_Week]]:
    """The weekly rows of every profile as plain tuples (read once, not filtered per person)."""
    weeks: dict[str, list[_Week]] = {}
    columns = ["profile_id", "week_start", "sessions", "target", "done_sets", "prescribed_sets"]
    for profile_id, week, sessions, target, done, prescribed in frame[columns].itertuples(
        index=False, name=None
    ):
        monday_of = week.date() if isinstance(week, datetime) else week
        weeks.setdefault(str(profile_id), []).append(
            (monday_of, int(sessions), int(target), int(done), int(prescribed))
        )
    return weeks


def _weeks_of(weeks: list[_Week], profile: Profile, today: date) -> tuple[int, ...]:
    """(sessions this week, its target, sessions over the last whole weeks since the start,
    their targets, done sets, prescribed sets) from one profile's weekly rows."""
    this_week, started = monday(today), monday(profile.programme_start)
    current = [w for w in weeks if w[0] == this_week]
    whole = [w for w in weeks if started <= w[0] < this_week]
    dosed = [w for w in weeks if w[0] >= started]
    return (
        sum(w[1] for w in current),
        sum(w[2] for w in current) if this_week >= started else 0,
        sum(w[1] for w in whole),
        sum(w[2] for w in whole),
        sum(w[3] for w in dosed),
        sum(w[4] for w in dosed),
    )


def caseload_rows(
    store: Store,
    profiles: Sequence[Profile],
    now: datetime,
    hidden: Collection[str] = (),
) -> list[CaseloadRow]:
    """One row per profile as of ``now`` (each in its own time zone); the profiles in
    ``hidden`` (a PIN not entered) get their name only, and none of their records are read."""
    shown = [p for p in profiles if p.id not in hidden]
    days = {p.id: local_today(p, now) for p in shown}
    weekly = weekly_adherence_all(store, days, TARGET_WEEKS + 1)
    by_profile = _weeks_by_profile(weekly)
    last = last_session_days(store, days)
    pain = resting_pain_all(store, days)
    flags = active_flags_all(store)
    stops = pain_stop_streaks(store)
    warnings = care_first_all(store, shown)
    updated = last_updated_all(store, days)
    rows: list[CaseloadRow] = []
    for profile in profiles:
        if profile.id in hidden:
            today = local_today(profile, now)
            rows.append(CaseloadRow(profile.id, profile.name, today, 0, hidden=True))
            continue
        today = days[profile.id]
        resting = pain[profile.id]
        base = settled_baseline(profile, today, resting.first_week, resting.setup_rating)
        status = six_week_status(store, profile, today, base=base, window=resting.window)
        this_week, target, four, four_target, done, prescribed = _weeks_of(
            by_profile.get(profile.id, []), profile, today
        )
        rows.append(
            CaseloadRow(
                profile_id=profile.id,
                name=profile.name,
                today=today,
                programme_week=programme_week(profile, today),
                last_session=last.get(profile.id),
                sessions_this_week=this_week,
                target_this_week=target,
                sessions_4_weeks=four,
                target_4_weeks=four_target,
                dose_pct=100.0 * done / prescribed if prescribed else None,
                pain_mean=status.current,
                pain_baseline=status.baseline,
                change=status.change,
                flagged=tuple(flags.get(profile.id, ())),
                pain_stops=stops.get(profile.id, {}),
                warning=warnings.get(profile.id),
                last_updated=updated.get(profile.id),
                programme_start=profile.programme_start,
            )
        )
    return rows
