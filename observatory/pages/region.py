"""Region profile, ``/region/<NUTS code>``: names, hierarchy, locator map, the strategies covering
the region with their priorities, its partnerships and its key figures.

The whole page is drawn server-side in one pass (no callbacks): a profile is a document that is
linked to, shared and printed, and it should arrive complete. Queries live in
``observatory.analysis.profile``, the pieces in ``observatory.components.cards``.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from observatory.analysis import profile
from observatory.components import cards, graphs
from observatory.components.context import PageContext
from observatory.components.ids import Ids
from observatory.components.share import share_menu
from observatory.figures.choropleth import Colouring, choropleth
from observatory.figures.profile import sparkline_spec, trend_title
from observatory.model import Observatory, Region
from observatory.pages.not_found import not_found_content
from observatory.pages.page import Page
from observatory.sources.catalogue import GISCO_ATTRIBUTION
from observatory.state.query import shown, to_query

ids = Ids("profile")

#: The variable is not called ``code``: Dash passes query parameters to the layout too, and a
#: ``?code=...`` in a link must not override the path.
PATH_TEMPLATE = "/region/<region_code>"
LEVEL_NAMES = {0: "Country (NUTS 0)", 1: "NUTS 1", 2: "NUTS 2", 3: "NUTS 3"}


def term_map_href(term: str, region: Region | None = None) -> str:
    """The map at NUTS 2 coloured by the regions whose strategies have a priority with ``term``.

    Parameter names follow the map's URL contract (``observatory.state.map_view``,
    docs/url-parameters.md): ``measure=term&term=<id>&level=2``; a NUTS 2 region is also selected.
    """
    params: dict[str, object] = {"level": 2, "measure": "term", "term": term}
    if region is not None and region.level == 2:
        params["region"] = region.code
    return "/" + to_query(params)


def _hierarchy(obs: Observatory, region: Region) -> html.Nav:
    steps = profile.hierarchy(obs, region.code)
    items = []
    for step in steps:
        label = f"{step.name} ({step.code})"
        if step.code == region.code:
            items.append(html.Li(label, className="breadcrumb-item active", **{"aria-current": "page"}))
        else:
            items.append(html.Li(dcc.Link(label, href=f"/region/{step.code}"), className="breadcrumb-item"))
    return html.Nav(html.Ol(items, className="breadcrumb mb-1"), **{"aria-label": "NUTS hierarchy"},
                    id=ids("hierarchy"))


def _children(obs: Observatory, region: Region) -> html.Div | None:
    kids = obs.children(region.code)
    if kids.empty:
        return None
    links = []
    for code, name in zip(kids["nuts_id"], kids["name_latn"], strict=True):
        links += [dcc.Link(f"{name} ({code})", href=f"/region/{code}"), " · "]
    return html.Div([html.Span(f"Contains ({len(kids)}): ", className="text-muted"), *links[:-1]],
                    className="small mb-2")


def _locator(context: PageContext, region: Region) -> dcc.Graph:
    obs = context.obs
    codes = profile.locator_regions(obs, region.code)
    names = [str(obs.regions.loc[c, "name_latn"]) for c in codes]
    colouring = Colouring(categories=["this region" if c == region.code else None for c in codes],
                          category_colours={"this region": "#d62728"}, show_scale=False,
                          no_data_label=f"other {LEVEL_NAMES[region.level]} regions")
    figure = choropleth(
        context.urls.boundaries(region.level), codes, colouring, names=names, selected=region.code,
        view=(profile.locator_frame(obs, codes) or region.view) if region.level > 0 else region.view,
        title="", source=GISCO_ATTRIBUTION, height=260, uirevision=None,
    )
    figure.update_layout(showlegend=False, dragmode=False)
    return dcc.Graph(id=ids("locator"), figure=figure, config={**graphs.STATIC, "scrollZoom": False},
                     style={"height": "260px"}, className="border rounded")


#: Above this many strategies of parts of a region (a country's regional strategies), they are
#: listed compactly, each linking to its own territory's profile, instead of as full cards.
MAX_WITHIN_CARDS = 3


def _strategies(obs: Observatory, region: Region) -> list:
    strategies = profile.covering_strategies(obs, region.code)
    if strategies.empty:
        return [cards.no_record_notice(region.name)]
    within = strategies["relation"] == "within"
    compact = int(within.sum()) > MAX_WITHIN_CARDS
    shown = strategies[~within] if compact else strategies
    priorities = profile.priorities_with_tags(obs, shown["strategy_id"].tolist())
    contacts = profile.contact_points(obs, shown["strategy_id"].tolist())
    out: list = []
    if within.all():
        out.append(dbc.Alert("No strategy record covers this whole region; the strategies below cover parts "
                             "of it.", color="light", className="small"))

    def chip_href(term: str) -> str:
        return term_map_href(term, region)

    for _, strategy in shown.iterrows():
        own = priorities[priorities["strategy_id"] == strategy["strategy_id"]]
        out.append(cards.strategy_card(strategy, own, chip_href,
                                       open_priorities=strategy["relation"] != "within",
                                       contacts=contacts[strategy["strategy_id"]]))
    if compact:
        out.append(_within_list(strategies[within]))
    return out


def _within_list(strategies: pd.DataFrame) -> html.Section:
    """Strategies of parts of the region, one line each, linking to the part's profile."""
    rows = [html.Tr([
        html.Td(dcc.Link(cards.text(s["territory_label"]), href=f"/region/{s['territory_code']}")),
        html.Td(cards.text(s["period"])),
        html.Td(cards.text(s["title"]), className="small"),
        html.Td(str(s["priority_count"]) if s["priority_count"] else "none recorded", className="small"),
    ], className="within-strategy", **{"data-strategy": cards.text(s["strategy_id"])})
        for _, s in strategies.iterrows()]
    head = html.Thead(html.Tr([html.Th("Part of this region"), html.Th("Period"), html.Th("Title (original)"),
                               html.Th("Priorities")]))
    return html.Section([
        html.H3(f"Strategies covering parts of this region ({len(strategies)})", className="h5 mt-3"),
        html.P("Open a part's profile for its strategy card and priorities.", className="small text-muted"),
        dbc.Table([head, html.Tbody(rows)], size="sm", striped=True, responsive=True),
    ], id=ids("within"))


