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
    SELECTION_TRACE,
    VALUE_TRACE,
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


def map_figure(geojson_url: str, layer: MapLayer, *, view: str, selected: Sequence[str] = ()) -> go.Figure:
    """The whole map for a layer (first load, level switch)."""
    return choropleth(
        geojson_url, layer.regions, **layer.colouring(), selected=list(selected), view=view,
        title=layer.title, source=layer.source, no_data_label=layer.no_data_label, height=None,
        uirevision=view,
    )


def colour_updates(layer: MapLayer, *, source_changed: bool = True,
                   label_changed: bool = True) -> list[Update]:
    """What a recolour (indicator, year or measure change on the same level) changes.

    The value trace's properties go in one merge; the source line and the no-data label (which
    depend on the measure and indicator only) are left out when the caller knows they are unchanged.
    """
    layers = recolour(no_data_label=layer.no_data_label, **layer.colouring())
    updates: list[Update] = [(("data", VALUE_TRACE), layers[VALUE_TRACE], True),
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


def view_updates(view: str) -> list[Update]:
    """What switching the named view (mainland, an outermost region) changes."""
    return [(("layout", "geo"), view_geo(view), False), (("layout", "uirevision"), view, False)]
