"""Progress: the metrics (adherence, pain and baseline, the six-week status, exercises, weekly
review), the dashboards built from them, their Plotly charts and tables, and the HTML report.

Every metric is DuckDB SQL over the store (one module per metric, :mod:`.queries` for the
shared plumbing); :mod:`.dashboard` gathers what a page shows, :mod:`.charts` draws it and
:mod:`.report` writes it to a file. May import :mod:`core.domain` and :mod:`core.db`.
"""
