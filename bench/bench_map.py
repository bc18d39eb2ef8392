"""Benchmark: the map explorer against the straightforward implementation, side by side, in one run.

Straightforward ("naive") implementation: one Dash callback that rebuilds a Plotly Express
choropleth with the level's GeoJSON inlined on every change (level, indicator, year, click), the
way most Dash map examples are written. It uses the same simplified boundaries and the same data.

Measured at NUTS 2 and NUTS 3 (see bench/README.md):

1. bytes of the callback's HTTP response for a level switch, an indicator change, a year change and
   a region click (raw JSON, and gzip-compressed as the browser receives it);
2. server time per callback: median and p95 over ``--calls`` (default 120) in-process requests;
3. time from navigation to the map drawn in headless Chromium, cold cache and warm cache, for the
   naive app, ours, and ours serving Dash's full plotly.js instead of our partial bundle (the
   three take turns, so the machine's load weighs on all alike).

4. ``--first-visit``: a first visit (empty cache) over an emulated network (Chromium's network
   emulation through CDP: 10 Mbit/s down, 5 Mbit/s up, 40 ms round trip): bytes on the wire
   (every response's encoded length, headers included) for the map and every other page, and the
   time from navigation to the map drawn, for the working tree and a baseline revision
   (``--baseline``, default ``HEAD``, checked out with ``git archive``), each served by its own
   production server (gunicorn with its ``gunicorn.conf.py``) on the same data, taking turns.
   Goal: at most 800 KB and 1.2 s for the map.

Each app runs in its own process (the map explorer's callbacks are registered globally by Dash
pages; the naive app must not see them). Results are printed as a table and written to
``bench/results/`` (git-ignored).

    .venv/bin/python bench/bench_map.py            # full run (a few minutes)
    .venv/bin/python bench/bench_map.py --quick    # fewer calls and page loads
    .venv/bin/python bench/bench_map.py --first-visit [--baseline REV] [--loads 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
LEVELS = (2, 3)
INTERACTIONS = ("level switch", "indicator change", "year change", "region click")
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"]


# -- the scenario -----------------------------------------------------------------------------------
def scenario(obs) -> dict:
    """What both apps are asked to do, chosen from the data (never hard-coded numbers)."""
    from observatory.state.map_view import MapView, default_year

    start = MapView.default(obs)
    both = [i for i in obs.indicator_ids() if {2, 3} <= set(obs.indicator_levels(i)) and i != start.indicator]
    other = "population_density" if "population_density" in both else both[0]
    plan = {"indicator": start.indicator, "other_indicator": other, "levels": {}}
    for level in LEVELS:
        years = obs.indicator_years(start.indicator, level)
        year = default_year(obs, start.indicator, level)  # what the map shows by default
        other_years = obs.indicator_years(other, level)
        values = obs.indicator_values(start.indicator, year, level)["value"].dropna()
        plan["levels"][level] = {
            "year": year, "previous_year": years[years.index(year) - 1],
            "other_year": year if year in other_years else other_years[-1],
            "region": "ITH5" if level == 2 else "ITH55",
            "with_values": int(values.size),
            "regions": len(obs.regions_at(level)),
        }
    return plan


# -- Dash request bodies ----------------------------------------------------------------------------
def _outputs(output: str) -> list[dict]:
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    out = []
    for part in parts:
        component, prop = part.rsplit(".", 1)
        out.append({"id": component, "property": prop})
    return out


def request_body(dependency: dict, values: dict, changed: str, state: dict | None = None) -> dict:
    """The JSON the Dash renderer posts when ``changed`` ("id.prop") changes; ``values`` by "id.prop"."""
    outputs = _outputs(dependency["output"])
    inputs = []
    for spec in dependency["inputs"]:
        key = f"{spec['id']}.{spec['property']}"
        if spec["id"].startswith("{"):  # a pattern-matching ALL input with no component on the page
            inputs.append([])
        else:
            inputs.append({"id": spec["id"], "property": spec["property"], "value": values.get(key)})
    known = state or {}
    states = [{"id": s["id"], "property": s["property"], "value": known.get(f"{s['id']}.{s['property']}")}
              for s in dependency["state"]]
    return {"output": dependency["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": inputs, "changedPropIds": [changed], "state": states}


def find_dependency(client, prefix: str) -> dict:
    deps = client.get("/_dash-dependencies").get_json()
    return next(d for d in deps if d["output"].startswith(prefix) or d["output"] == prefix)


# -- the optimised app ------------------------------------------------------------------------------
def optimised_requests(app, obs, plan: dict) -> dict[tuple[int, str], dict]:
    """The map explorer's callback request for each (level, interaction)."""
    from observatory.pages.map_explorer import control_values
    from observatory.state.map_view import MapView

    with app.server.test_client() as client:
        client.get("/")
        dependency = find_dependency(client, "..map-url.search")
    bodies = {}
    for level in LEVELS:
        spec = plan["levels"][level]
        drawn = replace(MapView.default(obs), level=level, year=spec["year"])

        def body(view: MapView, changed: str, click=None, drawn=drawn) -> dict:
            # every control shows the drawn view, except the one the user just changed
            shown = control_values(obs, drawn)
            name = changed.removeprefix("map-").removesuffix(".value")
            if name in shown:
                shown[name] = control_values(obs, view)[name]
            values = {f"map-{key}.value": value for key, value in shown.items()}
            values["map-url.search"] = drawn.to_query(obs)
            values["map-graph.clickData"] = click
            return request_body(dependency, values, changed, {"map-state.data": drawn.as_dict()})

        other_level = 3 if level == 2 else 2
        from_other = replace(drawn, level=other_level, year=plan["levels"][other_level]["year"])
        switch = body(drawn, "map-level.value")
        switch["state"][0]["value"] = from_other.as_dict()
        bodies[(level, "level switch")] = switch
        bodies[(level, "indicator change")] = body(
            replace(drawn, indicator=plan["other_indicator"], year=spec["other_year"]), "map-indicator.value")
        bodies[(level, "year change")] = body(replace(drawn, year=spec["previous_year"]), "map-year.value")
        click = {"points": [{"curveNumber": 1, "pointNumber": 0, "location": spec["region"]}]}
        bodies[(level, "region click")] = body(drawn, "map-graph.clickData", click)
    return bodies


