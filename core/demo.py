"""Demo data: a realistic, deterministic profile for screenshots, tests and the benchmark.

``python -m core.demo --db data/demo.duckdb --seed 7`` fills a database with eight weeks
of sessions (with gaps and a missed week), pain falling noisily from about 6 to about 3,
two exercises that sometimes provoke pain, and pain check-ins between sessions.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from core.db.store import Store, StoreError, new_id
from core.domain.catalog import Catalog, default_catalog, programme_item
from core.domain.models import Profile
from core.domain.safety import FLAG_REASON, PAIN_STOPS_TO_FLAG
from core.domain.session_plan import Step, build_plan, prescribed_counts

DEMO_PROGRAMME: tuple[str, ...] = (
    "hip-flexor-stretch",
    "cat-cow",
    "knee-to-chest",
    "supine-core",
    "bridge",
    "side-bridge",
    "bird-dog",
    "prone-cobras",
)
PROVOKING: tuple[str, ...] = ("side-bridge", "prone-cobras")
#: The demo's back pain began three weeks before the programme: acute, so the pain chart
#: shows the acute cohorts' average course.
DEMO_ONSET_WEEKS_BEFORE_START = 3
TAP_REP_S = 3.0


@dataclass(frozen=True)
class DemoSummary:
    """What the generator wrote, for the command's output and for tests."""

    profile_id: str
    sessions: int
    set_records: int
    pain_ratings: int


def _session_days(rng: random.Random, start: date, weeks: int) -> list[date]:
    """Days with a session: about four a week, one thin week, a few single gaps."""
    days: list[date] = []
    thin_week = rng.randrange(2, max(3, weeks - 1))
    for week in range(weeks):
        per_week = 1 if week == thin_week else rng.choice((3, 4, 4, 5, 5))
        chosen = sorted(rng.sample(range(7), per_week))
        days.extend(start + timedelta(days=7 * week + offset) for offset in chosen)
    return days


def _expected_pain(progress: float) -> float:
    return 6.0 - 3.0 * progress


def _clamp_pain(value: float) -> int:
    return max(0, min(10, round(value)))


