"""How every chart's toolbar (plotly's modebar) is set up: the same choices on every page.

No data leaves the site: plotly's "Share chart..." button uploads the chart to Plotly Cloud, which
a public administration's users must never do by accident, so it is switched off everywhere
(``showSendToCloud``) and removed from the toolbar. The lasso and box selections do nothing in
this app and are removed too. The PNG button saves at twice the drawn size.
"""

from __future__ import annotations

from typing import Any

#: Toolbar buttons that no chart offers.
REMOVED_BUTTONS = ("select2d", "lasso2d", "sendChartToCloud")


def graph_config(filename: str, **extra: Any) -> dict[str, Any]:
    """A ``dcc.Graph`` config; ``filename`` names downloaded images, ``extra`` adds plotly options."""
    return {
        "displaylogo": False,
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "modeBarButtonsToRemove": list(REMOVED_BUTTONS),
        "toImageButtonOptions": {"filename": filename, "scale": 2},
        **extra,
    }


#: Small charts inside a page (sparklines, locator maps): no toolbar, and nothing to upload.
STATIC = {"displayModeBar": False, "showSendToCloud": False}
