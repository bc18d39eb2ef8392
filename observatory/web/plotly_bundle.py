"""Serve our partial plotly.js bundle wherever Dash would serve the full one.

Why: on a first visit, the map's time to draw was dominated by plotly.js. The full bundle is
4.8 MB of JavaScript (3D, WebGL, maplibre, finance traces...) that the browser must compile and
run before it can draw anything: about 0.6 s on a two-core machine. The observatory draws four
trace types (choropleth, scatter, bar, heatmap); ``assets/vendor/plotly-observatory.min.js``
holds just those (1.4 MB), built by ``scripts/plotly-bundle`` from the plotly.js release the
Python ``plotly`` package targets. Measured with ``bench/bench_map.py`` (median of 5, NUTS 2): the
cold-cache time to a drawn map is 875 ms with the bundle and 1,605 ms with the full plotly.js.

How: ``dcc.Graph`` loads plotly.js from one URL (:data:`DASH_PLOTLY_PATH`) when a page first
shows a graph, and ``assets/map-prefetch.js`` preloads that URL on the landing page. That URL
answers with our bundle, so there is exactly one plotly.js in the app. The bundle is kept out of
Dash's automatic asset scripts (:data:`ASSETS_IGNORE`), which would run it on every page before
the app starts, graphs or not.
"""

from __future__ import annotations

import re

from flask import Flask, Response, request, send_file

from observatory.config import REPO_ROOT

BUNDLE = REPO_ROOT / "assets" / "vendor" / "plotly-observatory.min.js"
#: Where dcc.Graph loads plotly.js from when ``window.Plotly`` is not there yet (Dash 2-4).
DASH_PLOTLY_PATH = "_dash-component-suites/plotly/package_data/plotly.min.js"
#: Dash's ``assets_ignore`` pattern: not one of the scripts every page runs up front.
ASSETS_IGNORE = r"plotly-observatory\.min\.js$"
#: Not fingerprinted (dcc.Graph asks for a fixed URL), so revalidated by ETag after an hour.
BUNDLE_LIFETIME = "public, max-age=3600"

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


def install_plotly_bundle(server: Flask, prefix: str) -> None:
    """Answer Dash's plotly.js URL with the partial bundle (ETag-validated)."""
    if not BUNDLE.exists():
        raise RuntimeError(f"{BUNDLE} is missing: build it with scripts/plotly-bundle (see its README)")

    @server.before_request
    def _plotly_bundle() -> Response | None:
        if request.method not in ("GET", "HEAD") or not is_dash_plotly_path(request.path, prefix):
            return None
        response = send_file(BUNDLE, mimetype="application/javascript", conditional=True, etag=True)
        response.headers["Cache-Control"] = BUNDLE_LIFETIME
        return response
