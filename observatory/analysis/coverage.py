"""What the data covers, country by country, with the gaps kept distinct from zeros.

A missing strategy record means "not compiled", never "this region has no strategy"; a missing
indicator value means "not published", never 0. The tables here therefore count what *is*
recorded and label every status in words, so the about page can show a gap as a gap.
"""

from __future__ import annotations

import pandas as pd

from observatory.analysis.repository import PROGRAMME_FAMILIES, programme_family
from observatory.geography import EU27
from observatory.model import Observatory

#: Words with which the records' curator marks a list as incomplete (the notes are shown in full too).
PARTIAL_MARKERS = ("partial", "incomplete")


def strategy_status(national: int, regional: int) -> str:
    """A country's record status in words."""
    if national and regional:
        return "national and regional strategy records"
    if national:
        return "national strategy record only"
    if regional:
        return "regional strategy records only"
    return "no strategy record (gap)"


def is_partial(notes: str) -> bool:
    """True when a record's notes say its list is partial (the curator's own words)."""
    text = (notes or "").casefold()
    return any(marker in text for marker in PARTIAL_MARKERS)


def _nuts2_touched(nuts2: pd.Series, codes: pd.Series) -> set[str]:
    """NUTS 2 codes that are, lie within, or contain one of ``codes`` (any level)."""
    touched = {code[:4] for code in codes if len(code) >= 4}
    wider = [code for code in codes if len(code) < 4]
    if wider:
        touched |= set(nuts2[nuts2.str.startswith(tuple(wider))])
    return touched & set(nuts2)


def country_coverage(obs: Observatory) -> pd.DataFrame:
    """One row per country in the boundary files (EU members first), counting what is recorded.

    Columns: country, name, eu, nuts2_regions, national_strategies, regional_strategies,
    strategies_with_priorities, strategies_without_priorities, priorities, partial_priority_lists,
    nuts2_regional (NUTS 2 regions covered wholly or partly by a regional strategy),
    nuts2_national_only, nuts2_no_record, partnership_rows (member rows located in the country),
    nuts2_in_partnership, status.
    """
    countries = obs.regions_at(0)["nuts_id"].astype(str).tolist()
    nuts2 = obs.regions_at(2)["nuts_id"].astype(str)
    links = obs.strategy_links(2)
    regional = set(links.loc[links["level"] == "regional", "region"])
    national = set(links.loc[links["level"] == "national", "region"])
    touched = _nuts2_touched(nuts2, obs.members["nuts_code"].dropna().astype(str))
    regions = pd.DataFrame({
        "country": [c[:2] for c in nuts2],
        "regional": [c in regional for c in nuts2],
        "national_only": [c in national and c not in regional for c in nuts2],
        "no_record": [c not in national and c not in regional for c in nuts2],
        "partnership": [c in touched for c in nuts2],
    })
    by_region = regions.groupby("country").agg(
        nuts2_regions=("country", "size"), nuts2_regional=("regional", "sum"),
        nuts2_national_only=("national_only", "sum"), nuts2_no_record=("no_record", "sum"),
        nuts2_in_partnership=("partnership", "sum"))

    prio_counts = obs.priorities.groupby("strategy_id").size()
    strategies = pd.DataFrame({
        "country": obs.strategies["country"].astype(str).to_numpy(),
        "national": (obs.strategies["level"] == "national").to_numpy(),
        "regional": (obs.strategies["level"] == "regional").to_numpy(),
        "priorities": obs.strategies["strategy_id"].map(prio_counts).fillna(0).astype(int).to_numpy(),
        "partial": [is_partial(str(n)) for n in obs.strategies["notes"]],
    })
    strategies["with_priorities"] = strategies["priorities"] > 0
    strategies["without_priorities"] = ~strategies["with_priorities"]
    strategies["partial_list"] = strategies["partial"] & strategies["with_priorities"]
    by_strategy = strategies.groupby("country").agg(
        national_strategies=("national", "sum"), regional_strategies=("regional", "sum"),
        strategies_with_priorities=("with_priorities", "sum"),
        strategies_without_priorities=("without_priorities", "sum"),
        priorities=("priorities", "sum"), partial_priority_lists=("partial_list", "sum"))
    member_rows = obs.members["country"].astype(str).value_counts()

    table = pd.DataFrame({"country": countries})
    table["name"] = [obs.country_name(c) for c in countries]
    table["eu"] = [c in EU27 for c in countries]
    table = table.join(by_region, on="country").join(by_strategy, on="country")
    table["partnership_rows"] = table["country"].map(member_rows)
    counts = [c for c in table.columns if c not in ("country", "name", "eu")]
    table[counts] = table[counts].fillna(0).astype(int)
    table["status"] = [strategy_status(n, r) for n, r in
                       zip(table["national_strategies"], table["regional_strategies"], strict=True)]
    order = ["country", "name", "eu", "nuts2_regions", "national_strategies", "regional_strategies",
             "strategies_with_priorities", "strategies_without_priorities", "priorities",
             "partial_priority_lists", "nuts2_regional", "nuts2_national_only", "nuts2_no_record",
             "partnership_rows", "nuts2_in_partnership", "status"]
    return table.sort_values(["eu", "name"], ascending=[False, True])[order].reset_index(drop=True)


