"""The six-week status: where a person stands in programme weeks 1-6 against their baseline.

**Minimal important change** (Ostelo et al. 2008, Spine): a 7-day mean at least 30% below
baseline is "meaningful improvement"; the 2-point change is reported beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
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


# --------------------------------------------------------------------------- six-week status

StatusState = Literal[
    "no_data",
    "not_started",
    "first_week",
    "no_recent_ratings",
    "meaningful",
    "improving",
    "no_change",
    "worse",
    "past_six_meaningful",
    "past_six_not_meaningful",
    "past_six_no_recent_ratings",
]
Tone = Literal["info", "success", "warning"]

NOT_BETTER_LINE = (
    "Not meaningfully better after six weeks: consider seeing your physical therapist or doctor."
)


@dataclass(frozen=True)
class SixWeekStatus:
    """Where the user stands in the six-week window, as numbers and one plain line.

    ``current`` is the 7-day mean ending ``as_of``; ``reduction`` is baseline - current
    (positive means less pain) and ``reduction_pct`` that as a percentage of baseline.
    ``meaningful`` means at least 30% below baseline, ``two_points`` at least 2 points
    below. ``tone`` tells the page how to show the line.
    """

    as_of: date
    week: int
    state: StatusState
    line: str
    detail: str
    tone: Tone
    baseline: float | None
    baseline_source: Literal["first_week", "setup"] | None
    current: float | None
    current_ratings: int
    reduction: float | None
    reduction_pct: float | None
    meaningful: bool
    two_points: bool
    threshold_30: float | None
    threshold_2: float | None


def _percent_text(pct: float, meaningful: bool) -> str:
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


def six_week_status(
    store: Store,
    profile: Profile,
    today: date | None = None,
    *,
    base: Baseline | None = None,
    window: tuple[float | None, int] | None = None,
) -> SixWeekStatus:
    """The six-week status as of ``today`` (default: today in the profile's time zone).

    Week 1 builds the baseline. From week 2 the 7-day mean is compared with the baseline;
    at least 30% lower is meaningful improvement (Ostelo 2008). From week 7 on, without it,
    the line advises seeing a clinician. ``base`` is :func:`baseline`'s answer and
    ``window`` the (mean, count) of the 7 days to ``today``, when the caller has them.
    """
    as_of = today or local_today(profile)
    week = programme_week(profile, as_of)
    base = base or baseline(store, profile)
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

    def status(state: StatusState, line: str, tone: Tone, detail: str = "") -> SixWeekStatus:
        return SixWeekStatus(
            as_of=as_of,
            week=week,
            state=state,
            line=line,
            detail=detail,
            tone=tone,
            baseline=base.value,
            baseline_source=base.source,
            current=current,
            current_ratings=count,
            reduction=reduction,
            reduction_pct=reduction_pct,
            meaningful=meaningful,
            two_points=two_points,
            threshold_30=threshold_30,
            threshold_2=threshold_2,
        )

    if week < 1:
        return status(
            "not_started",
            f"Your programme starts on {format_day(profile.programme_start)}: the six-week "
            "window begins then.",
            "info",
        )
    if base.value is None and current is None:
        return status(
            "no_data",
            "No pain ratings yet: rate your pain before and after a session, and your trend "
            "and six-week status will appear here.",
            "info",
        )
    label = f"Week {week} of {SIX_WEEKS}" if week <= SIX_WEEKS else f"Week {week}"
    if week == 1:
        if base.source == "first_week" and base.value is not None:
            line = (
                f"Week 1 of {SIX_WEEKS}: building your baseline (pain {base.value:.1f} so far). "
                "From week 2 your pain is compared with it."
            )
        else:
            line = (
                f"Week 1 of {SIX_WEEKS}: your starting pain is {format_pain(base.value)} (from "
                "setup). Rate your pain this week to set your baseline."
            )
        return status("first_week", line, "info")
    assert base.value is not None or current is not None
    if base.value is None:
        # Ratings exist but none in week 1 and no setup rating: nothing to compare with.
        return status(
            "no_data",
            f"{label}: pain {format_pain(current)}. There is no baseline to compare with: "
            "no rating in your first programme week and no setup rating.",
            "info",
        )
    if current is None:
        if week > SIX_WEEKS:
            return status(
                "past_six_no_recent_ratings",
                f"{label}: no pain ratings in the last 7 days. Rate your pain to see whether "
                f"you are meaningfully better than your baseline {base.value:.1f}.",
                "info",
            )
        return status(
            "no_recent_ratings",
            f"{label}: no pain ratings in the last 7 days. Rate your pain to compare it with "
            f"your baseline {base.value:.1f}.",
            "info",
        )
    comparison = _comparison(current, base.value, reduction_pct, meaningful)
    if week > SIX_WEEKS:
        if meaningful:
            return status(
                "past_six_meaningful",
                f"{label}: {comparison}: meaningful improvement",
                "success",
            )
        return status(
            "past_six_not_meaningful", NOT_BETTER_LINE, "warning", f"{label}: {comparison}."
        )
    assert reduction is not None
    if meaningful:
        return status("meaningful", f"{label}: {comparison}: meaningful improvement", "success")
    if round(reduction, 1) > 0:
        suffix = "not yet the 30% drop that counts as meaningful improvement"
        if two_points:
            suffix = "2 points better, not yet the 30% drop that counts as meaningful improvement"
        return status("improving", f"{label}: {comparison}: {suffix}", "info")
    if round(reduction, 1) == 0:
        return status("no_change", f"{label}: {comparison}: no change yet", "info")
    return status(
        "worse",
        f"{label}: {comparison}: worse than at the start. If it keeps rising, talk to your "
        "physical therapist or doctor.",
        "warning",
    )
