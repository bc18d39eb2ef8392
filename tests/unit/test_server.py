"""HTTP behaviour of the production app, through Flask's test client (no browser needed)."""

from __future__ import annotations

import json

import pytest

from observatory.components.context import DataUrls


def test_index_has_security_headers_and_no_external_urls(client):
    response = client.get("/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-eval'" not in script_src and "'unsafe-inline'" not in script_src
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    html = response.get_data(as_text=True)
    assert "https://" not in html.replace("https://www.w3.org", "")  # nothing loaded from elsewhere


def test_responses_are_compressed(client):
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") == "gzip"


def test_boundaries_are_cacheable_static_files(client, obs):
    url = DataUrls.of(obs).boundaries(2)
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert "immutable" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    features = json.loads(response.get_data())["features"]
    assert len(features) == len(obs.regions_at(2))
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert client.get(url.replace("nuts2", "nuts7")).status_code == 404


def test_basemap_is_a_cacheable_static_file_like_the_boundaries(client, obs):
    basemap_url = DataUrls.of(obs).basemap
    response = client.get(basemap_url())
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert "immutable" in response.headers["Cache-Control"]
    ids = [feature["id"] for feature in json.loads(response.get_data())["features"]]
    assert tuple(ids) == obs.basemap_countries and "UA" in ids
    assert client.get(basemap_url(), headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_stale_build_version_is_served_but_not_cached_long(client):
    response = client.get("/geo/some-old-build/nuts1.geojson")
    assert response.status_code == 200
    assert "immutable" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/region/XX99", "/partnerships/no-such-partnership", "/no/such/page"])
def test_unknown_pages_are_404_with_the_app(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "_dash-config" in response.get_data(as_text=True)  # the app still renders its not-found page


def test_known_pages_are_200(client):
    for path in ("/", "/region/ITH5", "/strategies", "/partnerships", "/about/data", "/benchmark"):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"{}",
        json.dumps(
            {
                "output": "nope.children",
                "outputs": {"id": "nope", "property": "children"},
                "inputs": [],
                "changedPropIds": [],
            }
        ).encode(),
    ],
)
def test_crafted_callback_requests_get_a_clear_4xx(client, body):
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert "Traceback" not in response.get_data(as_text=True)


def test_health_endpoint(client, obs):
    data = client.get("/healthz").get_json()
    assert data["status"] == "ok"
    assert data["build"] == obs.path.name


def test_plotly_bundle_is_compressed_and_cacheable(client):
    index = client.get("/").get_data(as_text=True)
    import re

    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+\.js[^"]*)"', index)
    assert scripts
    response = client.get(scripts[0], headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age" in response.headers["Cache-Control"]
    import gzip

    assert len(gzip.decompress(response.get_data())) > len(response.get_data())


def test_policy_headers_go_with_documents_only(client):
    """The CSP and the framing rule govern documents; a script or JSON answer carries neither."""
    page = client.get("/about/data")
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    for url in ("/api/indicators.json", "/health"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Content-Security-Policy" not in response.headers
        assert response.headers["X-Content-Type-Options"] == "nosniff"
