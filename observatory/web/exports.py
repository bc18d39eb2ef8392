"""The export and embed routes: ``/export/<chart>.<format>``, ``/export/benchmark-deck.pptx``,
``/embed/<chart>``.

Each takes exactly the query string of the page the chart is on, so any view a user sees can be
exported or embedded by swapping the path. Files are cached by build, path and query
(:mod:`observatory.exports.store`): a second request is served from the cache. A bad request is
a 400 or 404 with a one-line message, never a 5xx; when images cannot be rendered (no Chromium)
the answer is a 503 that says so. Only ``/embed/...`` may be framed by other sites
(``observatory.web.security``).
"""

from __future__ import annotations

import hashlib
import logging
import time

import pandas as pd
import plotly.io as pio
from flask import Blueprint, Response, request, url_for
from markupsafe import escape

from observatory.components.context import PageContext
from observatory.exports.charts import CHARTS, ExportError, chart_export
from observatory.exports.files import DECK, FORMATS, MIMETYPES, cached_export
from observatory.exports.render import RenderUnavailable
from observatory.exports.store import STORE, export_key
from observatory.web.plotly_bundle import DASH_PLOTLY_PATH

log = logging.getLogger(__name__)

#: Browsers and proxies may keep an export this long (the URL names the view; a new build's
#: files differ only in data, and a day-old chart is what the user asked for then).
EXPORT_MAX_AGE = 3600


def _message(text: str, status: int) -> Response:
    return Response(text + "\n", status=status, mimetype="text/plain")


def query_string() -> str:
    """The request's query as the page carries it: ``?a=b`` (empty when there is none)."""
    raw = request.query_string.decode("utf-8", "replace")
    return f"?{raw}" if raw else ""


def exports_blueprint(context: PageContext) -> Blueprint:
    blueprint = Blueprint("exports", __name__, static_folder="embed_static", static_url_path="/embed/static")

    @blueprint.route("/export/<string:filename>")
    def export(filename: str) -> Response:
        obs = context.obs
        search = query_string()
        etag = hashlib.sha256(export_key(obs.path.name, request.path, search).encode()).hexdigest()[:24]
        if request.if_none_match and etag in request.if_none_match:
            return Response(status=304, headers={"ETag": f'"{etag}"'})
        started = time.perf_counter()
        try:
            name, fmt = parse_filename(filename)
            made, hit = cached_export(obs, name, fmt, search, store=STORE)
        except ExportError as exc:
            return _message(str(exc), exc.status)
        except RenderUnavailable as exc:
            log.warning("export %s: %s", request.path, exc)
            return _message(f"Images cannot be made right now: {exc}. CSV and Excel still work.", 503)
        response = Response(made.content, mimetype=made.mimetype)
        response.headers["Content-Disposition"] = f'attachment; filename="{made.filename}"'
        response.headers["Cache-Control"] = f"public, max-age={EXPORT_MAX_AGE}"
        response.headers["ETag"] = f'"{etag}"'
        response.headers["X-Export-Cache"] = "hit" if hit else "miss"
        response.headers["Server-Timing"] = f"export;dur={(time.perf_counter() - started) * 1000:.0f}"
        return response

    @blueprint.route("/embed/<string:name>")
    def embed(name: str) -> Response:
        if name not in CHARTS:
            return _message(f"No chart named {name!r}: use one of {', '.join(CHARTS)}.", 404)
        try:
            export = chart_export(context.obs, name, query_string())
        except ExportError as exc:
            return _message(str(exc), exc.status)
        return Response(embed_page(export, plotly_url="/" + DASH_PLOTLY_PATH,
                                   static=lambda f: url_for("exports.static", filename=f)),
                        mimetype="text/html")

    return blueprint


def parse_filename(filename: str) -> tuple[str, str]:
    """``bench-bars.png`` -> ("bench-bars", "png"); :class:`ExportError` (404) for an unknown one."""
    name, dot, fmt = filename.rpartition(".")
    if not dot or not name:
        charts = ", ".join([*CHARTS, DECK])
        raise ExportError(f"Name a chart and a format: /export/<chart>.<format> (charts: {charts}; "
                          f"formats: {', '.join(FORMATS)}).", status=404)
    if name != DECK and name not in CHARTS:
        raise ExportError(f"No chart named {name!r}: use one of {', '.join(CHARTS)} or {DECK}.", status=404)
    if fmt not in MIMETYPES or (name == DECK and fmt != "pptx"):
        allowed = "pptx" if name == DECK else ", ".join(FORMATS)
        raise ExportError(f"Unknown format {fmt!r} for {name}: use {allowed}.", status=404)
    return name, fmt


def embed_figure_json(export) -> str:
    """The chart's figure for the embed page: fills the frame; safe inside a ``<script>`` data block."""
    figure = export.figure.to_dict() if hasattr(export.figure, "to_dict") else dict(export.figure)
    layout = dict(figure.get("layout") or {})
    layout.pop("height", None)
    layout["autosize"] = True
    text = pio.to_json({"data": figure.get("data", []), "layout": layout}, validate=False)
    # "</script>" (or any "</") inside a string would end the data block early
    return text.replace("</", "<\\/")


def embed_page(export, *, plotly_url: str, static) -> str:
    """The embed's HTML: the interactive chart, a one-line source and a link back to the full view.

    Every text from data is escaped; the figure is a JSON data block drawn by ``embed.js`` (the
    CSP allows no inline script). The chart's data is also given as a list for screen readers.
    """
    items = "".join(f"<li>{escape(_list_item(row))}</li>" for _, row in export.data.head(60).iterrows())
    more = f"<p>{len(export.data) - 60} more rows in the CSV.</p>" if len(export.data) > 60 else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(export.title)} – S3 Observatory</title>
<link rel="stylesheet" href="{static('embed.css')}">
<script src="/assets/map-offline-geo.js"></script>
<script src="{plotly_url}"></script>
</head>
<body>
<main class="embed">
<h1 class="embed-list">{escape(export.title)}</h1>
<div id="embed-chart" class="embed-chart" role="img"
 aria-label="{escape(export.title)}. {escape(export.subtitle)}"></div>
<script type="application/json" id="embed-figure">{embed_figure_json(export)}</script>
<section class="embed-list" aria-label="The chart's data"><ul>{items}</ul>{more}</section>
<p class="embed-footer">{escape(export.source_line)} ·
 <a href="{escape(export.page)}" target="_blank" rel="noopener">Open in the S3 Observatory</a></p>
</main>
<script src="{static('embed.js')}"></script>
</body>
</html>
"""


def _list_item(row) -> str:
    """One row of the chart's data in words: "Name (CODE): value unit, year"."""
    value = row.get("value")
    shown = "no data" if value is None or pd.isna(value) else f"{value:,.4g}"
    year = row.get("year")
    when = f", {int(year)}" if year is not None and not pd.isna(year) else ""
    what = f"{row.get('label') or ''}: " if row.get("label") else ""
    return f"{row['name']} ({row['region']}): {what}{shown} {row.get('unit') or ''}".rstrip() + when
