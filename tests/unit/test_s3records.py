"""S3 records: the real files validate, and each kind of bad row stops with file, row and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from observatory.config import CURATED_DIR
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


RECORDS = CURATED_DIR / "s3"


def _strategies(codes):
    path = RECORDS / "strategies.csv"
    return s3records.validate_strategies(
        path, s3records.read_records(path, s3records.STRATEGY_COLUMNS), codes
    )


def test_real_strategies_validate(codes):
    strategies = _strategies(codes)
    raw = pd.read_csv(RECORDS / "strategies.csv")
    assert len(strategies) == len(raw) >= 248  # releases 1 and 2 after deduplication
    assert (strategies["level"] == "national").sum() >= 27
    assert strategies.loc[strategies["strategy_id"] == "cz031-ris3-2021", "territory_level"].item() == 3
    assert strategies["period_start"].dropna().between(2010, 2030).all()


def test_real_priorities_and_tags(codes, nace):
    strategies = _strategies(codes)
    path = RECORDS / "priorities.csv"
    priorities = s3records.validate_priorities(
        path,
        s3records.read_records(path, s3records.PRIORITY_COLUMNS),
        set(strategies["strategy_id"]),
        set(nace["code"]),
    )
    assert len(priorities) >= 1119
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
    ppath = RECORDS / "partnerships.csv"
    partnerships = s3records.validate_partnerships(
        ppath, s3records.read_records(ppath, s3records.PARTNERSHIP_COLUMNS)
    )
    mpath = RECORDS / "partnership_members.csv"
    log = BuildLog()
    members = s3records.validate_members(
        mpath,
        s3records.read_records(mpath, s3records.MEMBER_COLUMNS),
        set(partnerships["partnership_id"]),
        codes,
        log,
    )
    unlocated = members["nuts_code"].isna().sum()
    assert len(members) >= 188 and unlocated >= 4
    assert log.entries[0]["count"] == unlocated


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
        "status": "current",
        "superseded_by": "",
        "document_url": "",
        "authority": "a",
        "source_url": "https://example.org/s",
        "source_kind": "official",
        "last_checked": "2026-12-04",
        "confidence": "high",
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
        ({"period": "2027-2021"}, "period"),  # starts after it ends
        ({"period": "-"}, "period"),
        ({"period": ""}, "period"),  # empty only with a note
        ({"source_url": ""}, "source_url"),  # a missing source
        ({"source_kind": "blog"}, "source_kind"),
        ({"last_checked": "04/12/2026"}, "last_checked"),
        ({"last_checked": ""}, "last_checked"),
        ({"confidence": "sure"}, "confidence"),
        ({"status": "old"}, "status"),
        ({"superseded_by": "x"}, "superseded_by"),  # set on a current strategy
        ({"status": "superseded", "superseded_by": "nope"}, "superseded_by"),  # orphan successor
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
        "source_kind": "eu",
        "confidence": "high",
        "notes": "",
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


def test_good_strategy_row_and_open_periods_pass(tmp_path, codes):
    """The fixture row itself is valid (so each failing case above fails for its one change)."""
    for period, notes in (("2021-2027", ""), ("2019-", ""), ("-2030", ""), ("", "adoption year unknown")):
        path = _write(tmp_path, "strategies.csv", _one_strategy(period=period, notes=notes))
        table = s3records.read_records(path, s3records.STRATEGY_COLUMNS)
        out = s3records.validate_strategies(path, table, codes)
        assert len(out) == 1


def _chain(pairs) -> pd.DataFrame:
    rows = []
    for sid, successor in pairs:
        rows.append(_one_strategy(strategy_id=sid, title=sid, status="superseded", superseded_by=successor))
    return pd.concat(rows, ignore_index=True)


@pytest.mark.parametrize(
    "pairs", [[("a", "b"), ("b", "a")], [("a", "b"), ("b", "c"), ("c", "a")], [("a", "a")]]
)
def test_supersession_loop_stops(tmp_path, codes, pairs):
    path = _write(tmp_path, "strategies.csv", _chain(pairs))
    with pytest.raises(InputError) as err:
        s3records.validate_strategies(path, s3records.read_records(path, s3records.STRATEGY_COLUMNS), codes)
    assert err.value.column == "superseded_by" and err.value.row == 2


def test_duplicate_strategy_id_and_duplicate_territory_period_title(tmp_path, codes):
    twice = pd.concat([_one_strategy(), _one_strategy()], ignore_index=True)
    path = _write(tmp_path, "strategies.csv", twice)
    with pytest.raises(InputError) as err:
        s3records.validate_strategies(path, s3records.read_records(path, s3records.STRATEGY_COLUMNS), codes)
    assert (err.value.row, err.value.column) == (3, "strategy_id")
    same = pd.concat([_one_strategy(), _one_strategy(strategy_id="y")], ignore_index=True)
    path = _write(tmp_path, "strategies.csv", same)
    with pytest.raises(InputError) as err:
        s3records.validate_strategies(path, s3records.read_records(path, s3records.STRATEGY_COLUMNS), codes)
    assert (err.value.row, err.value.column) == (3, "title")


def test_extra_column_is_refused(tmp_path):
    path = _write(tmp_path, "strategies.csv", _one_strategy(extra="1"))
    with pytest.raises(InputError, match="extra"):
        s3records.read_records(path, s3records.STRATEGY_COLUMNS)


def _contact(**overrides) -> pd.DataFrame:
    row = {
        "strategy_id": "s1", "office": "S3 unit", "organisation": "Region", "web_url": "https://r.eu/s3",
        "email": "s3@r.eu", "source_url": "https://r.eu/s3", "source_kind": "official",
        "last_checked": "2026-12-04", "notes": "",
    }
    row.update(overrides)
    return pd.DataFrame([row])


@pytest.mark.parametrize(
    ("overrides", "column"),
    [
        ({"strategy_id": "nope"}, "strategy_id"),  # orphan contact point
        ({"email": "s3-at-r.eu"}, "email"),
        ({"email": "s3@r"}, "email"),
        ({"source_url": ""}, "source_url"),
        ({"web_url": "ftp://r.eu"}, "web_url"),
        ({"last_checked": "2026-13"}, "last_checked"),
    ],
)
def test_bad_contact_points(tmp_path, overrides, column):
    path = _write(tmp_path, "contact_points.csv", _contact(**overrides))
    with pytest.raises(InputError) as err:
        table = s3records.read_records(path, s3records.CONTACT_COLUMNS)
        s3records.validate_contact_points(path, table, {"s1"})
    assert (err.value.row, err.value.column) == (2, column)
    good = _write(tmp_path, "good.csv", _contact(email=""))
    s3records.validate_contact_points(good, s3records.read_records(good, s3records.CONTACT_COLUMNS), {"s1"})


def _member(**overrides) -> pd.DataFrame:
    row = {
        "partnership_id": "p", "region_name": "Emilia-Romagna", "country": "IT", "nuts_code": "ITH5",
        "role": "lead", "as_of": "2024-05", "source_url": "https://x.eu", "source_kind": "eu",
        "confidence": "high", "notes": "",
    }
    row.update(overrides)
    return pd.DataFrame([row])


@pytest.mark.parametrize(
    ("frame", "column"),
    [
        (_member(partnership_id="nope"), "partnership_id"),  # orphan member
        (_member(nuts_code="XX99"), "nuts_code"),
        (_member(as_of="May 2024"), "as_of"),
        (_member(source_kind=""), "source_kind"),
        (_member(source_kind="mirror"), "confidence"),  # 'high' on a second-hand source
        (_member(source_kind="secondary"), "confidence"),
        (pd.concat([_member(), _member(role="member")]), "nuts_code"),  # the same region twice
    ],
)
def test_bad_members(tmp_path, codes, frame, column):
    path = _write(tmp_path, "partnership_members.csv", frame)
    with pytest.raises(InputError) as err:
        s3records.validate_members(
            path, s3records.read_records(path, s3records.MEMBER_COLUMNS), {"p"}, codes, BuildLog()
        )
    assert err.value.column == column


def _expected(**overrides) -> pd.DataFrame:
    row = {
        "country": "IT", "territory_code": "ITH5", "territory_name": "Emilia-Romagna", "level": "regional",
        "evidence_url": "https://x.it", "source_kind": "official", "notes": "",
    }
    row.update(overrides)
    return pd.DataFrame([row])


@pytest.mark.parametrize(
    ("frame", "column"),
    [
        (_expected(territory_code="ITX9"), "territory_code"),
        (_expected(country="FR"), "country"),
        (_expected(evidence_url=""), "evidence_url"),
        (pd.concat([_expected(), _expected()]), "territory_code"),
    ],
)
def test_bad_expected_territories(tmp_path, codes, frame, column):
    path = _write(tmp_path, "expected_territories.csv", frame)
    with pytest.raises(InputError) as err:
        s3records.validate_expected(path, s3records.read_records(path, s3records.EXPECTED_COLUMNS), codes)
    assert err.value.column == column


def test_bad_partnership_status(tmp_path):
    row = {
        "partnership_id": "p", "name": "n", "programme": "", "theme": "", "start_year": "2018",
        "status": "maybe", "website_url": "", "source_url": "https://x.eu", "source_kind": "eu",
        "last_checked": "2026-12-04", "notes": "",
    }
    path = _write(tmp_path, "partnerships.csv", pd.DataFrame([row]))
    with pytest.raises(InputError) as err:
        s3records.validate_partnerships(path, s3records.read_records(path, s3records.PARTNERSHIP_COLUMNS))
    assert err.value.column == "status"
