"""NUTS 2021 regions: the classification (codes, levels, hierarchy) and the region table.

The region table joins three upstream views of the same units: the Eurostat classification
workbook (the authority on which codes exist), the GISCO boundary files (Latin and native names,
NUTS 3 typologies as GISCO codes them) and the GISCO label points.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from observatory.ingest.errors import InputError

CLASSIFICATION_SHEET = "NUTS & SR 2021"

#: GISCO typology codes (NUTS 3 only), decoded. 0 or missing means "not classified".
URBAN_RURAL = {1: "predominantly urban", 2: "intermediate", 3: "predominantly rural"}
COASTAL = {1: "coastal (on the coast)", 2: "coastal (half the population within 50 km)", 3: "non-coastal"}
MOUNTAIN = {
    1: "mountain (over half the surface in mountain areas)",
    2: "mountain (over half the population in mountain areas)",
    3: "mountain (over half the surface and population)",
    4: "non-mountain",
}

#: Extra-Regio units ("ZZ" codes) have no territory: no boundary, no statistics worth mapping.
EXTRA_REGIO_SUFFIX = "Z"


def read_nuts2021_codes(path: Path) -> frozenset[str]:
    """All NUTS 2021 codes (levels 0-3, every country in the workbook, Extra-Regio included)."""
    table = read_nuts2021_classification(path)
    return frozenset(table["nuts_id"])


def read_nuts2021_classification(path: Path) -> pd.DataFrame:
    """The classification sheet as a table: nuts_id, level, label (as Eurostat spells it).

    The workbook puts the label in the column of the unit's level ("Country", "NUTS level 1", ...);
    the statistical regions of EFTA/candidate countries share the sheet and are kept too.
    """
    try:
        raw = pd.read_excel(path, sheet_name=CLASSIFICATION_SHEET, dtype=str)
    except (ValueError, KeyError, OSError) as exc:  # missing sheet, not a workbook
        raise InputError(path, f"cannot read sheet {CLASSIFICATION_SHEET!r}: {exc}") from exc
    label_columns = ["Country", "NUTS level 1", "NUTS level 2", "NUTS level 3"]
    for column in ["Code 2021", "NUTS level", *label_columns]:
        if column not in raw.columns:
            raise InputError(path, "required column missing", column=column)
    rows = raw.dropna(subset=["Code 2021"])
    rows = rows.assign(**{"Code 2021": rows["Code 2021"].str.strip()})  # a few cells carry spaces
    rows = rows[rows["Code 2021"].str.fullmatch(r"[A-Z]{2}[A-Z0-9]{0,3}")]
    # The level follows from the code's length (2 letters + one character per level). The workbook
    # leaves the level blank for a few rows (BE328, BE329 in the 2021 edition): infer it there,
    # but a level that contradicts the code means the sheet is not what we think it is.
    implied = rows["Code 2021"].str.len() - 2
    stated = pd.to_numeric(rows["NUTS level"], errors="coerce")
    contradicting = rows[stated.notna() & (stated != implied)]
    unparsable = rows[rows["NUTS level"].notna() & stated.isna()]
    for bad in (unparsable, contradicting):
        if len(bad):
            raise InputError(
                path,
                f"NUTS level {bad['NUTS level'].iloc[0]!r} does not fit code {bad['Code 2021'].iloc[0]!r}",
                row=int(bad.index[0]) + 2,
                column="NUTS level",
            )
    levels = implied.astype(int)
    labels = [rows[label_columns[lvl]].iloc[i] for i, lvl in enumerate(levels)]
    out = pd.DataFrame({"nuts_id": rows["Code 2021"], "level": levels.to_numpy(), "label": labels})
    return out.reset_index(drop=True)


def parent_code(nuts_id: str, level: int) -> str | None:
    """The code of the ancestor at ``level`` (0 = country), or None when asked for a level not above."""
    length = 2 + level
    return nuts_id[:length] if len(nuts_id) > length else None


def build_region_table(
    geo_by_level: dict[int, pd.DataFrame],
    labels: pd.DataFrame,
    classification: pd.DataFrame,
    views: pd.Series,
) -> pd.DataFrame:
    """One row per mapped NUTS 2021 region, levels 0-3.

    ``geo_by_level``: the GISCO attribute tables (see ``boundaries.read_nuts_regions``);
    ``labels``: nuts_id, lon, lat; ``classification``: from :func:`read_nuts2021_classification`;
    ``views``: nuts_id -> named map view ("mainland", "canarias", ...).
    Every GISCO code must exist in the classification: a boundary file from another NUTS
    version would otherwise slip in unnoticed.
    """
    frames = []
    for level, geo in sorted(geo_by_level.items()):
        attrs = pd.DataFrame(geo.drop(columns="geometry", errors="ignore"))
        frames.append(attrs.assign(level=level))
    regions = pd.concat(frames, ignore_index=True)
    unknown = sorted(set(regions["nuts_id"]) - set(classification["nuts_id"]))
    if unknown:
        raise InputError(
            "gisco/nuts",
            f"{len(unknown)} boundary codes are not NUTS 2021 codes, e.g. {unknown[:5]}",
            column="NUTS_ID",
        )
    regions["country"] = regions["nuts_id"].str[:2]
    for lvl in (1, 2):
        regions[f"nuts{lvl}"] = [parent_code(code, lvl) for code in regions["nuts_id"]]
    regions["parent"] = [
        parent_code(code, lvl - 1) if lvl > 0 else None
        for code, lvl in zip(regions["nuts_id"], regions["level"], strict=True)
    ]
    for column, names in (("urbn_type", URBAN_RURAL), ("coast_type", COASTAL), ("mount_type", MOUNTAIN)):
        codes = pd.to_numeric(regions[column], errors="coerce")
        regions[column.replace("_type", "_typology")] = codes.map(names)
    regions = regions.merge(labels, on="nuts_id", how="left")
    regions["view"] = regions["nuts_id"].map(views).fillna("mainland")
    columns = [
        "nuts_id",
        "level",
        "country",
        "nuts1",
        "nuts2",
        "parent",
        "name_latn",
        "name_native",
        "urbn_typology",
        "coast_typology",
        "mount_typology",
        "lon",
        "lat",
        "view",
    ]
    return regions[columns].sort_values(["level", "nuts_id"]).reset_index(drop=True)
