"""Shared fixtures: the real built data, a small synthetic build for pure logic, and Flask's client."""

from __future__ import annotations

import pytest

from observatory.model import Observatory


@pytest.fixture(scope="session")
def real_obs() -> Observatory:
    """The real data, built by ``./run test`` before pytest starts (built here if missing).

    Also reachable under this name from test modules whose ``obs`` is the small synthetic build.
    """
    from observatory.build import build, current_build

    if current_build() is None:
        build(progress=False)
    return Observatory.load()


@pytest.fixture(scope="session")
def obs(real_obs) -> Observatory:
    """The real data (the default for tests: most check what the data says)."""
    return real_obs


@pytest.fixture(scope="session")
def small_obs(tmp_path_factory) -> Observatory:
    """The small synthetic build of ``tests/synthetic.py``: for the logic, not for facts."""
    from tests.synthetic import synthetic_observatory

    return synthetic_observatory(tmp_path_factory.mktemp("synthetic-build") / "20260101T000000")


@pytest.fixture(scope="module")
def client(obs):
    """Flask's test client on the production app (one app per test module)."""
    from observatory.web.server import create_app

    return create_app(observatory=obs).server.test_client()
