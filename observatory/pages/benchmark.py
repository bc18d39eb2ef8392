"""Benchmarking (``/benchmark``): a region's peers, why they are peers, and linked comparison charts.

The whole view lives in the URL (:class:`~observatory.state.benchmark_view.BenchmarkView`): region,
peer methods and their options, hand-picked additions and removals, chosen indicators and years.

Data flow, one direction:

1. :func:`layout` parses the query, sets every control, and stores the canonical query string.
2. :func:`update_state` (server) turns any control change, a map click or a remove/restore button
   into a new state, re-validated through its query string; it writes the URL (``dcc.Location``
   with ``refresh=False``: no page reload) and the state store. Back/forward changes the URL
   instead: the same callback then sets every control from it. Every control's current value is
   applied on each change (:func:`with_controls`), so quick successive changes cannot undo each
   other.
3. :func:`render` (server) draws everything from the stored state: peers, explanation table, five
   charts and the map (analysis in ``observatory.analysis.peers`` / ``benchmark_charts``, figures
   in ``observatory.figures.benchmark``).
4. Linked highlighting never calls the server: a clientside callback (``assets/benchmark.js``)
   turns hover/click on any chart or the map into the highlighted region (a ``dcc.Store``), and
   another restyles every chart and the map's outline for it.
"""

from __future__ import annotations

import math
from dataclasses import replace
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update

from observatory.analysis import benchmark_charts as charts
from observatory.analysis.peers import (
    DIMENSION_LABELS,
    EXCLUDED_FROM_SIMILARITY,
    METHOD_LABELS,
    METHODS,
    PeerResult,
    find_peers,
    structural_matrix_for,
)
from observatory.components.address import on_page, page_location
from observatory.components.ids import Ids
from observatory.figures import benchmark as figs
from observatory.state.benchmark_view import MAX_N, BenchmarkView
from observatory.text import fold
from observatory.web.data import get_observatory
from observatory.web.server import boundaries_url

ids = Ids("bench")
PATH = "/benchmark"

CHARTS = ("bars", "profile", "series", "scatter", "overlap", "map")
GRAPH_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"],
                "toImageButtonOptions": {"filename": "s3-observatory-benchmark", "scale": 2}}
MAP_CONFIG = {**GRAPH_CONFIG, "scrollZoom": True, "topojsonURL": "/assets/map-topojson/"}
DIMENSION_COLOURS = {
    "geography_demography": "#E69F00", "economic_structure": "#0072B2", "human_capital": "#009E73",
    "technology_innovation": "#CC79A7", "institutions": "#56B4E9",
}
SCHEME_LABELS = {
    "nace": "NACE sectors (curated tags)",
    "fos": "Fields of science (keyword tags)",
    "policy": "Policy objectives (keyword tags)",
    "all": "All taxonomies",
}
S3_SOURCE = "Source: S3 strategy records compiled from public pages (one source URL per row); tags: own"
STRUCTURAL_SOURCE = ("Sources: Eurostat; EU Regional Competitiveness Index 2022; Nesta EURITO "
                     "(see About the data)")
N_CHOICES = (3, 5, 10, 15, 20, 30, 40, MAX_N)


# -- pure helpers (unit-testable) -------------------------------------------------------------------
def query_string(query: dict) -> str:
    """The page's query kwargs (as Dash passes them to ``layout``) back into ``?a=b`` form."""
    clean = {k: v for k, v in query.items() if isinstance(v, str | list) and not k.endswith("_")}
    return "?" + urlencode(clean, doseq=True) if clean else ""


def region_options(obs) -> list[dict]:
    """Every NUTS 2 region: "Name (CODE) · Country", searchable by code, Latin and native name."""
    nuts2 = obs.regions_at(2).reset_index(drop=True).sort_values(["country", "nuts_id"])
    options = []
    for code, name, native, country in zip(nuts2["nuts_id"], nuts2["name_latn"], nuts2["name_native"],
                                           nuts2["country"], strict=True):
        native_text = f" · {native}" if isinstance(native, str) and native and native != name else ""
        options.append({"label": f"{name} ({code}) · {obs.country_name(country)}{native_text}", "value": code,
                        "search": f"{code} {name} {native or ''} {fold(name)} {fold(native or '')}"})
    return options


