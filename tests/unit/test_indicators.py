"""The indicator catalogue and the assembled indicator table, on the real files."""

from __future__ import annotations

import csv
import gzip
import time
from pathlib import Path

import pandas as pd
import pytest

from observatory.ingest.crosswalk import read_nuts2016_crosswalk
from observatory.ingest.ec_indices import (
    CAPITAL_CODE_FIXES,
    RCI_2022_INDICATORS,
    RIS_INDICATORS,
    rci_evolution_scores,
    read_rci_capital_areas,
    read_ris,
)
from observatory.ingest.errors import BuildLog, InputError
from observatory.ingest.indicators import (
    DIMENSIONS,
    INDICATORS,
    TABLE_COLUMNS,
    IndicatorSpec,
    build_indicators,
    indicator_spec,
)
from observatory.ingest.nuts import read_nuts2021_codes
from observatory.ingest.research import read_rd_per_inhabitant
from observatory.sources.catalogue import source
from tests.support import path_of, raw_line

EU27 = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT",
        "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}



def resolve(source_id: str) -> Path:
    return path_of(source_id)



def tsv_cell(path: Path, key: str, year: int) -> tuple[float, str]:
    """The (value, flag) of one cell of a bulk TSV, read from the raw text."""
    header = raw_line(path, next(iter(_header_prefix(path)))).split("\t")
    cells = raw_line(path, key + "\t").split("\t")
    cell = cells[[h.strip() for h in header].index(str(year))].strip()
    number, _, flag = cell.partition(" ")
    return float(number), flag