def _figures(obs: Observatory, region: Region) -> html.Div:
    figures = profile.key_figures(obs, region.code)
    if not figures:
        return html.Div("No headline indicator is available in this data build.", className="text-muted")
    country = obs.country_name(region.country)
    tiles = []
    for figure in figures:
        proxy = obs.region(figure.region)
        spark = sparkline_spec(figure.trend, title=trend_title(figure.trend), unit=figure.unit,
                          source=figure.attribution) if len(figure.trend) > 1 else None
        menu = share_menu("region-series", label=f"{figure.label}, {region.name}", live=False,
                          query=to_query({"region": region.code, "ind": figure.indicator}),
                          menu_id=ids(f"share-{figure.indicator}")) if figure.value is not None else None
        tiles.append(dbc.Col([cards.figure_tile(
            figure, region_name=region.name,
            proxy_name=f"{proxy.name} ({proxy.code})" if proxy else figure.region,
            country_name=country, sparkline=spark), menu], xs=12, sm=6, lg=3, className="mb-3"))
    return html.Div([
        dbc.Row(tiles, className="g-2"),
        html.P("Ranks count only regions of the same NUTS level with a value in that year; the EU rank "
               "counts the 27 member states' regions. Values, flags and years are as published.",
               className="small text-muted"),
    ], id=ids("figures"))


def known_prefix(obs: Observatory, code: str) -> str:
    """The longest start of an unknown code that is a region ('ITH9' -> 'ITH'), to suggest its parts."""
    code = code.strip().upper()
    for length in range(min(len(code), 5) - 1, 1, -1):
        if obs.region(code[:length]) is not None:
            return code[:length]
    return ""


def _title(context: PageContext, region_code: str | None = None, **_kwargs: object) -> str:
    region = context.obs.region(region_code or "")
    return f"{region.name} – S3 Observatory" if region else "Region not found – S3 Observatory"


def layout(context: PageContext, region_code: str | None = None, **_query: object) -> html.Div:
    obs = context.obs
    code = region_code
    region = obs.region(code or "")
    if region is None:
        return not_found_content(context,
                                 f"There is no NUTS 2021 region with the code “{shown(code or '')}”. "
                                 "Search for the region by name or code:",
                                 query=known_prefix(obs, code or ""))
    names = [html.H1(region.name, className="h2 mb-0", id=ids("name"))]
    if region.native_name and region.native_name != region.name:
        names.append(html.Div(region.native_name, className="fs-5 text-muted", id=ids("native-name")))
    header = dbc.Row([
        dbc.Col([
            *names,
            html.Div([dbc.Badge(region.code, color="dark", className="me-2"), LEVEL_NAMES[region.level]],
                     className="my-2"),
            _hierarchy(obs, region),
            _children(obs, region),
            html.Div([dcc.Link("Show on the map",
                               href="/" + to_query({"level": region.level, "region": region.code})),
                      *([" · ", dcc.Link("Benchmark this region against its peers",
                                         href="/benchmark" + to_query({"region": region.code[:4]}),
                                         id=ids("benchmark-link"))] if region.level >= 2 else [])],
                     className="small"),
        ], md=8),
        dbc.Col(_locator(context, region), md=4),
    ], className="mb-3")
    partnerships = profile.region_partnerships(obs, region.code)
    return html.Div([
        header,
        html.Section([html.H2("Smart specialisation strategies", className="h3"), *_strategies(obs, region)],
                     id=ids("strategies")),
        html.Section([html.H2("Partnerships", className="h3"), cards.partnership_rows(partnerships),
                      html.P("Member lists are often partial (see each partnership's notes).",
                             className="small text-muted mt-1")], id=ids("partnerships"), className="mb-4"),
        html.Section([html.H2("Key figures", className="h3"), _figures(obs, region)]),
    ], className="region-profile", **{"data-region": region.code})


def _description(context: PageContext, region_code: str | None = None, **_kwargs: object) -> str:
    region = context.obs.region(region_code or "")
    if region is None:
        return "No NUTS 2021 region has this code."
    return (f"{region.name} ({region.code}, {LEVEL_NAMES[region.level]}): its smart specialisation "
            "strategies and priorities, partnerships and key figures, each with its source.")


PAGES = (Page(key=__name__, path=PATH_TEMPLATE, layout=layout, title=_title, description=_description,
              exists=lambda obs, code: obs.region(code) is not None),)
