"""Data build and load timings, measured in one run: cold build, no-op rebuild, model load.

    .venv/bin/python bench/bench_build.py

The cold build runs into a temporary geodata directory, so the served data is untouched.
Prints a table and writes it to bench/results/build.json.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from observatory.build import build  # noqa: E402 - after the path set-up above
from observatory.model import Observatory  # noqa: E402

RESULTS = REPO / "bench" / "results"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        geodata = Path(tmp)
        cold = build(geodata_dir=geodata, progress=False)
        noop = build(geodata_dir=geodata, progress=False)
        loads = []
        for _ in range(5):
            started = time.perf_counter()
            Observatory.load(geodata / "current")
            loads.append(time.perf_counter() - started)
    rows = {
        "cold build (s)": round(cold.seconds, 2),
        "no-op rebuild (s)": round(noop.seconds, 3),
        "no-op / cold": round(noop.seconds / cold.seconds, 4),
        "model load, median of 5 (s)": round(statistics.median(loads), 3),
        **{f"size {name} (KB)": round(size / 1024, 1) for name, size in sorted(cold.sizes.items())},
    }
    for name, value in rows.items():
        print(f"{name:<40} {value}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "build.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
