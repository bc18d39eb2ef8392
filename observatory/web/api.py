"""A read-only JSON/CSV API: the data behind every page, in the shape a script wants.

Every resource answers as ``.json`` or ``.csv`` (Datasette's convention), carries the build it
comes from and the attribution of its sources, and answers bad input with a 400/404 JSON body
that says what was wrong. Nothing here computes anything: it serialises model and analysis results.

    /api/regions.json|csv?level=2               regions (code, names, level, country, parent, view)
    /api/regions/<code>.json                    a region profile: strategies, priorities, partners, figures
    /api/indicators.json|csv                    the indicator catalogue
    /api/indicators/<id>.json|csv?year=&level=  one indicator's values with Eurostat flags
    /api/strategies.json|csv                    strategy records
    /api/priorities.json|csv                    priority records with their tags
    /api/partnerships.json|csv                  partnership records
"""

from __future__ import annotations

import gzip
import hashlib
import io
import math
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import partial, update_wrapper

import pandas as pd
from flask import Blueprint, Response, jsonify, request

from observatory.analysis import profile
from observatory.components.context import PageContext
from observatory.model import Observatory
from observatory.sources.catalogue import GISCO_ATTRIBUTION

FORMATS = ("json", "csv")
MAX_ROWS = 100_000


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _api_error(exc: ApiError):
    return jsonify(error=exc.message, status=exc.status), exc.status


def _clean(value):
    """JSON-safe scalars: NaN/NA -> None, numpy numbers -> Python numbers."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _respond(obs: Observatory, frame: pd.DataFrame, fmt: str, *, name: str,
             meta: dict | None = None) -> Response:
    if fmt not in FORMATS:
        raise ApiError(404, f"unknown format {fmt!r}: use .json or .csv")
    frame = frame.head(MAX_ROWS)
    if fmt == "csv":
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False)
        response = Response(buffer.getvalue(), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
        return response
    return jsonify(
        build=obs.path.name, built_at=obs.manifest.get("built_at"), **(meta or {}), rows=_records(frame)
    )


def _int_arg(name: str, allowed: list[int] | None = None) -> int | None:
    from flask import request

    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be a whole number") from None
    if allowed is not None and value not in allowed:
        raise ApiError(400, f"{name} must be one of {allowed}")
    return value


def regions(obs: Observatory, fmt: str):
    level = _int_arg("level", [0, 1, 2, 3])
    table = obs.regions if level is None else obs.regions_at(level)
    columns = [
        "nuts_id",
        "level",
        "country",
        "parent",
        "name_latn",
        "name_native",
        "view",
        "urbn_typology",
        "coast_typology",
        "mount_typology",
    ]
    return _respond(
        obs,
        table[columns],
        fmt,
        name="regions",
        meta={"attribution": f"{GISCO_ATTRIBUTION}; Eurostat NUTS 2021"},
    )


def region(obs: Observatory, code: str):
    found = obs.region(code)
    if found is None:
        raise ApiError(404, f"no NUTS 2021 region with code {code[:12]!r}")
    strategies = profile.covering_strategies(obs, found.code)
    priorities = profile.priorities_with_tags(obs, strategies["strategy_id"].tolist())
    figures = [
        {k: _clean(v) for k, v in vars(f).items() if k != "trend"}
        for f in profile.key_figures(obs, found.code)
    ]
    return jsonify(
        build=obs.path.name,
        region={
            "code": found.code,
            "level": found.level,
            "name": found.name,
            "native_name": found.native_name,
            "country": found.country,
            "parent": found.parent,
            "ancestors": found.ancestors,
        },
        strategies=_records(strategies.drop(columns=["period_end"], errors="ignore")),
        priorities=_records(priorities),
        partnerships=_records(profile.region_partnerships(obs, found.code)),
        key_figures=figures,
    )


def indicators(obs: Observatory, fmt: str):
    catalogue = obs.catalogue.reset_index(drop=True).copy()
    catalogue["source_ids"] = catalogue["source_ids"].map(";".join)
    return _respond(obs, catalogue, fmt, name="indicators")


def indicator_values(obs: Observatory, indicator_id: str, fmt: str):
    spec = obs.indicator(indicator_id)
    if spec is None:
        raise ApiError(404, f"unknown indicator {indicator_id[:40]!r}; see /api/indicators.json")
    frame = obs.indicator_frame(indicator_id)
    year = _int_arg("year")
    level = _int_arg("level", [0, 1, 2, 3])
    if year is not None:
        frame = frame[frame["year"] == year]
    if level is not None:
        frame = frame[frame["level"] == level]
    columns = ["region", "year", "value", "unit", "flag", "source"]
    return _respond(
        obs,
        frame[columns].sort_values(["region", "year"]),
        fmt,
        name=indicator_id,
        meta={"indicator": indicator_id, "label": spec["label"], "attribution": spec["attribution"]},
    )


def strategies(obs: Observatory, fmt: str):
    return _respond(obs, obs.strategies.reset_index(drop=True), fmt, name="strategies")


def priorities(obs: Observatory, fmt: str):
    tags = obs.priority_tags.groupby("priority_id")["term"].agg(lambda t: ";".join(sorted(t)))
    table = obs.priorities.assign(terms=obs.priorities["priority_id"].map(tags).fillna(""))
    return _respond(obs, table, fmt, name="priorities")


def partnerships(obs: Observatory, fmt: str):
    return _respond(obs, obs.partnerships.reset_index(drop=True), fmt, name="partnerships")


#: (rule, view): every resource; each view takes the loaded data first.
ROUTES = (
    ("/regions.<fmt>", regions),
    ("/regions/<code>.json", region),
    ("/indicators.<fmt>", indicators),
    ("/indicators/<indicator_id>.<fmt>", indicator_values),
    ("/strategies.<fmt>", strategies),
    ("/priorities.<fmt>", priorities),
    ("/partnerships.<fmt>", partnerships),
)


def api_blueprint(context: PageContext) -> Blueprint:
    """The API's routes under ``/api``, answering from the context's data build."""
    api = Blueprint("api", __name__, url_prefix="/api")
    api.register_error_handler(ApiError, _api_error)
    for rule, view in ROUTES:
        api.add_url_rule(rule, view.__name__, update_wrapper(partial(_answer, context, view), view))
    api.add_url_rule("/", "unknown", _unknown, defaults={"rest": ""})
    api.add_url_rule("/<path:rest>", "unknown", _unknown)
    return api


def _unknown(rest: str) -> Response:
    """Any other ``/api/...`` path: a 404 in JSON, not the app's HTML page with a 200."""
    raise ApiError(404, "no such API resource; the resources are listed in the README (API section)")


