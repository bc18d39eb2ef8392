"""Request limits and leak plugs: what a hostile or broken client can make the server do.

Measured before these existed (issue 13): a 200 MB JSON POST to ``/_dash-update-component`` was
read in full and raised a worker from 220 to 862 MB; a callback whose ``search`` was a number
made the app's own URL parsing raise, and every such request logged a 1.9 KB traceback (5.3 MB
for 2,800 requests); ``/_reload-hash`` answered in production; every page's ``_dash-config``
carried the exact Dash, plotly and Python versions. Each guard here answers before any of that:

- a body larger than :data:`MAX_BODY_BYTES` (declared, or streamed without a length) is a 413
  before it is read;
- a callback request is checked for shape and value types before Dash dispatches it, so a
  callback only ever sees the types its component sends (a 400 in one log line otherwise);
- Dash's development routes are 404 unless hot reload is on;
- the versions are dropped from ``_dash-config`` (only the renderer's development build shows them).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable

import dash
from flask import Flask, Response, jsonify, request

log = logging.getLogger(__name__)

#: Largest request body accepted (env ``OBSERVATORY_MAX_BODY_BYTES``). The largest callback body
#: the pages send is a few kilobytes (URL state, dropdown values); 1 MiB leaves a wide margin.
MAX_BODY_BYTES = int(os.environ.get("OBSERVATORY_MAX_BODY_BYTES", str(1024 * 1024)))
#: Longest URL accepted (path and query), as a 414 (env ``OBSERVATORY_MAX_URL_BYTES``).
MAX_URL_BYTES = int(os.environ.get("OBSERVATORY_MAX_URL_BYTES", "8192"))
#: Bounds on a callback's values: nesting depth, items in one list or dict, characters in a string.
MAX_DEPTH = 16
MAX_ITEMS = 5000
MAX_TEXT = 100_000

#: ``_dash-config`` keys that only name versions (read by the renderer's dev tools, not the app).
VERSION_KEYS = ("dash_version", "python_version", "dash_version_url", "ddk_version", "plotly_version")
#: Dash's development routes: answered only when hot reload is on.
DEV_ROUTES = ("_reload-hash",)

#: Component properties whose values the app parses as text (dcc.Location's address parts).
TEXT_PROPS = frozenset({"pathname", "search", "hash", "href", "search_value"})
#: Properties that are counts or timestamps (buttons, intervals).
NUMBER_PROPS = frozenset({"n_clicks", "n_clicks_timestamp", "n_intervals", "n_submit", "n_blur"})
#: Properties whose values are a scalar or a flat list of scalars (dropdowns, radios, sliders, inputs).
SCALAR_PROPS = frozenset({"value"})
_SCALARS = (str, int, float, bool, type(None))
#: Stores named ``<page>-state`` hold a page's view state, which the server writes: an object (the
#: map's view) or a query string (the benchmark's and the strategies table's canonical address).
STATE_STORE_SUFFIX = "-state"


class Rejected(ValueError):
    """A callback request that is not what any of the app's components sends."""


def _check_value(value: object, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise Rejected("value nested too deeply")
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise Rejected("text value too long")
    elif isinstance(value, list):
        if len(value) > MAX_ITEMS:
            raise Rejected("list value too long")
        for item in value:
            _check_value(item, depth + 1)
    elif isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            raise Rejected("object value too large")
        for key, item in value.items():
            _check_value(key, depth + 1)
            _check_value(item, depth + 1)
    elif not isinstance(value, _SCALARS):
        raise Rejected("unexpected value type")


def _check_typed(ident: object, prop: str, value: object) -> None:
    kind = type(value).__name__
    if prop == "data" and isinstance(ident, str) and ident.endswith(STATE_STORE_SUFFIX) \
            and not isinstance(value, dict | str | None):
        raise Rejected(f"{ident} must hold an object or a query string, not {kind}")
    if prop in TEXT_PROPS and not isinstance(value, str | None):
        raise Rejected(f"{prop} must be text, not {kind}")
    if prop == "pathname" and value is not None and not value.startswith("/"):
        raise Rejected("pathname must start with /")
    if prop in NUMBER_PROPS and (isinstance(value, bool) or not isinstance(value, int | float | None)):
        raise Rejected(f"{prop} must be a number, not {kind}")
    if prop in SCALAR_PROPS:
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, _SCALARS) for item in items):
            raise Rejected("value must be a scalar or a list of scalars")


def _check_entry(entry: object) -> None:
    """One element of ``inputs`` / ``state``: {id, property, value} or, for ALL patterns, a list."""
    if isinstance(entry, list):
        if len(entry) > MAX_ITEMS:
            raise Rejected("too many pattern-matched inputs")
        for item in entry:
            _check_entry(item)
        return
    if not isinstance(entry, dict):
        raise Rejected("input is not an object")
    ident, prop = entry.get("id"), entry.get("property")
    if not isinstance(ident, str | dict) or not isinstance(prop, str):
        raise Rejected("input without a valid id and property")
    _check_value(ident)
    value = entry.get("value")
    _check_value(value)
    _check_typed(ident, prop, value)


def check_callback_body(body: object) -> None:
    """Raise :class:`Rejected` unless ``body`` has the shape Dash's renderer sends."""
    if not isinstance(body, dict):
        raise Rejected("body is not a JSON object")
    if not isinstance(body.get("output"), str):
        raise Rejected("output missing")
    if not isinstance(body.get("outputs"), dict | list):
        raise Rejected("outputs missing")
    for key in ("inputs", "state"):
        entries = body.get(key, [])
        if not isinstance(entries, list) or len(entries) > MAX_ITEMS:
            raise Rejected(f"{key} is not a list")
        for entry in entries:
            _check_entry(entry)
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(item, str) for item in changed):
        raise Rejected("changedPropIds is not a list of names")


def rejected(reason: str, status: int = 400) -> Response:
    """The one-line log and the client's JSON answer for a refused request."""
    log.warning("rejected %s %s: %s", request.method, request.path[:200], " ".join(reason.split()))
    response = jsonify(error="This request could not be processed. Reload the page and try again.")
    response.status_code = status
    return response


def install_guards(app: dash.Dash) -> None:
    """Register the limits (first among the ``before_request`` hooks) and the config filter."""
    server: Flask = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES  # also caps bodies sent without a length
    prefix = app.config.routes_pathname_prefix
    callback_path = f"{prefix}_dash-update-component"
    dev_paths = {f"{prefix}{route}" for route in DEV_ROUTES}

    def limits() -> Response | None:
        length = request.content_length
        if length is not None and length > MAX_BODY_BYTES:
            return rejected(f"body of {length} bytes", 413)
        if len(request.full_path) > MAX_URL_BYTES:
            return rejected(f"URL of {len(request.full_path)} bytes", 414)
        if request.path in dev_paths and not app._hot_reload.hash:
            return Response("Not found", status=404, mimetype="text/plain")
        if request.method == "POST" and request.path == callback_path:
            try:
                body = json.loads(request.get_data(cache=True) or b"null")
                check_callback_body(body)
            except (ValueError, RecursionError) as exc:  # Rejected and JSONDecodeError are ValueErrors
                return rejected(str(exc)[:120])
        return None

    server.before_request_funcs.setdefault(None, []).insert(0, limits)
    app._config = _without_versions(app._config)


def _without_versions(config: Callable[[], dict]) -> Callable[[], dict]:
    def _config() -> dict:
        values = config()
        for key in VERSION_KEYS:
            values.pop(key, None)
        return values

    return _config
