"""A page's own ``dcc.Location``, started in step with the address the page is drawn for.

A page that keeps its state in the URL listens to its own ``dcc.Location`` for back/forward and
links to itself. A Location created without ``search`` reports the browser's address as soon as
it mounts, which would cost each page load a callback round trip that changes nothing. Dash pages'
router callback knows the address; giving it to the Location keeps it quiet on mount.
"""

from __future__ import annotations

from dash import ctx, dcc
from dash.exceptions import MissingCallbackContextException
from flask import has_request_context, request


def current_search() -> str | None:
    """The raw query string of the page being drawn (Dash pages' router callback has it), or None."""
    try:
        search = ctx.inputs.get("_pages_location.search")
    except (MissingCallbackContextException, LookupError):  # outside a callback: no address here
        return None
    return search if isinstance(search, str) else None


def current_query() -> str:
    """The query string of the address a page is being drawn for: from Dash pages' router callback
    when the browser navigates, from the HTTP request when the page is first served (its title
    and link-preview tags are written into the HTML then). ``""`` outside both."""
    search = current_search()
    if search is not None:
        return search
    if has_request_context() and request.method == "GET" and request.query_string:
        return "?" + request.query_string.decode("utf-8", "replace")
    return ""


def page_location(component_id: str) -> dcc.Location:
    """The page's own Location (no reload on change), holding the address it was drawn for."""
    return dcc.Location(id=component_id, refresh=False, search=current_search())


def is_page(pathname: str | None, path: str, prefix: str = "/") -> bool:
    """Whether the browser's ``pathname`` is the page registered at ``path`` under the app's URL
    ``prefix`` (Dash's ``requests_pathname_prefix``), trailing slash or not.

    Every ``dcc.Location`` reports a back/forward or a link, including the one of the page being
    left; a page's address controller checks this so it does not redraw itself, with another
    page's query, just before the router replaces it.
    """
    if not pathname:
        return False
    return pathname.rstrip("/") == (prefix.rstrip("/") + path).rstrip("/")