#: How long a client may reuse an answer before revalidating it (the ETag makes that a cheap 304).
API_LIFETIME = "public, max-age=300"
#: Bytes of compressed answers kept per process (env ``OBSERVATORY_API_CACHE_MB``).
CACHE_BYTES = int(float(os.environ.get("OBSERVATORY_API_CACHE_MB", "32")) * 1024 * 1024)


class _AnswerCache:
    """gzip bodies of recent answers, keyed by build id and URL: a new build never sees old ones.

    Why: the largest answer (an indicator's values, 4.2 MB of JSON) costs about 0.3 s of CPU to
    build and tens of ms to compress; kept compressed, repeating it costs a dictionary lookup.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self._items: OrderedDict[tuple[str, str], tuple[bytes, str, dict[str, str]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> tuple[bytes, str, dict[str, str]] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, str], value: tuple[bytes, str, dict[str, str]]) -> None:
        if len(value[0]) > self.limit // 4:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = value
            self.size += len(value[0])
            while self.size > self.limit:
                _, (body, _, _) = self._items.popitem(last=False)
                self.size -= len(body)


_CACHE = _AnswerCache(CACHE_BYTES)
_KEPT_HEADERS = ("Content-Disposition",)


def _answer(context: PageContext, view: Callable[..., Response], **arguments: str) -> Response:
    """The view's answer with an ETag keyed by build and URL, compressed once and kept."""
    obs = context.obs
    key = (obs.path.name, request.full_path)
    etag = hashlib.blake2b("\n".join(key).encode(), digest_size=12).hexdigest()
    if etag in request.if_none_match:
        response = Response(status=304)
    else:
        cached = _CACHE.get(key)
        if cached is None:
            fresh = view(obs, **arguments)
            headers = {name: fresh.headers[name] for name in _KEPT_HEADERS if name in fresh.headers}
            cached = (gzip.compress(fresh.get_data(), compresslevel=6, mtime=0), fresh.mimetype, headers)
            _CACHE.put(key, cached)
        body, mimetype, headers = cached
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response = Response(body, mimetype=mimetype, headers=headers)
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = Response(gzip.decompress(body), mimetype=mimetype, headers=headers)
        response.headers.add("Vary", "Accept-Encoding")
    response.set_etag(etag)
    response.headers["Cache-Control"] = API_LIFETIME
    return response
