"""Building blocks of the strategy repository pages: strategy cards, priority lists with taxonomy
chips, key-figure tiles, partnership rows and the "no record" notice.

Safety rules, enforced here once for every page: text from records is passed as Dash text
children (React escapes it; no raw HTML, no Markdown), and a record's URL becomes a link only when
it is an absolute http(s) URL; anything else is shown as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from observatory.analysis.profile import KeyFigure, higher_is_better
from observatory.components.graphs import STATIC
from observatory.text import is_plain_email

_HTTP_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)

#: Eurostat observation flags (the ones that occur in regional tables).
FLAG_MEANINGS = {
    "b": "break in time series", "c": "confidential", "d": "definition differs", "e": "estimated",
    "f": "forecast", "n": "not significant", "p": "provisional", "r": "revised", "s": "Eurostat estimate",
    "u": "low reliability", "z": "not applicable",
}

SCHEME_NAMES = {"nace": "NACE", "fos": "Field of science", "policy": "Policy objective"}
SCHEME_COLOURS = {"nace": "primary", "fos": "success", "policy": "warning"}
ROLE_COLOURS = {"lead": "danger", "co-lead": "warning", "member": "secondary"}


# -- safe text and links -------------------------------------------------------------------------
def text(value: object) -> str:
    """A record value as plain text ('' for missing values): never markup."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value)


def is_http_url(value: object) -> bool:
    return isinstance(value, str) and bool(_HTTP_URL.match(value.strip()))


def external_link(label: str, url: object, **kwargs) -> html.A | html.Span:
    """A link that opens in a new tab when ``url`` is http(s); otherwise the label as text."""
    if not is_http_url(url):
        return html.Span(label, **kwargs)
    return html.A(label, href=str(url).strip(), target="_blank", rel="noopener noreferrer", **kwargs)


#: How a record's ``source_kind`` is named next to its source link (the about page explains each).
SOURCE_KIND_LABELS = {
    "official": "official site",
    "eu": "EU page",
    "secondary": "secondary source",
    "mirror": "document mirror",
}


def source_kind_text(kind: object, checked: object = None) -> str:
    """'official site, read 2026-12-04': what kind of page a record cites and when it was read."""
    parts = [SOURCE_KIND_LABELS.get(text(kind), "")]
    if text(checked):
        parts.append(f"read {text(checked)}")
    return ", ".join(p for p in parts if p)


def source_link(url: object, label: str = "source", *, kind: object = None,
                checked: object = None) -> html.Span:
    """'(source: official site)' link to the page a record was compiled from, saying what kind of
    page it is (a reader weighs a ministry page and a document mirror differently), or a plain
    note when there is none."""
    if not is_http_url(url):
        return html.Span("(no source link)", className="text-muted small")
    about = source_kind_text(kind, checked)
    return html.Span(["(", external_link(label, url), f": {about}" if about else "", ")"],
                     className=f"small source-link source-{text(kind) or 'unknown'}")


def confidence_badge(confidence: object) -> dbc.Badge | None:
    """'medium confidence' badge (secondary source, draft, inferred); high confidence needs no badge."""
    value = text(confidence)
    if not value or value == "high":
        return None
    return dbc.Badge(f"{value} confidence", color="light", text_color="dark", className="border ms-1",
                     title="medium = secondary source, draft, inferred, or a NUTS code assigned by judgement")


def notes_block(notes: object, *, label: str = "Notes") -> html.Div | None:
    """The curator's notes on a record, shown as they are (they say what is missing or uncertain)."""
    value = text(notes).strip()
    if not value:
        return None
    partial = "partial" in value.casefold() or "incomplete" in value.casefold()
    style = "alert alert-warning py-1 px-2 mb-2" if partial else "text-muted mb-2"
    return html.Div([html.Strong(f"{label}: "), value], className=f"small {style} record-notes")