# -- the naive app ----------------------------------------------------------------------------------
def create_naive_app(obs):
    """Plotly Express choropleth, GeoJSON inlined, whole figure rebuilt in every callback."""
    import dash
    import plotly.express as px
    from dash import Input, Output, dcc, html

    from observatory.state.map_view import MapView

    start = MapView.default(obs)  # the same first view as the map explorer

    geojson = {level: json.loads(obs.web_boundaries(level).read_bytes()) for level in range(4)}
    indicators = obs.indicator_ids()
    # Only the offline topojson stub from the app's assets: without it plotly would try cdn.plot.ly
    # (no internet here) and never draw, which would make the comparison meaningless.
    app = dash.Dash("naive_map", assets_folder=str(ROOT / "assets"),
                    assets_ignore=r"^(?!map-offline-geo\.js$).*", serve_locally=True)
    app.layout = html.Div([
        dcc.Location(id="url"),
        dcc.RadioItems(id="level", options=[0, 1, 2, 3], value=2, inline=True),
        dcc.Dropdown(id="indicator", options=indicators, value=start.indicator),
        dcc.Slider(id="year", min=2000, max=2024, step=1, value=start.year),
        dcc.Graph(id="graph", style={"height": "80vh"}),
    ])

    @app.callback(Output("graph", "figure"), Input("url", "search"), Input("level", "value"),
                  Input("indicator", "value"), Input("year", "value"), Input("graph", "clickData"))
    def update(search, level, indicator, year, click):
        if dash.ctx.triggered_id in (None, "url") and search:  # ?level=L&year=Y, as the bench opens it
            query = dict(part.split("=", 1) for part in search.lstrip("?").split("&") if "=" in part)
            level, year = int(query.get("level", level)), int(query.get("year", year))
        regions = obs.regions_at(level)[["nuts_id", "name_latn"]].rename(columns={"nuts_id": "region"})
        values = obs.indicator_values(indicator, year, level).reset_index()[["region", "value", "flag"]]
        frame = regions.merge(values, on="region", how="left")
        spec = obs.indicator(indicator)
        figure = px.choropleth(frame, geojson=geojson[level], locations="region", featureidkey="id",
                               color="value", hover_name="name_latn", hover_data={"flag": True},
                               color_continuous_scale="Viridis", labels={"value": spec["unit"]},
                               title=f"{spec['label']}, {year}")
        figure.update_geos(fitbounds="locations", visible=False)
        selected = (click or {}).get("points", [{}])[0].get("location")
        figure.update_traces(marker_line_width=[2.5 if r == selected else 0.3 for r in frame["region"]])
        return figure

    return app


