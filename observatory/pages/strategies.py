"""Strategies browser, ``/strategies``: every strategy and every priority in a searchable,
sortable table (AG Grid), filtered by country, level, period, taxonomy term and free text.

The filters live in the URL (``?view=priorities&country=IT&term=nace:C20&q=hydrogen``, see
``observatory.state.repository_view``), so a filtered table is a link. Filtering happens on the
server with ``observatory.analysis.repository`` (the same functions the tests call); the grid gets
the matching rows only, so its CSV export is exactly the filtered table. Column filters and sorting
inside the grid narrow and order it further, and the export follows them too.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, dcc, html, no_update

from observatory.analysis import repository
from observatory.components.context import PageContext
from observatory.components.ids import Ids
from observatory.components.shell import load_library_on
from observatory.components.url_state import (
    AddressBinding,
    AddressUpdate,
    address_components,
    register_address,
)
from observatory.model import Observatory
from observatory.pages.page import Page
from observatory.state.repository_view import LEVELS, STATUSES, RepositoryView

ids = Ids("repo")

#: Grid columns per table: (field, header, width hints). ``profile`` is a Markdown link built
#: here from a validated NUTS code, never from record text.
STRATEGY_GRID = [
    ("country_name", "Country", {"width": 130}),
    ("profile", "Territory", {"cellRenderer": "markdown", "width": 230}),
    ("level", "Level", {"width": 105}),
    ("period", "Period", {"width": 115}),
    ("status", "Status", {"width": 120}),
    ("title", "Title (original)", {"flex": 2, "minWidth": 260, "wrapText": True, "autoHeight": True}),
    ("title_en", "Title (English)", {"flex": 2, "minWidth": 240, "wrapText": True, "autoHeight": True}),
    ("authority", "Responsible authority", {"flex": 1, "minWidth": 200}),
    ("priorities", "Priorities", {"width": 110, "filter": "agNumberColumnFilter"}),
]
PRIORITY_GRID = [
    ("country_name", "Country", {"width": 130}),
    ("profile", "Territory", {"cellRenderer": "markdown", "width": 220}),
    ("level", "Level", {"width": 105}),
    ("period", "Period", {"width": 115}),
    ("status", "Status", {"width": 120}),
    ("name", "Priority", {"flex": 1, "minWidth": 220, "wrapText": True, "autoHeight": True}),
    ("description", "Description", {"flex": 2, "minWidth": 280, "wrapText": True, "autoHeight": True}),
    ("term_labels", "Taxonomy tags", {"flex": 1, "minWidth": 220, "tooltipField": "term_labels"}),
    ("confidence", "Confidence", {"width": 120}),
]
#: Columns written to the CSV (plain values; the Markdown link column is left out).
STRATEGY_EXPORT = ["strategy_id", "country", "territory_code", "territory_name", "level", "period", "status",
                   "superseded_by", "title", "title_en", "authority", "priorities", "document_url",
                   "source_url", "source_kind", "last_checked", "confidence", "notes"]
PRIORITY_EXPORT = ["priority_id", "strategy_id", "country", "territory_code", "territory_name", "level",
                   "period", "status", "name", "description", "terms", "confidence", "source_url",
                   "source_kind"]


def tables(obs: Observatory) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tables of a build with their profile-link column, computed once per build."""
    return obs.derived.get(_tables)


def _tables(obs: Observatory) -> tuple[pd.DataFrame, pd.DataFrame]:
    strategies = repository.strategy_table(obs)
    priorities = repository.priority_table(obs)
    strategies["row_id"] = strategies["strategy_id"]
    priorities["row_id"] = priorities["priority_id"]
    for table in (strategies, priorities):
        pairs = zip(table["territory_name"], table["territory_code"], strict=True)
        table["profile"] = [f"[{_markdown_safe(name)} ({code})](/region/{quote(code)})"
                            for name, code in pairs]
    return strategies, priorities


