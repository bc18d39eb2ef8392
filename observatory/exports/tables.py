"""The data behind a chart, as CSV and as Excel (with a second sheet for the sources and notes).

Exactly the rows the chart draws (one per region, indicator and year), with the region's code and
name, the indicator's id, label and unit, the value, Eurostat's flag and the source line. Cells
are written as data, never as formulas: a region name starting with ``=`` stays text.
"""

from __future__ import annotations

import io
import math
from datetime import UTC, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from observatory.exports.charts import ChartExport

#: Spreadsheet programs run a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells made safe for spreadsheets; numbers stay numbers (a negative value is not text)."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(_safe_text)
    return out


def to_csv(export: ChartExport) -> bytes:
    """UTF-8 CSV with a byte-order mark (Excel then reads accents right), one header row."""
    return _cells(export.data).to_csv(index=False).encode("utf-8-sig")


def about_rows(export: ChartExport, *, url: str, build: str) -> list[tuple[str, str]]:
    """The "About" sheet: what the data is, where it comes from, and how to get it again."""
    rows = [("Chart", export.title), ("Subtitle", export.subtitle)]
    rows += [("Source", line) for line in export.sources]
    rows += [("Note", note) for note in export.notes]
    rows += [("View in the S3 Observatory", export.page), ("This file", url), ("Data build", build),
             ("Exported", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
             ("Columns", "region, name: NUTS 2021 code and name; indicator, label, unit: what is measured; "
                         "year, value, flag: as published (flags: e estimated, p provisional, b break "
                         "in series...); source: where the value comes from")]
    return rows


def to_xlsx(export: ChartExport, *, url: str = "", build: str = "") -> bytes:
    """An Excel workbook: sheet "Data" (the CSV's rows) and sheet "About" (sources and notes)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    frame = export.data
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([_excel_value(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for i, column in enumerate(frame.columns, start=1):
        width = max([len(str(column)), *(len(str(v)) for v in frame[column].head(200))]) + 2
        sheet.column_dimensions[get_column_letter(i)].width = min(width, 60)
    about = book.create_sheet("About")
    for key, value in about_rows(export, url=url, build=build):
        about.append([key, _safe_text(value)])
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 110
    for cell in about["A"]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _excel_value(value: object) -> object:
    """A cell value openpyxl writes as data: missing -> empty, numpy -> Python, text made safe."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return _safe_text(value)
