"""Analysis: pure computations over the ``Observatory`` (pandas in, pandas out, no Dash).

Map measures (``map_measures``), region profiles (``profile``), peer search (``peers``) and the
benchmark's chart data (``benchmark_charts``), the strategy repository's filters (``repository``),
coverage of the records (``coverage``). Results that only change with the data are kept per build
in ``obs.derived``. Depends on the model only; figures, state and pages build on it.
"""
