"""From a chart name, a format and the page's query to the bytes of a file.

The one function the web floor (and the background deck job) calls: :func:`export_file`. Images go
through the render worker (:mod:`observatory.exports.render`), the rest is pure Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from observatory.exports import deck, slides, tables
from observatory.exports.charts import ChartExport, ExportError, chart_export
from observatory.exports.render import RENDERER, inline_geometry
from observatory.exports.store import STORE, ExportStore, export_key
from observatory.figures.slide import PNG_SCALE, SLIDE_HEIGHT, SLIDE_WIDTH, slide
from observatory.model import Observatory

MIMETYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
FORMATS = tuple(MIMETYPES)
DECK = "benchmark-deck"


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    mimetype: str
    filename: str


def geometry_files(obs: Observatory) -> dict[str, Path]:
    """The app's boundary URLs of this build and the files behind them (for the renderer)."""
    files = {f"/geo/{obs.path.name}/nuts{level}.geojson": obs.web_boundaries(level) for level in range(4)}
    files[f"/geo/{obs.path.name}/basemap.geojson"] = obs.web_basemap()
    return files


def slide_figure(export: ChartExport):
    return slide(export.figure, title=export.title, subtitle=export.subtitle, sources=export.sources)


def render_image(obs: Observatory, export: ChartExport, fmt: str) -> bytes:
    """The chart at slide size (PNG at 2x: 3200x1800), title, subtitle and sources drawn in."""
    figure = inline_geometry(slide_figure(export), geometry_files(obs))
    scale = PNG_SCALE if fmt == "png" else 1
    return RENDERER.render(figure, fmt, width=SLIDE_WIDTH, height=SLIDE_HEIGHT, scale=scale)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


def export_path(name: str, fmt: str) -> str:
    """The export's URL path (the cache key and the links use the same one)."""
    return f"/export/{name}.{fmt}"


def cached_export(obs: Observatory, name: str, fmt: str, search: str, *, store: ExportStore | None = None,
                  progress: deck.Progress | None = None) -> tuple[ExportFile, bool]:
    """The file, from the store when it holds it for this build and URL, else made and stored.

    Returns ``(file, hit)``. The web route and the background deck job both call this, so a deck
    prepared in the background is then downloaded from the store at once.
    """
    store = store or STORE
    key = export_key(obs.path.name, export_path(name, fmt), search)
    filename = store.get(key + ":name")
    content = store.get(key) if filename else None
    if content is not None:
        return ExportFile(content, MIMETYPES[fmt], filename.decode()), True
    made = export_file(obs, name, fmt, search, progress=progress)
    store.set(key, made.content)
    store.set(key + ":name", made.filename.encode())
    return made, False


def export_file(obs: Observatory, name: str, fmt: str, search: str,
                progress: deck.Progress | None = None) -> ExportFile:
    """The file for ``/export/<name>.<fmt>?<search>``; :class:`ExportError` for a bad request."""
    if name == DECK:
        if fmt != "pptx":
            raise ExportError("The benchmark deck is a PowerPoint file: /export/benchmark-deck.pptx",
                              status=404)
        content = deck.benchmark_deck(obs, search, progress)
        region = re.search(r"region=([A-Za-z0-9]+)", search or "")
        return ExportFile(content, MIMETYPES["pptx"],
                          f"s3-observatory-benchmark-{_slug(region.group(1) if region else 'deck')}.pptx")
    if fmt not in MIMETYPES:
        raise ExportError(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.", status=404)
    export = chart_export(obs, name, search)
    if fmt in ("png", "svg"):
        content = render_image(obs, export, fmt)
    elif fmt == "csv":
        content = tables.to_csv(export)
    elif fmt == "xlsx":
        content = tables.to_xlsx(export, url=f"/export/{name}.xlsx{search}", build=obs.path.name)
    else:
        content = slides.to_pptx(export, picture=lambda e: render_image(obs, e, "png"))
    return ExportFile(content, MIMETYPES[fmt], f"s3-observatory-{name}-{_slug(export.title)}.{fmt}")
