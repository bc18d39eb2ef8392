"""Coverage and sources, ``/about/data``: what the records and statistics cover, country by
country, where the gaps are, every source with its licence and attribution, and the build date.

Gaps are shown as gaps: a country or region without a record is labelled "no record", in a
distinct style, never as a 0 that could be read as "none exists". The current (2021-2027) records
are measured against the list of what is known to exist ("expected vs recorded"), and every records
file says how many of its rows cite official, EU, secondary or mirror sources.

Wide tables sit in a focusable, labelled region that scrolls sideways, so a phone (390 px) or a
keyboard user can read them without the page itself scrolling sideways.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from observatory.analysis import coverage
from observatory.components import cards
from observatory.components.context import PageContext
from observatory.components.ids import Ids
from observatory.model import Observatory
from observatory.pages.page import Page

ids = Ids("about")

GAP_CLASS = "table-warning fst-italic gap"


def _count_cell(count: int, total: int | None = None, *, gap_text: str = "no record") -> html.Td:
    """A count, or a visibly marked gap when nothing is recorded (not a zero)."""
    if count == 0:
        return html.Td(gap_text, className=GAP_CLASS, title="Nothing recorded: unknown, not zero")
    return html.Td(f"{count} of {total}" if total is not None else str(count))


def _country_table(table: pd.DataFrame) -> dbc.Table:
    body = []
    for _, row in table.iterrows():
        body.append(html.Tr([
            html.Td([dcc.Link(f"{row['name']} ({row['country']})", href=f"/region/{row['country']}"),
                     "" if row["eu"] else html.Span(" non-EU", className="text-muted small")]),
            html.Td(row["status"], className=GAP_CLASS if "gap" in row["status"] else ""),
            html.Td(str(row["national_strategies"]) if row["national_strategies"] else "—",
                    className="" if row["national_strategies"] else GAP_CLASS),
            _count_cell(int(row["regional_strategies"])),
            _count_cell(int(row["nuts2_regional"]), int(row["nuts2_regions"]), gap_text="none covered"),
            html.Td(f"{row['nuts2_no_record']} of {row['nuts2_regions']}",
                    className=GAP_CLASS if row["nuts2_no_record"] else ""),
            html.Td(f"{row['strategies_with_priorities']} ({row['priorities']} priorities)"
                    if row["strategies_with_priorities"] else "no record",
                    className="" if row["strategies_with_priorities"] else GAP_CLASS),
            html.Td(str(row["strategies_without_priorities"] or "—")),
            html.Td(str(row["partial_priority_lists"] or "—")),
            _count_cell(int(row["nuts2_in_partnership"]), int(row["nuts2_regions"]), gap_text="no record"),
        ], **{"data-country": row["country"]}))
    head = html.Thead(html.Tr([
        html.Th("Country"), html.Th("Strategy records"), html.Th("National"), html.Th("Regional"),
        html.Th("NUTS 2 regions covered by a regional record"),
        html.Th("NUTS 2 regions with no record at all"),
        html.Th("Strategies with priorities"), html.Th("Strategies without priority records"),
        html.Th("Priority lists marked partial"), html.Th("NUTS 2 regions in a partnership record"),
    ]))
    return dbc.Table([head, html.Tbody(body)], size="sm", bordered=True, responsive=True, id=ids("countries"),
                     className="small")


#: Bootstrap table classes of the records tables (caption above: it stays in view on a phone).
_TABLE_CLASS = "table table-sm table-bordered small caption-top"


def _scroll_region(label: str, table: html.Table, region_id: str) -> html.Div:
    """A table in a horizontally scrolling region that keyboard users can focus and scroll."""
    return html.Div(table, className="table-responsive mb-2", role="region", tabIndex=0,
                    id=region_id, **{"aria-label": label})


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def _records_totals(totals: dict[str, float]) -> html.Ul:
    return html.Ul([
        html.Li(f"{totals['current_strategies']} current (2021-2027) strategies recorded."),
        html.Li(f"National strategies: {totals['national_recorded']} recorded of "
                f"{totals['national_expected']} known to exist."),
        html.Li(f"Regional strategies: {totals['regional_recorded']} of the {totals['regional_expected']} "
                "territories known to have their own recorded."),
        html.Li(f"{_percent(totals['share_current_with_priorities'])} of the current strategies have their "
                f"priority list, {_percent(totals['share_current_with_contact'])} a contact point."),
        html.Li(f"{totals['partnerships']} interregional partnerships "
                f"({totals['s3_thematic_partnerships']} of the S3 thematic platforms), "
                f"{totals['partnerships_with_members']} of them with member records."),
    ], id=ids("records-totals"))


def _partnership_table(table: pd.DataFrame) -> html.Div:
    """Per programme family: how many partnerships have members, a lead, a dated list, a status."""
    body = []
    for row in table.itertuples(index=False):
        whole = int(row.partnerships)
        cells = [html.Td(_of(int(value), whole), className=GAP_CLASS if value < whole else "")
                 for value in (row.with_members, row.with_lead, row.with_dated_list, row.status_known)]
        header = html.Th(row.family, scope="row")
        body.append(html.Tr([header, html.Td(str(whole)), *cells, html.Td(str(int(row.member_rows)))],
                            **{"data-family": row.family}))
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in (
        "Programme", "Partnerships", "with members", "with a lead", "with a dated member list",
        "active or closed (status known)", "Member records")]))
    caption = html.Caption("Partnership records by programme: what is recorded of each partnership. "
                           "A gap means the sources read did not say it.")
    table_el = html.Table([caption, head, html.Tbody(body)], className=_TABLE_CLASS,
                          id=ids("partnership-coverage"))
    return _scroll_region("Partnership records by programme", table_el, ids("partnership-coverage-region"))


def _of(part: int, whole: int) -> str:
    return f"{part} of {whole}"


def _records_country_table(table: pd.DataFrame, names: dict[str, str]) -> html.Div:
    """Expected vs recorded per country: one row per country, the country as the row header."""
    body = []
    for row in table.itertuples(index=False):
        if row.national_recorded:
            national = html.Td("recorded")
        elif row.national_expected:
            national = html.Td("missing", className=GAP_CLASS, title="Known to exist, not recorded")
        else:
            national = html.Td("none expected", className="text-muted")
        missing_cell = html.Td("—")
        if missing := [code for code in row.regional_missing.split(";") if code]:
            links: list = []
            for code in missing:
                links += [", "] if links else []
                links.append(dcc.Link(code, href=f"/region/{code}"))
            missing_cell = html.Td(links)  # no yellow: links on it would lack contrast
        current = int(row.current_strategies)
        body.append(html.Tr([
            html.Th(f"{names.get(row.country, row.country)} ({row.country})", scope="row"),
            national,
            html.Td(_of(int(row.regional_recorded), int(row.regional_expected))
                    if row.regional_expected else "none expected"),
            missing_cell,
            html.Td(str(current)),
            html.Td(_of(int(row.current_with_priorities), current),
                    className=GAP_CLASS if row.current_with_priorities < current else ""),
            html.Td(_of(int(row.current_with_contact), current)),
            html.Td(str(row.partnerships_with_members)),
        ], **{"data-country": row.country}))
    head = html.Thead(html.Tr([html.Th(name, scope="col") for name in (
        "Country", "National S3", "Regional S3: recorded of expected", "Regional S3 not recorded",
        "Current strategies", "with priorities", "with a contact point", "Partnerships with members here",
    )]))
    caption = html.Caption("Current (2021-2027) strategies per country: what is known to exist and what is "
                           "recorded. Partnerships count those with a member region located in the country.")
    table = html.Table([caption, head, html.Tbody(body)], className=_TABLE_CLASS,
                       id=ids("records-countries"))
    return _scroll_region("Expected and recorded strategies per country", table,
                          ids("records-countries-region"))


#: What each ``source_kind`` means, in the words shown to users (curated/s3/README.md has the lists).
SOURCE_KIND_MEANING = {
    "official": "an official regional or national government or agency site (managing authority, "
                "development agency, national S3 portal)",
    "eu": "the European Commission, the JRC's S3 Platform, Interreg, or an EU-funded project's or "
          "partnership's own site",
    "secondary": "news, associations and networks, clusters, consultants, academic papers or a code host",
    "mirror": "a copy of a document on a document-hosting site: to be replaced by the official page",
}

_FILE_LABELS = {
    "strategies": "Strategies", "priorities": "Priorities", "partnerships": "Partnerships",
    "partnership_members": "Partnership members", "contact_points": "Contact points",
    "expected_territories": "Known to exist (expected list)",
}


def _source_kind_table(shares: pd.DataFrame) -> html.Div:
    """Rows by source kind per records file: count and share of the file's rows."""
    kinds = list(coverage.SOURCE_KINDS)
    body = []
    for file, part in shares.groupby("file", sort=False):
        by_kind = part.set_index("source_kind")
        body.append(html.Tr([
            html.Th(_FILE_LABELS.get(file, file), scope="row"),
            html.Td(str(int(part["rows"].sum()))),
            *[html.Td(f"{int(by_kind.at[kind, 'rows'])} ({_percent(by_kind.at[kind, 'share'])})",
                      className=GAP_CLASS if kind == "mirror" and by_kind.at[kind, "rows"] else "")
              for kind in kinds],
        ], **{"data-file": file}))
    head = html.Thead(html.Tr([html.Th("Records file", scope="col"), html.Th("Rows", scope="col"),
                               *[html.Th(kind, scope="col") for kind in kinds]]))
    caption = html.Caption("Rows by the kind of source they cite: count and share of the file's rows.")
    table = html.Table([caption, head, html.Tbody(body)], className=_TABLE_CLASS,
                       id=ids("source-kinds"))
    return _scroll_region("Rows by source kind per records file", table, ids("source-kinds-region"))