def indicator_options(obs) -> list[dict]:
    """Indicators with NUTS 2 data, structural ones marked with their dimension."""
    options = []
    for indicator in obs.indicator_ids():
        if 2 not in obs.indicator_levels(indicator):
            continue
        spec = obs.indicator(indicator)
        kind = ("structural: " + DIMENSION_LABELS.get(spec["dimension"], str(spec["dimension"]))
                if spec["kind"] == "structural" else "performance")
        if indicator in EXCLUDED_FROM_SIMILARITY:
            kind += "; not used to find peers"
        options.append({"label": f"{spec['label']} ({kind})", "value": indicator})
    return sorted(options, key=lambda o: o["label"].casefold())


def year_options(obs, indicator: str | None) -> list[dict]:
    years = obs.indicator_years(indicator, 2) if indicator else []
    return [{"label": str(y), "value": int(y)} for y in reversed(years)]


def scatter_year_options(obs, x: str | None, y: str | None) -> list[dict]:
    years = sorted(set(obs.indicator_years(x, 2)) | set(obs.indicator_years(y, 2))) if x and y else []
    return [{"label": str(v), "value": int(v)} for v in reversed(years)]


def with_controls(state: BenchmarkView, controls: dict) -> BenchmarkView:
    """``state`` with every control's current value (the browser's controls are the truth).

    Applying all of them, not only the one that fired, keeps quick successive changes from undoing
    each other when a callback starts before the previous one's state has come back. Hand-picked
    additions and removals are not controls: they come from ``state``.
    """
    region = controls.get("region") or state.region
    new = state.with_region(region)
    years = {"year": controls.get("year"), "sy": controls.get("sy")}
    return replace(
        new,
        methods=tuple(m for m in METHODS if m in (controls.get("methods") or [])),
        n=int(controls.get("n") or new.n),
        exclude_same_country=bool(controls.get("xc")),
        scheme=str(controls.get("scheme") or new.scheme),
        include_national=bool(controls.get("nat")),
        indicator=controls.get("indicator") or new.indicator,
        year=int(years["year"]) if years["year"] else None,
        x=controls.get("x") or new.x,
        y=controls.get("y") or new.y,
        scatter_year=int(years["sy"]) if years["sy"] else None,
    )


def transition(state: BenchmarkView, trigger: str | dict | None, value, peers: list[str]) -> BenchmarkView:
    """The state after one event (``trigger``: a control's id suffix or a pattern id) that is more than
    setting a control: adding, removing or restoring a peer, a map click, or a choice that resets another
    (a new indicator shows its latest year; new scatter axes their latest common year)."""
    if isinstance(trigger, dict):
        code = str(trigger.get("region", ""))
        if trigger.get("type") == ids("remove"):
            return state.with_removed(code)
        if trigger.get("type") == ids("restore"):
            return replace(state, removed=tuple(c for c in state.removed if c != code))
        return state
    updates = {
        "add": lambda: state.with_added(str(value)) if value else state,
        "indicator": lambda: replace(state, year=None),
        "x": lambda: replace(state, scatter_year=None),
        "y": lambda: replace(state, scatter_year=None),
        "map": lambda: _map_toggle(state, value, peers),
    }
    step = updates.get(str(trigger).removeprefix(ids(""))) if trigger else None
    return step() if step else state


def _map_toggle(state: BenchmarkView, click, peers: list[str]) -> BenchmarkView:
    points = (click or {}).get("points") or [{}]
    code = points[0].get("location")
    if not code:
        return state
    if state.region is None:
        return state.with_region(str(code))
    return state.with_toggled(str(code), peers)


def _number(value, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.{digits}f}"


# -- components ---------------------------------------------------------------------------------
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


def messages(errors: list[str]) -> list:
    if not errors:
        return []
    return [dbc.Alert([html.Strong("Some link parameters were not understood. "),
                       html.Ul([html.Li(message) for message in errors], className="mb-0")],
                      color="warning", dismissable=True, className="bench-url-errors py-2")]


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


def _graph(name: str, config: dict | None = None) -> dcc.Loading:
    graph = dcc.Graph(id=ids(name), config=config or GRAPH_CONFIG, figure=figs.empty_figure("", ""),
                      clear_on_unhover=False, className=f"bench-graph bench-{name}")
    return dcc.Loading(graph,
                       type="dot", delay_show=400)


