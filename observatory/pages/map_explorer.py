"""The map explorer (``/``): Europe's regions coloured by an indicator or an S3 measure.

The whole view lives in the URL (:class:`~observatory.state.map_view.MapView`), so a reload, a
shared link or back/forward shows the same map. How the page stays fast:

- The first response already holds the finished figure, built in :func:`layout` from the query
  (no callback round trip before the map appears); the boundaries come from the static,
  year-cached ``boundaries_url(level)``, downloaded once per level and never resent.
- Every later change goes through ONE callback (:func:`update_view`) that compares the new view
  with the one drawn (kept in a ``dcc.Store``) and answers with a ``dash.Patch`` carrying only what
  changed: the colour values on a recolour, the outline on a click, the geo frame on a view
  switch. Only a level switch sends the regions list again (still never geometry).
- Hover labels are plotly ``hovertemplate``s filled in the browser: hovering never calls the server.
- ``assets/map-prefetch.js`` starts downloading plotly.js and the boundaries while Dash is still
  routing (they would otherwise wait for the page layout), using the ``data-map-geojson`` mark.
- No request leaves the origin: ``assets/map-offline-geo.js`` keeps plotly from fetching its world
  topojson, and no tile or CDN layer is used. The opt-in basemap (``basemap=on``: neighbouring
  countries and the sea) is the build's own GeoJSON, served like the boundaries; while it is off
  the browser does not even download it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, Patch, State, dcc, html, no_update

from observatory.analysis.map_answers import layer_rows, partnership_members, term_matches
from observatory.analysis.map_measures import (
    MEASURES,
    STRATEGY_PERIODS,
    MapLayer,
    RegionFacts,
    indicator_group,
    layer_for,
    region_facts,
    term_label,
)
from observatory.components.alerts import url_messages
from observatory.components.context import DataUrls, PageContext
from observatory.components.graphs import graph_config
from observatory.components.ids import Ids
from observatory.components.share import share_menu
from observatory.components.tables import data_table
from observatory.components.url_state import (
    AddressBinding,
    AddressUpdate,
    Trigger,
    address_components,
    register_address,
)
from observatory.figures.choropleth import Basemap
from observatory.figures.map_figure import (
    basemap_updates,
    colour_updates,
    map_figure,
    selection_updates,
    view_updates,
)
from observatory.geography import OUTERMOST_VIEWS
from observatory.model import Observatory
from observatory.pages.page import Page
from observatory.state.map_view import LEVELS, MapView
from observatory.state.query import MAX_TEXT, shown, to_query
from observatory.text import fold, search_key

ids = Ids("map")
PATH = "/"

#: The level choices as read out: a bare "0" names nothing.
LEVEL_LABELS = {0: "NUTS 0 (countries)", 1: "NUTS 1", 2: "NUTS 2", 3: "NUTS 3"}

#: plotly config: the site's toolbar, wheel zoom, and a same-origin topojson path as a second line of
#: defence (assets/map-offline-geo.js already answers plotly's topojson lookups without any request).
GRAPH_CONFIG = graph_config("s3-observatory-map", scrollZoom=True, topojsonURL="/assets/map-topojson/")


# -- pure helpers used by the callbacks (unit-tested) ---------------------------------------------
def selected_codes(obs: Observatory, view: MapView) -> list[str]:
    """The codes to outline: the selected region when it is drawn at the view's level."""
    region = obs.region(view.region) if view.region else None
    return [region.code] if region is not None and region.level == view.level else []


def map_basemap(obs: Observatory, view: MapView) -> Basemap | None:
    """The map's basemap, shown or hidden as the view says; None if the data build has none."""
    if not obs.basemap_countries:
        return None
    return Basemap(DataUrls.of(obs).basemap(), obs.basemap_countries, visible=view.basemap)


def view_layer(obs: Observatory, view: MapView) -> MapLayer:
    return layer_for(obs, view.measure, view.level, indicator=view.indicator, year=view.year,
                     term=view.term, partnership=view.partnership, period=view.period)


#: Measures drawn as numbers on the sequential scale (the others are categories).
SEQUENTIAL_MEASURES = frozenset({"indicator", "priorities"})


def colouring_key(view: MapView) -> tuple:
    """The fields that decide the colours: a recolour is needed exactly when this changes."""
    return (view.level, view.measure, view.indicator, view.year, view.term, view.partnership, view.period)


