"""Another process holds the database file: a clear message, then recovery without a restart."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app.conftest import errors, titles
from tests.conftest import make_profile

HOLDER = (
    "import sys, duckdb\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "print('ready', flush=True)\n"
    "sys.stdin.readline()\n"
    "con.close()\n"
)


class Holder:
    """A second Python process that keeps the DuckDB file open until told to stop."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline()  # EOF ("") if the child dies: no hang
        if line.strip() != "ready":
            self.stop()
            raise RuntimeError(f"holder did not start: {self.proc.stderr.read()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.communicate("\n", timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.communicate()


@pytest.fixture
def holder(db_path: Path) -> Iterator[Holder]:
    make_profile(db_path, name="Ann")
    held = Holder(db_path)
    yield held
    held.stop()


def test_locked_file_shows_a_clear_error_then_recovers(new_app, holder, db_path: Path) -> None:
    at = new_app()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    message = at.error[0].value
    assert "cannot be opened" in message
    assert str(db_path) in message
    assert "in use by another program" in message
    assert not at.title, "the page stops at the message"
    assert at.button(key="retry_database")

    # Still locked: retrying shows the same message, and still no exception.
    at.button(key="retry_database").click().run()
    assert not at.exception
    assert str(db_path) in at.error[0].value

    holder.stop()
    assert holder.proc.returncode == 0

    at.button(key="retry_database").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, errors(at)
    assert titles(at) == ["Hello, Ann"]
    at.switch_page("views/settings.py").run()
    assert not at.exception
    assert titles(at) == ["Settings"]
