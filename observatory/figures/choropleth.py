"""The one choropleth builder of the app: the map explorer, locator maps, partnership maps, benchmarks.

Every map in the app is a plotly ``go.Choropleth`` on a ``geo`` subplot, drawn from the static,
cacheable boundaries of one NUTS level (``boundaries_url(level)``: the browser downloads a level
once, callbacks never resend geometry). The figure always has the same three traces, so a page can
recolour or reselect with a small ``dash.Patch`` instead of rebuilding the figure:

====================  ===========================================================================
``BASE_TRACE`` (0)    every region passed in ``regions``, light grey: what is left visible where
                      the value layer has no value is, by construction, "no data" (never dropped)
``VALUE_TRACE`` (1)   the same regions, coloured by ``values`` (sequential scale) or by
                      ``categories`` (discrete colours); a region whose value is None/NaN is not
                      drawn by this trace, so the grey base shows through
``SELECTION_TRACE``   the selected region(s): no fill, a thick dark outline, never hoverable
(2)
====================  ===========================================================================

Use :func:`choropleth` to build the figure and :func:`value_layer` / :func:`selection_layer` to
get exactly the trace properties that change, e.g. in a callback::

    patch = dash.Patch()
    for key, value in value_layer(values=new_values, unit="%", year=2022).items():
        patch["data"][VALUE_TRACE][key] = value

Offline by design: every base layer of the geo subplot (land, ocean, coastlines, countries,
lakes, rivers, frame) is switched off and no ``locationmode`` other than ``geojson-id`` is used.
plotly.js still asks for a world topojson whenever a trace has a ``locationmode`` (a geojson
choropleth always has one), so pages must also load ``assets/map-offline-geo.js``, which hands
plotly an empty topology before it looks for one; see that file. Nothing is fetched from a CDN.

Hover text is computed in the browser from a ``hovertemplate`` (name, code, value with unit, year,
flag), so hovering never calls the server. Names and labels put into hover text are escaped: they
come from records, and plotly renders a few HTML tags in hover labels.

This module is pure (no Dash): data in, ``go.Figure`` or plain dicts out.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from observatory.ingest.boundaries import DEFAULT_VIEW, OUTERMOST_VIEWS

BASE_TRACE = 0
VALUE_TRACE = 1
SELECTION_TRACE = 2

#: Sequential, perceptually uniform and colour-blind safe (readable in greyscale too).
SEQUENTIAL_SCALE = "Viridis"

#: Okabe-Ito: a qualitative palette distinguishable under the common colour-vision deficiencies.
CATEGORY_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

NO_DATA_FILL = "#e6e6e6"
NO_DATA_LINE = "#8c8c8c"
REGION_LINE = "#ffffff"
SELECTION_LINE = "#d62728"
BACKGROUND = "#f4f7fb"

#: Projection used by every map: Lambert azimuthal equal-area centred on Europe, the projection of
#: the European statistical grid (ETRS89-LAEA, EPSG:3035), so areas compare fairly.
PROJECTION = {"type": "azimuthal equal area", "rotation": {"lon": 10, "lat": 52}}

_TRANSPARENT_SCALE = [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]]


def escape(text: object) -> str:
    """Text safe inside a plotly hover label or title: markup characters become entities."""
    return html.escape("" if text is None else str(text), quote=False)


def _clean_values(values: Sequence[float | None]) -> list[float | None]:
    """Numbers for JSON: NaN/None/inf become None (plotly then leaves the region to the base layer).

    Values are written with at most 7 significant digits (a derived share such as 12.345678901234
    would otherwise cost 18 characters per region in every recolour) and whole numbers without
    ".0"; colours and hover labels never show more digits than that.
    """
    out: list[float | None] = []
    for value in values:
        if value is None:
            out.append(None)
            continue
        number = float(value)
        if not math.isfinite(number):
            out.append(None)
            continue
        number = float(f"{number:.7g}")
        out.append(int(number) if number.is_integer() and abs(number) < 1e15 else number)
    return out


def view_geo(view: str | Mapping[str, Any] = DEFAULT_VIEW) -> dict[str, Any]:
    """The ``layout.geo`` properties that frame a view, with every base layer off (no topojson needed).

    ``view`` is a name from ``OUTERMOST_VIEWS`` ("mainland", "canarias", ...), a mapping with
    ``lon_range`` and ``lat_range``, or "fit" to frame exactly the regions with a value (handy for
    locator and partnership maps). An unknown name falls back to the mainland view.
    """
    geo: dict[str, Any] = {
        "projection": dict(PROJECTION),
        "showland": False, "showocean": False, "showlakes": False, "showrivers": False,
        "showcountries": False, "showcoastlines": False, "showsubunits": False, "showframe": False,
        "bgcolor": BACKGROUND,
        "visible": True,
    }
    if view == "fit":
        geo["fitbounds"] = "locations"
        return geo
    spec = view if isinstance(view, Mapping) else OUTERMOST_VIEWS.get(str(view),
                                                                       OUTERMOST_VIEWS[DEFAULT_VIEW])
    (west, east), (south, north) = spec["lon_range"], spec["lat_range"]
    geo["fitbounds"] = False
    geo["lonaxis"] = {"range": [west, east]}
    geo["lataxis"] = {"range": [south, north]}
    # Centre the projection on the view, so a small remote territory is not drawn skewed.
    geo["projection"]["rotation"] = {"lon": (west + east) / 2, "lat": (south + north) / 2}
    return geo


def value_layer(
    *,
    values: Sequence[float | None] | None = None,
    categories: Sequence[str | None] | None = None,
    category_order: Sequence[str] | None = None,
    category_colours: Mapping[str, str] | None = None,
    details: Sequence[str | None] | None = None,
    flags: Sequence[str | None] | None = None,
    unit: str = "",
    year: int | str | None = None,
    value_format: str = ",.4~g",
    colourscale: str | Sequence = SEQUENTIAL_SCALE,
    zmin: float | None = None,
    zmax: float | None = None,
    legend_title: str = "",
    legend_note: str = "",
    show_scale: bool = True,
) -> dict[str, Any]:
    """Properties of ``VALUE_TRACE`` for one colouring: exactly what a recolour Patch must send.

    Give either ``values`` (numbers, None/NaN = no data) or ``categories`` (labels, None = no
    data), in the order of the figure's ``regions``.

    - values: sequential ``colourscale``; ``zmin``/``zmax`` default to the data range; hover shows
      the value formatted with ``value_format`` (d3-format), ``unit``, ``year`` and the per-region
      ``flags`` text (e.g. "p (provisional)"; None or "" = no flag).
    - categories: one colour per label from ``category_colours`` (default: Okabe-Ito in
      ``category_order``, which defaults to first appearance); the legend is a stepped colour bar
      labelled with the categories; hover shows the label, followed by the region's ``details``
      text when given (e.g. "3 matching priorities").

    ``legend_title`` heads the colour bar (put the unit there); ``legend_note`` is a second, smaller
    line such as "lower is better".
    """
    if (values is None) == (categories is None):
        raise ValueError("give exactly one of values or categories")
    title = escape(legend_title)
    if legend_note:
        title += f"<br><sub>{escape(legend_note)}</sub>"
    if values is not None:
        z = _clean_values(values)
        present = [v for v in z if v is not None]
        low = zmin if zmin is not None else (min(present) if present else 0.0)
        high = zmax if zmax is not None else (max(present) if present else 1.0)
        if high == low:
            high = low + 1.0
        flag_text = ["" if not f else f" · flag {escape(f)}" for f in (flags or [None] * len(z))]
        year_text = f" · {escape(year)}" if year is not None else ""
        unit_text = f" {escape(unit)}" if unit else ""
        return {
            "z": z,
            "customdata": flag_text,
            "zmin": low, "zmax": high, "zauto": False,
            "colorscale": colourscale,
            "showscale": show_scale,
            "colorbar": {"title": {"text": title, "side": "top"}, "tickformat": value_format,
                         "ticks": "outside", "tickvals": None, "ticktext": None, "len": 0.75,
                         "thickness": 14},
            "hovertemplate": (f"<b>%{{text}}</b> (%{{location}})<br>%{{z:{value_format}}}{unit_text}"
                              f"{year_text}%{{customdata}}<extra></extra>"),
        }
    labels = list(categories)  # type: ignore[arg-type]
    order = list(category_order) if category_order is not None else list(
        dict.fromkeys(label for label in labels if label is not None))
    colours = dict(category_colours or {})
    for index, label in enumerate(order):
        colours.setdefault(label, CATEGORY_PALETTE[index % len(CATEGORY_PALETTE)])
    position = {label: index for index, label in enumerate(order)}
    z = [position.get(label) if label is not None else None for label in labels]
    count = max(len(order), 1)
    scale: list[list] = []
    for index, label in enumerate(order):  # a step per category: [i/n, (i+1)/n] in one colour
        scale += [[index / count, colours[label]], [(index + 1) / count, colours[label]]]
    if not scale:
        scale = [[0, NO_DATA_FILL], [1, NO_DATA_FILL]]
    return {
        "z": z,
        "customdata": [
            "" if label is None else escape(label) + (f" · {escape(detail)}" if detail else "")
            for label, detail in zip(labels, details if details is not None else [None] * len(labels),
                                     strict=True)
        ],
        "zmin": -0.5, "zmax": count - 0.5, "zauto": False,
        "colorscale": scale,
        "showscale": show_scale and bool(order),
        "colorbar": {"title": {"text": title, "side": "top"}, "tickformat": "",
                     "tickvals": list(range(len(order))), "ticktext": [escape(label) for label in order],
                     "ticks": "", "len": min(0.12 * count + 0.1, 0.75), "thickness": 14},
        "hovertemplate": "<b>%{text}</b> (%{location})<br>%{customdata}<extra></extra>",
    }


def selection_layer(selected: str | Sequence[str] | None) -> dict[str, Any]:
    """Properties of ``SELECTION_TRACE`` outlining ``selected`` (one code, several, or none)."""
    codes = [selected] if isinstance(selected, str) else list(selected or [])
    return {"locations": codes, "z": [1] * len(codes)}


def choropleth(
    geojson_url: str,
    regions: Sequence[str],
    *,
    names: Sequence[str] | None = None,
    values: Sequence[float | None] | None = None,
    categories: Sequence[str | None] | None = None,
    category_order: Sequence[str] | None = None,
    category_colours: Mapping[str, str] | None = None,
    details: Sequence[str | None] | None = None,
    flags: Sequence[str | None] | None = None,
    unit: str = "",
    year: int | str | None = None,
    value_format: str = ",.4~g",
    colourscale: str | Sequence = SEQUENTIAL_SCALE,
    zmin: float | None = None,
    zmax: float | None = None,
    legend_title: str = "",
    legend_note: str = "",
    show_scale: bool = True,
    selected: str | Sequence[str] | None = None,
    view: str | Mapping[str, Any] = DEFAULT_VIEW,
    title: str = "",
    source: str = "",
    no_data_label: str = "no data",
    height: int | None = 600,
    uirevision: str | None = "map",
) -> go.Figure:
    """A choropleth of NUTS regions drawn from boundaries served at ``geojson_url``.

    Arguments (sequences are aligned with ``regions``):

    - ``geojson_url``: ``observatory.web.server.boundaries_url(level)``; features' ``id`` is the
      NUTS code. A dict FeatureCollection also works (tests, the benchmark's naive version).
    - ``regions``: NUTS codes to draw. Every one is drawn: grey "no data" unless coloured.
    - ``names``: shown in hover (default: the codes).
    - ``values`` *or* ``categories`` (or neither, for a plain locator map): see :func:`value_layer`,
      which also documents ``category_order``, ``category_colours``, ``details``, ``flags``, ``unit``,
      ``year``, ``value_format``, ``colourscale``, ``zmin``, ``zmax``, ``legend_title``, ``legend_note``,
      ``show_scale``.
    - ``selected``: code(s) outlined in a thick line (the clicked region, the region of a profile).
    - ``view``: "mainland" (default), another name from ``OUTERMOST_VIEWS``, a mapping with
      ``lon_range``/``lat_range``, or "fit" (frame the coloured regions).
    - ``title`` and ``source``: the figure title and the source line written under the map (use the
      indicator catalogue's attribution); both are escaped.
    - ``no_data_label``: hover text and legend entry of the grey base layer.
    - ``uirevision``: keep the user's zoom/pan across updates while it stays the same.

    Returns a ``go.Figure`` whose trace order is ``BASE_TRACE``, ``VALUE_TRACE``, ``SELECTION_TRACE``.
    """
    codes = [str(code) for code in regions]
    labels = [escape(name) for name in names] if names is not None else [escape(code) for code in codes]
    if len(labels) != len(codes):
        raise ValueError(f"{len(labels)} names for {len(codes)} regions")
    for name, seq in (("values", values), ("categories", categories), ("flags", flags), ("details", details)):
        if seq is not None and len(seq) != len(codes):
            raise ValueError(f"{len(seq)} {name} for {len(codes)} regions")

    base = {
        "type": "choropleth", "geojson": geojson_url, "locations": codes, "z": [0] * len(codes),
        "text": labels, "featureidkey": "id", "colorscale": [[0, NO_DATA_FILL], [1, NO_DATA_FILL]],
        "showscale": False,
        "marker": {"line": {"color": NO_DATA_LINE, "width": 0.5}},
        "hovertemplate": f"<b>%{{text}}</b> (%{{location}})<br>{escape(no_data_label)}<extra></extra>",
        "name": escape(no_data_label).capitalize(),
        "showlegend": values is not None or categories is not None,
        "legendrank": 1000,
    }
    if values is None and categories is None:
        layer = value_layer(values=[None] * len(codes), show_scale=False)
    else:
        layer = value_layer(values=values, categories=categories, category_order=category_order,
                            category_colours=category_colours, details=details, flags=flags, unit=unit,
                            year=year, value_format=value_format, colourscale=colourscale, zmin=zmin,
                            zmax=zmax, legend_title=legend_title, legend_note=legend_note,
                            show_scale=show_scale)
    coloured = {
        "type": "choropleth", "geojson": geojson_url, "locations": codes, "text": labels,
        "featureidkey": "id",
        "marker": {"line": {"color": REGION_LINE, "width": 0.4}}, "showlegend": False, "name": "",
        **layer,
    }
    selection = {
        "type": "choropleth", "geojson": geojson_url, "featureidkey": "id", "colorscale": _TRANSPARENT_SCALE,
        "showscale": False, "marker": {"line": {"color": SELECTION_LINE, "width": 2.5}}, "hoverinfo": "skip",
        "showlegend": False, "name": "selected", **selection_layer(selected),
    }
    layout = {
        "geo": view_geo("fit" if view == "fit" else view),
        "title": {"text": escape(title), "x": 0.01, "xanchor": "left", "font": {"size": 16}},
        "margin": {"l": 0, "r": 0, "t": 40 if title else 8, "b": 36 if source else 8},
        "height": height,
        "paper_bgcolor": "#ffffff",
        "legend": {"x": 0.01, "y": 0.01, "xanchor": "left", "yanchor": "bottom",
                   "bgcolor": "rgba(255,255,255,0.8)"},
        "uirevision": uirevision,
        "dragmode": "pan",
        "annotations": [source_annotation(source)] if source else [],
    }
    # Built from plain dicts without plotly's per-element validation, which costs ~50 ms at NUTS 3 on
    # every level switch; the unit tests validate these figures (go.Figure(fig.to_dict())) instead.
    return go.Figure(data=[base, coloured, selection], layout=layout, _validate=False)


def source_annotation(source: str) -> dict[str, Any]:
    """The "Source: ..." line under a map (annotation 0 of the figure, for Patch updates)."""
    return {
        "text": escape(source), "showarrow": False, "xref": "paper", "yref": "paper",
        "x": 0, "y": 0, "xanchor": "left", "yanchor": "top", "yshift": -6,
        "font": {"size": 11, "color": "#555"}, "align": "left",
    }
