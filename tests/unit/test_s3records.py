"""S3 records: the real files validate, and each kind of bad row stops with file, row and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from observatory.ingest import s3records, taxonomies
from observatory.ingest.errors import BuildLog, InputError
from observatory.ingest.nuts import read_nuts2021_codes
from observatory.sources.catalogue import source
from tests.support import DATA


@pytest.fixture(scope="module")
def codes() -> frozenset[str]:
    return read_nuts2021_codes(DATA / source("nuts2021_classification").path)


@pytest.fixture(scope="module")
def nace() -> pd.DataFrame:
    return taxonomies.read_nace(DATA / source("nace_r2").path)


def _strategies(codes):
    path = DATA / source("s3_strategies").path
    return s3records.validate_strategies(
        path, s3records.read_records(path, s3records.STRATEGY_COLUMNS), codes
    )


def test_real_strategies_validate(codes):
    strategies = _strategies(codes)
    raw = pd.read_csv(DATA / source("s3_strategies").path)
    assert len(strategies) == len(raw) == 141
    assert (strategies["level"] == "national").sum() == 27
    assert strategies.loc[strategies["strategy_id"] == "cz031-ris3-2021", "territory_level"].item() == 3
    assert strategies["period_start"].between(2010, 2030).all()


def test_real_priorities_and_tags(codes, nace):
    strategies = _strategies(codes)
    path = DATA / source("s3_priorities").path
    priorities = s3records.validate_priorities(
        path,
        s3records.read_records(path, s3records.PRIORITY_COLUMNS),
        set(strategies["strategy_id"]),
        set(nace["code"]),
    )
    assert len(priorities) == 689
    tags = s3records.priority_nace_tags(priorities, nace)
    first = tags[tags["priority_id"] == "cz-nris3-2021-1"]
    # "C20;C22;C23;C24;C25" in the file: five curated division tags and the implied section C
    assert sorted(first.loc[first["method"] == "curated", "term"]) == [
        "nace:C20",
        "nace:C22",
        "nace:C23",
        "nace:C24",
        "nace:C25",
    ]
    assert first.loc[first["method"] == "implied-section", "term"].tolist() == ["nace:C"]


def test_members_without_code_are_logged_not_dropped(codes):
    ppath = DATA / source("s3_partnerships").path
    partnerships = s3records.validate_partnerships(
        ppath, s3records.read_records(ppath, s3records.PARTNERSHIP_COLUMNS)
    )
    mpath = DATA / source("s3_partnership_members").path
    log = BuildLog()
    members = s3records.validate_members(
        mpath,
        s3records.read_records(mpath, s3records.MEMBER_COLUMNS),
        set(partnerships["partnership_id"]),
        codes,
        log,
    )
    assert len(members) == 153
    assert members["nuts_code"].isna().sum() == 4
    assert log.entries[0]["count"] == 4


def _write(tmp_path: Path, name: str, frame: pd.DataFrame) -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def _one_strategy(**overrides) -> pd.DataFrame:
    row = {
        "strategy_id": "x",
        "territory_code": "ITH5",
        "territory_name": "Emilia-Romagna",
        "level": "regional",
        "title": "t",
        "title_en": "t",
        "period": "2021-2027",
        "document_url": "",
        "authority": "a",
        "source_url": "https://example.org/s",
        "notes": "",
    }
    row.update(overrides)
    return pd.DataFrame([row])


@pytest.mark.parametrize(
    ("overrides", "column"),
    [
        ({"territory_code": "XX99"}, "territory_code"),
        ({"source_url": "not a url"}, "source_url"),
        ({"document_url": "javascript:alert(1)"}, "document_url"),
        ({"level": "national"}, "territory_code"),  # a national strategy must sit on a country code
        ({"period": "sometime"}, "period"),
    ],
)
def test_bad_strategy_rows_name_row_and_column(tmp_path, codes, overrides, column):
    path = _write(tmp_path, "strategies.csv", _one_strategy(**overrides))
    with pytest.raises(InputError) as err:
        s3records.validate_strategies(path, s3records.read_records(path, s3records.STRATEGY_COLUMNS), codes)
    assert err.value.row == 2
    assert err.value.column == column
    assert "strategies.csv" in str(err.value)


def test_missing_column_is_named(tmp_path, codes):
    path = _write(tmp_path, "strategies.csv", _one_strategy().drop(columns="source_url"))
    with pytest.raises(InputError, match="source_url"):
        s3records.read_records(path, s3records.STRATEGY_COLUMNS)


def test_priority_of_unknown_strategy_or_unknown_nace(tmp_path, nace):
    base = {
        "priority_id": "p1",
        "strategy_id": "s1",
        "name": "n",
        "description": "d",
        "nace_sections": "C20",
        "source_url": "https://example.org",
        "confidence": "high",
    }
    for overrides, column in (
        ({"strategy_id": "nope"}, "strategy_id"),
        ({"nace_sections": "C20;Z99"}, "nace_sections"),
    ):
        path = _write(tmp_path, "priorities.csv", pd.DataFrame([{**base, **overrides}]))
        with pytest.raises(InputError) as err:
            s3records.validate_priorities(
                path, s3records.read_records(path, s3records.PRIORITY_COLUMNS), {"s1"}, set(nace["code"])
            )
        assert (err.value.row, err.value.column) == (2, column)
