"""Imported before anything that defines Streamlit caches: outside ``streamlit run``,
Streamlit warns about the missing runtime on every cached function and every AppTest run,
which would bury the benchmark's progress lines."""

from streamlit import logger

logger.set_log_level("error")
