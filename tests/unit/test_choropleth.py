"""The shared choropleth builder: trace structure, no-data handling, colour layers, offline geo."""

from __future__ import annotations

import json
import math

import plotly.graph_objects as go
import pytest

from observatory.figures.choropleth import (
    BACKGROUND,
    BASE_TRACE,
    BASEMAP_TRACE,
    CATEGORY_PALETTE,
    GEOJSON_NAME,
    LAND_FILL,
    NO_DATA_FILL,
    SEA,
    SELECTION_TRACE,
    TEXT_NAME,
    VALUE_TRACE,
    Basemap,
    Colouring,
    bounds_view,
    choropleth,
    escape,
    no_data_layer,
    recolour,
    selection_layer,
    value_layer,
    view_geo,
)
from observatory.geography import OUTERMOST_VIEWS

URL = "/geo/test/nuts2.geojson"
CODES = ["AT11", "AT12", "ITH5", "ES70"]


def _validated(figure: go.Figure) -> go.Figure:
    """Rebuild with plotly's full validation (the builder skips it for speed); raises if invalid."""
    return go.Figure(figure.to_dict())


def test_three_traces_share_the_url_and_every_region_is_in_the_base_layer():
    figure = choropleth(URL, CODES, Colouring(values=[1.0, None, float("nan"), 4.0]),
                        names=["a", "b", "c", "d"])
    _validated(figure)
    traces = figure.data
    assert len(traces) == 3
    assert all(trace.geojson == URL for trace in traces)  # a URL, never inlined geometry
    assert list(traces[BASE_TRACE].locations) == CODES
    assert list(traces[VALUE_TRACE].locations) == CODES
    assert list(traces[VALUE_TRACE].z) == [1.0, None, None, 4.0]  # no data -> None, not dropped
    assert list(traces[BASE_TRACE].z) == [0, 0, 0, 0]  # ...and the grey layer under all regions
    assert traces[BASE_TRACE].colorscale[0][1] == NO_DATA_FILL
    assert "no data" in traces[BASE_TRACE].hovertemplate
    assert all(TEXT_NAME in t.hovertemplate for t in traces[:2])  # names given: hover uses them
    assert list(traces[VALUE_TRACE].text) == ["a", "b", "c", "d"]
    assert list(traces[SELECTION_TRACE].locations) == []


def test_basemap_is_a_fourth_trace_only_when_asked_for():
    assert len(choropleth(URL, CODES).data) == 3
    basemap = Basemap("/geo/test/basemap.geojson", ("UA", "BY"), visible=True)
    figure = _validated(choropleth(URL, CODES, Colouring(values=[1, 2, 3, 4]), basemap=basemap))
    assert len(figure.data) == 4
    land = figure.data[BASEMAP_TRACE]
    assert (land.geojson, list(land.locations), land.visible) == (basemap.url, ["UA", "BY"], True)
    assert land.hoverinfo == "skip" and land.showscale is False
    assert land.colorscale[0][1] == LAND_FILL != NO_DATA_FILL  # land never reads as "no data"
    assert figure.layout.geo.bgcolor == SEA
    hidden = choropleth(URL, CODES, basemap=Basemap(basemap.url, ("UA",)))
    assert hidden.data[BASEMAP_TRACE].visible is False and hidden.layout.geo.bgcolor == BACKGROUND
    assert view_geo("canarias", basemap=True)["bgcolor"] == SEA


def test_every_base_map_layer_is_off_so_no_topojson_is_needed():
    geo = view_geo("mainland")
    for layer in ("land", "ocean", "lakes", "rivers", "countries", "coastlines", "subunits", "frame"):
        assert geo[f"show{layer}"] is False
    figure = choropleth(URL, CODES, Colouring(values=[1, 2, 3, 4]))
    assert all(trace.locationmode in (None, "geojson-id") for trace in figure.data)
    assert figure.layout.geo.showland is False


def test_views_frame_the_named_territories_and_unknown_names_fall_back_to_mainland():
    canarias = view_geo("canarias")
    assert canarias["lonaxis"]["range"] == OUTERMOST_VIEWS["canarias"]["lon_range"]
    assert canarias["lataxis"]["range"] == OUTERMOST_VIEWS["canarias"]["lat_range"]
    assert view_geo("atlantis")["lonaxis"] == view_geo("mainland")["lonaxis"]
    assert view_geo("fit")["fitbounds"] == "locations"
    one = bounds_view([(11.0, 44.5)])
    assert one == {"lon_range": [8.0, 14.0], "lat_range": [41.5, 47.5]}
    wide = bounds_view([(-9.0, 38.0), (25.0, 60.0)], pad=1.0)
    assert wide == {"lon_range": [-10.0, 26.0], "lat_range": [37.0, 61.0]}
    assert bounds_view([]) == {"lon_range": OUTERMOST_VIEWS["mainland"]["lon_range"],
                               "lat_range": OUTERMOST_VIEWS["mainland"]["lat_range"]}
    custom = view_geo({"lon_range": [0, 10], "lat_range": [40, 50]})
    assert custom["projection"]["rotation"] == {"lon": 5, "lat": 45}


