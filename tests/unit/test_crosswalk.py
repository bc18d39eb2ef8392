"""NUTS 2016/2024 -> 2021 crosswalks, checked against the Eurostat workbooks and the real tables."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from observatory.ingest.crosswalk import (
    KNOWN_CASES,
    SHEET_2016_2021,
    SHEET_2021_2024,
    read_nuts2016_crosswalk,
    read_nuts2024_crosswalk,
    resolve_codes,
    same_territory_codes,
    to_nuts2021,
)
from observatory.ingest.errors import BuildLog, InputError
from observatory.ingest.eurostat import read_sdmx_csv
from observatory.ingest.nuts import read_nuts2021_codes
from tests.support import path_of


@pytest.fixture(scope="module")
def codes() -> frozenset[str]:
    return read_nuts2021_codes(path_of("nuts2021_classification"))


@pytest.fixture(scope="module")
def walk16():
    return read_nuts2016_crosswalk(path_of("nuts2021_classification"))


@pytest.fixture(scope="module")
def walk24():
    return read_nuts2024_crosswalk(path_of("nuts2021_2024"))


@pytest.fixture(scope="module")
def sheet16() -> pd.DataFrame:
    return pd.read_excel(path_of("nuts2021_classification"), sheet_name=SHEET_2016_2021, dtype=str)


@pytest.fixture(scope="module")
def sheet24() -> pd.DataFrame:
    return pd.read_excel(path_of("nuts2021_2024"), sheet_name=SHEET_2021_2024, dtype=str)


def test_known_cases_hold(walk16, walk24, codes):
    for case in KNOWN_CASES:
        walk = walk16 if case.version == "2016" else walk24
        assert walk.mapped.get(case.code) == case.nuts2021, case
        if case.nuts2021 is None:
            assert case.code in walk.unmappable, case
        else:
            assert case.nuts2021 in codes, case


def test_no_changed_code_is_also_a_nuts2021_code(walk16, walk24, codes):
    """What makes "a NUTS 2021 code stays as it is" safe for NUTS 2016 and 2024 sources."""
    assert not set(walk16.unmappable) & codes
    assert not set(walk24.unmappable) & codes
    assert all(old == new or old not in codes for old, new in walk16.mapped.items())
    assert all(old == new or old not in codes for old, new in walk24.mapped.items())


def test_netherlands_and_portugal_nuts2024(walk24, sheet24, codes):
    for new in ("NL35", "NL36", "PT19", "PT1A", "PT1B", "PT1C", "PT1D"):
        assert new not in codes
        assert walk24.resolve(new) is None
        row = sheet24[sheet24["Code 2024"] == new].iloc[0]
        assert pd.isna(row["Code 2021"]) and row["Change"] == "New region"
    assert "NL31" in walk24.unmappable["NL35"] and "NL33" in walk24.unmappable["NL35"]
    # the old NUTS 2021 regions are still NUTS 2021 codes: their series stay as they are
    assert {"NL31", "NL33", "PT16", "PT17", "PT18"} <= codes
    # pure code changes at NUTS 3 relabel 1:1
    row = sheet24[sheet24["Code 2024"] == "NL361"].iloc[0]
    assert (row["Code 2021"], row["Change"]) == ("NL332", "Code change")
    assert walk24.resolve("NL361") == "NL332"


def test_every_sheet_row_is_classified(walk16, walk24, sheet16, sheet24):
    new24 = sheet24["Code 2024"].dropna()
    assert set(new24) == set(walk24.mapped) | set(walk24.unmappable)
    assert not set(walk24.mapped) & set(walk24.unmappable)
    recoded = sheet24[sheet24["Change"].eq("Code change")]
    assert all(walk24.resolve(r["Code 2024"]) == r["Code 2021"] for _, r in recoded.iterrows())
    old16 = sheet16["Code 2016"].dropna().str.strip()
    old16 = old16[old16.str.fullmatch(r"[A-Z]{2}[A-Z0-9]{0,3}")]
    assert set(old16) == set(walk16.mapped) | set(walk16.unmappable)
    recoded16 = sheet16[sheet16["Change codes*"].astype(str).str.startswith("2")]
    assert len(recoded16) == 24
    assert all(walk16.resolve(r["Code 2016"]) == r["Code 2021"] for _, r in recoded16.iterrows())


def test_unchanged_code_maps_to_itself(walk16, walk24, codes):
    for code in ("DE11", "AT130", "FR10", "ITH5"):
        assert walk16.resolve(code) == code or code == "ITH5"
        assert walk24.resolve(code) == code
    assert resolve_codes(["DE11"], (walk24, walk16), codes)["DE11"] == ("DE11", "native")


def test_croatia_and_lithuania_2016(walk16, walk24, sheet16, codes):
    assert walk16.resolve("HR041") == "HR050"
    assert walk16.resolve("HR04") is None
    assert "HR02" in walk16.unmappable["HR04"]
    # LT00 was split into LT01/LT02 in NUTS 2016 already: it is not in the 2016-2021 sheet at all
    assert "LT00" not in set(sheet16["Code 2016"].dropna())
    resolved = resolve_codes(["LT00", "LT01", "NL35", "EU28", "FRX"], (walk24, walk16), codes)
    assert resolved["LT01"] == ("LT01", "native")
    assert resolved["LT00"][0] is None and "older NUTS version" in resolved["LT00"][1]
    assert resolved["NL35"][0] is None and "NUTS 2024" in resolved["NL35"][1]
    assert resolved["EU28"][0] is None and "aggregate" in resolved["EU28"][1]
    assert resolved["FRX"][0] is None and "'X' code" in resolved["FRX"][1]


def test_same_territory_codes(codes):
    assert same_territory_codes("CY", codes) == ("CY", "CY0", "CY00")
    assert same_territory_codes("DE3", codes) == ("DE3", "DE30")
    assert same_territory_codes("AT1", codes) == ("AT1",)  # no copying of NUTS 1 values to children
    assert same_territory_codes("BG31", codes) == ("BG31",)
    assert same_territory_codes("CY", codes, max_level=3)[-1] == "CY000"


def test_to_nuts2021_on_a_hand_made_table(walk16, walk24, codes):
    frame = pd.DataFrame({
        "geo": ["AT11", "NL361", "NL332", "NL35", "XX99", "EU27_2020", "HR041", "NL361"],
        "year": [2020, 2021, 2021, 2021, 2021, 2021, 2020, 2022],
        "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
        "flag": ["", "p", "", "", "", "", "", ""],
    })
    log = BuildLog()
    out = to_nuts2021(frame, source="test", crosswalks=(walk24, walk16), nuts2021_codes=codes, log=log,
                      label="x")
    assert list(out.columns) == ["year", "value", "flag", "region"]
    got = {(r.region, r.year): r.value for r in out.itertuples()}
    # NL332 2021 given natively wins over NL361 relabelled; NL361 2022 is relabelled; unknowns dropped
    assert got == {("AT11", 2020): 1.0, ("NL332", 2021): 3.0, ("NL332", 2022): 8.0, ("EU27_2020", 2021): 6.0,
                   ("HR050", 2020): 7.0}
    messages = {entry["message"]: entry for entry in log}
    dropped = messages["x: rows dropped: region code has no same-territory NUTS 2021 code"]
    assert dropped["count"] == 2
    assert any(example.startswith("NL35 ") for example in dropped["examples"])
    assert any(example.startswith("XX99 ") for example in dropped["examples"])
    assert messages["x: rows relabelled to the NUTS 2021 code of the same territory"]["count"] == 3
    duplicate = messages["x: rows dropped: same region and period already given under its NUTS 2021 code"]
    assert duplicate["count"] == 1


def test_tgs_table_keeps_2021_series_and_logs_2024_codes(walk16, walk24, codes):
    path = path_of("tgs00007")
    with path.open(encoding="utf-8") as handle:
        raw = list(csv.DictReader(handle))
    nuts2024_only = {"NL35", "NL36", "PT19", "PT1A", "PT1B", "PT1C", "PT1D"}
    nuts2024_rows = [row for row in raw if row["geo"] in nuts2024_only]
    table = read_sdmx_csv(path)
    log = BuildLog()
    out = to_nuts2021(table, source="tgs00007", crosswalks=(walk24, walk16), nuts2021_codes=codes, log=log)
    assert sorted(out.loc[out["region"] == "NL31", "year"]) == list(range(2013, 2019))
    assert sorted(out.loc[out["region"] == "PT17", "year"]) == list(range(2013, 2019))
    assert not out["region"].isin(["NL35", "PT1A"]).any()
    entry = next(e for e in log if "no same-territory" in e["message"])
    other = [row for row in raw if row["geo"] in {"HR04", "NO01", "NO03", "NO04", "NO05"}]
    assert entry["count"] == len(nuts2024_rows) + len(other)
    assert len(out) == len(raw) - entry["count"]


def test_crosswalk_sheet_errors(tmp_path):
    path = tmp_path / "nuts.xlsx"
    pd.DataFrame({"Code 2016": ["AT1"], "Code 2021": ["AT1"]}).to_excel(path, sheet_name=SHEET_2016_2021,
                                                                        index=False)
    with pytest.raises(InputError) as err:
        read_nuts2016_crosswalk(path)
    assert err.value.column == "Change codes*"
    with pytest.raises(InputError, match="cannot read sheet"):
        read_nuts2024_crosswalk(path)
    pd.DataFrame({"Code 2021": ["AT11"], "Code 2024": ["AT11"], "Change": ["Boundary shift"],
                  "NUTS level": ["2"]}).to_excel(path, sheet_name=SHEET_2021_2024, index=False)
    with pytest.raises(InputError) as err:
        read_nuts2024_crosswalk(path)
    assert (err.value.row, err.value.column) == (2, "Change")
