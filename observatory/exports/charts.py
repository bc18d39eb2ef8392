"""Which charts can be exported, and how each is made from the page's own URL parameters.

A chart export is what a slide, a data file and an embed all need: the figure the page draws, the
data behind it as tidy rows, a title, a subtitle (indicator, unit, year, NUTS level) and the source
lines. :func:`chart_export` makes one from a figure name and the query string the page carries, so
``/?level=3&indicator=...`` becomes ``/export/map.png?level=3&indicator=...`` by swapping the path.

Unlike the pages, which show a link's usable part and say what they ignored, an export is strict:
any rejected parameter is an :class:`ExportError` (a 400 with the reasons), so a scripted download
never silently returns another view than the one asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from observatory.analysis import benchmark_charts as charts
from observatory.analysis.map_answers import layer_rows
from observatory.analysis.map_measures import MapLayer, layer_for, s3_source_line
from observatory.analysis.peers import METHOD_LABELS, structural_matrix_for, term_sets_for
from observatory.analysis.profile import headline_indicators, key_figure
from observatory.figures.profile import trend_title
from observatory.model import Observatory
from observatory.pages.benchmark.charts import draw
from observatory.pages.benchmark.common import S3_SOURCE, SCHEME_LABELS
from observatory.pages.map_explorer import map_basemap, selected_codes
from observatory.sources.catalogue import GISCO_ATTRIBUTION
from observatory.state.benchmark_view import BenchmarkView
from observatory.state.map_view import MapView
from observatory.state.query import parse_query, to_query

#: The columns every data export starts with, in this order (extra columns follow).
DATA_COLUMNS = ["region", "name", "indicator", "label", "unit", "year", "value", "flag", "source"]

#: How a chart goes into PowerPoint: a native chart of this kind, or a picture (``map``, ``table``).
KINDS = ("bar", "line", "scatter", "dots", "table", "map")


class ExportError(ValueError):
    """A request that cannot be exported: ``status`` 400 (bad parameters) or 404 (unknown chart)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class ChartExport:
    """One chart, ready to be written as any format.

    ``figure`` is the page's figure (for the map, boundaries by URL: the renderer inlines them);
    ``data`` has :data:`DATA_COLUMNS` first; ``page`` is the address of the full view.
    """

    name: str
    title: str
    subtitle: str
    sources: tuple[str, ...]
    figure: go.Figure
    data: pd.DataFrame
    kind: str
    page: str
    notes: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def source_line(self) -> str:
        return " · ".join(self.sources)


@dataclass(frozen=True)
class ChartSpec:
    """An exportable chart: its page, a label for menus, and how it is made."""

    name: str
    label: str
    page: str
    make: Callable[[Observatory, str], ChartExport]


def _strict(errors: list[str]) -> None:
    if errors:
        raise ExportError("Not exported, the link has a problem: " + "; ".join(errors))


def _tidy(frame: pd.DataFrame, **constants) -> pd.DataFrame:
    """``frame`` with the constant columns set and :data:`DATA_COLUMNS` first, in order."""
    out = frame.copy()
    for key, value in constants.items():
        out[key] = value
    for column in DATA_COLUMNS:
        if column not in out.columns:
            out[column] = None
    extra = [c for c in out.columns if c not in DATA_COLUMNS]
    return out[DATA_COLUMNS + extra].reset_index(drop=True)


def _indicator_facts(obs: Observatory, indicator: str | None) -> dict:
    spec = obs.indicator(indicator) if indicator else None
    if spec is None:
        return {"indicator": indicator, "label": "", "unit": "", "source": ""}
    return {"indicator": indicator, "label": str(spec["label"]), "unit": str(spec["unit"]),
            "source": obs.source_lines(indicator)}


def _subtitle(*parts: object) -> str:
    return " · ".join(str(p) for p in parts if p not in (None, ""))


