"""The benchmark page's charts: a region and its peers, against EU and country reference lines.

Five pure builders (data in, ``go.Figure`` out) plus the benchmark map:

- :func:`ranked_bars` — one indicator, one year, highest first, missing shown as "no data";
- :func:`profile_dots` — standardised structural indicators (z-scores), grouped by dimension;
- :func:`time_series` — one indicator over the years, gaps left as gaps;
- :func:`scatter` — two indicators, every NUTS 2 region faded, peers and region highlighted;
- :func:`overlap_heatmap` — region x taxonomy term, grey where a region has no tagged priorities;
- :func:`peer_map` — the shared choropleth: region, peers, others faded.

Every figure has a title and a source line (the catalogue's attribution). Linked highlighting is
done in the browser (``assets/benchmark.js``): each trace says in ``meta`` how it is highlighted
(``{"hl": "points"}``: one point per region, region code first in ``customdata``;
``{"hl": "trace", "region": code}``: a whole trace is one region; ``{"hl": "rows", "rows": [...]}``
a heatmap whose rows are regions; ``{"hl": "outline"}`` the map's selection outline), so the page
never asks the server to highlight.

Text from records and the catalogue is escaped (plotly renders some HTML tags in labels).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from observatory.analysis.benchmark_charts import Reference
from observatory.analysis.peers import DIMENSION_LABELS
from observatory.figures.choropleth import SELECTION_TRACE, Colouring, choropleth, escape

REGION_COLOUR = "#D55E00"  # Okabe-Ito vermillion
PEER_COLOUR = "#0072B2"  # Okabe-Ito blue
OTHER_COLOUR = "#b8b8b8"
EU_COLOUR = "#222222"
COUNTRY_COLOUR = "#009E73"  # Okabe-Ito bluish green
MISSING_FILL = "#e9e9e9"
REFERENCE_DASH = {"eu": "dash", "country": "dot"}
REFERENCE_COLOUR = {"eu": EU_COLOUR, "country": COUNTRY_COLOUR}
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12}


def _fmt(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no data"
    return f"{value:,.4g}"


def _unit(unit: str) -> str:
    return f" {escape(unit)}" if unit else ""


def _figure(data: list[dict], layout: dict) -> go.Figure:
    """A ``go.Figure`` made from plain dicts, without plotly's property-by-property validation.

    Validating costs about ten times more than assembling the figure (it was most of a benchmark
    render: some 180 of 270 ms for the five charts). The figures here have fixed shapes, and the
    unit tests re-validate each builder's output (``go.Figure(figure.to_dict())``), so a misspelt
    property still fails a test; the figure, its JSON and its attributes are the same either way.
    """
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def _layout(layout: dict, *, title: str, source: str, height: int, bottom: int = 60, top: int = 88,
            annotations: Sequence[dict] = ()) -> dict:
    """Title, legend (above the plot), source line (below it), margins and font of the charts, added to
    a chart's own ``layout`` (its axes, shapes); ``annotations`` come before the source line."""
    source_line = {
        "text": escape(source), "showarrow": False, "xref": "paper", "yref": "paper", "x": 0, "y": 0,
        "xanchor": "left", "yanchor": "top", "yshift": -bottom + 14, "font": {"size": 10, "color": "#555"},
        "align": "left", "name": "source",
    }
    return {
        **layout,
        "title": {"text": title, "x": 0.01, "xanchor": "left", "y": 0.995, "yanchor": "top",
                  "yref": "container", "font": {"size": 15}},
        "height": height, "margin": {"l": 10, "r": 20, "t": top, "b": bottom},
        "annotations": [*annotations, source_line], "font": FONT, "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff", "hovermode": "closest",
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0, "xanchor": "left",
                   "font": {"size": 11}},
    }


def empty_figure(title: str, message: str, source: str = "", height: int = 360) -> go.Figure:
    note = {"text": escape(message), "showarrow": False, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper",
            "font": {"size": 13, "color": "#6c757d"}}
    layout = {"xaxis": {"visible": False}, "yaxis": {"visible": False}}
    return _figure([], _layout(layout, title=escape(title), source=source, height=height, annotations=[note]))


