"""Where things live on disk. Every path the project reads or writes is decided here."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

#: Processed artefacts (Parquet, GeoParquet, web GeoJSON). Ignored by git.
GEODATA_DIR = Path(os.environ.get("OBSERVATORY_GEODATA_DIR", REPO_ROOT / "geodata"))

#: The staged copy of the upstream files beside the checkout, used when present.
SHARED_DATA_DIR = REPO_ROOT.parent / "shared" / "data"

#: Where downloaded upstream files are cached when no data directory is available.
DOWNLOAD_CACHE_DIR = Path(
    os.environ.get("OBSERVATORY_CACHE_DIR", Path.home() / ".cache" / "s3-observatory" / "data")
)

#: Curated records kept in this repository (facts with a source_url on every row).
CURATED_DIR = Path(__file__).resolve().parent / "curated"


def configured_data_dir() -> Path | None:
    """The data directory to read upstream files from, or None when they must be downloaded.

    ``OBSERVATORY_DATA_DIR`` wins; otherwise ``../shared/data`` when it exists.
    """
    env = os.environ.get("OBSERVATORY_DATA_DIR")
    if env:
        return Path(env)
    if SHARED_DATA_DIR.is_dir():
        return SHARED_DATA_DIR
    return None
