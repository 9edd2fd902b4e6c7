"""Browser helpers shared by the reliability tests that drive real Streamlit servers.

Servers come from tests/serving.py (file watcher off, output in ``Server.log()``). Waits are
Playwright waits with generous timeouts (never sleeps), and in-page waits poll every 100 ms
rather than on every animation frame: eight pages polling on every frame cost more CPU than
the app itself on a 2-core machine.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import WAIT_MS, open_app, wait_idle
from tests.serving import Server, start_server

POLL_MS = 100

# The names the tests here use. A Server is a context manager that stops it at the end.
running_server = start_server
#: Stop a server gracefully, killing it if it does not go; a no-op once it has exited.
stop_server = Server.stop
#: Open a page of a server (``url_path`` after its address) and wait for the script run.
open_page = open_app

# In-page checks. Each returns a string once the page has settled, or false while it runs.
PROBLEMS_JS = """() => Array.from(document.querySelectorAll(
    '[data-testid="stException"], [data-testid="stAlertContentError"]'
)).map(e => e.innerText.trim())"""

CHECKIN_SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stException"], [data-testid="stAlertContentError"]'))
    return 'problem';
  const note = document.querySelector('[data-testid="stForm"] textarea');
  // The form is cleared (by the app, through Session State) only once the rating is saved.
  return note && note.value === '' ? 'saved' : false;
}"""

TAP_SETTLED_JS = """(expected) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stException"], [data-testid="stAlertContentError"]'))
    return 'problem';
  const text = document.body.innerText;
  return text.includes(expected) ? 'saved' : false;
}"""


def settle(page: Any, script: str, arg: object = None) -> str:
    """Wait until ``script`` reports the page settled; return what it reported."""
    handle = page.wait_for_function(script, arg=arg, polling=POLL_MS, timeout=WAIT_MS)
    return str(handle.json_value())


def problems(page: Any) -> list[str]:
    return list(page.evaluate(PROBLEMS_JS))


def choose_profile(page: Any, name: str) -> None:
    """Pick a profile in the sidebar selectbox (shown when the file holds several)."""
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').click()
    page.get_by_role("option", name=name, exact=True).click()
    page.locator("h1", has_text=f"Hello, {name}").wait_for(timeout=WAIT_MS)
    wait_idle(page)


def send_checkin(page: Any, pain: int, note: str) -> None:
    """Fill the Today form (pain radio, note) and press "Log pain"; does not wait."""
    form = page.locator('[data-testid="stForm"]')
    form.locator('[data-testid="stRadio"]').get_by_text(str(pain), exact=True).click()
    form.locator("textarea").fill(note)
    form.get_by_role("button", name="Log pain").click()


def new_page(browser: Any) -> Any:
    context = browser.new_context(
        viewport={"width": 1000, "height": 800}, timezone_id="Europe/London"
    )
    context.set_default_timeout(WAIT_MS)
    context.set_default_navigation_timeout(WAIT_MS)
    return context.new_page()