def layout(**query: object) -> html.Div:
    obs = get_observatory()
    state, errors = BenchmarkView.from_query(query_string(query), obs)
    chart_ctl = chart_controls(obs, state)
    return html.Div([
        page_location(ids("url")),
        dcc.Store(id=ids("state"), data=state.to_query()),
        dcc.Store(id=ids("peers"), data=[]),
        dcc.Store(id=ids("names"), data={}),
        dcc.Store(id=ids("highlight"), data=None),
        html.H1("Benchmark a region against its peers", className="h4 mt-1 mb-2"),
        html.Div(messages(errors), id=ids("alerts"), role="status"),
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
        chart_ctl["indicator"],
        dbc.Row([dbc.Col(_graph("bars"), lg=6), dbc.Col(_graph("series"), lg=6)], className="g-3"),
        dbc.Row([dbc.Col(_graph("profile"), lg=12)], className="g-3"),
        chart_ctl["scatter"],
        dbc.Row([dbc.Col(_graph("scatter"), lg=12)], className="g-3"),
        dbc.Row([dbc.Col(_graph("overlap"), lg=12)], className="g-3"),
    ], className="benchmark")


# -- the peer table -------------------------------------------------------------------------------
def contribution_bar(row: pd.Series, dimensions: tuple[str, ...]) -> html.Div:
    """A small stacked bar: each dimension's share of the squared distance, with the numbers as text."""
    parts, words = [], []
    for d in dimensions:
        share = row.get(f"share:{d}")
        dist = row.get(f"dist:{d}")
        if share is None or (isinstance(share, float) and math.isnan(share)):
            if dist is None or (isinstance(dist, float) and math.isnan(dist)):
                words.append(f"{DIMENSION_LABELS.get(d, d)}: no shared data")
            continue
        colour = DIMENSION_COLOURS.get(d, "#999")
        parts.append(html.Div(style={"width": f"{100 * share:.1f}%", "height": "10px",
                                     "display": "inline-block", "background": colour}))
        words.append(f"{DIMENSION_LABELS.get(d, d)} {100 * share:.0f}% (gap {dist:.2f})")
    return html.Div([
        html.Div(parts, className="bench-contrib-bar", style={"width": "160px", "background": "#eee",
                                                             "lineHeight": "0", "whiteSpace": "nowrap"}),
        html.Div(" · ".join(words), className="text-muted", style={"fontSize": "0.75rem"}),
    ])


def peer_table(obs, result: PeerResult, state: BenchmarkView) -> html.Div:
    peers = result.peers
    matrix = result.matrix
    dims = matrix.dimensions
    term_labels = obs.terms["label"].to_dict()
    target = result.target
    have = result.target_dimensions
    total = sum(len(v) for v in have.values())
    header = html.Div([
        html.Strong(f"{obs.region(target).name} ({target})"),
        f" has structural data in {sum(1 for v in have.values() if v)} of {len(dims)} dimensions "
        f"({total} of {len(matrix.indicators)} indicators; values {matrix.reference_year - matrix.window}-"
        f"{matrix.reference_year}, latest per indicator).",
        html.Span(" Missing: " + ", ".join(DIMENSION_LABELS.get(d, d) for d, v in have.items() if not v) + "."
                  if any(not v for v in have.values()) else ""),
    ], className="small mb-2")
    if peers.empty:
        return html.Div([header, html.P("No peers with these settings.",
                                        className="text-muted bench-no-peers")])
    swatch = {"display": "inline-block", "width": "10px", "height": "10px"}
    legend = html.Div([html.Span([html.Span(style={**swatch, "background": DIMENSION_COLOURS.get(d, "#999")},
                                            className="me-1"), DIMENSION_LABELS.get(d, d)], className="me-3")
                       for d in dims], className="small text-muted mb-1")
    rows = []
    for rank, (code, row) in enumerate(peers.iterrows(), start=1):
        region = obs.region(code)
        name = region.name if region else code
        shared = row.get("shared")
        shared_terms = list(shared) if isinstance(shared, tuple | list) else []
        sim = row.get("similarity")
        badges = [dbc.Badge(METHOD_LABELS[m], color="light", text_color="dark", className="me-1 border")
                  for m in row["methods"]]
        distance = row.get("distance")
        coverage = ("" if distance is None or (isinstance(distance, float) and math.isnan(distance))
                    else f"{int(row['dimensions'])}/{len(dims)} dimensions, "
                         f"{int(row['indicators'])} indicators")
        rows.append(html.Tr([
            html.Td(str(rank)),
            html.Td([html.Button(name, id={"type": ids("focus"), "region": code}, n_clicks=0,
                                 className="btn btn-link btn-sm p-0 text-start bench-peer-name",
                                 title="Highlight in every chart"),
                     html.Span(f" {code}", className="text-muted small")]),
            html.Td(badges),
            html.Td([html.Div(_number(distance)), html.Div(coverage, className="text-muted small")]),
            html.Td(contribution_bar(row, dims) if coverage else html.Span("no shared structural data",
                                                                          className="text-muted small")),
            html.Td([html.Div(_number(sim)),
                     html.Div(", ".join(term_labels.get(t, t) for t in shared_terms[:6])
                              + (f" +{len(shared_terms) - 6} more" if len(shared_terms) > 6 else ""),
                              className="text-muted small", title=", ".join(shared_terms))]),
            html.Td(html.Button("×", id={"type": ids("remove"), "region": code}, n_clicks=0,
                                className="btn btn-outline-secondary btn-sm bench-remove",
                                title=f"Remove {name} from the peers", **{"aria-label": f"Remove {name}"})),
        ], className="bench-peer-row", **{"data-region": code}))
    table = html.Table([
        html.Thead(html.Tr([html.Th("#"), html.Th("Peer"), html.Th("Chosen by"),
                            html.Th("Structural distance"), html.Th("Contribution of each dimension"),
                            html.Th(f"Priority similarity (Jaccard, {state.scheme})"), html.Th("")])),
        html.Tbody(rows),
    ], className="table table-sm align-middle bench-peer-table")
    return html.Div([header, legend, table])


