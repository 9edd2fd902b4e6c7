"""Write the figures of the last reliability run into RELIABILITY.md.

``python -m tests.reliability.report`` reads ``artifacts/reliability/*.json`` (written by
the ``figures`` fixture) and replaces the table between the ``figures:start`` and
``figures:end`` markers of RELIABILITY.md. Rows whose tests did not run keep a dash.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "artifacts" / "reliability"
REPORT = REPO_ROOT / "RELIABILITY.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


@dataclass(frozen=True)
class Row:
    prop: str
    tests: str
    artifacts: tuple[str, ...]  # artifact file stems (prefixes) whose figures this row shows
    show: str  # a format string over the summed figures, or a fixed text


ROWS: tuple[Row, ...] = (
    Row(
        "1. Concurrent use, store level: 8 threads x 500 writes (pain ratings and set records) "
        "through one connection and a cursor per thread, for one profile and a profile each",
        "`tests/reliability/test_concurrent_store.py`",
        ("test_concurrent_store__",),
        "writes attempted {writes_attempted} (both variants), stored {writes_stored} (after "
        "reopen "
        "{writes_after_reopen}), duplicates {duplicates}, exceptions {exceptions}",
    ),
    Row(
        "2. Concurrent browser sessions: 8 Playwright contexts on one `streamlit run` server, "
        "all writing at once: check-ins (one profile); check-ins, then tapped sets (a profile "
        "each)",
        "`tests/reliability/test_concurrent_browsers.py`",
        ("test_concurrent_browsers__",),
        "writes per session over both variants {writes_per_session}, writes attempted "
        "{writes_attempted}, stored {checkins_stored} check-ins + "
        "{sets_stored} sets, confirmed on screen {writes_confirmed_on_screen}, duplicates "
        "{duplicates}, errors reaching a user {errors_reaching_a_user}",
    ),
    Row(
        "3. Crash: SIGKILL mid-session at 10 seeded random moments; the file opens, every "
        "confirmed hold/rep is there, the session resumes, `.wal` leftovers start fine",
        "`tests/reliability/test_crash_recovery.py`",
        ("test_crash_recovery__",),
        "crashes survived {crashes_survived}/{crashes_planned}, restarts on a `.wal` leftover "
        "{restarts_with_wal_leftover}, resume offers matching the file "
        "{resume_offers_matching_the_file}, resumed {resumed}, holds/reps recorded "
        "{holds_and_reps_recorded} (holds {holds_recorded}), confirmed then lost "
        "{confirmed_then_lost}, in flight at the kill and kept {in_flight_at_kill_and_kept}, "
        "errors reaching a user {errors_reaching_a_user}",
    ),
    Row(
        "4a. Disk full (injected `duckdb.IOException` in the store's write path, AppTest): "
        "check-in, programme, settings, setup, session start/set/finish, ending an unfinished "
        "session as partial, the weekly check-in",
        "`tests/reliability/test_write_failures.py` (AppTest tests)",
        (
            "test_write_failures__test_a_pain",
            "test_write_failures__test_a_programme_that",
            "test_write_failures__test_settings",
            "test_write_failures__test_first_use",
            "test_write_failures__test_sets",
            "test_write_failures__test_ending",
            "test_write_failures__test_a_weekly",
        ),
        "failed writes tried {failed_writes_tried}, 'not saved' shown {not_saved_messages}, "
        "inputs kept on screen {inputs_kept}, saved rows changed "
        "{rows_changed_by_a_failed_write}, errors reaching a user "
        "{exceptions_reaching_a_user}",
    ),
    Row(
        "4b. Disk full and read-only for real: a 3 MB tmpfs in a private mount namespace, "
        "filled, then read-only media",
        "`tests/reliability/test_write_failures.py::test_real_full_then_read_only_disk`",
        ("test_write_failures__test_real_full",),
        "writes tried {disk_full_writes_tried} on a full disk (refused {disk_full_refused}, "
        "fitted in free WAL space {disk_full_stored_in_slack}) + {read_only_writes_tried} "
        "read-only (refused {read_only_refused}), saved rows damaged {saved_rows_damaged}, "
        "unexpected errors {unexpected_errors}, first write after recovery stored "
        "{writes_after_recovery_stored}/2",
    ),
    Row(
        "4c. A commit that fails for lack of room (DuckDB has then already ended the "
        "transaction) is reported as 'the disk is full', not hidden by the rollback's error",
        "`tests/reliability/test_write_failures.py::test_a_programme_refused_by_a_full_disk_"
        "says_the_disk_is_full`",
        ("test_write_failures__test_a_programme_refused",),
        "programme saves refused {programme_saves_refused}, of which said 'disk is full' "
        "{said_disk_full}",
    ),
    Row(
        "5a. Bad input (hypothesis): every validator (PINs, number ranges and text cut to "
        "its limit included), notes stored verbatim, mutated catalogues, damaged export files, "
        "durations",
        "`tests/reliability/test_bad_input.py`",
        (
            "test_bad_input__test_pain",
            "test_bad_input__test_notes",
            "test_bad_input__test_a_stored",
            "test_bad_input__test_names",
            "test_bad_input__test_dates",
            "test_bad_input__test_time",
            "test_bad_input__test_weekly",
            "test_bad_input__test_psfs",
            "test_bad_input__test_finite",
            "test_bad_input__test_a_set_duration",
            "test_bad_input__test_a_mutated",
            "test_bad_input__test_a_damaged",
            "test_bad_input__test_any_object",
            "test_bad_input__test_zz",
        ),
        "inputs tried {inputs_tried} (catalogue data {mutated catalogue data}, refused "
        "{catalogue refused}; export files {damaged export files}, refused {export files "
        "refused}, accepted {export files accepted}); any other exception: 0 (it would fail "
        "a test); NaN and infinite set durations refused, none stored",
    ),
    Row(
        "5b. Share tokens: 1,000 malformed tokens (plus a revoked and an expired one)",
        "`tests/reliability/test_bad_input.py::test_a_thousand_malformed_share_tokens_open_"
        "nothing`",
        ("test_bad_input__test_a_thousand",),
        "tokens tried {tokens_tried}, grants returned {grants_returned}",
    ),
    Row(
        "5c. Notes that look like SQL/HTML/markdown shown verbatim (weekly review, AppTest); "
        "the pain chart's hover label and a PSFS activity in the chart legend (plotly.js in "
        "Chromium)",
        "`tests/reliability/test_notes_verbatim.py`",
        ("test_notes_verbatim__",),
        "notes {notes}, shown as plain text {shown_as_plain_text}, through markdown "
        "{shown_through_markdown}; hover draws a note's `<b>` as bold: {bold_markup}; PSFS "
        "activity named with `<b>`, `<i>` and `%{{y}}`: legend as written "
        "{legend_shown_as_written}/{legend_names}, bold {legend_bold}, hover as written "
        "{hover_shown_as_written}",
    ),
    Row(
        "5d. Deleted means gone from the file: check-ins, corrected values, sessions and a "
        "profile of a two-profile demo file, each text marked; some deletions while another "
        "session is mid-page",
        "`tests/reliability/test_erasure.py`",
        ("test_erasure__",),
        "deleted {checkins_deleted} check-ins, {sessions_deleted} sessions, "
        "{profiles_deleted} profile; corrected {values_corrected} values; markers of deleted "
        "text found in the file or its WAL {markers_of_deleted_found} (of "
        "{markers_checked} checked), kept text intact {markers_kept_found}/{markers_kept}; "
        "erasings that waited for another session {erasings_that_waited}, still owed at the "
        "end {erasings_still_owed}; rows of the deleted profile left {bea_rows_left}; each "
        "erasing {erase_ms_median} ms median, {erase_ms_max} ms at most ({file_mb} MB file)",
    ),
    Row(
        "6. Upgrades: every committed schema fixture opens, upgrades, keeps every row; a newer "
        "file is refused and left untouched",
        "`tests/unit/test_store.py::test_every_committed_schema_version_upgrades_and_keeps_its"
        "_rows`, `::test_a_database_from_a_newer_version_is_refused_and_left_untouched`",
        (),
        "fixtures: {schema_fixtures} (`tests/fixtures/schema_v*.duckdb`); not duplicated here",
    ),
    Row(
        "7. Locked database: a clear message naming the file and the remedy, recovery without "
        "a restart",
        "`tests/app/test_locked_database.py`",
        (),
        "referenced, not duplicated",
    ),
    Row(
        "8. No outside requests: every page with non-local requests blocked and recorded",
        "`tests/e2e/test_browser.py::test_no_request_leaves_the_computer`",
        (),
        "referenced, not duplicated (asserts 0 attempted)",
    ),
    Row(
        "9. Access: a share view reaches only its profile and range, has no input widget, the "
        "passphrase gate cannot be skipped, no token in any log line",
        "`tests/reliability/test_access_ui.py` (AppTest: the link, gate and log tests); the "
        "server's output in Chromium: `tests/e2e/test_sharing_browser.py::test_a_link_opens_a_"
        "read_only_dashboard_until_it_is_revoked`",
        (
            "test_access_ui__test_a_link",
            "test_access_ui__test_the_passphrase",
            "test_access_ui__test_fuzzed_query_strings_never",
            "test_access_ui__test_no_token",
        ),
        "link views {link_views}: the plain link, {link_tweaks} with tweaked query strings or "
        "owner page paths (identical to the plain view: {views_identical_to_the_plain_link}), "
        "the other profile's link; the other profile's values shown "
        "{other_profile_values_shown}, "
        "values from outside the dates {out_of_range_values_shown} (page and report), record "
        "dates shown {record_dates_shown} of which outside the range "
        "{record_dates_outside_range}, input widgets {input_widgets}; gate: page paths x query "
        "strings {gate_requests} + fuzzed {gate_fuzzed}, pages other than the login page "
        "{gate_pages_with_data}; log records captured at DEBUG {log_lines_captured}, with a "
        "token {log_lines_with_a_token}; tokens in the share tables {tables_with_a_token}",
    ),
    Row(
        "10. Query parameters and share tokens fuzzed through the UI: 0 pages with data",
        "`tests/reliability/test_access_ui.py::test_a_thousand_malformed_share_tokens_through_"
        "the_ui_show_no_data`, `::test_fuzzed_query_strings_without_a_valid_last_share_show_no_"
        "data`",
        (
            "test_access_ui__test_a_thousand",
            "test_access_ui__test_fuzzed_query_strings_without",
        ),
        "tokens tried {tokens_tried} ({malformed_tokens} malformed, a revoked and an expired "
        "one), each in a fresh session and all in one session: pages {pages_judged}; fuzzed "
        "query strings {query_strings_tried} (repeated `share` {repeated_share}, a valid token "
        "elsewhere {valid_token_elsewhere}, behind the passphrase {behind_the_gate}, at a page "
        "path {with_a_page_path}, up to {longest_query_chars} characters); pages with data "
        "{pages_with_data}, pages other than the neutral message {pages_not_neutral}; throttle "
        "waits: fresh sessions {throttle_waits_fresh_sessions}, one session "
        "{throttle_waits_one_session} ({throttle_seconds_one_session} s in all, none slept); "
        "log records with a token {log_lines_with_a_token}",
    ),
)


def _load() -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text()) for path in sorted(ARTIFACTS.glob("*.json"))}


def _sum(records: list[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {}
    for record in records:
        for key, value in record["figures"].items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                total.setdefault(key, value)
            else:
                total[key] = total.get(key, 0) + value
    return total


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "–"


def render() -> str:
    loaded = _load()
    fixtures = len(list((REPO_ROOT / "tests" / "fixtures").glob("schema_v*.duckdb")))
    lines = [
        "| Property | Test | Figures from the last run | Outcome |",
        "|---|---|---|---|",
    ]
    for row in ROWS:
        records = (
            [r for stem, r in loaded.items() if stem.startswith(row.artifacts)]
            if (row.artifacts)
            else []
        )
        figures = _Missing(_sum(records))
        figures["schema_fixtures"] = fixtures
        shown = row.show.format_map(figures)
        if row.artifacts and not records:
            shown, outcome = "not run", "–"
        elif records:
            outcomes = sorted({r["outcome"] for r in records})
            stamp = max(r["finished_at"] for r in records)
            outcome = f"{', '.join(outcomes)} ({len(records)} test{'s' * (len(records) > 1)}, "
            outcome += f"{stamp})"
        elif "pending" in shown:
            outcome = "pending"
        else:
            outcome = "referenced (runs in its own layer)"
        lines.append(f"| {row.prop} | {row.tests} | {shown} | {outcome} |")
    return "\n".join(lines)


def main() -> int:
    text = REPORT.read_text()
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        print(f"{REPORT} has no {START} ... {END} block", file=sys.stderr)
        return 1
    REPORT.write_text(pattern.sub(lambda _: f"{START}\n{render()}\n{END}", text))
    print(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
