"""The server as the README starts it: ``streamlit run serve.py`` runs app.py once while it
starts, so the first person after a start finds the modules imported and the file open."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import IDLE, WAIT_MS
from tests.serving import start_server


def test_the_server_opens_the_data_file_before_the_first_visit(tmp_path: Path, page) -> None:
    """The start-up run opens (here: creates) the data file before any browser arrives; a
    server of app.py alone does so only on the first visit. The first page is the setup."""
    plain_file = tmp_path / "plain.duckdb"
    with start_server(plain_file, tmp_path, script="app.py"):
        assert not plain_file.exists()

    warmed_file = tmp_path / "warmed.duckdb"
    with start_server(warmed_file, tmp_path, script="serve.py") as server:
        assert warmed_file.exists()
        page.goto(server.url)
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        assert page.get_by_role("heading", name="Welcome to Back on Track").is_visible()
        assert "Traceback" not in server.log()
