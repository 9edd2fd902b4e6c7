"""Importing an export file, drawn the same on Share & export and on the welcome page of an
empty app (restore): choose the file, see what it holds, then import it.

Importing the same file twice adds nothing; a wrong or damaged file changes nothing and
says why (:mod:`core.files.merging`).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core.db.store import Store, StoreError
from core.domain.validation import ValidationError
from core.domain.wording import format_instant
from core.files import merging
from ui.text import md_escape

#: What a page does once a file is imported: (the result, what the preview said).
Done = Callable[[merging.ImportResult, merging.ImportPreview], None]


def progress_bar(text: str) -> tuple[Callable[[float, str], None], Callable[[], None]]:
    """A progress bar and the callback core functions report to; the second clears it."""
    bar = st.progress(0.0, text=text)
    return (lambda fraction, message: bar.progress(fraction, text=message)), bar.empty


def owner_words(preview: merging.ImportPreview) -> str:
    """Whose records a file holds, escaped for markdown."""
    return md_escape(preview.profile_name) if preview.profile_name else "an unnamed profile"


def import_section(
    store: Store,
    *,
    key: str,
    time_zone: str,
    button: str,
    done: Done,
    help: str,
    update: bool = False,
) -> None:
    """The file picker, the file's contents and the import button (``key`` prefixes every
    widget key; ``button`` is the label, with ``{rows}`` for the count of new rows).

    With ``update`` (a therapist's caseload) a newer file also replaces the rows it changed,
    and the rows here it lacks are deleted only if the person ticks a box saying so.
    """
    round_key, preview_key = f"{key}_round", f"{key}_preview"
    import_round = st.session_state.get(round_key, 0)
    uploaded = st.file_uploader(
        "Choose an export zip file", type=["zip"], key=f"{key}_file_{import_round}", help=help
    )
    if uploaded is None:
        st.session_state.pop(preview_key, None)
        st.caption(
            "You see what the file holds before anything is added. Records already here are "
            "kept as they are, so importing the same file twice adds nothing."
        )
        return
    checked = st.session_state.get(preview_key)
    if checked is None or checked[0] != uploaded.file_id:
        report_progress, clear = progress_bar("Checking the file")
        try:
            result: merging.ImportPreview | str = merging.preview_import(
                store, uploaded.getvalue(), update=update, progress=report_progress
            )
        except ValidationError as error:
            result = str(error)
        clear()
        checked = (uploaded.file_id, result)
        st.session_state[preview_key] = checked
    preview = checked[1]
    if isinstance(preview, str):
        st.error(
            f"**This file cannot be imported; nothing was changed.**\n\n{preview}",
            icon=":material/error:",
        )
        return
    where = "already in this database" if preview.profile_exists else "new to this database"
    st.markdown(
        f"This file holds the records of **{owner_words(preview)}** ({where}), "
        f"{preview.span_words()}, exported {format_instant(preview.exported_at, time_zone)}."
    )
    if update:
        _update_part(store, uploaded.getvalue(), preview, key=key, done=done)
        return
    st.dataframe(
        {
            "Table": [t.table for t in preview.tables],
            "In the file": [t.rows_in_file for t in preview.tables],
            "New": [t.rows_new for t in preview.tables],
            "Already here": [t.rows_present for t in preview.tables],
            "Different here": [t.rows_different for t in preview.tables],
        },
        hide_index=True,
        key=f"{key}_preview_table",
    )
    if preview.rows_new == 0:
        st.info(
            "Everything in this file is already here: importing it would add nothing.",
            icon=":material/check:",
        )
        return
    st.caption("Rows already here are kept as they are, even where the file's copy differs.")
    if not st.button(
        button.format(rows=preview.rows_new),
        type="primary",
        key=f"{key}_confirm",
        icon=":material/upload:",
    ):
        return
    report_progress, clear = progress_bar("Importing")
    try:
        result_done = merging.import_export(store, uploaded.getvalue(), progress=report_progress)
    except (ValidationError, StoreError) as error:
        clear()
        st.error(f"**The import failed; nothing was changed.**\n\n{error}", icon=":material/error:")
        return
    clear()
    st.session_state.pop(preview_key, None)
    st.session_state[round_key] = import_round + 1
    done(result_done, preview)


def _update_part(
    store: Store, data: bytes, preview: merging.ImportPreview, *, key: str, done: Done
) -> None:
    """The counts of an update, the box that allows deleting, and its button."""
    st.dataframe(
        {
            "Table": [t.table for t in preview.tables],
            "In the file": [t.rows_in_file for t in preview.tables],
            "New": [t.rows_new for t in preview.tables],
            "Changed": [t.rows_changed for t in preview.tables],
            "Here, not in the file": [t.rows_missing for t in preview.tables],
        },
        hide_index=True,
        key=f"{key}_preview_table",
    )
    delete_missing = False
    if preview.rows_missing:
        st.warning(
            f"{preview.rows_missing} records here are not in this file (the person may have "
            "deleted them, or this file is older). They are kept unless you tick the box.",
            icon=":material/warning:",
        )
        delete_missing = st.checkbox(
            f"Also delete the {preview.rows_missing} records this file does not have",
            key=f"{key}_delete_missing",
        )
    if preview.rows_new + preview.rows_changed == 0 and not delete_missing:
        st.info(
            "Everything in this file is already here: importing it would change nothing.",
            icon=":material/check:",
        )
        return
    who = preview.profile_name or "this person"
    label = f"Update {who}'s records" if preview.profile_exists else f"Add {who}"
    if not st.button(label, type="primary", key=f"{key}_confirm", icon=":material/upload:"):
        return
    report_progress, clear = progress_bar("Importing")
    try:
        result = merging.import_export(
            store, data, update=True, delete_missing=delete_missing, progress=report_progress
        )
    except (ValidationError, StoreError) as error:
        clear()
        st.error(f"**The import failed; nothing was changed.**\n\n{error}", icon=":material/error:")
        return
    clear()
    st.session_state.pop(f"{key}_preview", None)
    st.session_state[f"{key}_round"] = st.session_state.get(f"{key}_round", 0) + 1
    done(result, preview)
