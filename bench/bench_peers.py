"""Benchmark: how long one peer search over all NUTS 2 regions takes (target: median under 50 ms).

Run: ``.venv/bin/python bench/bench_peers.py [--repeat 5]``. Uses the real build
(``geodata/current``). The standardised structural matrix is built once per process (it is cached
in the app too) and timed separately; then, for every NUTS 2 region as the target, it times

- ``structural``: :func:`observatory.analysis.peers.structural_distances` (distance to every
  NUTS 2 region, same-country exclusion on), the vectorised core;
- ``find_peers``: the whole peer search the page runs: structural ranking and explanations,
  Jaccard priority peers, same-country list, combination (methods structural + country +
  priorities, n = 10).

Prints the medians and 95th percentiles and writes them to ``bench/results/peers.json``
(git-ignored).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from observatory.analysis.peers import (  # noqa: E402
    PeerOptions,
    find_peers,
    structural_distances,
    structural_matrix_for,
    term_sets_for,
)
from observatory.model import Observatory  # noqa: E402

TARGET_MS = 50.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes over all NUTS 2 regions (default 3)")
    args = parser.parse_args()

    obs = Observatory.load()
    started = time.perf_counter()
    matrix = structural_matrix_for(obs)
    build_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    term_sets_for(obs, "nace", False)
    terms_ms = (time.perf_counter() - started) * 1000
    options = PeerOptions(methods=("structural", "country", "priorities"), n=10, exclude_same_country=False)

    core, full = [], []
    for _ in range(args.repeat):
        for code in matrix.regions:
            t0 = time.perf_counter()
            structural_distances(matrix, code, exclude_same_country=True)
            t1 = time.perf_counter()
            find_peers(obs, code, options, matrix=matrix)
            t2 = time.perf_counter()
            core.append((t1 - t0) * 1000)
            full.append((t2 - t1) * 1000)

    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "build": obs.path.name,
        "regions": len(matrix.regions),
        "indicators": len(matrix.indicators),
        "dimensions": len(matrix.dimensions),
        "searches": len(core),
        "matrix_build_ms_once": round(build_ms, 1),
        "term_sets_ms_once": round(terms_ms, 1),
        "structural_median_ms": round(statistics.median(core), 3),
        "structural_p95_ms": round(percentile(core, 0.95), 3),
        "find_peers_median_ms": round(statistics.median(full), 3),
        "find_peers_p95_ms": round(percentile(full, 0.95), 3),
        "target_ms": TARGET_MS,
    }
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "peers.json").write_text(json.dumps(result, indent=1))
    print(f"NUTS 2 regions: {result['regions']}, structural indicators: {result['indicators']} "
          f"in {result['dimensions']} dimensions, {result['searches']} searches")
    print(f"matrix built once in {result['matrix_build_ms_once']} ms; priority term sets once in "
          f"{result['term_sets_ms_once']} ms")
    print(f"structural distances, one region vs all: median {result['structural_median_ms']} ms, "
          f"p95 {result['structural_p95_ms']} ms")
    print(f"full peer search (3 methods, explanations): median {result['find_peers_median_ms']} ms, "
          f"p95 {result['find_peers_p95_ms']} ms")
    ok = result["find_peers_median_ms"] < TARGET_MS
    print(f"target median < {TARGET_MS:.0f} ms: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
