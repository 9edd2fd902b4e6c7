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
    "Baseline: the average resting pain rating (at setup, before sessions and at check-ins) "
    "of the first programme week, or the rating given at setup if that week has none."
)

RESTING_RATINGS = (
    "The trend, the baseline and the six-week status use resting ratings only: at setup, "
    "before sessions and at check-ins. Ratings right after a session measure that session's "
    "short-term effect and are shown on their own."
)

MEANINGFUL = (
    "Meaningful change (Ostelo et al. 2008, Spine): a 7-day average of resting pain 30% or "
    "more below the baseline is meaningful improvement; 2 points or more below it meets a "
    "second published threshold. The 30% threshold grows and shrinks with the baseline, so "
    "it is the one that decides."
)

SIX_WEEK_WINDOW = (
    "Six-week window: programme weeks 1-6, each seven days counted from the programme start "
    "date (whatever weekday that was)."
)

THRESHOLD_SOURCES = (
    "Meaningful change: 30% or more below the baseline, or 2 points for one published "
    "threshold (Ostelo et al. 2008, Spine); not better after about six weeks: see a doctor "
    "or physical therapist (NHS back pain guidance)."
)

SEE_A_CLINICIAN = (
    "Not better after about six weeks is the usual point to see a doctor or physical "
    "therapist again (NHS back pain guidance)."
)

ARTICLE_CLAIM = (
    "The source article says “about 80 to 90% of physical therapy patients with acute lower "
    "back pain felt better after six weeks”, crediting Penn Medicine: the article's claim, "
    "not a promise. A review of the published studies (Pengel et al. 2003, BMJ) found that "
    "pain fell by about 58% within a month, and that the often-repeated figure of 90% better "
    "within six weeks is not supported by evidence."
)

PAIN_TREND = (
    "Points: resting pain ratings, before sessions, at check-ins and at setup (averages per "
    "day, week, month or quarter when the range is long). Solid line: their 7-day average. "
    "Shaded: programme weeks 1-6."
)

SESSION_EFFECT = (
    "Pain before and right after each session (averages per week, month or quarter when the "
    "range is long). "
    "Exercise often eases pain for a while, so these pairs show each session's short-term "
    "effect; ratings taken right after a session are kept out of the pain trend."
)

PGIC = (
    "PGIC (Patient Global Impression of Change): the weekly answer to how the back has "
    "changed overall, from 1 (very much better) to 7 (very much worse)."
)

PSFS = (
    "PSFS (Patient-Specific Functional Scale): weekly 0-10 ratings of the activities named, "
    "0 = unable to do it, 10 = able to do it as well as before; the score is their average, "
    "and a change of about 2 points is meaningful (Stratford et al. 1995, Physiotherapy "
    "Canada)."
)

SEVERE_PAIN = (
    "Pain of 8 or more out of 10 is severe. Don't exercise through it. If any of the signs "
    "below is new, do what its heading says."
)

AFTER_SEVERE_PAIN = (
    "Leave exercise for now, keep gently on the move, and rate your pain again later. If a "
    "sign in the lists above is new, get help as its heading says."
)

CARE_FIRST = (
    "You reported a warning sign that a clinician needs to check. Exercises are not the "
    "right step until one has checked you."
)

STAY_ACTIVE = (
    "Stay as active as the pain allows: gentle walking and your usual daily activities help "
    "back pain settle, and lying in bed does not (NHS back pain guidance). Pain relief or a "
    "warm or cold pack can make moving easier; a pharmacist can say which suits you."
)

LEG_PAIN = (
    "Pain that spreads down a leg can come from an irritated nerve, which these exercises "
    "may not settle. If you cannot do them without pain, see a doctor or physical therapist "
    "(the source article gives the same advice)."
)

SURGERY = (
    "You told us you had lower-back surgery recently. Follow your surgical team's plan for "
    "the whole programme and ask them before starting any exercise here. Press ups and "
    "prone cobras arch the back and are left out; the cow half of cat and cow arches it too."
)

SHORT_SESSIONS = (
    "The source article's general advice is to exercise for 30 minutes, 5 times a week."
)

