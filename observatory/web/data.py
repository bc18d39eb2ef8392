"""The one ``Observatory`` instance a server process uses, loaded lazily on first request."""

from __future__ import annotations

from functools import lru_cache

from observatory.model import Observatory


@lru_cache(maxsize=1)
def get_observatory() -> Observatory:
    """Load the built data once per process (gunicorn --preload shares it between workers)."""
    return Observatory.load()
