"""The benchmark's budgets (pass or miss per line) and its printed table."""

from __future__ import annotations

from typing import Any

from bench.stats import ratio

MB = 1_000_000
BUDGETS_TEXT = {
    "warm": 1.5,  # warm rerun / floor, at 5 years
    "first": 5.0,  # first run on fresh data / floor, at 5 years
    "bytes": 1 * MB,  # what one page sends, every scale
    "clinic": 2.0,  # clinic page time / the same profile alone
    "write_p95_ms": 10.0,  # Store.record_set p95, every scale
    "chromium": 1.5,  # Progress drawn (its open section) / one small chart, 5 years
    "rss_mb": 400.0,  # server peak RSS after every page, 5 years
    "session": 1.5,  # Session page in a hold: with its figure / without (first and reruns)
    "share": 1.3,  # share link opened (first time, and again) / one small chart, 5 years
    "startup": 1.5,  # first page after a server start / a bare page after its server start
    "long_bytes": 500_000,  # what Progress and Weekly review send for 50 years of one profile
    "caseload": 1.5,  # the clinic's Caseload drawn / one small chart, same run
}
PAGE_TITLES = {"progress": "Progress", "weekly_review": "Weekly review"}


def _median(entry: dict[str, Any] | None) -> float | None:
    return None if not entry else entry.get("median")


def page_ratios(page: dict[str, Any]) -> dict[str, float | None]:
    """First run and warm reruns as multiples of the floor (the floor page's reruns)."""
    floor = _median(page["floor_warm"])
    return {
        "first": ratio(_median(page["first"]), floor),
        "warm": ratio(_median(page["warm"]), floor),
    }


def page_bytes(scale: dict[str, Any], page: str) -> int:
    """The larger of the AppTest count and the websocket count (when the browser ran)."""
    sent = scale["measure"]["pages"][page]["bytes"]["page"]
    server = scale.get("server") or {}
    path = {"progress": "progress", "weekly_review": "weekly_review"}[page]
    ws = server.get("pages", {}).get(path, {}).get("ws_bytes", 0)
    return max(int(sent), int(ws))


