"""Bad input, property-based (hypothesis): every validator, the catalogue, export files and
share tokens.

* Each validator either returns a clean value or raises ``ValidationError``: never another
  exception, whatever it is given (huge, empty, control characters, SQL-looking text and
  HTML, dates far in the past and future, made-up time zones).
* A PIN is 4-12 ASCII digits or refused; a number out of its range gets a problem that
  names the range; text over a limit is cut to a prefix of exactly the limit.
* Notes are stored verbatim: what goes in comes back out of DuckDB unchanged.
* ``parse_catalog``/``load_catalog`` with mutated catalogue data raise only ``CatalogError``.
* ``import_export`` with mutated or truncated export files raises only ``ExportFileError``
  (a ``ValidationError``) and then leaves the database exactly as it was.
* 1,000 malformed share tokens: ``verify`` returns None for every one.

Hypothesis runs derandomized (a fixed seed per test), so every run tries the same inputs and
the figures are stable; the counts are the inputs actually tried, shrinking included.
"""

from __future__ import annotations

import copy
import io
import json
import math
import random
import string
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core.db.checkins import set_psfs_activities
from core.db.rows import SetRecord
from core.db.schema import TABLES as SCHEMA_TABLES
from core.db.store import Store
from core.demo import generate
from core.domain.catalog import (
    DEFAULT_CATALOG_PATH,
    Catalog,
    CatalogError,
    load_catalog,
    parse_catalog,
)
from core.domain.measures import validate_activity_names, validate_pgic, validate_psfs_score
from core.domain.validation import (
    EARLIEST_DATE,
    LATEST_DATE,
    NAME_MAX_CHARS,
    NOTE_MAX_CHARS,
    ValidationError,
    cut_message,
    cut_to_limit,
    range_problem,
    time_zone_choices,
    validate_date,
    validate_name,
    validate_note,
    validate_pain,
    validate_time_zone,
    validate_weekly_target,
)
from core.files.export import export_profile
from core.files.export_format import ExportFileError
from core.files.merging import import_export
from core.sharing.links import (
    MAX_DAYS,
    create_link,
    list_links,
    revoke,
    validate_days,
    validate_recipient,
    verify,
)
from core.sharing.pins import validate_pin
from tests import factories

pytestmark = pytest.mark.reliability

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TABLES = (*(spec.name for spec in SCHEMA_TABLES), "schema_migrations")


