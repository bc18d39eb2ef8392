"""Benchmarking (``/benchmark``): a region's peers, why they are peers, and linked comparison charts.

The whole view lives in the URL (:class:`~observatory.state.benchmark_view.BenchmarkView`): region,
peer methods and their options, hand-picked additions and removals, chosen indicators and years.

Data flow, one direction; one module each:

1. ``layout``: parses the query, sets every control, and stores the canonical query string.
2. ``controller``: the shared address controller (``observatory.components.url_state``) turns any
   control change, a map click or a remove/restore button into a new state, re-validated through
   its query string; it writes the URL (no page reload) and the state store. Back/forward changes
   the URL instead: the controls then follow it.
3. ``charts`` (the render callback registered here) draws everything from the stored state: peers,
   explanation table (``peer_table``), five charts and the map.
4. ``clientside``: linked highlighting never calls the server; hover/click on any chart or the map
   highlights the region in every chart and the map.
"""

from __future__ import annotations

import dash
from dash import Input, Output

from observatory.components.address import current_query
from observatory.components.context import PageContext
from observatory.components.url_state import AddressUpdate, register_address
from observatory.pages.benchmark.charts import draw
from observatory.pages.benchmark.clientside import register_clientside
from observatory.pages.benchmark.common import CHARTS, PATH, ids, messages
from observatory.pages.benchmark.controller import binding
from observatory.pages.benchmark.layout import layout, scatter_year_options, year_options
from observatory.pages.page import Page
from observatory.state.benchmark_view import BenchmarkView


def title(context: PageContext, **_variables: object) -> str:
    """The page title names the region benchmarked (a shared link previews as what it shows)."""
    state, _ = BenchmarkView.from_query(current_query(), context.obs)
    region = context.obs.region(state.region) if state.region else None
    if region is None:
        return "Benchmark a region – S3 Observatory"
    return f"Benchmark {region.name} ({region.code}) against its peers – S3 Observatory"


PAGES = (Page(key=__name__, path=PATH, layout=layout, title=title,
              description="Find a region's structurally similar peers and compare them in linked charts.",
              nav="Benchmark", order=4),)

#: What the render callback draws from the stored state.
RENDERED = {
    "figures": {name: Output(ids(name), "figure") for name in CHARTS},
    "summary": Output(ids("summary"), "children"),
    "table": Output(ids("table"), "children"),
    "notes": Output(ids("notes"), "children"),
    "removed": Output(ids("removed"), "children"),
    "peers": Output(ids("peers"), "data"),
    "names": Output(ids("names"), "data"),
}


def register(app: dash.Dash, context: PageContext) -> None:
    def options(update: AddressUpdate[BenchmarkView]) -> dict:
        state = update.state
        return {"year": year_options(context.obs, state.indicator),
                "sy": scatter_year_options(context.obs, state.x, state.y)}

    register_address(app, context, binding(context), messages=messages, render=options,
                     outputs={"year": Output(ids("year"), "options"), "sy": Output(ids("sy"), "options")})

    @app.callback(output=RENDERED, inputs={"stored": Input(ids("state"), "data")})
    def render(stored: str):
        """Everything drawn from the state: peers, their explanation, the charts and the map."""
        state, _ = BenchmarkView.from_query(stored, context.obs)
        return draw(context.obs, state)

    register_clientside(app)
