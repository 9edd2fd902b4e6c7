"""The six-week status: where a person stands in the first six programme weeks against their
baseline, which published threshold of change they have met, and the one next step that
follows from it.

**Meaningful change** (Ostelo et al. 2008, Spine): a 7-day mean of resting ratings 30% or
more below the baseline is "meaningful improvement"; 2 points or more below it, but under
30%, is "2 points better (one published threshold); not yet 30%"; neither is "not yet".
The 30% threshold scales with the baseline, so it is the one that decides.

**Weeks** are programme weeks: seven days from the programme start date, which may be any
weekday. A page whose weeks are Monday weeks (the weekly review) counts programme days
instead, so that "week" keeps one meaning there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from core.db.store import Store
from core.domain.days import local_today, programme_week
from core.domain.models import Profile
from core.domain.wording import format_day, format_pain
from core.progress.pain import Baseline, baseline, window_mean

MIC_FRACTION = 0.30
MIC_POINTS = 2.0
SIX_WEEKS = 6
_EPS = 1e-9

StatusState = Literal["not_started", "no_data", "first_week", "no_recent_ratings", "compared"]
#: The three states of change from the baseline (see the module docstring).
Change = Literal["meaningful", "two_points", "not_yet"]
Counting = Literal["weeks", "days"]
Tone = Literal["info", "success", "warning"]

SEE_SOMEONE = (
    "See a doctor or physical therapist about your back: not better after about six weeks "
    "is the usual point to get checked again (NHS back pain guidance)."
)


@dataclass(frozen=True)
class SixWeekStatus:
    """Where the person stands, as numbers, one plain line and one next step.

    ``current`` is the 7-day mean of resting ratings ending ``as_of``; ``reduction`` is
    baseline - current (positive means less pain) and ``reduction_pct`` that as a
    percentage of the baseline. ``change`` is set once the two can be compared (state
    "compared"); ``meaningful`` and ``two_points`` say which thresholds are met, and
    ``threshold_30`` and ``threshold_2`` are the pain levels that meet them (drawn on the
    pain chart with ``mic_fraction`` and ``mic_points``, the thresholds themselves).
    ``tone`` tells a page how to show the line.
    """

    as_of: date
    week: int
    state: StatusState
    line: str
    next_step: str
    tone: Tone
    baseline: float | None
    baseline_source: Literal["first_week", "setup"] | None
    current: float | None
    current_ratings: int
    reduction: float | None
    reduction_pct: float | None
    change: Change | None
    meaningful: bool
    two_points: bool
    threshold_30: float | None
    threshold_2: float | None
    mic_fraction: float = MIC_FRACTION
    mic_points: float = MIC_POINTS

    @property
    def past_six_weeks(self) -> bool:
        return self.week > SIX_WEEKS


def six_week_end(profile: Profile) -> date:
    """The last day of programme week 6."""
    return profile.programme_start + timedelta(weeks=SIX_WEEKS, days=-1)


def _percent_text(pct: float, meaningful: bool) -> str:
    """A percentage that never rounds across the 30% line it is judged by."""
    shown = round(pct)
    if (shown >= MIC_FRACTION * 100) != meaningful:
        return f"{pct:.1f}%"
    return f"{shown}%"


def _comparison(current: float, base: float, reduction_pct: float | None, meaningful: bool) -> str:
    """ "pain 4.1, down 1.9 from baseline 6.0 (32%)" and its variants."""
    reduction = base - current
    text = f"pain {current:.1f}, "
    if round(reduction, 1) == 0:
        return text + f"same as baseline {base:.1f}"
    direction = "down" if reduction > 0 else "up"
    text += f"{direction} {abs(reduction):.1f} from baseline {base:.1f}"
    if reduction_pct is not None:
        text += f" ({_percent_text(abs(reduction_pct), meaningful)})"
    return text


def _label(profile: Profile, as_of: date, week: int, counting: Counting) -> str:
    """ "Programme week 3 of 6", or "Programme day 17 of 42" where weeks are Monday weeks."""
    if counting == "weeks":
        return f"Programme week {week}" + (f" of {SIX_WEEKS}" if week <= SIX_WEEKS else "")
    day = (as_of - profile.programme_start).days + 1
    days = 7 * SIX_WEEKS
    return f"Programme day {day}" + (f" of {days}" if day <= days else "")


def six_week_status(
    store: Store,
    profile: Profile,
    today: date | None = None,
    *,
    base: Baseline | None = None,
    window: tuple[float | None, int] | None = None,
    counting: Counting = "weeks",
) -> SixWeekStatus:
    """The six-week status as of ``today`` (default: today in the profile's time zone).

    Programme week 1 builds the baseline, from what is known by ``today``. From week 2 the
    7-day mean is compared with it. ``base`` is :func:`baseline`'s answer and ``window``
    the (mean, count) of the 7 days to ``today``, when the caller has them; ``counting``
    "days" names programme days instead of weeks (for pages of Monday weeks).
    """
    as_of = today or local_today(profile)
    week = programme_week(profile, as_of)
    base = base or baseline(store, profile, as_of=as_of)
    current, count = window or window_mean(store, profile, as_of)
    reduction = reduction_pct = threshold_30 = threshold_2 = None
    meaningful = two_points = False
    if base.value is not None:
        threshold_30 = base.value * (1 - MIC_FRACTION)
        threshold_2 = base.value - MIC_POINTS
        if current is not None:
            reduction = base.value - current
            reduction_pct = 100.0 * reduction / base.value if base.value > 0 else None
            meaningful = base.value > 0 and reduction >= MIC_FRACTION * base.value - _EPS
            two_points = reduction >= MIC_POINTS - _EPS
    end = format_day(six_week_end(profile))
    label = _label(profile, as_of, week, counting)
    compare_from = "programme week 2" if counting == "weeks" else "programme day 8"

    def status(
        state: StatusState, line: str, next_step: str, tone: Tone, change: Change | None = None
    ) -> SixWeekStatus:
        return SixWeekStatus(
            as_of=as_of,
            week=week,
            state=state,
            line=line,
            next_step=next_step,
            tone=tone,
            baseline=base.value,
            baseline_source=base.source,
            current=current,
            current_ratings=count,
            reduction=reduction,
            reduction_pct=reduction_pct,
            change=change,
            meaningful=meaningful,
            two_points=two_points,
            threshold_30=threshold_30,
            threshold_2=threshold_2,
        )

    keep_rating = (
        "Keep going, and rate your pain before your sessions and at check-ins: the trend "
        "follows those ratings."
    )
    if week < 1:
        return status(
            "not_started",
            f"Your programme starts on {format_day(profile.programme_start)}: the six-week "
            "window begins then.",
            f"Start your programme on {format_day(profile.programme_start)}.",
            "info",
        )
    if base.value is None and current is None:
        return status(
            "no_data",
            "No pain ratings yet: rate your pain before a session or at a check-in, and your "
            "trend and six-week status will appear here.",
            "Rate your pain now (0 to 10), then before each session.",
            "info",
        )
    if week == 1:
        if base.source == "first_week" and base.value is not None:
            line = (
                f"{label}: building your baseline (pain {base.value:.1f} so far). From "
                f"{compare_from} your pain is compared with it."
            )
        else:
            line = (
                f"{label}: your starting pain is {format_pain(base.value)} (from setup). Rate "
                "your pain in the programme's first seven days to set your baseline."
            )
        return status("first_week", line, keep_rating, "info")
    if base.value is None:
        # Ratings exist but none in week 1 and no setup rating: nothing to compare with.
        return status(
            "no_data",
            f"{label}: pain {format_pain(current)}. There is no baseline to compare with: "
            "no rating in your first programme week and no setup rating.",
            keep_rating,
            "info",
        )
    if current is None:
        return status(
            "no_recent_ratings",
            f"{label}: no pain ratings in the 7 days to {format_day(as_of)}. Rate your pain "
            f"to compare it with your baseline {base.value:.1f}.",
            "Rate your pain today, so that it can be compared with your baseline.",
            "info",
        )
    assert reduction is not None
    comparison = _comparison(current, base.value, reduction_pct, meaningful)
    past = week > SIX_WEEKS
    if meaningful:
        return status(
            "compared",
            f"{label}: {comparison}: meaningful improvement (30% or more below baseline)",
            "Keep going with your programme."
            + (" Tell your physical therapist how it is going." if past else ""),
            "success",
            "meaningful",
        )
    if two_points:
        step = (
            "Talk to your physical therapist about your programme: you are 2 points better "
            "than your baseline, but not yet 30%."
            if past
            else f"Keep going. If you are not 30% better by {end}, the end of programme "
            "week 6, talk to your physical therapist about your programme."
        )
        return status(
            "compared",
            f"{label}: {comparison}: 2 points better (one published threshold); not yet 30%",
            step,
            "info",
            "two_points",
        )
    if past:
        step = SEE_SOMEONE
    elif round(reduction, 1) < 0:
        step = (
            "If your pain keeps rising, talk to your physical therapist or doctor; get help "
            "at once if a warning sign appears."
        )
    else:
        step = (
            f"Keep going. If you are not better by {end}, the end of programme week 6, see a "
            "doctor or physical therapist."
        )
    if round(reduction, 1) < 0:
        verdict = "worse than at the start"
    elif round(reduction, 1) == 0:
        verdict = "no change yet"
    else:
        verdict = "not yet 2 points or 30% better"
    return status(
        "compared",
        f"{label}: {comparison}: {verdict}" + (" after six weeks" if past else ""),
        step,
        "warning" if past or round(reduction, 1) < 0 else "info",
        "not_yet",
    )
