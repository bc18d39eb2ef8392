"""The HTTP status a page URL deserves: 404 for unknown regions, partnerships and paths, else 200.

Dash answers every path with the same index page and decides in the browser what to show, so
``/region/XX99`` would come back as "200 OK" with a "not found" message inside. Search engines,
link checkers and API users need the real status, which only the server can send: the server's
``before_request`` hook asks :func:`resolve_status` and serves the index with that status.

Matching follows Dash's own router (``dash._pages._path_to_page``): slashes at both ends are
ignored, static paths match exactly, and a ``<variable>`` in a template matches any rest of the
path (slashes included). A variable of a known template is then checked against the data;
variables of templates this module has no check for are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from observatory.model import Observatory

#: The path of the "not found" page itself: visiting it directly is still a 404.
NOT_FOUND_PATH = "/not-found"

#: The app's page paths and templates, used when the caller does not pass the registered ones.
DEFAULT_PAGES = (
    "/",
    "/strategies",
    "/partnerships",
    "/partnerships/<partnership_id>",
    "/region/<region_code>",
    "/benchmark",
    "/about/data",
)

_VARIABLE = re.compile(r"<[^>]*>")


def _region_exists(obs: Observatory, code: str) -> bool:
    return obs.region(code) is not None


def _partnership_exists(obs: Observatory, partnership_id: str) -> bool:
    return partnership_id in obs.partnerships.index


#: Templates whose variable names a record, by the template's static start: the record must
#: exist for the page to exist ("region/<...>", "partnerships/<...>", whatever the variable name).
RECORD_CHECKS: dict[str, Callable[[Observatory, str], bool]] = {
    "region/": _region_exists,
    "partnerships/": _partnership_exists,
}


def _match(path: str, template: str) -> list[str] | None:
    """The variable values if ``path`` matches ``template`` (both without outer slashes), else None."""
    if not _VARIABLE.search(template):
        return [] if path == template else None
    pattern = "(.*)".join(re.escape(part) for part in _VARIABLE.split(template))
    found = re.fullmatch(pattern, path)
    return list(found.groups()) if found else None


def resolve_status(path: str, obs: Observatory, pages: Iterable[str] | None = None) -> int:
    """404 when ``path`` names no page or a region/partnership that does not exist, else 200.

    ``pages``: the registered page paths and path templates (default :data:`DEFAULT_PAGES`).
    Only page paths belong here; static files and Dash's own routes are not pages.
    """
    clean = (path or "").strip("/")
    if clean == NOT_FOUND_PATH.strip("/"):
        return 404
    for page in pages if pages is not None else DEFAULT_PAGES:
        template = page.strip("/")
        values = _match(clean, template)
        if values is None:
            continue
        check = RECORD_CHECKS.get(template.split("<", 1)[0]) if "<" in template else None
        if check is None:
            return 200
        return 200 if values and check(obs, values[0]) else 404
    return 404
