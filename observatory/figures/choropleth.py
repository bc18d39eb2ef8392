"""The one choropleth builder of the app: the map explorer, locator maps, partnership maps, benchmarks.

Every map in the app is a plotly choropleth on a ``geo`` subplot, drawn from the static, cacheable
boundaries of one NUTS level (``DataUrls.boundaries(level)``, a static URL of the build): the browser
downloads a level once, figures and callbacks never carry geometry, only the URL.

The figure always has the same three traces, each listing every region passed in ``regions`` in
the same order, so a page can recolour or reselect with a small ``dash.Patch`` instead of
rebuilding the figure:

=======================  ========================================================================
``BASE_TRACE`` (0)       light grey "no data" layer under everything: whatever the value layer
                         leaves uncoloured shows as grey and hovers as "no data", so a region
                         without a value is always drawn, never dropped. It never changes on a
                         recolour (drawing it costs ~30-50 ms in the browser; resending which
                         regions lack data would cost 2-3 bytes per region in every recolour)
``VALUE_TRACE`` (1)      the colours: ``values`` on a sequential, colour-blind-safe scale, or
                         ``categories`` in discrete colours; null where there is no value
``SELECTION_TRACE`` (2)  the selected region(s): no fill, a thick outline, never hoverable
``BASEMAP_TRACE`` (3)    only with ``basemap=``: the countries around the NUTS area in a pale land
                         colour, the sea being the geo background (:func:`basemap_layer`). Drawn
                         last, but the build cut the regions out of it, so it covers none of
                         them; never hoverable or clickable. Hidden
                         (``visible: False``), it is not even downloaded, so switching it on and
                         off is a two-value ``Patch``
=======================  ========================================================================

Typical use (``urls = DataUrls.of(obs)``, ``observatory.components.context``)::

    fig = choropleth(urls.boundaries(2), codes,
                     Colouring(values=values, unit="% of GDP", year=2022, legend_title="% of GDP"),
                     title="R&D expenditure, 2022", source=obs.source_lines("gerd_pc_gdp"), selected="ITH5")
    # a locator map: the country's regions in grey, one outlined, the view framing them
    italy = [c for c in codes if c.startswith("IT")]
    fig = choropleth(urls.boundaries(2), italy, selected="ITH5", view="fit", height=300)
    # ...or all regions, framed around some points (e.g. the regions table's lon/lat label points)
    fig = choropleth(urls.boundaries(2), codes, selected="ITH5", view=bounds_view([(11.0, 44.5)]))
    # a categorical map (partnership roles):
    fig = choropleth(urls.boundaries(2), codes, Colouring(categories=roles, category_order=["Lead", "Member"],
                                                          no_data_label="not a member"))

and in a callback, recolour with :func:`recolour` (pass ``hover_name=TEXT_NAME`` if the figure was
built with ``names``)::

    patch = dash.Patch()
    for trace, props in recolour(Colouring(values=new_values, unit="%", year=2021)).items():
        patch["data"][trace].update(props)           # one "Merge" operation per trace
    patch["data"][SELECTION_TRACE].update(selection_layer("ITH5"))
    patch["layout"]["title"]["text"] = escape(new_title)

Hover labels are plotly ``hovertemplate``s evaluated in the browser (name, code, value with unit,
year, flag), so hovering never calls the server. Region names come from the GeoJSON's ``name``
property (``%{properties.name}``: not resent with every figure) unless ``names`` is given. Every
text that goes into a label, legend or title is escaped: plotly renders some HTML tags there.

Offline by design: every base layer of the geo subplot (land, ocean, coastlines, countries, lakes,
rivers, frame) is off and only ``locationmode="geojson-id"`` is used. The opt-in basemap is our own
same-origin GeoJSON (GISCO countries), not a tile server. plotly.js still asks for a
world topojson (from cdn.plot.ly) whenever a trace has a ``locationmode``, which a GeoJSON
choropleth always has; ``assets/map-offline-geo.js`` hands plotly an empty topology first, so no
request leaves the app. Pages get that asset automatically (Dash serves ``assets/`` to every page).

Pure module (no Dash): data in, ``go.Figure`` or plain dicts out.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import plotly.graph_objects as go

from observatory.geography import DEFAULT_VIEW, OUTERMOST_VIEWS

BASE_TRACE = 0
VALUE_TRACE = 1
SELECTION_TRACE = 2
BASEMAP_TRACE = 3

#: Sequential, perceptually uniform and colour-blind safe (readable in greyscale too).
SEQUENTIAL_SCALE = "Viridis"

#: Okabe-Ito: a qualitative palette distinguishable under the common colour-vision deficiencies.
CATEGORY_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

NO_DATA_FILL = "#e6e6e6"
NO_DATA_LINE = "#8c8c8c"
REGION_LINE = "#ffffff"
SELECTION_LINE = "#d62728"
BACKGROUND = "#f4f7fb"
#: Basemap colours: pale land, clearly not the grey of "no data", on a light sea.
LAND_FILL = "#f6f1e4"
LAND_LINE = "#c8bfa9"
SEA = "#d7e6f1"

#: Lambert azimuthal equal-area centred on Europe, the projection of the European statistical grid
#: (ETRS89-LAEA, EPSG:3035): region areas compare fairly. Views re-centre it on their territory.
PROJECTION = {"type": "azimuthal equal area", "rotation": {"lon": 10, "lat": 52}}

#: Hover name tokens: the GeoJSON feature's ``name`` property, or the trace's ``text`` (``names``).
GEOJSON_NAME = "%{properties.name}"
TEXT_NAME = "%{text}"

_TRANSPARENT_SCALE = [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]]

#: The legend is a horizontal colour bar under the map: maps are limited by their width (the geo
#: subplot keeps its aspect ratio), so a bar beside the map would shrink it, one below costs nothing.
_COLOURBAR = {"orientation": "h", "x": 0.5, "xanchor": "center", "y": 0, "yanchor": "top", "ypad": 6,
              "thickness": 12, "outlinewidth": 0}
#: Vertical space under the map: the colour bar (title, bar, labels) and the source line.
_BOTTOM_WITH_SCALE = 86
_GREY_SCALE = [[0, NO_DATA_FILL], [1, NO_DATA_FILL]]


def escape(text: object) -> str:
    """Text safe inside a plotly hover label, legend or title: markup characters become entities."""
    return html.escape("" if text is None else str(text), quote=False)


def _clean_values(values: Sequence[float | None]) -> list[float | None]:
    """Numbers for JSON: NaN/None/inf become None (the region is then drawn as "no data").

    Values are written with at most 7 significant digits (a derived share such as 12.345678901234
    would otherwise cost 18 characters per region in every recolour) and whole numbers without
    ".0"; neither colours nor hover labels show more digits than that.
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


