"""Coverage and sources, ``/about/data``: what the records and statistics cover, country by
country, where the gaps are, every source with its licence and attribution, and the build date.

Gaps are shown as gaps: a country or region without a record is labelled "no record", in a
distinct style, never as a 0 that could be read as "none exists".
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
                 cards.external_link("upstream", row.url, className="small")]),
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
        html.H2("Strategy repository", className="h3"),
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