def _markdown_safe(text: str) -> str:
    """A territory name inside Markdown link text: characters Markdown would interpret are escaped."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!<>|~" else ch for ch in str(text))


def _columns(grid: list, export: list[str]) -> list[dict]:
    """The visible columns, then one hidden column per exported field, headed by the field's name.

    The CSV is written from the hidden columns (``csvExportParams.columnKeys``), so its header is
    the stable field names whatever the on-screen headings say.
    """
    shown = [{"field": field, "headerName": header, **extra} for field, header, extra in grid]
    hidden = [{"field": field, "colId": _export_id(field), "headerName": field, "hide": True,
               "suppressColumnsToolPanel": True} for field in export]
    return shown + hidden


def _export_id(field: str) -> str:
    return f"csv-{field}"


def _options(obs: Observatory) -> tuple[list[dict], list[str], list[dict]]:
    countries = [{"label": label, "value": code} for code, label in repository.country_options(obs)]
    periods = repository.period_options(obs)
    terms = repository.term_options(obs)
    scheme = {"nace": "NACE", "fos": "Science", "policy": "Policy"}
    rows = terms[["term", "scheme", "code", "label", "priorities"]].itertuples(index=False)
    term_options = [{"label": f"{scheme.get(s, s)} {c} – {lbl} ({n})", "value": t}
                    for t, s, c, lbl, n in rows]
    return countries, periods, term_options


def parse(obs: Observatory, search: str | None) -> tuple[RepositoryView, list[str]]:
    """The state for a query string, checked against the countries, periods and terms recorded."""
    return RepositoryView.from_query(search, countries=set(obs.strategies["country"]),
                                     periods=set(obs.strategies["period"]), terms=set(obs.terms.index))


def _state_from(obs: Observatory, query: dict) -> tuple[RepositoryView, list[str]]:
    """The state for the query parameters Dash hands a layout, or the controls' values."""
    flat = {k: (v[-1] if isinstance(v, list) else v) for k, v in query.items() if v not in (None, "", [])}
    return parse(obs, "?" + urlencode(flat))


def filtered(obs: Observatory, state: RepositoryView) -> pd.DataFrame:
    """The rows of the current table that pass the state's filters."""
    strategies, priorities = tables(obs)
    spec = repository.RepositoryFilter(countries=state.countries, level=state.level, period=state.period,
                                       term=state.term, text=state.q, status=state.status)
    if state.view == "priorities":
        return repository.filter_priorities(obs, priorities, spec)
    return repository.filter_strategies(obs, strategies, spec)


def _summary(obs: Observatory, state: RepositoryView, rows: int) -> str:
    strategies, priorities = tables(obs)
    total = len(priorities) if state.view == "priorities" else len(strategies)
    noun = "priorities" if state.view == "priorities" else "strategies"
    return f"{rows} of {total} {noun} match."


def _grid_props(obs: Observatory, state: RepositoryView) -> dict:
    rows = filtered(obs, state)
    grid, export = (PRIORITY_GRID, PRIORITY_EXPORT) if state.view == "priorities" else (STRATEGY_GRID,
                                                                                         STRATEGY_EXPORT)
    fields = list(dict.fromkeys(["row_id", *[g[0] for g in grid], *export]))
    name = f"s3-{state.view}" + ("-filtered" if state.to_query() not in ("", f"?view={state.view}") else "")
    return {
        "rowData": rows[fields].astype(object).where(rows[fields].notna(), None).to_dict("records"),
        "columnDefs": _columns(grid, export),
        "csvExportParams": {"fileName": f"{name}.csv", "columnKeys": [_export_id(f) for f in export]},
    }


PATH = "/strategies"

#: The filter controls, by id suffix, in the order of :func:`control_values`.
CONTROLS = ("view", "country", "level", "status", "period", "term", "q")


def control_values(state: RepositoryView) -> dict[str, object]:
    """What each filter control shows for a state (when the address changes under the page)."""
    return {"view": state.view, "country": list(state.countries), "level": state.level,
            "status": state.status, "period": state.period, "term": state.term, "q": state.q or ""}


def controls_state(obs: Observatory, controls: dict) -> RepositoryView:
    """The state the filter controls show (the controls are the truth for a control change)."""
    return _state_from(obs, {"view": controls.get("view"), "country": ",".join(controls.get("country") or []),
                             "level": controls.get("level"), "status": controls.get("status"),
                             "period": controls.get("period"),
                             "term": controls.get("term"), "q": controls.get("q")})[0]


def binding(context: PageContext) -> AddressBinding[RepositoryView]:
    """How the browser's state plugs into the address controller."""
    return AddressBinding(
        ids=ids, path=PATH, controls=CONTROLS, alerts="errors",
        parse=lambda search: parse(context.obs, search),
        query=lambda state: state.to_query(),
        control_values=control_values,
        apply=lambda current, trigger, controls, events: controls_state(context.obs, controls),
    )


def messages(errors: list[str]) -> list:
    return [dbc.Alert(message, color="warning", className="py-1 mb-1") for message in errors]