#: Personal cautions (core.domain.cautions), by what the exercise asks of the body.
CAUTION_LYING_BACK = (
    "In pregnancy: lying flat on your back can make you feel faint later on. Raise your head "
    "and shoulders on pillows, or do it lying on your side, as your midwife or doctor advises."
)
CAUTION_LYING_STOMACH = (
    "In pregnancy: lying on your stomach gets harder as the bump grows. Skip it, or do bird "
    "dog on hands and knees instead, as your midwife or doctor advises."
)
CAUTION_END_RANGE = (
    "With osteoporosis: don't bend or twist your spine as far as it goes (Too Fit To "
    "Fracture, Giangregorio et al. 2015). Go only part of the way, keep your back long, and "
    "stop well before the end of the movement."
)
CAUTION_STANDING = (
    "Stand beside something steady you can hold on to, such as a worktop or a heavy chair."
)
CAUTION_STANDING_FRAGILE = (
    "With osteoporosis a fall can break a bone: hold on to something steady all the way "
    "through, and skip this stretch if your balance is unsure."
)
CAUTION_ARCHES_PART = (
    "After your recent back surgery: the cow half (belly sinking, looking up) arches your "
    "back. Do only the cat half, or skip it, unless your surgical team says otherwise."
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


#: How the weekly check-in charts draw years of answers (core.progress.periods).
LONG_RANGE_PGIC = "Over years: the middle (median) answer of each month or quarter."
LONG_RANGE_PSFS = "Over years: the average of each month or quarter."


def weekly_target(target: int) -> str:
    """The caption of the sessions-per-week chart, naming the current weekly target."""
    return (
        "Bars: sessions each week, with the percentage of the target that week (dashed line; "
        f"now {target} a week). A new target counts from the week it was set; earlier weeks "
        f"keep theirs. Over years, a bar is a month's or a quarter's average a week. {DOSE}"
    )


def figure_caption(figure: str, target: int, course_note: str = "") -> str:
    """What each Progress figure shows, by the figure's key (see core.progress.dashboard);
    ``course_note`` is :func:`course_note` for the pain chart."""
    captions = {
        "calendar": f"One square per day, weeks starting on Monday. {COUNTED_SESSION}",
        "weekly": weekly_target(target),
        "pain": f"{PAIN_TREND} {course_note} {ARTICLE_CLAIM}".replace("  ", " "),
        "effect": SESSION_EFFECT,
        "exercise": EXERCISE_PAIN,
        "pgic": f"{PGIC} {LONG_RANGE_PGIC}",
        "psfs": f"{PSFS} {LONG_RANGE_PSFS}",
    }
    return captions[figure]


_COHORT_WORDS = {
    "acute": (
        "people whose pain had lasted under 12 weeks when they joined the studies (acute "
        "cohorts; Menezes Costa et al. 2012, CMAJ: average pain 52/100 when the pain began, 23 "
        "after 6 weeks, 12 after 26 weeks, 6 after 52 weeks)"
    ),
    "persistent": (
        "people whose pain had lasted 12 weeks to a year when they joined the studies "
        "(persistent cohorts; Menezes Costa et al. 2012, CMAJ: average pain 51/100 when they "
        "joined, 33 six weeks later, 26 after 26 weeks, 23 after 52 weeks)"
    ),
}

_NO_COURSE = {
    "not_asked": (
        "No expected-course line: it needs to know when this episode of back pain began "
        "(answer in Settings)."
    ),
    "unknown": (
        "No expected-course line: the published course is counted from when the pain began, "
        "which is not known."
    ),
    "over_a_year": (
        "No expected-course line: the pain began a year or more before the programme start, "
        "beyond the people the published course follows (Menezes Costa et al. 2012)."
    ),
    "after_start": (
        "No expected-course line: the date the pain began is after the programme start, so "
        "the baseline comes from before it. Check both dates in Settings."
    ),
    "no_baseline": (
        "No expected-course line yet: it is scaled to the baseline, which needs a pain rating."
    ),
}


def course_note(cohort: str | None, reason: str | None, onset_is_estimate: bool) -> str:
    """What the dashed expected-course line is, or one line on why there is none
    (see :func:`core.domain.course.expected_course`)."""
    if cohort is None:
        return _NO_COURSE[reason or "not_asked"]
    placed = (
        "placed by the date the pain began"
        if cohort == "acute"
        else "placed from 12 weeks after the pain began (the earliest these people's pain "
        "could have begun)"
    )
    text = (
        f"Dashed red line: the published average course of {_COHORT_WORDS[cohort]}, {placed} "
        "and scaled to pass through the baseline at the programme start: a population "
        "average, not a forecast."
    )
    if onset_is_estimate:
        text += (
            " The pain began more than 3 months ago, date not given: the line takes it to "
            "have begun 12 weeks before the programme start. If it began longer ago, the "
            "published average falls less steeply than drawn."
        )
    return text


def six_week_window_days(programme_start: date) -> str:
    """The six-week window in programme days, for a page whose weeks are Monday weeks."""
    return (
        "Six-week window: the 42 days from the programme start date "
        f"({format_day(programme_start)}). The weeks on this page are Monday weeks, so the "
        "status counts programme days."
    )


def baseline_note(programme_start: date, start: date) -> str | None:
    """Why a range that starts after programme week 1 has no baseline; None if it covers it."""
    if start <= programme_start:
        return None
    return (
        "The baseline is the average pain of the first programme week (from "
        f"{format_day(programme_start)}), which these dates do not cover: comparisons with it "
        "are left out."
    )


CASELOAD_ORDER = (
    "Who comes first: a warning sign no clinician has cleared yet; a 7-day average of resting "
    "pain 2 points or more above the baseline (the 2-point threshold of meaningful change, "
    "Ostelo et al. 2008, Spine, read upwards); an exercise stopped for pain in sessions in a "
    "row, or flagged; no session for 7 days or more; fewer than half the target sessions over "
    "the last 4 whole weeks. The 7 days and the half are this app's choices for sorting the "
    "list, not clinical thresholds."
)

CASELOAD_SAME_NUMBERS = (
    "Every figure is the one the person sees on their own pages, as of today in their time "
    "zone: sessions that count (ended, with at least one hold or repetition done) against the "
    "target in force each week, dose as sets done of those prescribed this week and the last "
    "4, and the pain, baseline and change of their six-week status."
)
