"""Records for tests, built only through the public Store and core API (never raw SQL).

Every function takes the store to write to and returns what a test needs next: the
profile, a session's id, a rating's id, the saved check-in. Defaults are fixed values, so a
record built twice is the same record; pass keyword overrides for anything a test is about.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

from core.db.checkins import WeeklyCheckin, psfs_activities, save_checkin, set_psfs_activities
from core.db.rows import SessionRow, SetRecord
from core.db.store import Store
from core.domain.models import Profile, ProgrammeItem
from core.progress.six_week import SixWeekStatus

#: The default programme start: a Monday, so programme weeks are calendar weeks.
PROGRAMME_START = date(2026, 3, 2)
#: When a set starts unless the test says otherwise.
SET_START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def profile(
    store: Store,
    *,
    name: str = "Ann",
    time_zone: str = "Europe/London",
    programme_start: date = PROGRAMME_START,
    recent_surgery: bool = False,
    programme: Sequence[ProgrammeItem] | None = None,
    **overrides: object,
) -> Profile:
    """A profile (Ann in London, no surgery, starting on PROGRAMME_START), and its programme
    when one is given. ``overrides`` go to ``Store.create_profile`` (weekly_target,
    red_flags, setup_pain, now)."""
    made = store.create_profile(
        name=name,
        time_zone=time_zone,
        programme_start=programme_start,
        recent_surgery=recent_surgery,
        **overrides,  # type: ignore[arg-type]
    )
    if programme is not None:
        store.save_programme(made.id, list(programme))
    return made


def a_set(
    session_id: str,
    step_index: int,
    *,
    exercise_id: str = "knee-to-chest",
    side: str = "right",
    status: str = "done",
    kind: str = "hold",
    prescribed_s: float = 20.0,
    duration_s: float | None = None,
    started_at: datetime = SET_START,
) -> SetRecord:
    """One hold of a session (its repetition number is ``step_index + 1``).

    A done hold lasts its prescribed time and any other lasts none, unless ``duration_s``
    says otherwise; it completes that long after it started.
    """
    if duration_s is None:
        duration_s = prescribed_s if status == "done" else 0.0
    return SetRecord(
        session_id=session_id,
        step_index=step_index,
        exercise_id=exercise_id,
        side=side,
        rep=step_index + 1,
        kind=kind,
        prescribed_s=prescribed_s,
        duration_s=duration_s,
        status=status,
        started_at=started_at,
        completed_at=started_at + timedelta(seconds=duration_s),
    )


def session(
    store: Store,
    profile: Profile,
    when: datetime,
    sets: Sequence[tuple[str, str, str]] = (),
    *,
    status: str = "completed",
    prescribed: Mapping[tuple[str, str], int] | None = None,
    notes: str = "",
    finish: bool = True,
) -> str:
    """A session started at ``when`` with one 10-second hold per (exercise id, side, status)
    in ``sets``, 20 seconds apart; its id.

    It prescribes the sets it has unless ``prescribed`` says otherwise, and ends 20 minutes
    after it started with ``status`` and ``notes``; with ``finish=False`` it is still running.
    """
    counts = prescribed if prescribed is not None else Counter((e, s) for e, s, _ in sets)
    session_id = store.start_session(profile.id, [], prescribed=dict(counts), now=when)
    for index, (exercise_id, side, set_status) in enumerate(sets):
        store.record_set(
            profile.id,
            a_set(
                session_id,
                index,
                exercise_id=exercise_id,
                side=side,
                status=set_status,
                prescribed_s=10.0,
                started_at=when + timedelta(seconds=20 * index),
            ),
        )
    if finish:
        store.finish_session(
            profile.id, session_id, status=status, notes=notes, now=when + timedelta(minutes=20)
        )
    return session_id


def rating(
    store: Store,
    profile: Profile,
    pain: int,
    when: datetime,
    kind: str = "checkin",
    **extra: object,
) -> str:
    """A 0-10 pain rating at ``when`` (a check-in unless ``kind`` says otherwise); its id.
    ``extra`` goes to ``Store.add_pain_rating`` (note, session_id, exercise_id, is_flare)."""
    return store.add_pain_rating(profile.id, pain, kind=kind, recorded_at=when, **extra)  # type: ignore[arg-type]


def checkin(
    store: Store,
    profile: Profile,
    week_start: date,
    *,
    pgic: int | None = None,
    scores: Mapping[str, int] | None = None,
    note: str = "",
    today: date | None = None,
    now: datetime | None = None,
) -> WeeklyCheckin:
    """The weekly check-in of the week starting on Monday ``week_start``, saved and returned.

    ``scores`` rates activities by name: when those names are not all among the profile's
    current PSFS activities, the activities become exactly these names, in this order.
    ``today`` is the week's Sunday unless given (a check-in is about a week lived).
    """
    by_id: dict[str, int] | None = None
    if scores:
        current = {activity.name: activity.id for activity in psfs_activities(store, profile.id)}
        if not set(scores) <= set(current):
            named = set_psfs_activities(store, profile.id, list(scores), now=now)
            current = {activity.name: activity.id for activity in named}
        by_id = {current[name]: score for name, score in scores.items()}
    return save_checkin(
        store,
        profile,
        week_start,
        pgic=pgic,
        scores=by_id,
        note=note,
        today=today or week_start + timedelta(days=6),
        now=now,
    )


def sessions_of(store: Store, profile_id: str) -> list[SessionRow]:
    """Every session of the profile, newest first (what the tests inspect after a run)."""
    ids = store.con.execute(
        "SELECT id FROM sessions WHERE profile_id = ? ORDER BY started_at DESC, id", [profile_id]
    ).fetchall()
    return [store.get_session(profile_id, session_id) for (session_id,) in ids]


def every_table(store: Store, profile: Profile, *, at: datetime = SET_START) -> None:
    """At least one row of ``profile`` in every table of the schema (what a test of deleting
    or copying everything starts from): a programme, a session stopped for pain with its
    rating, an exercise flag, a weekly check-in with PSFS, a share link opened once, a PIN
    and a warning sign."""
    from core.db.answers import report_signs
    from core.db.flags import flag_exercise
    from core.sharing.links import create_link, record_access, verify
    from core.sharing.pins import set_pin

    store.save_programme(profile.id, [ProgrammeItem("knee-to-chest", 1, 20)])
    stopped = [("side-bridge", "left", "stopped_for_pain")]
    started = session(store, profile, at, stopped, status="stopped_for_pain")
    rating(store, profile, 5, at, kind="before", session_id=started)
    flag_exercise(store, profile.id, "side-bridge", reason="test", now=at)
    monday = at.date() - timedelta(days=at.weekday())
    checkin(store, profile, monday, pgic=3, scores={"Socks": 4, "Stairs": 5, "Bus": 6})
    _, token = create_link(store, profile.id, "physio", now=at)
    grant = verify(store, token, now=at)
    assert grant is not None
    record_access(store, grant, now=at)
    set_pin(store, profile.id, "2468", repeated="2468", iterations=1_000)
    report_signs(store, profile, ["night_pain"], now=at)


def six_week(
    base: float | None, *, as_of: date, fraction: float = 0.3, points: float = 2.0
) -> SixWeekStatus:
    """A six-week status with only a baseline and the thresholds a chart draws from it
    (``fraction`` and ``points`` below ``base``), for chart tests."""
    return SixWeekStatus(
        as_of=as_of,
        week=5,
        state="compared",
        line="",
        next_step="",
        tone="info",
        baseline=base,
        baseline_source="first_week" if base is not None else None,
        current=None,
        current_ratings=0,
        reduction=None,
        reduction_pct=None,
        change=None,
        meaningful=False,
        two_points=False,
        threshold_30=None if base is None else base * (1 - fraction),
        threshold_2=None if base is None else base - points,
        mic_fraction=fraction,
        mic_points=points,
    )
