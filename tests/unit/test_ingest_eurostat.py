"""Eurostat readers on the real files: spot values read straight from the raw text, flags, errors."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from observatory.ingest.errors import InputError
from observatory.ingest.eurostat import (
    read_eurostat_table,
    read_eurostat_tsv,
    read_resaved_tsv,
    read_sbs_manufacturing,
    read_sdmx_csv,
    read_simple_csv,
    sniff_format,
)
from observatory.ingest.tabular import merge_flags, parse_flagged
from tests.support import path_of, raw_line


def value_at(frame, **where) -> tuple[float, str]:
    rows = frame
    for column, wanted in where.items():
        rows = rows[rows[column] == wanted]
    assert len(rows) == 1, f"{len(rows)} rows for {where}"
    return float(rows["value"].iloc[0]), rows["flag"].iloc[0]


# --- flagged numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123.4 e", (123.4, "e")),
        ("5400 p", (5400.0, "p")),
        ("69.9", (69.9, "")),
        ("100.0e", (100.0, "e")),  # re-saved: flag glued to the number
        ("108.9bep", (108.9, "bep")),
        ("-4.4", (-4.4, "")),
        ("2000 ", (2000.0, "")),
    ],
)
def test_parse_flagged_numbers(text, expected):
    assert parse_flagged(text) == expected


@pytest.mark.parametrize(("text", "flag"), [(":", ""), (": ", ""), (": c", "c"), (":bu", "bu")])
def test_parse_flagged_missing(text, flag):
    value, got = parse_flagged(text)
    assert math.isnan(value)
    assert got == flag


@pytest.mark.parametrize("text", ["abc", "12,3", "1.2.3", "", "e", "1e5"])
def test_parse_flagged_rejects_garbage(text):
    assert parse_flagged(text) is None


def test_merge_flags_is_a_sorted_union():
    assert merge_flags("b", "ue", "", "b") == "beu"
    assert merge_flags("", "") == ""


# --- SDMX-CSV 2.0 with labels -----------------------------------------------------------------


def test_sdmx_csv_spot_value_from_raw_line():
    path = path_of("tgs00007")
    line = raw_line(path, "dataflow,ESTAT:TGS00007(1.0),Employment rate (persons aged 15-64) by NUTS 2 "
                          "region,A,Annual,PC,Percentage,T,Total,Y15-64,From 15 to 64 years,"
                          "AT11,Burgenland,2013,")
    fields = next(csv.reader([line]))
    table = read_sdmx_csv(path)
    assert value_at(table, geo="AT11", year=2013) == (float(fields[15]), fields[17])
    assert value_at(table, geo="AT11", year=2013) == (69.9, "")


def test_sdmx_csv_dimension_columns_follow_the_file():
    employment = read_sdmx_csv(path_of("tgs00007"))
    unemployment = read_sdmx_csv(path_of("tgs00010"))
    assert list(employment.columns) == ["freq", "unit", "sex", "age", "geo", "year", "value", "flag"]
    assert list(unemployment.columns) == [
        "freq", "isced11", "sex", "age", "unit", "geo", "year", "value", "flag"]
    # tgs00007 holds one age class only: 15-64 (no 20-64 in this extract)
    assert set(employment["age"]) == {"Y15-64"}
    assert employment["value"].dtype == "float64"
    assert employment["year"].dtype == "int64"


def test_sdmx_csv_keeps_every_flag_as_given():
    path = path_of("tgs00010")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    table = read_sdmx_csv(path)
    flagged = [row for row in rows if row["OBS_FLAG"] and row["OBS_VALUE"]]
    assert {row["OBS_FLAG"] for row in flagged} >= {"b", "u", "bu", "d", "bd"}
    for row in flagged[:: max(1, len(flagged) // 25)]:
        value, flag = value_at(table, geo=row["geo"], year=int(row["TIME_PERIOD"]))
        assert (value, flag) == (float(row["OBS_VALUE"]), row["OBS_FLAG"])
    assert (table["flag"] != "").sum() == sum(1 for row in rows if row["OBS_FLAG"])


def test_sdmx_csv_confidential_values_are_missing_and_flagged_c():
    path = path_of("tgs00042")
    with path.open(encoding="utf-8") as handle:
        confidential = [row for row in csv.DictReader(handle) if row["CONF_STATUS"] == "C"]
    assert confidential
    table = read_sdmx_csv(path)
    row = confidential[0]
    value, flag = value_at(table, geo=row["geo"], year=int(row["TIME_PERIOD"]))
    assert math.isnan(value)
    assert "c" in flag


def test_sdmx_csv_reads_nuts_2024_and_2021_codes_as_they_are():
    table = read_sdmx_csv(path_of("tgs00010"))
    years = table.groupby("geo")["year"].agg(["min", "max"])
    assert (years.loc["NL31", "min"], years.loc["NL31", "max"]) == (2013, 2018)
    assert (years.loc["NL35", "min"], years.loc["NL35", "max"]) == (2019, 2024)
    assert years.loc["PT1A", "min"] == 2019


# --- plain freq,unit,geo,time,obs_value CSV -----------------------------------------------------


def test_simple_csv_spot_value():
    path = path_of("gdp_real")
    line = raw_line(path, "A,B1GQ,I15,DE11,2022,")
    table = read_simple_csv(path)
    assert list(table.columns) == ["freq", "na_item", "unit", "geo", "year", "value", "flag"]
    assert value_at(table, geo="DE11", year=2022) == (float(line.split(",")[-1]), "")


def test_simple_csv_pps_extract():
    path = path_of("gdp_pc_pps")
    line = raw_line(path, "A,PPS_EU27_2020_HAB,FR10,2022,")
    table = read_simple_csv(path)
    assert value_at(table, geo="FR10", year=2022)[0] == float(line.split(",")[-1]) == 57200.0


# --- bulk TSV ---------------------------------------------------------------------------------


def test_tsv_values_and_flags_from_raw_line():
    path = path_of("nama_10r_3gdp")
    header = raw_line(path, "freq,unit,geo\\TIME_PERIOD").split("\t")
    line = raw_line(path, "A,PPS_EU27_2020_HAB,DE11\t").split("\t")
    table = read_eurostat_tsv(path, where={"unit": "PPS_EU27_2020_HAB"})
    assert set(table["unit"]) == {"PPS_EU27_2020_HAB"}
    for year_cell, cell in zip(header[1:], line[1:], strict=True):
        number, _, flag = cell.strip().partition(" ")
        got = value_at(table, geo="DE11", year=int(year_cell))
        assert got == (float(number), flag)
    assert value_at(table, geo="DE11", year=2018) == (49600.0, "e")


def test_tsv_gzip_population_filtered():
    path = path_of("demo_r_pjangrp3")
    header = raw_line(path, "freq,sex,unit,age,geo\\TIME_PERIOD").split("\t")
    line = raw_line(path, "A,T,NR,TOTAL,EU27_2020\t").split("\t")
    table = read_eurostat_tsv(path, where={"sex": "T", "age": "TOTAL"})
    assert set(table["sex"]) == {"T"} and set(table["age"]) == {"TOTAL"}
    last_year, last_cell = int(header[-1]), line[-1].strip()
    number, _, flag = last_cell.partition(" ")
    assert value_at(table, geo="EU27_2020", year=last_year) == (float(number), flag)
    assert flag == "bep"
    assert value_at(table, geo="DE111", year=2014)[0] == 604297  # NUTS 3 rows are there


def test_tsv_old_format_with_descending_years_and_missing_flags():
    path = path_of("lfst_r_lfe2en2")
    header = raw_line(path, "unit,nace_r2,age,geo\\time").split("\t")
    assert header[1].strip() == "2015"  # years run backwards in this format
    table = read_eurostat_tsv(path, where={"age": "Y_GE15"})
    assert list(table.columns) == ["unit", "nace_r2", "age", "geo", "year", "value", "flag"]
    assert value_at(table, nace_r2="A", geo="FR10", year=2012) == (8.9, "u")
    assert value_at(table, nace_r2="A", geo="FR10", year=2008) == (12.4, "bu")
    missing = table[table["flag"].str.contains("c") & table["value"].isna()]
    assert len(missing) > 0  # ': c' cells: no value, confidential flag kept


def test_resaved_tsv_glued_flags():
    path = path_of("demo_r_d3dens")
    line = raw_line(path, "PER_KM2,EU27_2020,").split(",")
    table = read_resaved_tsv(path)
    assert list(table.columns) == ["unit", "geo", "year", "value", "flag"]
    assert value_at(table, geo="EU27_2020", year=2022) == (108.9, "bep")
    assert line[2] == "108.9bep"
    assert value_at(table, geo="AL", year=2019) == (99.1, "")
    assert math.isnan(value_at(table, geo="AL", year=1990)[0])


def test_sbs_manufacturing():
    table, empty = read_sbs_manufacturing(path_of("sbs_manufacturing_2022"))
    assert value_at(table, geo="AT", nace_r2="C", year=2022) == (678390.0, "")
    assert empty == ["NL31", "NL33", "PT16", "PT17", "PT18"]
    assert math.isnan(value_at(table, geo="SK04", nace_r2="C30", year=2022)[0])


@pytest.mark.parametrize(
    ("source_id", "shape"),
    [("tgs00007", "sdmx_csv"), ("nama_10r_2gdp", "sdmx_csv"), ("gdp_real", "simple_csv"),
     ("gdp_pc_pps_rel_eu", "simple_csv"), ("nama_10r_3gdp", "bulk_tsv"), ("demo_r_pjangrp3", "bulk_tsv"),
     ("lfst_r_lfe2en2", "bulk_tsv"), ("demo_r_d3dens", "resaved")],
)
def test_sniff_format(source_id, shape):
    assert sniff_format(path_of(source_id)) == shape


def test_read_eurostat_table_filters_every_shape():
    employment = read_eurostat_table(path_of("tgs00007"), where={"geo": ["AT11", "AT12"]})
    assert set(employment["geo"]) == {"AT11", "AT12"}
    density = read_eurostat_table(path_of("demo_r_d3dens"), where={"geo": "AL"})
    assert value_at(density, year=2022) == (100.0, "e")
    with pytest.raises(InputError) as err:
        read_eurostat_table(path_of("gdp_real"), where={"sex": "T"})
    assert err.value.column == "sex"


# --- error paths, on tiny hand-made files ---------------------------------------------------------

SDMX_HEADER = ("STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,freq,Time frequency,unit,Unit of measure,geo,"
               "Geopolitical entity (reporting),TIME_PERIOD,Time,OBS_VALUE,Observation value,OBS_FLAG,"
               "Observation status (Flag) V2 structure")
SDMX_ROW = "dataflow,ESTAT:X(1.0),X,A,Annual,PC,Percentage,AT11,Burgenland,2013,,{value},,{flag},"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sdmx_fixture_parses(tmp_path):
    path = write(tmp_path, "ok.csv", "\n".join([SDMX_HEADER, SDMX_ROW.format(value="1.5", flag="p")]) + "\n")
    table = read_sdmx_csv(path)
    assert value_at(table, geo="AT11", year=2013) == (1.5, "p")


def test_sdmx_truncated_row(tmp_path):
    good = SDMX_ROW.format(value="1.5", flag="")
    path = write(tmp_path, "cut.csv", "\n".join([SDMX_HEADER, good, good[:60]]) + "\n")
    with pytest.raises(InputError) as err:
        read_sdmx_csv(path)
    assert err.value.row == 3
    assert "cut.csv" in str(err.value)


def test_sdmx_missing_column(tmp_path):
    header = SDMX_HEADER.replace("OBS_VALUE", "VALUE")
    path = write(tmp_path, "nocol.csv", "\n".join([header, SDMX_ROW.format(value="1", flag="")]) + "\n")
    with pytest.raises(InputError) as err:
        read_sdmx_csv(path)
    assert err.value.column == "OBS_VALUE"


def test_sdmx_unparsable_number(tmp_path):
    rows = [SDMX_HEADER, SDMX_ROW.format(value="1.5", flag=""), SDMX_ROW.format(value="n/a", flag="")]
    path = write(tmp_path, "bad.csv", "\n".join(rows) + "\n")
    with pytest.raises(InputError) as err:
        read_sdmx_csv(path)
    assert (err.value.row, err.value.column) == (3, "OBS_VALUE")
    assert "bad.csv" in err.value.path and "'n/a'" in str(err.value)


def test_sdmx_time_period_not_a_year(tmp_path):
    row = SDMX_ROW.format(value="1", flag="").replace(",2013,", ",2013-Q1,")
    path = write(tmp_path, "quarter.csv", "\n".join([SDMX_HEADER, row]) + "\n")
    with pytest.raises(InputError) as err:
        read_sdmx_csv(path)
    assert (err.value.row, err.value.column) == (2, "TIME_PERIOD")


def test_empty_file(tmp_path):
    path = write(tmp_path, "empty.csv", "")
    with pytest.raises(InputError, match="empty"):
        read_sdmx_csv(path)
    with pytest.raises(InputError, match="empty"):
        sniff_format(path)


def test_unrecognised_header(tmp_path):
    path = write(tmp_path, "other.csv", "region,year,value\nAT11,2020,1\n")
    with pytest.raises(InputError) as err:
        sniff_format(path)
    assert err.value.row == 1


def test_simple_csv_missing_geo(tmp_path):
    path = write(tmp_path, "s.csv", "freq,unit,region,time,obs_value\nA,X,AT11,2020,1\n")
    with pytest.raises(InputError) as err:
        read_simple_csv(path)
    assert err.value.column == "geo"


def test_simple_csv_truncated(tmp_path):
    path = write(tmp_path, "s.csv", "freq,unit,geo,time,obs_value\nA,X,AT11,2020,1\nA,X,AT12\n")
    with pytest.raises(InputError) as err:
        read_simple_csv(path)
    assert err.value.row == 3


TSV_HEADER = "freq,unit,geo\\TIME_PERIOD\t2020 \t2021 "


def test_tsv_truncated_row(tmp_path):
    path = write(tmp_path, "t.tsv", f"{TSV_HEADER}\nA,NR,AT11\t1 \t2 \nA,NR,AT12\t1 \n")
    with pytest.raises(InputError) as err:
        read_eurostat_tsv(path)
    assert err.value.row == 3


def test_tsv_truncated_row_is_caught_even_when_filtered_out(tmp_path):
    path = write(tmp_path, "t.tsv", f"{TSV_HEADER}\nA,NR,AT11\t1 \t2 \nA,XX,AT12\t1 \n")
    with pytest.raises(InputError) as err:
        read_eurostat_tsv(path, where={"unit": "NR"})
    assert err.value.row == 3


def test_tsv_unparsable_number(tmp_path):
    path = write(tmp_path, "t.tsv", f"{TSV_HEADER}\nA,NR,AT11\t1 \t2,5 e\n")
    with pytest.raises(InputError) as err:
        read_eurostat_tsv(path)
    assert (err.value.row, err.value.column) == (2, "2021")


def test_tsv_missing_dimension(tmp_path):
    path = write(tmp_path, "t.tsv", "freq,unit,region\\TIME_PERIOD\t2020 \nA,NR,AT11\t1 \n")
    with pytest.raises(InputError) as err:
        read_eurostat_tsv(path)
    assert err.value.column == "geo"
    path = write(tmp_path, "u.tsv", f"{TSV_HEADER}\nA,NR,AT11\t1 \t2 \n")
    with pytest.raises(InputError) as err:
        read_eurostat_tsv(path, where={"sex": "T"})
    assert err.value.column == "sex"


def test_tsv_key_with_wrong_number_of_parts(tmp_path):
    path = write(tmp_path, "t.tsv", f"{TSV_HEADER}\nA,AT11\t1 \t2 \n")
    with pytest.raises(InputError) as err:
        read_eurostat_tsv(path)
    assert err.value.row == 2


def test_truncated_gzip(tmp_path):
    data = path_of("demo_r_pjanind3").read_bytes()
    path = tmp_path / "cut.tsv.gz"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(InputError) as err:
        read_eurostat_tsv(path)
    assert "truncated" in str(err.value)


def test_resaved_unparsable_and_truncated(tmp_path):
    header = "unit,geo,2022,2021"
    path = write(tmp_path, "d.tsv", f"{header}\nPER_KM2,AL,100.0e,1O1.0\n")
    with pytest.raises(InputError) as err:
        read_resaved_tsv(path)
    assert (err.value.row, err.value.column) == (2, "2021")
    path = write(tmp_path, "e.tsv", f"{header}\nPER_KM2,AL,100.0e,101\nPER_KM2,AL0,100.0e\n")
    with pytest.raises(InputError) as err:
        read_resaved_tsv(path)
    assert err.value.row == 3
    path = write(tmp_path, "f.tsv", "unit,region,2022\nPER_KM2,AL,1\n")
    with pytest.raises(InputError) as err:
        read_resaved_tsv(path)
    assert err.value.column == "geo"


def test_sbs_missing_column_and_bad_number(tmp_path):
    import pandas as pd

    path = tmp_path / "sbs.xlsx"
    pd.DataFrame({"NUTS_ID": ["AT"], "Sector": ["C"], "Time": [2022]}).to_excel(path, index=False)
    with pytest.raises(InputError) as err:
        read_sbs_manufacturing(path)
    assert err.value.column == "Empl_pers"
    pd.DataFrame({"NUTS_ID": ["AT", "BE"], "Sector": ["C", "C"], "Time": [2022, 2022],
                  "Empl_pers": [1, "many"]}).to_excel(path, index=False)
    with pytest.raises(InputError) as err:
        read_sbs_manufacturing(path)
    assert (err.value.row, err.value.column) == (3, "Empl_pers")