def fuzz(examples: int) -> Callable[[Any], Any]:
    """Hypothesis settings for this layer: fixed seed, no deadline (a slow shared CI box)."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# ------------------------------------------------------------------------------ inputs

NASTY_TEXT = [
    "",
    " ",
    "'); DROP TABLE pain_ratings; --",
    "1; DELETE FROM profiles WHERE '1'='1",
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "**bold** _it_ [link](javascript:alert(1)) :red[red] $x^2$ :material/home:",
    "\x1b[31mred\x1b[0m",
    "line one\nline two\r\nline three\ttabbed",
    "\u202eevil\u202c",
    "\u2028\u2029",
    "\x7f\x85\x9f",
    "😀👍🏽🇬🇧 ünïcødé 中文 עברית",
    "%s %d {0} ${x} %{y}",
    "\\x00 not a nul",
]

text_like = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=NOTE_MAX_CHARS + 40),
    st.text(alphabet=st.characters(max_codepoint=0x3F), max_size=20),  # controls and ASCII
    st.builds(lambda n, c: c * n, st.integers(990, 1010), st.sampled_from("x😀\n<")),
)
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False),
    st.fractions(),
    text_like,
    st.binary(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dates(),
    st.datetimes(),
    st.complex_numbers(),
)


@pytest.fixture(scope="module")
def counts() -> Iterator[dict[str, int]]:
    """Inputs tried per validator in this module (printed by the summary test at the end)."""
    yield {}


def tried(counts: dict[str, int], name: str) -> None:
    counts[name] = counts.get(name, 0) + 1


# -------------------------------------------------------------------------- validators


@fuzz(400)
@given(value=anything)
def test_pain_is_a_whole_number_from_0_to_10_or_refused(value: object, counts) -> None:
    tried(counts, "validate_pain")
    whole = isinstance(value, int) and not isinstance(value, bool)
    integral_float = isinstance(value, float) and value.is_integer()
    try:
        result = validate_pain(value)
    except ValidationError:
        assert not ((whole or integral_float) and 0 <= value <= 10)  # type: ignore[operator]
        return
    assert type(result) is int and 0 <= result <= 10
    assert result == value


@fuzz(400)
@given(value=st.one_of(text_like, anything))
def test_notes_are_kept_verbatim_or_refused(value: object, counts) -> None:
    tried(counts, "validate_note")
    try:
        result = validate_note(value)
    except ValidationError:
        assert not isinstance(value, str) or "\x00" in value or len(value) > NOTE_MAX_CHARS
        return
    assert result == ("" if value is None else value)


@pytest.fixture(scope="module")
def note_store() -> Iterator[tuple[Store, str]]:
    with Store.open(":memory:") as store:
        profile = factories.profile(store, name="Notes", time_zone="UTC")
        yield store, profile.id


@fuzz(200)
@given(note=text_like)
def test_a_stored_note_comes_back_byte_for_byte(note: str, note_store, counts) -> None:
    """SQL-looking text, HTML, control characters and huge notes are data, never code."""
    tried(counts, "note stored and read back")
    store, profile_id = note_store
    assume("\x00" not in note)
    try:
        rating_id = store.add_pain_rating(profile_id, 3, note=note, recorded_at=T0)
    except ValidationError:
        assert len(note) > NOTE_MAX_CHARS
        return
    row = store.con.execute("SELECT note FROM pain_ratings WHERE id = ?", [rating_id]).fetchone()
    assert row is not None and row[0] == note
    assert [t for (t,) in store.con.execute("SHOW TABLES").fetchall()].count("pain_ratings") == 1


@fuzz(400)
@given(value=st.one_of(text_like, anything))
def test_names_are_one_trimmed_printable_line_or_refused(value: object, counts) -> None:
    tried(counts, "validate_name")
    try:
        result = validate_name(value)
    except ValidationError:
        return
    assert value is None or isinstance(value, str)
    assert result == ("" if value is None else value.strip())  # type: ignore[union-attr]
    assert len(result) <= NAME_MAX_CHARS
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in result)
    assert not set(result) & set(
        "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    )


@fuzz(300)
@given(
    value=st.one_of(
        st.dates(),
        st.datetimes(timezones=st.none() | st.just(UTC)),
        st.dates(min_value=EARLIEST_DATE, max_value=LATEST_DATE),
        anything,
    )
)
def test_dates_far_in_the_past_or_future_are_refused(value: object, counts) -> None:
    tried(counts, "validate_date")
    try:
        result = validate_date(value, what="start date")
    except ValidationError as error:
        assert "start date" in str(error)
        assert (
            not isinstance(value, date)
            or isinstance(value, datetime)
            or not EARLIEST_DATE <= value <= LATEST_DATE
        )
        return
    assert type(result) is date and EARLIEST_DATE <= result <= LATEST_DATE


ZONES = time_zone_choices()


@fuzz(300)
@given(
    value=st.one_of(
        st.sampled_from(ZONES),
        st.sampled_from(ZONES).map(str.lower),
        st.sampled_from(ZONES).map(lambda z: f" {z}"),
        st.sampled_from(["../../etc/passwd", "/etc/localtime", "Europe/../UTC", "Mars/Olympus"]),
        anything,
    )
)
def test_time_zones_are_iana_names_or_refused(value: object, counts) -> None:
    tried(counts, "validate_time_zone")
    try:
        result = validate_time_zone(value)
    except ValidationError:
        assert value not in ZONES
        return
    assert result == value and result in ZONES


@fuzz(200)
@given(value=anything)
def test_weekly_target_and_checkin_answers(value: object, counts) -> None:
    tried(counts, "weekly target, PGIC, PSFS score, share days")
    whole = isinstance(value, int) and not isinstance(value, bool)
    for check, low, high in (
        (validate_weekly_target, 1, 14),
        (validate_pgic, 1, 7),
        (validate_psfs_score, 0, 10),
        (validate_days, 1, MAX_DAYS),
    ):
        try:
            result = check(value)
        except ValidationError:
            continue
        if check is validate_pgic and value is None:
            assert result is None
            continue
        if check is validate_psfs_score and isinstance(value, float):
            assert value.is_integer() and low <= value <= high
            continue
        assert whole and low <= result <= high and result == value, check


@fuzz(200)
@given(names=st.lists(st.one_of(text_like, st.none(), st.integers()), max_size=7))
def test_psfs_activity_names_and_share_recipients(names: list[object], counts) -> None:
    tried(counts, "PSFS activities, share recipient")
    try:
        cleaned = validate_activity_names(names)
    except ValidationError:
        pass
    else:
        assert 3 <= len(cleaned) <= 5
        assert len({n.casefold() for n in cleaned}) == len(cleaned)
    for name in names:
        try:
            recipient = validate_recipient(name)
        except ValidationError:
            continue
        assert isinstance(name, str) and recipient == name.strip() and recipient


@fuzz(300)
@given(
    value=st.one_of(
        st.from_regex(r"\A[0-9]{1,14}\Z"),
        st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩ ²\t", max_size=14),
        anything,
    )
)
def test_pins_are_four_to_twelve_ascii_digits_or_refused(value: object, counts) -> None:
    tried(counts, "validate_pin")
    try:
        result = validate_pin(value)
    except ValidationError:
        assert not (
            isinstance(value, str) and value.isascii() and value.isdigit() and 4 <= len(value) <= 12
        )
        return
    assert result == value and 4 <= len(result) <= 12
    assert all(ch in "0123456789" for ch in result)


@fuzz(300)
@given(value=anything, low=st.integers(-5, 5), span=st.integers(0, 300))
def test_a_number_is_in_range_or_its_problem_names_the_range(
    value: object, low: int, span: int, counts
) -> None:
    tried(counts, "range_problem")
    high = low + span
    problem = range_problem("Hold", value, low, high)
    integral = (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, float) and value.is_integer()
    )
    if integral and low <= value <= high:  # type: ignore[operator]
        assert problem is None
    else:
        assert problem is not None and problem.startswith("Hold")
        assert f"{low} to {high}" in problem


@fuzz(300)
@given(text=text_like, limit=st.integers(1, 1200))
def test_text_over_its_limit_is_cut_to_a_prefix_of_that_length(
    text: str, limit: int, counts
) -> None:
    tried(counts, "cut_to_limit")
    cut, had = cut_to_limit(text, limit)
    assert had == len(text)
    assert text.startswith(cut) and len(cut) == min(limit, len(text))
    message = cut_message("A note", limit, had)
    assert f"{limit:,}" in message and f"{had:,}" in message


@fuzz(200)
@given(duration=st.floats(min_value=-1e9, max_value=1e9))
def test_finite_set_durations_are_stored_exactly_or_refused_when_negative(
    duration: float, note_store, counts
) -> None:
    tried(counts, "set durations")
    store, profile_id = note_store
    session_id = _running_session(store, profile_id)
    step = counts["set durations"]
    record = SetRecord(
        session_id, step, "press-ups", "none", 1, "hold", 5.0, duration, "done", T0, T0
    )
    try:
        store.record_set(profile_id, record)
    except ValidationError:
        assert duration < 0
        return
    (saved,) = [r for r in store.set_records(profile_id, session_id) if r.step_index == step]
    assert saved.duration_s == duration >= 0


def _running_session(store: Store, profile_id: str) -> str:
    running = store.active_session(profile_id)
    if running is not None:
        return running.id
    return store.start_session(profile_id, [], prescribed={("press-ups", "none"): 1}, now=T0)


@pytest.mark.parametrize("duration", [math.nan, math.inf], ids=["nan", "inf"])
def test_a_set_duration_that_is_not_a_number_is_refused(
    duration: float, note_store, figures
) -> None:
    store, profile_id = note_store
    session_id = _running_session(store, profile_id)
    record = SetRecord(
        session_id, 99_999, "press-ups", "none", 1, "hold", 5.0, duration, "done", T0, T0
    )
    try:
        with pytest.raises(ValidationError):
            store.record_set(profile_id, record)
    finally:
        stored = [
            r.duration_s
            for r in store.set_records(profile_id, session_id)
            if r.step_index == 99_999
        ]
        figures.update(duration=str(duration), stored=str(stored))


# ------------------------------------------------------------------------------ catalogue

RAW_CATALOG: dict[str, Any] = tomllib.loads(DEFAULT_CATALOG_PATH.read_text(encoding="utf-8"))

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**9), 10**9)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["", " ", "none", "both", "flexibility", "mat", "bridge", "cat-cow"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _places(tree: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every (container path, key) in a JSON-like tree, the containers themselves included."""
    found: list[tuple[Any, ...]] = [path]
    items = (
        tree.items()
        if isinstance(tree, dict)
        else enumerate(tree)
        if isinstance(tree, list)
        else ()
    )
    for key, child in items:
        found.extend(_places(child, (*path, key)))
    return found


