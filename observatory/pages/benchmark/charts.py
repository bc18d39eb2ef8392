"""The benchmark's charts as view-models: the view state and the data in, the figures and the peer
table out. Analysis lives in ``observatory.analysis.peers`` / ``benchmark_charts``, the figures in
``observatory.figures.benchmark``; this module only decides what each chart shows for a state.
"""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from observatory.analysis import benchmark_charts as charts
from observatory.analysis.peers import METHOD_LABELS, PeerResult, find_peers, structural_matrix_for
from observatory.components.context import DataUrls
from observatory.figures import benchmark as figs
from observatory.model import Observatory
from observatory.pages.benchmark.common import CHARTS, S3_SOURCE, SCHEME_LABELS, STRUCTURAL_SOURCE, ids
from observatory.pages.benchmark.peer_table import peer_table, removed_chips
from observatory.sources.catalogue import GISCO_ATTRIBUTION
from observatory.state.benchmark_view import BenchmarkView


def draw(obs: Observatory, state: BenchmarkView) -> dict:
    """Everything the page draws for a state: each chart's figure (by name, see ``CHARTS``), the peer
    table, the notes, the removed peers' chips, the peer codes and every region's name."""
    map_url = DataUrls.of(obs).boundaries(2)
    codes, names_all = obs.derived.get(_nuts2_names)
    if state.region is None:
        message = "Pick a region: search it above, or click it on the map."
        titles = ("Ranked values", "Structural profile", "Time series", "Scatter", "Shared S3 priorities")
        empty = [figs.empty_figure(title, message) for title in titles]
        geo = figs.peer_map(map_url, codes, names_all, target=None, peers=[], source=GISCO_ATTRIBUTION)
        return {"figures": dict(zip(CHARTS, [*empty, geo], strict=True)), "summary": "",
                "table": html.P(message, className="text-muted"), "notes": "", "removed": [], "peers": [],
                "names": dict(zip(codes, names_all, strict=True))}
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
        figs.peer_map(map_url, codes, names_all, target=target, peers=peers,
                      source=f"Peers by the chosen methods · {GISCO_ATTRIBUTION}"),
    ]
    year = state.year or obs.latest_year(state.indicator, 2) if state.indicator else None
    summary = charts.benchmark_summary(obs, state.indicator, year, target, peers, methods=state.methods)
    return {"figures": dict(zip(CHARTS, figures, strict=True)), "table": peer_table(obs, result, state),
            "summary": summary_block(summary),
            "notes": [html.Div(n) for n in result.notes], "removed": removed_chips(obs, state),
            "peers": peers, "names": all_names}


def _nuts2_names(obs) -> tuple[list[str], list[str]]:
    """Every NUTS 2 code and its name, by code (the map and the names store; the same for every view)."""
    nuts2 = obs.regions_at(2).reset_index(drop=True).sort_values("nuts_id")
    return nuts2["nuts_id"].astype(str).tolist(), nuts2["name_latn"].astype(str).tolist()


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
    refs = charts.profile_references_for(obs, country)  # the build's matrix, as ``draw`` passes
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


def summary_block(summary: charts.BenchmarkSummary) -> html.Div:
    """The plain-language summary that leads the page, with links to the region's profile."""
    return html.Div([
        html.P(" ".join(summary.sentences(METHOD_LABELS)), className="mb-1"),
        dcc.Link(f"Open the profile of {summary.name}", href=f"/region/{summary.region}",
                 className="small", id=ids("profile-link")),
    ], className="bench-summary")