# -- the map ----------------------------------------------------------------------------------------
def map_export(obs: Observatory, search: str) -> ChartExport:
    """The map explorer's map for ``?level=..&measure=..`` (what ``/`` shows for the same query)."""
    from observatory.figures.map_figure import map_figure

    view, errors = MapView.from_query(search, obs)  # query-level problems (>50 parameters) included
    _strict(errors)
    layer = layer_for(obs, view.measure, view.level, indicator=view.indicator, year=view.year,
                      term=view.term, partnership=view.partnership, period=view.period)
    figure = map_figure(f"/geo/{obs.path.name}/nuts{view.level}.geojson", layer, view=view.view,
                        selected=selected_codes(obs, view), basemap=map_basemap(obs, view))
    rows = layer_rows(layer)
    facts = _indicator_facts(obs, view.indicator) if view.measure == "indicator" else \
        {"indicator": view.measure, "label": layer.legend_title or layer.title, "unit": layer.unit,
         "source": layer.source}
    data = _tidy(rows, year=layer.year, level=view.level, **facts)
    data = data.drop(columns=[c for c in ("rank", "category", "detail") if data[c].isna().all()])
    sources = _map_sources(obs, view, layer)
    if view.measure == "indicator":
        subtitle = _subtitle(layer.unit, layer.year, f"NUTS {view.level}")
    else:
        subtitle = _subtitle(layer.legend_title, _period_label(view), f"NUTS {view.level}")
    return ChartExport(name="map", title=layer.title, subtitle=subtitle, sources=sources, figure=figure,
                       data=data, kind="map", page="/" + view.to_query(obs), notes=tuple(layer.notes),
                       extra={"level": view.level})


def _period_label(view: MapView) -> str:
    return "" if view.measure == "indicator" else f"strategies: {view.period}"


def _map_sources(obs: Observatory, view: MapView, layer: MapLayer) -> tuple[str, ...]:
    lines = [layer.source] if layer.source else []
    if view.measure != "indicator":
        lines.append(s3_source_line(obs))
    lines.append(GISCO_ATTRIBUTION)
    return tuple(dict.fromkeys(line for line in lines if line))


# -- the benchmark ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Benchmark:
    """One benchmark view, drawn once: its state, its peers and every chart's figure (by page name).

    The five benchmark exports of a query (and the deck, which holds them all) share one of these,
    so the peer search and the page's figures are computed once, not once per chart.
    """

    state: BenchmarkView
    peers: list[str]
    figures: dict


def benchmark_of(obs: Observatory, search: str) -> Benchmark:
    """The benchmark view of a query, strictly parsed (a region is required), and drawn."""
    state, errors = BenchmarkView.from_query(search, obs)
    _strict(errors)
    if state.region is None:
        raise ExportError("Choose a region: add region=<NUTS 2 code> (as on the benchmark page).")
    drawn = draw(obs, state)
    return Benchmark(state=state, peers=list(drawn["peers"]), figures=drawn["figures"])


def _bench_page(state: BenchmarkView) -> str:
    return "/benchmark" + state.to_query()


def peer_methods(state: BenchmarkView) -> str:
    """How the peers were chosen, in words ("structurally similar, same country")."""
    return ", ".join(METHOD_LABELS.get(m, m).lower() for m in state.methods) or "hand-picked regions"


def _methods(state: BenchmarkView) -> str:
    return f"peers: {peer_methods(state)}"


def bench_bars(obs: Observatory, bench: Benchmark) -> ChartExport:
    state, peers = bench.state, bench.peers
    facts = _indicator_facts(obs, state.indicator)
    year = state.year or obs.latest_year(state.indicator, 2) if state.indicator else None
    if not state.indicator or year is None:
        raise ExportError("The ranked bars need an indicator with NUTS 2 values (ind=<indicator id>).")
    frame = charts.ranked_values(obs, state.indicator, year, state.region, peers)
    name = obs.region(state.region).name
    return ChartExport(
        name="bench-bars", title=f"{facts['label']}: {name} and its peers",
        subtitle=_subtitle(facts["unit"], year, "NUTS 2", _methods(state)), sources=(facts["source"],),
        figure=bench.figures["bars"], data=_tidy(frame, year=year, **facts), kind="bar",
        page=_bench_page(state))


