"""The server: ``streamlit run serve.py`` serves app.py, warmed before it takes a visitor.

Streamlit imports a script's modules and opens its data file on the script's first run, so
the first person after a start would wait for both. Here the server runs app.py once, in a
session of its own (as Streamlit's script health check does), before it opens its port.
A request for a share link also starts building the link's view while the browser loads
the page (ui/prefetch.py).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import streamlit as st
from starlette.middleware import Middleware
from streamlit.runtime import Runtime

from ui.prefetch import PrepareSharedViews

#: A start never waits longer than this for the warm-up; the first visitor then finishes it.
WARM_UP_LIMIT_S = 30.0


@asynccontextmanager
async def warm_at_start(_app: Any) -> AsyncIterator[None]:
    """Run app.py once before the server opens its port (Streamlit's lifespan hook)."""
    try:
        ran, _ = await asyncio.wait_for(
            Runtime.instance().does_script_run_without_error(), WARM_UP_LIMIT_S
        )
    except TimeoutError:
        ran = False
    if not ran:
        print(
            "Back on Track: the start-up run of app.py did not finish cleanly; the first "
            "page will show why.",
            file=sys.stderr,
        )
    yield


app = st.App("app.py", lifespan=warm_at_start, middleware=[Middleware(PrepareSharedViews)])