def removed_chips(obs, state: BenchmarkView) -> list:
    if not state.removed:
        return []
    chips = []
    for code in state.removed:
        region = obs.region(code)
        chips.append(html.Button(f"↺ {region.name if region else code} ({code})",
                                 id={"type": ids("restore"), "region": code}, n_clicks=0,
                                 className="btn btn-outline-secondary btn-sm me-1 mb-1 bench-restore",
                                 title="Put back among the peers"))
    return [html.Span("Removed: ", className="text-muted"), *chips]


# -- callbacks ------------------------------------------------------------------------------------
_CONTROLS = ("region", "methods", "n", "xc", "scheme", "nat", "add", "indicator", "year", "x", "y", "sy")


def control_values(state: BenchmarkView) -> dict:
    """The value of every control for a state (to set them all after back/forward navigation)."""
    return {"region": state.region, "methods": list(state.methods), "n": state.n,
            "xc": state.exclude_same_country, "scheme": state.scheme, "nat": state.include_national,
            "add": None, "indicator": state.indicator, "year": state.year, "x": state.x, "y": state.y,
            "sy": state.scatter_year}


@dash.callback(
    Output(ids("url"), "search"),
    Output(ids("state"), "data"),
    *[Output(ids(name), "value") for name in _CONTROLS],
    Output(ids("year"), "options"),
    Output(ids("sy"), "options"),
    Output(ids("alerts"), "children"),
    Input(ids("url"), "search"),
    *[Input(ids(name), "value") for name in _CONTROLS],
    Input(ids("map"), "clickData"),
    Input({"type": ids("remove"), "region": ALL}, "n_clicks"),
    Input({"type": ids("restore"), "region": ALL}, "n_clicks"),
    State(ids("state"), "data"),
    State(ids("peers"), "data"),
    State(ids("url"), "pathname"),
    prevent_initial_call=True,
)
def update_state(search, *args):
    """Any change -> the new state (re-validated through its query string), the URL and the controls.

    A change of the URL itself (back/forward: the browser's history, not a control) sets every
    control from it; a control change writes the URL.
    """
    obs = get_observatory()
    *values, click, _removes, _restores, stored, peers, pathname = args
    trigger = ctx.triggered_id
    if isinstance(trigger, dict) and not (ctx.triggered and ctx.triggered[0].get("value")):
        raise dash.exceptions.PreventUpdate  # buttons (re)appearing with n_clicks=0, not a click
    named = dict(zip(_CONTROLS, values, strict=True))
    keep = [no_update] * len(_CONTROLS)
    if trigger == ids("url"):
        if not on_page(pathname, PATH):
            raise dash.exceptions.PreventUpdate  # leaving the page: the router draws the next one
        new, errors = BenchmarkView.from_query(search, obs)
        query = new.to_query()
        if query == stored:
            raise dash.exceptions.PreventUpdate  # the URL the page was drawn from
        controls = control_values(new)
        return (no_update, query, *[controls[name] for name in _CONTROLS], year_options(obs, new.indicator),
                scatter_year_options(obs, new.x, new.y), messages(errors))
    current, _ = BenchmarkView.from_query(stored, obs)
    name = trigger.removeprefix(ids("")) if isinstance(trigger, str) else None
    value = click if name == "map" else named.get(name) if name else None
    moved = transition(with_controls(current, named), trigger, value, peers or [])
    new, _ = BenchmarkView.from_query(moved.to_query(), obs)
    query = new.to_query()
    if query == stored and name != "add":
        raise dash.exceptions.PreventUpdate
    controls = dict(zip(_CONTROLS, keep, strict=True))
    controls.update(add=None, year=new.year, sy=new.scatter_year)
    if new.region != named.get("region"):
        controls["region"] = new.region
    return (query, query, *[controls[name] for name in _CONTROLS], year_options(obs, new.indicator),
            scatter_year_options(obs, new.x, new.y), no_update)


