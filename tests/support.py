"""Helpers shared by the tests that read the real upstream files directly."""

from __future__ import annotations

import gzip
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