def _header_prefix(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield handle.readline().split("\t")[0]


@pytest.fixture(scope="module")
def codes() -> frozenset[str]:
    return read_nuts2021_codes(path_of("nuts2021_classification"))


@pytest.fixture(scope="module")
def built(codes):
    log = BuildLog()
    start = time.perf_counter()
    table = build_indicators(resolve, codes, log)
    return table, log, time.perf_counter() - start


def one(table: pd.DataFrame, indicator: str, region: str, year: int) -> pd.Series:
    rows = table[(table["indicator"] == indicator) & (table["region"] == region) & (table["year"] == year)]
    assert len(rows) == 1, (indicator, region, year, len(rows))
    return rows.iloc[0]


# --- catalogue ------------------------------------------------------------------------------------


def test_catalogue_is_consistent():
    ids = [spec.id for spec in INDICATORS]
    assert len(ids) == len(set(ids))
    for spec in INDICATORS:
        for source_id in spec.source_ids:
            source(source_id)  # KeyError if the catalogue lacks it
        assert spec.attribution.startswith("Source: ")
        assert spec.description.endswith(".")
        assert (spec.kind == "structural") == (spec.dimension is not None)
    assert set(RIS_INDICATORS.values()) <= set(ids)
    assert set(RCI_2022_INDICATORS.values()) <= set(ids)


def test_each_dimension_has_at_least_three_structural_indicators():
    for dimension in DIMENSIONS:
        members = [s.id for s in INDICATORS if s.kind == "structural" and s.dimension == dimension]
        assert len(members) >= 3, (dimension, members)


def test_indicator_spec_lookup():
    assert indicator_spec("unemployment_rate").direction == "lower_is_better"
    assert indicator_spec("gdp_pc_pps").kind == "structural"
    assert indicator_spec("ris_summary").kind == "performance"
    with pytest.raises(KeyError, match="no_such_indicator"):
        indicator_spec("no_such_indicator")


def test_spec_validation():
    with pytest.raises(ValueError, match="dimension"):
        IndicatorSpec("x", "X", "u", "neutral", ("tgs00007",), "Source: x", "X.", "structural", None)
    with pytest.raises(ValueError, match="no benchmarking dimension"):
        IndicatorSpec("x", "X", "u", "neutral", ("tgs00007",), "Source: x", "X.", "performance",
                      "institutions")


# --- the assembled table ------------------------------------------------------------------------------


def test_build_is_fast(built):
    _, _, seconds = built
    assert seconds < 60


def test_table_shape(built, codes):
    table, _, _ = built
    assert list(table.columns) == TABLE_COLUMNS
    assert str(table["year"].dtype) == "int64"
    assert str(table["value"].dtype) == "float64"
    assert table["value"].notna().all()
    assert not table.duplicated(["region", "indicator", "year"]).any()
    assert table["region"].isin(codes | {"EU27_2020"}).all()
    assert set(table["indicator"]) == {spec.id for spec in INDICATORS}
    specs = {spec.id: spec for spec in INDICATORS}
    units = table.drop_duplicates("indicator").set_index("indicator")["unit"]
    assert all(units[i] == specs[i].unit for i in units.index)
    pairs = table[["indicator", "source"]].drop_duplicates().itertuples(index=False)
    assert all(src in specs[ind].source_ids for ind, src in pairs)
    assert set(table["flag"].unique()) >= {"", "p", "e", "b", "m"}


def test_population_all_levels_and_value_from_raw(built):
    table, _, _ = built
    path = path_of("demo_r_pjangrp3")
    for region in ("DE", "DE1", "DE11", "DE111", "EU27_2020"):
        expected = tsv_cell(path, f"A,T,NR,TOTAL,{region}", 2022)
        row = one(table, "population", region, 2022)
        assert (row["value"], row["flag"]) == expected
    assert one(table, "population", "DE11", 2022)["value"] == 4150949


def test_density_and_age_structure_from_raw(built):
    table, _, _ = built
    line = raw_line(path_of("demo_r_d3dens"), "PER_KM2,AL,").split(",")
    row = one(table, "population_density", "AL", 2022)
    assert (row["value"], row["flag"]) == (100.0, "e") and line[2] == "100.0e"
    expected = tsv_cell(path_of("demo_r_pjanind3"), "A,MEDAGEPOP,YR,DE11", 2021)
    row = one(table, "median_age", "DE11", 2021)
    assert (row["value"], row["flag"]) == expected
    expected = tsv_cell(path_of("demo_r_pjanind3"), "A,OLDDEP1,PC,FR10", 2020)
    assert one(table, "old_age_dependency", "FR10", 2020)["value"] == expected[0]


def test_gdp_from_the_nuts_2021_table(built):
    table, _, _ = built
    path = path_of("nama_10r_3gdp")
    for indicator, unit, region, year in (("gdp_pc_pps", "PPS_EU27_2020_HAB", "FR10", 2021),
                                          ("gdp_pc_pps_eu", "PPS_HAB_EU27_2020", "PT16", 2022),
                                          ("gdp_mio_eur", "MIO_EUR", "DE111", 2020),
                                          ("gdp_pc_eur", "EUR_HAB", "EU27_2020", 2022)):
        row = one(table, indicator, region, year)
        assert (row["value"], row["flag"]) == tsv_cell(path, f"A,{unit},{region}", year)
    assert one(table, "gdp_pc_pps", "FR10", 2021)["flag"] == "p"
    assert one(table, "gdp_pc_pps", "NL31", 2022)["value"] > 0  # NUTS 2021 region kept up to date


def test_real_gdp_growth_from_the_index(built):
    table, _, _ = built
    path = path_of("gdp_real")
    this_year = float(raw_line(path, "A,B1GQ,I15,DE11,2022,").split(",")[-1])
    last_year = float(raw_line(path, "A,B1GQ,I15,DE11,2021,").split(",")[-1])
    assert one(table, "gdp_real_growth", "DE11", 2022)["value"] == round((this_year / last_year - 1) * 100, 1)
    assert not ((table["indicator"] == "gdp_real_growth") & (table["year"] == 2000)).any()


def test_labour_market_and_nuts_2024_years(built):
    table, _, _ = built
    assert one(table, "employment_rate", "AT11", 2013)["value"] == 69.9
    nl31 = table[(table["indicator"] == "employment_rate") & (table["region"] == "NL31")]
    assert sorted(nl31["year"]) == list(range(2013, 2019))
    assert not table["region"].isin(["NL35", "NL36", "PT19", "PT1A", "PT1B", "PT1C", "PT1D"]).any()


def test_unemployment_count_of_eu27_nuts2_regions_in_latest_year(built, codes):
    table, _, _ = built
    with path_of("tgs00010").open(encoding="utf-8") as handle:
        raw = list(csv.DictReader(handle))
    latest = max(int(row["TIME_PERIOD"]) for row in raw)
    expected = {row["geo"] for row in raw if int(row["TIME_PERIOD"]) == latest and row["OBS_VALUE"]
                and row["geo"][:2] in EU27 and row["geo"] in codes}
    got = table[(table["indicator"] == "unemployment_rate") & (table["year"] == latest)]
    got = set(got.loc[got["region"].str[:2].isin(EU27), "region"])
    assert latest == 2024
    assert got == expected
    # 242 EU27 NUTS 2 regions less NL31/NL33/PT16/PT17/PT18 (NUTS 2024 codes only) and 4 gaps in the source
    assert len(got) == 233


def test_flags_survive_assembly(built):
    table, _, _ = built
    with path_of("tgs00010").open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["OBS_FLAG"] == "bu" and r["geo"][:2] in EU27)
    got = one(table, "unemployment_rate", row["geo"], int(row["TIME_PERIOD"]))
    assert (got["value"], got["flag"]) == (float(row["OBS_VALUE"]), "bu")


