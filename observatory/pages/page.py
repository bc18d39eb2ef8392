"""A page of the app, declared once: its address, title, description, place in the navigation, and
(for addresses with a variable) how to tell whether the record it names exists.

Every fact about a page lives in its :class:`Page`: the navbar, the server's 404 decision and
Dash's page registry are all made from the same declarations (``observatory.pages.PAGES``), so
adding a page is one declaration in one module (see ``docs/adding-a-page.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dash
from flask import current_app, has_request_context

from observatory.components.context import PageContext
from observatory.model import Observatory

#: Draws a page: ``layout(context, **path_variables_and_query)``.
Layout = Callable[..., Any]

#: Where ``create_app()`` keeps an app's context on its Flask server (``server.extensions``).
CONTEXT_KEY = "observatory"


def serving_context(default: PageContext) -> PageContext:
    """The context of the app answering the current request, else ``default``."""
    if has_request_context():
        found = current_app.extensions.get(CONTEXT_KEY)
        if isinstance(found, PageContext):
            return found
    return default


@dataclass(frozen=True)
class Page:
    """One route. ``path`` may hold one ``<variable>`` (``/region/<region_code>``)."""

    key: str  # the key in Dash's page registry (``not_found_404`` is Dash's name for the 404 page)
    path: str
    layout: Layout
    title: str | Callable[..., str]  # a text, or ``title(context, **path_variables)``
    description: str | Callable[..., str] = ""  # a text, or ``description(context, **path_variables)``
    nav: str | None = None  # the navbar label; None keeps the page out of the navbar
    order: int = 100  # navbar order
    exists: Callable[[Observatory, str], bool] | None = None  # for a ``<variable>``: does the record exist?
    status: int = 200  # the HTTP status the server sends with the page (404 for "not found")

    @property
    def is_template(self) -> bool:
        return "<" in self.path

    def register(self, context: PageContext) -> None:
        """Add the page to Dash's registry, its layout, title and description drawn from the context
        of the app serving the request (``context`` outside a request).

        Dash's page registry is one per process, while each app made by ``create_app()`` has its own
        context (tests make several): looking the context up per request keeps every app drawing
        its pages from its own data, whichever app registered last.
        """

        def layout(**query: object) -> Any:
            return self.layout(serving_context(context), **query)

        def bound_title(**variables: object) -> str:
            return self.title(serving_context(context), **variables)

        def bound_description(**variables: object) -> str:
            return self.description(serving_context(context), **variables)

        title = bound_title if callable(self.title) else self.title
        description = bound_description if callable(self.description) else self.description
        where = {"path_template": self.path} if self.is_template else {"path": self.path}
        dash.register_page(self.key, **where, title=title, description=description, layout=layout,
                           order=self.order, name=self.nav or self.key)
