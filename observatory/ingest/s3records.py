"""Smart Specialisation records: strategies, priorities, partnerships and their members.

The records are facts compiled from public pages, so validation is strict: every territory code
must be a NUTS 2021 unit or a country, every priority must belong to a known strategy, every NACE
tag must be a NACE Rev.2 section or division, and every row must carry an http(s) ``source_url``.
A violation stops the build with the file, the row and the column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from observatory.ingest.errors import BuildLog, InputError
from observatory.ingest.tabular import read_text_frame

STRATEGY_COLUMNS = [
    "strategy_id",
    "territory_code",
    "territory_name",
    "level",
    "title",
    "title_en",
    "period",
    "document_url",
    "authority",
    "source_url",
    "notes",
]
PRIORITY_COLUMNS = [
    "priority_id",
    "strategy_id",
    "name",
    "description",
    "nace_sections",
    "source_url",
    "confidence",
]
PARTNERSHIP_COLUMNS = [
    "partnership_id",
    "name",
    "programme",
    "theme",
    "start_year",
    "website_url",
    "source_url",
    "notes",
]
MEMBER_COLUMNS = [
    "partnership_id",
    "region_name",
    "country",
    "nuts_code",
    "role",
    "source_url",
    "confidence",
    "notes",
]
ROLES = ("lead", "co-lead", "member")
URL_PATTERN = r"https?://\S+"


def read_records(path: Path, columns: list[str]) -> pd.DataFrame:
    """Read one records CSV as stripped text indexed by line number, checking its columns."""
    return read_text_frame(path, columns)[columns]


def _fail_where(path: Path, table: pd.DataFrame, bad: pd.Series, column: str, message: str) -> None:
    """Raise for the first row where ``bad`` holds, naming its line in the file and the column."""
    if bad.any():
        position = int(bad.to_numpy().nonzero()[0][0])
        value = table[column].iloc[position]
        raise InputError(path, f"{message}: {value!r}", row=int(table.index[position]), column=column)


def _require_url(path: Path, table: pd.DataFrame, column: str, *, optional: bool = False) -> None:
    values = table[column]
    ok = values.str.fullmatch(URL_PATTERN)
    if optional:
        ok |= values == ""
    _fail_where(path, table, ~ok, column, "not an http(s) URL")


def _require_unique(path: Path, table: pd.DataFrame, column: str) -> None:
    _fail_where(
        path, table, table[column].duplicated() | (table[column] == ""), column, "duplicate or empty id"
    )


def validate_strategies(path: Path, table: pd.DataFrame, nuts_codes: frozenset[str]) -> pd.DataFrame:
    """Strategies: unique ids, a known territory whose code length fits the stated level."""
    _require_unique(path, table, "strategy_id")
    _fail_where(
        path,
        table,
        ~table["level"].isin(["national", "regional"]),
        "level",
        "level must be national/regional",
    )
    _fail_where(
        path, table, ~table["territory_code"].isin(nuts_codes), "territory_code", "unknown NUTS 2021 code"
    )
    national = table["level"] == "national"
    _fail_where(
        path,
        table,
        national & (table["territory_code"].str.len() != 2),
        "territory_code",
        "a national strategy needs a country code",
    )
    _require_url(path, table, "source_url")
    _require_url(path, table, "document_url", optional=True)
    out = table.copy()
    out["country"] = out["territory_code"].str[:2]
    out["territory_level"] = out["territory_code"].str.len() - 2
    starts = pd.to_numeric(out["period"].str.extract(r"^(\d{4})")[0], errors="coerce")
    ends = pd.to_numeric(out["period"].str.extract(r"-(\d{4})$")[0], errors="coerce")
    _fail_where(path, table, starts.isna(), "period", "period must start with a year")
    out["period_start"] = starts.astype(int)
    out["period_end"] = ends.astype("Int64")
    return out


def validate_priorities(
    path: Path, table: pd.DataFrame, strategy_ids: set[str], nace_codes: set[str]
) -> pd.DataFrame:
    """Priorities: unique ids, an existing strategy, NACE tags that exist."""
    _require_unique(path, table, "priority_id")
    _fail_where(path, table, ~table["strategy_id"].isin(strategy_ids), "strategy_id", "unknown strategy")
    _require_url(path, table, "source_url")
    _fail_where(
        path,
        table,
        ~table["confidence"].isin(["high", "medium", "low"]),
        "confidence",
        "confidence must be high/medium/low",
    )
    tags = table["nace_sections"].str.split(";")
    unknown = tags.map(lambda codes: any(c.strip() not in nace_codes for c in codes if c.strip()))
    _fail_where(path, table, unknown, "nace_sections", "unknown NACE Rev.2 section or division")
    return table.copy()


def validate_partnerships(path: Path, table: pd.DataFrame) -> pd.DataFrame:
    """Partnerships: unique ids, a source URL, a plausible start year when given."""
    _require_unique(path, table, "partnership_id")
    _require_url(path, table, "source_url")
    _require_url(path, table, "website_url", optional=True)
    year = pd.to_numeric(table["start_year"].replace("", None), errors="coerce")
    _fail_where(path, table, (table["start_year"] != "") & year.isna(), "start_year", "unparsable year")
    out = table.copy()
    out["start_year"] = year.astype("Int64")
    return out


def validate_members(
    path: Path, table: pd.DataFrame, partnership_ids: set[str], nuts_codes: frozenset[str], log: BuildLog
) -> pd.DataFrame:
    """Members: a known partnership and role; a NUTS code that exists, or none (kept, logged)."""
    _fail_where(
        path, table, ~table["partnership_id"].isin(partnership_ids), "partnership_id", "unknown partnership"
    )
    _fail_where(path, table, ~table["role"].isin(ROLES), "role", f"role must be one of {ROLES}")
    _fail_where(
        path,
        table,
        (table["nuts_code"] != "") & ~table["nuts_code"].isin(nuts_codes),
        "nuts_code",
        "unknown NUTS 2021 code",
    )
    _require_url(path, table, "source_url")
    unlocated = table[table["nuts_code"] == ""]
    if len(unlocated):
        log.warn(
            str(path),
            "members without a NUTS code: listed on partnership pages, not on the map",
            count=len(unlocated),
            examples=(unlocated["partnership_id"] + ": " + unlocated["region_name"]).tolist(),
        )
    out = table.copy()
    out["nuts_code"] = out["nuts_code"].replace("", None)
    return out


def priority_nace_tags(priorities: pd.DataFrame, nace_terms: pd.DataFrame) -> pd.DataFrame:
    """One row per (priority, NACE term): the curated tags, plus each division's section.

    A priority tagged ``C20`` also matches a filter on section ``C``; that implied tag is marked
    ``method='implied-section'`` so users can tell it from the curator's own tag.
    """
    parents = dict(zip(nace_terms["code"], nace_terms["parent"], strict=True))
    rows = []
    for pid, codes in zip(priorities["priority_id"], priorities["nace_sections"], strict=True):
        explicit = [c.strip() for c in codes.split(";") if c.strip()]
        rows += [(pid, "nace:" + c, "curated", "") for c in explicit]
        implied = {parents[c] for c in explicit if isinstance(parents.get(c), str)} - set(explicit)
        rows += [(pid, "nace:" + s, "implied-section", "") for s in sorted(implied)]
    return pd.DataFrame(rows, columns=["priority_id", "term", "method", "evidence"])