def _ref_line(key: str, width: float) -> dict:
    return {"color": REFERENCE_COLOUR[key], "dash": REFERENCE_DASH[key], "width": width}


def _vline(x: float, line: dict) -> dict:
    """A vertical line across the plot at ``x`` (what ``Figure.add_vline`` adds)."""
    return {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", "line": line}


def _hline(y: float, line: dict) -> dict:
    """A horizontal line across the plot at ``y`` (what ``Figure.add_hline`` adds)."""
    return {"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": y, "y1": y, "yref": "y", "line": line}


# --- 1. ranked bars ---------------------------------------------------------------------------


def ranked_bars(frame: pd.DataFrame, refs: Sequence[Reference], *, label: str, unit: str, year: int | None,
                source: str) -> go.Figure:
    """Horizontal bars of ``frame`` (``ranked_values``: region, name, value, flag, role), top = highest.

    Missing values keep their row, with "no data" written where the bar would start.
    """
    title = f"{escape(label)}, {year}" if year is not None else escape(label)
    if frame.empty or year is None:
        return empty_figure(title, "No data for this indicator at NUTS 2.", source)
    names = [f"{escape(n)} ({c})" for n, c in zip(frame["name"], frame["region"], strict=True)]
    values = [None if math.isnan(v) else float(v) for v in frame["value"]]
    colours = [REGION_COLOUR if r == "region" else PEER_COLOUR for r in frame["role"]]
    flags = [f" · flag {escape(f)}" if f else "" for f in frame["flag"]]
    data = [{
        "type": "bar", "x": values, "y": names, "orientation": "h",
        "marker": {"color": colours, "line": {"width": 0, "color": "#000"}},
        "customdata": [[c, f] for c, f in zip(frame["region"], flags, strict=True)],
        "hovertemplate": (f"<b>%{{y}}</b><br>%{{x:,.4~g}}{_unit(unit)} · {year}%{{customdata[1]}}"
                          "<extra></extra>"),
        "meta": {"hl": "points", "lw": 0}, "showlegend": False, "name": "",
    }]
    missing = [n for n, v in zip(names, values, strict=True) if v is None]
    if missing:
        data.append({
            "type": "scatter", "x": [0] * len(missing), "y": missing, "mode": "text",
            "text": ["no data"] * len(missing), "textposition": "middle right",
            "textfont": {"color": "#6c757d", "size": 11}, "hoverinfo": "skip", "showlegend": False,
            "name": "no data",
        })
    shapes = []
    for ref in refs:
        if ref.present:
            shapes.append(_vline(ref.value, _ref_line(ref.key, 1.5)))
            data.append({  # legend entry + hover for the line
                "type": "scatter", "x": [ref.value, ref.value], "y": [names[0], names[-1]], "mode": "lines",
                "name": escape(ref.label),
                "line": {"color": REFERENCE_COLOUR[ref.key], "dash": REFERENCE_DASH[ref.key], "width": 1.5},
                "hovertemplate": f"{escape(ref.label)}: {_fmt(ref.value)}{_unit(unit)}<extra></extra>",
            })
    layout = {
        "yaxis": {"categoryorder": "array", "categoryarray": names, "autorange": "reversed",
                  "automargin": True, "fixedrange": True},
        "xaxis": {"title": {"text": escape(unit)}, "zeroline": True, "zerolinecolor": "#999",
                  "gridcolor": "#eee", "fixedrange": True},
        **({"shapes": shapes} if shapes else {}),
    }
    height = max(320, 24 * len(names) + 190)
    return _figure(data, _layout(layout, title=title, source=source, height=height, bottom=70))


# --- 2. profile ---------------------------------------------------------------------------------


def profile_dots(frame: pd.DataFrame, refs: pd.DataFrame, *, target: str, names: Mapping[str, str],
                 units: Mapping[str, str], source: str, coverage_note: str = "") -> go.Figure:
    """Dot plot of standardised structural indicators (``profile_frame``), one row per indicator.

    Rows are grouped by dimension (a two-level axis); peers are small blue dots, the region a large
    vermillion diamond, EU and country references are open bars. A region's missing value has no
    dot; the region's own gaps are listed as "no data" at the right edge (a zero on a log-scaled
    indicator is named as such: it has a value, but no place on the scale).
    """
    title = "Structural profile (z-scores: standard deviations from the NUTS 2 mean)"
    if frame.empty:
        return empty_figure(title, "No structural indicators available.", source)
    order = frame.drop_duplicates("indicator")[["indicator", "label", "dimension"]]
    dims = [escape(DIMENSION_LABELS.get(d, d)) for d in order["dimension"]]
    labels = [escape(lbl) for lbl in order["label"]]
    position = {ind: i for i, ind in enumerate(order["indicator"])}
    # An invisible first trace lists every row once, in catalogue order: a category axis orders its
    # categories by first appearance, and the first region may lack some indicators.
    data = [{"type": "scatter", "x": [0.0] * len(labels), "y": [dims, labels], "mode": "markers",
             "marker": {"opacity": 0}, "hoverinfo": "skip", "showlegend": False, "name": ""}]
    present = frame.dropna(subset=["z"])
    shown = {code: escape(names.get(code, code)) for code in frame["region"].unique()}
    unit_of = {ind: _unit(units.get(ind, "")) for ind in position}
    for is_target in (False, True):
        rows = present[(present["region"] == target) == is_target]
        if rows.empty:
            continue
        idx = [position[i] for i in rows["indicator"]]
        size = 13 if is_target else 8
        data.append({
            "type": "scatter", "x": rows["z"].tolist(),
            "y": [[dims[i] for i in idx], [labels[i] for i in idx]], "mode": "markers",
            "name": f"{escape(names.get(target, target))} (region)" if is_target else "peers",
            "marker": {"color": REGION_COLOUR if is_target else PEER_COLOUR, "size": size,
                       "symbol": "diamond" if is_target else "circle", "opacity": 1 if is_target else 0.6,
                       "line": {"width": 1 if is_target else 0, "color": "#000"}},
            "customdata": [[code, shown[code], _fmt(v) + unit_of[i], int(y) if not math.isnan(y) else ""]
                           for code, i, v, y in zip(rows["region"], rows["indicator"], rows["raw"],
                                                    rows["year"], strict=True)],
            "hovertemplate": ("<b>%{customdata[1]}</b><br>%{y}<br>z = %{x:.2f} · "
                              "%{customdata[2]} (%{customdata[3]})<extra></extra>"),
            "meta": {"hl": "points", "lw": 1 if is_target else 0, "size": size},
        })
    for key, symbol in (("eu", "line-ns-open"), ("country", "line-ns-open")):
        rows = refs[refs["key"] == key].dropna(subset=["z"]) if not refs.empty else refs
        if rows is None or rows.empty:
            continue
        idx = [position[i] for i in rows["indicator"] if i in position]
        rows = rows[rows["indicator"].isin(position)]
        data.append({
            "type": "scatter", "x": rows["z"].tolist(),
            "y": [[dims[i] for i in idx], [labels[i] for i in idx]], "mode": "markers",
            "name": "EU27" if key == "eu" else "country", "hoverinfo": "text",
            "hovertext": [f"{escape(lbl)} ({y}): {_fmt(v)}" for lbl, v, y in
                          zip(rows["label"], rows["value"], rows["year"], strict=True)],
            "marker": {"symbol": symbol, "size": 16, "line": {"width": 2.5, "color": REFERENCE_COLOUR[key]},
                       "color": REFERENCE_COLOUR[key]},
        })
    zs = [*present["z"].tolist(), *(refs["z"].dropna().tolist() if not refs.empty else [])]
    low = min([-3.0, *[z - 0.3 for z in zs]])
    high = max([3.0, *[z + 0.3 for z in zs]]) + 0.8  # room for "no data" at the right edge
    own = frame[(frame["region"] == target) & frame["z"].isna()]
    if not own.empty:
        idx = [position[i] for i in own["indicator"]]
        data.append({
            "type": "scatter", "x": [high - 0.05] * len(idx), "textposition": "middle left", "mode": "text",
            "y": [[dims[i] for i in idx], [labels[i] for i in idx]],
            "text": ["no data" if math.isnan(v) else f"{v:,.4g}: off the log scale" for v in own["raw"]],
            "textfont": {"color": REGION_COLOUR, "size": 11}, "hoverinfo": "skip",
            "showlegend": False, "name": "no data",
        })
    layout = {
        "yaxis": {"autorange": "reversed", "automargin": True, "fixedrange": True, "type": "multicategory"},
        "xaxis": {"zeroline": True, "zerolinecolor": "#777", "gridcolor": "#eee", "fixedrange": True,
                  "range": [low, high], "title": {"text": "z-score (0 = mean of NUTS 2 regions)"}},
    }
    height = max(360, 26 * len(labels) + 190)
    src = source + (f" · {coverage_note}" if coverage_note else "")
    return _figure(data, _layout(layout, title=title, source=src, height=height, bottom=80))


# --- 3. time series ---------------------------------------------------------------------------


def time_series(frame: pd.DataFrame, refs: pd.DataFrame, *, target: str, label: str, unit: str,
                source: str) -> go.Figure:
    """Lines of ``series_frame`` (region, name, year, value), one per region; missing years are gaps.

    ``refs``: ``reference_series`` (key, year, value, label) drawn as dashed (EU) and dotted
    (country) lines, named by what they are.
    """
    title = f"{escape(label)} over time"
    if frame.empty:
        return empty_figure(title, "No time series for these regions.", source)
    years = list(range(int(frame["year"].min()), int(frame["year"].max()) + 1))
    observed: dict[tuple, float] = {}
    for region, year, value in zip(frame["region"], frame["year"], frame["value"], strict=True):
        if not math.isnan(value):
            observed.setdefault((region, int(year)), float(value))  # the first value of a year counts
    names = frame.drop_duplicates("region").set_index("region")["name"].to_dict()
    data = []
    regions = list(dict.fromkeys(frame["region"]))
    ordered = [r for r in regions if r != target] + ([target] if target in regions else [])
    for n, code in enumerate(ordered):
        name = str(names[code])
        is_target = code == target
        values = [observed.get((code, year)) for year in years]
        width = 3.5 if is_target else 1.5
        # each line is named at its last value: ten peers are ten labelled lines, not ten look-alikes
        last = max((i for i, v in enumerate(values) if v is not None), default=None)
        labels = ["" if i != last else escape(_short(name, 18)) for i in range(len(years))]
        data.append({
            "type": "scatter", "x": years, "y": values, "mode": "lines+markers+text", "connectgaps": False,
            "customdata": [code] * len(years), "text": labels, "textposition": "middle right",
            "cliponaxis": False,
            "textfont": {"size": 11 if is_target else 9, "color": REGION_COLOUR if is_target else "#444"},
            "name": f"{escape(name)} (region)" if is_target else "peers",
            "legendgroup": "region" if is_target else "peers", "showlegend": is_target or n == 0,
            "line": {"color": REGION_COLOUR if is_target else PEER_COLOUR, "width": width},
            "marker": {"size": 5 if is_target else 3}, "opacity": 1 if is_target else 0.65,
            "hovertemplate": f"<b>{escape(name)}</b> %{{x}}: %{{y:,.4~g}}{_unit(unit)}<extra></extra>",
            "meta": {"hl": "trace", "region": code, "width": width},
        })
    if not refs.empty:
        for key in ("eu", "country"):
            rows = refs[refs["key"] == key]
            if rows.empty:
                continue
            label_text = series_label(rows)
            by_year = rows.set_index("year")["value"]
            data.append({
                "type": "scatter", "x": years,
                "y": [float(by_year[y]) if y in by_year.index else None for y in years], "mode": "lines",
                "name": escape(label_text), "connectgaps": False,
                "line": {"color": REFERENCE_COLOUR[key], "dash": REFERENCE_DASH[key], "width": 2},
                "hovertemplate": f"{escape(key.upper() if key == 'eu' else 'Country')} %{{x}}: %{{y:,.4~g}}"
                                 f"{_unit(unit)}<extra></extra>",
            })
    layout = {
        "xaxis": {"dtick": 1 if len(years) <= 15 else 2, "gridcolor": "#eee", "fixedrange": True,
                  "range": [years[0] - 0.3, years[-1] + max(1.5, len(years) / 6)]},  # room for the names
        "yaxis": {"title": {"text": escape(unit)}, "gridcolor": "#eee", "fixedrange": True},
    }
    return _figure(data, _layout(layout, title=title, source=source, height=440, bottom=60, top=110))


def series_label(rows: pd.DataFrame) -> str:
    """One legend label for a reference line whose label may change by year (``reference_series`` rows).

    The number of regions in an unweighted mean varies by year, so it is dropped when it does; a
    line mixing the aggregate and a mean says so.
    """
    labels = list(dict.fromkeys(rows["label"]))
    if len(labels) == 1:
        return labels[0]
    kinds = set(rows["kind"])
    generic = list(dict.fromkeys(re.sub(r" of \d+ NUTS 2", " of the NUTS 2", label) for label in labels))
    if kinds == {"mean"} and len(generic) == 1:
        return f"{generic[0]} (number of regions varies by year)"
    aggregates = rows.loc[rows["kind"] == "aggregate", "label"]
    aggregate = str(aggregates.iloc[-1]) if not aggregates.empty else labels[-1]
    return f"{aggregate}; in years without it: unweighted mean of the NUTS 2 regions"


# --- 4. scatter ---------------------------------------------------------------------------------


def scatter(frame: pd.DataFrame, refs_x: Sequence[Reference], refs_y: Sequence[Reference], *,
            x_label: str, y_label: str, x_unit: str, y_unit: str, x_year: int | None, y_year: int | None,
            source: str) -> go.Figure:
    """Every NUTS 2 region with both values (``scatter_frame``); others faded, peers and region marked.

    Reference lines: EU (dashed) and country (dotted), vertical for x and horizontal for y. Regions
    of interest without both values are named in the subtitle.
    """
    title = f"{escape(y_label)} vs {escape(x_label)}"
    if frame.empty:
        return empty_figure(title, "No region has both values.", source)
    data = []
    styles = {
        "other": ("other NUTS 2 regions", OTHER_COLOUR, 6, 0.45),
        "peer": ("peers", PEER_COLOUR, 10, 0.9),
        "region": ("region", REGION_COLOUR, 15, 1.0),
    }
    for role in ("other", "peer", "region"):
        rows = frame[frame["role"] == role]
        if rows.empty:
            continue
        name, colour, size, opacity = styles[role]
        data.append({
            "type": "scatter", "x": rows["x"].tolist(), "y": rows["y"].tolist(), "mode": "markers",
            "name": name,
            "text": [escape(n) for n in rows["name"]], "customdata": rows["region"].tolist(),
            "marker": {"color": colour, "size": size, "opacity": opacity,
                       "symbol": "diamond" if role == "region" else "circle",
                       "line": {"width": 0, "color": "#000"}},
            "hovertemplate": ("<b>%{text}</b> (%{customdata})<br>" + f"x: %{{x:,.4~g}}{_unit(x_unit)}<br>"
                              + f"y: %{{y:,.4~g}}{_unit(y_unit)}<extra></extra>"),
            "meta": {"hl": "points", "lw": 0, "size": size},
        })
    shapes = [_vline(ref.value, _ref_line(ref.key, 1.2)) for ref in refs_x if ref.present]
    shapes += [_hline(ref.value, _ref_line(ref.key, 1.2)) for ref in refs_y if ref.present]
    for key in ("eu", "country"):  # legend entries naming what the lines are
        x_ref = next((r for r in refs_x if r.key == key and r.present), None)
        y_ref = next((r for r in refs_y if r.key == key and r.present), None)
        parts = dict.fromkeys(r.label for r in (x_ref, y_ref) if r is not None)
        if len(parts) == 2:
            text = f"x: {x_ref.label} · y: {y_ref.label}"
        elif parts:
            text = next(iter(parts)) + ("" if x_ref and y_ref else (" (x only)" if x_ref else " (y only)"))
        else:
            continue
        data.append({"type": "scatter", "x": [None], "y": [None], "mode": "lines",
                     "line": _ref_line(key, 1.2), "name": escape(text), "hoverinfo": "skip"})
    notes = []
    missing = frame.attrs.get("missing", [])
    if missing:
        notes.append({"text": f"no data for both: {escape(', '.join(missing))}", "showarrow": False,
                      "xref": "paper", "yref": "paper", "x": 1, "y": 0.01, "xanchor": "right",
                      "yanchor": "bottom", "font": {"size": 11, "color": "#6c757d"},
                      "bgcolor": "rgba(255,255,255,0.85)"})
    layout = {
        "xaxis": {"title": {"text": f"{escape(_short(x_label, 60))} ({escape(x_unit)}, {x_year})"},
                  "gridcolor": "#eee"},
        "yaxis": {"title": {"text": f"{escape(_short(y_label, 40))} ({y_year})"}, "gridcolor": "#eee"},
        **({"shapes": shapes} if shapes else {}),
    }
    return _figure(data, _layout(layout, title=title, source=source, height=520, bottom=70, top=110,
                                 annotations=notes))


# --- 5. priority overlap ------------------------------------------------------------------------


def overlap_heatmap(matrix: pd.DataFrame, *, names: Mapping[str, str], term_labels: Mapping[str, str],
                    target: str, source: str, scheme_note: str = "") -> go.Figure:
    """Region x taxonomy term (``overlap_matrix``): filled when prioritised, grey when no records."""
    title = "Shared S3 priorities (taxonomy terms of the regions' strategies)"
    if matrix.empty or matrix.shape[1] == 0:
        return empty_figure(title, "No tagged S3 priorities for the region or its peers.", source)
    codes = list(matrix.index)
    rows = [f"{escape(names.get(c, c))} ({c})" + (" ◆" if c == target else "")
            + (" — no records" if matrix.loc[c].isna().all() else "") for c in codes]
    terms = list(matrix.columns)
    cols = [f"{escape(_short(term_labels.get(t, t)))} [{escape(t)}]" for t in terms]
    z = matrix.to_numpy()
    words = {1.0: "prioritised", 0.0: "not prioritised"}
    state = [[words.get(v, "no tagged priorities") for v in row] for row in z]
    data = [{
        "type": "heatmap",
        "z": [[None if (isinstance(v, float) and math.isnan(v)) else float(v) for v in row] for row in z],
        "x": cols, "y": rows, "zmin": 0, "zmax": 1, "colorscale": [[0, "#ffffff"], [1, PEER_COLOUR]],
        "showscale": False, "xgap": 1, "ygap": 1, "customdata": [[c] * len(terms) for c in codes],
        "text": state,
        "hovertemplate": "<b>%{y}</b><br>%{x}<br>%{text}<extra></extra>",
        "meta": {"hl": "rows", "rows": codes},
    }]
    layout = {"yaxis": {"autorange": "reversed", "automargin": True, "fixedrange": True},
              "xaxis": {"tickangle": -90, "automargin": True, "fixedrange": True, "side": "top"}}
    height = max(360, 24 * len(codes) + 300)
    src = source + (f" · {scheme_note}" if scheme_note else "")
    layout = _layout(layout, title=title, source=src, height=height, bottom=40, top=60)
    return _figure(data, {**layout, "plot_bgcolor": MISSING_FILL})


def _short(text: str, limit: int = 38) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- map ------------------------------------------------------------------------------------------


def peer_map(geojson_url: str | dict, regions: Sequence[str], names: Sequence[str], *, target: str | None,
             peers: Sequence[str], source: str) -> go.Figure:
    """The benchmark map: the region, its peers, and every other NUTS 2 region faded (click to add)."""
    peer_set = set(peers)
    categories = ["Region" if c == target else ("Peer" if c in peer_set else None) for c in regions]
    colouring = Colouring(categories=categories, category_order=["Region", "Peer"],
                          category_colours={"Region": REGION_COLOUR, "Peer": PEER_COLOUR}, show_scale=False,
                          no_data_label="not a peer (click to add)")
    figure = choropleth(geojson_url, regions, colouring, names=names,
                        title="Region and peers (click a region to add or remove it)",
                        source=source, height=520, uirevision="benchmark-map", selected=target)
    figure.data[SELECTION_TRACE].meta = {"hl": "outline", "default": target}
    figure.update_layout(showlegend=False)
    return figure
