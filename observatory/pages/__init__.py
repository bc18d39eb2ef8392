"""Pages: one module per route. Each module's ``register()`` adds its page and callbacks.

Component ids are namespaced by page (``map-...``, ``profile-...``, ``bench-...``) so pages never
collide; the ids live in each module's ``ids`` helper.
"""

from __future__ import annotations

import importlib

#: Page modules in navigation order. A module missing here is not served.
PAGE_MODULES = (
    "observatory.pages.map_explorer",
    "observatory.pages.region",
    "observatory.pages.strategies",
    "observatory.pages.partnerships",
    "observatory.pages.benchmark",
    "observatory.pages.about",
    "observatory.pages.not_found",
)


def register_all() -> None:
    for name in PAGE_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # page not written yet
                continue
            raise
        module.register()
