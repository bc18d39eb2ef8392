"""Gunicorn settings for the Observatory, every one read from an environment variable.

``gunicorn app:server`` (Procfile, ``./run app``) finds this file in the working directory. The
README's "Running in production" section lists the variables with their defaults and why; the
defaults were chosen by measurement on a 2-core machine (``bench/bench_load.py``, results in
``bench/results/``):

- worker class ``gevent``: a slow client (slowloris: a header line every few seconds) costs one
  greenlet, not one of the few sync workers; with sync workers two such sockets took the site down.
  Dash's callbacks are CPU-bound pandas and plotly work, so greenlets add no throughput over sync,
  only resistance to slow and idle connections (and keep-alive, which sync workers cannot do).
- ``preload_app``: the data build is loaded once in the master and shared by the forked workers;
  a build that cannot be loaded stops the master with one line (:func:`on_starting`).
- ``max_requests`` with jitter: workers are recycled one at a time, bounding slow memory growth.
"""

from __future__ import annotations

import os
import sys


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


bind = _env("GUNICORN_BIND", f"{_env('HOST', '127.0.0.1')}:{_env('PORT', '8050')}")
worker_class = _env("GUNICORN_WORKER_CLASS", "gevent")
workers = int(_env("WEB_CONCURRENCY", str(_cpus())))
threads = int(_env("GUNICORN_THREADS", "4"))  # only for worker_class=gthread
worker_connections = int(_env("GUNICORN_WORKER_CONNECTIONS", "500"))  # gevent: open sockets per worker
preload_app = _env("GUNICORN_PRELOAD", "1") == "1"
timeout = int(_env("GUNICORN_TIMEOUT", "30"))  # a worker silent this long is killed and replaced
graceful_timeout = int(_env("GUNICORN_GRACEFUL_TIMEOUT", "30"))  # in-flight requests on reload (HUP)
keepalive = int(_env("GUNICORN_KEEPALIVE", "5"))
max_requests = int(_env("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = int(_env("GUNICORN_MAX_REQUESTS_JITTER", "500"))
limit_request_line = int(_env("GUNICORN_LIMIT_REQUEST_LINE", "8190"))
limit_request_fields = int(_env("GUNICORN_LIMIT_REQUEST_FIELDS", "60"))
limit_request_field_size = int(_env("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", "8190"))
# Gunicorn 23+'s control socket (``gunicornc``): off unless a path is given, so two servers on one
# machine do not fight over ``~/.gunicorn/gunicorn.ctl``.
_control = _env("GUNICORN_CONTROL_SOCKET", "")
if _control:
    control_socket = _control
control_socket_disable = not _control
accesslog = _env("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = _env("GUNICORN_LOG_LEVEL", "info")
# Behind a reverse proxy: the addresses whose X-Forwarded-* headers are trusted.
forwarded_allow_ips = _env("FORWARDED_ALLOW_IPS", "127.0.0.1")
#: Without usable data the master exits (non-zero, one line) unless this is 0: then it serves and
#: answers /ready with 503 until a build appears (for orchestrators that build after starting).
REQUIRE_DATA = _env("OBSERVATORY_REQUIRE_DATA", "1") == "1"
EXIT_NO_DATA = 3


def _hide_server_header() -> None:
    """Drop gunicorn's ``Server: gunicorn`` header: no product name or version reaches a client."""
    from gunicorn.http import wsgi

    default_headers = wsgi.Response.default_headers
    if getattr(default_headers, "observatory", False):
        return

    def without_server(self):
        return [line for line in default_headers(self) if not line.startswith("Server:")]

    without_server.observatory = True
    wsgi.Response.default_headers = without_server


_hide_server_header()


def on_starting(server) -> None:
    """With ``preload_app`` the app (and its data) is loaded by now: stop here if the data is unusable."""
    if not (preload_app and REQUIRE_DATA):
        return
    flask_app = server.app.wsgi()
    readiness = flask_app.extensions.get("observatory.readiness")
    if readiness is not None and readiness.obs() is None:
        sys.stderr.write(f"observatory: cannot serve: {readiness.error}\n")
        sys.stderr.flush()
        sys.exit(EXIT_NO_DATA)
    _precompress(flask_app)


def _precompress(flask_app) -> None:
    """Brotli-compress the pages' static files and the build's boundaries in the master, before the
    workers fork (they share the result; the first visitor never waits for it). Seconds the first
    time, instant once the disk cache has them (``observatory.web.static_assets``)."""
    if os.environ.get("OBSERVATORY_PRECOMPRESS", "1") != "1":
        return
    from observatory.web.static_assets import precompress

    context = flask_app.extensions.get("observatory")
    extra = tuple(context.urls.boundaries(level) for level in (0, 1, 2, 3)) if context is not None else ()
    try:
        precompress(flask_app, extra=extra)
    except Exception as exc:  # never stop the server for an optimisation
        sys.stderr.write(f"observatory: static files not precompressed ({type(exc).__name__})\n")
