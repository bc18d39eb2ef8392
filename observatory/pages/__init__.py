"""Pages: one module per part of the site, each declaring its :class:`~observatory.pages.page.Page`\\ s
and registering its callbacks with ``register(app, context)``.

Every page gets its data from the :class:`~observatory.components.context.PageContext` it is
handed; no page imports the web server. Component ids are namespaced by page (``map-...``,
``profile-...``, ``bench-...``) so pages never collide; the ids live in each module's ``ids``.
The navbar and the server's 404 decisions are made from :data:`PAGES`, in its order.
"""

from __future__ import annotations

import dash

from observatory.components.context import PageContext
from observatory.pages import about, benchmark, map_explorer, not_found, partnerships, region, strategies
from observatory.pages.page import Page

#: Page modules, in navigation order.
MODULES = (map_explorer, region, strategies, partnerships, benchmark, about, not_found)

#: Every page of the app.
PAGES: tuple[Page, ...] = tuple(page for module in MODULES for page in module.PAGES)


def navigation() -> list[tuple[str, str]]:
    """(label, path) of the pages shown in the navbar, in order."""
    listed = sorted((page for page in PAGES if page.nav), key=lambda page: page.order)
    return [(page.nav, page.path) for page in listed]


def register_all(app: dash.Dash, context: PageContext) -> None:
    """Register every page with Dash and every page module's callbacks with ``app``."""
    context.navigation = navigation()
    for page in PAGES:
        page.register(context)
    for module in MODULES:
        register = getattr(module, "register", None)
        if register is not None:
            register(app, context)