# -- taxonomy chips ------------------------------------------------------------------------------
def term_chip(tag: dict, href: str) -> html.Span:
    """A taxonomy tag as a chip linking to the map filtered by the term.

    Automatic keyword tags are outlined and say so, with the matched words in the tooltip; tags
    implied by a curated NACE division (its section) say that too.
    """
    scheme = tag["scheme"]
    label = f"{tag['code']} {tag['label']}" if scheme == "nace" else text(tag["label"])
    method = tag["method"]
    if method in ("keyword", "model"):
        scheme_name = SCHEME_NAMES.get(scheme, scheme)
        how = "by the classifier" if method == "model" else "by keyword"
        title = f"{scheme_name} tag found automatically {how}: {text(tag['evidence'])}"
        children = [label, html.Span(" auto", className="chip-method")]
        style = "outline"
    elif method == "implied-section":
        title = "NACE section implied by a division the curator tagged"
        children = [label, html.Span(" implied", className="chip-method")]
        style = "implied"
    else:
        title = f"{SCHEME_NAMES.get(scheme, scheme)} tag set by the records' curator"
        children = [label]
        style = "solid"
    colour = SCHEME_COLOURS.get(scheme, "secondary")
    look = {
        "solid": f"text-bg-{colour}",
        "implied": f"bg-{colour} bg-opacity-50 text-dark",
        "outline": f"border border-{colour} text-{colour} bg-white",
    }[style]
    class_name = f"badge rounded-pill {look} text-decoration-none me-1 mb-1"
    return html.Span(dcc.Link(children, href=href, title=title, className=class_name),
                     className="term-chip", **{"data-term": tag["term"], "data-method": method})


def priority_item(row: Mapping, chip_href: Callable[[str], str]) -> html.Li:
    """One priority: name, short description, chips, confidence and source."""
    tags: Iterable[dict] = row.get("tags") or []
    badge = confidence_badge(row.get("confidence"))
    return html.Li([
        html.Div([html.Strong(text(row["name"])), badge, " ",
                  source_link(row.get("source_url"), kind=row.get("source_kind"))]),
        html.Div(text(row.get("description")), className="small"),
        html.Div([term_chip(tag, chip_href(tag["term"])) for tag in tags], className="mt-1")
        if tags else html.Div("No taxonomy tags.", className="small text-muted"),
    ], className="mb-2 priority", **{"data-priority": text(row["priority_id"])})


def priority_list(priorities: pd.DataFrame, chip_href: Callable[[str], str]) -> html.Div:
    """The priorities of one strategy, or a plain statement that none were recorded."""
    if priorities.empty:
        return html.Div("No priorities were recorded for this strategy (a gap in the records, not "
                        "a strategy without priorities).", className="text-muted small no-priorities")
    rows = priorities.astype(object).to_dict("records")  # plain dicts: much faster than iterrows
    return html.Ol([priority_item(row, chip_href) for row in rows], className="ps-3 mb-0")


# -- strategy cards ------------------------------------------------------------------------------
def status_badge(strategy: Mapping) -> html.Span:
    """'current' or 'superseded' (by which recorded strategy, when known), said in words."""
    if text(strategy.get("status")) == "superseded":
        successor = text(strategy.get("successor_text"))
        return html.Span([
            dbc.Badge("superseded", color="secondary", className="me-1"),
            html.Span(f"by {successor}" if successor else "successor not recorded",
                      className="small text-muted me-2"),
        ], className="strategy-status", **{"data-status": "superseded"})
    return html.Span(dbc.Badge("current", color="success", className="me-2"),
                     className="strategy-status", **{"data-status": "current"})


def contact_block(contacts: Iterable[Mapping]) -> html.Div:
    """The S3 office(s) of a strategy: name, managing authority, official page, published e-mail.

    The e-mail becomes a ``mailto:`` link only when it is a plain address (the pattern the build
    checks); the curated file holds only addresses an official page publishes.
    """
    items = []
    for contact in contacts:
        email = text(contact.get("email"))
        parts: list = [html.Strong(text(contact.get("office")))]
        if text(contact.get("organisation")):
            parts.append(f", {text(contact.get('organisation'))}")
        links: list = []
        if is_http_url(contact.get("web_url")):
            links.append(external_link("office web page", contact.get("web_url")))
        if is_plain_email(email):
            links.append(html.A(email, href=f"mailto:{email}"))
        for link in links:
            parts += [" · ", link]
        parts += [" ", source_link(contact.get("source_url"), kind=contact.get("source_kind"),
                                   checked=contact.get("last_checked"))]
        items.append(html.Li(parts, className="contact-point"))
    if not items:
        return html.Span("no contact point recorded", className="text-muted")
    return html.Ul(items, className="list-unstyled mb-0")


