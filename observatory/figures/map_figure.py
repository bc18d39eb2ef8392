"""The map explorer's figure, and the few property updates that change it.

:func:`map_figure` draws a :class:`~observatory.analysis.map_measures.MapLayer` with the shared
:func:`~observatory.figures.choropleth.choropleth` builder. The ``*_updates`` functions return
``(path, value, merge)`` triples (``(("data", 1), {...}, True)``, ``(("layout", "geo"), {...},
False)``...) naming exactly what a recolour, a new selection or a new view changes; the page writes
them into a ``dash.Patch`` (one operation each), so the response carries the values, never the
geometry, the region list or the rest of the figure.
Region names come from the GeoJSON (``%{properties.name}``), so no figure carries them either.
Pure: no Dash here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from observatory.analysis.map_measures import MapLayer
from observatory.figures.choropleth import (
    BASE_TRACE,
    BASEMAP_TRACE,
    SELECTION_TRACE,
    VALUE_TRACE,
    Basemap,
    Colouring,
    choropleth,
    escape,
    recolour,
    selection_layer,
    source_annotation,
    view_geo,
)

#: One change to the figure: (path, value, merge). ``merge`` means "update these keys of the dict at
#: path" (one Patch operation for a whole trace), otherwise "assign value at path".
Update = tuple[tuple[str | int, ...], Any, bool]


def layer_colouring(layer: MapLayer) -> Colouring:
    """How the map draws a measure's layer: its numbers on the sequential scale, or its categories.

    The analysis layer says what a measure shows (values or categories, with their legend and
    hover texts); this is where that becomes the figure's :class:`Colouring`.
    """
    common = {"legend_title": layer.legend_title, "legend_note": layer.legend_note,
              "no_data_label": layer.no_data_label}
    if layer.values is not None:
        return Colouring(values=list(layer.values), flags=list(layer.flags or []) or None, unit=layer.unit,
                         year=layer.year, value_format=layer.value_format, zmin=layer.zmin, zmax=layer.zmax,
                         **common)
    return Colouring(categories=list(layer.categories or [None] * len(layer.regions)),
                     category_order=list(layer.category_order), category_colours=dict(layer.category_colours),
                     details=list(layer.details) if layer.details is not None else None, **common)


def map_figure(geojson_url: str, layer: MapLayer, *, view: str, selected: Sequence[str] = (),
               basemap: Basemap | None = None) -> go.Figure:
    """The whole map for a layer (first load, level switch); ``basemap`` shown or hidden."""
    return choropleth(geojson_url, layer.regions, layer_colouring(layer), selected=list(selected), view=view,
                      title=layer.title, source=layer.source, height=None, uirevision=view, basemap=basemap)


#: Value-trace properties that are the same for every layer drawn on the sequential scale.
_SEQUENTIAL_CONSTANTS = ("zauto", "colorscale", "showscale")
#: The colour bar properties that differ between two layers on the sequential scale.
_SEQUENTIAL_COLOURBAR = ("title", "tickformat")


def colour_updates(layer: MapLayer, *, source_changed: bool = True, label_changed: bool = True,
                   from_sequential: bool = False) -> list[Update]:
    """What a recolour (indicator, year or measure change on the same level) changes.

    The value trace's properties go in one merge. Left out when the caller knows they are
    unchanged: the source line and the no-data label (they depend on the measure and indicator
    only), and, when the map already shows numbers on the sequential scale (``from_sequential``)
    and the new layer does too, the scale's constant properties (of the colour bar only the title
    and the number format are sent).
    """
    layers = recolour(layer_colouring(layer))
    value = dict(layers[VALUE_TRACE])
    colourbar_update: list[Update] = []
    if from_sequential and layer.values is not None:
        for key in _SEQUENTIAL_CONSTANTS:
            value.pop(key)
        colourbar = value.pop("colorbar")
        colourbar_update = [(("data", VALUE_TRACE, "colorbar"),
                             {key: colourbar[key] for key in _SEQUENTIAL_COLOURBAR}, True)]
    updates: list[Update] = [(("data", VALUE_TRACE), value, True), *colourbar_update,
                             (("layout", "title", "text"), escape(layer.title), False)]
    if label_changed:
        updates.append((("data", BASE_TRACE), layers[BASE_TRACE], True))
    if source_changed:
        updates.append((("layout", "annotations"), [source_annotation(layer.source)] if layer.source else [],
                        False))
    return updates


def selection_updates(selected: Sequence[str]) -> list[Update]:
    """What selecting (or clearing) a region changes: the outline trace only."""
    return [(("data", SELECTION_TRACE), selection_layer(list(selected)), True)]


def view_updates(view: str, *, basemap: bool = False) -> list[Update]:
    """What switching the named view (mainland, an outermost region) changes."""
    return [(("layout", "geo"), view_geo(view, basemap=basemap), False),
            (("layout", "uirevision"), view, False)]


def basemap_updates(visible: bool) -> list[Update]:
    """What showing or hiding the basemap changes (a figure made with ``basemap=``): two values."""
    return [(("data", BASEMAP_TRACE, "visible"), visible, False),
            (("layout", "geo", "bgcolor"), view_geo(basemap=visible)["bgcolor"], False)]
