"""Charts for presentations: every chart of the app as an image, data, a PowerPoint slide or an embed.

One chart export is one :class:`~observatory.exports.charts.ChartExport`: the figure the page
shows, the data it draws (one tidy row per region, indicator and year), its title, subtitle and
source lines. It is made from the same URL parameters as the page (``?level=3&indicator=...``), so
any view a user sees can be exported by swapping the path. The modules then turn it into files:

- :mod:`~observatory.exports.charts`: which charts exist, and how each is made from a query;
- :mod:`~observatory.exports.tables`: CSV and Excel (a second sheet for sources and notes);
- :mod:`~observatory.exports.slides`: PowerPoint with native, editable charts, and the benchmark deck;
- :mod:`~observatory.exports.render`: PNG/SVG rendered server-side by kaleido in a separate process
  (system Chromium, no network);
- :mod:`~observatory.exports.store`: rendered files kept by URL and build, so a second request is
  instant.

The web floor serves them (``observatory.web.exports``: ``/export/<figure>.<format>``,
``/export/benchmark-deck.pptx``, ``/embed/<figure>``).
"""