def strategy_card(strategy: pd.Series, priorities: pd.DataFrame, chip_href: Callable[[str], str],
                  *, open_priorities: bool = True, contacts: Iterable[Mapping] = ()) -> html.Div:
    """A strategy: status, titles, period, authority, S3 office, document, source (and its kind),
    how it covers the region, priorities."""
    title = text(strategy["title"])
    title_en = text(strategy.get("title_en"))
    level = text(strategy["level"])
    relation = text(strategy.get("relation_text"))
    document = strategy.get("document_url")
    source = strategy.get("source_url")
    about_source = source_kind_text(strategy.get("source_kind"), strategy.get("last_checked"))
    header = html.Div([
        dbc.Badge(level, color="dark" if level == "national" else "info", className="me-2"),
        status_badge(strategy),
        html.Span(text(strategy["period"]), className="me-2 fw-semibold"),
        html.Span(relation, className="text-muted small strategy-relation"),
    ])
    count = len(priorities)
    summary = f"Priorities ({count})" if count else "Priorities (none recorded)"
    body = [
        html.H3(title, className="h5 card-title mb-1", lang=""),
        html.Div(title_en, className="fst-italic mb-2") if title_en and title_en != title else None,
        html.Dl([
            html.Dt("Territory", className="col-sm-3"),
            html.Dd(text(strategy.get("territory_label") or strategy["territory_code"]),
                    className="col-sm-9"),
            html.Dt("Responsible authority", className="col-sm-3"),
            html.Dd(text(strategy.get("authority")) or "not recorded", className="col-sm-9"),
            html.Dt("Document", className="col-sm-3"),
            html.Dd(external_link("strategy document", document) if is_http_url(document)
                    else html.Span("no link recorded", className="text-muted"), className="col-sm-9"),
            html.Dt("S3 office (contact point)", className="col-sm-3"),
            html.Dd(contact_block(contacts), className="col-sm-9"),
            html.Dt("Source of the record", className="col-sm-3"),
            html.Dd([external_link(text(source), source),
                     html.Span(f" ({about_source})", className="text-muted source-kind") if about_source
                     and is_http_url(source) else None],
                    className="col-sm-9 text-break"),
        ], className="row mb-1 small"),
        notes_block(strategy.get("notes")),
        html.Details([
            html.Summary(summary, className="fw-semibold"),
            priority_list(priorities, chip_href),
        ], open=open_priorities, className="mt-2"),
    ]
    return html.Div([html.Div(header, className="card-header"),
                     html.Div([b for b in body if b is not None], className="card-body")],
                    className="card mb-3 strategy-card", **{"data-strategy": text(strategy["strategy_id"])})


def no_record_notice(region_name: str) -> dbc.Alert:
    """Plain statement that no strategy record covers the region, and what that does not mean."""
    return dbc.Alert([
        html.Strong("No strategy record covers this region. "),
        f"The observatory has no record of a smart specialisation strategy for {region_name} or for a "
        "territory containing it. This is a gap in the compiled records, not evidence that no strategy "
        "exists. The figures and partnerships below are what is known.",
    ], color="secondary", className="no-strategy-record")


# -- key figures ---------------------------------------------------------------------------------
def format_value(value: float | None, unit: str = "") -> str:
    """71.234 -> '71.2', 1234567 -> '1,234,567'; unit appended; None -> 'no value'."""
    if value is None or pd.isna(value):
        return "no value"
    magnitude = abs(value)
    if magnitude >= 1000:
        shown = f"{value:,.0f}"
    elif magnitude >= 10:
        shown = f"{value:,.1f}"
    else:
        shown = f"{value:,.2f}"
    return f"{shown} {unit}".strip()


