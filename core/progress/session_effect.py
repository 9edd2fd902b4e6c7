"""A session's short-term effect: pain right before it against pain right after it.

Exercise often eases pain for a while, so a rating given right after a session measures
the session, not the condition: it is kept out of the pain trend (:mod:`.pain`) and shown
here instead.

* **Pairs.** A session counts when it has both ratings: its ``before`` rating (the first,
  if there were several) and its ``after`` rating (the last). It belongs to the local day
  of its before rating. ``change`` is after - before (negative = less pain after).
* **Means per period** (a Monday week, a month ... by the shared rule of
  :mod:`.periods`) of the sessions with both ratings: the mean before, the mean after and
  the mean change, once a range is too long to draw session by session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import pandas as pd

from core.db.store import Store
from core.domain.models import Profile
from core.progress.pain import RAW_POINTS_MAX_DAYS
from core.progress.periods import MARKER_OFFSET, Period, period_for
from core.progress.queries import fetch_frame, range_params, run

PAIRS = """
    pairs AS (
        SELECT session_id,
               arg_min(pain, recorded_at) FILTER (WHERE kind = 'before') AS before,
               arg_max(pain, recorded_at) FILTER (WHERE kind = 'after') AS after,
               min(recorded_at) FILTER (WHERE kind = 'before') AS started
        FROM pain_ratings
        WHERE profile_id = $pid AND kind IN ('before', 'after') AND session_id IS NOT NULL
          AND recorded_at >= $lo AND recorded_at < $hi
        GROUP BY session_id
    ),
    both_rated AS (
        SELECT session_id, before, after, timezone($tz, started) AS "at",
               CAST(timezone($tz, started) AS DATE) AS day
        FROM pairs
        WHERE before IS NOT NULL AND after IS NOT NULL
    )
"""


@dataclass(frozen=True)
class EffectSummary:
    """The mean before, after and change over some sessions; ``sessions`` counts them."""

    sessions: int
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        """Mean after - before (negative = less pain right after a session)."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def pairs_resolution(start: date, end: date) -> Literal["session"] | Period:
    """How the sessions of local days ``start .. end`` are drawn: one by one up to
    :data:`RAW_POINTS_MAX_DAYS` days, else as the means of each week, month ... by the
    shared rule (:func:`core.progress.periods.period_for`)."""
    if (end - start).days + 1 <= RAW_POINTS_MAX_DAYS:
        return "session"
    return period_for(start, end, "week")


def session_pairs(
    store: Store,
    profile: Profile,
    start: date,
    end: date,
    *,
    resolution: Literal["session"] | Period | None = None,
) -> pd.DataFrame:
    """The sessions of local days ``start .. end`` with both ratings, for the chart.

    One row per session (``resolution`` "session", ``at`` the local time of its before
    rating, ``sessions`` 1), or one row per period (``resolution`` "week", "month" ...,
    ``at`` the period's middle at noon kept within the range, means of its sessions,
    ``sessions`` their count), as :func:`pairs_resolution` picks unless ``resolution``
    says. Columns: ``at``, ``before``, ``after``, ``change``, ``sessions``, ``resolution``.
    """
    resolution = resolution or pairs_resolution(start, end)
    grouped = (
        """
        SELECT "at", CAST(before AS DOUBLE) AS before, CAST(after AS DOUBLE) AS after,
               CAST(after - before AS DOUBLE) AS change, CAST(1 AS BIGINT) AS sessions,
               'session' AS resolution
        FROM both_rated WHERE day BETWEEN $start AND $end
        ORDER BY "at", session_id
        """
        if resolution == "session"
        else """
        SELECT greatest(
                   least(CAST(period_start AS TIMESTAMP) + CAST($offset AS INTERVAL),
                         CAST($end AS TIMESTAMP) + INTERVAL 12 HOUR),
                   CAST($start AS TIMESTAMP) + INTERVAL 12 HOUR) AS "at",
               before, after, change, sessions, $period AS resolution
        FROM (
            SELECT date_trunc($period, day) AS period_start, avg(before) AS before,
                   avg(after) AS after, avg(after - before) AS change, count(*) AS sessions
            FROM both_rated WHERE day BETWEEN $start AND $end GROUP BY 1
        ) ORDER BY period_start
        """
    )
    period: Period = "week" if resolution == "session" else resolution
    return fetch_frame(
        store,
        f"WITH {PAIRS} {grouped}",
        range_params(profile, start, end) | {"period": period, "offset": MARKER_OFFSET[period]},
    )


def effect_summary(store: Store, profile: Profile, start: date, end: date) -> EffectSummary:
    """The mean before and after over the sessions of local days ``start .. end``."""
    row = run(
        store,
        f"WITH {PAIRS} SELECT count(*), avg(before), avg(after) FROM both_rated "
        "WHERE day BETWEEN $start AND $end",
        range_params(profile, start, end),
    ).fetchone()
    if row is None or not row[0]:
        return EffectSummary(0, None, None)
    return EffectSummary(int(row[0]), float(row[1]), float(row[2]))


def effect_words(summary: EffectSummary) -> str:
    """For example "Right after a session pain was 1.2 lower on average than before it
    (4.5 before, 3.3 after; 6 sessions)."; a plain line when no session has both."""
    if summary.sessions == 0 or summary.change is None:
        return "No session in these dates has a rating both before and after it."
    assert summary.before is not None and summary.after is not None
    change = summary.change
    noun = "session" if summary.sessions == 1 else "sessions"
    if round(change, 1) == 0:
        how = "the same as before it, on average"
    else:
        how = f"{abs(change):.1f} {'lower' if change < 0 else 'higher'} on average than before it"
    return (
        f"Right after a session pain was {how} ({summary.before:.1f} before, "
        f"{summary.after:.1f} after; {summary.sessions} {noun})."
    )