def view_geo(view: str | Mapping[str, Any] = DEFAULT_VIEW, *, basemap: bool = False) -> dict[str, Any]:
    """The ``layout.geo`` properties that frame a view, with every base layer off (no topojson needed).

    ``basemap``: the basemap is shown, so the background is the sea's colour.

    ``view`` is a name from ``OUTERMOST_VIEWS`` ("mainland", "canarias", ...), a mapping with
    ``lon_range`` and ``lat_range`` (see :func:`bounds_view`), or "fit" to frame exactly the regions
    of the figure (pass only a country's regions for a locator map). An unknown name falls back to
    the mainland view.
    """
    geo: dict[str, Any] = {
        "projection": {"type": PROJECTION["type"], "rotation": dict(PROJECTION["rotation"])},
        "showland": False, "showocean": False, "showlakes": False, "showrivers": False,
        "showcountries": False, "showcoastlines": False, "showsubunits": False, "showframe": False,
        "bgcolor": SEA if basemap else BACKGROUND,
        "visible": True,
    }
    if view == "fit":
        geo["fitbounds"] = "locations"
        return geo
    if isinstance(view, Mapping):
        spec = view
    else:
        spec = OUTERMOST_VIEWS.get(str(view), OUTERMOST_VIEWS[DEFAULT_VIEW])
    (west, east), (south, north) = spec["lon_range"], spec["lat_range"]
    geo["fitbounds"] = False
    geo["lonaxis"] = {"range": [west, east]}
    geo["lataxis"] = {"range": [south, north]}
    geo["projection"]["rotation"] = {"lon": (west + east) / 2, "lat": (south + north) / 2}
    return geo


def bounds_view(points: Sequence[tuple[float, float]], *, pad: float = 2.0,
                min_span: float = 6.0) -> dict[str, list[float]]:
    """A view (for ``view=``) framing (lon, lat) points with ``pad`` degrees around them.

    The box is at least ``min_span`` degrees wide and high, so one point gives a regional frame.
    Use the regions table's label points (``lon``, ``lat``) of the regions to show.
    """
    if not points:
        spec = OUTERMOST_VIEWS[DEFAULT_VIEW]
        return {"lon_range": list(spec["lon_range"]), "lat_range": list(spec["lat_range"])}
    lons = [float(lon) for lon, _ in points]
    lats = [float(lat) for _, lat in points]

    def span(low: float, high: float) -> list[float]:
        low, high = low - pad, high + pad
        if high - low < min_span:
            middle = (low + high) / 2
            low, high = middle - min_span / 2, middle + min_span / 2
        return [round(low, 3), round(high, 3)]

    return {"lon_range": span(min(lons), max(lons)), "lat_range": span(min(lats), max(lats))}


