"""Files in and out: the export format (a zip of CSV or Parquet files), writing an export,
reading and importing one, and the calendar file of planned sessions.

May import :mod:`core.domain` and :mod:`core.db` (the report, a file too, belongs to
:mod:`core.progress`).
"""