def _source_kind_meanings() -> html.Ul:
    items = [html.Li([html.Strong(kind), f": {meaning}."]) for kind, meaning in SOURCE_KIND_MEANING.items()]
    return html.Ul(items, className="small", id=ids("source-kind-meanings"))


def _totals(totals: dict[str, int]) -> html.Ul:
    return html.Ul([
        html.Li(f"{totals['strategies']} strategy records: {totals['national_strategies']} national, "
                f"{totals['regional_strategies']} regional; {totals['strategies_with_priorities']} of them "
                f"with priority records ({totals['priorities']} priorities)."),
        html.Li(f"{totals['eu_nuts2_with_regional_strategy']} of {totals['eu_nuts2_regions']} EU NUTS 2 "
                "regions are covered (wholly or partly) by a regional strategy record; "
                f"{totals['eu_nuts2_with_priorities']} by a strategy with priority records (national ones "
                "included)."),
        html.Li(f"{totals['partnerships']} partnerships with {totals['member_rows']} member records, "
                f"{totals['member_rows_unlocated']} of them without a NUTS code (listed, not mapped)."),
    ], id=ids("totals"))


def _without_priorities(table: pd.DataFrame) -> html.Details:
    items = [html.Li([
        dcc.Link(f"{row.territory_name} ({row.territory_code})", href=f"/region/{row.territory_code}"),
        f", {row.level}, {row.period}: ",
        html.Span(cards.text(row.notes) or "no note", className="text-muted"),
    ]) for row in table.itertuples(index=False)]
    return html.Details([html.Summary(f"Strategy records without priority records ({len(table)})"),
                         html.Ul(items, className="small")], id=ids("no-priorities"))