def test_sector_shares_from_raw(built):
    table, _, _ = built
    path = path_of("lfst_r_lfe2en2")
    part = tsv_cell(path, "THS,A,Y_GE15,DE11", 2015)
    total = tsv_cell(path, "THS,TOTAL,Y_GE15,DE11", 2015)
    assert one(table, "emp_share_agriculture", "DE11", 2015)["value"] == round(part[0] / total[0] * 100, 1)
    flagged = one(table, "emp_share_agriculture", "FR10", 2012)
    assert flagged["flag"] == "u"
    # pre-2016 French regions have no NUTS 2021 twin: not guessed
    assert not ((table["indicator"] == "emp_share_industry") & (table["region"] == "FRK2")).any()


def test_manufacturing_ratios(built):
    table, _, _ = built
    population = tsv_cell(path_of("demo_r_pjangrp3"), "A,T,NR,TOTAL,AT", 2022)[0]
    expected = round(678390 / population * 1000, 1)
    assert one(table, "manufacturing_emp_per_1000", "AT", 2022)["value"] == expected
    sbs = pd.read_excel(path_of("sbs_manufacturing_2022"))
    de11 = sbs[sbs["NUTS_ID"] == "DE11"].set_index("Sector")["Empl_pers"]
    tech = sum(de11[c] for c in ("C20", "C21", "C26", "C27", "C28", "C29", "C30"))
    expected = round(tech / de11["C"] * 100, 1)
    assert one(table, "hightech_manufacturing_share", "DE11", 2022)["value"] == expected


def test_research_relabelled_from_nuts_2016(built):
    table, log, _ = built
    line = raw_line(path_of("rd_private"), "2015,AT11,2016,")
    assert one(table, "rd_business_eur_hab", "AT11", 2015)["value"] == float(line.split(",")[-1])
    assert not table.loc[table["indicator"] == "rd_business_eur_hab", "region"].isin(["HR04"]).any()
    entry = next(e for e in log if e["source"] == "rd_private" and "no same-territory" in e["message"])
    assert any(example.startswith("HR04 ") for example in entry["examples"])