def generate(
    store: Store,
    *,
    seed: int = 7,
    weeks: int = 8,
    today: date | None = None,
    time_zone: str = "Europe/London",
    name: str = "Sam",
    catalog: Catalog | None = None,
    programme: tuple[str, ...] = DEMO_PROGRAMME,
    now: datetime | None = None,
) -> DemoSummary:
    """Add one demo profile ending ``today`` to the store; the same seed gives the same rows.

    No record is later than ``now``: by default the moment the demo is made, or the end of
    ``today`` when only that is given (a demo as of that day). A session that would end
    later is left out whole, with its sets and ratings.
    """
    catalog = catalog or default_catalog()
    rng = random.Random(seed)
    zone = ZoneInfo(time_zone)
    if now is None and today is not None:
        now = datetime.combine(today + timedelta(days=1), time(0, 0), zone).astimezone(UTC)
    now = now or datetime.now(UTC)
    end = today or now.astimezone(zone).date()
    start = end - timedelta(weeks=weeks) + timedelta(days=1)
    created = datetime.combine(start, time(8, 0), zone).astimezone(UTC)
    profile = store.create_profile(
        name=name,
        time_zone=time_zone,
        weekly_target=5,
        programme_start=start,
        recent_surgery=False,
        setup_pain=6,
        pain_onset="date",
        pain_onset_date=start - timedelta(weeks=DEMO_ONSET_WEEKS_BEFORE_START),
        now=created,
    )
    items = [programme_item(catalog.get(exercise_id)) for exercise_id in programme]
    store.save_programme(profile.id, items)
    plan = build_plan([(catalog.get(item.exercise_id), item) for item in items])
    plan_json = [asdict(item) for item in items]

    prescribed = prescribed_counts(plan)
    session_rows: list[dict[str, object]] = []
    prescription_rows: list[dict[str, object]] = []
    set_rows: list[dict[str, object]] = []
    pain_rows: list[dict[str, object]] = []
    total_days = max(1, (end - start).days)
    days = [day for day in _session_days(rng, start, weeks) if day <= end]

    def pain_row(at: datetime, pain: int, kind: str, **extra: object) -> None:
        pain_rows.append(
            {
                "id": new_id(),
                "profile_id": profile.id,
                "recorded_at": at,
                "pain": pain,
                "kind": kind,
                "session_id": extra.get("session_id"),
                "exercise_id": extra.get("exercise_id"),
                "note": extra.get("note", ""),
                "is_flare": bool(extra.get("is_flare", False)),
            }
        )

    stops_in_a_row: dict[str, int] = {}
    flag_rows: list[dict[str, object]] = []
    for day in days:
        progress = (day - start).days / total_days
        hour = rng.choice((7, 8, 12, 18, 19))
        started = datetime.combine(day, time(hour, rng.randrange(60)), zone).astimezone(UTC)
        session_id = new_id()
        before = _clamp_pain(_expected_pain(progress) + rng.gauss(0, 0.9))
        pain_row(started, before, "before", session_id=session_id)
        partial = rng.random() < 0.12
        stop_at = rng.randrange(len(plan) // 2, len(plan)) if partial else len(plan)
        clock = started + timedelta(seconds=5)
        status = "partial" if partial else "completed"
        hurt_exercise: str | None = None
        stopped_item: int | None = None
        for step in plan[:stop_at]:
            if stopped_item is not None and step.item_index == stopped_item:
                set_rows.append(_set_row(profile, session_id, step, clock, 0.0, "skipped"))
                continue
            length = _step_length(step)
            provoked = (
                step.exercise_id in PROVOKING
                and hurt_exercise is None
                and rng.random() < 0.04 * (1.2 - progress)
            )
            if provoked:
                held = round(length * rng.uniform(0.2, 0.8), 1)
                set_rows.append(
                    _set_row(profile, session_id, step, clock, held, "stopped_for_pain")
                )
                clock += timedelta(seconds=held)
                hurt_exercise, stopped_item = step.exercise_id, step.item_index
                pain_row(
                    clock,
                    _clamp_pain(before + rng.choice((1, 2))),
                    "exercise",
                    session_id=session_id,
                    exercise_id=step.exercise_id,
                )
                continue
            set_rows.append(_set_row(profile, session_id, step, clock, length, "done"))
            clock += timedelta(seconds=length + step.rest_after_s)
        ended = clock + timedelta(seconds=20)
        after = _clamp_pain(before - rng.choice((0, 1, 1, 2)))
        pain_row(ended, after, "after", session_id=session_id)
        if hurt_exercise is not None and status == "completed":
            status = "stopped_for_pain" if rng.random() < 0.3 else "completed"
        notes = rng.choice(("", "", "", "Felt stiff this morning.", "Easier than last time."))
        prescription_rows.extend(
            {
                "session_id": session_id,
                "profile_id": profile.id,
                "exercise_id": exercise_id,
                "side": side,
                "prescribed": count,
            }
            for (exercise_id, side), count in sorted(prescribed.items())
        )
        # The Session page's rule: stopped for pain in PAIN_STOPS_TO_FLAG sessions in a row
        # (every demo session prescribes every exercise) sets the exercise aside. The demo's
        # person then talks to their therapist, who clears it an hour before the next
        # session (which includes it again); the last session's flag stays open.
        for row in flag_rows:
            if row["cleared_at"] is None:
                row["cleared_at"] = started - timedelta(hours=1)
        for exercise_id in programme:
            stopped = exercise_id == hurt_exercise
            stops_in_a_row[exercise_id] = stops_in_a_row.get(exercise_id, 0) + 1 if stopped else 0
            if stops_in_a_row[exercise_id] == PAIN_STOPS_TO_FLAG:
                stops_in_a_row[exercise_id] = 0
                flag_rows.append(
                    {
                        "profile_id": profile.id,
                        "exercise_id": exercise_id,
                        "flagged_at": ended,
                        "reason": FLAG_REASON,
                        "cleared_at": None,
                    }
                )
        session_rows.append(
            {
                "id": session_id,
                "profile_id": profile.id,
                "active_profile_id": None,
                "started_at": started,
                "ended_at": ended,
                "status": status,
                "source": "programme",
                "plan_json": json.dumps(plan_json),
                "prescribed_sets": len(plan),
                "notes": notes,
                "updated_at": ended,
            }
        )

    for day_offset in range(0, (end - start).days + 1, 2):
        day = start + timedelta(days=day_offset)
        progress = day_offset / total_days
        at = datetime.combine(day, time(21, rng.randrange(60)), zone).astimezone(UTC)
        flare = rng.random() < 0.04
        level = _expected_pain(progress) + rng.gauss(0, 1.0) + (2.5 if flare else 0.0)
        pain_row(
            at,
            _clamp_pain(level),
            "checkin",
            note="Flare-up after lifting." if flare else "",
            is_flare=flare,
        )

    late = {row["id"] for row in session_rows if row["ended_at"] > now}  # type: ignore[operator]
    session_rows = [row for row in session_rows if row["id"] not in late]
    prescription_rows = [row for row in prescription_rows if row["session_id"] not in late]
    set_rows = [row for row in set_rows if row["session_id"] not in late]
    pain_rows = [
        row
        for row in pain_rows
        if row["session_id"] not in late and row["recorded_at"] <= now  # type: ignore[operator]
    ]
    flag_rows = [row for row in flag_rows if row["flagged_at"] <= now]  # type: ignore[operator]
    for row in flag_rows:
        if row["cleared_at"] is not None and row["cleared_at"] > now:  # type: ignore[operator]
            row["cleared_at"] = None
    store.insert_frame("sessions", pd.DataFrame(session_rows))
    store.insert_frame("session_prescriptions", pd.DataFrame(prescription_rows))
    store.insert_frame("set_records", pd.DataFrame(set_rows))
    store.insert_frame("pain_ratings", pd.DataFrame(pain_rows))
    store.insert_frame("exercise_flags", pd.DataFrame(flag_rows))
    return DemoSummary(
        profile_id=profile.id,
        sessions=len(session_rows),
        set_records=len(set_rows),
        pain_ratings=len(pain_rows) + 1,
    )


def _step_length(step: Step) -> float:
    return float(step.duration_s) if step.kind != "tap" else TAP_REP_S


def _set_row(
    profile: Profile, session_id: str, step: Step, at: datetime, held: float, status: str
) -> dict[str, object]:
    return {
        "session_id": session_id,
        "profile_id": profile.id,
        "step_index": step.index,
        "exercise_id": step.exercise_id,
        "side": step.side,
        "rep": step.rep,
        "kind": step.kind,
        "prescribed_s": float(step.duration_s),
        "duration_s": held,
        "status": status,
        "started_at": at,
        "completed_at": at + timedelta(seconds=held),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: fill a database with one demo profile."""
    parser = argparse.ArgumentParser(prog="python -m core.demo", description=__doc__)
    parser.add_argument("--db", help="database path (default: $BACKONTRACK_DB or data/)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--today", type=date.fromisoformat, help="last day, YYYY-MM-DD")
    parser.add_argument(
        "--add", action="store_true", help="add to a database that already has profiles"
    )
    args = parser.parse_args(argv)
    try:
        store = Store.open(args.db)
    except StoreError as error:
        print(error, file=sys.stderr)
        return 1
    with store:
        if store.list_profiles() and not args.add:
            print(
                "This database already has a profile; pass --add to add the demo profile too.",
                file=sys.stderr,
            )
            return 1
        summary = generate(store, seed=args.seed, weeks=args.weeks, today=args.today)
    print(
        f"Demo profile {summary.profile_id}: {summary.sessions} sessions, "
        f"{summary.set_records} sets, {summary.pain_ratings} pain ratings."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
