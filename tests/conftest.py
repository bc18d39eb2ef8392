"""Shared fixtures: the real built data, and for browser tests a live server + headless Chromium."""

from __future__ import annotations

import pytest

from observatory.model import Observatory


@pytest.fixture(scope="session")
def obs() -> Observatory:
    """The real data, built by ``./run test`` before pytest starts (built here if missing)."""
    from observatory.build import build, current_build

    if current_build() is None:
        build(progress=False)
    return Observatory.load()


@pytest.fixture(scope="module")
def client(obs):
    """Flask's test client on the production app (one app per test module)."""
    from observatory.web.server import create_app

    return create_app().server.test_client()