def _indicator_table(table: pd.DataFrame) -> dbc.Table:
    body = [html.Tr([
        html.Td(cards.text(row.label)), html.Td(f"NUTS {row.level}"), html.Td(str(row.year)),
        html.Td(f"{row.with_value} of {row.eu_regions}"),
        html.Td(str(row.zero_values)),
        html.Td(str(row.missing), className=GAP_CLASS if row.missing else ""),
    ]) for row in table.itertuples(index=False)]
    head = html.Thead(html.Tr([html.Th("Indicator"), html.Th("Level"), html.Th("Latest year"),
                               html.Th("EU regions with a value"), html.Th("of which exactly 0"),
                               html.Th("EU regions without a value (gap)")]))
    return dbc.Table([head, html.Tbody(body)], size="sm", bordered=True, responsive=True, className="small",
                     id=ids("indicators"))


def _indicator_summary(table: pd.DataFrame) -> html.P:
    nuts2 = table[table["level"] == 2]
    complete = int((nuts2["missing"] == 0).sum())
    return html.P(f"{table['indicator'].nunique()} indicators. At NUTS 2, in each indicator's latest year, "
                  f"{complete} of {len(nuts2)} have a value for every EU region; the others have gaps "
                  "(regions without a published value, never counted as zero).", className="small")