@dash.callback(
    *[Output(ids(name), "figure") for name in CHARTS],
    Output(ids("table"), "children"),
    Output(ids("notes"), "children"),
    Output(ids("removed"), "children"),
    Output(ids("peers"), "data"),
    Output(ids("names"), "data"),
    Input(ids("state"), "data"),
)
def render(stored: str):
    """Everything drawn from the state: peers, their explanation, the charts and the map."""
    obs = get_observatory()
    state, _ = BenchmarkView.from_query(stored, obs)
    return draw(obs, state)


def draw(obs, state: BenchmarkView) -> tuple:
    """The outputs of :func:`render` for a state (pure apart from reading the data)."""
    nuts2 = obs.regions_at(2).reset_index(drop=True).sort_values("nuts_id")
    codes = nuts2["nuts_id"].astype(str).tolist()
    names_all = nuts2["name_latn"].astype(str).tolist()
    if state.region is None:
        message = "Pick a region: search it above, or click it on the map."
        titles = ("Ranked values", "Structural profile", "Time series", "Scatter", "Shared S3 priorities")
        empty = [figs.empty_figure(title, message) for title in titles]
        geo = figs.peer_map(boundaries_url(2), codes, names_all, target=None, peers=[],
                            source="© EuroGeographics for the administrative boundaries")
        return (*empty, geo, html.P(message, className="text-muted"), "", [], [], dict(zip(codes, names_all,
                                                                                          strict=True)))
    matrix = structural_matrix_for(obs)
    result = find_peers(obs, state.region, state.peer_options(), matrix=matrix)
    peers = result.codes
    target = state.region
    country = target[:2]
    shown_codes = [target, *peers]
    names = charts.region_names(obs, shown_codes)
    all_names = dict(zip(codes, names_all, strict=True))
    figures = [
        _bars(obs, state, target, peers, country),
        _profile(obs, matrix, result, shown_codes, names=names, country=country),
        _series(obs, state, target, shown_codes, country),
        _scatter(obs, state, target, peers, country),
        _overlap(obs, result, shown_codes, names, state),
        figs.peer_map(boundaries_url(2), codes, names_all, target=target, peers=peers,
                      source="Peers by the chosen methods · "
                             "© EuroGeographics for the administrative boundaries"),
    ]
    notes = [html.Div(n) for n in result.notes]
    return (*figures, peer_table(obs, result, state), notes, removed_chips(obs, state), peers, all_names)


def _source(obs, *indicators: str) -> str:
    lines = dict.fromkeys(obs.source_lines(i) for i in indicators if i)
    return " · ".join(line for line in lines if line)


def _bars(obs, state: BenchmarkView, target: str, peers: list[str], country: str):
    spec = obs.indicator(state.indicator) if state.indicator else None
    if spec is None:
        return figs.empty_figure("Ranked values", "No indicator chosen.")
    year = state.year or obs.latest_year(state.indicator, 2)
    frame = charts.ranked_values(obs, state.indicator, year, target, peers) if year else pd.DataFrame()
    refs = charts.references(obs, state.indicator, year, country)
    return figs.ranked_bars(frame, refs, label=str(spec["label"]), unit=str(spec["unit"]), year=year,
                            source=_source(obs, state.indicator))


