"""``/health`` (the process answers) and ``/ready`` (the data build is loaded), for operators.

A load balancer or orchestrator asks ``/health`` to decide whether to restart a process and
``/ready`` whether to send it users. They differ on purpose: a server started before its data was
built (or on a corrupt build) is alive but not ready; restarting it would not help, building would.
While not ready every other URL answers 503 with ``Retry-After`` instead of a 500 per request,
and the load is retried at most every :data:`RETRY_SECONDS`, so a new build is picked up without
a restart and a corrupt one is not re-read on every request.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask, Response, jsonify, request

from observatory.components.context import PageContext
from observatory.model import DataNotBuilt, Observatory

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
NO_STORE = "no-store"
#: Paths answered whether or not the data is loaded.
ALWAYS = ("/health", "/ready", "/healthz")


class Readiness:
    """Whether the context's data build is loaded, and the one-line reason when it is not."""

    def __init__(self, context: PageContext) -> None:
        self.context = context
        self.error: str | None = None
        self._failed_at = float("-inf")
        self._obs: Observatory | None = None
        self._lock = threading.Lock()

    def obs(self) -> Observatory | None:
        """The loaded build, or None (then :attr:`error` says why); never raises."""
        if self._obs is not None:  # every request asks: once loaded, no lock; the build served now
            return self.context.obs  # (it follows geodata/current; one build per request)
        if self.error is not None and time.monotonic() - self._failed_at < RETRY_SECONDS:
            return None
        with self._lock:
            try:
                obs = self.context.obs
            except DataNotBuilt as exc:
                if str(exc) != self.error:
                    log.error("%s", exc)  # one line, naming the file and what to run
                self.error, self._failed_at = str(exc), time.monotonic()
                return None
            self.error = None
            self._obs = obs
            return obs


def install_health(server: Flask, readiness: Readiness) -> None:
    """Register ``/health``, ``/ready`` (``/healthz`` kept as its old name) and the 503 gate."""

    @server.route("/health")
    def health() -> Response:
        response = jsonify(status="ok")
        response.headers["Cache-Control"] = NO_STORE
        return response

    @server.route("/ready")
    @server.route("/healthz")
    def ready() -> Response:
        obs = readiness.obs()
        if obs is None:
            response = jsonify(status="unavailable", error=readiness.error)
            response.status_code = 503
            response.headers["Retry-After"] = str(int(RETRY_SECONDS))
        else:
            response = jsonify(status="ok", build=obs.path.name, built_at=obs.manifest.get("built_at"))
        response.headers["Cache-Control"] = NO_STORE
        return response

    def gate() -> Response | None:
        if request.path in ALWAYS or readiness.obs() is not None:
            return None
        response = Response(
            "The Observatory is starting or its data is being rebuilt; please retry in a minute.",
            status=503,
            mimetype="text/plain",
        )
        response.headers["Retry-After"] = "30"
        response.headers["Cache-Control"] = NO_STORE
        return response

    server.before_request(gate)
