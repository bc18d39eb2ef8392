"""Limits, leaks and health of the production app through Flask's test client (issue 13, issue 12).

Each test here failed before its fix: a body limit, more than 50 query parameters, unknown
component files, one-line logs for rejected callbacks, versions in ``_dash-config``, Dash's
development routes, the cache lifetime of ``/assets/``, unknown ``/api/`` paths, health checks.
"""

from __future__ import annotations

import json
import logging
import re
import sys

import pytest

from observatory.state.query import MAX_FIELDS, parse_query
from observatory.web import guards


def _callback(client, output_prefix: str) -> dict:
    """A real callback request for the first server-side callback whose output starts so."""
    for dep in client.get("/_dash-dependencies").get_json():
        if dep["output"].startswith(output_prefix) and not dep.get("clientside_function"):
            return dep
    raise AssertionError(output_prefix)


def _router_body(client, search: object) -> bytes:
    """The map page's address callback (``map-url.search`` in, view state out) with ``search``."""
    dep = _callback(client, "..map-url.search")
    outputs = [{"id": part.rpartition(".")[0], "property": part.rpartition(".")[2]}
               for part in dep["output"].strip(".").split("...")]
    inputs = [{"id": i["id"], "property": i["property"],
               "value": search if i["property"] == "search" else None} for i in dep["inputs"]]
    state = [{"id": s["id"], "property": s["property"], "value": "/" if s["property"] == "pathname" else None}
             for s in dep.get("state", [])]
    return json.dumps({"output": dep["output"], "outputs": outputs, "inputs": inputs, "state": state,
                       "changedPropIds": ["map-url.search"]}).encode()


