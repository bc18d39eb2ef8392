"""The strategy repository as tables: strategies, priorities, partnerships, co-membership.

The strategies browser shows two flat tables (one row per strategy, one per priority) filtered by
country, level, period, taxonomy term and free text; the partnership pages group the partnerships
by programme and count which members work together most. All functions are pure: the
``Observatory`` in, pandas out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

import pandas as pd

from observatory.geography import is_eu
from observatory.model import Observatory
from observatory.text import fold, matches_words

STRATEGY_COLUMNS = ["strategy_id", "country", "country_name", "territory_code", "territory_name", "level",
                    "territory_level", "period", "status", "superseded_by", "title", "title_en",
                    "authority", "priorities", "document_url", "source_url", "source_kind",
                    "last_checked", "confidence", "notes"]
PRIORITY_COLUMNS = ["priority_id", "strategy_id", "country", "country_name", "territory_code",
                    "territory_name", "level", "period", "status", "name", "description", "terms",
                    "term_labels", "confidence", "source_url", "source_kind"]


# -- tables --------------------------------------------------------------------------------------
def strategy_table(obs: Observatory) -> pd.DataFrame:
    """One row per strategy record, with its country name and number of priority records."""
    rows = obs.strategies.reset_index(drop=True)
    counts = obs.priorities.groupby("strategy_id").size()
    rows = rows.assign(
        country_name=rows["country"].map(obs.country_name),
        priorities=rows["strategy_id"].map(counts).fillna(0).astype(int),
    )
    return rows.sort_values(["country", "territory_level", "territory_code", "period_start"],
                            kind="stable")[STRATEGY_COLUMNS].reset_index(drop=True)


def priority_table(obs: Observatory) -> pd.DataFrame:
    """One row per priority, with its strategy's territory and period and its tags.

    ``terms``: the tag ids, ``;``-separated (all methods); ``term_labels``: readable tags, with
    automatic keyword tags marked "(auto)".
    """
    strategies = obs.strategies.reset_index(drop=True)[
        ["strategy_id", "country", "territory_code", "territory_name", "level", "period", "status"]]
    rows = obs.priorities.merge(strategies, on="strategy_id", how="left")
    rows["country_name"] = rows["country"].map(obs.country_name)
    tags = obs.priority_tags.merge(obs.terms[["term", "label"]].reset_index(drop=True), on="term", how="left")
    tags["shown"] = tags["term"].str.split(":", n=1).str[1] + " " + tags["label"].fillna("")
    tags.loc[tags["method"].isin(["keyword", "model"]), "shown"] += " (auto)"
    grouped = tags.groupby("priority_id", sort=False)
    rows["terms"] = rows["priority_id"].map(grouped["term"].agg(";".join)).fillna("")
    rows["term_labels"] = rows["priority_id"].map(grouped["shown"].agg("; ".join)).fillna("")
    return rows[PRIORITY_COLUMNS].reset_index(drop=True)


# -- filters -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RepositoryFilter:
    """What the strategies browser filters on; empty values do not filter."""

    countries: tuple[str, ...] = ()
    level: str | None = None  # "national" | "regional"
    period: str | None = None
    term: str | None = None  # "nace:C20", "fos:2.9", "policy:po1-research"
    text: str = ""
    status: str | None = None  # "current" | "superseded"


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"\s+", fold(text or "").strip()) if w]


def text_mask(texts: pd.Series, query: str) -> pd.Series:
    """Rows whose text contains every word of ``query`` (case and accents ignored)."""
    words = _words(query)
    folded = texts.fillna("").map(fold)
    mask = pd.Series(True, index=texts.index)
    for word in words:
        mask &= folded.str.contains(word, regex=False)
    return mask


def priorities_with_term(obs: Observatory, term: str) -> set[str]:
    """Ids of priorities tagged with ``term`` by any method (curated, implied section, keyword)."""
    tags = obs.priority_tags
    return set(tags.loc[tags["term"] == term, "priority_id"])


def _strategy_mask(table: pd.DataFrame, spec: RepositoryFilter) -> pd.Series:
    """Rows passing the filters on the strategy itself (country, level, period, status): both tables
    have them."""
    mask = pd.Series(True, index=table.index)
    if spec.countries:
        mask &= table["country"].isin(spec.countries)
    if spec.level:
        mask &= table["level"] == spec.level
    if spec.period:
        mask &= table["period"] == spec.period
    if spec.status:
        mask &= table["status"] == spec.status
    return mask


def filter_priorities(obs: Observatory, table: pd.DataFrame, spec: RepositoryFilter) -> pd.DataFrame:
    """The rows of :func:`priority_table` that pass every filter; text searches name and description."""
    mask = _strategy_mask(table, spec)
    if spec.term:
        mask &= table["priority_id"].isin(priorities_with_term(obs, spec.term))
    if spec.text:
        mask &= text_mask(table["name"] + " " + table["description"], spec.text)
    return table[mask]


def filter_strategies(obs: Observatory, table: pd.DataFrame, spec: RepositoryFilter) -> pd.DataFrame:
    """The rows of :func:`strategy_table` that pass every filter.

    A term keeps strategies with at least one priority tagged with it. Text keeps strategies whose
    title, territory or authority contains it, or that have a priority whose name or description does.
    """
    mask = _strategy_mask(table, spec)
    priorities = obs.priorities
    if spec.term:
        tagged = priorities["priority_id"].isin(priorities_with_term(obs, spec.term))
        mask &= table["strategy_id"].isin(priorities.loc[tagged, "strategy_id"])
    if spec.text:
        own = text_mask(table["title"] + " " + table["title_en"] + " " + table["territory_name"] + " "
                        + table["territory_code"] + " " + table["authority"], spec.text)
        hits = priorities.loc[text_mask(priorities["name"] + " " + priorities["description"], spec.text),
                              "strategy_id"]
        mask &= own | table["strategy_id"].isin(hits)
    return table[mask]


# -- filter options --------------------------------------------------------------------------------
def country_options(obs: Observatory) -> list[tuple[str, str]]:
    """(code, 'Name (code)') for every country with a strategy record, by name."""
    codes = sorted(set(obs.strategies["country"]))
    return sorted(((c, f"{obs.country_name(c)} ({c})") for c in codes), key=lambda x: x[1])


def period_options(obs: Observatory) -> list[str]:
    """The periods the records use, most common first (2021-2027, 2014-2020, then the rest)."""
    return obs.strategies["period"].value_counts().index.tolist()


def term_options(obs: Observatory) -> pd.DataFrame:
    """Terms used by at least one priority: term, scheme, code, label, priorities (count)."""
    used = obs.priority_tags.groupby("term")["priority_id"].nunique().rename("priorities")
    terms = obs.terms.reset_index(drop=True).merge(used, left_on="term", right_index=True)
    order = terms["scheme"].map({"nace": 0, "fos": 1, "policy": 2}).fillna(9)
    return terms.assign(_order=order).sort_values(["_order", "code"])[
        ["term", "scheme", "code", "label", "priorities"]].reset_index(drop=True)


# -- partnerships ----------------------------------------------------------------------------------
#: Programme families, matched on the start of the ``programme`` field, in display order.
PROGRAMME_FAMILIES = (
    ("S3 Thematic Platform", "S3 thematic platforms"),
    ("Vanguard Initiative", "Vanguard Initiative"),
    ("URBACT", "URBACT networks"),
    ("INTERREG", "Interreg networks"),
)
OTHER_FAMILY = "Other programmes"


#: Words that make a partnership one of the S3 thematic platforms' wherever they appear: a Vanguard
#: pilot adopted by a platform, or a thematic partnership whose platform the source does not name.
S3_PLATFORM_MARKERS = ("s3 thematic platform", "thematic smart specialisation partnership")


def programme_family(programme: str) -> str:
    """'S3 Thematic Platform: Energy' -> 'S3 thematic platforms' (also 'Vanguard Initiative (pilot) /
    S3 Thematic Platform: ...': the platform partnership it became); unknown -> 'Other programmes'."""
    key = fold(programme or "")
    if any(marker in key for marker in S3_PLATFORM_MARKERS):
        return PROGRAMME_FAMILIES[0][1]
    for prefix, family in PROGRAMME_FAMILIES:
        if key.startswith(fold(prefix)):
            return family
    return OTHER_FAMILY


def partnership_table(obs: Observatory) -> pd.DataFrame:
    """One row per partnership with its family, member counts and lead names, grouped for display.

    Columns: partnership_id, name, programme, family, theme, start_year, website_url, source_url,
    notes, members (member rows), located (members with a NUTS code), leads (names of lead and
    co-lead rows, '; '-joined).
    """
    rows = obs.partnerships.reset_index(drop=True)
    members = obs.members
    counts = members.groupby("partnership_id").size()
    located = members.dropna(subset=["nuts_code"]).groupby("partnership_id").size()
    leading = members[members["role"].isin(["lead", "co-lead"])]
    leads = leading.groupby("partnership_id")["region_name"].agg("; ".join)
    family_order = {family: i for i, (_, family) in enumerate(PROGRAMME_FAMILIES)}
    rows = rows.assign(
        family=rows["programme"].map(programme_family),
        members=rows["partnership_id"].map(counts).fillna(0).astype(int),
        located=rows["partnership_id"].map(located).fillna(0).astype(int),
        leads=rows["partnership_id"].map(leads).fillna(""),
    )
    rows["_order"] = rows["family"].map(family_order).fillna(len(family_order))
    rows = rows.sort_values(["_order", "programme", "name"], kind="stable").drop(columns="_order")
    return rows.reset_index(drop=True)


def filter_partnerships(table: pd.DataFrame, *, text: str = "", family: str | None = None,
                        programme: str | None = None) -> pd.DataFrame:
    """The rows of :func:`partnership_table` matching a search and the chosen family and programme.

    The search looks in the name, programme, theme, leads and notes, forgiving accents, case,
    hyphens and spaces ("bioeconomy" finds "Bio-Economy", "smart grids" finds "Smart Grids").
    """
    keep = pd.Series(True, index=table.index)
    if family:
        keep &= table["family"] == family
    if programme:
        keep &= table["programme"] == programme
    if text and text.strip():
        fields = table[["name", "programme", "theme", "leads", "notes"]].fillna("").astype(str)
        haystack = fields.agg(" ".join, axis=1)
        keep &= haystack.map(lambda value: matches_words(text, value))
    return table[keep]


def partnership_members(obs: Observatory, partnership_id: str) -> pd.DataFrame:
    """Member rows of one partnership, leads first, with the NUTS name and level of each code.

    Columns: region_name (as recorded), country, nuts_code (None when not located), nuts_name,
    nuts_level, role, as_of (date of the list the source gives, '' when not stated), confidence,
    notes, source_url, source_kind.
    """
    rows = obs.members[obs.members["partnership_id"] == partnership_id].copy()
    rows["nuts_name"] = rows["nuts_code"].map(
        lambda c: obs.regions.loc[c, "name_latn"] if isinstance(c, str) and c in obs.regions.index else None)
    rows["nuts_level"] = rows["nuts_code"].map(
        lambda c: len(c) - 2 if isinstance(c, str) else None).astype("Int64")
    rows["_role"] = rows["role"].map({"lead": 0, "co-lead": 1, "member": 2})
    rows = rows.sort_values(["_role", "country", "region_name"], kind="stable")
    columns = ["region_name", "country", "nuts_code", "nuts_name", "nuts_level", "role", "as_of",
               "confidence", "notes", "source_url", "source_kind"]
    return rows[columns].reset_index(drop=True)


def member_key(nuts_code: str | None, region_name: str, country: str) -> str:
    """Identity of a member across partnerships: its NUTS code, or its recorded name and country."""
    return nuts_code if isinstance(nuts_code, str) and nuts_code else f"{region_name} ({country})"


def co_membership(obs: Observatory) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Which members share partnerships: (pairs, members).

    ``pairs``: member_a, member_b, shared (number of partnerships both are in), partnerships
    (names, '; '-joined), most shared first. ``members``: key, label, country, eu, partnerships
    (count), sorted by count. A member is a recorded NUTS unit (or, without a code, a recorded
    name); a region and its sub-region are different members, exactly as the records list them.
    """
    rows = obs.members.assign(
        key=[member_key(c, n, k) for c, n, k in
             zip(obs.members["nuts_code"], obs.members["region_name"], obs.members["country"], strict=True)])
    rows = rows.drop_duplicates(["partnership_id", "key"])
    names = obs.partnerships["name"]
    counter: dict[tuple[str, str], list[str]] = {}
    for pid, keys in rows.groupby("partnership_id")["key"]:
        for a, b in combinations(sorted(keys), 2):
            counter.setdefault((a, b), []).append(str(names.get(pid, pid)))
    pairs = pd.DataFrame(
        [(a, b, len(p), "; ".join(sorted(p))) for (a, b), p in counter.items()],
        columns=["member_a", "member_b", "shared", "partnerships"],
    ).sort_values(["shared", "member_a", "member_b"], ascending=[False, True, True]).reset_index(drop=True)

    first = rows.drop_duplicates("key").set_index("key")
    labels = {key: (str(obs.regions.loc[key, "name_latn"]) if key in obs.regions.index
                    else str(first.loc[key, "region_name"])) for key in first.index}
    members = pd.DataFrame({
        "key": first.index,
        "label": [labels[k] for k in first.index],
        "country": first["country"].to_numpy(),
        "partnerships": rows.groupby("key").size().reindex(first.index).to_numpy(),
    })
    members["eu"] = members["country"].map(is_eu)
    members = members.sort_values(["partnerships", "key"], ascending=[False, True]).reset_index(drop=True)
    return pairs, members


def co_membership_matrix(pairs: pd.DataFrame, members: pd.DataFrame, top: int = 20) -> pd.DataFrame:
    """Square matrix of shared partnerships among the ``top`` members with the most partnerships.

    Index and columns are member keys; the diagonal holds each member's own partnership count.
    """
    keys = members["key"].head(top).tolist()
    matrix = pd.DataFrame(0, index=keys, columns=keys, dtype=int)
    chosen = pairs[pairs["member_a"].isin(keys) & pairs["member_b"].isin(keys)]
    for a, b, shared in zip(chosen["member_a"], chosen["member_b"], chosen["shared"], strict=True):
        matrix.loc[a, b] = matrix.loc[b, a] = int(shared)
    own = members.set_index("key")["partnerships"]
    for key in keys:
        matrix.loc[key, key] = int(own[key])
    return matrix
