"""Plain, accessible HTML tables of a data frame: a caption, column headers with ``scope``, and a
note when the list is cut (the full list is a download away). Lists are the text alternative of
every map and chart, so they are real tables a screen reader can walk, not pictures of tables."""

from __future__ import annotations

import math
from collections.abc import Mapping

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html


def _cell(value: object, number_format: str) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float):
        return format(value, number_format)
    return str(value)


def data_table(frame: pd.DataFrame, columns: Mapping[str, str], *, caption: str, max_rows: int = 100,
               number_format: str = ",.4g", table_id: str | None = None) -> html.Div:
    """``frame``'s ``columns`` (field -> heading) as a table of at most ``max_rows`` rows."""
    shown = frame.head(max_rows)
    head = html.Thead(html.Tr([html.Th(label, scope="col") for label in columns.values()]))
    body = html.Tbody([html.Tr([html.Td(_cell(row[field], number_format)) for field in columns])
                       for _, row in shown.iterrows()])
    note = (html.P(f"The first {max_rows} of {len(frame)} rows; the CSV has them all.",
                   className="small text-muted") if len(frame) > max_rows else None)
    kwargs = {"id": table_id} if table_id else {}
    return html.Div([
        dbc.Table([html.Caption(caption), head, body], size="sm", striped=True, hover=True, className="mb-1",
                  **kwargs),
        note,
    ], className="table-responsive")