def layout(context: PageContext, **query: object) -> html.Div:
    obs = context.obs
    state, errors = _state_from(obs, query)
    countries, periods, terms = _options(obs)
    grid = _grid_props(obs, state)
    return html.Div([
        *address_components(binding(context), state),  # back/forward and the navbar link re-filter
        html.H1("Strategy repository", className="h2"),
        html.P("Smart specialisation strategies and their priorities as recorded, one source URL per row. "
               "Taxonomy tags marked “(auto)” were matched by keyword, not set by the curator.",
               className="text-muted"),
        html.Div(messages(errors), id=ids("errors")),
        dbc.Row([
            dbc.Col(dbc.RadioItems(
                id=ids("view"), value=state.view, inline=True,
                options=[{"label": "Strategies", "value": "strategies"},
                         {"label": "Priorities", "value": "priorities"}],
                className="btn-group", inputClassName="btn-check", labelClassName="btn btn-outline-primary",
                labelCheckedClassName="active"), md="auto", className="mb-2"),
            dbc.Col([
                html.Label("Search", htmlFor=ids("q"), className="visually-hidden"),
                dbc.Input(id=ids("q"), type="search", value=state.q, debounce=400, maxLength=80,
                          placeholder="Search priority names and descriptions, titles…"),
            ], md=True, className="mb-2"),
        ], className="align-items-center"),
        dbc.Row([
            dbc.Col(dcc.Dropdown(id=ids("country"), options=countries, value=list(state.countries),
                                 multi=True, placeholder="Country"), md=3, className="mb-2"),
            dbc.Col(dcc.Dropdown(id=ids("level"), options=[{"label": lv, "value": lv} for lv in LEVELS],
                                 value=state.level, placeholder="Level"), md=2, className="mb-2"),
            dbc.Col(dcc.Dropdown(id=ids("status"), options=[{"label": s, "value": s} for s in STATUSES],
                                 value=state.status, placeholder="Current or superseded"),
                    md=2, className="mb-2"),
            dbc.Col(dcc.Dropdown(id=ids("period"), options=periods, value=state.period, placeholder="Period"),
                    md=2, className="mb-2"),
            dbc.Col(dcc.Dropdown(id=ids("term"), options=terms, value=state.term, optionHeight=40,
                                 placeholder="Taxonomy term (NACE, field of science, policy objective)"),
                    md=3, className="mb-2"),
        ]),
        dbc.Row([
            dbc.Col(html.Div(_summary(obs, state, len(grid["rowData"])), id=ids("summary"),
                             className="fw-semibold", **{"aria-live": "polite"}), md=True),
            dbc.Col(dbc.Button("Download CSV", id=ids("csv"), color="secondary", outline=True, size="sm"),
                    md="auto"),
        ], className="align-items-center mb-2"),
        dag.AgGrid(
            id=ids("grid"), **grid, getRowId="params.data.row_id",
            defaultColDef={"sortable": True, "filter": True, "resizable": True,
                           "cellStyle": {"lineHeight": "1.35", "paddingTop": "6px", "paddingBottom": "6px"}},
            dashGridOptions={"pagination": True, "paginationPageSize": 50, "tooltipShowDelay": 300,
                             "enableCellTextSelection": True, "ensureDomOrder": True},
            style={"height": "70vh"},
        ),
    ], className="strategies-browser")


PAGES = (Page(key=__name__, path=PATH, layout=layout, title="Strategies – S3 Observatory",
              description="Searchable table of smart specialisation strategies and priorities",
              nav="Strategies", order=2),)


def register(app: dash.Dash, context: PageContext) -> None:
    # AG Grid's script (360 KB compressed) is in this page's HTML only; elsewhere it loads on demand
    load_library_on("dash_ag_grid", ("AgGrid",), context.pathname_prefix + PATH.lstrip("/"))

    def render(update: AddressUpdate[RepositoryView]) -> dict:
        grid = _grid_props(context.obs, update.state)
        return {"rows": grid["rowData"], "columns": grid["columnDefs"], "csv": grid["csvExportParams"],
                "summary": _summary(context.obs, update.state, len(grid["rowData"]))}

    register_address(
        app, context, binding(context), render=render, messages=messages,
        outputs={"rows": Output(ids("grid"), "rowData"), "columns": Output(ids("grid"), "columnDefs"),
                 "csv": Output(ids("grid"), "csvExportParams"),
                 "summary": Output(ids("summary"), "children")},
    )

    @app.callback(Output(ids("grid"), "exportDataAsCsv"), Input(ids("csv"), "n_clicks"),
                  prevent_initial_call=True)
    def _export(n_clicks):
        return True if n_clicks else no_update