def test_ris_units_at_their_own_level(built):
    table, _, _ = built
    ris = pd.read_excel(path_of("ris_2023"), sheet_name="RIS")
    summary = ris[(ris["Indicator"] == "0 Summary Innovation Index") & (ris["Year"] == 2023)]
    summary = summary.set_index("Region")
    assert one(table, "ris_summary", "DE3", 2023)["value"] == summary.loc["DE3", "Value"]
    assert one(table, "ris_summary", "DE30", 2023)["value"] == summary.loc["DE3", "Value"]
    assert one(table, "ris_summary", "CY00", 2023)["value"] == summary.loc["CY", "Value"]
    assert one(table, "ris_summary", "AT1", 2023)["value"] == summary.loc["AT1", "Value"]
    assert one(table, "ris_summary", "EU27_2020", 2016)["value"] == 100.0
    ris_rows = table[table["indicator"].str.startswith("ris_")]
    assert not ris_rows["region"].isin(["AT11", "AT12", "AT13", "FRC1"]).any()  # no copying down
    assert not ris_rows["region"].eq("NO0B").any()  # placeholder unit dropped


def test_rci_capital_areas_spread_with_flag_m(built):
    table, _, _ = built
    raw = pd.read_excel(path_of("rci_2022"), sheet_name="RCI_2022_raw_data").set_index("NUTS")
    for member in ("AT12", "AT13"):
        row = one(table, "rci_eqi_corruption", member, 2021)
        assert (row["value"], row["flag"]) == (raw.loc["AT_C", "Corruption"], "m")
    row = one(table, "rci_eqi_corruption", "AT11", 2021)
    assert (row["value"], row["flag"]) == (raw.loc["AT11", "Corruption"], "")
    expected = raw.loc["DE11", "Road transport performance"]
    assert one(table, "rci_road_accessibility", "DE11", 2018)["value"] == expected


def test_rci_capital_sheet_and_code_fixes():
    areas = read_rci_capital_areas(path_of("rci_2022"))
    assert set(areas) == {"AT_C", "BE_C", "CZ_C", "DE_C", "HR_C", "HU_C", "NL_C"}
    assert areas["BE_C"] == ("BE10", "BE24", "BE31")
    assert areas["NL_C"] == ("NL23", "NL32")
    sheet = pd.read_excel(path_of("rci_2022"), sheet_name="Info aggregated capital regions", header=None)
    assert set(CAPITAL_CODE_FIXES) <= {str(v).strip() for v in sheet.to_numpy().ravel()}


def test_rci_editions(built):
    table, _, _ = built
    line = raw_line(path_of("rci_evolution"), "Poland,PL90,").split(",")
    assert line[5] == "2019"
    value_2019 = float(line[7])
    for member in ("PL91", "PL92"):
        row = one(table, "rci_score", member, 2019)
        assert (row["value"], row["flag"]) == (value_2019, "m")
    austria = raw_line(path_of("rci_evolution"), "Austria,AT11,").split(",")
    assert one(table, "rci_score", "AT11", int(austria[5]))["value"] == float(austria[7])


def test_log_reports_unmapped_rows_per_source(built):
    _, log, _ = built
    dropped = {(e["source"], e["message"]): e for e in log if "no same-territory" in e["message"]}
    message = "unemployment_rate: rows dropped: region code has no same-territory NUTS 2021 code"
    entry = dropped[("tgs00010", message)]
    assert entry["count"] >= 42  # NL35, NL36, PT19, PT1A-PT1D, 2019-2024
    assert any(example.startswith("NL35 (6 rows)") for example in entry["examples"])
    assert all(e["count"] > 0 for e in log if "rows dropped" in e["message"])


# --- error paths through the whole build and the small readers ---------------------------------------


def test_build_reports_unknown_code_and_drops_it(tmp_path, codes):
    original = path_of("tgs00007")
    copy = tmp_path / original.name
    lines = original.read_text(encoding="utf-8").splitlines()
    fields = next(csv.reader([lines[1]]))
    fields[11], fields[12] = "QQ99", "Nowhere"
    lines.append(",".join(fields))
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log = BuildLog()
    table = build_indicators(lambda sid: copy if sid == "tgs00007" else resolve(sid), codes, log)
    assert not table["region"].eq("QQ99").any()
    entry = next(e for e in log if e["source"] == "tgs00007" and "no same-territory" in e["message"])
    assert any(example.startswith("QQ99 (1 rows)") for example in entry["examples"])


