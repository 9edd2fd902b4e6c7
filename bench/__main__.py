"""``python -m bench``: see :mod:`bench.run`."""

import os

# AppTest outside `streamlit run` warns on every run; keep the benchmark's output readable.
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

from bench.run import main

raise SystemExit(main())
