"""The map explorer's figure, and the few property updates that change it.

:func:`map_figure` draws a :class:`~observatory.analysis.map_measures.MapLayer` with the shared
:func:`~observatory.figures.choropleth.choropleth` builder. The ``*_updates`` functions return
``(path, value)`` pairs (``("data", 1, "z")``, ``("layout", "geo")``...) naming exactly what a
recolour, a new selection or a new view changes; the page writes them into a ``dash.Patch``, so
the response carries the values, never the geometry, the region list or the rest of the figure.
Region names come from the GeoJSON (``%{properties.name}``), so no figure carries them either.
Pure: no Dash here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from observatory.analysis.map_measures import MapLayer
from observatory.figures.choropleth import (
    SELECTION_TRACE,
    choropleth,
    escape,
    recolour,
    selection_layer,
    source_annotation,
    view_geo,
)

Update = tuple[tuple[str | int, ...], Any]


def map_figure(geojson_url: str, layer: MapLayer, *, view: str, selected: Sequence[str] = ()) -> go.Figure:
    """The whole map for a layer (first load, level switch)."""
    return choropleth(
        geojson_url, layer.regions, **layer.colouring(), selected=list(selected), view=view,
        title=layer.title, source=layer.source, no_data_label=layer.no_data_label, height=None,
        uirevision=view,
    )


def colour_updates(layer: MapLayer) -> list[Update]:
    """What a recolour (indicator, year or measure change on the same level) changes."""
    updates: list[Update] = [
        (("data", trace, key), value)
        for trace, props in recolour(no_data_label=layer.no_data_label, **layer.colouring()).items()
        for key, value in props.items()
    ]
    updates += [
        (("layout", "title", "text"), escape(layer.title)),
        (("layout", "annotations"), [source_annotation(layer.source)] if layer.source else []),
    ]
    return updates


def selection_updates(selected: Sequence[str]) -> list[Update]:
    """What selecting (or clearing) a region changes: the outline trace only."""
    return [(("data", SELECTION_TRACE, key), value) for key, value in selection_layer(list(selected)).items()]


def view_updates(view: str) -> list[Update]:
    """What switching the named view (mainland, an outermost region) changes."""
    return [(("layout", "geo"), view_geo(view)), (("layout", "uirevision"), view)]
