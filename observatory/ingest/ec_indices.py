"""European Commission composite indices: Regional Innovation Scoreboard 2023 and the RCI.

**RIS 2023** (``RIS_2023.xlsx``, sheet 'RIS'; one row per indicator x year x unit; scores
relative to the EU in 2016 = 100). The scoreboard's units mix NUTS 2 regions, NUTS 1 regions
(Austria, Belgium, France, parts of Germany, Greece, Spain, Portugal, Finland, the UK) and whole
countries (Cyprus, Estonia, Latvia, Luxembourg, Malta). Each unit is attached to the NUTS 2021
codes it *is* (:func:`observatory.ingest.crosswalk.same_territory_codes`): a NUTS 1 unit stays at
its NUTS 1 code (``AT1``; its value is not copied to AT11-AT13), a unit with a single child is also
that child (``DE3`` = ``DE30`` Berlin, ``EE`` = ``EE0`` = ``EE00``), ``EU`` is ``EU27_2020``.
Kept: the summary innovation index and the 21 indicators the scoreboard publishes for every
regional unit (:data:`RIS_INDICATORS`); the other 11 indicators and the 12 dimension scores exist
for the five single-region countries and the EU only, and the '(SD)' context rows for five units.
Rows without a performance group are placeholders (Jan Mayen and Svalbard, NO0B, all zeros) and
are logged and dropped. ``ris/base_data_plus.xlsx`` (a NUTS 2 -> RIS unit table by the LOCALISED
paper's authors) is *not* used: it gives each NUTS 2 region its NUTS 1 unit, i.e. copies NUTS 1
values down, which is exactly what we avoid.

**RCI 2022** (``RCI_2022.xlsx``). The workbook holds the raw indicators of RCI 2.0, not the index
or its sub-index scores, so no RCI 2022 score is produced; a selection of regional indicators is
kept (:data:`RCI_2022_INDICATORS`), each dated by the last year of its reference period as the
'RCI_2022_indicators_descr' sheet states it ("Average 2019-2021" -> 2021). Seven capital regions are
merged with their commuting belt (AT_C ... NL_C, sheet 'Info aggregated capital regions'): the
merged value is assigned to every member NUTS 2 region with flag ``m`` ("value of the merged
capital area", not a Eurostat flag). The sheet writes the Belgian members as B10/B24/B31; they are
read as BE10/BE24/BE31 (:data:`CAPITAL_CODE_FIXES`).

**RCI editions 2010-2019** (``rci-indicator-evolution_raw.csv``): the RCI score (z-score) per
edition, NUTS 2016 codes, relabelled with the NUTS 2016 crosswalk. Its merged capital units AT00,
BE00, CZ00, DE00 and NL00 are taken to have the members of the 2022 capital areas (the 2022
workbook says the merging is done "as in the previous editions"), PL90 ("Warszawski stołeczny and
Mazowiecki regionalny") is PL91 + PL92; all get flag ``m``. UK00 (London and its commuting area)
has no documented member list here and is logged; FRY5 in 2019 is marked "not enough data" by the
source and is logged and dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from observatory.geography import EU_AGGREGATE
from observatory.ingest.crosswalk import Crosswalk, same_territory_codes, to_nuts2021
from observatory.ingest.errors import BuildLog, InputError
from observatory.ingest.tabular import parse_flagged, read_csv_table

TIDY_COLUMNS = ["region", "indicator", "year", "value", "flag"]

#: Flag for a value that belongs to a merged unit (an RCI capital area) and is repeated for each member.
MERGED_FLAG = "m"

# --- RIS 2023 -------------------------------------------------------------------------------------

RIS_SHEET = "RIS"

#: RIS indicator (exactly as the workbook names it) -> our indicator id.
RIS_INDICATORS: dict[str, str] = {
    "0 Summary Innovation Index": "ris_summary",
    "1.1.2 Population with tertiary education (Regional)": "ris_tertiary_education",
    "1.1.3 Population involved in lifelong learning (Regional)": "ris_lifelong_learning",
    "1.2.1 International scientific co-publications (Regional)": "ris_international_copublications",
    "1.2.2 Scientific publications among the top 10% most cited (Regional)": "ris_top_cited_publications",
    "1.3.2 Individuals with above basic overall digital skills (Regional)": "ris_digital_skills",
    "2.1.1 R&D expenditure in the public sector (Regional)": "ris_rd_public",
    "2.2.1 R&D expenditure in the business sector (Regional)": "ris_rd_business",
    "2.2.2 Non-R&D innovation expenditures (Regional)": "ris_non_rd_innovation_expenditure",
    "2.2.3 Innovation expenditures per person employed (Regional)": "ris_innovation_expenditure_per_employee",
    "2.3.2 Employed ICT specialists": "ris_ict_specialists",
    "3.1.1 SMEs introducing product innovations (Regional)": "ris_sme_product_innovators",
    "3.1.2 SMEs introducing business process innovations (Regional)": "ris_sme_process_innovators",
    "3.2.1 Innovative SMEs collaborating with others (Regional)": "ris_sme_collaborating",
    "3.2.2 Public-private co-publications (Regional)": "ris_public_private_copublications",
    "3.3.1 PCT patent applications (Regional)": "ris_pct_patents",
    "3.3.2 Trademark applications (Regional)": "ris_trademarks",
    "3.3.3 Design applications (Regional)": "ris_designs",
    "4.1.1 Employment in knowledge-intensive activities (Regional)": "ris_knowledge_intensive_employment",
    "4.1.2 Employment in innovative enterprises (Regional)": "ris_innovative_enterprise_employment",
    "4.2.3 Sales of new-to-market and new-to-firm innovations (Regional)": "ris_innovation_sales",
    "4.3.2 Air emissions by fine particulates (Regional)": "ris_fine_particulates",
}

RIS_EU_UNIT = "EU"


def read_ris(path: Path) -> pd.DataFrame:
    """The RIS sheet as ``unit, indicator, year, value, group`` (indicator = the workbook's name)."""
    path = Path(path)
    try:
        raw = pd.read_excel(path, sheet_name=RIS_SHEET)
    except (ValueError, KeyError, OSError) as exc:
        raise InputError(path, f"cannot read sheet {RIS_SHEET!r}: {exc}") from exc
    columns = {"Indicator": "indicator", "Year": "year", "Region": "unit", "Value": "value",
               "performance group": "group"}
    for column in columns:
        if column not in raw.columns:
            raise InputError(path, f"required column missing in sheet {RIS_SHEET!r}", column=column)
    table = raw[list(columns)].rename(columns=columns)
    table["value"] = _numeric_column(path, table["value"], "Value")
    table["year"] = _numeric_column(path, table["year"], "Year")
    if table["year"].isna().any():
        raise InputError(path, "year missing", row=int(table["year"].isna().idxmax()) + 2, column="Year")
    table["year"] = table["year"].astype("int64")
    for column in ("indicator", "unit", "group"):
        table[column] = table[column].astype("string").str.strip().fillna("").astype(str)
    return table


def _numeric_column(path: Path, column: pd.Series, name: str) -> pd.Series:
    """Spreadsheet cells as float64; a cell that is text and not a number names its Excel row."""
    numbers = pd.to_numeric(column, errors="coerce")
    bad = numbers.isna() & column.notna() & column.astype("string").str.strip().ne("")
    if bad.any():
        index = int(bad.idxmax())
        raise InputError(path, f"cannot parse {column[index]!r} as a number", row=index + 2, column=name)
    return numbers.astype("float64")


def ris_unit_regions(units: Sequence[str], nuts2021_codes: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """RIS unit -> the NUTS 2021 codes of the same territory (empty when the unit is unknown)."""
    out: dict[str, tuple[str, ...]] = {}
    for unit in units:
        if unit == RIS_EU_UNIT:
            out[unit] = (EU_AGGREGATE,)
        elif unit in nuts2021_codes:
            out[unit] = same_territory_codes(unit, nuts2021_codes)
        else:
            out[unit] = ()
    return out


def ris_indicators(
    path: Path, nuts2021_codes: frozenset[str], log: BuildLog, source: str = "ris_2023"
) -> pd.DataFrame:
    """The kept RIS series in the tidy shape, one row per NUTS 2021 code the unit covers."""
    table = read_ris(path)
    missing = sorted(set(RIS_INDICATORS) - set(table["indicator"]))
    if missing:
        raise InputError(path, f"indicators missing from sheet {RIS_SHEET!r}: {missing}", column="Indicator")
    table = table[table["indicator"].isin(RIS_INDICATORS)]
    placeholder = (table["group"] == "") & (table["unit"] != RIS_EU_UNIT)
    if placeholder.any():
        units = Counter(table.loc[placeholder, "unit"])
        log.warn(source, "rows dropped: unit without a performance group (placeholder values)",
                 count=int(placeholder.sum()), examples=[f"{u} ({n} rows)" for u, n in units.items()])
    table = table[~placeholder & table["value"].notna()]
    regions = ris_unit_regions(sorted(table["unit"].unique()), nuts2021_codes)
    unknown = table["unit"].map(lambda unit: not regions[unit])
    if unknown.any():
        units = Counter(table.loc[unknown, "unit"])
        log.warn(source, "rows dropped: RIS unit is not a NUTS 2021 code", count=int(unknown.sum()),
                 examples=[f"{u} ({n} rows)" for u, n in units.most_common(20)])
    table = table[~unknown]
    expanded = {unit: codes for unit, codes in regions.items() if len(codes) > 1}
    if expanded:
        log.warn(source, "RIS units also assigned to the NUTS codes of the same territory (single-child "
                 "units)", count=len(expanded),
                 examples=[f"{u} -> {', '.join(c[1:])}" for u, c in sorted(expanded.items())])
    out = table.assign(region=table["unit"].map(regions)).explode("region")
    out = out.assign(indicator=out["indicator"].map(RIS_INDICATORS), flag="")
    return out[TIDY_COLUMNS].reset_index(drop=True)


# --- RCI 2022 -------------------------------------------------------------------------------------

RCI_RAW_SHEET = "RCI_2022_raw_data"
RCI_DESCRIPTION_SHEET = "RCI_2022_indicators_descr"
RCI_CAPITALS_SHEET = "Info aggregated capital regions"

#: RCI 2022 raw indicator (column of the raw-data sheet, stripped) -> our indicator id.
RCI_2022_INDICATORS: dict[str, str] = {
    "Corruption": "rci_eqi_corruption",
    "Quality and accountability": "rci_eqi_quality",
    "Impartiality": "rci_eqi_impartiality",
    "Individuals who used the internet for interaction with public authorities": "rci_egov_interaction",
    "Road transport performance": "rci_road_accessibility",
    "Rail transport performance": "rci_rail_accessibility",
    "Accessibility to passenger flights": "rci_passenger_flights",
    "Lifelong learning": "rci_lifelong_learning",
    "Early school leavers": "rci_early_school_leavers",
    "Human Resources in Science and Technology": "rci_hrst",
    "Employment (K-N sectors)": "rci_kn_employment",
    "Labour productivity": "rci_labour_productivity",
    "Disposable income per capita": "rci_disposable_income",
}

#: Member codes the capital sheet misspells -> the NUTS 2021 code meant (Belgian provinces).
CAPITAL_CODE_FIXES = {"B10": "BE10", "B24": "BE24", "B31": "BE31"}

_MERGED_UNIT = re.compile(r"[A-Z]{2}_C")


def _squash(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip()


def read_rci_capital_areas(path: Path) -> dict[str, tuple[str, ...]]:
    """Merged RCI capital unit (``AT_C``) -> its NUTS 2021 member regions, from the workbook."""
    path = Path(path)
    try:
        raw = pd.read_excel(path, sheet_name=RCI_CAPITALS_SHEET, header=None, dtype=str)
    except (ValueError, KeyError, OSError) as exc:
        raise InputError(path, f"cannot read sheet {RCI_CAPITALS_SHEET!r}: {exc}") from exc
    header_rows = [i for i in range(len(raw)) if "RCI 2.0 2022 Code" in {_squash(v) for v in raw.iloc[i]}]
    if not header_rows:
        raise InputError(path, f"no header row in sheet {RCI_CAPITALS_SHEET!r}", column="RCI 2.0 2022 Code")
    header_row = header_rows[0]
    names = [_squash(v) for v in raw.iloc[header_row]]
    for column in ("RCI 2.0 2022 Code", "NUTS2 2021 Code"):
        if column not in names:
            raise InputError(path, f"required column missing in sheet {RCI_CAPITALS_SHEET!r}", column=column)
    unit_i, member_i = names.index("RCI 2.0 2022 Code"), names.index("NUTS2 2021 Code")
    areas: dict[str, list[str]] = {}
    unit = None
    for i in range(header_row + 1, len(raw)):
        cell_unit, cell_member = raw.iat[i, unit_i], raw.iat[i, member_i]
        if isinstance(cell_unit, str) and cell_unit.strip():
            unit = cell_unit.strip()
            if not _MERGED_UNIT.fullmatch(unit):
                raise InputError(path, f"unexpected merged unit code {unit!r}", row=i + 1,
                                 column="RCI 2.0 2022 Code")
        if not (isinstance(cell_member, str) and cell_member.strip()):
            continue
        member = CAPITAL_CODE_FIXES.get(cell_member.strip(), cell_member.strip())
        if unit is None or not re.fullmatch(r"[A-Z]{2}[A-Z0-9]{2}", member):
            raise InputError(path, f"unexpected member code {cell_member!r}", row=i + 1,
                             column="NUTS2 2021 Code")
        areas.setdefault(unit, []).append(member)
    return {unit: tuple(members) for unit, members in areas.items()}


def read_rci_reference_years(path: Path) -> dict[str, int]:
    """Indicator name -> the last year of its reference period ("Average 2019–2021" -> 2021)."""
    path = Path(path)
    try:
        raw = pd.read_excel(path, sheet_name=RCI_DESCRIPTION_SHEET, header=None, dtype=str)
    except (ValueError, KeyError, OSError) as exc:
        raise InputError(path, f"cannot read sheet {RCI_DESCRIPTION_SHEET!r}: {exc}") from exc
    header_rows = [i for i in range(len(raw)) if "Indicator name" in {_squash(v) for v in raw.iloc[i]}]
    if not header_rows:
        raise InputError(path, f"no header row in sheet {RCI_DESCRIPTION_SHEET!r}", column="Indicator name")
    names = [_squash(v) for v in raw.iloc[header_rows[0]]]
    if "Reference year" not in names:
        raise InputError(path, f"required column missing in sheet {RCI_DESCRIPTION_SHEET!r}",
                         column="Reference year")
    name_i, year_i = names.index("Indicator name"), names.index("Reference year")
    years: dict[str, int] = {}
    for i in range(header_rows[0] + 1, len(raw)):
        name, period = raw.iat[i, name_i], raw.iat[i, year_i]
        if not isinstance(name, str) or not name.strip():
            continue
        found = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", str(period))]
        if not found:
            raise InputError(path, f"no year in reference period {period!r}", row=i + 1,
                             column="Reference year")
        years[_squash(name)] = max(found)
    return years


def rci_2022_indicators(path: Path, log: BuildLog, source: str = "rci_2022") -> pd.DataFrame:
    """The kept RCI 2022 raw indicators in the tidy shape; capital areas spread to members (flag m)."""
    path = Path(path)
    try:
        raw = pd.read_excel(path, sheet_name=RCI_RAW_SHEET)
    except (ValueError, KeyError, OSError) as exc:
        raise InputError(path, f"cannot read sheet {RCI_RAW_SHEET!r}: {exc}") from exc
    raw.columns = [_squash(c) for c in raw.columns]
    for column in ("NUTS", *RCI_2022_INDICATORS):
        if column not in raw.columns:
            raise InputError(path, f"required column missing in sheet {RCI_RAW_SHEET!r}", column=column)
    years = read_rci_reference_years(path)
    capitals = read_rci_capital_areas(path)
    frames = []
    for column, indicator in RCI_2022_INDICATORS.items():
        if column not in years:
            raise InputError(path, f"indicator {column!r} not described in sheet {RCI_DESCRIPTION_SHEET!r}",
                             column="Indicator name")
        values = _numeric_column(path, raw[column], column)
        frames.append(pd.DataFrame({"unit": raw["NUTS"].astype(str).str.strip(), "indicator": indicator,
                                    "year": years[column], "value": values}))
    table = pd.concat(frames, ignore_index=True)
    table = table[table["value"].notna()]
    return _spread_merged_units(table, capitals, source, log)


def _spread_merged_units(table: pd.DataFrame, merged: Mapping[str, Sequence[str]], source: str,
                         log: BuildLog) -> pd.DataFrame:
    """unit -> region: a merged unit's row becomes one row per member with flag ``m``."""
    is_merged = table["unit"].isin(merged)
    if is_merged.any():
        log.warn(source, "merged capital-area values assigned to each member region (flag 'm')",
                 count=int(is_merged.sum()),
                 examples=[f"{u} -> {', '.join(merged[u])}"
                           for u in sorted(set(table.loc[is_merged, "unit"]))])
    spread = table[is_merged].assign(region=table.loc[is_merged, "unit"].map(lambda u: list(merged[u])))
    spread = spread.explode("region").assign(flag=MERGED_FLAG)
    plain = table[~is_merged].assign(region=table.loc[~is_merged, "unit"], flag="")
    out = pd.concat([plain, spread], ignore_index=True)
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    return out[TIDY_COLUMNS]


# --- RCI editions 2010-2019 -----------------------------------------------------------------------

RCI_SCORE_ID = "rci_score"

#: Merged capital units of the 2010-2019 editions -> the 2022 capital area with the same members.
EVOLUTION_CAPITAL_AREAS = {"AT00": "AT_C", "BE00": "BE_C", "CZ00": "CZ_C", "DE00": "DE_C", "NL00": "NL_C"}
#: PL90 is Mazowieckie before its NUTS 2016 split: exactly PL91 + PL92 (the source names both).
EVOLUTION_PL90 = ("PL91", "PL92")
EVOLUTION_PL90_NAMES = ("Warszawski stołeczny", "Mazowiecki regionalny")
NOT_ENOUGH_DATA = "not enough data"


def rci_evolution_scores(
    path: Path,
    *,
    crosswalk_2016: Crosswalk,
    capital_areas: Mapping[str, Sequence[str]],
    nuts2021_codes: frozenset[str],
    log: BuildLog,
    source: str = "rci_evolution",
) -> pd.DataFrame:
    """RCI scores (z-scores) of the 2010, 2013, 2016 and 2019 editions in the tidy shape."""
    path = Path(path)
    required = ("NUTS CODE 2016", "merged regions_code", "NUTS NAME", "Year", "value")
    header, rows = read_csv_table(path, required)
    code_i, merged_i, name_i = header.index("NUTS CODE 2016"), header.index("merged regions_code"), \
        header.index("NUTS NAME")
    year_i, value_i = header.index("Year"), header.index("value")
    merged_members: dict[str, tuple[str, ...]] = {
        old: tuple(capital_areas[new]) for old, new in EVOLUTION_CAPITAL_AREAS.items() if new in capital_areas
    }
    records = []
    dropped: Counter = Counter()
    for line_no, fields in rows:
        code, merged, name = fields[code_i].strip(), fields[merged_i].strip(), fields[name_i]
        year = fields[year_i].strip()
        if not re.fullmatch(r"\d{4}", year):
            raise InputError(path, f"{year!r} is not a year", row=line_no, column="Year")
        parsed = parse_flagged(fields[value_i]) if fields[value_i].strip() else (np.nan, "")
        if parsed is None or parsed[1]:
            raise InputError(path, f"cannot parse {fields[value_i]!r} as a number", row=line_no,
                             column="value")
        if np.isnan(parsed[0]):
            continue
        if merged == NOT_ENOUGH_DATA:
            dropped[f"{code}: marked '{NOT_ENOUGH_DATA}' by the source"] += 1
            continue
        if code == "PL90":
            if not all(part in name for part in EVOLUTION_PL90_NAMES):
                raise InputError(path, f"PL90 is not the merged Mazowieckie unit here: {name!r}", row=line_no,
                                 column="NUTS NAME")
            members: tuple[str, ...] = EVOLUTION_PL90
        elif merged and code == merged:
            if code not in merged_members:
                dropped[f"{code}: merged unit without a documented member list"] += 1
                continue
            members = merged_members[code]
        else:
            members = ()
        records.append({"geo": code, "members": members, "year": int(year), "value": parsed[0]})
    if dropped:
        log.warn(source, "rows dropped", count=sum(dropped.values()),
                 examples=[f"{what} ({n} rows)" for what, n in dropped.items()])
    table = pd.DataFrame.from_records(records)
    is_merged = table["members"].map(len) > 0
    plain = to_nuts2021(table[~is_merged].drop(columns="members").assign(flag=""), source=source,
                        crosswalks=(crosswalk_2016,), nuts2021_codes=nuts2021_codes, log=log)
    merged_rows = table[is_merged].rename(columns={"geo": "unit"})
    merged_map = dict(zip(merged_rows["unit"], merged_rows["members"], strict=False))
    spread = _spread_merged_units(merged_rows.drop(columns="members").assign(indicator=RCI_SCORE_ID),
                                  merged_map, source, log)
    return pd.concat([plain.assign(indicator=RCI_SCORE_ID)[TIDY_COLUMNS], spread], ignore_index=True)