def bench_series(obs: Observatory, bench: Benchmark) -> ChartExport:
    state, peers = bench.state, bench.peers
    if not state.indicator:
        raise ExportError("The time series needs an indicator (ind=<indicator id>).")
    facts = _indicator_facts(obs, state.indicator)
    frame = charts.series_frame(obs, state.indicator, [state.region, *peers])
    name = obs.region(state.region).name
    years = frame["year"]
    span = f"{int(years.min())}-{int(years.max())}" if len(years) else ""
    return ChartExport(
        name="bench-series", title=f"{facts['label']} over time: {name} and its peers",
        subtitle=_subtitle(facts["unit"], span, "NUTS 2", _methods(state)), sources=(facts["source"],),
        figure=bench.figures["series"], data=_tidy(frame, **facts), kind="line",
        page=_bench_page(state), extra={"target": state.region})


def bench_scatter(obs: Observatory, bench: Benchmark) -> ChartExport:
    state, peers = bench.state, bench.peers
    if not state.x or not state.y:
        raise ExportError("The scatter needs two indicators (x=<indicator id>&y=<indicator id>).")
    year_x, year_y = charts.scatter_years(obs, state.x, state.y, state.scatter_year)
    frame = charts.scatter_frame(obs, state.x, state.y, year_x=year_x, year_y=year_y, target=state.region,
                                 peers=peers)
    fx, fy = _indicator_facts(obs, state.x), _indicator_facts(obs, state.y)
    long = pd.concat([
        _tidy(frame.drop(columns=["y"]).rename(columns={"x": "value"}), year=year_x, axis="x", **fx),
        _tidy(frame.drop(columns=["x"]).rename(columns={"y": "value"}), year=year_y, axis="y", **fy),
    ], ignore_index=True)
    years = year_x if year_x == year_y else f"{year_x} (x), {year_y} (y)"
    return ChartExport(
        name="bench-scatter", title=f"{fy['label']} against {fx['label']}",
        subtitle=_subtitle(years, "NUTS 2", f"{obs.region(state.region).name} and its peers highlighted"),
        sources=tuple(dict.fromkeys(s for s in (fx["source"], fy["source"]) if s)),
        figure=bench.figures["scatter"], data=long, kind="scatter", page=_bench_page(state),
        extra={"x": fx, "y": fy})


def bench_profile(obs: Observatory, bench: Benchmark) -> ChartExport:
    state, peers = bench.state, bench.peers
    matrix = structural_matrix_for(obs)
    labels = obs.catalogue["label"].to_dict()
    frame = charts.profile_frame(matrix, [state.region, *peers], labels)
    names = charts.region_names(obs, frame["region"].unique())
    units = obs.catalogue["unit"].to_dict()
    data = frame.rename(columns={"raw": "value"}).assign(
        name=frame["region"].map(names), unit=frame["indicator"].map(units).fillna(""),
        source=frame["indicator"].map(obs.source_lines), flag=None)
    data["year"] = data["year"].astype("Float64").round().astype("Int64")
    window = f"{matrix.reference_year - matrix.window}-{matrix.reference_year}"
    return ChartExport(
        name="bench-profile", title=f"Structural profile: {obs.region(state.region).name} and its peers",
        subtitle=_subtitle("standardised values (z-scores) of the structural indicators", window, "NUTS 2"),
        sources=("Sources: Eurostat; EU Regional Competitiveness Index 2022; Nesta EURITO",),
        figure=bench.figures["profile"], data=_tidy(data), kind="dots", page=_bench_page(state))


def bench_priorities(obs: Observatory, bench: Benchmark) -> ChartExport:
    state, peers = bench.state, bench.peers
    codes = [state.region, *peers]
    matrix = charts.overlap_matrix(term_sets_for(obs, state.scheme, state.include_national), codes)
    names = charts.region_names(obs, codes)
    term_labels = obs.terms["label"].to_dict()
    long = matrix.reset_index().melt(id_vars="region", var_name="indicator", value_name="value")
    long["name"] = long["region"].map(names)
    long["label"] = long["indicator"].map(lambda t: str(term_labels.get(t, t)))
    long["unit"] = "1 = prioritised, 0 = not, empty = no tagged priority"
    scope = "regional and national strategies" if state.include_national else "regional strategies only"
    return ChartExport(
        name="bench-priorities", title=f"Shared S3 priorities: {names[state.region]} and its peers",
        subtitle=_subtitle(SCHEME_LABELS[state.scheme], scope, "NUTS 2"), sources=(S3_SOURCE,),
        figure=bench.figures["overlap"], data=_tidy(long, source=S3_SOURCE), kind="table",
        page=_bench_page(state), extra={"matrix": matrix, "names": names, "labels": term_labels})


