"""The one ``Observatory`` instance a server process uses, loaded lazily on first request."""

from __future__ import annotations

from functools import lru_cache

from observatory.model import DataNotBuilt, Observatory


@lru_cache(maxsize=1)
def get_observatory() -> Observatory:
    """Load the built data once per process (gunicorn --preload shares it between workers)."""
    return Observatory.load()


def warm_up() -> None:
    """Load the data and build the lazily cached tables now, not on a user's first click.

    With ``gunicorn --preload`` this runs once in the master process and the workers share it.
    Without built data it does nothing: the first request then reports the missing build.
    """
    try:
        obs = get_observatory()
    except DataNotBuilt:
        return
    obs.strategy_links(2)  # the region x strategy table behind every S3 measure
    obs.search("warm")  # the folded search keys