def _sources(table: pd.DataFrame) -> dbc.Table:
    body = [html.Tr([
        html.Td(html.Code(row.id)),
        html.Td([cards.text(row.path), html.Br(),
                 cards.external_link("upstream", row.url, className="small"),
                 *([" · ", cards.external_link("publisher", row.origin, className="small")]
                   if cards.is_http_url(row.origin) else []),
                 *([html.Span(" · hash recorded, not pinned", className="small text-muted")]
                   if not pd.isna(row.pinned) and not row.pinned else [])]),
        html.Td(cards.text(row.licence), className="small"),
        html.Td(cards.text(row.attribution), className="small"),
    ]) for row in table.itertuples(index=False)]
    head = html.Thead(html.Tr([html.Th(name) for name in ("Source", "File", "Licence", "Attribution")]))
    return dbc.Table([head, html.Tbody(body)], size="sm", striped=True, responsive=True, className="small",
                     id=ids("sources"))


def _build_log(entries: list[dict]) -> html.Details:
    items = [html.Li([html.Code(cards.text(e.get("source"))), ": ", cards.text(e.get("message")),
                      f" ({e['count']})" if e.get("count") else ""]) for e in entries]
    return html.Details([html.Summary(f"Build log: rows dropped or remapped ({len(entries)} entries)"),
                         html.Ul(items, className="small")], id=ids("log"))


def layout(context: PageContext, **_query: object) -> html.Div:
    return context.obs.derived.get(_content)


def _content(obs: Observatory) -> html.Div:
    """The page for one data build: it only changes when the data does, so it is computed once."""
    built = cards.text(obs.manifest.get("built_at")) or "unknown"
    return html.Div([
        html.H1("Coverage and sources", className="h2"),
        html.P(["Data build of ", html.Strong(built, id=ids("built-at")), f" (build {obs.path.name})."]),
        dbc.Alert([
            html.Strong("How to read gaps. "),
            "Strategy, priority and partnership records were compiled by hand from public pages. A region "
            "without a record is a gap in the records, not a region without a strategy; cells marked “no "
            "record” (in yellow, italic) are such gaps. Statistics are as Eurostat and the Commission "
            "publish them: a missing value is a gap, a 0 is a published zero.",
        ], color="info", className="small"),
        html.H2("Current strategies: expected and recorded", className="h3"),
        html.P("The records are measured against a list of the territories known to have a current "
               "(2021-2027) smart specialisation strategy, each entry citing the page that says so.",
               className="small"),
        _records_totals(coverage.observatory_records_totals(obs)),
        _records_country_table(coverage.observatory_records_coverage(obs),
                               {c: obs.country_name(c) for c in obs.regions_at(0)["nuts_id"].astype(str)}),
        html.H2("Where the records come from", className="h3 mt-4"),
        html.P("Every record cites the page it was read from, and each citation is classed by the kind of "
               "site it is on:", className="small"),
        _source_kind_meanings(),
        _source_kind_table(coverage.observatory_source_kinds(obs)),
        html.H2("Partnerships: what their records hold", className="h3 mt-4"),
        _partnership_table(coverage.observatory_partnership_coverage(obs)),
        html.H2("Strategy repository", className="h3 mt-4"),
        _totals(coverage.coverage_totals(obs)),
        _country_table(coverage.country_coverage(obs)),
        _without_priorities(coverage.strategies_without_priorities(obs)),
        html.H2("Indicators", className="h3 mt-4"),
        _indicator_summary(indicators := coverage.indicator_coverage(obs)),
        html.Details([html.Summary("Coverage of every indicator and level"), _indicator_table(indicators)],
                     id=ids("indicator-details")),
        html.H2("Sources, licences and attribution", className="h3 mt-4"),
        html.P("Every file the build read. S3 records carry their own source URL on every row, shown next to "
               "each record in the app.", className="small text-muted"),
        _sources(coverage.sources_table(obs)),
        _build_log(obs.manifest.get("log", [])),
    ], className="about-data")


PAGES = (Page(key=__name__, path="/about/data", layout=layout, title="Coverage and sources – S3 Observatory",
              description="Coverage of the records, gaps, sources, licences and the data build",
              nav="About the data", order=5),)
