"""The frame around every page: a skip link, the navigation, the page as the ``<main>`` landmark,
and the attribution footer; and the HTML document Dash renders it into.

Made for every visitor: the navbar collapses behind a toggler on narrow screens (its open state is
toggled in the browser, ``assets/shell.js``), keyboard users can jump past it, and the document
declares its language so screen readers pronounce it right.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import escape as html_escape

import dash
import dash_bootstrap_components as dbc
import flask
from dash import ClientsideFunction, Input, Output, State, dcc, html

from observatory.sources.catalogue import GISCO_ATTRIBUTION

#: Dash's own index, with the document's language and without Dash's ``<footer>`` around its
#: scripts (a second ``contentinfo`` landmark beside the real footer would confuse screen readers).
INDEX_STRING = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <div class="dash-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>"""

MAIN_ID = "main-content"


def shell(navigation: list[tuple[str, str]]) -> html.Div:
    """The page frame; ``navigation``: (label, path) of the navbar's pages, in order."""
    nav = dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand("S3 Observatory", href="/"),
            dbc.NavbarToggler([html.Span(className="navbar-toggler-icon"),
                               html.Span("Menu", className="visually-hidden")], id="nav-toggler"),
            dbc.Collapse(
                dbc.Nav([dbc.NavItem(dbc.NavLink(label, href=href, active="exact"))
                         for label, href in navigation], navbar=True),
                id="nav-collapse", navbar=True, is_open=False,
            ),
        ], fluid=True),
        color="dark", dark=True, expand="md", className="mb-2 site-nav",
    )
    footer = html.Footer(
        dbc.Container([
            html.Small([
                f"Data: Eurostat, European Commission (RIS, RCI), GISCO ({GISCO_ATTRIBUTION}) and S3 records "
                "with a source on every row. ",
                dcc.Link("Sources, licences and coverage", href="/about/data"),
            ], className="site-footer-text"),
        ], fluid=True),
        className="border-top mt-4 py-2",
    )
    return html.Div([
        html.A("Skip to the content", href=f"#{MAIN_ID}", className="skip-link"),
        nav,
        html.Main(dbc.Container(dash.page_container, fluid=True, id="page"), id=MAIN_ID, tabIndex="-1"),
        footer,
    ])


def register_shell(app: dash.Dash) -> None:
    """The navbar toggler, in the browser (``assets/shell.js``)."""
    app.clientside_callback(
        ClientsideFunction(namespace="shell", function_name="toggle"),
        Output("nav-collapse", "is_open"),
        Input("nav-toggler", "n_clicks"),
        Input("_pages_location", "pathname"),
        State("nav-collapse", "is_open"),
        prevent_initial_call=True,
    )


_OG_TITLE = re.compile(r'<meta property="og:title" content="([^"]*)"')


def with_page_titles(interpolate_index: Callable[..., str]) -> Callable[..., str]:
    """Dash's ``interpolate_index`` with the page's own title in ``<title>`` (Dash writes the page's
    title only into its link-preview tags and sets the document's title later, in the browser):
    a shared link, a bookmark or a search result then names what the page shows.

    It also leaves out of the page the component libraries that only some pages use
    (:func:`load_library_on`), and names the fingerprinted plotly.js (:func:`plotly_tags`)."""

    def interpolate(**parts: str) -> str:
        found = _OG_TITLE.search(parts.get("metas", ""))
        if found:
            parts["title"] = found.group(1)  # already HTML-escaped in the meta tag
        if flask.has_request_context():
            scripts = _lazy_libraries(parts.get("scripts", ""), flask.request.path)
            parts["scripts"] = _combine_assets(_polyfill_for_old_browsers(scripts))
            parts["css"] = _combine_assets(parts.get("css", ""))
            parts["metas"] = (parts.get("metas", "") + _app_preloads(parts.get("config", ""))
                              + plotly_tags(flask.request.path))
        return interpolate_index(**parts)

    return interpolate


