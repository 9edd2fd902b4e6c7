"""A real ``streamlit run`` server on a free port of 127.0.0.1, and the Chromium that visits it.

The one place that starts, waits for and stops the servers of the end-to-end tests
(tests/e2e/conftest.py), the reliability tests (tests/reliability/browser.py) and the
benchmark (bench/browser.py). It needs only the standard library (no pytest, no app code),
so ``python -m bench`` imports it from the repository root like any other module.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SERVER_START_TIMEOUT_S = 120
SERVER_STOP_TIMEOUT_S = 30
#: How often a starting server is asked whether it is ready (and checked to be alive).
READY_POLL_S = 0.25
HEALTH_PATH = "/_stcore/health"
#: Set by the benchmark to quiet its own Streamlit; a server logs as a user would run it.
QUIETING_VARIABLE = "STREAMLIT_LOGGER_LEVEL"

# Requests to our own server never go through a proxy the environment may name.
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Server:
    """A running ``streamlit run`` process, its address, its log file and its database.

    Also a context manager: ``with start_server(...) as server:`` stops it when the block
    ends, also on failure.
    """

    url: str
    proc: subprocess.Popen[bytes]
    log_path: Path
    db_path: Path | None = None

    def log(self) -> str:
        """All the server has printed so far (stdout and stderr)."""
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """Terminate, then kill if it does not exit in time; a no-op once it has exited."""
        if self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=SERVER_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=SERVER_STOP_TIMEOUT_S)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(db_path: Path | None, extra_env: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment for a server: ``extra_env`` added, the database file set
    (when given), and the benchmark's quieting of Streamlit's logger left out."""
    env = {name: value for name, value in os.environ.items() if name != QUIETING_VARIABLE}
    env.update(extra_env or {})
    if db_path is not None:
        env["BACKONTRACK_DB"] = str(db_path)
    return env


def is_ready(url: str) -> bool:
    """True once the server's health endpoint says it accepts browser connections."""
    try:
        with _NO_PROXY.open(f"{url}{HEALTH_PATH}", timeout=1) as response:
            return response.status == 200
    except (OSError, http.client.HTTPException):  # refused, reset, or a 503 while it starts
        return False


def wait_until_ready(server: Server, timeout_s: float = SERVER_START_TIMEOUT_S) -> None:
    """Return once ``server`` is ready; raise with its log if it exits or takes too long."""
    deadline = time.monotonic() + timeout_s
    while not is_ready(server.url):
        if time.monotonic() > deadline:
            raise RuntimeError(f"streamlit was not ready at {server.url} in time:\n{server.log()}")
        try:
            # The poll interval, and at once the check that the server is still alive.
            server.proc.wait(timeout=READY_POLL_S)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"streamlit exited with {server.proc.returncode}:\n{server.log()}")


def start_server(
    db_path: Path | None,
    workdir: Path,
    *,
    script: str = "serve.py",
    extra_env: Mapping[str, str] | None = None,
    watch_files: bool = False,
    port: int | None = None,
) -> Server:
    """Start ``python -m streamlit run <script>`` (relative to the repository) on a free port
    of 127.0.0.1 (or ``port``: the same address again after a restart), with
    ``BACKONTRACK_DB=db_path``; return once it is ready to serve.

    Its output is appended to ``workdir/streamlit-<port>.log`` (``Server.log()``). The file
    watcher is off unless ``watch_files``: the tests run in a working tree others may be
    editing, and a watched file that changes makes Streamlit drop modules from
    ``sys.modules`` mid-run, a development feature that is not what they test.
    """
    port = port or free_port()
    log_path = workdir / f"streamlit-{port}.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    if not watch_files:
        command += ["--server.fileWatcherType", "none"]
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=server_env(db_path, extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", proc, log_path, db_path)
    try:
        wait_until_ready(server)
    except BaseException:
        server.stop()
        raise
    return server