@st.composite
def mutated(draw: st.DrawFn, original: Any, max_mutations: int = 3) -> Any:
    """A deep copy of ``original`` with 1..max_mutations random edits anywhere in it."""
    tree = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, max_mutations))):
        path = draw(st.sampled_from(_places(tree)[1:] or [()]))
        if not path:
            tree = draw(json_values)
            continue
        parent = tree
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        op = draw(st.sampled_from(["delete", "replace", "nudge", "duplicate", "add", "retype"]))
        value = parent[key]
        if op == "delete":
            del parent[key]
        elif op == "replace":
            parent[key] = draw(json_values)
        elif op == "nudge" and isinstance(value, bool):
            parent[key] = not value
        elif op == "nudge" and isinstance(value, int):
            parent[key] = value + draw(st.integers(-40, 40))
        elif op == "nudge" and isinstance(value, str):
            parent[key] = draw(st.sampled_from(["", value.upper(), value + " ", value[:1]]))
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(value))
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = draw(json_values)
        else:  # retype: the same content in another shape
            parent[key] = draw(st.sampled_from([str(value), [value], {"value": value}, None]))
    return tree


@fuzz(400)
@given(data=mutated(RAW_CATALOG))
def test_a_mutated_catalogue_is_accepted_or_refused_with_catalog_error(data: Any, counts) -> None:
    tried(counts, "mutated catalogue data")
    try:
        catalog = parse_catalog(data)
    except CatalogError as error:
        assert str(error)
        counts["catalogue refused"] = counts.get("catalogue refused", 0) + 1
        return
    assert isinstance(catalog, Catalog) and len(catalog) >= 1


