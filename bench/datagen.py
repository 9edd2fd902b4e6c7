"""Bulk benchmark data written by DuckDB SQL (``INSERT ... SELECT`` over ``range()``).

Python loops cannot write the clinic file (about 20 million set rows) in reasonable time,
so every row here is made by DuckDB: profiles x days x plan steps, with deterministic
noise from ``hash()`` of the seed and the row's coordinates. The rows are shaped like the
app's own: each session keeps its plan snapshot and per-(exercise, side) prescriptions,
sets carry their real exercise ids, sides, kinds and prescribed seconds (from
:func:`core.session.build_plan`), and the pain ratings cover every kind (setup, before,
after, check-in, during an exercise), with flare-ups, notes, weekly PGIC answers and PSFS
scores.

Profile ``i`` gets the same rows whatever the number of profiles, so a file holding
profile 0 only is the clinic file's profile 0 alone. Rows are inserted in time order, as
the app writes them, so a clinic file interleaves its profiles the way a real one does.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

from core.db.schema import TABLES
from core.db.store import Store
from core.domain.catalog import default_catalog, programme_item
from core.domain.models import ProgrammeItem
from core.domain.session_plan import build_plan, prescribed_counts

#: The whole programme (all 17 exercises of the "full" preset), at a lighter everyday dose
#: (reps within each exercise's bounds): 60 holds and repetitions a session, which gives
#: the issue's ~100,000 set rows for 5 years of daily sessions and ~20 million for
#: 1,000 profiles x 1 year. The preset's default dose (198 a session) would be 3.6x that.
BENCH_REPS: dict[str, int] = {
    "hip-flexor-stretch": 1,
    "hip-adductor-stretch": 1,
    "hamstring-stretch": 1,
    "glute-stretch": 1,
    "cat-cow": 6,
    "side-to-side": 6,
    "figure-4": 1,
    "knee-to-chest": 1,
    "childs-pose": 1,
    "supine-core": 6,
    "supine-core-leg-draw": 3,
    "press-ups": 3,
    "prone-cobras": 3,
    "bridge": 6,
    "side-bridge": 2,
    "bird-dog": 6,
    "prone-bridge": 1,
}
PROVOKING: tuple[str, ...] = ("side-bridge", "prone-cobras")
TIME_ZONES: tuple[str, ...] = (
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Australia/Sydney",
    "Asia/Kolkata",
)
TAP_REP_S = 3.0
PSFS_NAMES: tuple[str, ...] = ("Putting on socks", "Sitting for an hour", "Carrying shopping")
SESSION_NOTES: tuple[str, ...] = (
    "Felt stiff this morning.",
    "Easier than last time.",
    "Short on time, went quickly.",
    "Back felt warm and loose afterwards.",
)


@dataclass(frozen=True)
class Summary:
    """What :func:`generate` wrote: the measured profile (index 0) and every table's rows."""

    profile_id: str
    first_day: date
    last_day: date
    rows: dict[str, int]


def bench_programme() -> list[ProgrammeItem]:
    """The benchmark's programme: the full preset's exercises at :data:`BENCH_REPS`."""
    catalog = default_catalog()
    return [
        programme_item(catalog.get(item.exercise_id), reps=BENCH_REPS[item.exercise_id])
        for item in catalog.presets["full"].items
    ]


