"""Create the Dash app: page shell, static boundaries, compression, security headers, errors.

``app.py`` calls :func:`create_app` for gunicorn (``app:server``) and for ``python app.py``. This is
the one place that loads the data: it makes the :class:`PageContext` every page and the API are
handed, registers the pages declared in ``observatory.pages``, and serves the build's static files.
"""

from __future__ import annotations

import logging
import os

import dash
from flask import Response, abort, request, send_file
from flask_compress import Compress
from werkzeug.exceptions import HTTPException

from observatory.analysis.peers import structural_matrix_for
from observatory.components.context import BASEMAP_ROUTE, GEO_ROUTE, PageContext
from observatory.components.shell import INDEX_STRING, register_shell, shell, with_page_titles
from observatory.config import REPO_ROOT
from observatory.model import Observatory
from observatory.pages import PAGES, register_all
from observatory.web import security
from observatory.web.api import api_blueprint
from observatory.web.background import celery_app, make_manager, register_deck_job
from observatory.web.cache import install_callback_cache
from observatory.web.exports import exports_blueprint
from observatory.web.guards import install_guards, rejected
from observatory.web.health import Readiness, install_health
from observatory.web.limits import install_limits
from observatory.web.plotly_bundle import ASSETS_IGNORE, install_plotly_bundle
from observatory.web.routing import resolve_status
from observatory.web.static_assets import install_static_assets

log = logging.getLogger(__name__)

YEAR_SECONDS = 365 * 24 * 3600


def warm_up(readiness: Readiness) -> None:
    """Load the data and build the lazily cached tables now, not on a user's first click.

    With ``gunicorn --preload`` this runs once in the master process and the workers share it.
    Without usable data it does nothing: :class:`Readiness` has logged the one-line reason, and
    ``/ready`` answers 503 until a build appears (``gunicorn.conf.py`` exits instead by default).
    """
    obs = readiness.obs()
    if obs is None:
        return
    warm_build(obs)


def warm_build(obs: Observatory) -> None:
    """The lazily cached tables of a build (also run on a build swapped in while serving)."""
    obs.strategy_links(2)  # the region x strategy table behind every S3 measure
    obs.search("warm")  # the folded search keys
    structural_matrix_for(obs)  # peer search: computed once here, not on a user's first benchmark


def create_app(*, partial_plotly: bool = True, observatory: Observatory | None = None) -> dash.Dash:
    """The production app, serving ``observatory`` (default: the current build, loaded on first use).

    ``partial_plotly=False`` leaves Dash's full plotly.js on its URL instead of our partial bundle
    (``observatory.web.plotly_bundle``): only for measuring what the bundle saves.
    """
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(REPO_ROOT / "assets"),
        assets_ignore=ASSETS_IGNORE,
        title="S3 Observatory",
        update_title=None,
        suppress_callback_exceptions=True,
        serve_locally=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    context = (PageContext.of(observatory, pathname_prefix=app.config.requests_pathname_prefix)
               if observatory is not None
               else PageContext(Observatory.load, pathname_prefix=app.config.requests_pathname_prefix,
                                follow=Observatory.current_build))  # a new build is served without a restart
    context.prepare = warm_build
    readiness = Readiness(context)
    install_guards(app)  # first: limits apply before anything reads the request
    install_health(app.server, readiness)  # then: nothing else runs while the data is missing
    register_all(app, context)
    manager = make_manager()
    register_deck_job(app, context, manager)
    app.celery_app = celery_app(manager)  # for ``celery -A app:celery_app worker`` (None without a broker)
    warm_up(readiness)
    app.index_string = INDEX_STRING
    app.interpolate_index = with_page_titles(app.interpolate_index)
    app.layout = lambda: shell(context.navigation)
    register_shell(app)
    server = app.server
    server.extensions["observatory"] = context  # for tests and tools that hold only the Flask app
    server.extensions["observatory.readiness"] = readiness  # for gunicorn.conf.py's start-up check
    if partial_plotly:
        install_plotly_bundle(server, app.config.routes_pathname_prefix)  # Flask sees routes, not requests
    server.config["COMPRESS_MIMETYPES"] = [
        "text/html",
        "text/css",
        "application/javascript",
        "application/json",
        "application/geo+json",
        "text/csv",
    ]
    Compress(server)
    install_static_assets(server)  # after Compress: it compresses static files once, not per request
    install_callback_cache(app, readiness)  # after Compress and the guards: keeps checked, plain answers
    security.install_security_headers(server, app.csp_hashes)
    _install_routes(app, context)
    install_limits(server)
    server.register_blueprint(api_blueprint(context))
    server.register_blueprint(exports_blueprint(context))
    _install_proxy_fix(server)
    _install_error_handlers(app)
    return app