def figure_updates(obs: Observatory, old: MapView | None, new: MapView,
                   layer: MapLayer | None = None) -> tuple[str, Any]:
    """What the figure needs to go from ``old`` to ``new`` (``layer``: ``new``'s, if already made).

    Returns ("figure", go.Figure) for a first draw or a level switch, ("patch", updates) with the
    list of (path, value, merge) updates otherwise (empty when nothing visible changed).
    """
    if old is None or old.level != new.level:
        return "figure", map_figure(DataUrls.of(obs).boundaries(new.level), layer or view_layer(obs, new),
                                    view=new.view,
                                    selected=selected_codes(obs, new), basemap=map_basemap(obs, new))
    updates = []
    if colouring_key(old) != colouring_key(new):
        same_measure = old.measure == new.measure
        # the source line follows the measure (and for indicators the indicator), the no-data
        # label the measure: both are resent only when those changed
        source_changed = not same_measure or (new.measure == "indicator" and old.indicator != new.indicator)
        updates += colour_updates(layer or view_layer(obs, new), source_changed=source_changed,
                                  label_changed=not same_measure,
                                  from_sequential=old.measure in SEQUENTIAL_MEASURES)
    if selected_codes(obs, old) != selected_codes(obs, new):
        updates += selection_updates(selected_codes(obs, new))
    if old.view != new.view:
        updates += view_updates(new.view, basemap=new.basemap)
    if old.basemap != new.basemap and map_basemap(obs, new) is not None:
        updates += basemap_updates(new.basemap)
    return "patch", updates


def as_patch(updates) -> Patch:
    """A ``dash.Patch`` applying (path, value, merge) updates: one operation each."""
    patch = Patch()
    for path, value, merge in updates:
        target = patch
        for key in path[:-1]:
            target = target[key]
        if merge:
            target[path[-1]].update(value)
        else:
            target[path[-1]] = value
    return patch


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _on_level(obs: Observatory, current: MapView, value: Any) -> MapView:
    level = _as_int(value)
    return current.with_level(obs, level) if level in LEVELS else current


def _on_year(obs: Observatory, current: MapView, value: Any) -> MapView:
    wanted = _as_int(value)
    if wanted is None:
        return current
    years = obs.indicator_years(current.indicator, current.level) if current.indicator else []
    return replace(current, year=nearest_year(years, wanted), measure="indicator")


def split_terms(obs: Observatory, term: str | None) -> tuple[list[str], list[str]]:
    """A view's comma-separated ``term`` as (taxonomy term ids, free keywords): the two controls."""
    parts = [part.strip() for part in (term or "").split(",") if part.strip()]
    return [p for p in parts if p in obs.terms.index], [p for p in parts if p not in obs.terms.index]


def _joined(parts: list[str]) -> str | None:
    return ",".join(dict.fromkeys(parts)) or None


def _on_term(obs: Observatory, current: MapView, value: Any) -> MapView:
    """The taxonomy dropdown (several terms may be chosen), keeping the keywords typed."""
    chosen = [str(v) for v in value if v] if isinstance(value, list) else ([str(value)] if value else [])
    return replace(current, term=_joined([*chosen, *split_terms(obs, current.term)[1]]), measure="term")


def _on_keyword(obs: Observatory, current: MapView, value: Any) -> MapView:
    """The keyword box ("bioeconomy, smart grids": any of them), keeping the chosen taxonomy terms."""
    words = [w.strip() for w in str(value).split(",") if w.strip()] if isinstance(value, str) else []
    return replace(current, term=_joined([*split_terms(obs, current.term)[0], *words]), measure="term")


def _on_search(obs: Observatory, current: MapView, value: Any) -> MapView:
    region = obs.region(str(value)) if value else None
    if region is None:
        return current.with_region(obs, None)
    moved = current.with_region(obs, region.code)
    return moved.with_level(obs, region.level) if region.level != current.level else moved


def _on_click(obs: Observatory, current: MapView, value: Any) -> MapView:
    points = value.get("points") if isinstance(value, dict) else None
    location = points[0].get("location") if points and isinstance(points[0], dict) else None
    return current.with_region(obs, str(location)) if location else current