def test_oversized_bodies_are_413_before_being_read(client):
    huge = b"[" + b"1," * (guards.MAX_BODY_BYTES // 2) + b"1]"
    for path in ("/_dash-update-component", "/api/regions.json", "/"):
        response = client.post(path, data=huge, content_type="application/json")
        assert response.status_code == 413, path
    # Declared length checked before reading: the body is never consumed.
    response = client.post("/_dash-update-component", data=b"{}", content_type="application/json",
                           environ_overrides={"CONTENT_LENGTH": str(guards.MAX_BODY_BYTES + 1)})
    assert response.status_code == 413


def test_more_than_50_query_parameters_are_ignored_and_said():
    search = "?" + "&".join(f"p{i}={i}" for i in range(70)) + "&level=3"
    errors: list[str] = []
    params = parse_query(search, errors)
    assert len(params) == MAX_FIELDS and "level" not in params
    assert errors and "71 parameters" in errors[0]
    assert parse_query(12) == {} and parse_query(["?a=1"]) == {}  # wrong types never raise


def test_the_map_page_renders_with_many_parameters(client):
    search = "?" + "&".join(f"p{i}={i}" for i in range(70))
    assert client.get("/" + search).status_code == 200
    response = client.post("/_dash-update-component", data=_router_body(client, search),
                           content_type="application/json")
    assert response.status_code == 200
    # said above the map like any other parameter it cannot use (the address callback's alert)
    assert "The link has 70 parameters: the first 50 were read, the other 20 ignored." in response.get_data(
        as_text=True)


def _pages_body(client, pathname: str, search: str) -> bytes:
    """Dash pages' router callback (the page's layout for an address), as the renderer posts it."""
    dep = _callback(client, ".._pages_content.children")
    outputs = [{"id": part.rpartition(".")[0], "property": part.rpartition(".")[2]}
               for part in dep["output"].strip(".").split("...")]
    values = {"pathname": pathname, "search": search}
    inputs = [{"id": i["id"], "property": i["property"], "value": values.get(i["property"])}
              for i in dep["inputs"]]
    state = [{"id": s["id"], "property": s["property"], "value": None} for s in dep.get("state", [])]
    return json.dumps({"output": dep["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
                       "inputs": inputs, "state": state,
                       "changedPropIds": ["_pages_location.pathname"]}).encode()


@pytest.mark.parametrize(("pathname", "first"), [("/", "level=3"), ("/benchmark", "region=AT11"),
                                                 ("/strategies", "view=priorities")])
def test_a_link_with_too_many_parameters_says_the_excess_was_ignored(client, pathname, first):
    """Opening such a link: the page is drawn from the first 50 parameters (the first one applies) and
    its message says how many were ignored, as for any other parameter it cannot use."""
    search = f"?{first}&" + "&".join(f"p{i}={i}" for i in range(60))
    response = client.post("/_dash-update-component", data=_pages_body(client, pathname, search),
                           content_type="application/json")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "The link has 61 parameters: the first 50 were read, the other 11 ignored." in text
    short = client.post("/_dash-update-component", data=_pages_body(client, pathname, f"?{first}"),
                        content_type="application/json").get_data(as_text=True)
    assert "parameters: the first 50 were read" not in short
    assert first.split("=")[1] in text


@pytest.mark.parametrize("path", ["/_dash-component-suites/dash/x.js", "/_dash-component-suites/nope/x.js",
                                  "/_dash-component-suites/plotly/package_data/plotly.min.js.map",
                                  "/_dash-component-suites/dash_bootstrap_components/_components/"
                                  "dash_bootstrap_components.v2_0_4m1796351361.min.js.map"])
def test_unknown_component_files_are_404(client, path):
    assert client.get(path).status_code == 404


def test_a_rejected_callback_logs_one_line_without_traceback(client, caplog):
    caplog.set_level(logging.INFO)
    for bad in (12345, ["?level=2"], {"a": 1}):
        response = client.post("/_dash-update-component", data=_router_body(client, bad),
                               content_type="application/json")
        assert response.status_code == 400
        assert "Traceback" not in response.get_data(as_text=True)
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 3
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in records)


def test_a_state_store_of_the_wrong_type_is_rejected_not_crashed(client, caplog):
    body = json.loads(_router_body(client, "?level=2"))
    for entry in body["state"]:
        if entry["property"] == "data":
            entry["value"] = 12345  # neither an object nor a query string
    response = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400


def test_dash_config_carries_no_versions(client):
    html = client.get("/").get_data(as_text=True)
    config = json.loads(re.search(r'id="_dash-config"[^>]*>(.*?)</script>', html, re.S).group(1))
    for key in guards.VERSION_KEYS:
        assert key not in config
    assert sys.version not in html


def test_reload_hash_is_not_served(client):
    assert client.get("/_reload-hash").status_code == 404


def test_asset_scripts_are_cached_an_hour(client):
    # the pages load them combined (below); on their own URLs they still answer, cached an hour
    response = client.get("/assets/shell.js?m=1")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=3600"


@pytest.mark.parametrize("path", ["/api/benchmark.csv", "/api/unknown", "/api/", "/api/regions/ITH5/more"])
def test_unknown_api_paths_are_404_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert "error" in response.get_json()


def test_html_declares_its_language(client):
    html = client.get("/").get_data(as_text=True).lstrip().lower()
    assert html.startswith('<!doctype html>\n<html lang="en"')


def test_health_and_ready_are_never_cached(client, obs):
    health = client.get("/health")
    assert health.status_code == 200 and health.headers["Cache-Control"] == "no-store"
    ready = client.get("/ready")
    assert ready.status_code == 200 and ready.headers["Cache-Control"] == "no-store"
    data = ready.get_json()
    assert data["build"] == obs.path.name and data["built_at"] == obs.manifest["built_at"]


def test_ready_is_503_until_a_build_exists(tmp_path):
    from observatory.components.context import PageContext
    from observatory.model import Observatory
    from observatory.web.health import Readiness

    readiness = Readiness(PageContext(lambda: Observatory.load(tmp_path)))
    assert readiness.obs() is None
    assert "No built data" in readiness.error and "python -m observatory build" in readiness.error


def test_api_answers_are_compressed_and_revalidated_by_build(client, small_obs):
    from observatory.web.server import create_app

    url = "/api/regions.json?level=2"
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "gzip"
    assert first.headers["Cache-Control"] == "public, max-age=300"
    etag = first.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    plain = client.get(url)  # a client without gzip gets the same JSON, uncompressed
    assert plain.headers.get("Content-Encoding") is None and plain.get_json()["rows"]
    assert client.get("/api/regions.json?level=1").headers["ETag"] != etag  # keyed by URL
    other_build = create_app(observatory=small_obs).server.test_client()
    answer = other_build.get(url, headers={"If-None-Match": etag})
    assert answer.status_code == 200 and answer.headers["ETag"] != etag  # and by build


def test_api_is_rate_limited_per_client_with_retry_after(monkeypatch, obs):
    from observatory.web import limits
    from observatory.web.server import create_app

    monkeypatch.setattr(limits, "RATE_LIMIT", "3 per minute")
    limited = create_app().server.test_client()
    statuses = [limited.get("/api/indicators.json").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = limited.get("/api/regions.json")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "error" in refused.get_json()
    assert all(limited.get("/health").status_code == 200 for _ in range(5))  # checks and pages: no limit
    assert limited.get("/about/data").status_code == 200


def test_geojson_is_gzipped_for_gzip_only_clients_keeping_its_lifetime(client, obs):
    import gzip

    from observatory.components.context import DataUrls

    response = client.get(DataUrls.of(obs).boundaries(2), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    assert json.loads(gzip.decompress(response.get_data()))["features"]
    stale = client.get("/geo/some-old-build/nuts1.geojson", headers={"Accept-Encoding": "gzip"})
    assert "immutable" not in stale.headers["Cache-Control"] and "3600" not in stale.headers["Cache-Control"]


def test_static_files_are_brotli_compressed_once_and_kept_on_disk(client, tmp_path, monkeypatch):
    """Browsers accepting Brotli get it (about 15 % fewer bytes than gzip on a first visit); the
    result is kept by content digest in memory and on disk, so no second request or process pays
    for the slow, highest quality again; gzip-only clients still get gzip."""
    import brotli

    from observatory.web import static_assets
    from observatory.web.plotly_bundle import BUNDLE, hashed_path

    monkeypatch.setattr(static_assets, "CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(static_assets, "_COMPRESSED", {})
    response = client.get(hashed_path(), headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert response.headers["Content-Encoding"] == "br"
    body = response.get_data()
    assert brotli.decompress(body) == BUNDLE.read_bytes()
    gzipped = client.get(hashed_path(), headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip" and len(body) < 0.9 * len(gzipped.get_data())
    assert [f.name.endswith(".br") for f in tmp_path.iterdir()] == [True]
    monkeypatch.setattr(static_assets, "_COMPRESSED", {})  # a new process: read from disk, not recompressed
    monkeypatch.setattr(static_assets.brotli, "compress", lambda *a, **k: pytest.fail("compressed twice"))
    again = client.get(hashed_path(), headers={"Accept-Encoding": "br"})
    assert again.get_data() == body
    monkeypatch.undo()
    favicon = client.get("/_favicon.ico", headers={"Accept-Encoding": "br"})
    assert favicon.status_code == 200 and favicon.headers["Content-Encoding"] == "br"


def test_precompress_covers_every_static_file_of_the_pages(client, tmp_path, monkeypatch):
    from observatory.web import static_assets

    monkeypatch.setattr(static_assets, "CACHE_DIR", str(tmp_path))
    # empty in-memory store: files compressed by earlier tests in this process are not written again
    monkeypatch.setattr(static_assets, "_COMPRESSED", {})
    done = static_assets.precompress(client.application)
    page = client.get("/").get_data(as_text=True)
    assert done >= len(set(static_assets._STATIC_URL.findall(page))) - 3  # a few are below MIN_SIZE
    assert len(list(tmp_path.iterdir())) >= 10


def test_the_pages_asset_files_come_combined_in_order_and_immutable(client):
    """Dash's nine small ``assets/`` files (a request and ~1 KB of headers each) come as one script
    and one stylesheet, in Dash's order, under a URL naming the files and their content digest."""
    from dash.fingerprint import check_fingerprint

    from observatory.web.static_assets import ASSETS_DIR, DASH_DEPS_DIR

    page = client.get("/").get_data(as_text=True)
    assert not re.search(r'<script src="/assets/', page) and not re.search(r'href="/assets/[^"]*\.css', page)
    assert not re.search(r'<script src="[^"]*/dash/deps/react', page)  # React, ReactDOM, prop-types: one file
    for kind in ("js", "css", "deps"):
        url = re.search(rf'"(/_dash-observatory-assets/[0-9a-f]+\.{kind}\?f=[^"]+)"', page).group(1)
        names = url.split("?f=")[1].split(",")
        assert len(names) >= 2
        if kind == "deps":
            assert [name.split("@")[0] for name in names] == ["react", "react-dom", "prop-types"]
            files = [DASH_DEPS_DIR / check_fingerprint(name)[0] for name in names]
        else:
            assert names == sorted(names)  # Dash's order: alphabetical
            files = [ASSETS_DIR / name for name in names]
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        body = response.get_data()
        positions = [body.index(file.read_bytes()) for file in files]  # every file, in the page's order
        assert positions == sorted(positions)
        stale = client.get(url.replace(url.split("/")[2].split(".")[0], "0" * 16))
        assert stale.status_code == 200 and "immutable" not in stale.headers["Cache-Control"]
    for bad in ("/_dash-observatory-assets/0.js?f=../app.py", "/_dash-observatory-assets/0.js?f=nope.js",
                "/_dash-observatory-assets/0.deps?f=../../flask/app.py",
                "/_dash-observatory-assets/0.js?f=a%00.js",
                "/_dash-observatory-assets/0.js?f=" + "a" * 5000 + ".js",
                "/_dash-observatory-assets/0.js?f=site.css", "/_dash-observatory-assets/0.exe?f=shell.js"):
        assert client.get(bad).status_code == 404, bad