@dataclass(frozen=True)
class Colouring:
    """How a map colours its regions: one value object for every map of the app.

    Give either ``values`` (numbers, None/NaN = no data) or ``categories`` (labels, None = no
    data), aligned with the figure's ``regions``; neither makes a plain, uncoloured map (a
    locator). The map explorer's measures (``observatory.analysis.map_measures.MapLayer``) are
    turned into one by ``observatory.figures.map_figure.layer_colouring``.

    - values: sequential ``colourscale``; ``zmin``/``zmax`` default to the data range; hover shows
      the value formatted with ``value_format`` (d3-format), ``unit``, ``year`` and the region's
      ``flags`` in brackets, as Eurostat writes them (e.g. "p"; None or "" = no flag; explain the
      letters next to the map).
    - categories: one colour per label from ``category_colours`` (default: Okabe-Ito in
      ``category_order``, which defaults to order of first appearance); the legend is a stepped
      colour bar labelled with the categories; hover shows the label, followed by the region's
      ``details`` text when given (e.g. "3 matching priorities").

    ``legend_title`` heads the colour bar (put the unit there); ``legend_note`` is a second, smaller
    line such as "lower is better"; ``show_scale`` False hides the colour bar. ``no_data_label``
    is the hover text and legend entry of the grey layer ("no data", "not a member").
    """

    values: Sequence[float | None] | None = None
    categories: Sequence[str | None] | None = None
    category_order: Sequence[str] | None = None
    category_colours: Mapping[str, str] | None = None
    details: Sequence[str | None] | None = None
    flags: Sequence[str | None] | None = None
    unit: str = ""
    year: int | str | None = None
    value_format: str = ",.4~g"
    colourscale: str | Sequence = SEQUENTIAL_SCALE
    zmin: float | None = None
    zmax: float | None = None
    legend_title: str = ""
    legend_note: str = ""
    show_scale: bool = True
    no_data_label: str = "no data"

    @property
    def coloured(self) -> bool:
        """Whether any region gets a colour (values or categories were given)."""
        return self.values is not None or self.categories is not None


def value_layer(colouring: Colouring, hover_name: str = GEOJSON_NAME) -> dict[str, Any]:
    """Properties of ``VALUE_TRACE`` for a :class:`Colouring` (``z``, ``customdata``, scale, colour bar,
    hover). ``hover_name`` is :data:`GEOJSON_NAME` or :data:`TEXT_NAME`.
    """
    values, categories = colouring.values, colouring.categories
    if (values is None) == (categories is None):
        raise ValueError("give exactly one of values or categories")
    title = escape(colouring.legend_title)
    if colouring.legend_note:
        title += f"<br><sub>{escape(colouring.legend_note)}</sub>"
    head = f"<b>{hover_name}</b> (%{{location}})<br>"
    if values is not None:
        z = _clean_values(values)
        present = [v for v in z if v is not None]
        low = colouring.zmin if colouring.zmin is not None else (min(present) if present else 0.0)
        high = colouring.zmax if colouring.zmax is not None else (max(present) if present else 1.0)
        if high == low:
            high = low + 1.0
        # " (e)", as Eurostat prints flags after a value (the page explains the letters under the
        # map): a recolour at NUTS 3 can carry 600 flagged values, so every byte here counts.
        flag_text = ["" if not f else f" ({escape(f)})" for f in (colouring.flags or [None] * len(z))]
        year_text = f" · {escape(colouring.year)}" if colouring.year is not None else ""
        unit_text = f" {escape(colouring.unit)}" if colouring.unit else ""
        value_format = colouring.value_format
        return {
            "z": z,
            "customdata": flag_text,
            "zmin": low, "zmax": high, "zauto": False,
            "colorscale": colouring.colourscale,
            "showscale": colouring.show_scale,
            "colorbar": {**_COLOURBAR, "title": {"text": title, "side": "top"}, "tickformat": value_format,
                         "ticks": "outside", "tickvals": None, "ticktext": None, "len": 0.6},
            "hovertemplate": (f"{head}%{{z:{value_format}}}{unit_text}{year_text}"
                              "%{customdata}<extra></extra>"),
        }
    labels = list(categories)  # type: ignore[arg-type]
    order = list(colouring.category_order) if colouring.category_order is not None else list(
        dict.fromkeys(label for label in labels if label is not None))
    colours = dict(colouring.category_colours or {})
    for index, label in enumerate(order):
        colours.setdefault(label, CATEGORY_PALETTE[index % len(CATEGORY_PALETTE)])
    position = {label: index for index, label in enumerate(order)}
    z = [position.get(label) if label is not None else None for label in labels]
    count = max(len(order), 1)
    scale: list[list] = []
    for index, label in enumerate(order):  # a step per category: [i/n, (i+1)/n] in one colour
        scale += [[index / count, colours[label]], [(index + 1) / count, colours[label]]]
    notes = colouring.details if colouring.details is not None else [None] * len(labels)
    return {
        "z": z,
        "customdata": ["" if label is None else escape(label) + (f" · {escape(note)}" if note else "")
                       for label, note in zip(labels, notes, strict=True)],
        "zmin": -0.5, "zmax": count - 0.5, "zauto": False,
        "colorscale": scale or _GREY_SCALE,
        "showscale": colouring.show_scale and bool(order),
        "colorbar": {**_COLOURBAR, "title": {"text": title, "side": "top"}, "tickformat": "",
                     "tickvals": list(range(len(order))), "ticktext": [escape(label) for label in order],
                     "ticks": "", "len": min(0.25 * count, 0.9)},
        "hovertemplate": f"{head}%{{customdata}}<extra></extra>",
    }


