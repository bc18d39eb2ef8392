"""The benchmark page's layout: controls set from the view state, empty charts that the render
callback fills, and the option lists of its dropdowns."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from observatory.analysis.map_measures import indicator_group
from observatory.analysis.peers import EXCLUDED_FROM_SIMILARITY, METHOD_LABELS, METHODS
from observatory.components.context import PageContext
from observatory.components.share import share_menu
from observatory.components.url_state import address_components
from observatory.figures import benchmark as figs
from observatory.model import Observatory
from observatory.pages.benchmark.common import (
    GRAPH_CONFIG,
    MAP_CONFIG,
    N_CHOICES,
    SCHEME_LABELS,
    ids,
    messages,
)
from observatory.pages.benchmark.controller import binding, query_string
from observatory.state.benchmark_view import BenchmarkView
from observatory.text import fold


# -- option lists (computed once per build where they do not depend on the view) --------------------
def region_options(obs: Observatory) -> list[dict]:
    """Every NUTS 2 region: "Name (CODE) · Country", searchable by code, Latin and native name."""
    return obs.derived.get(_region_options)


def _region_options(obs: Observatory) -> list[dict]:
    nuts2 = obs.regions_at(2).reset_index(drop=True).sort_values(["country", "nuts_id"])
    options = []
    for code, name, native, country in zip(nuts2["nuts_id"], nuts2["name_latn"], nuts2["name_native"],
                                           nuts2["country"], strict=True):
        native_text = f" · {native}" if isinstance(native, str) and native and native != name else ""
        options.append({"label": f"{name} ({code}) · {obs.country_name(country)}{native_text}", "value": code,
                        "search": f"{code} {name} {native or ''} {fold(name)} {fold(native or '')}"})
    return options


def indicator_options(obs: Observatory) -> list[dict]:
    """Indicators with NUTS 2 data, structural ones marked with their dimension."""
    return obs.derived.get(_indicator_options)


def _indicator_options(obs: Observatory) -> list[dict]:
    options = []
    for indicator in obs.indicator_ids():
        if 2 not in obs.indicator_levels(indicator):
            continue
        spec = obs.indicator(indicator)
        note = " (not used to find peers)" if indicator in EXCLUDED_FROM_SIMILARITY else ""
        group = indicator_group(spec)
        options.append({"label": f"{spec['label']} — {group}{note}", "value": indicator, "group": group,
                        "search": f"{spec['label']} {group} {fold(str(spec['label']))}"})
    options.sort(key=lambda o: (o["group"].casefold(), o["label"].casefold()))
    return [{k: v for k, v in option.items() if k != "group"} for option in options]


def year_options(obs, indicator: str | None) -> list[dict]:
    years = obs.indicator_years(indicator, 2) if indicator else []
    return [{"label": str(y), "value": int(y)} for y in reversed(years)]


def scatter_year_options(obs, x: str | None, y: str | None) -> list[dict]:
    years = sorted(set(obs.indicator_years(x, 2)) | set(obs.indicator_years(y, 2))) if x and y else []
    return [{"label": str(v), "value": int(v)} for v in reversed(years)]


# -- components ---------------------------------------------------------------------------------------
def _label(text: str, target: str) -> html.Label:
    return html.Label(text, htmlFor=target, className="form-label fw-semibold small mb-1")


def controls(obs, state: BenchmarkView) -> html.Div:
    return html.Div([
        html.Div([
            _label("1. Region to benchmark", ids("region")),
            dcc.Dropdown(id=ids("region"), options=region_options(obs), value=state.region, clearable=False,
                         placeholder="Search a NUTS 2 region by name or code, or click the map",
                         search_order="original"),
        ], className="mb-3"),
        html.Div([
            html.Div("2. Peers", className="form-label fw-semibold small mb-1"),
            dbc.Checklist(id=ids("methods"), value=list(state.methods), className="mb-2",
                          options=[{"label": METHOD_LABELS[m], "value": m} for m in METHODS]),
            dbc.Row([
                dbc.Col([_label("How many (structural / priority)", ids("n")),
                         dcc.Dropdown(id=ids("n"), value=state.n, clearable=False, searchable=False,
                                      options=[{"label": str(v), "value": v}
                                               for v in sorted({*N_CHOICES, state.n})])], width=6),
                dbc.Col([dbc.Switch(id=ids("xc"), value=state.exclude_same_country,
                                    label="Exclude same country", className="mt-4")], width=6),
            ], className="mb-2"),
            _label("Priority peers compare", ids("scheme")),
            dcc.Dropdown(id=ids("scheme"), value=state.scheme, clearable=False, searchable=False,
                         options=[{"label": v, "value": k} for k, v in SCHEME_LABELS.items()]),
            dbc.Switch(id=ids("nat"), value=state.include_national, className="mt-2",
                       label="Count national strategies too"),
            _label("Hand-pick a peer", ids("add")),
            dcc.Dropdown(id=ids("add"), options=region_options(obs), value=None, clearable=True,
                         placeholder="Add a region by name or code (or click the map)",
                         search_order="original"),
            html.Div(id=ids("removed"), className="small mt-2"),
        ], className="mb-3"),
    ], className="bench-controls")


def chart_controls(obs, state: BenchmarkView) -> dict[str, html.Div]:
    opts = indicator_options(obs)
    return {
        "indicator": dbc.Row([
            dbc.Col([_label("Indicator (bars and time series)", ids("indicator")),
                     dcc.Dropdown(id=ids("indicator"), options=opts, value=state.indicator, clearable=False,
                                  optionHeight=45)], md=8),
            dbc.Col([_label("Year (bars)", ids("year")),
                     dcc.Dropdown(id=ids("year"), options=year_options(obs, state.indicator),
                                  value=state.year, placeholder="latest", clearable=True)], md=4),
        ], className="mb-2"),
        "scatter": dbc.Row([
            dbc.Col([_label("Scatter: x axis", ids("x")),
                     dcc.Dropdown(id=ids("x"), options=opts, value=state.x, clearable=False,
                                  optionHeight=45)], md=5),
            dbc.Col([_label("y axis", ids("y")),
                     dcc.Dropdown(id=ids("y"), options=opts, value=state.y, clearable=False,
                                  optionHeight=45)], md=5),
            dbc.Col([_label("Year", ids("sy")),
                     dcc.Dropdown(id=ids("sy"), options=scatter_year_options(obs, state.x, state.y),
                                  value=state.scatter_year, placeholder="latest common",
                                  clearable=True)], md=2),
        ], className="mb-2"),
    }


def method_note() -> html.Details:
    return html.Details([
        html.Summary("How peers are found"),
        html.Ul([
            html.Li("Structurally similar: inspired by the JRC / Orkestra regional benchmarking method "
                    "(Navarro et al. 2014). Only structural indicators, grouped in dimensions; each "
                    "indicator standardised across NUTS 2 regions (z-scores, log scale for strongly "
                    "skewed ones); "
                    "distance = root mean square of the z-score differences within each dimension, then "
                    "over the dimensions, each dimension weighted equally; only indicators both regions "
                    "have count, and coverage is reported."),
            html.Li("Same country: every other NUTS 2 region of the country, nearest first."),
            html.Li("Shared S3 priorities: Jaccard similarity (shared terms / all terms of both) of the "
                    "taxonomy terms tagged on the priorities of the strategies covering each region."),
            html.Li("Hand-picked: added with the search box or by clicking the map; any peer can be "
                    "removed."),
            html.Li(["The full method, the indicators per dimension and the reasons are in the project's "
                     "docs/benchmarking.md."]),
        ], className="small mb-0"),
    ], className="bench-method mb-2")


#: The page's charts that can be exported, by graph name: (export name, label for the menu).
EXPORTS = {"bars": ("bench-bars", "the ranked values"), "series": ("bench-series", "the time series"),
           "profile": ("bench-profile", "the structural profile"),
           "scatter": ("bench-scatter", "the scatter"),
           "overlap": ("bench-priorities", "the shared S3 priorities")}


def _graph(name: str, config: dict | None = None, query: str = "") -> html.Div | dcc.Loading:
    graph = dcc.Graph(id=ids(name), config=config or GRAPH_CONFIG, figure=figs.empty_figure("", ""),
                      clear_on_unhover=False, className=f"bench-graph bench-{name}")
    loading = dcc.Loading(graph, type="dot", delay_show=400)
    if name not in EXPORTS:
        return loading
    chart, label = EXPORTS[name]
    return html.Div([loading, share_menu(chart, label=label, query=query, menu_id=ids(f"share-{name}"))])


def deck_link(query: str) -> html.Section:
    """All the benchmark in one PowerPoint file (title, key figures, peers, every chart).

    "Prepare" runs as a background job with its progress shown (``observatory.web.background``);
    the plain link makes the same file within the request, for a browser without JavaScript.
    """
    return html.Section([
        html.H2("The benchmark as a PowerPoint deck", className="visually-hidden"),
        html.Button("Prepare the benchmark as a PowerPoint deck", id=ids("deck-prepare"), n_clicks=0,
                    type="button", className="btn btn-outline-primary btn-sm me-2"),
        html.A("or download it directly", id=ids("deck"), href=f"/export/benchmark-deck.pptx{query}",
               className="small", **{"data-deck": "1", "download": ""}),
        html.Div([
            html.Progress(id=ids("deck-progress"), value="0", max="100", className="me-2 align-middle",
                          **{"aria-label": "Deck preparation"}),
            html.Span(id=ids("deck-progress-text"), className="small"),
        ], id=ids("deck-working"), hidden=True, className="mt-1"),
        html.Div(id=ids("deck-result"), className="mt-1", **{"aria-live": "polite"}),
    ], className="mb-2 bench-deck")


def layout(context: PageContext, **query: object) -> html.Div:
    obs = context.obs
    state, errors = BenchmarkView.from_query(query_string(query), obs)
    chart_ctl = chart_controls(obs, state)
    query = state.to_query()
    return html.Div([
        *address_components(binding(context), state),
        dcc.Store(id=ids("peers"), data=[]),
        dcc.Store(id=ids("names"), data={}),
        dcc.Store(id=ids("highlight"), data=None),
        html.H1("Benchmark a region against its peers", className="h4 mt-1 mb-2"),
        html.Div(messages(errors), id=ids("alerts"), role="status"),
        html.Div(id=ids("summary"), className="mb-2", **{"aria-live": "polite"}),
        method_note(),
        dbc.Row([
            dbc.Col(controls(obs, state), lg=4, md=5),
            dbc.Col([_graph("map", MAP_CONFIG)], lg=8, md=7),
        ], className="g-3"),
        html.Div(id=ids("notes"), className="small text-muted mb-2", role="status"),
        html.H2("3. Why these peers", className="h5 mt-3"),
        html.Div(id=ids("table"), className="bench-table-wrap"),
        html.H2("4. Compare", className="h5 mt-3"),
        html.Div(id=ids("highlight-label"), className="small fw-semibold mb-2 bench-highlight-label",
                 role="status", **{"aria-live": "polite"}),
        deck_link(query),
        chart_ctl["indicator"],
        dbc.Row([dbc.Col(_graph("bars", query=query), lg=6), dbc.Col(_graph("series", query=query), lg=6)],
                className="g-3"),
        dbc.Row([dbc.Col(_graph("profile", query=query), lg=12)], className="g-3"),
        chart_ctl["scatter"],
        dbc.Row([dbc.Col(_graph("scatter", query=query), lg=12)], className="g-3"),
        dbc.Row([dbc.Col(_graph("overlap", query=query), lg=12)], className="g-3"),
    ], className="benchmark")