def coverage_totals(obs: Observatory) -> dict[str, int]:
    """Headline counts for the about page."""
    nuts2 = obs.regions_at(2)
    links = obs.strategy_links(2)
    regional = set(links.loc[links["level"] == "regional", "region"])
    with_priorities = set(links.loc[links["strategy_id"].isin(obs.priorities["strategy_id"]), "region"])
    eu_nuts2 = nuts2[nuts2["country"].isin(EU27)]["nuts_id"]
    has_priorities = obs.strategies["strategy_id"].isin(obs.priorities["strategy_id"])
    return {
        "strategies": len(obs.strategies),
        "national_strategies": int((obs.strategies["level"] == "national").sum()),
        "regional_strategies": int((obs.strategies["level"] == "regional").sum()),
        "strategies_with_priorities": int(has_priorities.sum()),
        "priorities": len(obs.priorities),
        "partnerships": len(obs.partnerships),
        "member_rows": len(obs.members),
        "member_rows_unlocated": int(obs.members["nuts_code"].isna().sum()),
        "eu_nuts2_regions": len(eu_nuts2),
        "eu_nuts2_with_regional_strategy": int(eu_nuts2.isin(regional).sum()),
        "eu_nuts2_with_priorities": int(eu_nuts2.isin(with_priorities).sum()),
    }


def strategies_without_priorities(obs: Observatory) -> pd.DataFrame:
    """Strategy records for which no priority was recorded: the largest visible gap in the records."""
    missing = ~obs.strategies["strategy_id"].isin(obs.priorities["strategy_id"])
    return obs.strategies.loc[missing, ["strategy_id", "territory_code", "territory_name", "level", "period",
                                        "notes"]].reset_index(drop=True)


def indicator_coverage(obs: Observatory) -> pd.DataFrame:
    """Per indicator and level, in its latest year with EU values: EU regions with a value, with a
    zero, and without a value.

    ``missing`` counts EU regions of that level without a value (a gap, not a zero).
    """
    columns = ["indicator", "label", "level", "year", "eu_regions", "with_value", "zero_values", "missing"]
    regions = obs.regions[obs.regions["country"].isin(EU27)]
    eu_per_level = regions.groupby("level").size()
    values = obs.values[obs.values["region"].isin(regions.index) & obs.values["value"].notna()]
    if values.empty:
        return pd.DataFrame(columns=columns)
    values = values.assign(level=values["level"].astype(int))
    latest = values.groupby(["indicator", "level"])["year"].max().rename("latest").reset_index()
    rows = values.merge(latest, on=["indicator", "level"])
    rows = rows[rows["year"] == rows["latest"]]
    table = rows.groupby(["indicator", "level"]).agg(
        year=("year", "first"),
        with_value=("region", "nunique"),
        zero_values=("value", lambda v: int((v == 0).sum())),
    ).reset_index()
    table["eu_regions"] = table["level"].map(eu_per_level).astype(int)
    table["missing"] = table["eu_regions"] - table["with_value"]
    labels = obs.catalogue["label"] if "label" in obs.catalogue.columns else pd.Series(dtype=str)
    table["label"] = table["indicator"].map(labels).fillna(table["indicator"])
    order = {indicator: i for i, indicator in enumerate(obs.catalogue.index)}
    table = table.assign(_order=table["indicator"].map(order)).sort_values(["_order", "level"])
    return table[columns].reset_index(drop=True)