def _profile(obs, matrix, result: PeerResult, shown_codes: list[str], *, names: dict, country: str):
    labels = obs.catalogue["label"].to_dict()
    units = obs.catalogue["unit"].to_dict()
    frame = charts.profile_frame(matrix, shown_codes, labels)
    refs = (charts.profile_references_for(obs, country) if matrix is structural_matrix_for(obs)
            else charts.profile_references(obs, matrix, country))
    note = (f"values {matrix.reference_year - matrix.window}-{matrix.reference_year}, latest per indicator; "
            "no dot = no data")
    return figs.profile_dots(frame, refs, target=result.target, names=names, units=units,
                             source=STRUCTURAL_SOURCE, coverage_note=note)


def _series(obs, state: BenchmarkView, target: str, shown_codes: list[str], country: str):
    spec = obs.indicator(state.indicator) if state.indicator else None
    if spec is None:
        return figs.empty_figure("Time series", "No indicator chosen.")
    frame = charts.series_frame(obs, state.indicator, shown_codes)
    refs = charts.reference_series(obs, state.indicator, country)
    return figs.time_series(frame, refs, target=target, label=str(spec["label"]), unit=str(spec["unit"]),
                            source=_source(obs, state.indicator))


def _scatter(obs, state: BenchmarkView, target: str, peers: list[str], country: str):
    sx = obs.indicator(state.x) if state.x else None
    sy = obs.indicator(state.y) if state.y else None
    if sx is None or sy is None:
        return figs.empty_figure("Scatter", "Choose two indicators.")
    year_x, year_y = charts.scatter_years(obs, state.x, state.y, state.scatter_year)
    frame = charts.scatter_frame(obs, state.x, state.y, year_x=year_x, year_y=year_y, target=target,
                                 peers=peers)
    return figs.scatter(frame, charts.references(obs, state.x, year_x, country),
                        charts.references(obs, state.y, year_y, country),
                        x_label=str(sx["label"]), y_label=str(sy["label"]), x_unit=str(sx["unit"]),
                        y_unit=str(sy["unit"]), x_year=year_x, y_year=year_y,
                        source=_source(obs, state.x, state.y))


def _overlap(obs, result: PeerResult, shown_codes: list[str], names: dict, state: BenchmarkView):
    matrix = charts.overlap_matrix(result.term_sets, shown_codes)
    scope = "regional and national strategies" if state.include_national else "regional strategies only"
    return figs.overlap_heatmap(matrix, names=names, term_labels=obs.terms["label"].to_dict(),
                                target=result.target, source=S3_SOURCE,
                                scheme_note=f"{SCHEME_LABELS[state.scheme]}; {scope}")


# Linked highlighting, in the browser (assets/benchmark.js).
dash.clientside_callback(
    ClientsideFunction(namespace="benchmark", function_name="pick"),
    Output(ids("highlight"), "data"),
    *[Input(ids(name), "hoverData") for name in CHARTS],
    *[Input(ids(name), "clickData") for name in CHARTS if name != "map"],
    State(ids("highlight"), "data"),
    prevent_initial_call=True,
)

dash.clientside_callback(
    ClientsideFunction(namespace="benchmark", function_name="focus"),
    Output(ids("highlight"), "data", allow_duplicate=True),
    Input({"type": ids("focus"), "region": ALL}, "n_clicks"),
    prevent_initial_call=True,
)

dash.clientside_callback(
    ClientsideFunction(namespace="benchmark", function_name="highlight"),
    *[Output(ids(name), "figure", allow_duplicate=True) for name in CHARTS],
    Input(ids("highlight"), "data"),
    *[Input(ids(name), "figure") for name in CHARTS],
    prevent_initial_call=True,
)

dash.clientside_callback(
    ClientsideFunction(namespace="benchmark", function_name="label"),
    Output(ids("highlight-label"), "children"),
    Input(ids("highlight"), "data"),
    State(ids("names"), "data"),
)


def register() -> None:
    dash.register_page(
        "observatory.pages.benchmark", path=PATH, name="Benchmark", order=4,
        title="Benchmark – S3 Observatory",
        description="Find a region's structurally similar peers and compare them in linked charts.",
        layout=layout,
    )