_TRANSITIONS = {
    "level": _on_level,
    "measure": lambda obs, current, value: replace(current, measure=str(value)) if value else current,
    "indicator": lambda obs, current, value: current.with_indicator(obs, str(value)) if value else current,
    "year": _on_year,
    "term": _on_term,
    "keyword": _on_keyword,
    "partnership": lambda obs, current, value: replace(current, partnership=str(value) if value else None,
                                                       measure="partnership"),
    "view": lambda obs, current, value: replace(current, view=str(value)) if value else current,
    "period": lambda obs, current, value: replace(current, period=str(value)) if value else current,
    "basemap": lambda obs, current, value: replace(current, basemap=bool(value)),
    "search": _on_search,
    "graph": _on_click,
    "clear": lambda obs, current, value: current.with_region(obs, None),
}


def transition(obs: Observatory, current: MapView, trigger: str | None, value: Any) -> MapView:
    """The view after one control changed (``trigger`` is the control's id suffix).

    The result may hold values no control offers (a tampered request); the callback re-validates
    it through :meth:`MapView.from_query`, so nothing unchecked reaches the figure.
    """
    handler = _TRANSITIONS.get(trigger or "")
    return handler(obs, current, value) if handler else current


def search_options(obs: Observatory, query: str | None, selected: str | None = None) -> list[dict]:
    """Dropdown options for a region search; accents optional (each option's ``search`` text
    carries the folded names, so the dropdown's own filter keeps "Łódzkie" for "lodzkie")."""
    regions = obs.search((query or "")[:MAX_TEXT], limit=12) if query else []
    if selected and all(r.code != selected for r in regions):
        found = obs.region(selected)
        regions = [found, *regions] if found is not None else regions
    options = []
    for region in regions:
        other_name = region.native_name and region.native_name != region.name
        native = f" · {region.native_name}" if other_name else ""
        label = f"{region.name} ({region.code}, NUTS {region.level}){native}{_namesake_note(region, regions)}"
        words = [region.code, region.name, region.native_name or "", fold(region.name),
                 fold(region.native_name or ""), fold(query or "")]
        options.append({"label": label, "value": region.code, "search": " ".join(words)})
    return options


def _namesake_note(region, found: list) -> str:
    """Says when a listed name is part of another listed region's name at another level, so that
    "Aquitaine" (FRI1, NUTS 2) is not taken for "Nouvelle-Aquitaine" (FRI, NUTS 1)."""
    words = set(search_key(region.name).split())
    for other in found:
        other_words = set(search_key(other.name).split())
        if other.level != region.level and words and other_words and (words <= other_words
                                                                      or other_words <= words):
            return f" — not {other.name} ({other.code}, NUTS {other.level})"
    return ""


def year_marks(years: list[int]) -> dict:
    """Slider marks: the first and last available years and round years between (no crowding)."""
    if not years:
        return {}
    step = 1 if len(years) <= 6 else (2 if len(years) <= 10 else 5)
    shown_years = [y for y in years if y % step == 0 and years[0] + step / 2 <= y <= years[-1] - step / 2]
    return {int(y): str(y) for y in sorted({years[0], *shown_years, years[-1]})}


def nearest_year(years: list[int], wanted: int) -> int | None:
    """The available year closest to ``wanted`` (the later one on a tie), or None without years."""
    if not years:
        return None
    return min(years, key=lambda y: (abs(y - wanted), -y))


def format_value(value: float) -> str:
    """A number for the side panel: 12,345 / 123.4 / 1.23."""
    size = abs(value)
    return f"{value:,.0f}" if size >= 1000 else (f"{value:,.1f}" if size >= 10 else f"{value:,.2f}")


def indicator_options(obs: Observatory, level: int) -> list[dict]:
    """Indicators by label; those without values at the level are listed but disabled (once per build)."""
    return obs.derived.get(_indicator_options, int(level))


def _indicator_options(obs: Observatory, level: int) -> list[dict]:
    """Grouped by dimension ("Tertiary attainment — Human capital"), sorted by group then label (the
    name comes first: a narrow picker shows the start); searchable by label, group or id."""
    options = []
    for indicator in obs.indicator_ids():
        spec = obs.indicator(indicator)
        available = level in obs.indicator_levels(indicator)
        group = indicator_group(spec)
        label = f"{spec['label']} — {group}" + ("" if available else f" (no NUTS {level} data)")
        options.append({"label": label, "value": indicator, "disabled": not available, "group": group,
                        "search": f"{spec['label']} {group} {fold(str(spec['label']))} {indicator}"})
    options.sort(key=lambda o: (o["disabled"], o["group"].casefold(), o["label"].casefold()))
    return [{k: v for k, v in option.items() if k != "group"} for option in options]


