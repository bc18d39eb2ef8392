"""Linked highlighting, in the browser (``assets/benchmark.js``): hovering or clicking a region in any
chart or the map highlights it everywhere without a server round trip."""

from __future__ import annotations

import dash
from dash import ALL, ClientsideFunction, Input, Output, State

from observatory.pages.benchmark.common import CHARTS, ids


def register_clientside(app: dash.Dash) -> None:
    app.clientside_callback(
        ClientsideFunction(namespace="benchmark", function_name="pick"),
        Output(ids("highlight"), "data"),
        *[Input(ids(name), "hoverData") for name in CHARTS],
        *[Input(ids(name), "clickData") for name in CHARTS if name != "map"],
        State(ids("highlight"), "data"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        ClientsideFunction(namespace="benchmark", function_name="focus"),
        Output(ids("highlight"), "data", allow_duplicate=True),
        Input({"type": ids("focus"), "region": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        ClientsideFunction(namespace="benchmark", function_name="highlight"),
        *[Output(ids(name), "figure", allow_duplicate=True) for name in CHARTS],
        Input(ids("highlight"), "data"),
        *[Input(ids(name), "figure") for name in CHARTS],
        prevent_initial_call=True,
    )

    app.clientside_callback(
        ClientsideFunction(namespace="benchmark", function_name="label"),
        Output(ids("highlight-label"), "children"),
        Input(ids("highlight"), "data"),
        State(ids("names"), "data"),
    )
