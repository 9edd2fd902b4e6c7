"""Every dashboard chart in words: a one-sentence summary and its data as a table.

A chart is a picture: a screen reader cannot read it, and a person who cannot tell its
colours or shapes apart cannot either. So each chart of the Progress dashboard comes with
a sentence saying what it shows (its accessible name on the page) and its data as a plain
table one click away. Both are computed here from the same frames the figure is drawn from
(:class:`core.progress.dashboard.ProgressData`), so the words never disagree with the
picture: a long history that the chart draws as weekly or monthly means is described and
tabled as those means too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from core.domain.course import ExpectedCourse
from core.domain.wording import format_day, plural
from core.progress.periods import ADJECTIVE, Period, drawn_by, period_label
from core.progress.six_week import SixWeekStatus

#: The calendar draws this many weeks at most (the newest ones): its words cover the same.
CALENDAR_WEEKS = 53

_KIND_WORDS = {"before": "Before a session", "checkin": "Check-in", "setup": "At setup"}
_MEAN_WORDS = ADJECTIVE


@dataclass(frozen=True)
class ChartText:
    """One chart in words: ``summary`` (one sentence) and ``table`` (its data, plain words
    and numbers, columns as headed); ``decimals`` gives the places of a numeric column."""

    summary: str
    table: pd.DataFrame
    decimals: dict[str, int] = field(default_factory=dict)


def _day(value: object) -> str:
    return format_day(pd.Timestamp(value).date())  # type: ignore[arg-type]


def _span(first: object, last: object) -> str:
    """ "from Mon 5 Jan 2026 to Mon 2 Mar 2026", or "on Mon 5 Jan 2026" for one day."""
    if _day(first) == _day(last):
        return f"on {_day(first)}"
    return f"from {_day(first)} to {_day(last)}"


def _period_span(first: object, last: object, period: Period) -> str:
    """ "from March 2026 to May 2026", or "in March 2026" for one period."""
    if period_label(first, period) == period_label(last, period):
        return f"in {period_label(first, period)}"
    return f"from {period_label(first, period)} to {period_label(last, period)}"


def _range(values: pd.Series, places: int = 0) -> str:
    """ "2 to 6" (lowest to highest), or "4" when they are all the same."""
    low, high = float(values.min()), float(values.max())
    if round(low, places) == round(high, places):
        return f"{low:.{places}f}"
    return f"{low:.{places}f} to {high:.{places}f}"


#: A period as a noun, for counts and table headings ("600 months", "Quarter").
_PERIOD_NOUN: Mapping[Period, str] = {
    "day": "day",
    "week": "week",
    "month": "month",
    "quarter": "quarter",
    "year": "year",
}


def _none(summary: str) -> ChartText:
    return ChartText(summary=summary, table=pd.DataFrame())


# --------------------------------------------------------------------------- calendar


def calendar_text(days: pd.DataFrame) -> ChartText:
    """The calendar of days exercised: how many of its days had a session, by outcome;
    the table lists each day with a session (a day's outcome as the calendar colours it)."""
    if days.empty:
        return _none("Days exercised: no days in these dates yet.")
    weeks = sorted(days["week_start"].unique())[-CALENDAR_WEEKS:]
    shown = days[days["week_start"].isin(weeks)]
    active = shown[shown["sessions"] > 0]
    counts = active["category"].value_counts()
    parts = [
        f"{int(counts.get(category, 0))} {words}"
        for category, words in (
            ("completed", "completed"),
            ("partial", "partial"),
            ("stopped_for_pain", "stopped for pain"),
        )
        if counts.get(category, 0)
    ]
    detail = f" ({', '.join(parts)})" if parts else ""
    span = _span(shown["day"].min(), shown["day"].max())
    summary = (
        f"Days exercised, {plural(len(weeks), 'week')} {span}: "
        f"{len(active)} of {plural(len(shown), 'day')} with a session{detail}."
    )
    outcome = {
        "completed": "Completed",
        "partial": "Partial",
        "stopped_for_pain": "Stopped for pain",
    }
    table = pd.DataFrame(
        {
            "Day": [_day(day) for day in active["day"]],
            "Sessions": active["sessions"].to_numpy(),
            "Outcome": [outcome.get(str(c), str(c)) for c in active["category"]],
        }
    )
    return ChartText(summary, table)


# --------------------------------------------------------------------------- weekly


def weekly_text(weeks: pd.DataFrame) -> ChartText:
    """Sessions per week against the target, and the dose done, over the range's weeks (or
    the monthly, quarterly or yearly means of a long range's weeks, as drawn)."""
    if weeks.empty:
        return _none("Sessions per week: no weeks in these dates yet.")
    period, starts = drawn_by(weeks)
    if period != "week":
        return _periods_of_weeks_text(weeks, period, starts)
    met = int((weeks["sessions"] >= weeks["target"]).sum())
    summary = (
        f"Sessions per week, {plural(len(weeks), 'week')} "
        f"{_span(weeks['week_start'].min(), weeks['week_start'].max())} (weeks starting "
        f"Monday): {_range(weeks['sessions'])} a week, target {_range(weeks['target'])}, met in "
        f"{met} of {len(weeks)}; holds and repetitions done: {_range(weeks['dose_pct'])}% of "
        "those prescribed."
    )
    table = pd.DataFrame(
        {
            "Week starting": [_day(week) for week in weeks["week_start"]],
            "Sessions": weeks["sessions"].to_numpy(),
            "Target": weeks["target"].to_numpy(),
            "Done % of target": weeks["adherence_pct"].round(0).to_numpy(),
            "Holds and reps done %": weeks["dose_pct"].round(0).to_numpy(),
        }
    )
    return ChartText(summary, table, {"Done % of target": 0, "Holds and reps done %": 0})


def _periods_of_weeks_text(weeks: pd.DataFrame, period: Period, starts: pd.Series) -> ChartText:
    """:func:`weekly_text` of a long range drawn as each month's (quarter's, year's) mean
    sessions a week, over the weeks starting in it."""
    name, count = _PERIOD_NOUN[period], len(weeks)
    met = int((weeks["sessions"] >= weeks["target"]).sum())
    summary = (
        f"Sessions per week, {ADJECTIVE[period]} means over the weeks starting in each "
        f"{name}, {plural(count, name)} {_period_span(starts.min(), starts.max(), period)}: "
        f"{_range(weeks['sessions'], 1)} a week on "
        f"average, target {_range(weeks['target'])}, met on average in {met} of {count}; "
        f"holds and repetitions done: {_range(weeks['dose_pct'])}% of those prescribed."
    )
    table = pd.DataFrame(
        {
            name.capitalize(): [period_label(start, period) for start in starts],
            "Weeks": weeks["weeks"].to_numpy(),
            "Sessions a week (mean)": weeks["sessions"].round(1).to_numpy(),
            "Target (mean)": weeks["target"].round(1).to_numpy(),
            "Done % of target": weeks["adherence_pct"].round(0).to_numpy(),
            "Holds and reps done %": weeks["dose_pct"].round(0).to_numpy(),
        }
    )
    return ChartText(
        summary,
        table,
        {
            "Sessions a week (mean)": 1,
            "Target (mean)": 1,
            "Done % of target": 0,
            "Holds and reps done %": 0,
        },
    )


# --------------------------------------------------------------------------- pain


def _points_span(moments: pd.Series, resolution: str) -> str:
    """The span of a series' points: by day up to weekly means (as before), else by the
    periods themselves, since a month's point sits on its 15th."""
    if resolution in ("rating", "session", "day", "week"):
        return _span(moments.min(), moments.max())
    return _period_span(moments.min(), moments.max(), resolution)  # type: ignore[arg-type]


def pain_text(
    points: pd.DataFrame,
    rolling: pd.DataFrame,
    status: SixWeekStatus,
    course: ExpectedCourse,
) -> ChartText:
    """The pain trend: how many resting ratings (or means of them) and their range, the
    7-day average at its first and last day, the baseline, and whether the published
    average course is drawn."""
    if points.empty:
        return _none("Pain trend: no resting pain ratings in these dates yet.")
    resolution = str(points["resolution"].iloc[0])
    what = (
        plural(len(points), "resting rating")
        if resolution == "rating"
        else f"{len(points)} {_MEAN_WORDS[resolution]} means of resting ratings"
    )
    parts = [
        f"Pain trend {_points_span(points['at'], resolution)}: {what}, "
        f"{_range(points['pain'], 0 if resolution == 'rating' else 1)} of 10"
    ]
    line = rolling.dropna(subset=["mean_7d"]) if not rolling.empty else rolling
    if not line.empty:
        first, last = line.iloc[0], line.iloc[-1]
        parts.append(
            f"7-day average {first['mean_7d']:.1f} on {_day(first['day'])} and "
            f"{last['mean_7d']:.1f} on {_day(last['day'])}"
        )
    if status.baseline is not None:
        parts.append(f"baseline {status.baseline:.1f}")
        if course.cohort is not None and course.points:
            parts.append(
                f"the published average course for {course.cohort} pain drawn for comparison "
                "(a population average, not a forecast)"
            )
    table = pd.DataFrame(
        {
            "When": [
                pd.Timestamp(at).strftime("%a %-d %b %Y, %H:%M")
                if resolution == "rating"
                else _day(at)
                if resolution in ("day", "week")
                else period_label(at, resolution)  # type: ignore[arg-type]
                for at in points["at"]
            ],
            "Rating": [
                _KIND_WORDS.get(str(kind), str(kind))
                + ("" if resolution == "rating" else f" ({_MEAN_WORDS[resolution]} mean)")
                for kind in points["kind"]
            ],
            "Pain (0-10)": points["pain"].round(1).to_numpy(),
            "Flare logged": ["Yes" if flare else "" for flare in points["is_flare"]],
        }
    )
    return ChartText(
        "; ".join(parts) + ".", table, {"Pain (0-10)": 0 if resolution == "rating" else 1}
    )


# --------------------------------------------------------------------------- session effect


def effect_text(pairs: pd.DataFrame) -> ChartText:
    """Pain before and right after each session (or the means of each week, month ... of a
    long range): the averages and how many ended with less, the same or more pain."""
    if pairs.empty:
        return _none("Pain before and right after sessions: no session with both ratings yet.")
    resolution = str(pairs["resolution"].iloc[0])
    period: Period | None = None if resolution == "session" else resolution  # type: ignore[assignment]
    change = pairs["change"].round(1)
    less, same, more = int((change < 0).sum()), int((change == 0).sum()), int((change > 0).sum())
    if period is None:
        counted, of = plural(len(pairs), "session"), "of the sessions"
    else:
        name = _PERIOD_NOUN[period]
        counted = (
            f"the sessions of {plural(len(pairs), name)} ({ADJECTIVE[period]} means, "
            f"{int(pairs['sessions'].sum())} sessions)"
        )
        of = f"of the {name}s"
    summary = (
        f"Pain before and right after {counted} {_points_span(pairs['at'], resolution)}: "
        f"{pairs['before'].mean():.1f} before and {pairs['after'].mean():.1f} after on average; "
        f"less pain after in {less}, the same in {same}, more in {more} {of}."
    )
    if period is None:
        heading, when = (
            "Session",
            [pd.Timestamp(at).strftime("%a %-d %b %Y, %H:%M") for at in pairs["at"]],
        )
    elif period == "week":
        heading, when = "Week starting", [_day(at) for at in pairs["at"]]
    else:
        heading = _PERIOD_NOUN[period].capitalize()
        when = [period_label(at, period) for at in pairs["at"]]
    table = pd.DataFrame(
        {
            heading: when,
            "Before": pairs["before"].round(1).to_numpy(),
            "Right after": pairs["after"].round(1).to_numpy(),
            "Change": change.to_numpy(),
        }
    )
    if period is not None:
        table["Sessions"] = pairs["sessions"].to_numpy()
    return ChartText(summary, table, {"Before": 1, "Right after": 1, "Change": 1})


# --------------------------------------------------------------------------- exercises


def exercise_text(table: pd.DataFrame, names: Mapping[str, str]) -> ChartText:
    """Mean pain before and after the sessions with each exercise: for how many it was
    lower after, and the exercise with the largest rise, if any."""
    rated = table[table["rated_sessions"] > 0]
    if rated.empty:
        return _none("Pain by exercise: no session with ratings before and after yet.")
    change = (rated["pain_after"] - rated["pain_before"]).round(1)
    lower, higher = int((change < 0).sum()), int((change > 0).sum())
    summary = (
        f"Mean pain before and after the sessions with each of {plural(len(rated), 'exercise')}: "
        f"lower after for {lower}, higher after for {higher}"
    )
    if higher:
        worst = int(change.to_numpy().argmax())
        name = names.get(rated["exercise_id"].iloc[worst], rated["exercise_id"].iloc[worst])
        summary += f" (most: {name}, {change.iloc[worst]:+.1f})"
    frame = pd.DataFrame(
        {
            "Exercise": [names.get(e, e) for e in rated["exercise_id"]],
            "Sessions with both ratings": rated["rated_sessions"].to_numpy(),
            "Before": rated["pain_before"].round(1).to_numpy(),
            "After": rated["pain_after"].round(1).to_numpy(),
            "During (when it hurt)": [
                value if count else None
                for value, count in zip(
                    rated["exercise_pain"].round(1), rated["exercise_ratings"], strict=True
                )
            ],
        }
    )
    return ChartText(summary + ".", frame)


# --------------------------------------------------------------------------- check-ins


def pgic_text(series: pd.DataFrame) -> ChartText:
    """The weekly answers to how the back has changed: the first and the latest (of a long
    range, the monthly, quarterly or yearly median answers, as drawn)."""
    if series.empty:
        return _none("How your back has changed overall: no weekly answers yet.")
    period, starts = drawn_by(series)
    first, last = series.iloc[0], series.iloc[-1]
    if period == "week":
        span = _span(first["week_start"], last["week_start"])
        counted = f"{plural(len(series), 'weekly answer')} {span}"
    else:
        name = _PERIOD_NOUN[period]
        counted = (
            f"the median of the weekly answers in each {name}, {plural(len(series), name)} "
            f"{_period_span(starts.min(), starts.max(), period)}"
        )
    summary = f"How your back has changed overall, {counted}: " + (
        f"“{last['answer']}”."
        if len(series) == 1
        else f"first “{first['answer']}”, latest “{last['answer']}”."
    )
    if period == "week":
        table = pd.DataFrame(
            {
                "Week starting": [_day(week) for week in starts],
                "Answer": series["answer"].astype(str).to_numpy(),
            }
        )
    else:
        table = pd.DataFrame(
            {
                _PERIOD_NOUN[period].capitalize(): [period_label(at, period) for at in starts],
                "Median answer": series["answer"].astype(str).to_numpy(),
                "Weekly answers": series["weeks"].to_numpy(),
            }
        )
    return ChartText(summary, table)


def psfs_text(series: pd.DataFrame) -> ChartText:
    """The PSFS score (mean of the activities named) per week: first and latest; the table
    has one column per activity and the score. A long range's monthly (quarterly, yearly)
    means are described and tabled as such."""
    if series.empty:
        return _none("Activities you named (PSFS): no weekly ratings yet.")
    period, starts = drawn_by(series)
    series = series.assign(drawn_at=starts)
    mean = series[series["is_mean"]].sort_values("drawn_at")
    activities = series[~series["is_mean"]]
    order = activities.drop_duplicates("activity").sort_values(["position", "activity"])
    first, last = mean.iloc[0], mean.iloc[-1]
    if period == "week":
        over = f"{plural(len(mean), 'week')} {_span(first['drawn_at'], last['drawn_at'])}"
        label, heading = _day, "Week starting"
    else:
        name = _PERIOD_NOUN[period]
        over = (
            f"{plural(len(mean), name)} "
            f"{_period_span(first['drawn_at'], last['drawn_at'], period)} "
            f"({ADJECTIVE[period]} means)"
        )
        heading = name.capitalize()

        def label(value: object) -> str:
            return period_label(value, period)

    summary = (
        f"Activities you named (PSFS, 0 = unable, 10 = as before), "
        f"{plural(len(order), 'activity', 'activities')} over {over}: score "
        + (
            f"{last['score']:.1f}."
            if len(mean) == 1
            else f"{first['score']:.1f} at first, {last['score']:.1f} latest."
        )
    )
    drawn = sorted(series["drawn_at"].unique())
    columns: dict[str, list[object]] = {heading: [label(at) for at in drawn]}
    for activity in order["activity"]:
        rows = activities[activities["activity"] == activity].set_index("drawn_at")["score"]
        columns[str(activity)] = [rows.get(at) for at in drawn]
    scores = mean.set_index("drawn_at")["score"]
    columns["PSFS score (mean)"] = [scores.get(at) for at in drawn]
    places = 0 if period == "week" else 1
    return ChartText(summary, pd.DataFrame(columns), {str(a): places for a in order["activity"]})