# -- component libraries loaded only where they are used -------------------------------------------
#
# Dash puts every imported component library's script into every page, before the app starts: AG
# Grid (1.3 MB, 360 KB compressed) was a quarter of the map's first visit although only the
# strategies table uses it. A library registered here is left out of every other page's HTML; a
# ``<template data-lazy-library>`` names its script instead, and ``assets/lazy-libraries.js``
# stands in for its components: if the user then goes to a page using it without reloading (a link,
# back/forward), the stand-in loads the script once and renders the real component.

#: namespace -> (component names, request paths whose HTML loads it up front)
_LAZY: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}


def load_library_on(namespace: str, components: tuple[str, ...], *paths: str) -> None:
    """Load the component library ``namespace`` up front only on ``paths`` (as requested, with the
    app's prefix); elsewhere on demand. ``components``: the names the pages use from it."""
    known, where = _LAZY.get(namespace, ((), frozenset()))
    _LAZY[namespace] = (tuple(dict.fromkeys((*known, *components))), where | frozenset(paths))


_PREFIX = re.compile(r'"requests_pathname_prefix":\s*"([^"]*)"')


def _app_preloads(config: str) -> str:
    """Preloads of the two requests Dash's renderer makes first (the layout and the callbacks'
    graph), so they come while its scripts download instead of after they have run. Same URL and
    mode as the renderer's ``fetch`` (same-origin credentials: ``crossorigin``), so it uses them."""
    found = _PREFIX.search(config)
    prefix = html_escape(json.loads(f'"{found.group(1)}"') if found else "/")  # JSON-escaped ("\u002f")
    return "".join(f'<link rel="preload" as="fetch" href="{prefix}{name}" crossorigin>'
                   for name in ("_dash-layout", "_dash-dependencies"))


_POLYFILL = re.compile(r'<script (src="[^"]*/_dash-component-suites/dash/deps/polyfill@[^"]*\.js")></script>')


def _polyfill_for_old_browsers(scripts: str) -> str:
    """Dash's babel polyfill (100 KB, 30 KB compressed) only for browsers without ES modules: every
    browser with modules has what it fills in, and skips a ``nomodule`` script without fetching it."""
    return _POLYFILL.sub(r"<script \1 nomodule></script>", scripts)


#: Where Dash serves a library's scripts, when not under its own namespace.
_SUITES = {"dash_table": "dash/dash_table"}


def _lazy_libraries(scripts: str, path: str) -> str:
    for namespace, (components, paths) in _LAZY.items():
        if path in paths or path.rstrip("/") in paths:
            continue
        suite = re.escape(_SUITES.get(namespace, namespace))
        tag = re.compile(r'<script src="([^"]*/_dash-component-suites/' + suite + r'/[^"]*\.js)"></script>')
        stand_in = (f'<template data-lazy-library="{html_escape(namespace)}" '
                    f'data-components="{html_escape(",".join(components))}" data-src="{{}}"></template>')
        scripts = tag.sub(lambda m, markup=stand_in: markup.format(html_escape(m.group(1))), scripts)
    return scripts


# Dash imports its DataTable, so every page loaded it; no page uses it (stand-in if one ever does).
load_library_on("dash_table", ("DataTable",))

#: Set by the server (``observatory.web.static_assets``): the index's asset tags, combined.
_ASSET_COMBINER: list[Callable[[str], str]] = []


def set_asset_combiner(combine: Callable[[str], str]) -> None:
    """How the index's consecutive ``assets/`` tags become one (one function per process)."""
    _ASSET_COMBINER[:] = [combine]


def _combine_assets(fragment: str) -> str:
    return _ASSET_COMBINER[0](fragment) if _ASSET_COMBINER else fragment


#: Set by the server (``observatory.web.plotly_bundle``): path -> the HTML for the plotly bundle.
_PLOTLY_TAGS: list[Callable[[str], str]] = []


def set_plotly_tags(tags: Callable[[str], str]) -> None:
    """How a page's ``<head>`` names the fingerprinted plotly.js (one function per process)."""
    _PLOTLY_TAGS[:] = [tags]


def plotly_tags(path: str) -> str:
    return _PLOTLY_TAGS[0](path) if _PLOTLY_TAGS else ""
