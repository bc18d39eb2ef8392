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
from observatory.text import EMAIL_PATTERN

STRATEGY_COLUMNS = [
    "strategy_id",
    "territory_code",
    "territory_name",
    "level",
    "title",
    "title_en",
    "period",
    "status",
    "superseded_by",
    "document_url",
    "authority",
    "source_url",
    "source_kind",
    "last_checked",
    "confidence",
    "notes",
]
PRIORITY_COLUMNS = [
    "priority_id",
    "strategy_id",
    "name",
    "description",
    "nace_sections",
    "source_url",
    "source_kind",
    "confidence",
    "notes",
]
PARTNERSHIP_COLUMNS = [
    "partnership_id",
    "name",
    "programme",
    "theme",
    "start_year",
    "status",
    "website_url",
    "source_url",
    "source_kind",
    "last_checked",
    "notes",
]
MEMBER_COLUMNS = [
    "partnership_id",
    "region_name",
    "country",
    "nuts_code",
    "role",
    "as_of",
    "source_url",
    "source_kind",
    "confidence",
    "notes",
]
CONTACT_COLUMNS = [
    "strategy_id",
    "office",
    "organisation",
    "web_url",
    "email",
    "source_url",
    "source_kind",
    "last_checked",
    "notes",
]
EXPECTED_COLUMNS = [
    "country",
    "territory_code",
    "territory_name",
    "level",
    "evidence_url",
    "source_kind",
    "notes",
]
#: The curated files, in the order the build reads them, with their agreed columns.
FILES = {
    "strategies": STRATEGY_COLUMNS,
    "priorities": PRIORITY_COLUMNS,
    "partnerships": PARTNERSHIP_COLUMNS,
    "partnership_members": MEMBER_COLUMNS,
    "contact_points": CONTACT_COLUMNS,
    "expected_territories": EXPECTED_COLUMNS,
}
SOURCE_KINDS = ("official", "eu", "secondary", "mirror")
#: Source kinds that can carry confidence "high": the publisher's own page, not a report of it.
FIRST_HAND_KINDS = ("official", "eu")
CONFIDENCES = ("high", "medium", "low")
STATUSES = ("current", "superseded")
PARTNERSHIP_STATUSES = ("active", "closed", "unknown")
PERIOD_PATTERN = r"(\d{4})?-(\d{4})?"
DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"
MONTH_OR_DATE_PATTERN = r"\d{4}-\d{2}(-\d{2})?"
ROLES = ("lead", "co-lead", "member")
URL_PATTERN = r"https?://\S+"


def read_records(path: Path, columns: list[str]) -> pd.DataFrame:
    """Read one records CSV as stripped text indexed by line number; its columns must be exactly
    the agreed ones, in order (a renamed or extra column is a curator's mistake, not data)."""
    table = read_text_frame(path, columns)
    if list(table.columns) != columns:
        extra = [c for c in table.columns if c not in columns]
        raise InputError(path, f"columns must be exactly {columns}; unexpected {extra}", row=1)
    return table[columns]


def _check_in(path: Path, table: pd.DataFrame, column: str, allowed: tuple[str, ...]) -> None:
    _fail_where(path, table, ~table[column].isin(allowed), column, f"must be one of {allowed}")


def _check_pattern(path: Path, table: pd.DataFrame, column: str, pattern: str, what: str) -> None:
    """Non-empty cells of ``column`` must match ``pattern`` in full (empty = unknown is fine)."""
    values = table[column]
    _fail_where(path, table, (values != "") & ~values.str.fullmatch(pattern), column, f"not {what}")


def _check_common(path: Path, table: pd.DataFrame) -> None:
    """Rules every curated file shares: a source URL and its kind, ISO dates, confidence."""
    if "source_url" in table:
        _require_url(path, table, "source_url")
    if "source_kind" in table:
        _check_in(path, table, "source_kind", SOURCE_KINDS)
    if "last_checked" in table:
        _check_pattern(path, table, "last_checked", DATE_PATTERN, "an ISO date (YYYY-MM-DD)")
        _fail_where(
            path, table, table["last_checked"] == "", "last_checked", "missing date the source was read"
        )
    if "confidence" in table:
        _check_in(path, table, "confidence", CONFIDENCES)
    if "confidence" in table and "source_kind" in table:
        # 'high' means an official or EU page with no stated doubt (README): a news item, a paper
        # or a document mirror can be right, but a reader should see that it is second-hand.
        second_hand = (table["confidence"] == "high") & ~table["source_kind"].isin(FIRST_HAND_KINDS)
        _fail_where(
            path, table, second_hand, "confidence",
            "'high' needs an official or EU source (use 'medium' for secondary or mirror sources)",
        )


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
    _require_url(path, table, "document_url", optional=True)
    _check_common(path, table)
    starts, ends = _check_periods(path, table)
    _check_dedup(path, table)
    _check_supersession(path, table)
    out = table.copy()
    out["country"] = out["territory_code"].str[:2]
    out["territory_level"] = out["territory_code"].str.len() - 2
    out["period_start"] = starts.astype("Int64")
    out["period_end"] = ends.astype("Int64")
    return out


