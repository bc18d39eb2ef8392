"""The "not found" page: unknown paths, unknown region codes, unknown partnerships.

Dash shows the page registered as ``not_found_404`` for any path no page claims; the region and
partnership pages reuse :func:`not_found_content` for codes that do not exist. The HTTP status
(404) is set by the server from the pages' declarations (``observatory.web.routing``); this module
only draws the page: what was not found, a region search box and the main entry points.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html

from observatory.components.context import PageContext
from observatory.components.ids import Ids
from observatory.model import Observatory, Region
from observatory.pages.page import Page
from observatory.state.query import MAX_TEXT, shown

ids = Ids("nf")

#: The path of the "not found" page itself: visiting it directly is still a 404.
NOT_FOUND_PATH = "/not-found"


def not_found_content(context: PageContext, what: str = "This page does not exist.",
                      query: str = "") -> html.Div:
    """A clear message, a search box (pre-filled with ``query``) and links to the main pages."""
    return html.Div([
        html.H1("Not found", className="h2 mt-3"),
        dbc.Alert(what, color="warning", className="not-found-message"),
        html.Label("Search for a region by name or NUTS code", htmlFor=ids("query"), className="form-label"),
        dbc.Input(id=ids("query"), type="search", value=shown(query)[:MAX_TEXT], debounce=250,
                  placeholder="e.g. Emilia-Romagna, ITH5, Île-de-France", className="mb-2",
                  autocomplete="off", maxLength=MAX_TEXT),
        html.Div(id=ids("results"), className="mb-3"),
        html.P(["Or go to: ", *[dcc.Link(label, href=href, className="me-3")
                                for label, href in context.navigation]]),
    ], className="not-found", style={"maxWidth": "48rem"})


def search_results(obs: Observatory, query: str | None) -> html.Div | str:
    """Links to the profiles of the regions matching ``query`` (best match first)."""
    if not isinstance(query, str) or not query.strip():
        return ""
    matches = obs.search(query[:MAX_TEXT], limit=12)
    if not matches:
        return html.Div(f"No region matches “{shown(query)}”.", className="text-muted search-empty")
    return html.Ul([
        html.Li([dcc.Link(region.name, href=f"/region/{region.code}"),
                 html.Span(_details(region), className="text-muted small")])
        for region in matches
    ], className="search-results")


def _details(region: Region) -> str:
    native = f" · {region.native_name}" if region.native_name and region.native_name != region.name else ""
    return f" {region.code} · NUTS {region.level}{native}"


def layout(context: PageContext, **_query: object) -> html.Div:
    return not_found_content(context)


PAGES = (Page(key="not_found_404", path=NOT_FOUND_PATH, layout=layout, title="Not found – S3 Observatory",
              description="This page does not exist: search for a region, or start from the map.",
              status=404),)


def register(app: dash.Dash, context: PageContext) -> None:
    @app.callback(Output(ids("results"), "children"), Input(ids("query"), "value"))
    def _search(query: str | None):
        return search_results(context.obs, query)