def term_options(obs: Observatory) -> list[dict]:
    """Taxonomy terms to filter priorities by: NACE sections and divisions, fields of science,
    policy objectives (once per build)."""
    return obs.derived.get(_term_options)


def _term_options(obs: Observatory) -> list[dict]:
    terms = obs.terms
    keep = (terms["scheme"] != "nace") | (terms["level"].astype(int) <= 2)
    names = {"nace": "NACE", "fos": "Field of science", "policy": "Policy objective"}
    options = []
    for row in terms[keep].itertuples(index=False):
        scheme = names.get(row.scheme, str(row.scheme))
        options.append({"label": f"{scheme} {row.code}: {row.label}", "value": row.term})
    order = {"nace": 0, "fos": 1, "policy": 2}
    return sorted(options, key=lambda o: (order.get(o["value"].split(":")[0], 9), o["value"]))


def partnership_options(obs: Observatory) -> list[dict]:
    """Partnerships by name (once per build)."""
    return obs.derived.get(_partnership_options)


def _partnership_options(obs: Observatory) -> list[dict]:
    rows = obs.partnerships.sort_values("name")
    return [{"label": str(name), "value": str(pid)} for pid, name in zip(rows["partnership_id"], rows["name"],
                                                                          strict=True)]


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


# -- components -----------------------------------------------------------------------------------
def _group(label: str, control, group_id: str | None = None, visible: bool = True) -> html.Div:
    """A labelled control: the label names the control for screen readers (``htmlFor`` its id)."""
    kwargs = {"id": ids(group_id)} if group_id else {}
    return html.Div([html.Label(label, htmlFor=getattr(control, "id", None),
                                className="form-label fw-semibold small mb-1"), control],
                    className="mb-3", style=None if visible else {"display": "none"}, **kwargs)


def _choice_group(legend: str, control) -> html.Fieldset:
    """Radio buttons as one named group: one tab stop, arrow keys move between the choices."""
    return html.Fieldset([html.Legend(legend, className="form-label fw-semibold small mb-1"), control],
                         className="mb-3")


#: Measures that count strategies, so the period choice applies to them.
PERIOD_MEASURES = frozenset({"strategy", "priorities", "term"})


def _visibility(measure: str) -> list[dict | None]:
    """Styles of the indicator, year, term, partnership and period groups for a measure."""
    hidden = {"display": "none"}
    return [None if measure == "indicator" else hidden, None if measure == "indicator" else hidden,
            None if measure == "term" else hidden, None if measure == "partnership" else hidden,
            None if measure in PERIOD_MEASURES else hidden]