def naive_requests(app, obs, plan: dict) -> dict[tuple[int, str], dict]:
    with app.server.test_client() as client:
        client.get("/")
        dependency = find_dependency(client, "graph.figure")
    bodies = {}
    for level in LEVELS:
        spec = plan["levels"][level]

        def body(changed: str, indicator=plan["indicator"], year=spec["year"], click=None,
                 level=level) -> dict:
            values = {"url.search": "", "level.value": level, "indicator.value": indicator,
                      "year.value": year, "graph.clickData": click}
            return request_body(dependency, values, changed)

        bodies[(level, "level switch")] = body("level.value")
        bodies[(level, "indicator change")] = body("indicator.value", indicator=plan["other_indicator"],
                                                   year=spec["other_year"])
        bodies[(level, "year change")] = body("year.value", year=spec["previous_year"])
        click = {"points": [{"curveNumber": 0, "pointNumber": 0, "location": spec["region"]}]}
        bodies[(level, "region click")] = body("graph.clickData", click=click)
    return bodies


# -- measuring callbacks (runs inside a worker process) ---------------------------------------------
def measure_callbacks(which: str, calls: int) -> dict:
    from observatory.model import Observatory

    if which == "optimised":
        from observatory.web.server import create_app

        obs = Observatory.load()
        app = create_app(observatory=obs)
        plan = scenario(obs)
        bodies = optimised_requests(app, obs, plan)
    else:
        obs = Observatory.load()
        app = create_naive_app(obs)
        plan = scenario(obs)
        bodies = naive_requests(app, obs, plan)
    results = {}
    with app.server.test_client() as client:
        for (level, interaction), body in bodies.items():
            payload = json.dumps(body)
            headers = {"Content-Type": "application/json"}
            response = client.post("/_dash-update-component", data=payload, headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"{which} {interaction} at NUTS {level}: HTTP {response.status_code} "
                                   f"{response.get_data(as_text=True)[:300]}")
            raw = response.get_data()
            for _ in range(3):  # warm-up
                client.post("/_dash-update-component", data=payload, headers=headers)
            times = []
            for _ in range(calls):
                started = time.perf_counter()
                client.post("/_dash-update-component", data=payload, headers=headers).get_data()
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            results[f"{level}|{interaction}"] = {
                "raw_bytes": len(raw),
                "gzip_bytes": len(gzip.compress(raw, compresslevel=6)),
                "median_ms": statistics.median(times),
                "p95_ms": times[int(0.95 * (len(times) - 1))],
                "calls": calls,
            }
    return {"plan": {**plan, "levels": {str(k): v for k, v in plan["levels"].items()}}, "callbacks": results}


# -- serving and page-load timing -------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: The apps served for page-load timing: the straightforward one, ours, and ours with Dash's full
#: plotly.js instead of our partial bundle (to show what the bundle is worth, in the same run).
PAGE_APPS = ("naive", "full-plotly", "optimised")


def serve(which: str, port: int, root: str | None = None) -> None:
    """Serve one app on 127.0.0.1:port until killed (the worker process of ``--serve``); ``root``: a
    checkout of another revision to serve instead of this one (``--first-visit``)."""
    from werkzeug.serving import make_server

    if root:
        sys.path.insert(0, root)

    if which in ("optimised", "full-plotly"):
        from observatory.web.server import create_app

        app = create_app(partial_plotly=which == "optimised")
    else:
        from observatory.model import Observatory

        app = create_naive_app(Observatory.load())
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    print("ready", flush=True)
    server.serve_forever()


