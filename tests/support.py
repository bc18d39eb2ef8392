"""Helpers shared by the tests that read the real upstream files directly."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

from observatory.config import SHARED_DATA_DIR, configured_data_dir
from observatory.sources.catalogue import source

#: The data directory the build reads (OBSERVATORY_DATA_DIR, else ../shared/data).
DATA: Path = configured_data_dir() or SHARED_DATA_DIR


def path_of(source_id: str) -> Path:
    """Local path of a catalogued upstream file."""
    return DATA / source(source_id).path


def raw_line(path: Path, prefix: str) -> str:
    """The first line of a (possibly gzipped) file that starts with ``prefix``: the ground truth
    a parsed value is checked against."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(prefix):
                return line.rstrip("\n")
    raise AssertionError(f"no line starting with {prefix!r} in {path}")


def wait_until(page, expression: str, arg=None, *, timeout: float = 20.0, interval: float = 0.05):
    """Poll ``page.evaluate(expression, arg)`` until it is truthy; return that value.

    Playwright's own ``wait_for_function`` compiles its predicate with ``eval`` inside the page,
    which the app's Content Security Policy refuses (no ``'unsafe-eval'``), and the tests keep
    that policy on so they would see any violation by the app itself. ``page.evaluate`` goes
    through the DevTools protocol, which the page's policy does not govern.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout:g} s: {expression[:300]}")
        page.wait_for_timeout(interval * 1000)
