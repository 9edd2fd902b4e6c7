"""Explanations shown on more than one page, written once: what the numbers mean and where
they come from.

The owner's pages, the therapist's read-only view and the HTML report all show these, so
they are worded for any reader ("the baseline", not "your baseline"). Every number a person
may act on names its source here.
"""

from __future__ import annotations

from datetime import date

from core.domain.wording import format_day

NOT_ADVICE = (
    "Back on Track helps people keep up a home exercise programme. It is not medical advice "
    "and does not replace a doctor or physical therapist."
)

PAIN_SCALE = "0 is no pain at all, 10 is the worst pain you can imagine."

NO_EXERCISE_SHOULD_HURT = (
    "None of these exercises should hurt. Mild stretch or effort is fine; pain means stop."
)

BASELINE = (
    "Baseline: the average pain rating of the first programme week, or the rating given at "
    "setup if that week has none."
)

MEANINGFUL = (
    "Meaningful improvement: a 7-day average pain at least 30% below the baseline, the "
    "threshold recommended for judging one person's change (Ostelo et al. 2008, Spine); the "
    "2-point change is shown beside it."
)

SIX_WEEK_WINDOW = "Six-week window: programme weeks 1-6, counted from the programme start date."

SEE_A_CLINICIAN = (
    "Not meaningfully better after about six weeks is the usual point to see a doctor or "
    "physical therapist again (NHS back pain guidance)."
)

REFERENCE_COURSE = (
    "Dashed red line: the published average course of acute low back pain (Menezes Costa et "
    "al. 2012, CMAJ: 52/100 at the start, 23 at 6 weeks, 12 at 26 weeks, 6 at 52 weeks), "
    "scaled to the baseline: a population average, not a forecast."
)

ARTICLE_CLAIM = (
    "The source article says “about 80 to 90% of physical therapy patients with acute lower "
    "back pain felt better after six weeks”, crediting Penn Medicine: the article's claim, "
    "not a promise."
)

PAIN_TREND = (
    "Points: pain ratings before and after sessions, at check-ins and at setup (daily, weekly "
    "or monthly averages when the range is long). Black line: 7-day average. Shaded: "
    "programme weeks 1-6."
)

PGIC = (
    "PGIC (Patient Global Impression of Change): the weekly answer to how the back has "
    "changed overall, from 1 (very much better) to 7 (very much worse)."
)

PSFS = (
    "PSFS (Patient-Specific Functional Scale): weekly 0-10 ratings of the activities named, "
    "0 = unable to do it, 10 = able to do it as well as before; the score is their average, "
    "and a change of about 2 points is meaningful (Stratford et al. 1995)."
)

COUNTED_SESSION = "A session counts once at least one hold or repetition is done."

DOSE = "Dose: the holds and repetitions done out of those the sessions prescribed."

DISCUSS = (
    "Discuss: stopped for pain in two sessions in a row and not cleared by the last day "
    "shown; sessions leave it out until it is cleared. Talk it over with a physical "
    "therapist before doing it again."
)


EXERCISE_PAIN = (
    "Average pain during each exercise (when it hurt) and before and after the sessions "
    "that included it."
)

EXERCISE_TABLE = (
    "Exercises to discuss come first. Before, after, change: average pain around the "
    "sessions that included the exercise and have both ratings."
)


def weekly_target(target: int) -> str:
    """The caption of the sessions-per-week chart, naming the current weekly target."""
    return (
        "Bars: sessions each week, with the percentage of the target that week (dashed line; "
        f"now {target} a week). A new target counts from the week it was set; earlier weeks "
        f"keep theirs. {DOSE}"
    )


def figure_caption(figure: str, target: int) -> str:
    """What each Progress figure shows, by the figure's key (see core.progress.dashboard)."""
    captions = {
        "calendar": f"One square per day, weeks starting on Monday. {COUNTED_SESSION}",
        "weekly": weekly_target(target),
        "pain": f"{PAIN_TREND} {REFERENCE_COURSE} {ARTICLE_CLAIM}",
        "exercise": EXERCISE_PAIN,
        "pgic": PGIC,
        "psfs": PSFS,
    }
    return captions[figure]


def baseline_note(programme_start: date, start: date) -> str | None:
    """Why a range that starts after programme week 1 has no baseline; None if it covers it."""
    if start <= programme_start:
        return None
    return (
        "The baseline is the average pain of the first programme week (from "
        f"{format_day(programme_start)}), which these dates do not cover: comparisons with it "
        "are left out."
    )
