"""PowerPoint: one slide per chart with a native, editable chart, and the benchmark deck.

A native chart (python-pptx ``add_chart``: bar, line, XY scatter) carries the figure's data as its
series, so the user can restyle it in PowerPoint and the numbers stay numbers. What PowerPoint has
no chart for goes in as what it is: the map as a high-resolution picture (legend drawn in), the
shared-priorities grid as a table. Every slide has its title, subtitle and source lines.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.util import Emu, Inches, Pt

from observatory.exports.charts import ChartExport

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)  # 16:9
TARGET_COLOUR = RGBColor(0xD5, 0x5E, 0x00)
PEER_COLOUR = RGBColor(0x00, 0x72, 0xB2)
OTHER_COLOUR = RGBColor(0xBB, 0xBB, 0xBB)
TEXT_GREY = RGBColor(0x44, 0x44, 0x44)
#: Columns of the priorities table on a slide (the data file has them all).
MAX_TABLE_TERMS = 10

#: Renders a chart export's slide picture (PNG bytes); given by the caller (it needs the browser).
PictureMaker = Callable[[ChartExport], bytes]


def _number(value) -> float | None:
    if value is None or value is pd.NA:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def new_presentation() -> Presentation:
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
    return deck


def _text(slide, text: str, *, left, top, width, height, size: int, bold: bool = False,
          colour: RGBColor | None = None) -> None:
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        if colour is not None:
            run.font.color.rgb = colour


def _frame(deck, title: str, subtitle: str, sources: Sequence[str]):
    """A blank slide with the title, subtitle and source lines; returns (slide, body box)."""
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    margin = Inches(0.4)
    width = SLIDE_W - 2 * margin
    _text(slide, title, left=margin, top=Inches(0.25), width=width, height=Inches(0.6), size=24, bold=True)
    if subtitle:
        _text(slide, subtitle, left=margin, top=Inches(0.85), width=width, height=Inches(0.4), size=14,
              colour=TEXT_GREY)
    lines = [s for s in sources if s]
    source_height = Inches(0.22) * max(len(lines), 1) + Inches(0.1)
    if lines:
        _text(slide, "\n".join(lines), left=margin, top=SLIDE_H - source_height - Inches(0.1), width=width,
              height=source_height, size=10, colour=TEXT_GREY)
    top = Inches(1.3)
    body = (margin, top, width, SLIDE_H - top - source_height - Inches(0.2))
    return slide, body


def add_chart_slide(deck, export: ChartExport, picture: PictureMaker | None = None) -> None:
    """One slide for ``export``: a native chart, a table, or (maps) the picture ``picture`` makes."""
    slide, (left, top, width, height) = _frame(deck, export.title, export.subtitle, export.sources)
    if export.kind == "map":
        if picture is None:
            raise ValueError("a map slide needs a picture maker")
        image = io.BytesIO(picture(export))
        # 16:9 picture in the body box, centred
        pic_height = min(height, int(width * 9 / 16))
        pic_width = int(pic_height * 16 / 9)
        slide.shapes.add_picture(image, left + (width - pic_width) // 2, top, pic_width, pic_height)
        return
    if export.kind == "table":
        _priorities_table(slide, export, (left, top, width, height))
        return
    charts = {"bar": _bar_chart, "line": _line_chart, "scatter": _scatter_chart, "dots": _dot_chart}
    make = charts[export.kind]
    make(slide, export, (left, top, width, height))


def _label(row) -> str:
    return f"{row['name']} ({row['region']})"


def _bar_chart(slide, export: ChartExport, box) -> None:
    data = export.data.dropna(subset=["value"])
    # PowerPoint draws a horizontal bar chart's first category at the bottom: highest value on top
    rows = data.iloc[::-1]
    chart_data = CategoryChartData(number_format="#,##0.0#")
    chart_data.categories = [_label(r) for _, r in rows.iterrows()]
    chart_data.add_series(f"{export.data['label'].iloc[0]} ({export.data['unit'].iloc[0]})",
                          [_number(v) for v in rows["value"]])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, *box, chart_data).chart
    chart.has_legend = False
    plot = chart.plots[0]
    plot.gap_width = 60
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = PEER_COLOUR
    for i, role in enumerate(rows.get("role", pd.Series(["peer"] * len(rows))).tolist()):
        if role == "region":
            point = series.points[i]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = TARGET_COLOUR
    chart.font.size = Pt(11)


def _region_lines(slide, data: pd.DataFrame, box, *, across: str, values: str, categories: list,
                  number_format: str, font_size: int):
    """A line-with-markers chart, one series per region (in the data's order), ``categories`` along
    the axis (``across``: the column they come from); legend on the right. Returns (chart, codes)."""
    wide = data.pivot_table(index="region", columns=across, values=values, aggfunc="first")
    wide = wide.reindex(columns=categories)
    names = data.drop_duplicates("region").set_index("region")["name"].to_dict()
    order = list(dict.fromkeys(data["region"]))
    chart_data = CategoryChartData(number_format=number_format)
    chart_data.categories = [str(c) for c in categories]
    for code in order:
        chart_data.add_series(f"{names[code]} ({code})", [_number(v) for v in wide.loc[code].tolist()])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, *box, chart_data).chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.RIGHT
    chart.legend.include_in_layout = False
    chart.font.size = Pt(font_size)
    return chart, order


def _line_chart(slide, export: ChartExport, box) -> None:
    data = export.data.dropna(subset=["value"])
    years = list(range(int(data["year"].min()), int(data["year"].max()) + 1))
    chart, order = _region_lines(slide, data, box, across="year", values="value", categories=years,
                                 number_format="#,##0.0#", font_size=11)
    target = export.extra.get("target")
    for code, series in zip(order, chart.plots[0].series, strict=True):
        series.smooth = False
        series.marker.style = XL_MARKER_STYLE.CIRCLE
        series.marker.size = 4
        if code == target:
            series.format.line.color.rgb = TARGET_COLOUR
            series.format.line.width = Pt(3.5)


def _scatter_chart(slide, export: ChartExport, box) -> None:
    data = export.data
    x = data[data["axis"] == "x"].set_index("region")
    y = data[data["axis"] == "y"].set_index("region")
    chart_data = XyChartData()
    colours = {}
    roles = (("other", "other NUTS 2 regions", OTHER_COLOUR), ("peer", "peers", PEER_COLOUR),
             ("region", "region", TARGET_COLOUR))
    for role, label, colour in roles:
        codes = [c for c in x.index if x.loc[c, "role"] == role and c in y.index]
        if not codes:
            continue
        name = label if role != "region" else f"{x.loc[codes[0], 'name']} ({codes[0]})"
        series = chart_data.add_series(name)
        colours[name] = colour
        for code in codes:
            series.add_data_point(_number(x.loc[code, "value"]), _number(y.loc[code, "value"]))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.XY_SCATTER, *box, chart_data).chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.font.size = Pt(11)
    for series in chart.plots[0].series:
        series.format.line.fill.background()  # points only
        series.marker.style = XL_MARKER_STYLE.CIRCLE
        series.marker.size = 9 if colours[series.name] is TARGET_COLOUR else 6
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = colours[series.name]
    fx, fy = export.extra["x"], export.extra["y"]
    _axis_title(chart.category_axis, f"{fx['label']} ({fx['unit']})")
    _axis_title(chart.value_axis, f"{fy['label']} ({fy['unit']})")


def _axis_title(axis, text: str) -> None:
    axis.has_title = True
    axis.axis_title.text_frame.text = text
    axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(11)


def _dot_chart(slide, export: ChartExport, box) -> None:
    """The structural profile: indicators as categories, one marker-only series per region (z-scores)."""
    data = export.data
    labels = list(dict.fromkeys(data["label"]))
    chart, _ = _region_lines(slide, data, box, across="label", values="z", categories=labels,
                             number_format="0.00", font_size=9)
    for i, series in enumerate(chart.plots[0].series):
        series.format.line.fill.background()  # dots, not lines: the indicators are not a sequence
        series.marker.style = XL_MARKER_STYLE.DIAMOND if i == 0 else XL_MARKER_STYLE.CIRCLE
        series.marker.size = 9 if i == 0 else 5
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = TARGET_COLOUR if i == 0 else PEER_COLOUR
    _axis_title(chart.value_axis, "z-score (0 = mean of NUTS 2 regions)")


def _priorities_table(slide, export: ChartExport, box) -> None:
    matrix: pd.DataFrame = export.extra["matrix"]
    names: dict = export.extra["names"]
    labels: dict = export.extra["labels"]
    terms = list(matrix.columns[:MAX_TABLE_TERMS])
    left, top, width, height = box
    rows, cols = len(matrix) + 1, len(terms) + 1
    table = slide.shapes.add_table(rows, cols, left, top, width, min(height, Inches(0.32) * rows)).table
    table.columns[0].width = Inches(2.6)
    rest = (width - Inches(2.6)) // max(len(terms), 1)
    for j in range(1, cols):
        table.columns[j].width = Emu(rest)
    table.cell(0, 0).text = "Region"
    for j, term in enumerate(terms, start=1):
        table.cell(0, j).text = str(labels.get(term, term))[:40]
    for i, code in enumerate(matrix.index, start=1):
        table.cell(i, 0).text = f"{names.get(code, code)} ({code})"
        for j, term in enumerate(terms, start=1):
            value = matrix.loc[code, term]
            table.cell(i, j).text = "" if pd.isna(value) else ("✓" if value == 1 else "–")
    for cell in (table.cell(r, c) for r in range(rows) for c in range(cols)):
        for paragraph in cell.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(9)


def to_pptx(export: ChartExport, picture: PictureMaker | None = None) -> bytes:
    """One slide for one chart."""
    deck = new_presentation()
    add_chart_slide(deck, export, picture)
    return save(deck)


def save(deck) -> bytes:
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


# -- the benchmark deck ----------------------------------------------------------------------------
def title_slide(deck, *, title: str, subtitle: str, lines: Sequence[str]) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    margin = Inches(0.8)
    width = SLIDE_W - 2 * margin
    _text(slide, title, left=margin, top=Inches(2.2), width=width, height=Inches(1.2), size=36, bold=True)
    _text(slide, subtitle, left=margin, top=Inches(3.5), width=width, height=Inches(0.8), size=18,
          colour=TEXT_GREY)
    _text(slide, "\n".join(lines), left=margin, top=Inches(4.5), width=width, height=Inches(2), size=12,
          colour=TEXT_GREY)
    _text(slide, f"S3 Observatory · exported {datetime.now(UTC):%Y-%m-%d}", left=margin,
          top=SLIDE_H - Inches(0.7), width=width, height=Inches(0.4), size=10, colour=TEXT_GREY)


def table_slide(deck, *, title: str, subtitle: str, sources: Sequence[str], header: Sequence[str],
                rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
    """A slide with a native table (key figures, the peer list)."""
    slide, (left, top, width, height) = _frame(deck, title, subtitle, sources)
    shape = slide.shapes.add_table(len(rows) + 1, len(header), left, top, width,
                                   min(height, Inches(0.3) * (len(rows) + 1)))
    table = shape.table
    total = sum(widths)
    for j, w in enumerate(widths):
        table.columns[j].width = Emu(int(width * w / total))
    for j, text in enumerate(header):
        table.cell(0, j).text = text
    for i, row in enumerate(rows, start=1):
        for j, text in enumerate(row):
            table.cell(i, j).text = str(text)
    size = Pt(10) if len(rows) < 14 else Pt(8)
    for r in range(len(rows) + 1):
        for c in range(len(header)):
            for paragraph in table.cell(r, c).text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = size