def sources_table(obs: Observatory) -> pd.DataFrame:
    """Every source the build read, with its licence and attribution (from the build manifest).

    ``origin`` is the publisher's page where ``url`` is a pinned copy; ``pinned`` is False for a live
    Eurostat query or an unverified copy, whose hash was recorded rather than checked (both are None
    in manifests written before they were recorded).
    """
    sources = obs.manifest.get("sources", [])
    return pd.DataFrame(sources, columns=["id", "path", "url", "origin", "pinned", "licence", "attribution",
                                          "sha256", "matches_catalogue"])


# -- the curated S3 records: expected vs recorded, and where the rows come from ------------------
#: The source kinds of the curated records, in the order they are shown.
SOURCE_KINDS = ("official", "eu", "secondary", "mirror")


def current_strategies(strategies: pd.DataFrame) -> pd.DataFrame:
    """Strategies of the current (2021-2027) period: ``status == 'current'`` (the curated column;
    see curated/s3/README.md for the rule that fills it)."""
    return strategies[strategies["status"] == "current"]


def _covers(recorded: set[str], code: str) -> bool:
    """A recorded territory covers an expected one when it is the same, or one lies within the
    other (a strategy coded at NUTS 1 for a single-region NUTS 1, or at NUTS 3 within NUTS 2)."""
    return any(r == code or r.startswith(code) or code.startswith(r) for r in recorded)


def records_coverage(
    strategies: pd.DataFrame,
    priorities: pd.DataFrame,
    contact_points: pd.DataFrame,
    expected: pd.DataFrame,
    members: pd.DataFrame,
) -> pd.DataFrame:
    """Expected vs recorded, one row per country of the expected list or the records.

    Columns: country; national_expected, national_recorded (a current national S3 is recorded);
    regional_expected (territories known to have a current regional S3), regional_recorded (of
    those, how many have a current regional strategy recorded), regional_missing (their codes);
    current_strategies, current_with_priorities, current_with_contact (current strategies with a
    priority list / with a contact point); partnerships_with_members (partnerships with at least
    one member row located in the country).
    """
    current = current_strategies(strategies)
    with_priorities = set(priorities["strategy_id"])
    with_contact = set(contact_points["strategy_id"])
    countries = sorted(set(expected["country"]) | set(current["territory_code"].str[:2]))
    rows = []
    for country in countries:
        here = current[current["territory_code"].str[:2] == country]
        regional_codes = set(here.loc[here["level"] == "regional", "territory_code"])
        exp = expected[expected["country"] == country]
        exp_regional = exp.loc[exp["level"] == "regional", "territory_code"].tolist()
        missing = [code for code in exp_regional if not _covers(regional_codes, code)]
        located = members[members["nuts_code"].fillna("").str[:2] == country]
        rows.append({
            "country": country,
            "national_expected": bool((exp["level"] == "national").any()),
            "national_recorded": bool((here["level"] == "national").any()),
            "regional_expected": len(exp_regional),
            "regional_recorded": len(exp_regional) - len(missing),
            "regional_missing": ";".join(missing),
            "current_strategies": len(here),
            "current_with_priorities": int(here["strategy_id"].isin(with_priorities).sum()),
            "current_with_contact": int(here["strategy_id"].isin(with_contact).sum()),
            "partnerships_with_members": located["partnership_id"].nunique(),
        })
    return pd.DataFrame(rows)


def records_totals(  # noqa: PLR0917 (the six records tables, as records_coverage takes them)
    strategies: pd.DataFrame,
    priorities: pd.DataFrame,
    contact_points: pd.DataFrame,
    expected: pd.DataFrame,
    partnerships: pd.DataFrame,
    members: pd.DataFrame,
) -> dict[str, float]:
    """Headline figures of the records: counts and shares (0-1) over the current strategies."""
    table = records_coverage(strategies, priorities, contact_points, expected, members)
    current = len(current_strategies(strategies))
    with_members = partnerships["partnership_id"].isin(set(members["partnership_id"]))
    return {
        "current_strategies": current,
        "national_recorded": int(table["national_recorded"].sum()),
        "national_expected": int(table["national_expected"].sum()),
        "regional_recorded": int(table["regional_recorded"].sum()),
        "regional_expected": int(table["regional_expected"].sum()),
        "share_current_with_priorities": (
            table["current_with_priorities"].sum() / current if current else 0.0
        ),
        "share_current_with_contact": table["current_with_contact"].sum() / current if current else 0.0,
        "partnerships": len(partnerships),
        "s3_thematic_partnerships": int(
            (partnerships["programme"].fillna("").map(programme_family) == S3_PLATFORMS).sum()
        ),
        "partnerships_with_members": int(with_members.sum()),
    }