def controls(obs: Observatory, view: MapView) -> html.Div:
    years = obs.indicator_years(view.indicator, view.level) if view.indicator else []
    visible = [style is None for style in _visibility(view.measure)]
    shown_values = control_values(obs, view)
    keyword, term = shown_values["keyword"], shown_values["term"]
    return html.Div([
        _group("Find a region", dcc.Dropdown(
            id=ids("search"), options=search_options(obs, None, view.region), value=view.region,
            placeholder="Name or NUTS code, e.g. Łódzkie, lodzkie, PL71", searchable=True, clearable=True,
            search_order="original")),
        _choice_group("NUTS level", dbc.RadioItems(
            id=ids("level"), value=view.level, inline=True, name=ids("level"),
            options=[{"label": LEVEL_LABELS[level], "value": level} for level in LEVELS])),
        _group("Colour regions by", dcc.Dropdown(
            id=ids("measure"), value=view.measure, clearable=False, searchable=False,
            options=[{"label": label, "value": key} for key, label in MEASURES.items()])),
        _group("Indicator", dcc.Dropdown(
            id=ids("indicator"), value=view.indicator, clearable=False, optionHeight=50,
            options=indicator_options(obs, view.level)), "indicator-group", visible[0]),
        _group("Year", dcc.Slider(
            id=ids("year"), value=view.year, step=1, marks=year_marks(years),
            min=years[0] if years else 0, max=years[-1] if years else 0, disabled=not years,
            included=False, tooltip={"placement": "bottom"}), "year-group", visible[1]),
        html.Div([
            _group("Taxonomy terms (any of them)", dcc.Dropdown(
                id=ids("term"), value=term, options=term_options(obs), optionHeight=50, multi=True,
                placeholder="NACE section/division, field of science, policy objective")),
            _group("…or keywords in the priority text, comma-separated", dcc.Input(
                id=ids("keyword"), type="search", value=keyword, debounce=0.6, maxLength=200,
                placeholder="e.g. hydrogen, bioeconomy", className="form-control", autoComplete="off")),
        ], id=ids("term-group"), style=None if visible[2] else {"display": "none"}),
        _group("Partnership", dcc.Dropdown(
            id=ids("partnership"), value=view.partnership, options=partnership_options(obs), optionHeight=50,
            placeholder="Choose a partnership"), "partnership-group", visible[3]),
        _group("Strategies counted", dcc.Dropdown(
            id=ids("period"), value=view.period, clearable=False, searchable=False,
            options=[{"label": label, "value": key} for key, label in STRATEGY_PERIODS.items()]),
            "period-group", visible[4]),
        _group("Map view", dcc.Dropdown(
            id=ids("view"), value=view.view, clearable=False, searchable=False,
            options=[{"label": spec["label"], "value": name} for name, spec in OUTERMOST_VIEWS.items()])),
        _group("Basemap", dbc.Switch(
            id=ids("basemap"), value=view.basemap, label="Neighbouring countries and sea",
            disabled=not obs.basemap_countries)),
    ], className="map-controls")


def messages(errors: list[str]) -> list:
    return url_messages(errors, "map-url-errors")


def notes(layer: MapLayer) -> str:
    """The layer's notes as one text, a line each (the notes box keeps line breaks)."""
    return "\n".join(layer.notes)


def panel(obs: Observatory, view: MapView) -> list:
    """The side panel: key facts of the selected region and why the map colours it, or a hint."""
    facts = region_facts(obs, view.region) if view.region else None
    if facts is None:
        return [html.P("Click a region, or find it by name or code, to see its key facts.",
                       className="text-muted map-panel-hint")]
    *facts_part, profile_link, clear_button = _facts_panel(facts)
    return [*facts_part, *_why_coloured(obs, view, facts.name), profile_link, clear_button]


def _why_coloured(obs: Observatory, view: MapView, name: str) -> list:
    """For a term or partnership map: the strategies, priorities or members behind the region's colour
    (a NUTS 2 region can be coloured by a NUTS 3 strategy inside it: this says so)."""
    if view.measure == "term" and view.term:
        label = term_label(obs, view.term)
        mine = term_matches(obs, view.term, view.level, view.period)
        mine = mine[mine["region"] == view.region]
        if mine.empty:
            return [html.P(f"No strategy on record for {name} has a priority matching {label}.",
                           className="small map-panel-why")]
        items = [html.Li([html.Strong(row.strategy), f" — {row.strategy_level} strategy of {row.territory}, "
                          f"{row.period}: ", html.Span(row.matching_priorities)])
                 for row in mine.itertuples(index=False)]
        return [html.H5(f"Why it matches {label}", className="h6 mt-2"),
                html.Ul(items, className="small ps-3 map-panel-why")]
    if view.measure == "partnership" and view.partnership:
        mine = partnership_members(obs, view.partnership, view.level)
        mine = mine[mine["region"] == view.region]
        title = str(obs.partnerships.loc[view.partnership, "name"])
        if mine.empty:
            return [html.P(f"{name} is not a recorded member of {title}.", className="small map-panel-why")]
        row = mine.iloc[0]
        return [html.H5("Partnership membership", className="h6 mt-2"),
                html.P([f"{row['role'].capitalize()} of {title}, as recorded: {row['members']}. ",
                        dcc.Link("The partnership's page", href=f"/partnerships/{view.partnership}")],
                       className="small map-panel-why")]
    return []


