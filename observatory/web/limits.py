"""Per-client rate limits on the data endpoints (``/api/``, and ``/export/`` when it exists).

Why: one ``/api/indicators/<id>.json`` costs about 0.3 s of CPU for 4.2 MB; four clients looping on
it pushed ``/healthz`` from 1 ms to 456 ms (issue 13). Pages are not limited (a policy officer
clicking around must never see a 429), the data endpoints are: a client over its budget gets a
429 with ``Retry-After`` and a JSON body saying when to retry.

Storage: in memory by default (each gunicorn worker counts for itself, so the effective limit is
up to ``workers`` times the setting); ``OBSERVATORY_RATE_LIMIT_STORAGE`` (e.g. ``redis://host:6379``,
needs the ``redis`` package) shares the counts between workers and servers. Behind a proxy, the
client address is the proxy's unless ``OBSERVATORY_PROXY_HOPS`` makes Flask trust X-Forwarded-For
(see :func:`observatory.web.server.create_app`).
"""

from __future__ import annotations

import os

from flask import Flask, Response, jsonify, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address

#: The paths that are limited; everything else (pages, callbacks, static files) is not.
LIMITED_PREFIXES = ("/api/", "/export/")
#: Per-client budget (flask-limiter syntax), env ``OBSERVATORY_RATE_LIMIT``.
RATE_LIMIT = os.environ.get("OBSERVATORY_RATE_LIMIT", "10 per second; 120 per minute")
STORAGE_URI = os.environ.get("OBSERVATORY_RATE_LIMIT_STORAGE", "memory://")


def install_limits(server: Flask) -> Limiter:
    """Attach the limiter to ``server``; limits apply to :data:`LIMITED_PREFIXES` only."""
    limiter = Limiter(
        get_remote_address,
        app=server,
        application_limits=[RATE_LIMIT],
        application_limits_exempt_when=lambda: not request.path.startswith(LIMITED_PREFIXES),
        headers_enabled=True,
        storage_uri=STORAGE_URI,
        swallow_errors=True,  # a storage outage (Redis down) must not take the API down with it
        in_memory_fallback_enabled=STORAGE_URI != "memory://",
    )

    @server.errorhandler(RateLimitExceeded)
    def _too_many(exc: RateLimitExceeded) -> Response:
        response = jsonify(error=f"Too many requests: at most {exc.description} per client. "
                                 "Retry after the number of seconds in the Retry-After header.")
        response.status_code = 429
        return response

    return limiter
