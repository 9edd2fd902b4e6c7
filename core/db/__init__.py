"""The database: one DuckDB file, its schema, migrations, and every read and write of records.

Owns opening the file (a cursor per thread), the numbered migrations, the one list of
tables (:mod:`.schema`), the :class:`~core.db.store.Store` through which every write goes
and bumps the data version (:mod:`.versions`), the check-in records, what a session's
outcomes become, the private scoped copy a share link reads, and the sorting of a file
shared by many profiles. May import :mod:`core.domain`; never the packages after it.
"""
