"""The curated S3 records in the repository: every file validates as the build validates it, and
the one-off import of the staged releases is idempotent and never overwrites a curated row."""

from __future__ import annotations

import csv
import importlib.util
import shutil
from pathlib import Path

import pytest

from observatory.config import CURATED_DIR
from observatory.ingest import s3records, taxonomies
from observatory.ingest.errors import BuildLog
from observatory.ingest.nuts import read_nuts2021_codes
from observatory.sources.catalogue import source
from tests.support import DATA

RECORDS = CURATED_DIR / "s3"
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "import_s3_releases.py"


def _import_module():
    spec = importlib.util.spec_from_file_location("import_s3_releases", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(name: str):
    path = RECORDS / f"{name}.csv"
    return path, s3records.read_records(path, s3records.FILES[name])


def test_every_curated_file_validates():
    codes = read_nuts2021_codes(DATA / source("nuts2021_classification").path)
    nace = taxonomies.read_nace(DATA / source("nace_r2").path)
    strategies = s3records.validate_strategies(*_read("strategies"), codes)
    ids = set(strategies["strategy_id"])
    priorities = s3records.validate_priorities(*_read("priorities"), ids, set(nace["code"]))
    partnerships = s3records.validate_partnerships(*_read("partnerships"))
    members = s3records.validate_members(
        *_read("partnership_members"), set(partnerships["partnership_id"]), codes, BuildLog()
    )
    contacts = s3records.validate_contact_points(*_read("contact_points"), ids)
    expected = s3records.validate_expected(*_read("expected_territories"), codes)
    assert len(priorities) > 1000 and len(members) > 150 and len(contacts) > 50 and len(expected) > 150
    # every current strategy is "current (2021-2027)": it reaches 2021 or is open-ended/undated
    current = strategies[strategies["status"] == "current"]
    assert (current["period_end"].isna() | (current["period_end"] >= 2021)).all()


def test_files_are_sorted_by_id_with_the_agreed_header():
    for name, columns in s3records.FILES.items():
        with (RECORDS / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == columns, name
    for name, key in (("strategies", 0), ("priorities", 0), ("partnerships", 0)):
        with (RECORDS / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            ids = [row[key] for row in list(csv.reader(handle))[1:]]
        assert ids == sorted(ids), name


@pytest.fixture(scope="module")
def importer():
    if not (DATA / "s3" / "strategies.csv").exists():
        pytest.skip("the staged releases are not beside this checkout")
    return _import_module()


def test_import_into_an_empty_dir_twice_gives_identical_bytes(importer, tmp_path):
    out = tmp_path / "s3"
    importer.import_releases(DATA, out)
    first = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    importer.import_releases(DATA, out)
    second = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert first == second
    assert set(first) == {f"{name}.csv" for name in s3records.FILES}


def test_import_over_curated_files_keeps_hand_edits_and_added_rows(importer, tmp_path):
    out = tmp_path / "s3"
    shutil.copytree(RECORDS, out)
    path = out / "strategies.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["notes"] = "edited by a curator"
    added = dict(rows[0], strategy_id="zz-hand-added-2021", title="Hand-added strategy")
    importer.write_csv(path, s3records.STRATEGY_COLUMNS, [*rows, added])
    importer.import_releases(DATA, out)
    with path.open(encoding="utf-8", newline="") as handle:
        after = {row["strategy_id"]: row for row in csv.DictReader(handle)}
    assert after[rows[0]["strategy_id"]]["notes"] == "edited by a curator"
    assert after["zz-hand-added-2021"]["title"] == "Hand-added strategy"
    assert len(after) == len(rows) + 1
    # the repository's own files are already a fixed point of the import
    for name in s3records.FILES:
        if name != "strategies":
            assert (out / f"{name}.csv").read_bytes() == (RECORDS / f"{name}.csv").read_bytes(), name


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.scribd.com/doc/1", "mirror"),
        ("https://ro.scribd.com/doc/1", "mirror"),
        ("https://s3platform.jrc.ec.europa.eu/regions", "eu"),
        ("https://www.bmbwf.gv.at/x", "official"),
        ("https://www.regione.toscana.it/x", "official"),
        ("https://github.com/kristyne/ris3-mapa-cr", "secondary"),
        ("https://unknown.example/x", ""),
    ],
)
def test_source_kind_rule(importer, url, kind):
    assert importer.source_kind(url) == kind


def test_status_rule(importer):
    rows = [
        {"strategy_id": "a14", "territory_code": "FRI1", "level": "regional", "period": "2014-2020"},
        {"strategy_id": "a21", "territory_code": "FRI", "level": "regional", "period": "2021-2027"},
        {"strategy_id": "b14", "territory_code": "FRB", "level": "regional", "period": "2014-2020"},
        {"strategy_id": "c19", "territory_code": "SE11", "level": "regional", "period": "2019-"},
        {"strategy_id": "c21", "territory_code": "SE11", "level": "regional", "period": ""},
    ]
    importer.assign_status(rows)
    got = {r["strategy_id"]: (r["status"], r["superseded_by"]) for r in rows}
    assert got == {
        "a14": ("superseded", "a21"),  # successor on the containing territory
        "a21": ("current", ""),
        "b14": ("superseded", ""),  # ended before 2021: a successor exists, not recorded
        "c19": ("current", ""),
        "c21": ("current", ""),  # undated: not comparable, kept current
    }
