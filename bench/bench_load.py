"""Load: simulated users doing the real flows against the production server, on loopback only.

Run: ``.venv/bin/python bench/bench_load.py [--users 10 50 100] [--duration 120]
[--servers gunicorn sync plain]``. For each server it starts the app on a free 127.0.0.1 port,
runs locust (its Python API, headless) at each user count for ``--duration`` seconds, and stops it:

- ``gunicorn``: ``gunicorn app:server -c gunicorn.conf.py`` (the production settings: gevent);
- ``sync`` / ``gthread``: the same with ``GUNICORN_WORKER_CLASS`` set (the worker-class comparison);
- ``plain``: ``python app.py`` (Flask's threaded development server), for the ratio.

Each simulated user repeats, with a second or two of thinking between actions, what the issue
lists: open the map (page, layout, its address callback), recolour it (another indicator), change
level, click a region (the address callback with ``region=``), open a profile, open a benchmark
(page, address callback, chart callback), call the API. Requests are built from the app's own
``/_dash-dependencies``. The API rate limit is raised for the run (all users share one address).

Reported per server and user count: requests/s, p50/p95/p99 per flow, failures, the workers'
memory (sum of RSS, sampled every 5 s) and the load average. The machine's own load (other work,
and locust itself, which shares the two cores) is in the load average column: read it.
``--kill-worker`` kills one gunicorn worker with ``kill -9`` halfway through each run: the failures
column then counts the requests lost with it (gunicorn starts a replacement at once).
Results: ``bench/results/load-<time>.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import gevent
import psutil
from locust import FastHttpUser, between, events, task  # noqa: F401 - events kept for extension
from locust.env import Environment

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CALLBACK = "/_dash-update-component"

REGIONS = ["ITH5", "DE21", "FR10", "ES51", "PL91", "CZ05", "SE11", "NL32", "AT13", "PT17"]
INDICATORS = ["gdp_pc_pps_eu", "population_density", "gerd_pc_gdp", "tertiary_attainment", "employment_rate"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Callbacks:
    """Build callback requests the way Dash's renderer does, from ``/_dash-dependencies``."""

    def __init__(self, dependencies: list[dict]) -> None:
        self.deps = dependencies

    def find(self, output_prefix: str) -> dict:
        for dep in self.deps:
            if dep["output"].startswith(output_prefix) and not dep.get("clientside_function"):
                return dep
        raise KeyError(output_prefix)

    def body(self, output_prefix: str, values: dict[str, object], changed: str) -> bytes:
        dep = self.find(output_prefix)
        spec = dep["output"]
        parts = spec.strip(".").split("...") if spec.startswith("..") else [spec]
        outputs = [{"id": p.split("@")[0].rpartition(".")[0], "property": p.split("@")[0].rpartition(".")[2]}
                   for p in parts]

        def entries(items):
            return [{"id": i["id"], "property": i["property"],
                     "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

        return json.dumps({"output": spec, "outputs": outputs if spec.startswith("..") else outputs[0],
                           "inputs": entries(dep["inputs"]), "state": entries(dep.get("state", [])),
                           "changedPropIds": [changed]}).encode()


CALLBACKS: Callbacks | None = None


class Visitor(FastHttpUser):
    """One policy officer: map, recolour, level, region, profile, benchmark, API."""

    wait_time = between(1, 2)

    def _callback(self, name: str, body: bytes) -> dict | None:
        with self.client.post(CALLBACK, data=body, name=name, catch_response=True,
                              headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"}) as r:
            if r.status_code in (200, 204):
                r.success()
                return r.json() if r.status_code == 200 else None
            r.failure(f"status {r.status_code}")
        return None

    def _page(self, path: str, name: str) -> None:
        self.client.get(path, name=name, headers={"Accept-Encoding": "gzip"})

    def _map(self, search: str, name: str) -> None:
        values = {"map-url.search": search, "map-url.pathname": "/"}
        self._callback(name, CALLBACKS.body("..map-url.search", values, "map-url.search"))

    @task(3)
    def open_map_and_explore(self) -> None:
        self._page("/", "page /")
        self._page("/_dash-layout", "_dash-layout")
        self._callback("pages content", CALLBACKS.body(".._pages_content.children", {
            "_pages_location.pathname": "/", "_pages_location.search": ""}, "_pages_location.pathname"))
        self._map("", "map: initial")
        self._map(f"?indicator={random.choice(INDICATORS)}", "map: recolour")
        self._map(f"?level={random.choice([1, 3])}", "map: level")
        self._map(f"?region={random.choice(REGIONS)}", "map: click region")

    @task(1)
    def open_profile(self) -> None:
        code = random.choice(REGIONS)
        self._page(f"/region/{code}", "page /region/<code>")
        self._callback("pages content: profile", CALLBACKS.body(".._pages_content.children", {
            "_pages_location.pathname": f"/region/{code}", "_pages_location.search": ""},
            "_pages_location.pathname"))

    @task(1)
    def open_benchmark(self) -> None:
        code = random.choice(REGIONS)
        self._page(f"/benchmark?region={code}", "page /benchmark")
        answer = self._callback("benchmark: address", CALLBACKS.body("..bench-url.search", {
            "bench-url.search": f"?region={code}", "bench-url.pathname": "/benchmark"}, "bench-url.search"))
        state = ((answer or {}).get("response", {}).get("bench-state", {}) or {}).get("data")
        if state is not None:
            body = CALLBACKS.body("..bench-bars.figure", {"bench-state.data": state}, "bench-state.data")
            self._callback("benchmark: charts", body)

    @task(1)
    def call_api(self) -> None:
        indicator = random.choice(INDICATORS)
        self.client.get(f"/api/indicators/{indicator}.json?level=2", name="api: indicator values",
                        headers={"Accept-Encoding": "gzip"})
        self.client.get(f"/api/regions/{random.choice(REGIONS)}.json", name="api: region",
                        headers={"Accept-Encoding": "gzip"})


def start_server(kind: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "GUNICORN_ACCESS_LOG": "",
           "OBSERVATORY_RATE_LIMIT": "100000 per second"}
    if kind == "plain":
        command = [str(REPO / ".venv/bin/python"), "app.py"]
    else:
        if kind in ("sync", "gthread"):
            env["GUNICORN_WORKER_CLASS"] = kind
        command = [str(REPO / ".venv/bin/gunicorn"), "app:server", "-c", "gunicorn.conf.py"]
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    import urllib.request

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"{kind} server did not start")


def _rss(process: subprocess.Popen) -> int:
    try:
        root = psutil.Process(process.pid)
        return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
    except psutil.Error:
        return 0


def _kill_a_worker(process: subprocess.Popen, killed: list[int]) -> None:
    """``kill -9`` one gunicorn worker (a child of the master): gunicorn must replace it."""
    try:
        children = psutil.Process(process.pid).children()
    except psutil.Error:
        return
    if children:
        children[0].kill()
        killed.append(children[0].pid)


def run_load(base: str, users: int, duration: float, process: subprocess.Popen,
             kill_worker: bool = False) -> dict:
    env = Environment(user_classes=[Visitor], host=base)
    runner = env.create_local_runner()
    memory: list[int] = []
    loads: list[float] = []

    def sample() -> None:
        while True:
            memory.append(_rss(process))
            loads.append(os.getloadavg()[0])
            gevent.sleep(5)

    sampler = gevent.spawn(sample)
    killed: list[int] = []
    if kill_worker:
        gevent.spawn_later(duration / 2, _kill_a_worker, process, killed)
    runner.start(users, spawn_rate=max(1, users / 5))
    gevent.sleep(duration)
    runner.quit()
    sampler.kill()
    flows = {}
    for (name, _method), entry in sorted(env.stats.entries.items()):
        if not entry.num_requests:
            continue
        flows[name] = {
            "requests": entry.num_requests, "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
        }
    total = env.stats.total
    return {
        "users": users, "seconds": duration, "requests": total.num_requests, "failures": total.num_failures,
        "rps": round(total.num_requests / duration, 1), "p50_ms": total.get_response_time_percentile(0.5),
        "p95_ms": total.get_response_time_percentile(0.95),
        "p99_ms": total.get_response_time_percentile(0.99),
        "memory_mb": [round(m / 2**20) for m in memory], "load_average": [round(x, 2) for x in loads],
        "flows": flows, "killed_workers": killed,
    }


def main() -> None:
    global CALLBACKS  # noqa: PLW0603 - locust users read the request builder from the module
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--kill-worker", action="store_true",
                        help="kill -9 one gunicorn worker halfway through each run; failures show the cost")
    parser.add_argument("--servers", nargs="+", default=["gunicorn", "plain"],
                        choices=["gunicorn", "sync", "gthread", "plain"])
    args = parser.parse_args()
    results = []
    for kind in args.servers:
        port = _free_port()
        process = start_server(kind, port)
        try:
            base = f"http://127.0.0.1:{port}"
            import urllib.request

            with urllib.request.urlopen(f"{base}/_dash-dependencies", timeout=30) as answer:
                CALLBACKS = Callbacks(json.load(answer))
            for users in args.users:
                result = run_load(base, users, args.duration, process, args.kill_worker and kind != "plain")
                result["server"] = kind
                results.append(result)
                print(f"{kind:8} {users:4} users: {result['rps']:6.1f} req/s  p50 {result['p50_ms']} ms  "
                      f"p95 {result['p95_ms']} ms  failures {result['failures']}  "
                      f"load {result['load_average']}  killed {result['killed_workers']}", flush=True)
        finally:
            os.killpg(process.pid, 15)
            process.wait(timeout=30)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"load-{stamp}.json").write_text(json.dumps({"cpus": os.cpu_count(), "runs": results}, indent=1))
    lines = [f"# Load {stamp} ({os.cpu_count()} CPUs, {args.duration:.0f} s per run)", "",
             "| server | users | req/s | p50 ms | p95 ms | p99 ms | recolour p95 | benchmark charts p50 "
             "| failures | max RSS MB | load avg |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        recolour = r["flows"].get("map: recolour", {}).get("p95_ms", "")
        charts = r["flows"].get("benchmark: charts", {}).get("p50_ms", "")
        lines.append(f"| {r['server']} | {r['users']} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} "
                     f"| {r['p99_ms']} | {recolour} | {charts} | {r['failures']} "
                     f"| {max(r['memory_mb'] or [0])} | {max(r['load_average'] or [0])} |")
    (out / f"load-{stamp}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