def test_build_stops_on_a_truncated_source(tmp_path, codes):
    original = path_of("tgs00010")
    cut = tmp_path / original.name
    text = original.read_text(encoding="utf-8")
    cut.write_text(text[: len(text) // 2], encoding="utf-8")  # ends in the middle of a line
    with pytest.raises(InputError) as err:
        build_indicators(lambda sid: cut if sid == "tgs00010" else resolve(sid), codes, BuildLog())
    assert err.value.path == str(cut)
    assert err.value.row is not None


def test_missing_source_file_is_an_input_error(tmp_path, codes):
    missing = tmp_path / "nothing.tsv.gz"
    with pytest.raises(InputError, match="cannot open"):
        build_indicators(lambda sid: missing if sid == "demo_r_pjangrp3" else resolve(sid), codes, BuildLog())


def test_research_reader_errors(tmp_path):
    path = tmp_path / "rd.csv"
    path.write_text("year,nuts_id,nuts_year_spec,v\n2015,AT11,2016,1.5\n2015,AT12,2021,2\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_rd_per_inhabitant(path, "v")
    assert (err.value.row, err.value.column) == (3, "nuts_year_spec")
    path.write_text("year,nuts_id,nuts_year_spec,v\n2015,AT11,2016,1.5\n2015,AT12,2016,x\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_rd_per_inhabitant(path, "v")
    assert (err.value.row, err.value.column) == (3, "v")
    path.write_text("year,nuts_id,nuts_year_spec,v\n2015,AT11,2016,1.5\n2015,AT12\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_rd_per_inhabitant(path, "v")
    assert err.value.row == 3
    with pytest.raises(InputError) as err:
        read_rd_per_inhabitant(path, "rd_private_eur_hab")
    assert err.value.column == "rd_private_eur_hab"
    table = read_rd_per_inhabitant(path_of("rd_government"), "rd_government_eur_hab")
    assert table["value"].isna().any()  # empty cells are missing values, not errors


def test_ris_reader_errors(tmp_path):
    path = tmp_path / "ris.xlsx"
    pd.DataFrame({"Indicator": ["0 Summary Innovation Index"], "Year": [2023], "Region": ["AT1"]}).to_excel(
        path, sheet_name="RIS", index=False)
    with pytest.raises(InputError) as err:
        read_ris(path)
    assert err.value.column == "Value"
    pd.DataFrame({"Indicator": ["x", "y"], "Year": [2023, 2023], "Region": ["AT1", "AT2"],
                  "Value": [1.0, "n.a."], "performance group": ["Strong", "Strong"]}).to_excel(
        path, sheet_name="RIS", index=False)
    with pytest.raises(InputError) as err:
        read_ris(path)
    assert (err.value.row, err.value.column) == (3, "Value")


def test_rci_evolution_errors(tmp_path, codes):
    path = tmp_path / "rci.csv"
    header = "Country,NUTS CODE 2016,merged regions_code,capital region,NUTS NAME,Year,Year z-score,value\n"
    path.write_text(header + "Austria,AT11,,other,AT11 - Burgenland,2019,RCI 2019 z-scores,zero\n",
                    encoding="utf-8")
    walk = read_nuts2016_crosswalk(path_of("nuts2021_classification"))
    with pytest.raises(InputError) as err:
        rci_evolution_scores(path, crosswalk_2016=walk, capital_areas={}, nuts2021_codes=codes,
                             log=BuildLog())
    assert (err.value.row, err.value.column) == (2, "value")
    path.write_text(header.replace("NUTS CODE 2016", "NUTS") + "Austria,AT11,,other,x,2019,x,0.1\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        rci_evolution_scores(path, crosswalk_2016=walk, capital_areas={}, nuts2021_codes=codes,
                             log=BuildLog())
    assert err.value.column == "NUTS CODE 2016"
