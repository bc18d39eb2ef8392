"""The image renderer's own process: kaleido driving the system Chromium, one figure at a time.

Run by :mod:`observatory.exports.render` (never by hand). Why a process of its own: Chromium and
kaleido's event loop must not live inside a gunicorn worker (forked after ``--preload``, possibly
under gevent), a crashed or hung browser must cost one export and not a worker, and a web worker
waiting on a pipe stays free to serve other requests.

Protocol, over stdin/stdout: one JSON request per line ``{"figure": {...}, "format": "png",
"width": 1600, "height": 900, "scale": 2}``; the answer is one JSON header line
``{"ok": true, "size": N}`` followed by N bytes, or ``{"ok": false, "error": "..."}``.
No network: plotly.js comes from the installed ``plotly`` package, MathJax is disabled and the
world topology plotly's geo maps ask for is the app's empty one (``assets/map-offline-geo.js``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: Hands plotly an empty world topology, so a geo subplot never asks a CDN for one (as in the app).
OFFLINE_GEO = Path(__file__).resolve().parents[2] / "assets" / "map-offline-geo.js"


def main() -> int:
    import kaleido

    kaleido.start_sync_server(n=1, timeout=90, page_generator=kaleido.PageGenerator(
        mathjax=False, others=[str(OFFLINE_GEO)]),
                              silence_warnings=True)
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything a library prints must not corrupt the answers
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            opts = {"format": request["format"], "width": int(request["width"]),
                    "height": int(request["height"]), "scale": float(request.get("scale", 1))}
            data = kaleido.calc_fig_sync(request["figure"], opts=opts)
            header = {"ok": True, "size": len(data)}
        except Exception as exc:
            data = b""
            header = {"ok": False, "error": f"{type(exc).__name__}: {str(exc)[:300]}"}
        out.write(json.dumps(header).encode() + b"\n" + data)
        out.flush()
    kaleido.stop_sync_server(silence_warnings=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