def flag_text(flag: str) -> str:
    """'p' -> 'p: provisional'; several letters are explained one by one."""
    flag = text(flag).strip()
    if not flag:
        return ""
    return ", ".join(f"{f}: {FLAG_MEANINGS.get(f, 'flag')}" for f in flag if f.strip())


def rank_text(rank: int | None, count: int, where: str) -> str:
    if rank is None:
        return f"not ranked in {where}" if count else ""
    return f"{rank} of {count} in {where}"


def figure_tile(figure: KeyFigure, *, region_name: str, proxy_name: str, country_name: str,
                sparkline: object | None) -> html.Div:
    """A headline indicator: value, year, unit, flag, ranks, trend; or a plain 'no value' tile."""
    lines: list = [html.Div(text(figure.label), className="small fw-semibold tile-label")]
    if figure.value is None:
        lines.append(html.Div("no value", className="fs-5 text-muted tile-value"))
        lines.append(html.Div(f"Not published for {region_name}.", className="small text-muted"))
    else:
        lines.append(html.Div([
            html.Span(format_value(figure.value), className="fs-5 fw-bold tile-value"),
            html.Span(f" {figure.unit}", className="small tile-unit"),
            html.Span(f" ({figure.year})", className="text-muted small tile-year"),
        ]))
        if figure.flag:
            lines.append(html.Div(f"Eurostat flag {flag_text(figure.flag)}",
                                  title="Eurostat observation flag",
                                  className="small text-warning-emphasis tile-flag"))
        if figure.proxy:
            lines.append(html.Div(f"Value for {proxy_name}: not published at this region's level.",
                                  className="small text-muted"))
        ranks = [r for r in (rank_text(figure.rank_country, figure.n_country, country_name),
                             rank_text(figure.rank_eu, figure.n_eu, "the EU")) if r]
        better = higher_is_better(figure.direction)
        if better is None:
            lines.append(html.Div("Not ranked: neither a higher nor a lower value is better.",
                                  className="small text-muted tile-rank"))
        elif ranks:
            direction = "higher is better" if better else "lower is better"
            lines.append(html.Div(f"Rank {'; '.join(ranks)} ({direction}; NUTS {figure.level} regions "
                                  f"with a {figure.year} value)", className="small tile-rank"))
    if sparkline is not None:  # the sparkline carries the source line
        lines.append(dcc.Graph(figure=sparkline, config=STATIC, style={"height": "110px"},
                               className="tile-trend"))
    else:
        lines.append(html.Div(text(figure.attribution), className="text-muted", style={"fontSize": "0.7rem"}))
    return html.Div(html.Div(lines, className="card-body p-2"), className="card h-100 figure-tile",
                    **{"data-indicator": figure.indicator})


# -- partnerships --------------------------------------------------------------------------------
def role_badge(role: str) -> dbc.Badge:
    return dbc.Badge(role, color=ROLE_COLOURS.get(role, "secondary"), className="me-1 role-badge")


def partnership_rows(rows: pd.DataFrame) -> html.Div:
    """A region's partnerships: name (linked to its page), programme, role and how it is a member."""
    if rows.empty:
        return html.Div("No partnership record names this region or a territory containing it.",
                        className="text-muted small no-partnerships")
    items = []
    for _, row in rows.iterrows():
        items.append(html.Tr([
            html.Td(dcc.Link(text(row["name"]), href=f"/partnerships/{row['partnership_id']}")),
            html.Td(text(row["programme"]), className="small"),
            html.Td([role_badge(text(row["role"])), confidence_badge(row.get("confidence"))]),
            html.Td(text(row["membership"]), className="small"),
        ], className="partnership-row", **{"data-partnership": text(row["partnership_id"])}))
    head = html.Thead(html.Tr([html.Th("Partnership"), html.Th("Programme / platform"), html.Th("Role"),
                               html.Th("Membership")]))
    return dbc.Table([head, html.Tbody(items)], size="sm", striped=True, responsive=True, className="mb-0")