#: Path prefixes that are not pages (Dash internals, assets, data endpoints).
NON_PAGE_PREFIXES = ("/_dash", "/_reload", "/_favicon", "/assets/", "/geo/", "/health", "/ready", "/api/",
                    "/export/", "/embed/")


def _install_routes(app: dash.Dash, context: PageContext) -> None:
    server = app.server

    @server.before_request
    def page_status():
        """Dash answers every path with its index; send it with 404 for pages that do not exist."""
        if request.method != "GET" or request.path.startswith(NON_PAGE_PREFIXES):
            return None
        if resolve_status(request.path, context.obs, PAGES) == 404:
            return Response(app.index(), status=404, mimetype="text/html")
        return None

    def send_geojson(path, version: str) -> Response:
        """A web GeoJSON: immutable for a year under the current build's URL, revalidated otherwise."""
        if not path.exists():
            abort(404)
        current = version == context.urls.build
        response = send_file(path, mimetype="application/geo+json", conditional=True, etag=True,
                             max_age=YEAR_SECONDS if current else 0)
        if current:
            response.headers["Cache-Control"] = f"public, max-age={YEAR_SECONDS}, immutable"
        return response

    @server.route(GEO_ROUTE)
    def geojson(version: str, level: int) -> Response:
        if level not in (0, 1, 2, 3):
            abort(404)
        return send_geojson(context.obs.web_boundaries(level), version)

    @server.route(BASEMAP_ROUTE)
    def basemap(version: str) -> Response:
        return send_geojson(context.obs.web_basemap(), version)


#: Proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted (env, default none).
PROXY_HOPS = int(os.environ.get("OBSERVATORY_PROXY_HOPS", "0"))


def _install_proxy_fix(server) -> None:
    """Behind ``OBSERVATORY_PROXY_HOPS`` reverse proxies, see the client's address and scheme.

    Without it the rate limits would count every client as the proxy, and HTTPS as HTTP (no HSTS).
    Never set it higher than the real number of proxies: clients could then forge their address.
    """
    if PROXY_HOPS > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=PROXY_HOPS, x_proto=PROXY_HOPS, x_host=PROXY_HOPS)


def _install_error_handlers(app: dash.Dash) -> None:
    """No traceback ever reaches a user: callback failures become a clear 400, pages a plain 500 page."""
    server = app.server

    @server.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return exc
        if request.path.startswith("/_dash-component-suites/"):
            # Dash raises on a file it does not know (DependencyException) or cannot find (its .map
            # files are registered but not shipped): a missing file, not a server fault.
            log.info("no component file %s (%s)", request.path[:200], type(exc).__name__)
            return Response("Not found", status=404, mimetype="text/plain")
        if request.path.startswith("/_dash-update-component"):
            # One line, no traceback: a bad request must not cost the log 2 KB (issue 13), and the
            # innermost frame is enough to find a callback that fails on valid input.
            return rejected(f"{type(exc).__name__}: {str(exc)[:160]} at {_where(exc)}")
        return Response(
            "Something went wrong on our side. The error has been logged.", status=500, mimetype="text/plain"
        )


def _where(exc: BaseException) -> str:
    """``file:line`` of the innermost frame of ``exc`` in the project's code (else the innermost)."""
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append((tb.tb_frame.f_code.co_filename, tb.tb_lineno))
        tb = tb.tb_next
    if not frames:
        return "?"
    ours = [f for f in frames if f[0].startswith(str(REPO_ROOT / "observatory"))]
    name, line = (ours or frames)[-1]
    return f"{name.removeprefix(str(REPO_ROOT) + '/')}:{line}"
