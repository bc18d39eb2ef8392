"""Exports on the real build: each format holds exactly the chart's data, images are slide-sized,
PowerPoint charts are native with the data as series, bad requests are 4xx with a message."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys

import diskcache
import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation

from observatory.config import REPO_ROOT
from observatory.exports import charts as export_charts
from observatory.exports import deck as export_deck
from observatory.exports import store as export_store
from observatory.exports.charts import CHARTS, DATA_COLUMNS, ExportError, chart_export
from observatory.exports.tables import to_csv

BENCH = "?region=ITH5&ind=gdp_pc_pps_eu"
CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is installed by ./run test")


@pytest.fixture(autouse=True)
def fresh_store(tmp_path, monkeypatch):
    """Each test starts with an empty export cache of its own (a cached file would hide the work)."""
    store = export_store.ExportStore()
    store._backend = export_store._DiskBackend(diskcache.Cache(str(tmp_path / "exports")))
    monkeypatch.setattr("observatory.web.exports.STORE", store)
    return store


def _csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


# -- the data --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_exports_tidy_rows_with_sources(obs, name):
    export = chart_export(obs, name, "?level=2" if name == "map" else BENCH)
    assert list(export.data.columns[: len(DATA_COLUMNS)]) == DATA_COLUMNS
    assert len(export.data) > 0
    assert export.title and export.sources and all(export.sources)
    assert export.data["region"].map(lambda c: obs.region(c) is not None).all()


def test_map_csv_is_the_regions_the_map_colours(client, obs):
    response = client.get("/export/map.csv?level=2&indicator=gdp_pc_pps_eu&year=2021")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = _csv_rows(response.data)
    figure = go.Figure(chart_export(obs, "map", "?level=2&indicator=gdp_pc_pps_eu&year=2021").figure)
    value_trace = figure.data[1]
    pairs = zip(value_trace.locations, value_trace.z, strict=True)
    coloured = {code: z for code, z in pairs if z is not None}
    assert {r["region"] for r in rows} == set(coloured)
    published = obs.indicator_values("gdp_pc_pps_eu", 2021, 2)["value"]
    for row in rows:
        assert float(row["value"]) == pytest.approx(float(published[row["region"]]))
        assert row["year"] == "2021" and row["indicator"] == "gdp_pc_pps_eu"
        assert row["source"] == "Source: Eurostat (nama_10r_3gdp)"


def test_bench_bars_csv_equals_the_bars(client, obs):
    rows = _csv_rows(client.get(f"/export/bench-bars.csv{BENCH}").data)
    bars = go.Figure(chart_export(obs, "bench-bars", BENCH).figure).data[0]
    drawn = dict(zip(bars.y, bars.x, strict=True))
    exported = {f"{r['name']} ({r['region']})": float(r["value"]) for r in rows if r["value"]}
    assert exported == pytest.approx(drawn)
    assert {r["role"] for r in rows} == {"region", "peer"}


def test_xlsx_has_the_data_and_a_sources_sheet(client):
    response = client.get(f"/export/bench-series.xlsx{BENCH}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Data", "About"]
    data = list(book["Data"].values)
    csv_rows = _csv_rows(client.get(f"/export/bench-series.csv{BENCH}").data)
    assert list(data[0][: len(DATA_COLUMNS)]) == DATA_COLUMNS
    assert len(data) - 1 == len(csv_rows)
    about = dict(book["About"].values)
    assert about["Source"] == "Source: Eurostat (nama_10r_3gdp)"
    assert about["View in the S3 Observatory"].startswith("/benchmark?region=ITH5")


def test_spreadsheet_cells_never_start_a_formula(obs):
    export = chart_export(obs, "map", "?level=2")
    hostile = export.data.copy()
    hostile.loc[0, "name"] = "=HYPERLINK(\"http://evil\")"
    text = to_csv(export.__class__(**{**export.__dict__, "data": hostile})).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert not re.search(r"^=|,=", text, flags=re.MULTILINE)


# -- PowerPoint ------------------------------------------------------------------------------------------
def _charts(prs) -> list:
    return [shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart]


def test_pptx_bar_chart_is_native_and_holds_the_data(client, obs):
    response = client.get(f"/export/bench-bars.pptx{BENCH}")
    assert response.status_code == 200
    prs = Presentation(io.BytesIO(response.data))
    (chart,) = _charts(prs)
    series = chart.plots[0].series[0]
    categories = list(chart.plots[0].categories)
    drawn = dict(zip(categories, series.values, strict=True))
    export = chart_export(obs, "bench-bars", BENCH)
    expected = {f"{r.name} ({r.region})": r.value for r in export.data.dropna(subset=["value"]).itertuples()}
    assert drawn == pytest.approx(expected)
    texts = " ".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    assert export.title in texts and "Source: Eurostat (nama_10r_3gdp)" in texts


def test_pptx_line_and_scatter_series_equal_the_data(client, obs):
    prs = Presentation(io.BytesIO(client.get(f"/export/bench-series.pptx{BENCH}").data))
    (chart,) = _charts(prs)
    data = chart_export(obs, "bench-series", BENCH).data
    target = chart.plots[0].series[0]
    mine = data[data["region"] == "ITH5"].set_index("year")["value"]
    years = [int(c) for c in chart.plots[0].categories]
    assert [v for v in target.values if v is not None] == pytest.approx([mine[y] for y in years if y in mine])
    prs = Presentation(io.BytesIO(client.get(f"/export/bench-scatter.pptx{BENCH}").data))
    (scatter,) = _charts(prs)
    points = sum(len(s.values) for s in scatter.plots[0].series)
    assert points == len(chart_export(obs, "bench-scatter", BENCH).data) // 2


def test_benchmark_deck_has_one_slide_per_chart(client):
    response = client.get(f"/export/benchmark-deck.pptx{BENCH}")
    assert response.status_code == 200
    prs = Presentation(io.BytesIO(response.data))
    assert len(prs.slides) == export_deck.LEAD_SLIDES + len(export_deck.DECK_CHARTS)
    chart_slides = list(prs.slides)[export_deck.LEAD_SLIDES:]
    assert all(any(s.has_chart or s.has_table for s in slide.shapes) for slide in chart_slides)
    peers = list(prs.slides)[2]
    table = next(s.table for s in peers.shapes if s.has_table)
    assert table.cell(0, 2).text == "Chosen by" and "Structurally similar" in table.cell(1, 2).text


# -- images (the system Chromium, through kaleido) -------------------------------------------------------
@needs_chromium
def test_png_is_a_slide_at_twice_the_size(client):
    response = client.get("/export/map.png?level=2")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert Image.open(io.BytesIO(response.data)).size == (3200, 1800)
    again = client.get("/export/map.png?level=2")
    assert again.headers["X-Export-Cache"] == "hit" and again.data == response.data


@needs_chromium
def test_svg_is_vector_with_one_path_per_region_and_the_title(client, obs):
    response = client.get("/export/map.svg?level=3")
    svg = response.data.decode()
    regions = len(obs.regions_at(3))
    traces = re.findall(r'<g class="trace choropleth"[^>]*>(.*?)</g>', svg, flags=re.DOTALL)
    value_paths = traces[1].count('class="choroplethlocation"')
    assert value_paths == regions
    title = chart_export(obs, "map", "?level=3").title
    assert "<text" in svg  # text as text, not outlines
    assert title.split(",")[0] in svg
    assert "© EuroGeographics for the administrative boundaries" in svg


@needs_chromium
def test_images_render_with_the_network_disabled(tmp_path):
    """In a network namespace of its own (no interface up), the whole export still works."""
    usable = shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"],
                                                         check=False).returncode == 0
    if not usable:
        pytest.skip("unshare -n needs root (CI and ./run test run as root)")
    script = (
        "from observatory.model import Observatory\n"
        "from observatory.exports.files import export_file\n"
        "obs = Observatory.load()\n"
        "for name, fmt, q in [('map', 'png', '?level=2'), ('bench-bars', 'svg', '?region=ITH5'),"
        " ('map', 'pptx', '?level=2')]:\n"
        "    f = export_file(obs, name, fmt, q)\n"
        "    print(name, fmt, len(f.content))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(REPO_ROOT)}
    run = subprocess.run(["unshare", "-n", sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True,
                         text=True, timeout=300, env=env, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(run.stdout.strip().splitlines()) == 3


# -- requests that cannot be served ----------------------------------------------------------------------
@pytest.mark.parametrize(("url", "status", "words"), [
    ("/export/nope.png", 404, "No chart named"),
    ("/export/map.gif", 404, "Unknown format"),
    ("/export/map", 404, "Name a chart and a format"),
    ("/export/benchmark-deck.png", 404, "pptx"),
    ("/export/map.csv?level=9", 400, "NUTS level"),
    ("/export/map.csv?indicator=%00%ff", 400, "Not exported"),
    ("/export/bench-bars.csv", 400, "Choose a region"),
    ("/export/bench-bars.csv?region=XX99", 400, "Not exported"),
    ("/export/region-series.csv?region=ITH5&ind=nope", 400, "Unknown indicator"),
    ("/export/region-series.csv", 400, "Choose a region"),
    ("/embed/nope", 404, "No chart named"),
    ("/embed/bench-bars?region=%3Cscript%3E", 400, "Not exported"),
])
def test_bad_requests_are_4xx_with_a_message(client, url, status, words):
    response = client.get(url)
    assert response.status_code == status
    assert words in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_export_error_for_an_unknown_chart(obs):
    with pytest.raises(ExportError) as info:
        chart_export(obs, "pie", "")
    assert info.value.status == 404


def test_cache_key_changes_with_build_and_query():
    key = export_store.export_key("20260101T000000", "/export/map.png", "?level=2")
    assert key != export_store.export_key("20260102T000000", "/export/map.png", "?level=2")
    assert key != export_store.export_key("20260101T000000", "/export/map.png", "?level=3")


def test_a_broken_cache_is_a_miss_not_an_error():
    store = export_store.ExportStore()

    class Broken:
        def get(self, key):
            raise ConnectionError("redis went away")

        def set(self, key, value):
            raise ConnectionError("redis went away")

    store._backend = Broken()
    assert store.get("k") is None
    store.set("k", b"v")  # no exception


# -- embeds ----------------------------------------------------------------------------------------------
def test_embed_page_may_be_framed_and_pages_may_not(client):
    embed = client.get("/embed/map?level=2")
    assert embed.status_code == 200
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    page = client.get("/")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"


def test_embed_page_escapes_data_and_carries_the_figure(client, obs):
    html = client.get(f"/embed/bench-bars{BENCH}").get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="embed-figure">(.*?)</script>', html, re.DOTALL)
    figure = json.loads(block.group(1).replace("<\\/", "</"))
    assert figure["data"][0]["type"] == "bar"
    assert 'href="/benchmark?region=ITH5' in html
    assert "<script>" not in html  # no inline code: the CSP would refuse it


# -- the pages' menus name real charts -------------------------------------------------------------------
def _menus(component) -> list[dict]:
    found = []
    props = getattr(component, "__dict__", {})
    if "share-menu" in str(props.get("className", "")):
        found.append(props)
    children = props.get("children")
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and hasattr(child, "__dict__"):
            found += _menus(child)
    return found


def test_every_share_menu_names_an_exportable_chart(obs):
    from observatory.components.context import PageContext
    from observatory.pages import benchmark, map_explorer, region

    context = PageContext.of(obs)
    layouts = [map_explorer.layout(context, level="3"), benchmark.layout(context, region="ITH5"),
               region.layout(context, region_code="ITH5")]
    menus = [m for layout in layouts for m in _menus(layout)]
    charts = {m["data-chart"] for m in menus}
    assert {"map", "bench-bars", "bench-series", "bench-profile", "bench-scatter", "bench-priorities",
            "region-series"} == charts
    assert charts <= set(CHARTS)
    live_map = next(m for m in menus if m["data-chart"] == "map")
    assert live_map["data-query"].startswith("?level=3")


def test_region_series_follows_the_profile(obs):
    export = chart_export(obs, "region-series", "?region=ITH55&ind=gdp_pc_pps_eu")
    assert export.page == "/region/ITH55"
    assert set(export.data["region"]) <= {"ITH55", "ITH5", "ITH"}
    assert isinstance(export.data, pd.DataFrame) and export_charts.DATA_COLUMNS[0] == "region"
