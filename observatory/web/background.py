"""Long work as Dash background callbacks: on this machine by default, on Celery workers when set.

Why: a benchmark deck makes a dozen slides and charts. Run inside the request, it would hold a
web worker (and under gevent every other greenlet of it) for as long as it takes; as a background
callback it runs in another process, the page shows its progress, and the finished file lands in
the export store (:mod:`observatory.exports.store`) from which the browser then downloads it.

Where the jobs run:

- default: a process of this machine per job, results in ``diskcache`` under
  ``<geodata>/cache/jobs`` (Dash's ``DiskcacheManager``);
- ``CELERY_BROKER_URL`` set (e.g. ``redis://redis:6379/1``): Celery workers, anywhere, sharing the
  broker (Dash's ``CeleryManager``; results in ``CELERY_RESULT_BACKEND``, default the broker).
  Run them with ``celery -A app:celery_app worker``; set ``REDIS_URL`` too, so the web servers
  and the workers share the export store.
"""

from __future__ import annotations

import os

import dash
from dash import Input, Output, State, html

from observatory import config
from observatory.components.context import PageContext
from observatory.exports.charts import ExportError
from observatory.exports.files import DECK, cached_export, export_path
from observatory.pages.benchmark.common import ids

#: How often the page asks for a job's progress (ms).
POLL_MS = 500


def celery_broker() -> str | None:
    return os.environ.get("CELERY_BROKER_URL") or None


def make_manager():
    """The background callback manager the environment asks for (see the module docstring)."""
    broker = celery_broker()
    if broker:
        from celery import Celery

        app = Celery("observatory", broker=broker, backend=os.environ.get("CELERY_RESULT_BACKEND", broker))
        app.conf.update(task_serializer="json", result_serializer="json", accept_content=["json"],
                        worker_prefetch_multiplier=1, task_acks_late=True, result_expires=3600)
        return dash.CeleryManager(app, expire=3600)
    import diskcache

    directory = os.environ.get("OBSERVATORY_JOBS_DIR", str(config.GEODATA_DIR / "cache" / "jobs"))
    return dash.DiskcacheManager(diskcache.Cache(directory), expire=3600)


def celery_app(manager) -> object | None:
    """The Celery application behind ``manager`` (for ``celery -A app:celery_app worker``), if any."""
    return getattr(manager, "handle", None) if isinstance(manager, dash.CeleryManager) else None


def deck_ready(query: str, size: int) -> html.Div:
    """What the page shows when the deck is made: the download link (the file now comes from the store)."""
    return html.Div(html.A(f"Download the deck (PowerPoint, {size / 1024:,.0f} KB)",
                           href=f"{export_path(DECK, 'pptx')}{query}", download="", id=ids("deck-file")),
                    className="small", role="status")


def register_deck_job(app: dash.Dash, context: PageContext, manager) -> None:
    """The benchmark page's "Prepare the deck" button: the deck made in the background, with progress."""

    @app.callback(
        Output(ids("deck-result"), "children"),
        Input(ids("deck-prepare"), "n_clicks"),
        State(ids("url"), "search"),
        background=True,
        manager=manager,
        progress=[Output(ids("deck-progress"), "value"), Output(ids("deck-progress-text"), "children")],
        running=[(Output(ids("deck-prepare"), "disabled"), True, False),
                 (Output(ids("deck-working"), "hidden"), False, True)],
        prevent_initial_call=True,
        interval=POLL_MS,
    )
    def prepare_deck(set_progress, n_clicks, search):
        query = search if isinstance(search, str) and search.startswith("?") else ""
        set_progress(("0", "starting"))
        try:
            made, _ = cached_export(context.obs, DECK, "pptx", query,
                                    progress=lambda done, total: set_progress(
                                        (str(round(100 * done / total)), f"{done} of {total} slides")))
        except ExportError as exc:
            return html.P(f"The deck cannot be made for this view: {exc}", className="small text-danger",
                          role="alert")
        return deck_ready(query, len(made.content))
