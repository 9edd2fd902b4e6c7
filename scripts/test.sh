#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run the whole suite.
# Usage: bash scripts/test.sh [pytest arguments]  (none: the whole suite, in two runs)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -r requirements-dev.txt

python3 -m ruff check .
python3 -m ruff format --check .
if [ "$#" -gt 0 ]; then
    python3 -m pytest -p no:cacheprovider "$@"
else
    # The layers without a browser run on both cores; the browser layers run alone, since
    # their timings (holds, sounds, cues) want the machine to themselves.
    python3 -m pytest -p no:cacheprovider -n 2 tests/unit tests/app
    python3 -m pytest -p no:cacheprovider tests/e2e tests/reliability
fi
