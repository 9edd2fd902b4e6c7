"""Safety rules: the warning signs that mean medical help rather than exercise, in two tiers
with different actions, the pain level that brings them up again, and when an exercise that
hurts is set aside.

The signs follow NHS and NICE guidance on low back pain and cauda equina syndrome (see
DESIGN.md, "Clinical facts"); the wording is ours and names no country's services.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Tier = Literal["emergency", "urgent"]
TIERS: tuple[Tier, ...] = ("emergency", "urgent")


@dataclass(frozen=True)
class WarningSign:
    """One warning sign a person can report: its id (stored), tier and the words they tick."""

    id: str
    tier: Tier
    text: str


#: Every warning sign, emergency tier first. The first seven ids are the ones the first
#: setup stored in ``profiles.red_flags``: they keep their ids so old answers still read.
WARNING_SIGNS: tuple[WarningSign, ...] = (
    WarningSign(
        "saddle_numbness",
        "emergency",
        "Numbness or tingling around your genitals, buttocks or inner thighs",
    ),
    WarningSign(
        "bladder_bowel",
        "emergency",
        "New difficulty peeing, or losing control of your bladder or bowel",
    ),
    WarningSign("sexual_function", "emergency", "A new change in sexual function"),
    WarningSign("both_legs", "emergency", "Pain, numbness or weakness in both legs"),
    WarningSign("leg_weakness", "emergency", "Weakness in a leg that is severe or getting worse"),
    WarningSign("trauma", "emergency", "Back pain that started after a serious accident or fall"),
    WarningSign(
        "minor_trauma_fragile",
        "emergency",
        "Back pain after a minor fall or strain, if you have osteoporosis or take steroids "
        "long term",
    ),
    WarningSign("chest_pain", "emergency", "Chest pain"),
    WarningSign("fever_unwell", "urgent", "A fever, or feeling generally unwell"),
    WarningSign("weight_loss", "urgent", "Weight loss you cannot explain"),
    WarningSign("cancer_history", "urgent", "A history of cancer"),
    WarningSign(
        "night_pain", "urgent", "Pain that does not ease when you rest, or is much worse at night"
    ),
    WarningSign(
        "lump_or_shape", "urgent", "A lump or swelling on your back, or a change in its shape"
    ),
    WarningSign("unsteady_walking", "urgent", "New unsteadiness when you walk"),
    WarningSign(
        "immune_or_injecting",
        "urgent",
        "A weakened immune system (from an illness or medicine), or injecting drugs",
    ),
)

SIGNS_BY_ID: dict[str, WarningSign] = {sign.id: sign for sign in WARNING_SIGNS}

#: What to do, by tier: the heading above each list and the action a reported sign asks for.
TIER_ACTION: dict[Tier, str] = {
    "emergency": "Call your emergency number or go to an emergency department now",
    "urgent": "Get an urgent appointment with a doctor today",
}


def signs_of(tier: Tier) -> tuple[WarningSign, ...]:
    """The warning signs of one tier, in list order."""
    return tuple(sign for sign in WARNING_SIGNS if sign.tier == tier)


def sign_for(sign_id: str) -> WarningSign:
    """The warning sign stored under ``sign_id``.

    An id this version does not know (written by another version of the app) still reads:
    as an emergency, the safer tier, with words that say a sign was reported.
    """
    known = SIGNS_BY_ID.get(sign_id)
    if known is not None:
        return known
    return WarningSign(sign_id, "emergency", f"A warning sign you reported ({sign_id})")


def most_urgent(tiers: list[Tier] | tuple[Tier, ...]) -> Tier | None:
    """The most urgent of ``tiers`` (emergency before urgent); None for none."""
    for tier in TIERS:
        if tier in tiers:
            return tier
    return None


#: A pain rating at or above this brings up the warning signs wherever it is given.
PAIN_SEVERE = 8


def is_severe(pain: int | None) -> bool:
    """True for a 0-10 rating that should bring up the warning signs."""
    return pain is not None and pain >= PAIN_SEVERE


#: Stopped for pain in this many sessions in a row, an exercise is set aside to discuss.
PAIN_STOPS_TO_FLAG = 2
FLAG_REASON = "Stopped for pain in two sessions in a row."