# -- the region profile -------------------------------------------------------------------------------
def region_series(obs: Observatory, search: str) -> ChartExport:
    """A key figure's series on a region's profile: ``?region=<code>&ind=<indicator>``."""
    from observatory.figures.benchmark import time_series

    errors: list[str] = []
    params = parse_query(search, errors)
    _strict(errors)
    code = (params.get("region") or "").strip().upper()
    region = obs.region(code) if code else None
    if region is None:
        raise ExportError(f"Unknown region {code!r}: add region=<NUTS code>." if code else
                          "Choose a region: add region=<NUTS code>.")
    headline = headline_indicators(obs)
    indicator = params.get("ind") or (headline[0] if headline else "")
    if obs.indicator(indicator) is None:
        raise ExportError(f"Unknown indicator {indicator!r}: use one of {', '.join(headline)}.")
    figure_facts = key_figure(obs, indicator, region.code)
    shown = obs.region(figure_facts.region)
    facts = _indicator_facts(obs, indicator)
    trend = figure_facts.trend.assign(region=figure_facts.region, name=shown.name if shown else "")
    frame = obs.indicator_frame(indicator)
    flags = frame[frame["region"] == figure_facts.region].set_index("year")["flag"]
    trend["flag"] = trend["year"].map(flags)
    data = _tidy(trend, **facts)
    empty_refs = pd.DataFrame(columns=["key", "label", "year", "value"])
    figure = time_series(data[["region", "name", "year", "value", "flag"]], empty_refs,
                         target=figure_facts.region, label=facts["label"], unit=facts["unit"],
                         source=facts["source"])
    note = f"values for {shown.name} ({shown.code}), the nearest unit with data" if figure_facts.proxy else ""
    return ChartExport(
        name="region-series", title=f"{facts['label']}: {region.name}",
        subtitle=_subtitle(facts["unit"], trend_title(figure_facts.trend), f"NUTS {figure_facts.level}",
                           note),
        sources=(facts["source"],), figure=figure, data=data, kind="line",
        page=f"/region/{region.code}", extra={"target": figure_facts.region})


#: The benchmark's exports by name: each made from a drawn :class:`Benchmark`.
BENCHMARK_CHARTS: dict[str, Callable[[Observatory, Benchmark], ChartExport]] = {
    "bench-bars": bench_bars, "bench-series": bench_series, "bench-profile": bench_profile,
    "bench-scatter": bench_scatter, "bench-priorities": bench_priorities,
}


def _from_benchmark(name: str) -> Callable[[Observatory, str], ChartExport]:
    return lambda obs, search: BENCHMARK_CHARTS[name](obs, benchmark_of(obs, search))


CHARTS: dict[str, ChartSpec] = {spec.name: spec for spec in (
    ChartSpec("map", "Map", "/", map_export),
    ChartSpec("bench-bars", "Ranked values", "/benchmark", _from_benchmark("bench-bars")),
    ChartSpec("bench-series", "Time series", "/benchmark", _from_benchmark("bench-series")),
    ChartSpec("bench-profile", "Structural profile", "/benchmark", _from_benchmark("bench-profile")),
    ChartSpec("bench-scatter", "Scatter", "/benchmark", _from_benchmark("bench-scatter")),
    ChartSpec("bench-priorities", "Shared S3 priorities", "/benchmark", _from_benchmark("bench-priorities")),
    ChartSpec("region-series", "Key figure over time", "/region", region_series),
)}


def chart_export(obs: Observatory, name: str, search: str) -> ChartExport:
    """The export of chart ``name`` for a page query (``?a=b``); :class:`ExportError` if impossible."""
    spec = CHARTS.get(name)
    if spec is None:
        raise ExportError(f"No chart named {name!r}: use one of {', '.join(CHARTS)}.", status=404)
    return spec.make(obs, search)


def region_query(code: str, indicator: str) -> str:
    """The export query of a key figure's series (the profile's own URL carries no parameters)."""
    return to_query({"region": code, "ind": indicator})