def _facts_panel(facts: RegionFacts) -> list:
    hierarchy = " › ".join(f"{name} ({code})" for code, name in facts.hierarchy)
    native = facts.native_name if facts.native_name and facts.native_name != facts.name else None
    strategies = [
        html.Li([html.Span(s["title_en"] or s["title"]),
                 html.Span(f" — {s['level']}, {s['period']}", className="text-muted small")])
        for s in facts.strategies[:4]
    ]
    more = len(facts.strategies) - len(strategies)
    headline = [
        html.Li([html.Span(f"{h.label}: "), html.Strong(format_value(h.value)), f" {h.unit} ({h.year}",
                 f", {h.region}" if h.region != facts.code else "",
                 f"; flag {h.flag}" if h.flag else "", ")"])
        for h in facts.headline
    ]
    return [
        html.H4(facts.name, className="h5 mb-0 map-panel-name"),
        html.Div(native, className="text-muted") if native else None,
        html.Div(f"{facts.code} · NUTS {facts.level}", className="small mb-2 map-panel-code"),
        html.Div(hierarchy, className="small text-muted mb-2") if hierarchy else None,
        html.H5("S3 strategies", className="h6 mt-2"),
        html.Ul(strategies + ([html.Li(f"and {more} more", className="text-muted")] if more > 0 else []),
                className="small ps-3") if strategies else html.P("No strategy in the records.",
                                                                   className="small text-muted"),
        html.Div([html.Span(plural(facts.priorities, "priority", "priorities"),
                            className="badge bg-secondary me-2"),
                  html.Span(plural(facts.partnerships, "partnership"), className="badge bg-secondary")],
                 className="mb-2"),
        html.H5("Headline indicators", className="h6 mt-2"),
        html.Ul(headline, className="small ps-3") if headline else html.P("No values.", className="small"),
        dcc.Link("Open the region profile →", href=f"/region/{facts.code}",
                 className="btn btn-primary btn-sm", id=ids("profile-link")),
        html.Button("Clear selection", id={"type": ids("clear"), "index": 0},
                    className="btn btn-link btn-sm ms-2", n_clicks=0),
    ]


def layout(context: PageContext, **query: object) -> html.Div:
    """The page for a URL: state from the query, figure drawn server-side, controls set to match."""
    obs = context.obs
    view, errors = MapView.from_query({k: v for k, v in query.items() if isinstance(v, str | list)}, obs)
    layer = view_layer(obs, view)
    figure = map_figure(context.urls.boundaries(view.level), layer, view=view.view,
                        selected=selected_codes(obs, view), basemap=map_basemap(obs, view))
    return html.Div([
        # Given the address it was drawn from, the URL component has nothing to report on mount
        # (otherwise its first report would cost a callback round trip while the map loads).
        *address_components(binding(context), view),
        html.H1("Europe's regions and their smart specialisation", className="h4 mt-1 mb-2"),
        html.Div(messages(errors), id=ids("alerts"), role="status"),
        dbc.Row([
            # on a phone the map comes first, then the selected region's panel, then the controls
            dbc.Col(controls(obs, view), lg=2, md=4, className="map-sidebar order-3 order-md-1"),
            dbc.Col(html.Div([
                dcc.Graph(id=ids("graph"), figure=figure, config=GRAPH_CONFIG, className="map-graph",
                          style={"height": "74vh", "minHeight": "480px"}, clear_on_unhover=True,
                          responsive=True),
                share_menu("map", label="the map", query=view.to_query(obs), menu_id=ids("share")),
                html.Div(notes(layer), id=ids("notes"), className="small text-muted map-notes",
                         style={"whiteSpace": "pre-line"}),
                answers_section(obs, view),
            ], id=ids("map"), **{"data-map-geojson": context.urls.boundaries(view.level)}), lg=7, md=8,
                className="order-1 order-md-2"),
            dbc.Col(html.Div(panel(obs, view), id=ids("panel"), className="map-panel"), lg=3,
                    className="order-2 order-md-3"),
        ], className="g-3"),
    ], className="map-explorer")


# -- the map as a list -------------------------------------------------------------------------------
TERM_TABLE = {"name": "Region", "region": "Code", "match": "Strategy level", "strategy": "Strategy",
              "period": "Period", "matching_priorities": "Matching priorities"}
MEMBER_TABLE = {"name": "Region", "region": "Code", "role": "Role", "members": "Recorded members"}
LAYER_TABLE = {"rank": "Rank", "name": "Region", "region": "Code", "value": "Value", "flag": "Flag",
               "category": "Category", "detail": "Detail"}


