"""The therapist's caseload: who needs attention first, and why, in words (no database).

One :class:`CaseloadRow` per person holds the numbers the person's own pages show (see
:mod:`core.progress.caseload_data` for where each comes from). The attention rules:

* **warning_sign**: a warning sign reported and not yet cleared by a clinician; an
  emergency sign comes before an urgent one.
* **pain_up**: the 7-day mean of resting pain is 2 points or more above the baseline
  (the 2-point threshold of meaningful change, Ostelo et al. 2008, read the other way).
* **exercise**: an exercise stopped for pain in sessions in a row (twice flags it), or
  flagged to discuss and not cleared.
* **no_session**: no counted session for :data:`NO_SESSION_DAYS` days or more (counted from
  the programme start when there is none yet).
* **behind_target**: under half the target over the last four whole weeks of the
  programme (each week's target as it was then).

A person with any reason comes before everyone without one; among them, the most serious
reason first (the order above), then more reasons before fewer, then the larger gap (more
days, more points, more stops), then the name. A profile whose figures are hidden (a PIN
not entered) has no reasons and comes last.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import pandas as pd

from core.domain.safety import PAIN_STOPS_TO_FLAG, Tier
from core.domain.wording import format_day
from core.progress.six_week import MIC_POINTS, Change

ReasonKind = Literal["warning_sign", "pain_up", "exercise", "no_session", "behind_target"]
#: The reasons in order of seriousness, with the label of each one's filter.
REASON_LABELS: dict[ReasonKind, str] = {
    "warning_sign": "Warning sign reported",
    "pain_up": "Pain up since baseline",
    "exercise": "Exercise stopped or flagged",
    "no_session": "No recent session",
    "behind_target": "Behind the weekly target",
}
#: Days without a counted session that make a reason.
NO_SESSION_DAYS = 7
#: Below this share of the target over the last four whole weeks, a person is behind.
BEHIND_FRACTION = 0.5
#: Whole weeks looked back at for the target.
TARGET_WEEKS = 4

CHANGE_WORDS: dict[Change, str] = {
    "meaningful": "meaningful improvement",
    "two_points": "2 points better",
    "not_yet": "not yet",
}
TIER_WORDS: dict[Tier, str] = {"emergency": "emergency", "urgent": "urgent"}
_TIMES = {1: "once", 2: "twice"}


@dataclass(frozen=True)
class CaseloadRow:
    """One person on the caseload, as of their own local ``today``.

    ``sessions_4_weeks`` / ``target_4_weeks`` cover the last four whole Monday weeks since
    the programme started (fewer early on; a target of 0 means none yet); ``dose_pct`` is
    done / prescribed sets of those weeks and this one. ``pain_mean`` is the 7-day mean of
    resting ratings, ``change`` its meaningful-change state against ``pain_baseline`` (None
    until they can be compared). ``pain_stops`` maps an exercise to how many of its latest
    sessions in a row stopped it for pain. ``hidden``: a PIN keeps the figures out.
    """

    profile_id: str
    name: str
    today: date
    programme_week: int
    last_session: date | None = None
    sessions_this_week: int = 0
    target_this_week: int = 0
    sessions_4_weeks: int = 0
    target_4_weeks: int = 0
    dose_pct: float | None = None
    pain_mean: float | None = None
    pain_baseline: float | None = None
    change: Change | None = None
    flagged: tuple[str, ...] = ()
    pain_stops: Mapping[str, int] = field(default_factory=dict)
    warning: Tier | None = None
    last_updated: date | None = None
    programme_start: date | None = None
    hidden: bool = False


@dataclass(frozen=True)
class Reason:
    """Why a person needs attention: the rule, its words, and how far past the line."""

    kind: ReasonKind
    words: str
    size: float


@dataclass(frozen=True)
class CaseloadEntry:
    """A row and its reasons, most serious first."""

    row: CaseloadRow
    reasons: tuple[Reason, ...]

    @property
    def kinds(self) -> frozenset[ReasonKind]:
        return frozenset(reason.kind for reason in self.reasons)


def _points(value: float) -> str:
    """2 -> "2", 2.35 -> "2.4": whole points without a decimal."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _times(count: int) -> str:
    return _TIMES.get(count, f"{count} times")


