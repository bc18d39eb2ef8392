"""HTTP status of page URLs: 404 for unknown regions, partnerships and paths, 200 otherwise."""

from __future__ import annotations

import pytest

from observatory.pages import PAGES
from observatory.pages.not_found import NOT_FOUND_PATH
from observatory.pages.page import Page
from observatory.web.routing import _match, resolve_status


def status(path: str, obs, pages=PAGES) -> int:
    return resolve_status(path, obs, pages)


@pytest.fixture(scope="module")
def known(obs):
    """A real NUTS 3 code and a real partnership id, taken from the data rather than guessed."""
    return obs.regions_at(3)["nuts_id"].iloc[0], obs.partnerships.index[0]


@pytest.mark.parametrize("path", ["/", "/strategies", "/strategies/", "/partnerships", "/about/data",
                                  "/benchmark", "strategies", "/partnerships/"])
def test_static_pages_exist(obs, path):
    assert status(path, obs) == 200


@pytest.mark.parametrize("path", ["/nothing", "/strategy", "/about", "/about/data/more", "/Strategies",
                                  NOT_FOUND_PATH, "/region", "/region/"])
def test_unknown_paths_are_404(obs, path):
    assert status(path, obs) == 404


def test_region_codes_are_checked_against_the_data(obs, known):
    code, _ = known
    assert status(f"/region/{code}", obs) == 200
    assert status(f"/region/{code.lower()}", obs) == 200  # the page matches case-insensitively
    assert status(f"/region/{code}/", obs) == 200
    assert status(f"/region/{code[:2]}", obs) == 200  # a country is a NUTS 0 region
    assert "XX99" not in obs.regions.index
    assert status("/region/XX99", obs) == 404
    assert status(f"/region/{code}/extra", obs) == 404


def test_partnership_ids_are_checked_against_the_data(obs, known):
    _, pid = known
    assert status(f"/partnerships/{pid}", obs) == 200
    assert status(f"/partnerships/{pid}-nope", obs) == 404


def test_the_declared_pages_decide(obs):
    def page(path, exists=None):
        return Page(key=path, path=path, layout=lambda context: None, title="", exists=exists)

    pages = [page("/"), page("/embed/<view>")]
    assert status("/embed/anything", obs, pages) == 200  # a template without a record check
    assert status("/strategies", obs, pages) == 404  # not declared in this app
    assert all(page.path.startswith("/") for page in PAGES)
    # the page's own check decides, whatever the template calls its variable
    checked = [page("/region/<anything>", exists=lambda obs, code: obs.region(code) is not None)]
    assert status("/region/XX99", obs, checked) == 404
    assert status("/region/ITH5", obs, checked) == 200


def test_match_follows_the_dash_router():
    assert _match("region/ITH5", "region/<code>") == ["ITH5"]
    assert _match("region/a/b", "region/<code>") == ["a/b"]  # Dash's "*" spans slashes too
    assert _match("regions/ITH5", "region/<code>") is None
    assert _match("strategies", "strategies") == []
    assert _match("strategies", "partnerships") is None
    assert _match("a.b", "a.<x>") == ["b"] and _match("aXb", "a.b") is None  # dots are literal


def test_server_sends_the_status(obs, known):
    """The Flask hook serves the Dash index with the resolved status (404 body is still the app)."""
    from observatory.web.server import create_app

    client = create_app(observatory=obs).server.test_client()
    code, pid = known
    assert client.get(f"/region/{code}").status_code == 200
    missing = client.get("/region/XX99")
    assert missing.status_code == 404
    assert b"_dash-renderer" in missing.data or b"dash_renderer" in missing.data
    assert client.get(f"/partnerships/{pid}").status_code == 200
    assert client.get("/partnerships/no-such-partnership").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/strategies?country=IT").status_code == 200
    assert client.get("/healthz").status_code == 200  # non-page routes are left alone