def no_data_layer(no_data_label: str = "no data", hover_name: str = GEOJSON_NAME) -> dict[str, Any]:
    """The label properties of ``BASE_TRACE`` (its hover text and legend entry)."""
    label = escape(no_data_label)
    return {
        "hovertemplate": f"<b>{hover_name}</b> (%{{location}})<br>{label}<extra></extra>",
        "name": label[:1].upper() + label[1:],
    }


def recolour(colouring: Colouring, hover_name: str = GEOJSON_NAME) -> dict[int, dict[str, Any]]:
    """Everything a recolour changes, by trace index, for a ``dash.Patch``.

    Returns ``{VALUE_TRACE: {...}, BASE_TRACE: {...}}``: values, flags, scale and legend, and the
    no-data layer's label. Locations and geometry never change on a recolour.
    """
    return {VALUE_TRACE: value_layer(colouring, hover_name),
            BASE_TRACE: no_data_layer(colouring.no_data_label, hover_name)}


@dataclass(frozen=True)
class Basemap:
    """The opt-in basemap of a map: its GeoJSON URL, the country ids in it, and whether it shows."""

    url: str
    countries: tuple[str, ...]
    visible: bool = False


def basemap_layer(basemap: Basemap) -> dict[str, Any]:
    """``BASEMAP_TRACE``: every country of the basemap in one land colour, never hoverable."""
    return {"type": "choropleth", "geojson": basemap.url, "featureidkey": "id",
            "locations": list(basemap.countries), "z": [0] * len(basemap.countries),
            "colorscale": [[0, LAND_FILL], [1, LAND_FILL]], "showscale": False,
            "marker": {"line": {"color": LAND_LINE, "width": 0.5}}, "hoverinfo": "skip",
            "showlegend": False, "name": "basemap", "visible": basemap.visible}


def selection_layer(selected: str | Sequence[str] | None) -> dict[str, Any]:
    """Properties of ``SELECTION_TRACE`` outlining ``selected`` (one code, several, or none)."""
    codes = [selected] if isinstance(selected, str) else list(selected or [])
    return {"locations": codes, "z": [1] * len(codes)}


