"""The build: atomic (a failed build leaves the previous one serving), no-op when unchanged,
and every malformed input stops it with a message naming file, row and column."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from observatory import build as build_module
from observatory.build import build, current_build
from observatory.ingest.errors import InputError
from observatory.sources.catalogue import SOURCES, source
from tests.support import DATA


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A data directory of symlinks to the real files; a test replaces the one it breaks."""
    root = tmp_path / "data"
    for src in SOURCES:
        target = root / src.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(DATA / src.path)
    return root


@pytest.fixture
def geodata_with_previous(tmp_path, obs) -> Path:
    """A geodata dir whose ``current`` is a copy of the real build: the build a failure must keep."""
    geodata = tmp_path / "geodata"
    previous = geodata / "builds" / "previous"
    shutil.copytree(obs.path, previous)
    (geodata / "current").symlink_to(Path("builds") / "previous")
    return geodata


@pytest.fixture
def records_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the curated S3 records the build reads instead of observatory/curated/s3/."""
    root = tmp_path / "records"
    shutil.copytree(build_module.S3_RECORDS_DIR, root)
    monkeypatch.setattr(build_module, "S3_RECORDS_DIR", root)
    return root


def _replace(data: Path, source_id: str, content: bytes) -> Path:
    if source_id.startswith("records:"):  # a curated records file (data = the records copy)
        path = data / f"{source_id.removeprefix('records:')}.csv"
        path.write_bytes(content)
        return path
    path = data / source(source_id).path
    path.unlink()
    path.write_bytes(content)
    return path


def _lines(source_id: str) -> list[str]:
    if source_id.startswith("records:"):
        path = build_module.S3_RECORDS_DIR / f"{source_id.removeprefix('records:')}.csv"
    else:
        path = DATA / source(source_id).path
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def _snapshot(geodata: Path) -> dict[str, bytes]:
    current = (geodata / "current").resolve()
    return {p.name: p.read_bytes() for p in sorted(current.iterdir()) if p.is_file()}


BREAKAGES = {
    # name: (source id, function making the broken bytes, expected fragments of the message)
    "unknown NUTS code": (
        "records:strategies",
        lambda: "".join(_lines("records:strategies")[:3]).replace("AT,Österreich", "QQ,Nowhere", 1).encode(),
        ["strategies.csv", "row 2", "territory_code"],
    ),
    "missing column": (
        "records:priorities",
        lambda: "".join(_lines("records:priorities")).replace("source_url", "src", 1).encode(),
        ["priorities.csv", "source_url"],
    ),
    "truncated gzip": (
        "gisco_nuts_rg_03m_2021_2",
        lambda: (DATA / source("gisco_nuts_rg_03m_2021_2").path).read_bytes()[:5000],
        ["NUTS_RG_03M_2021_4326_LEVL_2"],
    ),
    "unparsable number": (
        "tgs00010",
        lambda: "".join(_lines("tgs00010")[:5]).replace(",4.3,", ",four,", 1).encode(),
        ["tgs00010", "row"],
    ),
}


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_broken_input_stops_the_build_and_keeps_the_previous(
    case, data_copy, records_copy, geodata_with_previous
):
    source_id, make_bytes, fragments = BREAKAGES[case]
    _replace(records_copy if source_id.startswith("records:") else data_copy, source_id, make_bytes())
    before = _snapshot(geodata_with_previous)
    with pytest.raises(InputError) as err:
        build(data_dir=data_copy, geodata_dir=geodata_with_previous, progress=False)
    for fragment in fragments:
        assert fragment in str(err.value)
    assert _snapshot(geodata_with_previous) == before
    builds = geodata_with_previous / "builds"
    assert [p.name for p in builds.iterdir()] == ["previous"]  # the half-made build was removed


def test_gzip_fixture_really_is_truncated():
    broken = BREAKAGES["truncated gzip"][1]()
    with pytest.raises((EOFError, OSError)):
        gzip.decompress(broken)


def test_unchanged_inputs_make_a_rebuild_a_no_op(obs):
    first = build(progress=False)  # a no-op already unless the code changed since the last build
    second = build(progress=False)
    assert second.skipped
    assert second.path == first.path == current_build()


def test_code_change_invalidates_the_fingerprint(monkeypatch):
    before = build_module.code_fingerprint()
    monkeypatch.setattr(build_module, "_CODE_FILES", ("build.py", "__init__.py"))
    assert build_module.code_fingerprint() != before


def test_swap_is_a_single_rename(tmp_path):
    geodata = tmp_path / "g"
    (geodata / "builds" / "a").mkdir(parents=True)
    (geodata / "builds" / "b").mkdir()
    build_module._swap_current(geodata, geodata / "builds" / "a")
    build_module._swap_current(geodata, geodata / "builds" / "b")
    assert str((geodata / "current").readlink()) == "builds/b"
    assert not [p for p in geodata.iterdir() if p.name.startswith(".current")]


def test_an_input_cut_to_its_header_stops_the_build_unless_allowed(
    data_copy, records_copy, geodata_with_previous
):
    """partnership_members.csv with only its header used to build and silently drop every membership."""
    from observatory.build import BuildShrank

    members = "".join(_lines("records:partnership_members")[:1]).encode()
    _replace(records_copy, "records:partnership_members", members)
    before = _snapshot(geodata_with_previous)
    with pytest.raises(BuildShrank) as err:
        build(data_dir=data_copy, geodata_dir=geodata_with_previous, progress=False, force=True)
    message = str(err.value)
    assert "partnership_members" in message and "--allow-shrink" in message and " to 0 rows" in message
    assert _snapshot(geodata_with_previous) == before
    allowed = build(data_dir=data_copy, geodata_dir=geodata_with_previous, progress=False, allow_shrink=True)
    assert allowed.counts["partnership_members"] == 0


def test_shrink_check_ignores_small_tables_and_modest_changes():
    from observatory.build import BuildShrank, check_shrink

    check_shrink({"terms": 5, "strategies": 100}, {"terms": 0, "strategies": 60})
    with pytest.raises(BuildShrank):
        check_shrink({"strategies": 100}, {"strategies": 40})
