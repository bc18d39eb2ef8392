"""A chart restyled for a slide: 16:9, larger type, title, subtitle and source lines drawn in.

An exported image leaves the app: on a slide nobody sees the page's headings, so the image itself
must say what it shows (title), for what (subtitle: indicator, unit, year, NUTS level) and where it
comes from (every source line and attribution). Pure: a figure in, a new figure out.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from observatory.figures.choropleth import escape

#: Slide size in CSS pixels (16:9); PNGs are rendered at twice this (3200x1800).
SLIDE_WIDTH = 1600
SLIDE_HEIGHT = 900
PNG_SCALE = 2
FONT_FAMILY = "'Liberation Sans', 'DejaVu Sans', Arial, sans-serif"
SOURCE_FONT_SIZE = 15


def _is_source_line(annotation) -> bool:
    """The page's own source line (under the plot, at the paper's bottom-left): replaced on a slide."""
    return (annotation.xref == "paper" and annotation.yref == "paper" and annotation.x == 0
            and annotation.y == 0 and annotation.yanchor == "top")


def slide(figure: go.Figure, *, title: str, subtitle: str, sources: Sequence[str],
          width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT) -> go.Figure:
    """``figure`` at slide size with ``title``, ``subtitle`` and ``sources`` (one line each) drawn in.

    Texts are escaped here (they come from data). The page's source annotation is replaced by the
    slide's source block; every other annotation (notes, labels) is kept. Interactive-only settings
    (``uirevision``, drag mode) are dropped.
    """
    out = go.Figure(figure)
    kept = [a for a in (out.layout.annotations or []) if not _is_source_line(a)]
    lines = [escape(s) for s in sources if s]
    margin = dict(out.layout.margin.to_plotly_json()) if out.layout.margin else {}
    top = 130
    bottom = max(int(margin.get("b", 60) or 60), 60) + 24 * len(lines) + 12
    plot_height = height - top - bottom
    # the source block sits at the figure's bottom edge, under the axis titles and any colour bar
    source_block = {
        "text": "<br>".join(lines), "showarrow": False, "xref": "paper", "yref": "paper",
        "x": 0, "y": -(bottom - 14) / plot_height, "xanchor": "left", "yanchor": "bottom", "align": "left",
        "font": {"size": SOURCE_FONT_SIZE, "color": "#444"}, "name": "slide-source",
    }
    heading = f"<b>{escape(title)}</b>"
    if subtitle:
        heading += f"<br><span style='font-size:19px;color:#444'>{escape(subtitle)}</span>"
    out.update_layout(
        width=width, height=height, autosize=False,
        title={"text": heading, "x": 0.02, "xanchor": "left", "y": 0.955, "yanchor": "top",
               "yref": "container", "font": {"size": 28, "color": "#222"}},
        font={"family": FONT_FAMILY, "size": 16},
        legend={"font": {"size": 15}},
        margin={"l": max(int(margin.get("l", 10) or 10), 30), "r": max(int(margin.get("r", 20) or 20), 30),
                "t": top, "b": bottom},
        uirevision=None, dragmode=False, paper_bgcolor="#ffffff",
    )
    # assigned, not updated: plotly merges an updated list element by element (the page's source
    # line's ``yshift`` would survive into the slide's)
    out.layout.annotations = [*kept, source_block]
    return out
