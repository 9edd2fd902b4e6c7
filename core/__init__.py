"""Back on Track's logic: everything the pages show and record, importable without Streamlit.

Five packages, each allowed to import only the ones listed before it:

* :mod:`core.domain`: the programme and the session, with no database.
* :mod:`core.db`: the DuckDB file, its schema and every write.
* :mod:`core.progress`: the metrics, the dashboards, their charts and tables, the report.
* :mod:`core.sharing`: share links, the owner passphrase, throttles.
* :mod:`core.files`: export, import and the calendar file.

:mod:`core.demo` fills a file with a demo profile (``python -m core.demo``). Nothing in
``core`` imports ``streamlit``.
"""