CATALOG_BYTES = DEFAULT_CATALOG_PATH.read_bytes()


@st.composite
def damaged_bytes(draw: st.DrawFn, original: bytes) -> bytes:
    """Truncated, with bytes flipped, inserted or deleted."""
    data = bytearray(original[: draw(st.integers(0, len(original)))])
    for _ in range(draw(st.integers(0, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "insert", "delete"]))
        if op == "flip":
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[at]
    return bytes(data)


@fuzz(200)
@given(content=damaged_bytes(CATALOG_BYTES))
def test_a_damaged_catalogue_file_is_refused_with_catalog_error(
    content: bytes, tmp_path: Path, counts
) -> None:
    tried(counts, "damaged catalogue file")
    path = tmp_path / "exercises.toml"
    path.write_bytes(content)
    try:
        load_catalog(path)
    except CatalogError as error:
        assert str(path) in str(error)


# ---------------------------------------------------------------------------- export files


def _source_exports() -> dict[str, bytes]:
    with Store.open(":memory:") as store:
        profile_id = generate(store, seed=11, weeks=1, today=date(2026, 11, 24)).profile_id
        set_psfs_activities(store, profile_id, ["Socks", "Sitting", "Walking"])
        store.add_pain_rating(profile_id, 4, note='"quoted", <b>html</b>\nline', recorded_at=T0)
        return {
            fmt: export_profile(store, profile_id, file_format=fmt) for fmt in ("csv", "parquet")
        }


EXPORTS = _source_exports()


def _target() -> Store:
    """A database with a profile of its own, so "unchanged" is not trivially empty; the
    caller closes it (it outlives any one with-block: a fuzzed import may replace it)."""
    store = Store.open(":memory:")
    profile = factories.profile(
        store,
        name="Resident",
        time_zone="Asia/Tokyo",
        programme_start=date(2026, 9, 1),
        recent_surgery=True,
        setup_pain=5,
        now=T0,
    )
    factories.rating(store, profile, 6, T0, note="resident's own")
    return store