#: The programme family of the thematic smart specialisation partnerships proper.
S3_PLATFORMS = PROGRAMME_FAMILIES[0][1]
PARTNERSHIP_COVERAGE_COLUMNS = ["family", "partnerships", "with_members", "with_lead", "with_dated_list",
                                "status_known", "member_rows"]


def partnership_coverage(partnerships: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """How complete the partnership records are, per programme family (S3 thematic platforms first).

    Columns: family, partnerships, with_members (at least one member row), with_lead (a lead or
    co-lead row), with_dated_list (a member row whose ``as_of`` gives the date of its source's list),
    status_known (active or closed, not unknown), member_rows. A last row "All" sums them.
    """
    table = partnerships.reset_index(drop=True)
    family = table["programme"].fillna("").map(programme_family)
    ids = table["partnership_id"]
    dated = members[members["as_of"].fillna("").astype(str) != ""]
    leads = members[members["role"].isin(["lead", "co-lead"])]
    rows = pd.DataFrame({
        "family": family,
        "partnerships": 1,
        "with_members": ids.isin(set(members["partnership_id"])).astype(int),
        "with_lead": ids.isin(set(leads["partnership_id"])).astype(int),
        "with_dated_list": ids.isin(set(dated["partnership_id"])).astype(int),
        "status_known": table["status"].isin(["active", "closed"]).astype(int),
        "member_rows": ids.map(members.groupby("partnership_id").size()).fillna(0).astype(int),
    })
    order = {name: i for i, (_, name) in enumerate(PROGRAMME_FAMILIES)}
    out = rows.groupby("family", sort=False).sum().reset_index()
    out = out.sort_values("family", key=lambda f: f.map(order).fillna(len(order)), kind="stable")
    total = out.drop(columns="family").sum().to_frame().T.assign(family="All")
    return pd.concat([out, total], ignore_index=True)[PARTNERSHIP_COVERAGE_COLUMNS]


def observatory_partnership_coverage(obs: Observatory) -> pd.DataFrame:
    """:func:`partnership_coverage` on a loaded build."""
    return partnership_coverage(obs.partnerships, obs.members)


def source_kind_shares(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows by ``source_kind`` per records file: file, source_kind, rows, share (0-1 of the file).

    Every kind is listed for every file (0 rows included), so a missing kind reads as none.
    """
    rows = []
    for name, table in tables.items():
        counts = table["source_kind"].value_counts()
        total = len(table)
        for kind in SOURCE_KINDS:
            n = int(counts.get(kind, 0))
            rows.append({"file": name, "source_kind": kind, "rows": n, "share": n / total if total else 0.0})
    return pd.DataFrame(rows, columns=["file", "source_kind", "rows", "share"])


def observatory_records_coverage(obs: Observatory) -> pd.DataFrame:
    """:func:`records_coverage` on a loaded build (what /about/data shows per country)."""
    return records_coverage(
        obs.strategies, obs.priorities, obs.contact_points, obs.expected_territories, obs.members
    )


def observatory_records_totals(obs: Observatory) -> dict[str, float]:
    """:func:`records_totals` on a loaded build."""
    return records_totals(
        obs.strategies, obs.priorities, obs.contact_points, obs.expected_territories,
        obs.partnerships, obs.members,
    )


def observatory_source_kinds(obs: Observatory) -> pd.DataFrame:
    """:func:`source_kind_shares` of the records in a loaded build, one block per file."""
    return source_kind_shares({
        "strategies": obs.strategies,
        "priorities": obs.priorities,
        "partnerships": obs.partnerships,
        "partnership_members": obs.members,
        "contact_points": obs.contact_points,
        "expected_territories": obs.expected_territories,
    })
