"""Benchmark: one benchmark-page render, before and after a change, measured in one run.

Run: ``.venv/bin/python bench/bench_benchmark_render.py [--baseline REV] [--regions 120]``.

What is timed is the work of the page's render callback for a view it has not drawn before (the
callback cache, which only helps a repeated view, is not involved): parse the stored query
(``BenchmarkView.from_query``), ``draw`` (peers, peer table, five charts and the map) and encode the
answer as Dash does (``PlotlyJSONEncoder``). Each render is for a NUTS 2 region not drawn before
in that process, with its default view (structural peers, GDP per head against the EU, the
default scatter), after a few untimed renders of other regions (a server has drawn something
before). So what a build computes once (``obs.derived``) helps, a previous identical request does not.

``--baseline REV`` (default ``HEAD``) is checked out with ``git archive`` into a temporary
directory; the working tree is "after". Both run as worker processes on the same data build
(``OBSERVATORY_GEODATA_DIR`` or ``geodata/current``), alternating in blocks of a few regions, so
the machine's load weighs on both alike; the ratio of the medians is the result. Results:
``bench/results/benchmark-render.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_MS = 100.0
BLOCK = 5
WARM_UP = ("AT11", "FR10", "DE21")

#: The worker: reads region codes on stdin, answers one line of milliseconds per render.
WORKER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from plotly.utils import PlotlyJSONEncoder
from observatory.model import Observatory
from observatory.pages.benchmark.charts import draw
from observatory.state.benchmark_view import BenchmarkView

obs = Observatory.load()

def render(code):
    state, _ = BenchmarkView.from_query(f"?region={code}", obs)
    return json.dumps(draw(obs, state), cls=PlotlyJSONEncoder)

codes = sorted(obs.regions_at(2)["nuts_id"].astype(str))
print(json.dumps({"build": obs.path.name, "regions": codes}), flush=True)
for line in sys.stdin:
    code = line.strip()
    started = time.perf_counter()
    size = len(render(code))
    print(json.dumps({"ms": (time.perf_counter() - started) * 1000, "bytes": size}), flush=True)
"""


def _checkout(rev: str, into: Path) -> Path:
    archive = into / "src.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(REPO), "archive", rev, "observatory"], stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into


class Worker:
    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", WORKER, str(root)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env=os.environ.copy())
        self.info = json.loads(self.proc.stdout.readline())

    def render(self, code: str) -> dict:
        self.proc.stdin.write(code + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _load() -> float:
    return os.getloadavg()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="HEAD", help="git revision measured as 'before' (default HEAD)")
    parser.add_argument("--regions", type=int, default=120,
                        help="regions rendered by each side (default 120)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        before = Worker(_checkout(args.baseline, Path(tmp)))
        after = Worker(REPO)
        if before.info["build"] != after.info["build"]:
            raise SystemExit("the two workers loaded different builds")
        codes = [c for c in after.info["regions"] if c not in WARM_UP][: args.regions]
        for code in WARM_UP:
            before.render(code)
            after.render(code)
        times: dict[str, list[float]] = {"before": [], "after": []}
        loads = [_load()]
        started = time.time()
        for i in range(0, len(codes), BLOCK):
            block = codes[i:i + BLOCK]
            order = (("before", before), ("after", after)) if (i // BLOCK) % 2 == 0 else \
                (("after", after), ("before", before))
            for name, worker in order:
                times[name] += [worker.render(code)["ms"] for code in block]
            loads.append(_load())
        before.close()
        after.close()

    med = {k: statistics.median(v) for k, v in times.items()}
    p95 = {k: sorted(v)[round(0.95 * (len(v) - 1))] for k, v in times.items()}
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "build": after.info["build"],
        "baseline": args.baseline,
        "renders_per_side": len(codes),
        "seconds": round(time.time() - started, 1),
        "load_average_1min": {"min": round(min(loads), 2), "max": round(max(loads), 2)},
        "before_median_ms": round(med["before"], 1),
        "before_p95_ms": round(p95["before"], 1),
        "after_median_ms": round(med["after"], 1),
        "after_p95_ms": round(p95["after"], 1),
        "speed_up": round(med["before"] / med["after"], 2),
        "target_median_ms": TARGET_MS,
    }
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "benchmark-render.json").write_text(json.dumps(result, indent=1))
    print(f"{len(codes)} first renders per side, build {result['build']}, load average "
          f"{result['load_average_1min']['min']}-{result['load_average_1min']['max']} "
          f"on {os.cpu_count()} CPUs")
    print(f"before ({args.baseline}): median {result['before_median_ms']} ms, "
          f"p95 {result['before_p95_ms']} ms")
    print(f"after (working tree): median {result['after_median_ms']} ms, p95 {result['after_p95_ms']} ms")
    print(f"speed-up of the median: {result['speed_up']}x; target median < {TARGET_MS:.0f} ms: "
          f"{'met' if med['after'] < TARGET_MS else 'NOT met'}")
    return 0 if med["after"] < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