def _check_periods(path: Path, table: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Periods: ``YYYY-YYYY`` with open ends allowed (``2019-``, ``-2030``), start <= end;
    an empty period only with a note saying why."""
    period = table["period"]
    _fail_where(
        path, table, (period != "") & ~period.str.fullmatch(PERIOD_PATTERN) | (period == "-"),
        "period", "period must be YYYY-YYYY (open ends like 2019- or -2030 allowed)",
    )
    _fail_where(
        path, table, (period == "") & (table["notes"] == ""), "period", "an empty period needs a note"
    )
    parts = period.str.extract(r"^(\d{4})?-(\d{4})?$")
    starts = pd.to_numeric(parts[0], errors="coerce")
    ends = pd.to_numeric(parts[1], errors="coerce")
    _fail_where(path, table, (starts > ends).fillna(False), "period", "period starts after it ends")
    return starts, ends


def _check_dedup(path: Path, table: pd.DataFrame) -> None:
    """The same strategy recorded twice: same territory, period and title."""
    key = table["territory_code"] + "|" + table["period"] + "|" + table["title"].str.casefold()
    _fail_where(path, table, key.duplicated(), "title", "same territory, period and title as an earlier row")


def _check_supersession(path: Path, table: pd.DataFrame) -> None:
    """status in (current, superseded); superseded_by only on a superseded row, naming another
    recorded strategy; no loop (A -> B -> A, or longer)."""
    _check_in(path, table, "status", STATUSES)
    successor = table["superseded_by"]
    _fail_where(
        path, table, (successor != "") & (table["status"] != "superseded"),
        "superseded_by", "superseded_by set on a strategy that is not superseded",
    )
    ids = set(table["strategy_id"])
    _fail_where(
        path, table, (successor != "") & ~successor.isin(ids), "superseded_by", "unknown strategy (orphan)"
    )
    _fail_where(path, table, successor == table["strategy_id"], "superseded_by", "superseded by itself")
    following = dict(zip(table["strategy_id"], successor, strict=True))
    looping = set()
    for start, first in following.items():
        seen, node = {start}, first
        while node:
            if node in seen:
                looping.add(start)
                break
            seen.add(node)
            node = following.get(node, "")
    _fail_where(
        path, table, table["strategy_id"].isin(looping), "superseded_by", "supersession loop"
    )


def validate_priorities(
    path: Path, table: pd.DataFrame, strategy_ids: set[str], nace_codes: set[str]
) -> pd.DataFrame:
    """Priorities: unique ids, an existing strategy, NACE tags that exist."""
    _require_unique(path, table, "priority_id")
    _fail_where(path, table, ~table["strategy_id"].isin(strategy_ids), "strategy_id", "unknown strategy")
    _check_common(path, table)
    tags = table["nace_sections"].str.split(";")
    unknown = tags.map(lambda codes: any(c.strip() not in nace_codes for c in codes if c.strip()))
    _fail_where(path, table, unknown, "nace_sections", "unknown NACE Rev.2 section or division")
    return table.copy()


def validate_partnerships(path: Path, table: pd.DataFrame) -> pd.DataFrame:
    """Partnerships: unique ids, a source URL, a plausible start year when given."""
    _require_unique(path, table, "partnership_id")
    _check_common(path, table)
    _check_in(path, table, "status", PARTNERSHIP_STATUSES)
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
    _check_common(path, table)
    _check_pattern(path, table, "as_of", MONTH_OR_DATE_PATTERN, "a date (YYYY-MM or YYYY-MM-DD)")
    key = table["partnership_id"] + "|" + table["nuts_code"].where(
        table["nuts_code"] != "", "name:" + table["region_name"]
    )
    _fail_where(path, table, key.duplicated(), "nuts_code", "member listed twice in the partnership")
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


def validate_contact_points(path: Path, table: pd.DataFrame, strategy_ids: set[str]) -> pd.DataFrame:
    """Contact points: a recorded strategy, an official page, a syntactically valid e-mail
    (only ever one the official page publishes: the file's README says so, the build cannot)."""
    orphan = ~table["strategy_id"].isin(strategy_ids)
    _fail_where(path, table, orphan, "strategy_id", "unknown strategy (orphan)")
    _fail_where(path, table, table["office"] == "", "office", "missing office name")
    _require_url(path, table, "web_url", optional=True)
    _check_pattern(path, table, "email", EMAIL_PATTERN, "a valid e-mail address")
    _check_common(path, table)
    key = table["strategy_id"] + "|" + table["office"]
    _fail_where(path, table, key.duplicated(), "office", "same strategy and office twice")
    return table.copy()


def validate_expected(path: Path, table: pd.DataFrame, nuts_codes: frozenset[str]) -> pd.DataFrame:
    """Expected territories: a NUTS 2021 code or a country, once each, with evidence."""
    _fail_where(
        path, table, ~table["territory_code"].isin(nuts_codes), "territory_code", "unknown NUTS 2021 code"
    )
    _check_in(path, table, "level", ("national", "regional"))
    _fail_where(
        path, table, table["territory_code"].str[:2] != table["country"], "country",
        "country differs from the territory code's country",
    )
    _fail_where(
        path, table, table["territory_code"].duplicated(), "territory_code", "territory listed twice"
    )
    _require_url(path, table, "evidence_url")
    _check_common(path, table)
    return table.copy()


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
