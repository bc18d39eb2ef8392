"""Every chart in the app is drawn by our partial plotly.js bundle, with every trace type known to
it, and exports as an image.

plotly.js hides a trace whose type is not registered (no error, just a missing chart), so each
page that draws charts is checked for traces without a plotly module.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from observatory.web.plotly_bundle import BUNDLE, bundle_info

TRACES = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
    .flatMap(gd => (gd._fullData || []).map(t => ({type: t.type, known: Boolean(t._module)})))"""
PLOTLY_BYTES = """() => performance.getEntriesByType('resource')
    .filter(e => e.name.includes('/plotly/package_data/plotly')).map(e => e.decodedBodySize)"""


@pytest.mark.parametrize(("path", "drawn"), [
    ("/", ".js-plotly-plot path.choroplethlocation"),
    ("/region/ITH5", ".js-plotly-plot .scatterlayer .trace"),
    ("/benchmark?region=AT11", "#bench-overlap .js-plotly-plot .hm"),
])
def test_charts_are_drawn_by_the_partial_bundle(page, console, path, drawn):
    page.goto(path)
    page.wait_for_selector(drawn, state="attached")
    info = bundle_info()
    assert page.evaluate("window.Plotly.version") == info["version"]
    assert page.evaluate(PLOTLY_BYTES) == [BUNDLE.stat().st_size]  # fetched once, and it is ours
    traces = page.evaluate(TRACES)
    assert traces
    assert all(t["known"] for t in traces), traces
    assert {t["type"] for t in traces} <= set(info["traces"])
    assert not console.errors


def test_map_downloads_as_a_png_at_twice_its_size(page, console, obs):
    """The modebar's PNG export (what goes into a slide) works with the bundle under the app's CSP
    (the image is built through data: and blob: URLs)."""
    page.goto("/")
    page.wait_for_selector("#map-graph path.choroplethlocation", state="attached")
    page.locator("#map-graph").hover()
    with page.expect_download() as info:
        page.locator('#map-graph .modebar-btn[data-title="Download plot as a PNG"]').click()
    download = info.value
    assert download.suggested_filename == "s3-observatory-map.png"
    data = Path(download.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    box = page.locator("#map-graph .main-svg").first.bounding_box()
    assert (width, height) == (round(box["width"] * 2), round(box["height"] * 2))  # scale 2 for slides
    assert len(data) > 50_000  # a drawn map, not a blank image
    assert not console.errors