def answer_frame(obs: Observatory, view: MapView) -> pd.DataFrame:
    """The list behind the map: matches for a term, members for a partnership, else the map's values."""
    if view.measure == "term":
        return term_matches(obs, view.term, view.level, view.period)
    if view.measure == "partnership":
        return partnership_members(obs, view.partnership, view.level)
    return layer_rows(view_layer(obs, view))


def answers(obs: Observatory, view: MapView, show_table: bool) -> list:
    """What the map answers, in words and as a list: for a term or a partnership, always (that list is
    the answer); for the other measures, the map's values or categories when asked (its text
    alternative)."""
    frame = answer_frame(obs, view)
    if view.measure == "term" and view.term:
        label = term_label(obs, view.term)
        regions = frame["region"].nunique()
        regional = frame.loc[frame["match"] == "regional", "region"].nunique()
        query = {"view": "priorities", "term": view.term} if view.term in obs.terms.index else \
            {"view": "priorities", "q": view.term}
        return [
            html.P([html.Strong(f"{regions} NUTS {view.level} region{'s' if regions != 1 else ''}"),
                    f" match {label} ({regional} through a regional strategy), in "
                    f"{frame['strategy_id'].nunique()} strategies. ",
                    dcc.Link("The matching priorities in the strategies table",
                             href="/strategies" + to_query(query), id=ids("strategies-link"))],
                   className="mb-1 map-answer-summary"),
            data_table(frame, TERM_TABLE, caption=f"Regions matching {label}", table_id=ids("answer-table")),
        ]
    if view.measure == "partnership" and view.partnership:
        title = str(obs.partnerships.loc[view.partnership, "name"])
        leads = int((frame["role"] != "member").sum())
        return [
            html.P([html.Strong(f"{len(frame)} NUTS {view.level} region{'s' if len(frame) != 1 else ''}"),
                    f" are members of {title} ({leads} lead or co-lead). ",
                    dcc.Link("The partnership's page", href=f"/partnerships/{view.partnership}")],
                   className="mb-1 map-answer-summary"),
            data_table(frame, MEMBER_TABLE, caption=f"Members of {title}", table_id=ids("answer-table")),
        ]
    if not show_table:
        return []
    columns = {k: v for k, v in LAYER_TABLE.items() if frame[k].notna().any()}
    return [data_table(frame, columns, caption=view_layer(obs, view).title, table_id=ids("answer-table"))]


def answers_section(obs: Observatory, view: MapView) -> html.Section:
    return html.Section([
        html.H2("The map as a list", className="h6 mt-3"),
        dbc.Switch(id=ids("table-on"), value=False, label="Show every coloured region in a table",
                   className="small"),
        html.Div(answers(obs, view, show_table=False), id=ids("answers"), **{"aria-live": "polite"}),
        html.Button("Download the list (CSV)", id=ids("csv"), n_clicks=0,
                    className="btn btn-outline-secondary btn-sm"),
        dcc.Download(id=ids("download")),
    ], className="map-answers")


# -- the address controller's binding and the page's outputs ----------------------------------------
CONTROLS = ("level", "measure", "indicator", "year", "term", "keyword", "partnership", "period", "view",
            "basemap", "search")


def control_values(obs: Observatory, view: MapView) -> dict[str, Any]:
    """What each control shows for a view (a taxonomy term in the dropdown, free text in the box)."""
    taxonomy, words = split_terms(obs, view.term)
    return {"level": view.level, "measure": view.measure, "indicator": view.indicator, "year": view.year,
            "term": taxonomy, "keyword": ", ".join(words) or None, "partnership": view.partnership,
            "period": view.period,
            "view": view.view, "basemap": view.basemap, "search": view.region}


def apply(obs: Observatory, current: MapView, trigger: Trigger, controls: dict, events: dict) -> MapView:
    """The view after one control or event: the map applies only the one that fired."""
    name = "clear" if isinstance(trigger, dict) else str(trigger)
    value = events.get(name) if name in events else controls.get(name)
    return transition(obs, current, name, value)


def binding(context: PageContext) -> AddressBinding[MapView]:
    """How the map's view plugs into the address controller (the store keeps the view as a dict)."""
    return AddressBinding(
        ids=ids, path=PATH, controls=CONTROLS,
        parse=lambda search: MapView.from_query(search, context.obs),
        query=lambda view: view.to_query(context.obs),
        control_values=lambda view: control_values(context.obs, view),
        apply=lambda current, trigger, controls, events: apply(context.obs, current, trigger, controls,
                                                               events),
        events={"graph": Input(ids("graph"), "clickData"),
                "clear": Input({"type": ids("clear"), "index": ALL}, "n_clicks")},
        dump=MapView.as_dict, load=MapView.from_dict,
    )


