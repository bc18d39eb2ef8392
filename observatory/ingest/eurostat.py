"""Readers for the four shapes in which Eurostat regional tables reach us.

Every reader returns the same long table so the indicator assembly never cares where a number
came from: one column per dimension code (``unit``, ``sex``, ``age``, ... always including
``geo``), then ``year`` (int), ``value`` (float64, NaN when Eurostat has no value) and ``flag``
(the Eurostat status letters as a string, ``""`` when none, e.g. ``"e"`` estimated, ``"p"``
provisional, ``"b"`` break in series, ``"u"`` low reliability, ``"d"`` definition differs,
``"c"`` confidential, ``"n"`` not significant, ``"z"`` not applicable).

Shapes:

* :func:`read_sdmx_csv` - SDMX-CSV 2.0 with labels (``STRUCTURE, STRUCTURE_ID, ..., geo, <label>,
  TIME_PERIOD, <label>, OBS_VALUE, <label>, OBS_FLAG, ...``). Which dimensions are present differs
  per dataset (tgs00007 has sex and age, tgs00010 isced11, sex, age and unit), so dimensions are
  recognised by their lower-case SDMX ids rather than listed.
* :func:`read_simple_csv` - plain ``freq,unit,geo,time,obs_value`` extracts.
* :func:`read_eurostat_tsv` - the bulk TSV download (first column ``freq,unit,geo\\TIME_PERIOD``
  or, in the older format, ``unit,nace_r2,age,geo\\time``; cells ``123.4 e`` or ``:``), plain or
  gzip-compressed. A ``where`` filter skips unwanted rows before any number is parsed, which keeps
  the 130 000-line population file fast.
* :func:`read_resaved_tsv` - a bulk table re-saved by a spreadsheet: comma-separated, columns
  ``unit,geo,2022,2021,...``, flags glued to the numbers (``100.0e``).

:func:`read_eurostat_table` sniffs the shape from the header line and dispatches, so a source read
from the staged copy (a plain or re-saved extract) and from a fresh download of its catalogue URL
(SDMX-CSV or bulk TSV) goes through the same code. :func:`read_sbs_manufacturing` reads the one
Eurostat extract that comes as a workbook.

Malformed input raises :class:`InputError` with the file, the 1-based line (header = line 1) and
the column: a row with fewer or more fields than the header (a truncated file), a missing
required column, a number that does not parse, a year that is not a year.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from observatory.ingest.errors import InputError
from observatory.ingest.tabular import merge_flags, parse_flagged, read_csv_table, read_lines

_DIMENSION_ID = re.compile(r"[a-z][a-z0-9_]*")
_YEAR = re.compile(r"\d{4}")

Where = Mapping[str, str | Collection[str]]


# --- shared pieces ----------------------------------------------------------------------------


def _year(path: Path, text: str, row: int, column: str) -> int:
    stripped = text.strip()
    if not _YEAR.fullmatch(stripped):
        raise InputError(path, f"{stripped!r} is not an annual time period", row=row, column=column)
    return int(stripped)


def _number(path: Path, text: str, row: int, column: str, *, empty_is_missing: bool) -> tuple[float, str]:
    if empty_is_missing and not text.strip():
        return np.nan, ""
    parsed = parse_flagged(text)
    if parsed is None:
        raise InputError(path, f"cannot parse {text.strip()!r} as a number", row=row, column=column)
    return parsed


def _normalise_where(path: Path, where: Where | None, dimensions: list[str]) -> dict[int, frozenset[str]]:
    """``{"sex": "T"}`` -> ``{index of sex: {"T"}}``; a dimension the file lacks is an input error."""
    wanted: dict[int, frozenset[str]] = {}
    for name, allowed in (where or {}).items():
        if name not in dimensions:
            raise InputError(path, f"required dimension missing (file has {', '.join(dimensions)})",
                             column=name)
        wanted[dimensions.index(name)] = frozenset([allowed] if isinstance(allowed, str) else allowed)
    return wanted


def _long_table(dimensions: list[str], keys: list[list[str]], years: list[int], values: list[float],
                flags: list[str]) -> pd.DataFrame:
    columns: dict[str, object] = {
        name: pd.Series([key[i] for key in keys], dtype=str) for i, name in enumerate(dimensions)
    }
    columns["year"] = pd.Series(years, dtype="int64")
    columns["value"] = pd.Series(values, dtype="float64")
    columns["flag"] = pd.Series(flags, dtype=str)
    return pd.DataFrame(columns)


def _read_csv_observations(
    path: Path,
    *,
    time_column: str,
    value_column: str,
    flag_columns: tuple[str, ...],
    dimension_filter,
) -> pd.DataFrame:
    """Common body of the two CSV readers: header checks, field counts, parsing."""
    path = Path(path)
    header, rows = read_csv_table(path, ("geo", time_column, value_column))
    dimensions = [name for name in header if dimension_filter(name)]
    dim_index = [header.index(name) for name in dimensions]
    time_i, value_i = header.index(time_column), header.index(value_column)
    flag_i = [(header.index(name), name) for name in flag_columns if name in header]
    keys: list[list[str]] = []
    years: list[int] = []
    values: list[float] = []
    flags: list[str] = []
    for line_no, fields in rows:
        keys.append([fields[i].strip() for i in dim_index])
        years.append(_year(path, fields[time_i], line_no, time_column))
        value, inline_flag = _number(path, fields[value_i], line_no, value_column, empty_is_missing=True)
        parts = [inline_flag]
        for i, name in flag_i:
            cell = fields[i].strip()
            if name == "CONF_STATUS":  # "C" is the SDMX 3 spelling of the old confidentiality flag "c"
                cell = "c" if cell == "C" else ""
            parts.append(cell)
        parts = [part for part in parts if part]
        values.append(value)
        flags.append(parts[0] if len(parts) == 1 else merge_flags(*parts))
    return _long_table(dimensions, keys, years, values, flags)


# --- public readers -----------------------------------------------------------------------------


def read_sdmx_csv(path: Path) -> pd.DataFrame:
    """An SDMX-CSV 2.0 file (with or without label columns) as the long table.

    Dimension columns are the lower-case SDMX ids (``freq``, ``unit``, ``geo``, ``sex``...); the
    label columns that follow each of them, the ``STRUCTURE*`` columns and ``CONF_STATUS`` are
    dropped (a ``C`` there becomes flag ``c``). ``OBS_FLAG`` is kept as given (``"bu"``).
    """
    return _read_csv_observations(
        path,
        time_column="TIME_PERIOD",
        value_column="OBS_VALUE",
        flag_columns=("OBS_FLAG", "CONF_STATUS"),
        dimension_filter=lambda name: bool(_DIMENSION_ID.fullmatch(name)),
    )


def read_simple_csv(path: Path) -> pd.DataFrame:
    """A plain ``freq,unit,geo,time,obs_value`` extract (any extra dimension columns kept)."""
    fixed = {"time", "obs_value", "obs_flag"}
    return _read_csv_observations(
        path,
        time_column="time",
        value_column="obs_value",
        flag_columns=("obs_flag",),
        dimension_filter=lambda name: name not in fixed,
    )


def read_eurostat_tsv(path: Path, where: Where | None = None) -> pd.DataFrame:
    """A Eurostat bulk TSV (new or old format, plain or gzip) as the long table.

    ``where`` keeps only rows whose dimensions take the given codes, e.g.
    ``{"sex": "T", "age": "TOTAL"}``; rows filtered out are still checked for their field count,
    so a truncated file is noticed wherever the damage is.
    """
    path = Path(path)
    lines = read_lines(path)
    try:
        _, header_line = next(lines)
    except StopIteration:
        raise InputError(path, "file is empty (no header line)", row=1) from None
    header = header_line.split("\t")
    first = header[0].strip()
    if "\\" not in first:
        raise InputError(path, "first header cell should read 'dimensions\\time', e.g. "
                         "'freq,unit,geo\\TIME_PERIOD'", row=1, column=first)
    dimensions = first.split("\\", 1)[0].split(",")
    if "geo" not in dimensions:
        raise InputError(path, "required dimension missing", column="geo")
    years = [_year(path, cell, 1, cell.strip()) for cell in header[1:]]
    year_names = [cell.strip() for cell in header[1:]]
    wanted = _normalise_where(path, where, dimensions)
    n_fields = len(header)
    keys: list[list[str]] = []
    out_years: list[int] = []
    values: list[float] = []
    flags: list[str] = []
    for line_no, line in lines:
        if not line.strip():
            continue
        if line.count("\t") != n_fields - 1:
            raise InputError(path, f"row has {line.count(chr(9)) + 1} fields but the header has {n_fields} "
                             "(truncated or malformed line)", row=line_no)
        cells = line.split("\t")
        key = cells[0].split(",")
        if len(key) != len(dimensions):
            raise InputError(path, f"key {cells[0]!r} does not have {len(dimensions)} parts", row=line_no,
                             column=first)
        if any(key[i] not in allowed for i, allowed in wanted.items()):
            continue
        for year, name, cell in zip(years, year_names, cells[1:], strict=True):
            value, flag = _number(path, cell, line_no, name, empty_is_missing=False)
            keys.append(key)
            out_years.append(year)
            values.append(value)
            flags.append(flag)
    return _long_table(dimensions, keys, out_years, values, flags)


def read_resaved_tsv(path: Path, where: Where | None = None) -> pd.DataFrame:
    """A bulk table re-saved by a spreadsheet (``unit,geo,2022,2021,...``; ``100.0e``) as the long table.

    The separator is whatever the header uses (comma in our copy, tab if re-saved as TSV).
    Leading columns that are not four-digit years are the dimensions.
    """
    path = Path(path)
    lines = read_lines(path)
    try:
        _, header_line = next(lines)
    except StopIteration:
        raise InputError(path, "file is empty (no header line)", row=1) from None
    separator = "\t" if "\t" in header_line else ","
    header = [cell.strip() for cell in header_line.split(separator)]
    dimensions = []
    for name in header:
        if _YEAR.fullmatch(name):
            break
        dimensions.append(name)
    if "geo" not in dimensions:
        raise InputError(path, "required column missing", column="geo")
    year_names = header[len(dimensions):]
    if not year_names:
        raise InputError(path, "no year columns after the dimension columns", row=1)
    years = [_year(path, name, 1, name) for name in year_names]
    wanted = _normalise_where(path, where, dimensions)
    n_dims = len(dimensions)
    keys: list[list[str]] = []
    out_years: list[int] = []
    values: list[float] = []
    flags: list[str] = []
    for line_no, line in lines:
        if not line.strip():
            continue
        cells = line.split(separator)
        if len(cells) != len(header):
            raise InputError(path, f"row has {len(cells)} fields but the header has {len(header)} "
                             "(truncated or malformed line)", row=line_no)
        key = [cell.strip() for cell in cells[:n_dims]]
        if any(key[i] not in allowed for i, allowed in wanted.items()):
            continue
        for year, name, cell in zip(years, year_names, cells[n_dims:], strict=True):
            value, flag = _number(path, cell, line_no, name, empty_is_missing=False)
            keys.append(key)
            out_years.append(year)
            values.append(value)
            flags.append(flag)
    return _long_table(dimensions, keys, out_years, values, flags)


SBS_COLUMNS = ("NUTS_ID", "Sector", "Time", "Empl_pers")


def read_sbs_manufacturing(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """The SBS extract of persons employed in manufacturing (``sbs_r_nuts2021``, NACE C and C10-C33).

    The workbook (one sheet: ``NUTS_ID, NUTS_NAME, Sector, Time, Empl_pers``) lists a few regions
    with no sector, year or value at all (the NUTS 2021 regions Eurostat no longer publishes for
    2022: NL31, NL33, PT16-PT18). Returns the long table (``geo, nace_r2, year, value, flag``;
    value NaN where not published) and the codes of those empty regions, for the build log.

    A fresh clone downloads the same selection from the Eurostat API instead (SDMX-CSV saved at the
    workbook's path): the file's first bytes say which it is, see :func:`_read_sbs_sdmx`.
    """
    path = Path(path)
    with path.open("rb") as handle:
        if handle.read(4) != b"PK\x03\x04":  # not a zip, so not a workbook
            return _read_sbs_sdmx(path), []
    try:
        raw = pd.read_excel(path, sheet_name=0)
    except (ValueError, KeyError, OSError) as exc:
        raise InputError(path, f"cannot read the workbook: {exc}") from exc
    for column in SBS_COLUMNS:
        if column not in raw.columns:
            raise InputError(path, "required column missing", column=column)
    geo = raw["NUTS_ID"].astype("string").str.strip()
    sector = raw["Sector"].astype("string").str.strip()
    empty = sector.isna() & raw["Time"].isna() & raw["Empl_pers"].isna()
    values = pd.to_numeric(raw["Empl_pers"], errors="coerce")
    for name, column, parsed in (("Empl_pers", raw["Empl_pers"], values),
                                 ("Time", raw["Time"], pd.to_numeric(raw["Time"], errors="coerce"))):
        bad = parsed.isna() & column.notna()
        if bad.any():
            index = int(bad.idxmax())
            raise InputError(path, f"cannot parse {column[index]!r} as a number", row=index + 2, column=name)
    for name, column in (("NUTS_ID", geo), ("Sector", sector), ("Time", raw["Time"])):
        lacking = column.isna() & ~empty
        if lacking.any():
            raise InputError(path, "value missing", row=int(lacking.idxmax()) + 2, column=name)
    data = ~empty
    table = pd.DataFrame({
        "geo": geo[data].astype(str),
        "nace_r2": sector[data].astype(str),
        "year": raw.loc[data, "Time"].astype("int64"),
        "value": values[data].astype("float64"),
        "flag": "",
    }).reset_index(drop=True)
    return table, sorted(geo[empty].astype(str))


#: NUTS 0 (``AT``) and NUTS 2 (``AT13``) codes, as in the workbook extract; NUTS 1 and the
#: extra-regio ``..ZZ`` units are left out of the API answer too.
_SBS_GEO = re.compile(r"[A-Z]{2}(?:[A-Z0-9]{2})?")


def _read_sbs_sdmx(path: Path) -> pd.DataFrame:
    """The catalogue's API query for ``sbs_r_nuts2021`` (SDMX-CSV) in the workbook reader's shape.

    Keeps persons employed in local units (``EMP_LOC_NR``) for NUTS 0 and NUTS 2 units, as the
    workbook extract does; an answer without NACE C, or with another indicator only, is an error.
    """
    table = read_sdmx_csv(path)
    for column in ("nace_r2", "geo"):
        if column not in table.columns:
            raise InputError(path, "required dimension missing", column=column)
    if "indic_sbs" in table.columns:
        table = table[table["indic_sbs"] == "EMP_LOC_NR"]
    table = table[table["geo"].str.fullmatch(_SBS_GEO) & ~table["geo"].str.endswith("ZZ")]
    if not (table["nace_r2"] == "C").any():
        raise InputError(path, "no persons employed in NACE C (indic_sbs EMP_LOC_NR) in the answer",
                         column="nace_r2")
    return table[["geo", "nace_r2", "year", "value", "flag"]].reset_index(drop=True)


# --- format sniffing ------------------------------------------------------------------------------

FORMATS = ("sdmx_csv", "simple_csv", "bulk_tsv", "resaved")


def sniff_format(path: Path) -> str:
    """Which of the four shapes a file has, from its header line (see the module docstring).

    Lets the build read a source whatever shape it arrives in: the staged copies of some tables are
    plain or re-saved extracts, while a fresh download from the catalogue URL is SDMX-CSV or bulk TSV.
    """
    path = Path(path)
    lines = read_lines(path)
    try:
        header = next(lines)[1]
    except StopIteration:
        header = None
    finally:
        lines.close()
    if header is None:
        raise InputError(path, "file is empty (no header line)", row=1)
    first = header.split("\t", 1)[0]
    if "\\" in first:
        return "bulk_tsv"
    names = [name.strip().strip('"') for name in header.split(",")]
    if "OBS_VALUE" in names:
        return "sdmx_csv"
    if "obs_value" in names:
        return "simple_csv"
    if "geo" in [name.strip() for name in header.replace("\t", ",").split(",")]:
        return "resaved"
    raise InputError(path, "unrecognised header: not SDMX-CSV, a plain extract or a Eurostat TSV", row=1)


def read_eurostat_table(path: Path, where: Where | None = None) -> pd.DataFrame:
    """Any of the four shapes as the long table, keeping only rows that match ``where``."""
    shape = sniff_format(path)
    if shape == "bulk_tsv":
        return read_eurostat_tsv(path, where)
    if shape == "resaved":
        return read_resaved_tsv(path, where)
    table = read_sdmx_csv(path) if shape == "sdmx_csv" else read_simple_csv(path)
    wanted = _normalise_where(Path(path), where, list(table.columns))
    for index, allowed in wanted.items():
        table = table[table[table.columns[index]].isin(allowed)]
    return table.reset_index(drop=True)