def budgets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every budget line of the issue with its value, its limit and pass/miss."""
    lines: list[dict[str, Any]] = []
    scales: dict[str, Any] = results["scales"]

    def add(name: str, value: float | None, limit: float, unit: str = "x") -> None:
        lines.append(
            {
                "budget": name,
                "value": value,
                "limit": limit,
                "unit": unit,
                "result": "n/a" if value is None else ("pass" if value <= limit else "miss"),
            }
        )

    five = scales.get("5y")
    if five:
        for page, title in PAGE_TITLES.items():
            ratios = page_ratios(five["measure"]["pages"][page])
            add(f"{title} at 5 years: warm rerun / floor", ratios["warm"], BUDGETS_TEXT["warm"])
            add(f"{title} at 5 years: first run / floor", ratios["first"], BUDGETS_TEXT["first"])
    for key, scale in scales.items():
        largest = max(PAGE_TITLES, key=lambda page: page_bytes(scale, page))
        add(
            f"Page sent to the browser, {scale['label']} (largest: {PAGE_TITLES[largest]})",
            page_bytes(scale, largest),
            BUDGETS_TEXT["bytes"],
            "bytes",
        )
        del key
    clinic, alone = scales.get("clinic"), scales.get("clinic_alone")
    if clinic and alone:
        for page, title in PAGE_TITLES.items():
            ours, theirs = clinic["measure"]["pages"][page], alone["measure"]["pages"][page]
            worst = max(
                ratio(_median(ours[run]), _median(theirs[run])) or 0.0 for run in ("first", "warm")
            )
            add(
                f"{title}, clinic file / the profile alone (worse of first and warm)",
                worst,
                BUDGETS_TEXT["clinic"],
            )
    for scale in scales.values():
        session = scale["measure"].get("session")
        if not session:
            continue
        worst = max(
            ratio(_median(session[run]), _median(session[f"floor_{run}"])) or 0.0
            for run in ("first", "warm")
        )
        add(
            f"Session page in a hold, {scale['label']}: with its figure / without "
            "(worse of first run and rerun)",
            worst,
            BUDGETS_TEXT["session"],
        )
        add(
            f"Session page sent to the browser in a hold, {scale['label']}",
            session["bytes"]["page"],
            BUDGETS_TEXT["bytes"],
            "bytes",
        )
    for scale in scales.values():
        add(
            f"Writing a set, p95, {scale['label']}",
            scale["measure"]["write_set_ms"]["p95"],
            BUDGETS_TEXT["write_p95_ms"],
            "ms",
        )
    browser = results.get("browser") or {}
    if browser.get("progress_ms"):
        add(
            "Chromium, 5 years: Progress drawn (the section it opens on) / one small chart",
            ratio(_median(browser["progress_ms"]), _median(browser["one_chart_ms"])),
            BUDGETS_TEXT["chromium"],
        )
    paint = results.get("first_paint") or {}
    share, startup = paint.get("share") or {}, paint.get("startup") or {}
    at = paint.get("label", "5 years")
    for run, words in (("first", "the first time"), ("repeat", "again")):
        if share.get(f"share_{run}_ms"):
            add(
                f"Chromium, {at}: a share link opened {words} / one small chart",
                ratio(_median(share[f"share_{run}_ms"]), _median(share["one_chart_ms"])),
                BUDGETS_TEXT["share"],
            )
    if startup.get("first_page_ms"):
        add(
            f"Chromium, {at}: first page after a server start (serve.py) / a bare page "
            "after its start",
            ratio(_median(startup["first_page_ms"]), _median(startup["bare_ms"])),
            BUDGETS_TEXT["startup"],
        )
    long = results.get("long_history") or {}
    for page, sent in long.get("pages", {}).items():
        add(
            f"{PAGE_TITLES.get(page, page)} sent to the browser, {long['label']}",
            sent["ws_bytes"],
            BUDGETS_TEXT["long_bytes"],
            "bytes",
        )
    caseload = results.get("caseload") or {}
    if caseload.get("caseload_ms"):
        add(
            f"Chromium, clinic: Caseload of {caseload['profiles']} profiles / one small chart",
            ratio(_median(caseload["caseload_ms"]), _median(caseload["one_chart_ms"])),
            BUDGETS_TEXT["caseload"],
        )
        add(
            "Caseload sent to the browser, clinic",
            caseload["caseload_ws_bytes"],
            BUDGETS_TEXT["bytes"],
            "bytes",
        )
    if five and five.get("server"):
        add(
            "Server peak RSS after every page, 5 years",
            five["server"]["rss_peak_mb"],
            BUDGETS_TEXT["rss_mb"],
            "MB",
        )
    return lines


# --------------------------------------------------------------------------- table


def _ms(entry: dict[str, Any] | None) -> str:
    if not entry or entry.get("median") is None:
        return "–"
    return f"{entry['median']:.0f} ({entry['min']:.0f}–{entry['max']:.0f})"


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}x"


def _kb(value: int | None) -> str:
    return "–" if value is None else f"{value / 1000:.0f} kB"


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        cell.ljust(width) if index < 2 else cell.rjust(width)
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
    )


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [_row(header, widths), "  ".join("-" * width for width in widths)]
    lines += [_row(row, widths) for row in rows]
    return "\n".join(lines)


def format_results(results: dict[str, Any]) -> str:
    """The printed report: pages per scale, writes and memory, browser, budgets."""
    scales: dict[str, Any] = results["scales"]
    out: list[str] = []
    header = [
        "scale",
        "page",
        "first ms",
        "warm ms",
        "floor ms",
        "first/floor",
        "warm/floor",
        "metrics ms",
        "figures ms",
        "sent",
    ]
    rows = []
    for scale in scales.values():
        measured = scale["measure"]
        for page, title in PAGE_TITLES.items():
            entry = measured["pages"][page]
            ratios = page_ratios(entry)
            core = measured["core"]
            metrics_key = "progress_metrics" if page == "progress" else "review_metrics"
            figures = core["progress_figures"] if page == "progress" else None
            rows.append(
                [
                    scale["label"],
                    title,
                    _ms(entry["first"]),
                    _ms(entry["warm"]),
                    _ms(entry["floor_warm"]),
                    _x(ratios["first"]),
                    _x(ratios["warm"]),
                    _ms(core[metrics_key]),
                    _ms(figures) if figures else "no charts",
                    _kb(page_bytes(scale, page)),
                ]
            )
    out.append("Server side (AppTest), milliseconds: median (min–max)")
    out.append(_table(header, rows))

    rows = []
    for scale in scales.values():
        write = scale["measure"]["write_set_ms"]
        server = scale.get("server") or {}
        first_open = scale["measure"].get("first_open_s")
        rows.append(
            [
                scale["label"],
                f"{scale['rows']['set_records']:,}",
                f"{write['median']:.2f}",
                f"{write['p95']:.2f}",
                f"{server['rss_peak_mb']:.0f}" if server else "–",
                f"{scale['db_mb']:.0f}",
                "–" if first_open is None else f"{first_open:.1f}",
            ]
        )
    out.append("")
    header = ["scale", "set rows", "write ms (median)", "write ms (p95)", "peak RSS MB"]
    out.append(_table([*header, "file MB", "first open s"], rows))
    session_rows = []
    for scale in scales.values():
        session = scale["measure"].get("session")
        if session:
            session_rows.append(
                [
                    scale["label"],
                    session["exercise"],
                    _ms(session["first"]),
                    _ms(session["floor_first"]),
                    _ms(session["warm"]),
                    _ms(session["floor_warm"]),
                    _kb(session["bytes"]["page"]),
                    _kb(session["bytes"]["floor"]),
                ]
            )
    if session_rows:
        out.append("")
        out.append("Session page in a hold (AppTest), ms: with its figure, and without it (floor)")
        header = ["scale", "exercise", "first", "floor", "rerun", "floor", "sent", "floor"]
        out.append(_table(header, session_rows))
    browser = results.get("browser") or {}
    if browser.get("progress_ms"):
        out.append("")
        out.append("Chromium, 5 years: navigation to every chart drawn, ms: median (min–max)")
        rows = [
            [
                label,
                "",
                _ms(browser.get(f"{key}_ms")),
                _ms(browser.get(f"{key}_main_thread_ms")),
                _x(ratio(_median(browser.get(f"{key}_ms")), _median(browser["one_chart_ms"]))),
            ]
            for key, label in (
                ("progress", "Progress (the app)"),
                ("floor", "Progress floor page"),
                ("one_chart", "one small chart"),
            )
            if browser.get(f"{key}_ms")
        ]
        out.append(_table(["page", "", "wall", "main thread busy", "wall / one chart"], rows))
        sections = browser.get("sections") or {}
        if sections:
            out.append(
                "Its other sections, from a click on the tab to their charts drawn, ms: "
                + "; ".join(
                    f"{entry['title']} ({entry['charts']} charts) {_ms(entry['ms'])}"
                    for entry in sections.values()
                )
            )
    out.extend(first_paint_table(results))
    caseload = results.get("caseload") or {}
    if caseload.get("caseload_ms"):
        out.append("")
        out.append(
            f"Chromium, clinic: the Caseload of {caseload['profiles']} profiles drawn, ms: "
            "median (min–max)"
        )
        rows = [
            [
                label,
                _kb(caseload["caseload_ws_bytes"]) if key == "caseload" else "",
                _ms(caseload.get(f"{key}_ms")),
                _ms(caseload.get(f"{key}_main_thread_ms")),
                _x(ratio(_median(caseload.get(f"{key}_ms")), _median(caseload["one_chart_ms"]))),
            ]
            for key, label in (("caseload", "Caseload (the app)"), ("one_chart", "one small chart"))
        ]
        out.append(_table(["page", "sent", "wall", "main thread busy", "wall / one chart"], rows))
        if caseload.get("caseload_cold_ms") is not None:
            out.append(
                f"First visit, computing every row: {caseload['caseload_cold_ms']:.0f} ms "
                f"(one chart's first visit: {caseload['one_chart_cold_ms']:.0f} ms)"
            )
    out.append("")
    out.append("Budgets")
    for line in budgets(results):
        value = line["value"]
        if value is None:
            shown = "–"
        elif line["unit"] == "bytes":
            shown = f"{value / 1000:.0f} kB (limit {line['limit'] / 1000:.0f} kB)"
        else:
            shown = f"{value:g} {line['unit']} (limit {line['limit']:g} {line['unit']})"
        out.append(f"  [{line['result'].upper():4}] {line['budget']}: {shown}")
    return "\n".join(out)


def first_paint_table(results: dict[str, Any]) -> list[str]:
    """The share link and start-up visits, each beside its floor page (empty if not run)."""
    paint = results.get("first_paint") or {}
    share, startup = paint.get("share") or {}, paint.get("startup") or {}
    rows = [
        [label, _ms(entry.get(key)), _kb(entry.get(key.replace("_ms", "_bytes")))]
        for entry, key, label in (
            (share, "share_first_ms", "share link, first opening"),
            (share, "share_repeat_ms", "share link, opened again"),
            (share, "one_chart_ms", "one small chart"),
            (startup, "first_page_ms", "first page after a server start (serve.py)"),
            (startup, "first_page_unwarmed_ms", "the same, app.py served without warm-up"),
            (startup, "bare_ms", "bare page after a server start"),
        )
        if entry.get(key)
    ]
    if not rows:
        return []
    return [
        "",
        f"Chromium, {paint.get('label', '5 years')}, a new browser context each visit, ms: "
        "median (min–max)",
        _table(["page", "wall", "sent"], rows),
    ]
