"""Every chart in the app is drawn by our partial plotly.js bundle, with every trace type known to it.

plotly.js hides a trace whose type is not registered (no error, just a missing chart), so each
page that draws charts is checked for traces without a plotly module.
"""

from __future__ import annotations

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