DRAWN_PROBE = """
window.__mapDrawn = null;
new MutationObserver(() => {
  if (window.__mapDrawn === null
      && document.querySelectorAll('path.choroplethlocation').length >= window.__mapThreshold) {
    window.__mapDrawn = performance.now();
  }
}).observe(document, {subtree: true, childList: true});
"""


def _drawn_at(page, timeout: float = 60.0) -> float:
    """When the probe saw the map drawn (ms since navigation start).

    Polled with ``page.evaluate`` rather than ``wait_for_function``, whose in-page ``eval`` the
    observatory's Content Security Policy refuses. The probe's own timestamp is what is reported,
    so the polling interval does not enter the measurement.
    """
    deadline = time.monotonic() + timeout
    while (drawn := page.evaluate("window.__mapDrawn")) is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"map not drawn within {timeout:g} s")
        page.wait_for_timeout(20)
    return drawn


def page_load_times(bases: dict[str, str], path: str, threshold: int, loads: int) -> dict[str, dict]:
    """ms from navigation start to ``threshold`` region paths in the DOM, cold and warm cache, per app.

    The apps take turns (one cold + warm pair each, ``loads`` rounds), so a change in the machine's
    load during the run weighs on all of them alike.
    """
    from playwright.sync_api import sync_playwright

    times = {name: {"cold": [], "warm": []} for name in bases}
    init = f"window.__mapThreshold = {threshold};" + DRAWN_PROBE
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for _ in range(loads):
            for name, base in bases.items():
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                context.add_init_script(init)
                page = context.new_page()
                for cache in ("cold", "warm"):
                    page.goto(base + path)
                    times[name][cache].append(_drawn_at(page))
                context.close()
        browser.close()
    return {name: {"cold_ms": statistics.median(t["cold"]), "warm_ms": statistics.median(t["warm"]),
                   "cold_all": t["cold"], "warm_all": t["warm"]} for name, t in times.items()}


# -- first visit on an emulated network ------------------------------------------------------------
#: Chromium's network emulation for the first-visit run: 10 Mbit/s down, 5 Mbit/s up, 40 ms RTT.
NETWORK = {"offline": False, "latency": 40, "downloadThroughput": 10e6 / 8, "uploadThroughput": 5e6 / 8}
#: Pages weighed on a first visit (besides the map, which is also timed).
FIRST_VISIT_PAGES = ("/", "/strategies", "/benchmark?region=AT11", "/region/ITH5", "/partnerships",
                     "/about/data")