def test_numeric_layer_range_hover_and_flags():
    layer = value_layer(Colouring(values=[3.0, None, 7.0], flags=["p", None, ""], unit="% of GDP",
                                 year=2021, legend_title="% of GDP", legend_note="lower is better"))
    assert (layer["zmin"], layer["zmax"]) == (3.0, 7.0)
    assert layer["customdata"] == [" (p)", "", ""]
    assert "% of GDP" in layer["hovertemplate"] and "2021" in layer["hovertemplate"]
    assert "%{location}" in layer["hovertemplate"] and GEOJSON_NAME in layer["hovertemplate"]
    assert "lower is better" in layer["colorbar"]["title"]["text"]
    assert layer["colorbar"]["tickvals"] is None  # reset after a categorical layer
    explicit = value_layer(Colouring(values=[3.0, 7.0], zmin=0, zmax=10))
    assert (explicit["zmin"], explicit["zmax"]) == (0, 10)
    flat = value_layer(Colouring(values=[5.0, 5.0]))
    assert flat["zmax"] > flat["zmin"]
    empty = value_layer(Colouring(values=[None, math.inf]))
    assert empty["z"] == [None, None]


def test_categorical_layer_steps_labels_and_details():
    layer = value_layer(Colouring(categories=["Lead", None, "Member", "Lead"],
                                  category_order=["Lead", "Member"],
                                 category_colours={"Lead": "#D55E00"},
                                 details=["2 priorities", None, None, None]))
    assert layer["z"] == [0, None, 1, 0]
    assert layer["colorbar"]["ticktext"] == ["Lead", "Member"]
    assert layer["colorbar"]["tickvals"] == [0, 1]
    assert (layer["zmin"], layer["zmax"]) == (-0.5, 1.5)
    assert layer["colorscale"][0][1] == "#D55E00" and layer["colorscale"][1][1] == "#D55E00"
    assert layer["colorscale"][2][1] == CATEGORY_PALETTE[1]  # unassigned categories take the palette
    assert layer["customdata"] == ["Lead · 2 priorities", "", "Member", "Lead"]
    default_order = value_layer(Colouring(categories=["b", "a", "b"]))
    assert default_order["colorbar"]["ticktext"] == ["b", "a"]


def test_recolour_changes_values_and_the_no_data_label_only():
    updates = recolour(Colouring(values=[1.5, None], unit="%", no_data_label="not a member"))
    assert set(updates) == {VALUE_TRACE, BASE_TRACE}
    assert "not a member" in updates[BASE_TRACE]["hovertemplate"]
    assert updates[BASE_TRACE]["name"] == "Not a member"
    assert not any(key in props for props in updates.values() for key in ("locations", "geojson", "text"))
    assert "z" not in updates[BASE_TRACE]  # the grey layer never changes on a recolour
    assert no_data_layer("no data")["name"] == "No data"
    figure = choropleth(URL, CODES, Colouring(values=[1, 2, 3, 4]))
    assert figure.data[VALUE_TRACE].text is None  # names come from the GeoJSON, never resent
    assert GEOJSON_NAME in figure.data[BASE_TRACE].hovertemplate


def test_values_are_compact_in_json():
    layer = value_layer(Colouring(values=[12.345678901234, 117.0, 1e20]))
    assert layer["z"] == [12.34568, 117, 1e20]
    assert isinstance(layer["z"][1], int)


def test_exactly_one_of_values_or_categories_and_aligned_lengths():
    with pytest.raises(ValueError, match="exactly one"):
        value_layer(Colouring(values=[1], categories=["a"]))
    with pytest.raises(ValueError, match="exactly one"):
        value_layer(Colouring())
    with pytest.raises(ValueError, match="names"):
        choropleth(URL, CODES, names=["only one"])
    with pytest.raises(ValueError, match="values"):
        choropleth(URL, CODES, Colouring(values=[1.0]))


def test_locator_map_without_values_and_selection():
    figure = choropleth(URL, CODES, selected="ITH5", view="fit")
    _validated(figure)
    assert list(figure.data[SELECTION_TRACE].locations) == ["ITH5"]
    assert figure.data[SELECTION_TRACE].hoverinfo == "skip"
    assert figure.data[VALUE_TRACE].showscale is False
    assert figure.data[BASE_TRACE].showlegend is False
    assert selection_layer(None) == {"locations": [], "z": []}
    assert selection_layer(["AT11", "AT12"]) == {"locations": ["AT11", "AT12"], "z": [1, 1]}


def test_space_under_the_map_only_for_a_colour_bar():
    with_scale = choropleth(URL, CODES, Colouring(values=[1, 2, 3, 4]), source="S")
    without = choropleth(URL, CODES, Colouring(categories=["a", None, None, None], show_scale=False),
                         source="S")
    locator = choropleth(URL, CODES, selected="AT11")
    assert with_scale.layout.margin.b > without.layout.margin.b > locator.layout.margin.b
    assert with_scale.layout.annotations[0].yshift < without.layout.annotations[0].yshift


def test_text_from_records_is_escaped_in_hover_title_and_source():
    figure = choropleth(URL, ["AT11"], Colouring(categories=["<img src=x>"]), names=["<b>evil</b>"],
                        title="<script>t</script>", source="<i>s</i>")
    payload = figure.to_json()
    for raw in ("<b>evil", "<img", "<script>", "<i>s"):
        assert raw not in payload
    assert escape("<a>&") == "&lt;a&gt;&amp;"
    assert figure.layout.annotations[0].text == "&lt;i&gt;s&lt;/i&gt;"


def test_figure_json_carries_no_geometry():
    figure = choropleth(URL, CODES, Colouring(values=[1, 2, 3, 4]))
    payload = json.loads(figure.to_json())
    assert "coordinates" not in json.dumps(payload)
    assert payload["data"][0]["geojson"] == URL
