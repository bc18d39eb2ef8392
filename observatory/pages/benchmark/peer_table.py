"""The peer table: who the peers are, which method chose them, and how far each dimension puts them."""

from __future__ import annotations

import math

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from observatory.analysis.peers import DIMENSION_LABELS, METHOD_LABELS, PeerResult
from observatory.pages.benchmark.common import DIMENSION_COLOURS, ids
from observatory.state.benchmark_view import BenchmarkView


def _number(value, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.{digits}f}"


def contribution_bar(row: pd.Series | dict, dimensions: tuple[str, ...]) -> html.Div:
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
    for rank, (code, row) in enumerate(peers.to_dict("index").items(), start=1):
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
