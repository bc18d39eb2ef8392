"""PNG and SVG, rendered server-side: so an image does not depend on the user's browser.

:class:`Renderer` talks to one :mod:`~observatory.exports.render_worker` process (kaleido with the
system Chromium), started on first use and restarted if it dies or hangs. One figure is rendered at
a time per app process (a lock), and waiting for it blocks no other request: the wait is on a pipe,
which gevent workers yield on. The map's boundaries, served to browsers by URL, are put into the
figure here (the renderer's page has no server to ask).
"""

from __future__ import annotations

import json
import logging
import os
import select
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import plotly.graph_objects as go

from observatory.config import REPO_ROOT

log = logging.getLogger(__name__)

#: Seconds one render may take before the worker is killed (a hung browser costs one export).
RENDER_TIMEOUT = float(os.environ.get("OBSERVATORY_RENDER_TIMEOUT", "90"))
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class RenderUnavailable(RuntimeError):
    """Images cannot be rendered here (no Chromium, or it failed): the caller answers 503."""


def chromium_path() -> str | None:
    """The browser kaleido drives: ``OBSERVATORY_CHROMIUM`` or ``BROWSER_PATH``, else the system's."""
    for name in ("OBSERVATORY_CHROMIUM", "BROWSER_PATH"):
        if os.environ.get(name):
            return os.environ[name]
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def inline_geometry(figure: go.Figure | dict, files: dict[str, Path]) -> dict:
    """The figure as a dict with each trace's ``geojson`` URL replaced by the file's contents.

    ``files`` maps URL -> GeoJSON file (the app's ``/geo/<build>/...`` routes); a URL not in it is
    left as it is (the renderer would fail on it, which the tests catch).
    """
    spec = json.loads(figure.to_json()) if isinstance(figure, go.Figure) else dict(figure)
    loaded: dict[str, dict] = {}
    data = []
    for trace in spec.get("data", []):
        url = trace.get("geojson")
        if isinstance(url, str) and url in files:
            if url not in loaded:
                loaded[url] = json.loads(files[url].read_text(encoding="utf-8"))
            data.append({**trace, "geojson": loaded[url]})
        else:
            data.append(trace)
    return {**spec, "data": data}


class Renderer:
    """One render worker process, shared by the threads or greenlets of an app process."""

    def __init__(self, *, timeout: float = RENDER_TIMEOUT) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        browser = chromium_path()
        if browser is None:
            raise RenderUnavailable("no Chromium found (install Debian's chromium, "
                                    "or set OBSERVATORY_CHROMIUM)")
        env = {**os.environ, "BROWSER_PATH": browser, "PYTHONPATH": str(REPO_ROOT)}
        return subprocess.Popen([sys.executable, "-m", "observatory.exports.render_worker"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=str(REPO_ROOT))

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None

    def render(self, figure: dict, fmt: str, *, width: int, height: int, scale: float = 1) -> bytes:
        """``figure`` (a plain dict, geometry inlined) as ``fmt`` (``png`` or ``svg``) bytes."""
        request = json.dumps({"figure": figure, "format": fmt, "width": width, "height": height,
                              "scale": scale}, default=_plain).encode() + b"\n"
        with self._lock:
            try:
                return self._attempt(request)
            except (BrokenPipeError, EOFError) as exc:  # a worker found dead is restarted once
                log.warning("render worker died (%s); restarting", exc)
                self._stop()
            try:
                return self._attempt(request)
            except (BrokenPipeError, EOFError) as exc:
                self._stop()
                raise RenderUnavailable("the image renderer stopped unexpectedly") from exc

    def _attempt(self, request: bytes) -> bytes:
        """One exchange with the worker (started if needed); a hung one is killed."""
        if self._process is None or self._process.poll() is not None:
            self._process = self._start()
        try:
            return self._exchange(request)
        except TimeoutError as exc:
            self._stop()
            raise RenderUnavailable(f"rendering took more than {self.timeout:.0f} s") from exc

    def _exchange(self, request: bytes) -> bytes:
        process = self._process
        assert process is not None and process.stdin is not None and process.stdout is not None
        process.stdin.write(request)
        process.stdin.flush()
        deadline = time.monotonic() + self.timeout
        header = self._read_line(process, deadline)
        answer = json.loads(header)
        if not answer.get("ok"):
            raise RenderUnavailable(f"the figure could not be rendered ({answer.get('error', '?')})")
        return self._read_exactly(process, int(answer["size"]), deadline)

    @staticmethod
    def _wait(process: subprocess.Popen, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        ready, _, _ = select.select([process.stdout], [], [], remaining)
        if not ready:
            raise TimeoutError

    def _read_line(self, process: subprocess.Popen, deadline: float) -> bytes:
        fd = process.stdout.fileno()
        buffer = bytearray()
        while not buffer.endswith(b"\n"):
            self._wait(process, deadline)
            chunk = os.read(fd, 1)
            if not chunk:
                raise EOFError("render worker closed its output")
            buffer += chunk
        return bytes(buffer)

    def _read_exactly(self, process: subprocess.Popen, size: int, deadline: float) -> bytes:
        fd = process.stdout.fileno()
        chunks = bytearray()
        while len(chunks) < size:
            self._wait(process, deadline)
            chunk = os.read(fd, min(1 << 20, size - len(chunks)))
            if not chunk:
                raise EOFError("render worker closed its output")
            chunks += chunk
        return bytes(chunks)


def _plain(value):
    """JSON for what plotly figures may hold besides plain types (numpy arrays and numbers)."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


#: The app's renderer (one worker process per app process, started on the first image).
RENDERER = Renderer()
