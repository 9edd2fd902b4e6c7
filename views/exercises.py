"""The catalogue of 17 exercises and the programme builder."""

from __future__ import annotations

import streamlit as st

from core.db.store import StoreError
from core.domain import explain, programme
from core.domain.catalog import clamp_item, programme_item
from core.domain.cautions import below_article_dose, cautions_for, preset_below_dose
from core.domain.models import ProgrammeItem
from core.domain.wording import describe_dosage, describe_equipment, format_minutes
from ui.figures import figure
from ui.inputs import whole_number
from ui.state import get_catalog, get_store, require_profile

store = get_store()
catalog = get_catalog()
profile = require_profile(store)

DRAFT_KEY = f"programme_draft_{profile.id}"
saved = programme.filter_programme(store.get_programme(profile.id), catalog, profile.recent_surgery)
if DRAFT_KEY not in st.session_state:
    st.session_state[DRAFT_KEY] = saved
draft: list[ProgrammeItem] = st.session_state[DRAFT_KEY]
excluded = programme.excluded_for_surgery(catalog) if profile.recent_surgery else ()


def _reset_dose_widgets() -> None:
    for key in [k for k in st.session_state if str(k).startswith(("dose_reps_", "dose_hold_"))]:
        del st.session_state[key]


def _replace_draft(items: list[ProgrammeItem]) -> None:
    st.session_state[DRAFT_KEY] = items
    _reset_dose_widgets()


st.title("Exercises")
st.write(
    "The 17 exercises from our source article, gentle stretches first, then strength work "
    "from easier to harder. None of them should hurt: mild strain is fine, pain means stop."
)
st.caption(explain.LEG_PAIN)
if profile.recent_surgery:
    st.warning(explain.SURGERY, icon=":material/healing:")

build_tab, flexibility_tab, strength_tab = st.tabs(
    ["My programme", "Flexibility (1–9)", "Strength (10–17)"]
)