def _snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    return {t: store.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


cell_values = st.one_of(
    st.sampled_from(
        [
            "",
            '""',
            "NaN",
            "-1",
            "11",
            "1.5",
            "99999999999",
            "2026-13-45",
            "true",
            "null",
            "\\N",
            "x",
            "0",
            "2026-01-31T08:00:00.000000Z",
            "9999-12-31",
        ]
    ),
    st.text(max_size=10),
)


@st.composite
def edited_csv(draw: st.DrawFn, content: bytes) -> bytes:
    lines = content.decode("utf-8").split("\r\n")
    op = draw(st.sampled_from(["cell", "drop", "duplicate", "truncate", "columns", "bytes"]))
    if op == "cell" and len(lines) > 1:
        row = draw(st.integers(0, len(lines) - 1))
        cells = lines[row].split(",")
        cells[draw(st.integers(0, len(cells) - 1))] = draw(cell_values)
        lines[row] = ",".join(cells)
    elif op == "drop":
        del lines[draw(st.integers(0, len(lines) - 1))]
    elif op == "duplicate" and len(lines) > 1:
        row = draw(st.integers(1, len(lines) - 1))
        lines.insert(row, lines[row])
    elif op == "truncate":
        text = "\r\n".join(lines)
        return text[: draw(st.integers(0, len(text)))].encode("utf-8")
    elif op == "columns":
        header = lines[0].split(",")
        draw(st.randoms()).shuffle(header)
        lines[0] = ",".join(header + draw(st.lists(st.sampled_from(["extra", "id"]), max_size=1)))
    else:
        return draw(damaged_bytes(content))
    return "\r\n".join(lines).encode("utf-8")


@st.composite
def damaged_export(draw: st.DrawFn) -> tuple[str, bytes]:
    fmt = draw(st.sampled_from(["csv", "parquet"]))
    original = EXPORTS[fmt]
    how = draw(st.sampled_from(["zip bytes", "member", "manifest", "members"]))
    if how == "zip bytes":
        return f"{fmt}: zip bytes", draw(damaged_bytes(original))
    members = _members(original)
    if how == "manifest":
        manifest = json.loads(members["manifest.json"])
        members["manifest.json"] = json.dumps(draw(mutated(manifest, 2))).encode()
    elif how == "member":
        name = draw(st.sampled_from(sorted(n for n in members if n != "manifest.json")))
        if fmt == "csv":
            members[name] = draw(edited_csv(members[name]))
        else:
            members[name] = draw(damaged_bytes(members[name]))
    else:
        name = draw(st.sampled_from(sorted(members)))
        op = draw(st.sampled_from(["remove", "rename", "swap"]))
        if op == "remove":
            del members[name]
        elif op == "rename":
            members[name.upper()] = members.pop(name)
        else:
            other = draw(st.sampled_from(sorted(members)))
            members[name], members[other] = members[other], members[name]
    return f"{fmt}: {how}", _zip(members)


@pytest.fixture(scope="module")
def import_target() -> Iterator[dict[str, Any]]:
    holder = {"store": _target()}
    holder["before"] = _snapshot(holder["store"])
    yield holder
    holder["store"].close()


@fuzz(250)
@given(case=damaged_export())
def test_a_damaged_export_file_is_refused_and_changes_nothing(
    case: tuple[str, bytes], import_target: dict[str, Any], counts
) -> None:
    tried(counts, "damaged export files")
    label, data = case
    store: Store = import_target["store"]
    try:
        import_export(store, data)
    except ValidationError as error:  # ExportFileError is a ValidationError
        assert isinstance(error, ExportFileError), label
        assert str(error)
        counts["export files refused"] = counts.get("export files refused", 0) + 1
        assert _snapshot(store) == import_target["before"], f"{label}: {error}"
        return
    # Accepted (a harmless change): start again from a clean target.
    counts["export files accepted"] = counts.get("export files accepted", 0) + 1
    store.close()
    import_target["store"] = _target()
    import_target["before"] = _snapshot(import_target["store"])


# ---------------------------------------------------------------------------- share tokens

MALFORMED_TOKENS = 1000


def malformed_tokens(real: str, seed: int = 6) -> list[object]:
    """1,000 distinct wrong tokens: damaged copies of a real one, look-alikes, injections,
    wrong types; none of them is the real token."""
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + "-_"
    made: list[object] = [
        None,
        0,
        1,
        -1,
        3.14,
        True,
        b"",
        real.encode(),
        [real],
        {"share": real},
        (real,),
        "",
        " ",
        real + "=",
        real + "\n",
        " " + real,
        real.upper(),
        real.lower(),
        real[::-1],
        "%" + real,
        real.replace("-", "+").replace("_", "/"),
        "' OR '1'='1",
        "'; DROP TABLE share_links; --",
        "<script>alert(1)</script>",
        "../" * 14 + "x",
        "A" * 43,
        "-" * 43,
        "_" * 43,
        "\x00" * 43,
        "A" * 10_000,
        real * 2,
    ]
    # A transformation can leave the real token as it was (no "-" or "_" to replace, say).
    made = [t for t in made if not (isinstance(t, str) and t == real)]
    seen = {repr(t) for t in made}
    generators: list[Callable[[], object]] = [
        lambda: real[: rng.randrange(1, 43)],
        lambda: real + "".join(rng.choices(alphabet, k=rng.randrange(1, 5))),
        lambda: _one_changed(rng, real, alphabet),
        lambda: _one_changed(rng, real, "+/=.~!@#$%^&*() \t\n\r\x00é😀ОАВЕ"),
        lambda: "".join(rng.choices(alphabet, k=43)),  # well formed, unknown
        lambda: "".join(rng.choices(alphabet, k=rng.choice([42, 44]))),
        lambda: "".join(rng.choices(string.printable, k=rng.randrange(0, 80))),
        lambda: "".join(chr(rng.randrange(0x80, 0x2FFF)) for _ in range(43)),
        lambda: real[:20] + "".join(rng.choices(alphabet, k=23)),
    ]
    for _ in range(100 * MALFORMED_TOKENS):
        if len(made) >= MALFORMED_TOKENS:
            break
        token = rng.choice(generators)()
        if token != real and repr(token) not in seen:
            seen.add(repr(token))
            made.append(token)
    return made


def _one_changed(rng: random.Random, real: str, chars: str) -> str:
    at = rng.randrange(len(real))
    replacement = rng.choice([c for c in chars if c != real[at]])
    return real[:at] + replacement + real[at + 1 :]


def test_a_thousand_malformed_share_tokens_open_nothing(figures) -> None:
    with Store.open(":memory:") as store:
        profile = factories.profile(store, time_zone="UTC")
        _, real = create_link(store, profile.id, "physio")
        _, revoked_token = create_link(store, profile.id, "old physio")
        old = verify(store, revoked_token)
        assert old is not None
        revoke(store, profile.id, old.link_id)
        _, expired_token = create_link(
            store, profile.id, "past physio", now=datetime.now(UTC) - timedelta(days=30)
        )
        assert verify(store, real) is not None, "the real token works"

        tokens = malformed_tokens(real)
        tokens += [revoked_token, expired_token]
        grants = [token for token in tokens if verify(store, token) is not None]
        figures.update(
            tokens_tried=len(tokens),
            malformed=MALFORMED_TOKENS,
            revoked_or_expired=2,
            grants_returned=len(grants),
        )
        assert len(tokens) == MALFORMED_TOKENS + 2
        assert grants == []
        assert verify(store, real) is not None, "and still works afterwards"


@fuzz(300)
@given(
    token=st.one_of(
        anything, st.text(alphabet=string.ascii_letters + "-_", min_size=43, max_size=43)
    )
)
def test_any_object_as_a_share_token_opens_nothing(token: object, note_store, counts) -> None:
    tried(counts, "arbitrary share tokens")
    store, profile_id = note_store
    if not list_links(store, profile_id):
        create_link(store, profile_id, "physio")
    assert verify(store, token) is None


# ----------------------------------------------------------------------------- summary


def test_zz_bad_input_figures(counts: dict[str, int], figures) -> None:
    """Runs last in this module: reports how many inputs each property above tried."""
    figures.update(counts)
    figures["inputs_tried"] = sum(
        v for k, v in counts.items() if not k.endswith(("refused", "accepted"))
    )
