"""Fuzz: crafted callback requests and malformed URLs must never get a 5xx or leak internals.

Run: ``.venv/bin/python bench/bench_fuzz.py [--callbacks 10000] [--urls 1000] [--seed 13]
[--url http://127.0.0.1:8050]``. Without ``--url`` the requests go in-process through Flask's test
client on the production app (``create_app()``); with it, to a running server on loopback.
``tests/unit/test_fuzz.py`` runs the same generator bounded (fixed seed, a few hundred cases).

Callback requests are built from the app's own ``/_dash-dependencies`` the way Dash's renderer
builds them (output spec, inputs and state with ids and properties, changed property), then
mutated: values of the wrong type, huge or deeply nested values, unknown ids and properties,
missing fields, malformed or truncated JSON, non-object bodies. URLs cover every route with path
traversal, encoded nulls and slashes, 10 KB paths, unicode and junk queries.

A response *leaks* when its body or headers carry a traceback, a file path of the server, a
``site-packages`` path, the Python version string or a ``Server`` banner. Results (counts by
status, any 5xx or leak with its request) go to ``bench/results/fuzz-<time>.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CALLBACK = "/_dash-update-component"
ROUTES = ["/", "/region/", "/region/ITH5", "/partnerships/", "/strategies", "/benchmark", "/about/data",
          "/api/", "/api/regions/", "/api/indicators/", "/api/regions.json", "/geo/", "/geo/x/nuts2.geojson",
          "/assets/", "/_dash-component-suites/dash/", "/_dash-layout", "/embed/", "/health", "/ready",
          "/export/map.csv", "/export/bench-bars.xlsx", "/export/benchmark-deck.pptx", "/export/map.png",
          "/export/", "/embed/map", "/embed/bench-series"]
LEAK_MARKERS = ("Traceback (most recent call last)", 'File "/', "site-packages", str(REPO) + "/", sys.version)

WRONG_VALUES: list[object] = [
    None, 0, -1, 2**63, 1e308, float("inf"), True, "", " ", "x" * 100_000, "\x00", "%00", "../../etc/passwd",
    "ÎLE-de-França ⚡", "<script>alert(1)</script>", [], [None], [1, "a", None], list(range(6000)),
    {}, {"a": 1}, {"$": {"$": {}}}, [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]],
    "?" + "&".join(f"p{i}=1" for i in range(120)), "?level=9&indicator=%00&year=-5&region=../../",
    "?region=ITH5&level=2&compare=" + "A" * 5000, "/region/" + "Z" * 300, {"__proto__": {"x": 1}},
]


def _parse_spec(spec: str) -> list[tuple[str, str]]:
    """Dash output spec -> [(id, property)]; ``..a.b...c.d..`` is a multi-output."""
    parts = spec.strip(".").split("...") if spec.startswith("..") else [spec]
    return [part.split("@", maxsplit=1)[0].rpartition(".")[::2] for part in parts]


def _ident(raw: str) -> object:
    if raw.startswith("{"):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def _base_bodies(dependencies: list[dict]) -> list[dict]:
    """One request per server-side callback, with plausible values."""
    bodies = []
    for dep in dependencies:
        if dep.get("clientside_function"):
            continue
        outputs = [{"id": _ident(i), "property": p} for i, p in _parse_spec(dep["output"])]
        inputs = [{"id": _ident(i["id"]), "property": i["property"], "value": None} for i in dep["inputs"]]
        state = [{"id": _ident(s["id"]), "property": s["property"], "value": None}
                 for s in dep.get("state", [])]
        for entry in inputs + state:
            if entry["property"] in ("search",):
                entry["value"] = "?level=2"
            elif entry["property"] in ("pathname",):
                entry["value"] = "/"
        first = dep["inputs"][0] if dep["inputs"] else {"id": "x", "property": "y"}
        bodies.append({
            "output": dep["output"],
            "outputs": outputs if dep["output"].startswith("..") else outputs[0],
            "inputs": inputs,
            "state": state,
            "changedPropIds": [f"{first['id']}.{first['property']}"],
        })
    return bodies


def _deep(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


def callback_cases(  # noqa: PLR0912 - one branch per kind of mutation reads best
    dependencies: list[dict], count: int, rng: random.Random
) -> Iterator[tuple[str, bytes]]:
    """``count`` (label, raw body) pairs; most are JSON mutations of a real callback request."""
    bases = _base_bodies(dependencies)
    for index in range(count):
        body = json.loads(json.dumps(rng.choice(bases)))
        kind = index % 10
        if kind <= 4:  # one input or state value of a wrong or hostile type
            entries = body["inputs"] + body["state"]
            if entries:
                rng.choice(entries)["value"] = rng.choice(WRONG_VALUES)
            label = "wrong value"
        elif kind == 5:  # every value replaced
            for entry in body["inputs"] + body["state"]:
                entry["value"] = rng.choice(WRONG_VALUES)
            label = "all values wrong"
        elif kind == 6:  # a field missing or of the wrong type
            key = rng.choice(["output", "outputs", "inputs", "state", "changedPropIds"])
            if rng.random() < 0.5:
                body.pop(key, None)
            else:
                body[key] = rng.choice(WRONG_VALUES)
            label = f"bad {key}"
        elif kind == 7:  # unknown ids or properties
            target = rng.choice(["output", "input"])
            if target == "output":
                body["output"] = rng.choice(["nope.children", "..a.b...c..", "", "x" * 5000,
                                             "map-url.search"])
            elif body["inputs"]:
                body["inputs"][0]["id"] = rng.choice(["nope", {"type": "x", "index": 1}, "", 5])
            label = f"unknown {target}"
        elif kind == 8:  # deeply nested or huge
            entries = body["inputs"] + body["state"]
            if entries:
                rng.choice(entries)["value"] = _deep(rng.choice([20, 200, 2000])) if rng.random() < 0.5 \
                    else {f"k{i}": i for i in range(rng.choice([100, 10_000]))}
            label = "nested or huge"
        else:  # malformed bytes
            raw = json.dumps(body)
            choice = rng.randrange(5)
            yield "malformed", [raw[: rng.randrange(1, max(2, len(raw)))].encode(), b"", b"null", b"[]",
                                b"\xff\xfe{" + rng.randbytes(64)][choice]
            continue
        try:
            yield label, json.dumps(body, allow_nan=True).encode()
        except (ValueError, RecursionError):
            yield label, b"{}"


def url_cases(count: int, rng: random.Random) -> Iterator[str]:
    """``count`` malformed URLs over every route."""
    junk = ["../", "..%2f", "%2e%2e/", "%00", "%", "%ff", "%c0%ae", "//", "\\", ";", "?", "#", "ä", "区域",
            "⚡", "%0d%0aSet-Cookie:x=1", "<svg>", "'", '"', "*", "~", "$", "{}", "..;/"]
    for index in range(count):
        route = rng.choice(ROUTES)
        kind = index % 6
        if kind == 0:
            tail = "".join(rng.choice(junk) for _ in range(rng.randrange(1, 8))) + "etc/passwd"
        elif kind == 1:
            tail = "A" * rng.choice([2000, 10_240])
        elif kind == 2:
            pairs = (f"{rng.choice(junk)}={rng.choice(junk)}" for _ in range(60))
            tail = rng.choice(junk) + "?" + "&".join(pairs)
        elif kind == 3:
            tail = "".join(rng.choice(junk) for _ in range(rng.randrange(1, 20)))
        elif kind == 4:
            tail = rng.choice(["x.json", "x.csv", "x.js.map", "x.geojson", "nuts9.geojson", "a/b/c.json"])
        else:
            level = rng.choice(["-1", "9", "x", "%00", "2" * 400, ""])
            tail = f"?level={level}&year={rng.choice(junk)}"
        yield route + tail


def leaks(status: int, headers: dict[str, str], body: bytes) -> str | None:
    """What a response reveals that it must not, or None."""
    text = body[:200_000].decode("utf-8", "replace")
    for marker in LEAK_MARKERS:
        if marker in text:
            return f"body contains {marker[:40]!r}"
    if "server" in {k.lower() for k in headers}:
        return "Server header"
    return None


Sender = Callable[[str, str, bytes | None], tuple[int, dict[str, str], bytes]]


def in_process_sender() -> tuple[Sender, list[dict]]:
    from observatory.web.server import create_app

    client = create_app().server.test_client()

    def send(method: str, path: str, body: bytes | None) -> tuple[int, dict[str, str], bytes]:
        if method == "POST":
            response = client.post(path, data=body, content_type="application/json")
        else:
            response = client.get(path)
        return response.status_code, dict(response.headers), response.get_data()

    return send, client.get("/_dash-dependencies").get_json()


def http_sender(base: str) -> tuple[Sender, list[dict]]:
    import http.client
    from urllib.parse import quote, urlsplit

    parts = urlsplit(base)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("bench_fuzz only sends to a loopback address")

    def send(method: str, path: str, body: bytes | None) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        try:
            # as a client would send it: non-ASCII and control characters percent-encoded
            wire = quote(path, safe="".join(chr(c) for c in range(33, 127)))
            connection.putrequest(method, wire, skip_accept_encoding=True)
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Content-Length", str(len(body or b"")))
            connection.endheaders(body or b"")
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    _, _, deps = send("GET", "/_dash-dependencies", None)
    return send, json.loads(deps)


def run(send: Sender, dependencies: list[dict], callbacks: int, urls: int, seed: int) -> dict:
    rng = random.Random(seed)
    statuses: Counter[str] = Counter()
    failures: list[dict] = []
    started = time.perf_counter()
    for label, body in callback_cases(dependencies, callbacks, rng):
        status, headers, answer = send("POST", CALLBACK, body)
        statuses[f"callback {status}"] += 1
        problem = "5xx" if status >= 500 else leaks(status, headers, answer)
        if problem and len(failures) < 50:
            failures.append({"kind": label, "problem": problem, "status": status, "body": body[:300].decode(
                "utf-8", "replace"), "answer": answer[:300].decode("utf-8", "replace")})
    callback_seconds = time.perf_counter() - started
    for path in url_cases(urls, rng):
        status, headers, answer = send("GET", path, None)
        statuses[f"url {status}"] += 1
        problem = "5xx" if status >= 500 else leaks(status, headers, answer)
        if problem and len(failures) < 100:
            failures.append({"kind": "url", "problem": problem, "status": status, "path": path[:300],
                             "answer": answer[:300].decode("utf-8", "replace")})
    return {
        "seed": seed, "callbacks": callbacks, "urls": urls, "statuses": dict(sorted(statuses.items())),
        "server_errors": sum(n for k, n in statuses.items() if k.split()[-1].startswith("5")),
        "failures": failures, "callback_seconds": round(callback_seconds, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--callbacks", type=int, default=10_000)
    parser.add_argument("--urls", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--url", help="a running server on loopback (default: in-process test client)")
    args = parser.parse_args()
    send, deps = http_sender(args.url) if args.url else in_process_sender()
    load_before = os.getloadavg()
    result = run(send, deps, args.callbacks, args.urls, args.seed)
    result.update(target=args.url or "in-process", load_average_before=load_before,
                  load_average_after=os.getloadavg(), cpus=os.cpu_count())
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"fuzz-{stamp}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    lines = [f"# Fuzz {stamp} ({result['target']}, seed {args.seed})", "",
             f"{args.callbacks} callback requests, {args.urls} URLs in {result['total_seconds']} s; "
             f"load average {load_before[0]:.2f} before, {result['load_average_after'][0]:.2f} after.", "",
             "| requests | status | count |", "|---|---|---|"]
    lines += [f"| {k.split()[0]} | {k.split()[1]} | {n} |" for k, n in result["statuses"].items()]
    lines += ["", f"5xx: {result['server_errors']}; 5xx or leaks recorded: {len(result['failures'])}"]
    (out / f"fuzz-{stamp}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    for failure in result["failures"][:10]:
        print(json.dumps(failure, ensure_ascii=False)[:600])


if __name__ == "__main__":
    main()
