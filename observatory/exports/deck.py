"""The benchmark deck: one PowerPoint file to present a region against its peers.

Slides: a title slide (the region, its peers and how they were chosen), the region's key figures,
the peer list with the reason each peer is there, then each benchmark chart on its own slide
(native charts; see :mod:`observatory.exports.slides`). Made from the benchmark page's own query.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from observatory.analysis.peers import METHOD_LABELS, find_peers, structural_matrix_for
from observatory.analysis.profile import key_figures
from observatory.exports import slides
from observatory.exports.charts import BENCHMARK_CHARTS, benchmark_of, peer_methods
from observatory.model import Observatory

#: The benchmark's charts, in the deck's order.
DECK_CHARTS = ("bench-bars", "bench-series", "bench-profile", "bench-scatter", "bench-priorities")
#: Slides before the charts: title, key figures, peers.
LEAD_SLIDES = 3

Progress = Callable[[int, int], None]


def _value(value: float | None, unit: str) -> str:
    return "no data" if value is None else f"{value:,.4g} {unit}".strip()


def _rank(rank: int | None, total: int) -> str:
    return f"{rank} of {total}" if rank is not None else "–"


def benchmark_deck(obs: Observatory, search: str, progress: Progress | None = None) -> bytes:
    """The deck for a benchmark query (``?region=..&method=..``); ``progress(done, total)`` per slide."""
    bench = benchmark_of(obs, search)  # parsed strictly and drawn once for every chart slide
    state = bench.state
    total = LEAD_SLIDES + len(DECK_CHARTS)
    report = progress or (lambda done, total: None)
    region = obs.region(state.region)
    result = find_peers(obs, state.region, state.peer_options(), matrix=structural_matrix_for(obs))
    methods = peer_methods(state)
    deck = slides.new_presentation()
    slides.title_slide(
        deck, title=f"{region.name} ({region.code}) and its peers",
        subtitle=f"Benchmark of {len(result.codes)} peer regions ({methods})",
        lines=[f"View: /benchmark{state.to_query()}",
               "Sources: Eurostat regional statistics; S3 strategy records compiled from public pages; "
               "© EuroGeographics for the administrative boundaries"])
    report(1, total)
    figures = key_figures(obs, state.region)
    slides.table_slide(
        deck, title=f"Key figures: {region.name}",
        subtitle="Latest published value of each headline indicator",
        sources=tuple(dict.fromkeys(f.attribution for f in figures if f.attribution)),
        header=["Indicator", "Value", "Year", "Rank in country", "Rank in the EU"],
        rows=[[f.label, _value(f.value, f.unit), f.year or "–", _rank(f.rank_country, f.n_country),
               _rank(f.rank_eu, f.n_eu)] for f in figures],
        widths=[5, 2.5, 1, 1.5, 1.5])
    report(2, total)
    slides.table_slide(
        deck, title=f"Peers of {region.name}", subtitle="Why each region is a peer",
        sources=("Structural distance: standardised Eurostat, RCI 2022 and EURITO indicators; "
                 "priority similarity: Jaccard index of the strategies' tagged priorities",),
        header=["#", "Peer", "Chosen by", "Structural distance", "Shared priorities"],
        rows=_peer_rows(obs, result), widths=[0.4, 3, 2.2, 1.6, 4.5])
    report(3, total)
    for done, name in enumerate(DECK_CHARTS, start=LEAD_SLIDES + 1):
        slides.add_chart_slide(deck, BENCHMARK_CHARTS[name](obs, bench))
        report(done, total)
    return slides.save(deck)


def _peer_rows(obs: Observatory, result) -> list[list[str]]:
    labels = obs.terms["label"].to_dict()
    rows = []
    for rank, (code, row) in enumerate(result.peers.iterrows(), start=1):
        peer = obs.region(code)
        distance = row.get("distance")
        shared = row.get("shared")
        terms = [str(labels.get(t, t)) for t in (shared if isinstance(shared, tuple | list) else [])]
        rows.append([
            str(rank), f"{peer.name if peer else code} ({code})",
            ", ".join(METHOD_LABELS.get(m, "hand-picked") for m in row["methods"]),
            "–" if distance is None or (isinstance(distance, float) and math.isnan(distance))
            else f"{distance:.2f}",
            ", ".join(terms[:5]) + (f" +{len(terms) - 5} more" if len(terms) > 5 else "") or "–",
        ])
    return rows
