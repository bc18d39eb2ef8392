"""The message a page shows above itself when some of its link's parameters could not be used."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html


def url_messages(errors: list[str], class_name: str) -> list:
    """One dismissable warning listing every rejected parameter (nothing when all were understood).

    ``class_name`` marks the page's alert (``map-url-errors``...), for styles and tests.
    """
    if not errors:
        return []
    return [dbc.Alert([html.Strong("Some link parameters were not understood. "),
                       html.Ul([html.Li(message) for message in errors], className="mb-0")],
                      color="warning", dismissable=True, className=f"{class_name} py-2")]
