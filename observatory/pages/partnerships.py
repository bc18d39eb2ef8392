"""Partnerships: ``/partnerships`` (all of them by programme, and who cooperates most) and
``/partnerships/<id>`` (theme, members and leads, map of the members).

Member lists in the records are often partial, dated snapshots; every page says so and shows the
records' own notes. Members without a NUTS code are listed but cannot be mapped.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, dcc, html

from observatory.analysis import repository
from observatory.components import cards, graphs
from observatory.components.context import PageContext
from observatory.components.ids import Ids
from observatory.figures.choropleth import Colouring, choropleth
from observatory.figures.profile import co_membership_heatmap
from observatory.model import Observatory
from observatory.pages.not_found import not_found_content
from observatory.pages.page import Page
from observatory.sources.catalogue import GISCO_ATTRIBUTION
from observatory.state.query import shown, to_query

ids = Ids("partner")

MAP_LEVEL = 2
ROLE_ORDER = ("lead", "co-lead", "member")
ROLE_MAP_COLOURS = {"lead": "#D55E00", "co-lead": "#E69F00", "member": "#0072B2"}
PARTIAL_NOTE = ("Member lists are compiled from public pages and are often partial or dated snapshots; "
                "read each partnership's notes.")


def partnership_map_href(partnership_id: str) -> str:
    """The map coloured by this partnership's members (the map's URL contract, docs/url-parameters.md)."""
    return "/" + to_query({"level": MAP_LEVEL, "measure": "partnership", "partnership": partnership_id})


# -- index -----------------------------------------------------------------------------------------
def _partnership_list(rows: pd.DataFrame) -> dbc.Table:
    body = []
    for _, row in rows.iterrows():
        body.append(html.Tr([
            html.Td([dcc.Link(cards.text(row["name"]), href=f"/partnerships/{row['partnership_id']}"),
                     html.Div(cards.text(row["programme"]), className="small text-muted")]),
            html.Td(cards.text(row["theme"]), className="small"),
            html.Td(cards.text(row["start_year"]) or "not recorded", className="small"),
            html.Td(f"{row['members']} ({row['located']} mapped)" if row["members"] else "none recorded",
                    className="small"),
            html.Td(cards.text(row["leads"]) or "not recorded", className="small"),
        ], **{"data-partnership": cards.text(row["partnership_id"])}))
    head = html.Thead(html.Tr([html.Th("Partnership"), html.Th("Theme"), html.Th("Start"),
                               html.Th("Member records"), html.Th("Leads")]))
    return dbc.Table([head, html.Tbody(body)], size="sm", striped=True, responsive=True)


def _co_membership(obs: Observatory) -> html.Section:
    pairs, members = repository.co_membership(obs)
    matrix = repository.co_membership_matrix(pairs, members, top=20)
    labels = dict(zip(members["key"], members["label"], strict=True))
    figure = co_membership_heatmap(
        matrix, labels, title="Shared partnerships among the 20 members in the most partnerships")
    top = pairs[pairs["shared"] >= 2].head(25)
    rows = [html.Tr([
        html.Td(_member_link(obs, a, labels)), html.Td(_member_link(obs, b, labels)), html.Td(int(n)),
        html.Td(cards.text(names), className="small"),
    ]) for a, b, n, names in top[["member_a", "member_b", "shared", "partnerships"]].itertuples(index=False)]
    table = dbc.Table([html.Thead(html.Tr([html.Th("Member"), html.Th("Member"), html.Th("Shared"),
                                           html.Th("Partnerships")])), html.Tbody(rows)],
                      size="sm", striped=True, responsive=True, id=ids("pairs"))
    return html.Section([
        html.H2("Who cooperates most", className="h3"),
        html.P("Pairs of members that appear together in several partnerships. A member is a unit as the "
               "records list it (a NUTS region, or a name without a code); a region and its sub-region "
               "count separately.", className="small text-muted"),
        dcc.Graph(id=ids("heatmap"), figure=figure, config=graphs.STATIC),
        table if rows else html.P("No two members share more than one partnership.", className="text-muted"),
    ], id=ids("co-membership"))


def _member_link(obs: Observatory, key: str, labels: dict[str, str]) -> html.Span | dcc.Link:
    label = labels.get(key, key)
    if obs.region(key) is not None:
        return dcc.Link(f"{label} ({key})", href=f"/region/{key}")
    return html.Span(label)


def _sections(table: pd.DataFrame) -> list:
    """The partnerships grouped by family (S3 thematic platforms, Vanguard Initiative, ...)."""
    if table.empty:
        return [html.P("No partnership matches.", className="text-muted partnerships-none")]
    return [html.Section([html.H2(f"{family} ({len(rows)})", className="h3"), _partnership_list(rows)],
                         className="mb-3 partnership-family", **{"data-family": family})
            for family, rows in table.groupby("family", sort=False)]


def _filters(table: pd.DataFrame) -> dbc.Row:
    families = list(dict.fromkeys(table["family"]))
    programmes = sorted(set(table["programme"].dropna().astype(str)))
    return dbc.Row([
        dbc.Col([html.Label("Search partnerships", htmlFor=ids("q"),
                            className="form-label small fw-semibold"),
                 dbc.Input(id=ids("q"), type="search", debounce=0.4, maxLength=80, autocomplete="off",
                           placeholder="e.g. bioeconomy, smart grids, hydrogen, a region")], md=5),
        dbc.Col([html.Label("Group", htmlFor=ids("family"), className="form-label small fw-semibold"),
                 dcc.Dropdown(id=ids("family"), options=families, placeholder="All groups")], md=3),
        dbc.Col([html.Label("Platform or programme", htmlFor=ids("programme"),
                            className="form-label small fw-semibold"),
                 dcc.Dropdown(id=ids("programme"), options=programmes, placeholder="All")], md=4),
    ], className="mb-3 g-2")


def index_layout(context: PageContext, **_query: object) -> html.Div:
    obs = context.obs
    table = repository.partnership_table(obs)
    return html.Div([
        html.H1("Partnerships", className="h2"),
        html.P([f"{len(table)} interregional partnerships with {int(table['members'].sum())} member "
                "records. ", PARTIAL_NOTE], className="text-muted"),
        _filters(table),
        html.Div(f"{len(table)} partnerships shown.", id=ids("count"), className="small mb-2",
                 **{"aria-live": "polite"}),
        html.Div(_sections(table), id=ids("list")),
        _co_membership(obs),
    ], className="partnerships-index")


def register(app: dash.Dash, context: PageContext) -> None:
    @app.callback(Output(ids("list"), "children"), Output(ids("count"), "children"),
                  Input(ids("q"), "value"), Input(ids("family"), "value"), Input(ids("programme"), "value"),
                  prevent_initial_call=True)
    def _filter(text, family, programme):
        """Search and filters narrow the list (accents, case and hyphens do not matter)."""
        table = repository.partnership_table(context.obs)
        shown = repository.filter_partnerships(
            table, text=text if isinstance(text, str) else "",
            family=family if isinstance(family, str) else None,
            programme=programme if isinstance(programme, str) else None)
        return _sections(shown), f"{len(shown)} of {len(table)} partnerships shown."


# -- one partnership ---------------------------------------------------------------------------------
def _members_map(context: PageContext, partnership_id: str) -> html.Div | html.P:
    obs = context.obs
    members = obs.partnership_members_at(partnership_id, MAP_LEVEL)
    if members.empty:
        return html.P("No member has a NUTS code, so there is nothing to map.", className="text-muted")
    regions = obs.regions_at(MAP_LEVEL)
    regions = regions[regions["view"] == "mainland"]
    role = dict(zip(members["region"], members["role"], strict=True))
    codes = list(dict.fromkeys([*regions["nuts_id"], *members["region"]]))
    names = [str(obs.regions.loc[c, "name_latn"]) if c in obs.regions.index else c for c in codes]
    present = [r for r in ROLE_ORDER if r in set(role.values())]
    colouring = Colouring(categories=[role.get(c) for c in codes], category_order=present,
                          category_colours=ROLE_MAP_COLOURS, legend_title="Role",
                          no_data_label="not a recorded member")
    figure = choropleth(
        context.urls.boundaries(MAP_LEVEL), codes, colouring, names=names,
        selected=[c for c, r in role.items() if r in ("lead", "co-lead")],
        title=f"Members by NUTS {MAP_LEVEL} region (leads outlined)",
        source=f"S3 partnership records; boundaries {GISCO_ATTRIBUTION}", height=520,
        uirevision=partnership_id,
    )
    return html.Div([
        dcc.Graph(id=ids("map"), figure=figure, config={**graphs.STATIC, "scrollZoom": True}),
        html.P("A member recorded at NUTS 3 colours its NUTS 2 region; a member recorded as a NUTS 1 region "
               "or a country colours all its NUTS 2 regions. Outermost regions are listed, not drawn.",
               className="small text-muted"),
    ])


def _members_table(obs: Observatory, partnership_id: str) -> dbc.Table:
    members = repository.partnership_members(obs, partnership_id)
    body = []
    for _, row in members.iterrows():
        code = row["nuts_code"]
        located = isinstance(code, str) and obs.region(code) is not None
        where = (dcc.Link(f"{row['nuts_name']} ({code})", href=f"/region/{code}") if located
                 else html.Span("no NUTS code: not on the map", className="text-muted"))
        body.append(html.Tr([
            html.Td(cards.text(row["region_name"])),
            html.Td(cards.text(row["country"])),
            html.Td(where),
            html.Td([cards.role_badge(cards.text(row["role"])), cards.confidence_badge(row["confidence"])]),
            html.Td(cards.text(row["as_of"]) or html.Span("not stated", className="text-muted"),
                    className="small member-as-of"),
            html.Td([cards.text(row["notes"]), " ",
                     cards.source_link(row["source_url"], kind=row["source_kind"])], className="small"),
        ], className="member-row", **{"data-role": cards.text(row["role"]), "data-nuts": cards.text(code)}))
    head = html.Thead(html.Tr([html.Th("Member (as recorded)"), html.Th("Country"), html.Th("NUTS region"),
                               html.Th("Role"), html.Th("Listed as of"), html.Th("Notes and source")]))
    return dbc.Table([head, html.Tbody(body)], size="sm", striped=True, responsive=True, id=ids("members"))


def detail_layout(context: PageContext, partnership_id: str | None = None, **_query: object) -> html.Div:
    obs = context.obs
    if not partnership_id or partnership_id not in obs.partnerships.index:
        return not_found_content(context,
                                 f"There is no partnership with the id “{shown(partnership_id or '')}”. "
                                 "See the list of all partnerships at /partnerships, or search for a region:")
    record = obs.partnerships.loc[partnership_id]
    name = cards.text(record["name"])
    about_source = cards.source_kind_text(record["source_kind"], record["last_checked"])
    facts = html.Dl([
        html.Dt("Programme / platform", className="col-sm-3"),
        html.Dd(cards.text(record["programme"]), className="col-sm-9"),
        html.Dt("Group", className="col-sm-3"),
        html.Dd(repository.programme_family(cards.text(record["programme"])), className="col-sm-9"),
        html.Dt("Theme", className="col-sm-3"),
        html.Dd(cards.text(record["theme"]) or "not recorded", className="col-sm-9"),
        html.Dt("Start year", className="col-sm-3"),
        html.Dd(cards.text(record["start_year"]) or "not recorded", className="col-sm-9"),
        html.Dt("Website", className="col-sm-3"),
        html.Dd(cards.external_link(cards.text(record["website_url"]), record["website_url"])
                if cards.is_http_url(record["website_url"]) else "not recorded",
                className="col-sm-9 text-break"),
        html.Dt("Status", className="col-sm-3"),
        html.Dd(cards.text(record["status"]) if cards.text(record["status"]) != "unknown"
                else "not stated by the sources read", className="col-sm-9"),
        html.Dt("Source of the record", className="col-sm-3"),
        html.Dd([cards.external_link(cards.text(record["source_url"]), record["source_url"]),
                 f" ({about_source})" if about_source else ""],
                className="col-sm-9 text-break"),
    ], className="row small")
    return html.Div([
        html.Div(dcc.Link("← All partnerships", href="/partnerships"), className="small mb-2"),
        html.H1(name, id=ids("name"), className="h2"),
        facts,
        cards.notes_block(record["notes"]),
        html.P([PARTIAL_NOTE, " ", dcc.Link("Show the members on the main map",
                                             href=partnership_map_href(partnership_id))],
               className="small text-muted"),
        dbc.Row([
            dbc.Col(_members_map(context, partnership_id), lg=6),
            dbc.Col(_members_table(obs, partnership_id), lg=6),
        ]),
    ], className="partnership-detail", **{"data-partnership": partnership_id})


def _detail_description(context: PageContext, partnership_id: str | None = None, **_kwargs: object) -> str:
    obs = context.obs
    if partnership_id and partnership_id in obs.partnerships.index:
        record = obs.partnerships.loc[partnership_id]
        return f"{record['name']} ({record['programme']}): its members and leads as recorded, on a map."
    return "No partnership has this id."


def _detail_title(context: PageContext, partnership_id: str | None = None, **_kwargs: object) -> str:
    obs = context.obs
    if partnership_id and partnership_id in obs.partnerships.index:
        return f"{obs.partnerships.loc[partnership_id, 'name']} – S3 Observatory"
    return "Partnership not found – S3 Observatory"


PAGES = (
    Page(key=__name__, path="/partnerships", layout=index_layout, title="Partnerships – S3 Observatory",
         description="Interregional smart specialisation partnerships by programme", nav="Partnerships",
         order=3),
    Page(key=f"{__name__}.detail", path="/partnerships/<partnership_id>", layout=detail_layout,
         title=_detail_title, description=_detail_description,
         exists=lambda obs, partnership_id: partnership_id in obs.partnerships.index),
)
