"""Small figures of the profile and partnership pages: a trend sparkline and the co-membership heatmap.

Like every figure in the app they carry a title and a source line; the sparkline keeps both tiny
because it sits inside a figure tile that already names the indicator.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from observatory.figures.choropleth import escape

SPARK_COLOUR = "#0d6efd"
S3_RECORDS_SOURCE = "Source: S3 partnership records compiled from public pages (one source URL per row)"


def sparkline_spec(trend: pd.DataFrame, *, title: str, unit: str, source: str, height: int = 110) -> dict:
    """The sparkline of :func:`sparkline` as a plain plotly figure dict.

    A profile shows eight of them; building them as dicts skips plotly's per-property validation,
    which costs about 70 ms a figure, and ``dcc.Graph`` takes the dict as it is.
    """
    data = trend.dropna(subset=["value"]).sort_values("year") if not trend.empty else trend
    grey = {"size": 10, "color": "#6c757d"}
    annotations: list[dict] = []
    traces: list[dict] = []
    if data.empty:
        annotations.append({"text": "no values", "showarrow": False, "x": 0.5, "y": 0.5, "xref": "paper",
                            "yref": "paper", "font": grey})
    else:
        years = data["year"].astype(int).tolist()
        values = data["value"].astype(float).tolist()
        hover = "%{x}: %{y:,.2f}" + (f" {escape(unit)}" if unit else "") + "<extra></extra>"
        traces = [
            {"type": "scatter", "x": years, "y": values, "mode": "lines",
             "line": {"color": SPARK_COLOUR, "width": 2}, "hovertemplate": hover},
            {"type": "scatter", "x": [years[-1]], "y": [values[-1]], "mode": "markers",
             "marker": {"color": SPARK_COLOUR, "size": 6}, "hoverinfo": "skip"},
        ]
    annotations.append({"text": escape(source), "showarrow": False, "x": 0, "y": 0, "xref": "paper",
                        "yref": "paper", "xanchor": "left", "yanchor": "top", "yshift": -2,
                        "font": {"size": 8, "color": "#6c757d"}})
    layout = {
        "title": {"text": escape(title), "font": grey, "x": 0, "xanchor": "left", "y": 0.98,
                  "yanchor": "top"},
        "height": height, "margin": {"l": 4, "r": 4, "t": 18, "b": 16}, "showlegend": False,
        "xaxis": {"visible": False, "fixedrange": True}, "yaxis": {"visible": False, "fixedrange": True},
        "plot_bgcolor": "rgba(0,0,0,0)", "paper_bgcolor": "rgba(0,0,0,0)",
        "annotations": annotations,
    }
    return {"data": traces, "layout": layout}


def sparkline(trend: pd.DataFrame, *, title: str, unit: str, source: str, height: int = 110) -> go.Figure:
    """A tiny line of ``trend`` (columns year, value); the last point is marked.

    Axes are hidden; hovering shows each year's value with its unit. An empty ``trend`` gives an
    empty figure that says so, never a flat line.
    """
    figure = go.Figure(sparkline_spec(trend, title=title, unit=unit, source=source, height=height))
    figure.update_layout(template="none")  # hidden axes need no theme; saves ~7 kB per figure
    return figure


def trend_title(trend: pd.DataFrame) -> str:
    """'Trend 2013–2023' (or 'No trend' with fewer than two years)."""
    years = trend.dropna(subset=["value"])["year"] if not trend.empty else pd.Series(dtype=int)
    if years.nunique() < 2:
        return "No trend (one year or none)"
    return f"Trend {int(years.min())}–{int(years.max())}"


def co_membership_heatmap(matrix: pd.DataFrame, labels: dict[str, str], *, title: str,
                          source: str = S3_RECORDS_SOURCE) -> go.Figure:
    """Heatmap of shared partnerships among members; the diagonal (own count) is left blank.

    ``matrix``: square, member keys as index and columns (see ``repository.co_membership_matrix``);
    ``labels``: key -> readable name.
    """
    keys = matrix.index.tolist()
    names = [escape(f"{labels.get(k, k)} ({k})" if labels.get(k, k) != k else k) for k in keys]
    z = matrix.astype(float).to_numpy(copy=True)
    for i in range(len(keys)):
        z[i, i] = float("nan")
    span = range(len(keys))
    text = [["" if i == j or z[i, j] == 0 else str(int(z[i, j])) for j in span] for i in span]
    figure = go.Figure(go.Heatmap(
        z=z, x=names, y=names, text=text, texttemplate="%{text}", colorscale="Blues", zmin=0,
        hovertemplate="%{y}<br>%{x}<br>shared partnerships: %{z}<extra></extra>",
        colorbar={"title": {"text": "shared"}, "thickness": 12},
    ))
    size = max(420, 26 * len(keys) + 220)
    figure.update_layout(
        title={"text": escape(title), "x": 0, "xanchor": "left"}, height=size,
        margin={"l": 10, "r": 10, "t": 50, "b": 60},
        xaxis={"tickangle": -45, "automargin": True, "fixedrange": True},
        yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
    )
    figure.add_annotation(text=escape(source), showarrow=False, x=0, y=0, xref="paper", yref="paper",
                          xanchor="left", yanchor="top", yshift=-40, font={"size": 10, "color": "#6c757d"})
    return figure