def reasons_for(row: CaseloadRow, names: Mapping[str, str]) -> tuple[Reason, ...]:
    """Every attention rule the row meets, most serious first (see the module docstring)."""
    if row.hidden:
        return ()
    found: list[Reason] = []
    if row.warning is not None:
        size = 2.0 if row.warning == "emergency" else 1.0
        found.append(Reason("warning_sign", f"{TIER_WORDS[row.warning]} warning sign", size))
    if row.pain_mean is not None and row.pain_baseline is not None:
        rise = row.pain_mean - row.pain_baseline
        if rise >= MIC_POINTS - 1e-9:
            found.append(Reason("pain_up", f"pain up {_points(rise)} points since baseline", rise))
    stopped = {e: n for e, n in row.pain_stops.items() if n >= PAIN_STOPS_TO_FLAG}
    for exercise, count in sorted(stopped.items(), key=lambda item: (-item[1], item[0])):
        words = f"stopped {names.get(exercise, exercise).lower()} {_times(count)}"
        found.append(Reason("exercise", words, float(count)))
    for exercise in row.flagged:
        if exercise not in stopped:
            name = names.get(exercise, exercise).lower()
            found.append(Reason("exercise", f"{name} flagged to discuss", 1.0))
    if row.programme_week >= 1:
        if row.last_session is not None:
            idle = (row.today - row.last_session).days
            words = f"no session for {idle} days"
        else:
            idle = (row.today - row.programme_start).days if row.programme_start else 0
            words = f"no session yet, {idle} days into the programme"
        if idle >= NO_SESSION_DAYS:
            found.append(Reason("no_session", words, float(idle)))
    if row.target_4_weeks > 0 and row.sessions_4_weeks < BEHIND_FRACTION * row.target_4_weeks:
        words = (
            f"{row.sessions_4_weeks} of {row.target_4_weeks} sessions in the last "
            f"{TARGET_WEEKS} weeks"
        )
        gap = 1 - row.sessions_4_weeks / row.target_4_weeks
        found.append(Reason("behind_target", words, gap))
    order = list(REASON_LABELS)
    return tuple(sorted(found, key=lambda r: (order.index(r.kind), -r.size)))


def _priority(entry: CaseloadEntry) -> tuple[object, ...]:
    row, reasons = entry.row, entry.reasons
    name = (row.name or "").casefold()
    if not reasons:
        return (1, int(row.hidden), 0, 0.0, name, row.profile_id)
    top = reasons[0]
    return (0, list(REASON_LABELS).index(top.kind), -len(reasons), -top.size, name, row.profile_id)


def attention_order(rows: Sequence[CaseloadRow], names: Mapping[str, str]) -> list[CaseloadEntry]:
    """Every row with its reasons, who needs attention first (see the module docstring)."""
    entries = [CaseloadEntry(row, reasons_for(row, names)) for row in rows]
    return sorted(entries, key=_priority)


def matching(entries: Sequence[CaseloadEntry], kinds: Sequence[ReasonKind]) -> list[CaseloadEntry]:
    """The entries with at least one reason among ``kinds`` (all of them when none chosen)."""
    if not kinds:
        return list(entries)
    wanted = set(kinds)
    return [entry for entry in entries if entry.kinds & wanted]


# --------------------------------------------------------------------------- the table

HIDDEN = "PIN: unlock to see"


def _of(done: int, target: int) -> str:
    return f"{done} of {target}" if target else "–"


def _pain(row: CaseloadRow) -> str:
    if row.pain_mean is None:
        return "–" if row.pain_baseline is None else f"– (baseline {row.pain_baseline:.1f})"
    if row.pain_baseline is None:
        return f"{row.pain_mean:.1f}"
    return f"{row.pain_mean:.1f} (baseline {row.pain_baseline:.1f})"


def caseload_table(entries: Sequence[CaseloadEntry], names: Mapping[str, str]) -> pd.DataFrame:
    """The caseload as the page shows it: one row per person, in the entries' order."""
    records: list[dict[str, object]] = []
    for entry in entries:
        row = entry.row
        person = row.name or "Unnamed profile"
        if row.hidden:
            records.append({"Person": person, "Needs attention": HIDDEN})
            continue
        records.append(
            {
                "Person": person,
                "Needs attention": "; ".join(r.words for r in entry.reasons) or "–",
                "Last session": format_day(row.last_session) if row.last_session else "none yet",
                "This week": _of(row.sessions_this_week, row.target_this_week),
                f"Last {TARGET_WEEKS} weeks": _of(row.sessions_4_weeks, row.target_4_weeks),
                "Dose done": "–" if row.dose_pct is None else f"{row.dose_pct:.0f}%",
                "Pain, 7-day mean": _pain(row),
                "Change": "–" if row.change is None else CHANGE_WORDS[row.change],
                "Programme week": str(row.programme_week)
                if row.programme_week >= 1
                else "not started",
                "Exercises flagged": ", ".join(names.get(e, e) for e in row.flagged) or "–",
                "Warning sign": "–" if row.warning is None else TIER_WORDS[row.warning],
                "Records updated": format_day(row.last_updated) if row.last_updated else "–",
            }
        )
    columns = [
        "Person",
        "Needs attention",
        "Pain, 7-day mean",
        "Change",
        "Last session",
        "This week",
        f"Last {TARGET_WEEKS} weeks",
        "Dose done",
        "Programme week",
        "Exercises flagged",
        "Warning sign",
        "Records updated",
    ]
    return pd.DataFrame.from_records(records, columns=columns).fillna("")
