"""R&D expenditure per inhabitant by sector, from Nesta's EURITO indicators (NUTS 2016, 2014-2018).

The two files (``rd_private_eur_hab.nuts2.csv``, ``rd_government_eur_hab.nuts2.csv``) are
Eurostat ``rd_e_gerdreg`` values (EUR per inhabitant, business enterprise and government sector)
re-published with columns ``year, nuts_id, nuts_year_spec, <value column>``. Every row must say
``nuts_year_spec = 2016``: the codes are then relabelled to NUTS 2021 by the NUTS 2016 crosswalk
(:mod:`observatory.ingest.crosswalk`), which is only valid for NUTS 2016 codes.

The files carry no status flags; empty cells are missing values.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from observatory.ingest.errors import InputError
from observatory.ingest.tabular import parse_flagged, read_csv_table

#: value column of each file, by source id in the catalogue.
VALUE_COLUMNS = {
    "rd_private": "rd_private_eur_hab",
    "rd_government": "rd_government_eur_hab",
}

EXPECTED_NUTS_VERSION = "2016"


def read_rd_per_inhabitant(path: Path, value_column: str) -> pd.DataFrame:
    """The long table ``geo`` (NUTS 2016 code), ``year``, ``value``, ``flag`` ('' throughout)."""
    path = Path(path)
    header, rows = read_csv_table(path, ("year", "nuts_id", "nuts_year_spec", value_column))
    year_i, geo_i = header.index("year"), header.index("nuts_id")
    version_i, value_i = header.index("nuts_year_spec"), header.index(value_column)
    geos: list[str] = []
    years: list[int] = []
    values = np.full(len(rows), np.nan)
    for n, (line_no, fields) in enumerate(rows):
        if fields[version_i].strip() != EXPECTED_NUTS_VERSION:
            raise InputError(path, f"NUTS version {fields[version_i]!r}, expected {EXPECTED_NUTS_VERSION}",
                             row=line_no, column="nuts_year_spec")
        year = fields[year_i].strip()
        if not year.isdigit() or len(year) != 4:
            raise InputError(path, f"{year!r} is not a year", row=line_no, column="year")
        geo = fields[geo_i].strip()
        if not geo:
            raise InputError(path, "empty region code", row=line_no, column="nuts_id")
        text = fields[value_i].strip()
        if text:
            parsed = parse_flagged(text)
            if parsed is None or parsed[1]:
                raise InputError(path, f"cannot parse {text!r} as a number", row=line_no, column=value_column)
            values[n] = parsed[0]
        geos.append(geo)
        years.append(int(year))
    return pd.DataFrame({
        "geo": pd.Series(geos, dtype=str),
        "year": pd.Series(years, dtype="int64"),
        "value": values,
        "flag": pd.Series([""] * len(rows), dtype=str),
    })
