"""Benchmark: time to first byte and total time of every export format, cold and cached, and sizes.

Run: ``.venv/bin/python bench/bench_exports.py``. Serves the production app (real build,
``geodata/current``) on a loopback port in this process, with an empty export cache of its own,
and requests each export twice: ``cold`` (made now: the image renderer already started, so a
first-ever image's browser start-up, measured apart as ``renderer start``, is not in every row) and
``cached`` (the same URL again). Views: the map at NUTS 2 and NUTS 3, a benchmark chart, the deck.
Prints a table and writes ``bench/results/exports.json`` (git-ignored), with the load average.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ["OBSERVATORY_EXPORT_CACHE_DIR"] = tempfile.mkdtemp(prefix="bench-exports-")
os.environ.setdefault("OBSERVATORY_RATE_LIMIT", "1000 per second")

from werkzeug.serving import make_server  # noqa: E402

from observatory.model import Observatory  # noqa: E402
from observatory.web.server import create_app  # noqa: E402

FORMATS = ("png", "svg", "csv", "xlsx", "pptx")
VIEWS = {
    "map NUTS 2": ("map", "?level=2&indicator=gdp_pc_pps_eu"),
    "map NUTS 3": ("map", "?level=3&indicator=gdp_pc_pps_eu"),
    "bench-bars (NUTS 2)": ("bench-bars", "?region=ITH5&ind=gdp_pc_pps_eu"),
}


def fetch(base: str, path: str) -> dict:
    started = time.perf_counter()
    with requests.get(base + path, stream=True, timeout=300) as response:
        first = None
        size = 0
        for chunk in response.iter_content(65536):
            if first is None:
                first = time.perf_counter()
            size += len(chunk)
        done = time.perf_counter()
    return {"status": response.status_code, "ttfb_ms": round(((first or done) - started) * 1000, 1),
            "total_ms": round((done - started) * 1000, 1), "bytes": size,
            "cache": response.headers.get("X-Export-Cache")}


def main() -> int:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    obs = Observatory.load()
    app = create_app(observatory=obs)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    started = time.perf_counter()
    fetch(base, "/export/region-series.png?region=ITH5")  # starts the render worker and its Chromium
    start_ms = round((time.perf_counter() - started) * 1000)
    rows = []
    jobs = [(label, f"/export/{chart}.{fmt}{query}", fmt) for label, (chart, query) in VIEWS.items()
            for fmt in FORMATS]
    jobs.append(("benchmark deck", "/export/benchmark-deck.pptx?region=ITH5&ind=gdp_pc_pps_eu", "pptx"))
    for label, path, fmt in jobs:
        cold = fetch(base, path)
        cached = fetch(base, path)
        rows.append({"view": label, "format": fmt, "path": path, "cold": cold, "cached": cached,
                     "cached_over_cold": round(cached["total_ms"] / cold["total_ms"], 4)})
    server.shutdown()
    load = os.getloadavg()
    print(f"renderer start (first image, browser start-up included): {start_ms} ms")
    print(f"{'view':22} {'fmt':5} {'cold ttfb':>10} {'cold total':>11} {'cached total':>13} {'ratio':>7} "
          f"{'size':>10}")
    for r in rows:
        cold, cached = r["cold"], r["cached"]
        print(f"{r['view']:22} {r['format']:5} {cold['ttfb_ms']:>8.0f}ms {cold['total_ms']:>9.0f}ms "
              f"{cached['total_ms']:>11.1f}ms {r['cached_over_cold']:>7.3f} {cold['bytes']:>10,}")
    print(f"load average (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    out = REPO / "bench" / "results" / "exports.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"when": datetime.now(UTC).isoformat(), "build": obs.path.name,
                               "renderer_start_ms": start_ms, "load_average": load, "rows": rows}, indent=2))
    bad = [r for r in rows if r["cold"]["status"] != 200 or r["cached"]["cache"] != "hit"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
