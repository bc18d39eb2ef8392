"""The partial plotly.js bundle: it matches the Python plotly release, holds every trace type our
figures use, and is what the server answers on Dash's plotly.js URL."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import plotly.graph_objects as go
import pytest
from plotly.basedatatypes import BaseTraceType
from plotly.offline import get_plotlyjs_version

from observatory.web.plotly_bundle import BUNDLE, DASH_PLOTLY_PATH, bundle_info, is_dash_plotly_path

FIGURES = Path(__file__).resolve().parents[2] / "observatory" / "figures"


def trace_types_in_figures() -> set[str]:
    """Trace types the figure builders construct: ``go.Bar(...)`` objects and ``{"type": ...}`` dicts."""
    found: set[str] = set()
    for path in FIGURES.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= {name.lower() for name in re.findall(r"\bgo\.([A-Z][A-Za-z]+)\(", text) if name != "Figure"}
        found |= set(re.findall(r"""["']type["']\s*:\s*["']([a-z]+)["']""", text))
    # a dict's "type" may be a shape's ("line") or an axis's ("multicategory"): keep trace types only
    classes = (getattr(go, name) for name in dir(go) if name[:1].isupper())
    traces = {cls.__name__.lower() for cls in classes
              if isinstance(cls, type) and issubclass(cls, BaseTraceType)}
    return found & traces


def test_bundle_is_built_from_the_plotly_js_that_python_plotly_targets():
    assert bundle_info()["version"] == get_plotlyjs_version(), (
        "plotly was upgraded: rebuild the bundle (scripts/plotly-bundle/README.md)"
    )


def test_bundle_holds_every_trace_type_the_figures_use():
    used = trace_types_in_figures()
    assert {"choropleth", "scatter", "bar", "heatmap"} <= used  # the scan itself works
    assert used <= set(bundle_info()["traces"])


def test_bundle_is_a_fraction_of_the_full_plotly_js():
    import plotly

    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert BUNDLE.stat().st_size < full.stat().st_size / 2


@pytest.mark.parametrize(("path", "expected"), [
    ("/" + DASH_PLOTLY_PATH, True),
    ("/_dash-component-suites/plotly/package_data/plotly.v7_1_0m1795309876.min.js", True),
    ("/_dash-component-suites/plotly/package_data/plotly.min.js.map", False),
    ("/_dash-component-suites/dash/dcc/async-graph.js", False),
    ("/assets/vendor/plotly-observatory.min.js", False),
])
def test_dash_plotly_paths(path, expected):
    assert is_dash_plotly_path(path) is expected


def test_dash_plotly_path_under_a_url_prefix():
    assert is_dash_plotly_path("/obs/" + DASH_PLOTLY_PATH, "/obs/")
    assert not is_dash_plotly_path("/" + DASH_PLOTLY_PATH, "/obs/")


def test_server_answers_dash_plotly_url_with_the_bundle(client):
    response = client.get("/" + DASH_PLOTLY_PATH, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.mimetype == "application/javascript"
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.get_data()) == BUNDLE.read_bytes()
    again = client.get("/" + DASH_PLOTLY_PATH, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_bundle_is_not_an_eager_asset_script(client):
    page = client.get("/").get_data(as_text=True)
    assert "plotly-observatory" not in page
    assert "plotly.min.js" not in page  # dcc.Graph loads it on demand


def test_the_fingerprinted_bundle_is_immutable_and_named_by_every_page(client):
    from observatory.web.plotly_bundle import hashed_path

    page = client.get("/region/ITH5").get_data(as_text=True)
    assert f'<meta name="observatory-plotly" content="{hashed_path()}">' in page
    assert f'rel="preload" as="script" href="{hashed_path()}"' not in page  # only the map draws at once
    # every page: the renderer's first two requests start with the page, not after its scripts ran
    assert '<link rel="preload" as="fetch" href="/_dash-layout" crossorigin>' in page
    assert '<link rel="preload" as="fetch" href="/_dash-dependencies" crossorigin>' in page
    landing = client.get("/?level=3").get_data(as_text=True)
    assert f'<link rel="preload" as="script" href="{hashed_path()}" fetchpriority="low">' in landing
    # what the map draws first comes with the page, not after its layout: Dash's graph chunk, the level's
    # boundaries (the level the address asks for)
    assert '<link rel="preload" as="script" href="/_dash-component-suites/dash/dcc/async-graph.js"' in landing
    boundaries = client.application.extensions["observatory"].urls.boundaries(3)
    assert f'<link rel="preload" as="fetch" href="{boundaries}" crossorigin fetchpriority="low">' in landing
    assert client.get(boundaries).status_code == 200
    response = client.get(hashed_path())
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.get_data() == BUNDLE.read_bytes()
    # an older fingerprint still gets the bundle, with the plain URL's short lifetime
    old = client.get("/_dash-component-suites/plotly/package_data/plotly.observatory-0123456789abcdef.min.js")
    assert old.status_code == 200 and "immutable" not in old.headers["Cache-Control"]
    assert "immutable" not in client.get("/" + DASH_PLOTLY_PATH).headers["Cache-Control"]


def test_ag_grid_is_in_the_strategies_page_only(client):
    """AG Grid's script (360 KB compressed) is left out of pages without a grid; they name it for
    ``assets/lazy-libraries.js``, which loads it if the user then opens the table without a reload."""
    grid = re.compile(r'<script src="[^"]*/_dash-component-suites/dash_ag_grid/dash_ag_grid[^"]*\.js">'
                      r'</script>')
    for path in ("/", "/benchmark?region=AT11", "/region/ITH5", "/partnerships", "/about/data"):
        page = client.get(path).get_data(as_text=True)
        assert not grid.search(page), path
        assert ('<template data-lazy-library="dash_ag_grid" data-components="AgGrid" '
                'data-src="/_dash-component-suites/dash_ag_grid/dash_ag_grid') in page, path
        assert re.search(r'<script src="/_dash-observatory-assets/[0-9a-f]+\.js\?f=[^"]*lazy-libraries\.js',
                         page)
    strategies = client.get("/strategies?view=priorities").get_data(as_text=True)
    assert grid.search(strategies)
    assert "data-lazy-library=\"dash_ag_grid\"" not in strategies
    for page in (client.get("/").get_data(as_text=True), strategies):
        # no page uses Dash's DataTable; the babel polyfill is only for browsers without ES modules
        assert '<template data-lazy-library="dash_table" data-components="DataTable"' in page
        assert re.search(r'<script src="[^"]*/dash/deps/polyfill@[^"]*" nomodule></script>', page)
