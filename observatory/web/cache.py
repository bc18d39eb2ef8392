"""A shared cache of callback answers, keyed by data build and request: in-process or Redis.

Why: the server-side callbacks are pure functions of their request (inputs, state, the changed
property) and of the loaded build; a recolour, a benchmark render or a profile asked twice
computes the same answer twice. Measured under load (``bench/bench_load.py``) two workers saturate
at about 50 requests/s because each benchmark render costs about 0.4 s of CPU; answers that
repeat (the popular maps, the same region's benchmark) cost a lookup instead.

- The key is the build id and a hash of the request body: a new build never serves old answers.
- Only 200 answers up to :data:`MAX_ITEM_BYTES` are kept; 204 (no update) and errors never.
- ``REDIS_URL`` set: flask-caching's Redis backend, shared by every worker and app server behind a
  load balancer. Otherwise an in-process ``SimpleCache`` (per worker).
- Redis going away never fails a request: a cache error is logged once, the cache is skipped for
  :data:`RETRY_SECONDS`, then tried again, so service resumes with the cache when Redis returns.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time

import dash
from flask import Response, g, request
from flask_caching import Cache

from observatory.web.health import Readiness

log = logging.getLogger(__name__)

REDIS_URL = os.environ.get("REDIS_URL", "")
#: Largest answer kept (bytes, env ``OBSERVATORY_CACHE_MAX_ITEM_KB``).
MAX_ITEM_BYTES = int(os.environ.get("OBSERVATORY_CACHE_MAX_ITEM_KB", "512")) * 1024
#: Answers kept per process by the in-process cache (env ``OBSERVATORY_CACHE_ITEMS``).
MAX_ITEMS = int(os.environ.get("OBSERVATORY_CACHE_ITEMS", "400"))
#: Seconds an answer is kept (the build id in the key already retires stale ones).
LIFETIME = int(os.environ.get("OBSERVATORY_CACHE_SECONDS", "3600"))
RETRY_SECONDS = 5.0
HIT_HEADER = "X-Cache"
#: ``OBSERVATORY_CALLBACK_CACHE=0`` turns the cache off (to measure without it, or to rule it out).
ENABLED = os.environ.get("OBSERVATORY_CALLBACK_CACHE", "1") != "0"


def cache_config(redis_url: str | None = None) -> dict:
    """flask-caching settings: Redis with short timeouts when ``redis_url``, else in-process."""
    redis_url = REDIS_URL if redis_url is None else redis_url
    if redis_url:
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": redis_url,
            "CACHE_DEFAULT_TIMEOUT": LIFETIME,
            "CACHE_KEY_PREFIX": "observatory:",
            "CACHE_OPTIONS": {"socket_timeout": 0.25, "socket_connect_timeout": 0.25},
        }
    return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": LIFETIME, "CACHE_THRESHOLD": MAX_ITEMS}


class CallbackCache:
    """The answers store with its failure handling (see the module docstring)."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self._down_until = 0.0
        self.errors = 0

    def _guard(self, action, *args):
        if time.monotonic() < self._down_until:
            return None
        try:
            return action(*args)
        except Exception as exc:  # redis errors, timeouts, a full disk: the answer is computed instead
            self.errors += 1
            if self._down_until == 0.0 or self.errors == 1:
                log.warning("callback cache unavailable, serving without it: %s", type(exc).__name__)
            self._down_until = time.monotonic() + RETRY_SECONDS
            return None

    def get(self, key: str) -> bytes | None:
        found = self._guard(self.cache.get, key)
        if found is not None and self._down_until:
            log.warning("callback cache available again")
            self._down_until = 0.0
        return found

    def set(self, key: str, body: bytes) -> None:
        self._guard(self.cache.set, key, body)


def install_callback_cache(
    app: dash.Dash, readiness: Readiness, redis_url: str | None = None
) -> CallbackCache:
    """Answer repeated callback requests from the cache; runs after the request guards."""
    server = app.server
    cache = Cache(server, config=cache_config(redis_url))
    store = CallbackCache(cache)
    server.extensions["observatory.callback_cache"] = store
    if not ENABLED:
        return store
    path = f"{app.config.routes_pathname_prefix}_dash-update-component"

    @server.before_request
    def _cached_answer() -> Response | None:
        if request.method != "POST" or request.path != path:
            return None
        if request.args.get("cacheKey") or request.args.get("job"):
            return None  # a background callback's progress or result: depends on the job, not the body
        obs = readiness.obs()
        if obs is None:
            return None
        body = request.get_data(cache=True)
        g.callback_key = f"cb:{obs.path.name}:{hashlib.blake2b(body, digest_size=20).hexdigest()}"
        found = store.get(g.callback_key)
        if found is None:
            return None
        response = Response(found, mimetype="application/json")
        response.headers[HIT_HEADER] = "hit"
        return response

    @server.after_request
    def _keep_answer(response: Response) -> Response:
        key = g.pop("callback_key", None)
        if key is None or response.status_code != 200 or response.headers.get(HIT_HEADER):
            return response
        if response.headers.get("Content-Encoding") or response.direct_passthrough:
            return response
        body = response.get_data()
        if len(body) <= MAX_ITEM_BYTES:
            store.set(key, body)
        return response

    return store