#: The page's own outputs, besides the address, the state and the controls' values.
OUTPUTS = {
    "figure": Output(ids("graph"), "figure"),
    "panel": Output(ids("panel"), "children"),
    "notes": Output(ids("notes"), "children"),
    "indicator_options": Output(ids("indicator"), "options"),
    "year_range": {"min": Output(ids("year"), "min"), "max": Output(ids("year"), "max"),
                   "marks": Output(ids("year"), "marks"), "disabled": Output(ids("year"), "disabled")},
    "search_options": Output(ids("search"), "options"),
    "groups": {name: Output(ids(f"{name}-group"), "style") for name in ("indicator", "year", "term",
                                                                        "partnership", "period")},
}


def render(obs: Observatory, update: AddressUpdate[MapView]) -> dict[str, Any]:
    """The page's outputs for a change: only what differs from the drawn view, else ``no_update``."""
    drawn, new = update.drawn, update.state
    recoloured = drawn is None or colouring_key(drawn) != colouring_key(new)
    layer = view_layer(obs, new) if recoloured else None
    kind, payload = figure_updates(obs, drawn, new, layer)
    level_changed = drawn is None or drawn.level != new.level
    indicator_changed = level_changed or drawn.indicator != new.indicator
    years = obs.indicator_years(new.indicator, new.level) if new.indicator else []
    region_changed = drawn is None or drawn.region != new.region
    # the panel says why a term or partnership map colours the region: redrawn when the colours change
    panel_changed = region_changed or bool(new.region and colouring_key(drawn) != colouring_key(new))
    measure_changed = drawn is None or drawn.measure != new.measure
    year_range = {"min": years[0] if years else 0, "max": years[-1] if years else 0,
                  "marks": year_marks(years), "disabled": not years}
    return {
        "figure": payload if kind == "figure" else (as_patch(payload) if payload else no_update),
        "panel": panel(obs, new) if panel_changed else no_update,
        "notes": notes(layer) if layer is not None else no_update,
        "indicator_options": indicator_options(obs, new.level) if level_changed else no_update,
        "year_range": year_range if indicator_changed else dict.fromkeys(year_range, no_update),
        "search_options": search_options(obs, None, new.region) if region_changed else no_update,
        "groups": dict(zip(OUTPUTS["groups"],
                           _visibility(new.measure) if measure_changed else [no_update] * 5, strict=True)),
    }


PAGES = (Page(key=__name__, path=PATH, layout=layout, title="Map explorer – S3 Observatory",
              description="Europe's NUTS regions coloured by regional indicators and smart specialisation "
                          "measures.", nav="Map", order=0),)


def register(app: dash.Dash, context: PageContext) -> None:
    register_address(app, context, binding(context), outputs=OUTPUTS, messages=messages,
                     render=lambda update: render(context.obs, update))

    @app.callback(Output(ids("answers"), "children"), Input(ids("state"), "data"),
                  Input(ids("table-on"), "value"), prevent_initial_call=True)
    def update_answers(stored, show_table):
        """The list follows the map (a separate, light callback: a recolour never waits for it)."""
        return answers(context.obs, MapView.from_dict(stored), bool(show_table))

    @app.callback(Output(ids("download"), "data"), Input(ids("csv"), "n_clicks"), State(ids("state"), "data"),
                  prevent_initial_call=True)
    def download_answers(n_clicks, stored):
        if not n_clicks:
            return no_update
        view = MapView.from_dict(stored)
        frame = answer_frame(context.obs, view)
        return dcc.send_data_frame(frame.to_csv, f"s3-observatory-map-{view.measure}-nuts{view.level}.csv",
                                   index=False)

    @app.callback(
        Output(ids("search"), "options", allow_duplicate=True),
        Input(ids("search"), "search_value"),
        State(ids("search"), "value"),
        prevent_initial_call=True,
    )
    def update_search_options(query, selected):
        """Regions matching what is typed (by code, Latin or native name; accents optional)."""
        if not query or not isinstance(query, str):
            return no_update
        return search_options(context.obs, shown(query), selected if isinstance(selected, str) else None)