def first_visit(page_url: str, browser, *, map_threshold: int | None, quiet_ms: int = 1500,
                timeout: float = 60.0) -> dict:
    """One cold-cache visit over the emulated network: bytes on the wire (until the network has been
    quiet for ``quiet_ms``), requests, and (for the map) ms from navigation to the map drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    if map_threshold:
        context.add_init_script(f"window.__mapThreshold = {map_threshold};" + DRAWN_PROBE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    sizes: dict[str, int] = {}
    pending: set[str] = set()
    urls: dict[str, str] = {}
    last = [time.monotonic()]

    def started(event):
        pending.add(event["requestId"])
        urls[event["requestId"]] = event["request"]["url"]
        last[0] = time.monotonic()

    def finished(event):
        sizes[event["requestId"]] = int(event.get("encodedDataLength", 0))
        pending.discard(event["requestId"])
        last[0] = time.monotonic()

    def failed(event):
        pending.discard(event["requestId"])
        last[0] = time.monotonic()

    cdp.on("Network.requestWillBeSent", started)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.loadingFailed", failed)
    page.goto(page_url, wait_until="commit")
    drawn = _drawn_at(page, timeout) if map_threshold else None
    deadline = time.monotonic() + timeout
    while pending or time.monotonic() - last[0] < quiet_ms / 1000:
        if time.monotonic() > deadline:
            break
        page.wait_for_timeout(100)
    context.close()
    biggest = sorted(((size, urls.get(rid, "")) for rid, size in sizes.items()), reverse=True)[:5]
    return {"bytes": sum(sizes.values()), "requests": len(sizes), "drawn_ms": drawn,
            "largest": [[size, url.split("?")[0].rsplit("/", 1)[-1]] for size, url in biggest]}


def start_gunicorn(root: Path) -> tuple[subprocess.Popen, str]:
    """The production server (``gunicorn app:server -c gunicorn.conf.py``, its defaults) of the
    checkout at ``root`` on a free loopback port, once ``/ready`` answers."""
    import urllib.request

    port = free_port()
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "GUNICORN_ACCESS_LOG": ""}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "app:server", "-c", "gunicorn.conf.py"],
                               cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/ready", timeout=2) as response:
                if response.status == 200:
                    return process, base
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"gunicorn in {root} did not become ready")


def run_first_visit(baseline: str, loads: int) -> dict:
    """The working tree and ``baseline`` served side by side; every page visited cold, in turns."""
    import tarfile
    import tempfile

    from playwright.sync_api import sync_playwright

    from observatory import config
    from observatory.model import Observatory

    os.environ.setdefault("OBSERVATORY_GEODATA_DIR", str(config.GEODATA_DIR))
    obs = Observatory.load()
    plan = scenario(obs)
    threshold = plan["levels"][2]["with_values"]
    results: dict = {"baseline": baseline, "network": NETWORK, "loads": loads, "build": obs.path.name,
                     "load_average": [os.getloadavg()]}
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "src.tar"
        with archive.open("wb") as out:
            subprocess.run(["git", "-C", str(ROOT), "archive", baseline], stdout=out, check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(Path(tmp) / "baseline", filter="data")
        servers = {"before": start_gunicorn(Path(tmp) / "baseline"), "after": start_gunicorn(ROOT)}
        try:
            visits: dict = {name: {path: [] for path in FIRST_VISIT_PAGES} for name in servers}
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                for _, base in servers.values():  # untimed: each server's first requests
                    first_visit(base + "/", browser, map_threshold=threshold)
                for _ in range(loads):
                    for path in FIRST_VISIT_PAGES:
                        for name, (_, base) in servers.items():
                            visits[name][path].append(first_visit(
                                base + path, browser, map_threshold=threshold if path == "/" else None))
                    results["load_average"].append(os.getloadavg())
                browser.close()
        finally:
            for process, _ in servers.values():
                process.terminate()
                process.wait(timeout=10)
    results["pages"] = {
        name: {path: {"bytes": statistics.median(v["bytes"] for v in runs),
                      "requests": statistics.median(v["requests"] for v in runs),
                      "drawn_ms": (statistics.median(v["drawn_ms"] for v in runs) if path == "/" else None),
                      "largest": runs[-1]["largest"], "all": runs}
               for path, runs in pages.items()}
        for name, pages in visits.items()}
    return results


def first_visit_table(results: dict) -> str:
    before, after = results["pages"]["before"], results["pages"]["after"]
    loads = [a[0] for a in results["load_average"]]
    lines = [f"First visit, empty cache, {results['network']['downloadThroughput'] * 8 / 1e6:g} Mbit/s down, "
             f"{results['network']['latency']} ms RTT (Chromium network emulation); baseline "
             f"`{results['baseline']}` vs working tree, median of {results['loads']}; load average "
             f"{min(loads):.2f}-{max(loads):.2f}",
             "", "| page | KB on the wire before | after | ratio | requests before / after |",
             "|---|---|---|---|---|"]
    for path in FIRST_VISIT_PAGES:
        b, a = before[path], after[path]
        lines.append(f"| `{path}` | {b['bytes'] / 1000:,.0f} | {a['bytes'] / 1000:,.0f} | "
                     f"{a['bytes'] / b['bytes']:.2f} | {b['requests']:.0f} / {a['requests']:.0f} |")
    lines += ["", f"Map drawn after navigation: before {before['/']['drawn_ms']:.0f} ms, after "
              f"{after['/']['drawn_ms']:.0f} ms (goal 1,200 ms; goal for the map's bytes 800 KB: "
              f"{after['/']['bytes'] / 1000:,.0f} KB)"]
    return "\n".join(lines)


def run_worker(args: list[str]) -> dict:
    output = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True,
                            cwd=ROOT)
    return json.loads(output.stdout.strip().splitlines()[-1])


def start_server(which: str, root: str | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, __file__, "--serve", which, "--port", str(port),
                                *(["--root", root] if root else [])],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    line = process.stdout.readline()
    if "ready" not in line:
        process.kill()
        raise RuntimeError(f"{which} server did not start")
    return process, f"http://127.0.0.1:{port}"


# -- report -----------------------------------------------------------------------------------------
def table(results: dict) -> str:
    opt, naive = results["optimised"]["callbacks"], results["naive"]["callbacks"]
    lines = [
        "| NUTS | interaction | bytes raw (naive / ours / ratio) | bytes gzip (naive / ours / ratio) | "
        "server ms median (naive / ours / ratio) | server ms p95 (naive / ours) |",
        "|---|---|---|---|---|---|",
    ]
    for level in LEVELS:
        for interaction in INTERACTIONS:
            key = f"{level}|{interaction}"
            a, b = naive[key], opt[key]
            lines.append(
                f"| {level} | {interaction} | {a['raw_bytes']:,} / {b['raw_bytes']:,} / "
                f"{a['raw_bytes'] / b['raw_bytes']:.0f}x | {a['gzip_bytes']:,} / {b['gzip_bytes']:,} / "
                f"{a['gzip_bytes'] / b['gzip_bytes']:.0f}x | {a['median_ms']:.1f} / {b['median_ms']:.1f} / "
                f"{a['median_ms'] / b['median_ms']:.1f}x | {a['p95_ms']:.1f} / {b['p95_ms']:.1f} |")
    lines += ["", "| NUTS | page load to map drawn (median ms) | naive | ours with Dash's full plotly.js "
              "| ours |", "|---|---|---|---|---|"]
    for level in LEVELS:
        for cache in ("cold", "warm"):
            row = [results["pages"][str(level)][name][f"{cache}_ms"] for name in PAGE_APPS]
            lines.append(f"| {level} | {cache} cache | " + " | ".join(f"{ms:.0f}" for ms in row) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="30 calls and 2 page loads instead of 120 and 5")
    parser.add_argument("--calls", type=int, default=None)
    parser.add_argument("--loads", type=int, default=None)
    parser.add_argument("--worker", choices=["optimised", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--serve", choices=PAGE_APPS, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    parser.add_argument("--first-visit", action="store_true",
                        help="first visit on an emulated 10 Mbit/s, 40 ms network: bytes and map drawn, "
                             "working tree vs --baseline")
    parser.add_argument("--baseline", default="HEAD",
                        help="revision compared in --first-visit (default HEAD)")
    args = parser.parse_args()
    calls = args.calls or (30 if args.quick else 120)
    loads = args.loads or (2 if args.quick else 5)
    if args.serve:
        serve(args.serve, args.port, args.root)
        return
    if args.first_visit:
        results = run_first_visit(args.baseline, args.loads or 3)
        save_results("first-visit", results, first_visit_table(results))
        return
    if args.worker:
        print(json.dumps(measure_callbacks(args.worker, calls)))
        return

    results: dict = {"started": datetime.now(UTC).isoformat(timespec="seconds"), "calls": calls,
                     "loads": loads, "load_average": os.getloadavg()}
    for which in ("optimised", "naive"):
        print(f"measuring {which} callbacks ({calls} calls each)...", file=sys.stderr)
        results[which] = run_worker(["--worker", which, "--calls", str(calls)])
    plan = results["optimised"]["plan"]
    servers = {name: start_server(name) for name in PAGE_APPS}
    try:
        results["pages"] = {}
        for level in LEVELS:
            spec = plan["levels"][str(level)]
            print(f"timing page loads at NUTS {level} ({loads} rounds)...", file=sys.stderr)
            path = f"/?level={level}&year={spec['year']}"
            bases = {name: base for name, (_, base) in servers.items()}
            results["pages"][str(level)] = page_load_times(bases, path, spec["with_values"], loads)
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=10)
    save_results("map", results, table(results))


def save_results(kind: str, results: dict, report: str) -> None:
    """Print the report and write it with the raw results to ``bench/results/<kind>-<stamp>``."""
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    (RESULTS / f"{kind}-{stamp}.json").write_text(json.dumps(results, indent=2))
    (RESULTS / f"{kind}-{stamp}.md").write_text(report + "\n")
    print(f"\nwritten to {RESULTS}/{kind}-{stamp}.{{json,md}}", file=sys.stderr)


if __name__ == "__main__":
    main()
