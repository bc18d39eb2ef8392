"""What every page is handed when the app is made: the data build and the URLs that depend on it.

Pages do not reach for a process-wide singleton or import the web server to find their data:
``create_app()`` makes one :class:`PageContext` and passes it to each page's ``register(app,
context)`` and ``layout(context, ...)``. A test hands a page a context around any ``Observatory``
(the small synthetic one included) and gets pages drawn from exactly that data.

The static data URLs are built here because they belong to the build (its id is part of every
URL, so a new build is a new URL and no cache serves stale geometry); the web server serves the
same patterns (:data:`GEO_ROUTE`, :data:`BASEMAP_ROUTE`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from observatory.components.address import is_page
from observatory.model import Observatory

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
    when it exists.
    """

    def __init__(self, load: Callable[[], Observatory], *, pathname_prefix: str = "/") -> None:
        self._load = load
        self._obs: Observatory | None = None
        self._lock = threading.Lock()
        self.pathname_prefix = pathname_prefix
        #: (label, path) of the navbar's pages, set when the pages are registered.
        self.navigation: list[tuple[str, str]] = []

    @classmethod
    def of(cls, obs: Observatory, *, pathname_prefix: str = "/") -> PageContext:
        """A context around data already loaded (tests, benchmarks, exports)."""
        context = cls(lambda: obs, pathname_prefix=pathname_prefix)
        context._obs = obs
        return context

    @property
    def obs(self) -> Observatory:
        if self._obs is None:
            with self._lock:
                if self._obs is None:
                    self._obs = self._load()
        return self._obs

    @property
    def urls(self) -> DataUrls:
        return DataUrls.of(self.obs)

    def is_page(self, pathname: str | None, path: str) -> bool:
        """Whether the browser's ``pathname`` is the page registered at ``path`` in this app."""
        return is_page(pathname, path, self.pathname_prefix)
