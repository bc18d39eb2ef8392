"""The HTTP status a page URL deserves: 404 for unknown regions, partnerships and paths, else 200.

Dash answers every path with the same index page and decides in the browser what to show, so
``/region/XX99`` would come back as "200 OK" with a "not found" message inside. Search engines,
link checkers and API users need the real status, which only the server can send: the server's
``before_request`` hook asks :func:`resolve_status` and serves the index with that status. Which
paths are pages, and how a path's record is checked, comes from the pages' declarations.

Matching follows Dash's own router (``dash._pages._path_to_page``): slashes at both ends are
ignored, static paths match exactly, and a ``<variable>`` in a template matches any rest of the
path (slashes included). A variable is then checked against the data by its page's check;
a template without a check accepts any value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from observatory.model import Observatory
from observatory.pages.page import Page

_VARIABLE = re.compile(r"<[^>]*>")


def _match(path: str, template: str) -> list[str] | None:
    """The variable values if ``path`` matches ``template`` (both without outer slashes), else None."""
    if not _VARIABLE.search(template):
        return [] if path == template else None
    pattern = "(.*)".join(re.escape(part) for part in _VARIABLE.split(template))
    found = re.fullmatch(pattern, path)
    return list(found.groups()) if found else None


def resolve_status(path: str, obs: Observatory, pages: Iterable[Page]) -> int:
    """The status of ``path``: its page's own status (404 for the "not found" page), 404 when no
    page matches or the record a path variable names does not exist (the page's ``exists``).

    ``pages``: the app's page declarations (``observatory.pages.PAGES``), in matching order. Only
    page paths belong here; static files and Dash's own routes are not pages.
    """
    clean = (path or "").strip("/")
    for page in pages:
        values = _match(clean, page.path.strip("/"))
        if values is None:
            continue
        if page.exists is not None and page.is_template and not (values and page.exists(obs, values[0])):
            return 404
        return page.status
    return 404