def plan_frame(items: list[ProgrammeItem]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plan's steps (with each step's start offset in a session) and its prescriptions."""
    catalog = default_catalog()
    plan = build_plan([(catalog.get(item.exercise_id), item) for item in items])
    rows = []
    offset = 5.0
    for step in plan:
        length = float(step.duration_s) if step.kind != "tap" else TAP_REP_S
        rows.append(
            {
                "step_index": step.index,
                "item_index": step.item_index,
                "exercise_id": step.exercise_id,
                "side": step.side,
                "rep": step.rep,
                "kind": step.kind,
                "prescribed_s": float(step.duration_s),
                "length_s": length,
                "offset_s": offset,
                "provoking": step.exercise_id in PROVOKING,
            }
        )
        offset += length + step.rest_after_s
    steps = pd.DataFrame(rows)
    steps["end_s"] = steps["offset_s"] + steps["length_s"]
    prescriptions = pd.DataFrame(
        [
            {"exercise_id": exercise_id, "side": side, "prescribed": count}
            for (exercise_id, side), count in sorted(prescribed_counts(plan).items())
        ]
    )
    return steps, prescriptions


def generate(
    con: duckdb.DuckDBPyConnection,
    *,
    profiles: int,
    days: int,
    last_day: date,
    seed: int = 7,
) -> Summary:
    """Write ``profiles`` profiles of ``days`` days each (ending ``last_day``) into ``con``.

    ``con`` is a migrated database (``Store.open(path).con``). One transaction per table.
    """
    if profiles < 1 or days < 7:
        raise ValueError("The benchmark needs at least one profile and one week of days.")
    items = bench_programme()
    steps, prescriptions = plan_frame(items)
    first_day = last_day - timedelta(days=days - 1)
    plan_json = json.dumps([asdict(item) for item in items])
    con.execute("SET TimeZone = 'UTC'")
    con.register("bench_steps_df", steps)
    con.register("bench_presc_df", prescriptions)
    params = {
        "seed": seed,
        "profiles": profiles,
        "days": days,
        "first_day": first_day,
        "last_day": last_day,
        "plan_json": plan_json,
        "n_steps": len(steps),
    }
    for statement in _SETUP:
        _execute(con, statement, params)
    for table, statement in _INSERTS:
        con.begin()
        try:
            _execute(con, statement, params)
            con.commit()
        except Exception:
            con.rollback()
            raise
        del table
    for name in ("bench_steps_df", "bench_presc_df"):
        con.unregister(name)
    rows = {
        spec.name: int(con.execute(f"SELECT count(*) FROM {spec.name}").fetchone()[0])  # type: ignore[index]
        for spec in TABLES
    }
    profile_id = con.execute("SELECT id FROM bench_profiles WHERE p = 0").fetchone()[0]  # type: ignore[index]
    for table in ("bench_sessions", "bench_days", "bench_profiles", "bench_steps", "bench_presc"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute("CHECKPOINT")
    return Summary(profile_id=str(profile_id), first_day=first_day, last_day=last_day, rows=rows)


def _execute(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> None:
    used = {name: value for name, value in params.items() if f"${name}" in sql}
    con.execute(sql, used)


_ZONES = "[" + ", ".join(f"'{zone}'" for zone in TIME_ZONES) + "]"
_NOTES = "[" + ", ".join(f"'{note}'" for note in SESSION_NOTES) + "]"
_PSFS = "[" + ", ".join(f"'{name}'" for name in PSFS_NAMES) + "]"

_SETUP: tuple[str, ...] = (
    # u(a, b, c): a deterministic uniform number in [0, 1) for the row's coordinates.
    "CREATE OR REPLACE TEMP MACRO bench_u(s, a, b, c) AS (hash(s, a, b, c) % 1000003) / 1000003.0",
    # A normal-ish number (mean 0, sd ~1) from three uniforms.
    "CREATE OR REPLACE TEMP MACRO bench_n(s, a, b, c) AS "
    "(bench_u(s, a, b, c || '1') + bench_u(s, a, b, c || '2') + bench_u(s, a, b, c || '3')"
    " - 1.5) * 2.0",
    # Set-up time: noon UTC the day before the programme starts, profile 0 first (so the
    # app opens on it: the first profile created is the default).
    "CREATE OR REPLACE TEMP MACRO bench_setup_at(first_day, p) AS "
    "CAST(CAST(first_day - 1 AS TIMESTAMP) + INTERVAL 12 HOUR + to_seconds(p) AS TIMESTAMPTZ)",
    "CREATE OR REPLACE TEMP MACRO bench_id(t) AS CAST(CAST(md5(t) AS UUID) AS VARCHAR)",
    "CREATE OR REPLACE TEMP MACRO bench_pain(x) AS "
    "CAST(greatest(0, least(10, round(x))) AS INTEGER)",
    "CREATE OR REPLACE TABLE bench_steps AS SELECT * FROM bench_steps_df",
    "CREATE OR REPLACE TABLE bench_presc AS SELECT * FROM bench_presc_df",
    f"""
    CREATE OR REPLACE TABLE bench_profiles AS
    SELECT p,
           bench_id('bench:profile:' || $seed || ':' || p) AS id,
           CASE WHEN p = 0 THEN 'Bench 1' ELSE 'Patient ' || (p + 1) END AS name,
           {_ZONES}[1 + (p % {len(TIME_ZONES)})] AS tz,
           CAST($first_day AS DATE) AS first_day,
           5.5 + 2.0 * bench_u($seed, p, 0, 'base') AS base_pain,
           2.0 + 1.5 * bench_u($seed, p, 0, 'floor') AS floor_pain,
           20.0 + 40.0 * bench_u($seed, p, 0, 'tau') AS tau_days
    FROM range($profiles) t(p)
    """,
    """
    CREATE OR REPLACE TABLE bench_days AS
    SELECT pr.p, pr.id, pr.tz, d AS day_index,
           CAST(pr.first_day + CAST(d AS INTEGER) AS DATE) AS day,
           pr.floor_pain + (pr.base_pain - pr.floor_pain) * exp(-d / pr.tau_days)
               AS expected_pain
    FROM bench_profiles pr, range($days) t(d)
    """,
    # One session on most days: whole weeks off now and then (holidays), single days
    # missed, about 8% stopped early (partial) and, less often as pain falls, a set of a
    # provoking exercise stopped for pain (the rest of that exercise is then skipped).
    f"""
    CREATE OR REPLACE TABLE bench_sessions AS
    WITH d AS (
        SELECT *,
               bench_u($seed, p, day_index, 'partial') < 0.08 AS partial,
               bench_u($seed, p, day_index, 'provoke')
                   < 0.08 * exp(-day_index / 90.0) + 0.01 AS provoked,
               bench_n($seed, p, day_index, 'before') AS noise
        FROM bench_days
        WHERE bench_u($seed, p, day_index // 7, 'holiday') >= 0.03
          AND bench_u($seed, p, day_index, 'skip') >= 0.04
    ),
    s AS (
        SELECT d.*,
               bench_id('bench:session:' || $seed || ':' || p || ':' || day_index) AS session_id,
               timezone(tz, CAST(day AS TIMESTAMP)
                   + to_hours([7, 8, 12, 18, 19][1 + CAST(floor(5 * bench_u($seed, p, day_index,
                       'hour')) AS INTEGER)])
                   + to_minutes(CAST(floor(60 * bench_u($seed, p, day_index, 'min')) AS INTEGER))
               ) AS started_at,
               CASE WHEN partial THEN $n_steps // 2
                    + CAST(floor(($n_steps // 2) * bench_u($seed, p, day_index, 'stop'))
                      AS INTEGER)
                    ELSE $n_steps END AS stop_at,
               CASE WHEN provoked THEN (
                   SELECT min(step_index) FROM bench_steps
                   WHERE exercise_id = (CASE WHEN bench_u($seed, p, day_index, 'which') < 0.5
                                             THEN 'side-bridge' ELSE 'prone-cobras' END)
               ) END AS pain_step,
               bench_pain(expected_pain + 0.9 * noise) AS before_pain
        FROM d
    )
    SELECT s.*,
           (SELECT item_index FROM bench_steps WHERE step_index = s.pain_step) AS pain_item,
           (SELECT max(end_s) + 20 FROM bench_steps WHERE step_index < s.stop_at) AS length_s,
           CASE WHEN pain_step IS NOT NULL AND pain_step < stop_at
                     AND bench_u($seed, p, day_index, 'status') < 0.3 THEN 'stopped_for_pain'
                WHEN partial THEN 'partial' ELSE 'completed' END AS status,
           CASE WHEN bench_u($seed, p, day_index, 'note') < 0.08
                THEN {_NOTES}[1 + CAST(floor({len(SESSION_NOTES)}
                     * bench_u($seed, p, day_index, 'which note')) AS INTEGER)]
                ELSE '' END AS notes
    FROM s
    """,
)

_INSERTS: tuple[tuple[str, str], ...] = (
    (
        "profiles",
        """
        INSERT INTO profiles (id, name, time_zone, weekly_target, programme_start,
            recent_surgery, red_flags, setup_pain, created_at, updated_at)
        SELECT id, name, tz, 5, first_day, false, '', bench_pain(base_pain + 0.5),
               bench_setup_at(first_day, p),
               bench_setup_at(first_day, p)
        FROM bench_profiles ORDER BY p
        """,
    ),
    (
        "programme_items",
        """
        INSERT INTO programme_items
        SELECT pr.id, i.item_index, i.exercise_id, i.reps, i.hold_s,
               bench_setup_at(pr.first_day, pr.p)
        FROM bench_profiles pr,
             (SELECT item_index, any_value(exercise_id) AS exercise_id,
                     CAST(max(rep) AS INTEGER) AS reps,
                     CAST(max(CASE WHEN kind = 'hold' THEN prescribed_s ELSE 0 END) AS INTEGER)
                         AS hold_s
              FROM bench_steps GROUP BY item_index) i
        ORDER BY pr.p, i.item_index
        """,
    ),
    (
        "sessions",
        """
        INSERT INTO sessions (id, profile_id, active_profile_id, started_at, ended_at, status,
            source, plan_json, prescribed_sets, notes, updated_at)
        SELECT session_id, id, NULL, started_at, started_at + to_seconds(length_s), status,
               'programme', $plan_json, $n_steps, notes, started_at + to_seconds(length_s)
        FROM bench_sessions ORDER BY started_at, session_id
        """,
    ),
    (
        "session_prescriptions",
        """
        INSERT INTO session_prescriptions
        SELECT s.session_id, s.id, c.exercise_id, c.side, c.prescribed
        FROM bench_sessions s, bench_presc c
        ORDER BY s.started_at, s.session_id, c.exercise_id, c.side
        """,
    ),
    (
        "set_records",
        """
        INSERT INTO set_records
        WITH r AS (
            SELECT s.session_id, s.id AS profile_id, st.step_index, st.exercise_id, st.side,
                   st.rep, st.kind, st.prescribed_s, st.length_s,
                   s.started_at + to_microseconds(CAST(st.offset_s * 1e6 AS BIGINT)) AS set_at,
                   CASE WHEN st.step_index = s.pain_step THEN 'stopped_for_pain'
                        WHEN st.item_index = s.pain_item AND st.step_index > s.pain_step
                            THEN 'skipped'
                        WHEN bench_u($seed, s.p, s.day_index * 100 + st.step_index, 'skip')
                            < 0.01 THEN 'skipped'
                        ELSE 'done' END AS status,
                   bench_u($seed, s.p, s.day_index * 100 + st.step_index, 'len') AS u
            FROM bench_sessions s JOIN bench_steps st ON st.step_index < s.stop_at
        ),
        d AS (
            SELECT *, round(CASE status
                WHEN 'done' THEN CASE WHEN kind = 'tap' THEN length_s * (0.7 + 0.6 * u)
                                      ELSE length_s END
                WHEN 'stopped_for_pain' THEN length_s * (0.2 + 0.6 * u)
                ELSE 0.0 END, 1) AS duration_s
            FROM r
        )
        SELECT session_id, profile_id, step_index, exercise_id, side, rep, kind, prescribed_s,
               duration_s, status, set_at,
               set_at + to_microseconds(CAST(duration_s * 1e6 AS BIGINT))
        FROM d ORDER BY set_at, session_id, step_index
        """,
    ),
    (
        "pain_ratings",
        """
        INSERT INTO pain_ratings
        WITH all_ratings AS (
            SELECT bench_id('bench:setup:' || $seed || ':' || p) AS id, id AS profile_id,
                   bench_setup_at(first_day, p) AS recorded_at,
                   bench_pain(base_pain + 0.5) AS pain, 'setup' AS kind,
                   CAST(NULL AS VARCHAR) AS session_id, CAST(NULL AS VARCHAR) AS exercise_id,
                   '' AS note, false AS is_flare
            FROM bench_profiles
            UNION ALL
            SELECT bench_id('bench:before:' || session_id), id, started_at, before_pain,
                   'before', session_id, NULL, '', false
            FROM bench_sessions
            UNION ALL
            SELECT bench_id('bench:after:' || session_id), id,
                   started_at + to_seconds(length_s),
                   bench_pain(before_pain - [0, 1, 1, 2][1 + CAST(floor(4 * bench_u($seed, p,
                       day_index, 'after')) AS INTEGER)]),
                   'after', session_id, NULL, '', false
            FROM bench_sessions
            UNION ALL
            SELECT bench_id('bench:exercise:' || session_id), s.id,
                   s.started_at + to_seconds(st.end_s),
                   bench_pain(s.before_pain + 1 + round(bench_u($seed, s.p, s.day_index, 'ex'))),
                   'exercise', s.session_id, st.exercise_id,
                   CASE WHEN bench_u($seed, s.p, s.day_index, 'exnote') < 0.3
                        THEN 'Sharp pain on the right.' ELSE '' END, false
            FROM bench_sessions s JOIN bench_steps st ON st.step_index = s.pain_step
            WHERE s.pain_step < s.stop_at
            UNION ALL
            SELECT bench_id('bench:checkin:' || $seed || ':' || p || ':' || day_index), id,
                   timezone(tz, CAST(day AS TIMESTAMP) + INTERVAL 21 HOUR
                       + to_minutes(CAST(floor(60 * bench_u($seed, p, day_index, 'cmin'))
                         AS INTEGER))),
                   bench_pain(expected_pain + bench_n($seed, p, day_index, 'checkin')
                              + CASE WHEN flare THEN 2.5 ELSE 0 END),
                   'checkin', NULL, NULL,
                   CASE WHEN flare THEN 'Flare-up after lifting.' ELSE '' END, flare
            FROM (SELECT *, bench_u($seed, p, day_index, 'flare') < 0.03 AS flare
                  FROM bench_days
                  WHERE bench_u($seed, p, day_index, 'checkin?') < 0.5)
        )
        SELECT * FROM all_ratings ORDER BY recorded_at, id
        """,
    ),
    (
        "psfs_activities",
        f"""
        INSERT INTO psfs_activities (id, profile_id, position, name, created_at)
        SELECT bench_id('bench:psfs:' || $seed || ':' || p || ':' || k), id, k + 1,
               {_PSFS}[k + 1],
               bench_setup_at(first_day, p)
        FROM bench_profiles, range({len(PSFS_NAMES)}) t(k)
        ORDER BY p, k
        """,
    ),
    (
        "weekly_checkins",
        """
        INSERT INTO weekly_checkins
        SELECT id, week_start, pgic,
               CASE WHEN bench_u($seed, p, w, 'wnote') < 0.1 THEN 'A better week overall.'
                    ELSE '' END,
               timezone(tz, CAST(least(week_start + 6, $last_day) AS TIMESTAMP) + INTERVAL 20 HOUR)
        FROM (
            SELECT pr.p, pr.id, pr.tz, w,
                   CAST(date_trunc('week', pr.first_day) AS DATE) + CAST(7 * w AS INTEGER)
                       AS week_start,
                   CAST(greatest(1, least(7, round(4 - 3 * (1 - exp(-7 * w / pr.tau_days))
                        + 0.8 * bench_n($seed, pr.p, w, 'pgic')))) AS INTEGER) AS pgic
            FROM bench_profiles pr, range(0, ($days + 13) // 7) t(w)
            WHERE bench_u($seed, pr.p, w, 'weekly?') < 0.85
        )
        WHERE week_start <= $last_day
        ORDER BY week_start, p
        """,
    ),
    (
        "psfs_scores",
        """
        INSERT INTO psfs_scores
        SELECT a.id, c.profile_id, c.week_start,
               CAST(greatest(0, least(10, round(3 + 0.3 * a.position
                    + 5 * (1 - exp(-(c.week_start - pr.first_day) / pr.tau_days))
                    + bench_n($seed, pr.p, c.week_start - pr.first_day + a.position, 'psfs'))))
                    AS INTEGER),
               c.recorded_at
        FROM weekly_checkins c
        JOIN bench_profiles pr ON pr.id = c.profile_id
        JOIN psfs_activities a ON a.profile_id = c.profile_id
        ORDER BY c.week_start, pr.p, a.position
        """,
    ),
)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m bench.datagen --db FILE --profiles N --days D``."""
    import argparse
    import sys
    import time
    from pathlib import Path

    parser = argparse.ArgumentParser(prog="python -m bench.datagen", description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="a new database file")
    parser.add_argument("--profiles", type=int, default=1)
    parser.add_argument("--days", type=int, default=56)
    parser.add_argument("--last-day", type=date.fromisoformat, default=date.today())
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="write the summary here as JSON")
    args = parser.parse_args(argv)
    if args.db.exists():
        print(f"{args.db} exists: the generator only writes new files.", file=sys.stderr)
        return 1
    start = time.perf_counter()
    with Store.open(args.db) as store:
        summary = generate(
            store.con,
            profiles=args.profiles,
            days=args.days,
            last_day=args.last_day,
            seed=args.seed,
        )
    result = {**asdict(summary), "seconds": round(time.perf_counter() - start, 2)}
    text = json.dumps(result, default=str)
    if args.out:
        args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
