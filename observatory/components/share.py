"""The Share / Download menu next to each chart: link, PNG, SVG, CSV, Excel, PowerPoint, embed.

A native disclosure (``<details>``): it opens with the keyboard and a screen reader announces it,
with no script needed. Every entry is a plain link to ``/export/<chart>.<format>`` carrying the
page's query, so downloads work without JavaScript; ``assets/share.js`` refreshes the links to the
page's *current* address when the menu opens (the view changes as the user works), copies the link
and fills in the embed snippet with the site's own address.

``chart`` names an export (``observatory.exports.charts.CHARTS``; the unit tests check every name
the pages use). ``query`` is the export's query; ``live=True`` means "the page's address", read
again in the browser when the menu opens.
"""

from __future__ import annotations

from dash import dcc, html

#: (format, label) in the menu's order.
DOWNLOADS = (
    ("png", "Image for slides (PNG, 3200×1800)"),
    ("svg", "Vector image (SVG)"),
    ("csv", "Data (CSV)"),
    ("xlsx", "Data (Excel)"),
    ("pptx", "PowerPoint slide (editable chart)"),
)
#: The embed snippet's frame size: a chart readable inside an article column.
EMBED_WIDTH, EMBED_HEIGHT = 800, 500


def embed_snippet(src: str, title: str) -> str:
    """The ``<iframe>`` a site pastes to embed a chart (``src`` absolute in the browser)."""
    safe_title = title.replace('"', "&quot;").replace("<", "&lt;")
    return (f'<iframe src="{src}" width="{EMBED_WIDTH}" height="{EMBED_HEIGHT}" title="{safe_title}" '
            f'style="border:0;max-width:100%" loading="lazy"></iframe>')


def share_menu(chart: str, *, label: str, query: str = "", live: bool = True,
               menu_id: str | None = None) -> html.Details:
    """The menu for one chart; ``label`` names the chart for screen readers ("the map")."""
    base = {"data-chart": chart, "data-live": "1" if live else "0", "data-query": query}
    items = [html.Li(html.Button("Copy link to this view", type="button", className="btn btn-link btn-sm p-0",
                                 **{"data-share": "link"}))]
    items += [html.Li(html.A(text, href=f"/export/{chart}.{fmt}{query}", className="small",
                             **{"data-export": fmt, "download": ""}))
              for fmt, text in DOWNLOADS]
    items.append(html.Li([
        html.Label("Embed code (paste into a web page)", className="small d-block mb-1",
                   htmlFor=f"{menu_id or chart}-embed"),
        dcc.Textarea(value=embed_snippet(f"/embed/{chart}{query}", label), id=f"{menu_id or chart}-embed",
                      readOnly=True, rows=3, className="form-control form-control-sm share-embed"),
        html.Button("Copy embed code", type="button", className="btn btn-link btn-sm p-0",
                    **{"data-share": "embed"}),
    ]))
    return html.Details([
        html.Summary(["Share / Download", html.Span(f": {label}", className="visually-hidden")],
                     className="btn btn-outline-secondary btn-sm share-summary"),
        html.Ul(items, className="list-unstyled share-items mb-0"),
        html.P("", className="small text-success mb-0 share-status", role="status",
               **{"aria-live": "polite"}),
    ], className="share-menu", id=menu_id, **base)
