"""What every page is handed when the app is made: the data build and the URLs that depend on it.

Pages do not reach for a process-wide singleton or import the web server to find their data:
``create_app()`` makes one :class:`PageContext` and passes it to each page's ``register(app,
context)`` and ``layout(context, ...)``. A test hands a page a context around any ``Observatory``
(the small synthetic one included) and gets pages drawn from exactly that data.

The static data URLs are built here because they belong to the build (its id is part of every
URL, so a new build is a new URL and no cache serves stale geometry); the web server serves the
same patterns (:data:`GEO_ROUTE`, :data:`BASEMAP_ROUTE`).

A build swapped in while serving (``python -m observatory build`` moves ``geodata/current``) is
picked up without a restart when the context follows it (``follow``): at most every
:data:`CHECK_SECONDS` a request looks where the link points; when it names another build, that
build is loaded (and warmed, :attr:`PageContext.prepare`) in the background while requests go on
with the old one, then one assignment swaps it in. A request keeps the build it first asked for
to its end (pinned in the request's WSGI environ): one answer is never drawn from two builds, and
requests in flight during the swap finish on the old one. Every cache key and static URL names the build id,
so nothing of the old build is served as the new one's.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import flask

from observatory.components.address import is_page
from observatory.model import Observatory

log = logging.getLogger(__name__)

#: Seconds between two looks at where ``geodata/current`` points (a look is one ``realpath``).
CHECK_SECONDS = float(os.environ.get("OBSERVATORY_BUILD_CHECK_SECONDS", "5"))

#: The Flask routes of the static data files; :class:`DataUrls` writes URLs that match them.
GEO_ROUTE = "/geo/<version>/nuts<int:level>.geojson"
BASEMAP_ROUTE = "/geo/<version>/basemap.geojson"


@dataclass(frozen=True)
class DataUrls:
    """URLs of a build's static data files (boundaries, basemap), keyed by the build's id."""

    build: str

    @classmethod
    def of(cls, obs: Observatory) -> DataUrls:
        return cls(obs.path.name)

    def boundaries(self, level: int) -> str:
        """A level's simplified boundaries (served once, cached for a year, ETag-validated)."""
        return f"/geo/{self.build}/nuts{int(level)}.geojson"

    def basemap(self) -> str:
        """The opt-in basemap (neighbouring countries), cached like the boundaries."""
        return f"/geo/{self.build}/basemap.geojson"


class PageContext:
    """The loaded data build, its URLs and the app's address prefix, for pages and their callbacks.

    The build is loaded on first use (``python -m observatory build`` may not have run yet when
    the app object is made); ``observatory.web.server.warm_up`` loads it ahead of the first request
    when it exists. ``follow``: where the build to serve is now (``Observatory.current_build``),
    checked every ``check_seconds``; None serves the first build loaded for good.
    """

    def __init__(self, load: Callable[[], Observatory], *, pathname_prefix: str = "/",
                 follow: Callable[[], Path | None] | None = None, check_seconds: float | None = None) -> None:
        self._load = load
        self._obs: Observatory | None = None
        self._lock = threading.Lock()
        self.pathname_prefix = pathname_prefix
        #: (label, path) of the navbar's pages, set when the pages are registered.
        self.navigation: list[tuple[str, str]] = []
        #: Called with a newly loaded build before it serves (fills its derived tables).
        self.prepare: Callable[[Observatory], None] | None = None
        self._follow = follow
        self._check_seconds = CHECK_SECONDS if check_seconds is None else check_seconds
        self._next_check = 0.0
        self._swapping: threading.Thread | None = None
        self._refused: Path | None = None  # a build that failed to load: not retried until it changes

    @classmethod
    def of(cls, obs: Observatory, *, pathname_prefix: str = "/") -> PageContext:
        """A context around data already loaded (tests, benchmarks, exports)."""
        context = cls(lambda: obs, pathname_prefix=pathname_prefix)
        context._obs = obs
        return context

    @property
    def obs(self) -> Observatory:
        """The build this request is answered from: the one served when it first asked (see the
        module docstring); outside a request, the one served now."""
        if not flask.has_request_context():
            return self._current()
        environ = flask.request.environ  # the request's own (an app context may be shared)
        pinned = environ.get("observatory.build")
        if pinned is None:
            pinned = environ["observatory.build"] = self._current()
        return pinned

    def _current(self) -> Observatory:
        if self._obs is None:
            with self._lock:
                if self._obs is None:
                    self._obs = self._load()
                    self._next_check = time.monotonic() + self._check_seconds
            return self._obs
        if self._follow is not None and time.monotonic() >= self._next_check:
            self._look_for_a_new_build()
        return self._obs

    def _look_for_a_new_build(self) -> None:
        with self._lock:
            if time.monotonic() < self._next_check or self._swapping is not None:
                return
            self._next_check = time.monotonic() + self._check_seconds
            target = self._follow()
            if target is None or target in (self._obs.path, self._refused):
                return
            self._swapping = threading.Thread(target=self._swap_in, args=(target,), daemon=True,
                                              name="observatory-build-swap")
        self._swapping.start()

    def _swap_in(self, target: Path) -> None:
        """Load and prepare the build ``geodata/current`` names, then serve it (one assignment)."""
        try:
            new = self._load()
            if self.prepare is not None:
                self.prepare(new)
        except Exception as exc:  # a bad new build never stops the old one being served
            log.error("build %s not served, still serving %s: %s", target.name, self._obs.path.name, exc)
            self._refused = target
        else:
            old, self._obs = self._obs, new
            log.info("now serving build %s (was %s)", new.path.name, old.path.name)
        finally:
            self._swapping = None

    def wait_for_swap(self, timeout: float = 60.0) -> None:
        """Wait until a build being swapped in serves (tests, tools)."""
        swapping = self._swapping
        if swapping is not None:
            swapping.join(timeout)

    @property
    def urls(self) -> DataUrls:
        return DataUrls.of(self.obs)

    def is_page(self, pathname: str | None, path: str) -> bool:
        """Whether the browser's ``pathname`` is the page registered at ``path`` in this app."""
        return is_page(pathname, path, self.pathname_prefix)
