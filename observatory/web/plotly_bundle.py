"""Serve our partial plotly.js bundle wherever Dash would serve the full one.

Why: on a first visit, the map's time to draw was dominated by plotly.js. The full bundle is
4.8 MB of JavaScript (3D, WebGL, maplibre, finance traces...) that the browser must compile and
run before it can draw anything: about 0.6 s on a two-core machine. The observatory draws four
trace types (choropleth, scatter, bar, heatmap); ``assets/vendor/plotly-observatory.min.js``
holds just those (1.4 MB), built by ``scripts/plotly-bundle`` from the plotly.js release the
Python ``plotly`` package targets. Measured with ``bench/bench_map.py`` (median of 5, NUTS 2): the
cold-cache time to a drawn map is 875 ms with the bundle and 1,605 ms with the full plotly.js.

How: ``dcc.Graph`` loads plotly.js from one URL (:data:`DASH_PLOTLY_PATH`) when a page first
shows a graph. That URL answers with our bundle, so there is exactly one plotly.js in the app. The
bundle is kept out of Dash's automatic asset scripts (:data:`ASSETS_IGNORE`), which would run it
on every page before the app starts, graphs or not.

Fingerprinted: the bundle is also served under a URL naming its content hash
(:func:`hashed_path`, ``.../plotly.observatory-<hash>.min.js``), immutable for a year, so a
returning visitor never revalidates it and a new bundle is a new URL. Every page's ``<head>``
names that URL (``<meta name="observatory-plotly">``; the map, which draws at once, also gets a
``<link rel="preload">`` so the browser fetches it while the app starts), and
``assets/lazy-libraries.js`` points Dash's plotly.js URL at it. The plain URL keeps answering, with
an hour's lifetime, for a page that does not know the fingerprint.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from html import escape

from flask import Flask, Response, current_app, request, send_file

from observatory.components.shell import set_plotly_tags
from observatory.config import REPO_ROOT

BUNDLE = REPO_ROOT / "assets" / "vendor" / "plotly-observatory.min.js"
#: Where dcc.Graph loads plotly.js from when ``window.Plotly`` is not there yet (Dash 2-4).
DASH_PLOTLY_PATH = "_dash-component-suites/plotly/package_data/plotly.min.js"
#: Dash's ``assets_ignore`` pattern: not one of the scripts every page runs up front.
ASSETS_IGNORE = r"plotly-observatory\.min\.js$"
#: The plain URL is not fingerprinted (dcc.Graph asks for a fixed URL): revalidated after an hour.
BUNDLE_LIFETIME = "public, max-age=3600"
#: The fingerprinted URL's content never changes.
HASHED_LIFETIME = "public, max-age=31536000, immutable"
#: Pages whose first paint draws a graph at once: their ``<head>`` preloads the bundle.
PRELOAD_PATHS = ("/",)

_BANNER = re.compile(r"plotly\.js v(?P<version>[\w.\-]+) .*?traces=(?P<traces>[a-z0-9,]+)")
_DASH_PLOTLY = re.compile(r"_dash-component-suites/plotly/package_data/plotly(\.v[\w]+)?\.min\.js")


def bundle_info() -> dict:
    """The plotly.js version and trace types of the bundle, read from its banner comment."""
    with BUNDLE.open(encoding="utf-8") as handle:
        head = handle.read(400)
    match = _BANNER.search(head)
    if match is None:
        raise RuntimeError(f"{BUNDLE} has no build banner: rebuild it with scripts/plotly-bundle")
    return {"version": match["version"], "traces": tuple(match["traces"].split(","))}


def is_dash_plotly_path(path: str, prefix: str = "/") -> bool:
    """Dash's plotly.js URL, plain (what dcc.Graph loads) or fingerprinted (``plotly.v6_1m123.min.js``)."""
    return path.startswith(prefix) and _DASH_PLOTLY.fullmatch(path[len(prefix):]) is not None


@cache
def bundle_hash() -> str:
    """The first 16 hex digits of the bundle's BLAKE2b digest (read once per process)."""
    return hashlib.blake2b(BUNDLE.read_bytes(), digest_size=8).hexdigest()


def hashed_path(prefix: str = "/") -> str:
    """The bundle's fingerprinted URL path (served immutable for a year)."""
    return f"{prefix}_dash-component-suites/plotly/package_data/plotly.observatory-{bundle_hash()}.min.js"


#: Dash's chunks that the map's first paint needs (its graph, level slider, indicator dropdown).
FIRST_PAINT_CHUNKS = ("dash/dcc/async-graph.js", "dash/dcc/async-slider.js", "dash/dcc/async-dropdown.js")


def head_tags(path: str, prefix: str = "/", boundaries: str | None = None) -> str:
    """What a page's ``<head>`` says about the bundle: its fingerprinted URL; and on a page that draws
    a graph at once (:data:`PRELOAD_PATHS`) preloads of what that graph needs (the bundle, Dash's
    graph chunks, the map's ``boundaries``), so they download with the app instead of one after the
    other once its layout has come. Low priority: the app's own scripts, which start it, go first."""
    url = escape(hashed_path(prefix))
    tags = f'<meta name="observatory-plotly" content="{url}">'
    if path in {prefix + p.lstrip("/") for p in PRELOAD_PATHS}:
        low = 'fetchpriority="low"'
        tags += f'<link rel="preload" as="script" href="{url}" {low}>'
        for chunk in FIRST_PAINT_CHUNKS:
            chunk_url = escape(f"{prefix}_dash-component-suites/{chunk}")
            tags += f'<link rel="preload" as="script" href="{chunk_url}" {low}>'
        if boundaries:  # fetched by assets/map-prefetch.js (fetch(), same-origin: crossorigin="anonymous")
            tags += f'<link rel="preload" as="fetch" href="{escape(boundaries)}" crossorigin {low}>'
    return tags


def _map_boundaries(prefix: str) -> str | None:
    """The boundaries the map will draw for this request (``level`` as the address gives it, else 2)."""
    context = current_app.extensions.get("observatory")
    level = request.args.get("level", "2")
    if context is None or level not in ("0", "1", "2", "3"):
        return None
    try:
        return prefix.rstrip("/") + context.urls.boundaries(int(level))
    except Exception:  # no data yet: nothing to preload
        return None


_HASHED = re.compile(r"_dash-component-suites/plotly/package_data/plotly\.observatory-[0-9a-f]+\.min\.js")


def install_plotly_bundle(server: Flask, prefix: str) -> None:
    """Answer Dash's plotly.js URL, and the fingerprinted one, with the partial bundle."""
    if not BUNDLE.exists():
        raise RuntimeError(f"{BUNDLE} is missing: build it with scripts/plotly-bundle (see its README)")
    current = hashed_path(prefix)
    set_plotly_tags(lambda path: head_tags(path, prefix, _map_boundaries(prefix)))

    @server.before_request
    def _plotly_bundle() -> Response | None:
        if request.method not in ("GET", "HEAD") or not request.path.startswith(prefix):
            return None
        fingerprinted = _HASHED.fullmatch(request.path[len(prefix):]) is not None
        if not fingerprinted and not is_dash_plotly_path(request.path, prefix):
            return None
        response = send_file(BUNDLE, mimetype="application/javascript", conditional=True, etag=True)
        # an older fingerprint (a page from before an upgrade) still gets the bundle, not for a year
        response.headers["Cache-Control"] = HASHED_LIFETIME if request.path == current else BUNDLE_LIFETIME
        return response
