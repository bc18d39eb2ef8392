"""The download path, against a real HTTP server on 127.0.0.1 serving a copy of the data directory."""

from __future__ import annotations

import functools
import shutil
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from observatory.sources.catalogue import SOURCES, source
from observatory.sources.fetch import (
    ChecksumMismatch,
    Downloader,
    SourceUnavailable,
    make_resolver,
    sha256_of,
)
from tests.support import DATA


class FlakyHandler(SimpleHTTPRequestHandler):
    """Serves files, but fails the first request for any path listed in ``server.fail_once``."""

    def do_GET(self):
        if self.path.lstrip("/") in self.server.fail_once:
            self.server.fail_once.discard(self.path.lstrip("/"))
            self.send_error(HTTPStatus.SERVICE_UNAVAILABLE)
            return
        self.server.requests.append(self.path)
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def mirror(tmp_path):
    """A copy of part of the data directory served on a loopback port."""
    root = tmp_path / "mirror"
    for sid in ("s3_strategies", "fos2007", "nace_r2"):
        dest = root / source(sid).path
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DATA / source(sid).path, dest)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(FlakyHandler, directory=str(root)))
    server.fail_once = set()
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, server, f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def test_downloads_and_verifies(mirror, tmp_path):
    _, server, url = mirror
    loader = Downloader(tmp_path / "cache", url, progress=False, backoff=0)
    path = loader.fetch(source("s3_strategies"))
    assert sha256_of(path) == source("s3_strategies").sha256
    # Second fetch is served from the cache: no new request.
    before = len(server.requests)
    loader.fetch(source("s3_strategies"))
    assert len(server.requests) == before


def test_retries_a_failing_server(mirror, tmp_path):
    _, server, url = mirror
    server.fail_once.add(source("fos2007").path)
    loader = Downloader(tmp_path / "cache", url, progress=False, backoff=0, retries=2)
    assert sha256_of(loader.fetch(source("fos2007"))) == source("fos2007").sha256


def test_changed_upstream_file_is_rejected_and_not_cached(mirror, tmp_path):
    root, _, url = mirror
    (root / source("nace_r2").path).write_text("concept,code,name,level,parent\n")
    loader = Downloader(tmp_path / "cache", url, progress=False, backoff=0, retries=1)
    with pytest.raises(ChecksumMismatch, match="does not match the catalogue"):
        loader.fetch(source("nace_r2"))
    assert not (tmp_path / "cache" / source("nace_r2").path).exists()
    assert not list((tmp_path / "cache").rglob(".part-*"))  # no half-written file left behind


def test_missing_file_gives_a_clear_error(mirror, tmp_path):
    _, _, url = mirror
    loader = Downloader(tmp_path / "cache", url, progress=False, backoff=0, retries=2)
    with pytest.raises(SourceUnavailable, match="after 2 tries"):
        loader.fetch(source("ris_2023"))


def test_unreachable_server(tmp_path):
    loader = Downloader(
        tmp_path / "cache", "http://127.0.0.1:9/", progress=False, backoff=0, retries=1, timeout=2
    )
    with pytest.raises(SourceUnavailable, match="could not download"):
        loader.fetch(source("fos2007"))


def test_every_catalogued_file_downloads_from_a_full_mirror(tmp_path):
    """The whole data directory over loopback: every source arrives and matches its checksum."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(FlakyHandler, directory=str(DATA)))
    server.fail_once, server.requests = set(), []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        loader = Downloader(tmp_path / "cache", f"http://127.0.0.1:{server.server_port}", progress=False)
        resolve = make_resolver(None, downloader=loader)
        for src in SOURCES:
            assert sha256_of(resolve(src.id)) == src.sha256, src.path
    finally:
        server.shutdown()


def test_local_data_dir_reports_missing_files(tmp_path):
    resolve = make_resolver(tmp_path)
    with pytest.raises(SourceUnavailable, match="missing from the data directory"):
        resolve("fos2007")


def test_source_without_public_download_says_what_to_do(tmp_path, monkeypatch):
    loader = Downloader(tmp_path, None, progress=False)
    with pytest.raises(SourceUnavailable, match="OBSERVATORY_DATA_DIR"):
        loader.fetch(source("s3_strategies"))