def choropleth(
    geojson_url: str | Mapping[str, Any],
    regions: Sequence[str],
    colouring: Colouring | None = None,
    *,
    names: Sequence[str] | None = None,
    selected: str | Sequence[str] | None = None,
    view: str | Mapping[str, Any] = DEFAULT_VIEW,
    title: str = "",
    source: str = "",
    height: int | None = 600,
    uirevision: str | None = "map",
    basemap: Basemap | None = None,
) -> go.Figure:
    """A choropleth of NUTS regions drawn from boundaries served at ``geojson_url``.

    Arguments (every sequence is aligned with ``regions``):

    - ``geojson_url``: ``DataUrls.boundaries(level)``; features' ``id`` is the NUTS code and their
      ``name`` property the hover name. A FeatureCollection dict also works (tests), but a URL
      keeps geometry out of the figure.
    - ``regions``: the NUTS codes drawn (usually every region of the level). Each is drawn: in
      colour when it has a value or category, else grey "no data".
    - ``colouring``: how regions are coloured (:class:`Colouring`); None or an uncoloured one
      draws a plain locator map.
    - ``names``: hover names; default None = the GeoJSON's ``name`` property (nothing resent).
    - ``selected``: code(s) outlined with a thick line (the clicked region, a profile's region).
    - ``view``: "mainland" (default), another name from ``OUTERMOST_VIEWS``, a mapping with
      ``lon_range``/``lat_range`` (:func:`bounds_view` makes one from points), or "fit": frame all
      of ``regions`` (every region is drawn, so pass a subset, e.g. one country's regions).
    - ``title``, ``source``: the title, and the source line written under the map (annotation 0;
      use the indicator catalogue's attribution). Both are escaped.
    - ``height``: pixels, or None to fill the graph's container.
    - ``uirevision``: the user's zoom/pan survives updates while this stays the same.
    - ``basemap``: adds ``BASEMAP_TRACE`` (shown or hidden as ``basemap.visible`` says) and, when
      shown, the sea as background. None (default): three traces, no basemap.

    Returns a ``go.Figure`` whose traces are ``BASE_TRACE``, ``VALUE_TRACE``, ``SELECTION_TRACE``
    (and ``BASEMAP_TRACE`` with a basemap).
    """
    codes = [str(code) for code in regions]
    colouring = colouring or Colouring()
    for name in ("values", "categories", "flags", "details"):
        seq = getattr(colouring, name)
        if seq is not None and len(seq) != len(codes):
            raise ValueError(f"{len(seq)} {name} for {len(codes)} regions")
    if names is not None and len(names) != len(codes):
        raise ValueError(f"{len(names)} names for {len(codes)} regions")
    hover_name = GEOJSON_NAME if names is None else TEXT_NAME
    coloured = colouring.coloured
    drawn = colouring if coloured else replace(colouring, values=[None] * len(codes), show_scale=False)
    layers = recolour(drawn, hover_name)
    text = {"text": [escape(name) for name in names]} if names is not None else {}
    scale_space = coloured and colouring.show_scale  # room for the colour bar under the map
    common = {"type": "choropleth", "geojson": geojson_url, "featureidkey": "id", "locations": codes}
    base = {**common, **text, "z": [0] * len(codes), "colorscale": _GREY_SCALE, "showscale": False,
            "marker": {"line": {"color": NO_DATA_LINE, "width": 0.5}},
            "showlegend": coloured, "legendrank": 1000, **layers[BASE_TRACE]}
    value = {**common, **text, "marker": {"line": {"color": REGION_LINE, "width": 0.4}}, "showlegend": False,
             "name": "", **layers[VALUE_TRACE]}
    selection = {"type": "choropleth", "geojson": geojson_url, "featureidkey": "id",
                 "colorscale": _TRANSPARENT_SCALE, "showscale": False,
                 "marker": {"line": {"color": SELECTION_LINE, "width": 2.5}}, "hoverinfo": "skip",
                 "showlegend": False, "name": "selected", **selection_layer(selected)}
    layout = {
        "geo": view_geo(view, basemap=basemap is not None and basemap.visible),
        "title": {"text": escape(title), "x": 0.01, "xanchor": "left", "font": {"size": 16}},
        "margin": {"l": 0, "r": 0, "t": 40 if title else 8,
                   "b": (_BOTTOM_WITH_SCALE if scale_space else 8) + (22 if source else 0)},
        "height": height,
        "paper_bgcolor": "#ffffff",
        "legend": {"x": 0.99, "y": 0.99, "xanchor": "right", "yanchor": "top",
                   "bgcolor": "rgba(255,255,255,0.8)"},
        "uirevision": uirevision,
        "dragmode": "pan",
        "annotations": [source_annotation(source, coloured=scale_space)] if source else [],
        # No plotly.py template: it would add ~6.5 KB to every figure sent, for styling set here.
        "template": {},
        "font": {"color": "#333"},
    }
    # Built from plain dicts without plotly's per-element validation, which costs ~50 ms at NUTS 3
    # on every level switch; the unit tests validate these figures (go.Figure(fig.to_dict())).
    traces = [base, value, selection] + ([basemap_layer(basemap)] if basemap is not None else [])
    return go.Figure(data=traces, layout=layout, _validate=False)


def source_annotation(source: str, *, coloured: bool = True) -> dict[str, Any]:
    """The "Source: ..." line under a map (annotation 0 of the figure, for Patch updates).

    ``coloured``: the map has a colour bar, which the line goes under.
    """
    return {
        "text": escape(source), "showarrow": False, "xref": "paper", "yref": "paper",
        "x": 0, "y": 0, "xanchor": "left", "yanchor": "top",
        "yshift": -(_BOTTOM_WITH_SCALE if coloured else 4),
        "font": {"size": 11, "color": "#555"}, "align": "left",
    }