with build_tab:
    presets = catalog.presets
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    preset_id = left.selectbox(
        "Start from a preset",
        list(presets),
        index=None,
        placeholder="Choose a preset",
        format_func=lambda key: f"{presets[key].name}: {presets[key].description}",
        key="preset_choice",
    )
    if preset_id is not None and (below := preset_below_dose(presets[preset_id], catalog)):
        st.caption(
            "Below the source article's dose: "
            + "; ".join(below)
            + f". {explain.SHORT_SESSIONS} Add more when you can."
        )
    if right.button("Use preset", key="use_preset", width="stretch", disabled=preset_id is None):
        _replace_draft(
            programme.filter_programme(presets[preset_id].items, catalog, profile.recent_surgery)
        )
        st.rerun()

    if not draft:
        st.info(
            "Your programme is empty. Pick a preset above, or add exercises one by one below.",
            icon=":material/playlist_add:",
        )

    problems: list[str] = []
    for index, item in enumerate(draft):
        exercise = catalog.get(item.exercise_id)
        bounds = exercise.bounds
        with st.container(border=True):
            thumb, title = st.columns([1, 5], vertical_alignment="center")
            with thumb:
                figure(exercise, "still_hold", size="thumb", key=f"thumb_{exercise.id}")
            title.markdown(f"**{index + 1}. {exercise.name}** · {exercise.position}")
            cols = st.columns([2, 2, 1, 1, 1], vertical_alignment="bottom")
            before = len(problems)
            reps = whole_number(
                "Times each side" if exercise.dosage.sides == "both" else "Repetitions",
                low=bounds.reps_min,
                high=bounds.reps_max,
                value=item.reps,
                key=f"dose_reps_{exercise.id}",
                where=cols[0],
                problems=problems,
                show_problem=False,
            )
            hold_s = item.hold_s
            if exercise.dosage.is_hold:
                hold_s = whole_number(
                    "Hold (seconds)",
                    low=bounds.hold_min_s,
                    high=bounds.hold_max_s,
                    value=item.hold_s,
                    key=f"dose_hold_{exercise.id}",
                    where=cols[1],
                    problems=problems,
                    show_problem=False,
                )
            for problem in problems[before:]:
                st.error(problem, icon=":material/error:")
            # Name the exercise in its problems: the save button lists them.
            problems[before:] = [f"{exercise.name}, {p}" for p in problems[before:]]
            if len(problems) == before and (reps, hold_s) != (item.reps, item.hold_s):
                draft = programme.set_dose(draft, index, reps=reps, hold_s=hold_s)
                st.session_state[DRAFT_KEY] = draft
            if cols[2].button(
                ":material/arrow_upward:",
                key=f"up_{exercise.id}",
                help="Move up",
                disabled=index == 0,
            ):
                st.session_state[DRAFT_KEY] = programme.move(draft, index, -1)
                st.rerun()
            if cols[3].button(
                ":material/arrow_downward:",
                key=f"down_{exercise.id}",
                help="Move down",
                disabled=index == len(draft) - 1,
            ):
                st.session_state[DRAFT_KEY] = programme.move(draft, index, 1)
                st.rerun()
            if cols[4].button(":material/close:", key=f"remove_{exercise.id}", help="Remove"):
                st.session_state[DRAFT_KEY] = programme.remove(draft, index)
                st.rerun()
            st.caption(describe_dosage(exercise.dosage, reps=int(reps), hold_s=int(hold_s)))
            chosen = ProgrammeItem(exercise.id, int(reps), int(hold_s))
            if (below := below_article_dose(chosen, exercise)) is not None:
                st.caption(f"Below the source article's dose. {below}.")
            for caution in cautions_for(exercise, profile):
                st.caption(f":orange[:material/warning:] {caution}")

    in_draft = {item.exercise_id for item in draft}
    addable = [
        e
        for e in programme.eligible_exercises(catalog, profile.recent_surgery)
        if e.id not in in_draft
    ]
    if addable:
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        to_add = left.selectbox(
            "Add an exercise",
            [e.id for e in addable],
            format_func=lambda key: f"{catalog.get(key).number}. {catalog.get(key).name}",
            key="add_choice",
        )
        if right.button("Add", key="add_exercise", width="stretch"):
            st.session_state[DRAFT_KEY] = programme.add(draft, programme_item(catalog.get(to_add)))
            st.rerun()

    draft = [clamp_item(item, catalog) for item in st.session_state[DRAFT_KEY]]
    duration = programme.estimate_duration_s(draft, catalog, lead_in_s=profile.lead_in_s)
    st.markdown(
        f"**{len(draft)} exercise{'s' if len(draft) != 1 else ''}, {format_minutes(duration)}**"
        if draft
        else ""
    )
    unsaved = draft != saved or bool(problems)
    left, right = st.columns(2)
    if left.button(
        "Save programme",
        type="primary",
        key="save_programme",
        disabled=not unsaved or bool(problems),
        help=f"Cannot save yet. {problems[0]}" if problems else None,
    ):
        try:
            store.save_programme(profile.id, draft)
        except StoreError as error:
            st.error(f"{error} Your changes are still here; try again.")
        else:
            st.toast("Programme saved.", icon=":material/check:")
            st.rerun()
    if right.button("Discard changes", key="discard_programme", disabled=not unsaved):
        _replace_draft(saved)
        st.rerun()
    if problems:
        st.error(
            "**Cannot save the programme yet**: "
            + " ".join(problems)
            + " Change the number, or discard the changes.",
            icon=":material/block:",
        )
    elif unsaved:
        st.caption("You have changes that are not saved yet.")
    elif draft:
        st.caption("Saved. Start it from Today or the Session page.")


def _show_group(group: str) -> None:
    for exercise in catalog.by_group(group):
        hidden = exercise in excluded
        title = f"{exercise.number}. {exercise.name}"
        with st.expander(title + (" (not for you right now)" if hidden else "")):
            picture, text = st.columns([2, 3])
            with picture:
                figure(exercise, "loop", size="small", key=f"figure_{exercise.id}")
            text.write(exercise.summary)
            text.markdown(
                f"**Position:** {exercise.position}  \n"
                f"**You need:** {describe_equipment(exercise.equipment)}  \n"
                f"**Dose:** {describe_dosage(exercise.dosage)}"
            )
            text.markdown("\n".join(f"{i}. {step}" for i, step in enumerate(exercise.steps, 1)))
            for caution in (*exercise.cautions, *cautions_for(exercise, profile)):
                text.markdown(f":orange[:material/warning:] {caution}")
            if hidden:
                st.caption(explain.SURGERY)
            st.caption(f"Source article's dose: {exercise.article_dosage}.")


with flexibility_tab:
    st.caption("Stretches for the hips, legs and back. They ease stiffness around the spine.")
    _show_group("flexibility")
with strength_tab:
    st.caption(
        "Core and back strength, from easier to harder. Draw your belly button in for each; "
        "don't push the stomach out."
    )
    _show_group("strength")
