"""The map's answers as lists: what a coloured map shows, as rows a person can read, sort and download.

A colour answers "where", never "which, how many, and why". For every map the same question gets
a table: the regions with their value or category (:func:`layer_rows`, also the map's text
alternative); and for the two questions users bring most, the evidence behind each colour: which
strategies and which of their priorities match a term (:func:`term_matches`), and which recorded
members of a partnership make a region a member (:func:`partnership_members`).

Every function takes what the map drew (a :class:`MapLayer`) or the same inputs the layer was
made from, so the list always equals the map.
"""

from __future__ import annotations

import math

import pandas as pd

from observatory.analysis.map_measures import DEFAULT_PERIOD, MapLayer, strategies_in_period
from observatory.model import Observatory

LAYER_COLUMNS = ["region", "name", "value", "flag", "rank", "category", "detail"]
TERM_COLUMNS = ["region", "name", "match", "strategy_id", "strategy", "strategy_level", "territory",
                "period", "priorities", "matching_priorities"]
MEMBER_COLUMNS = ["region", "name", "role", "members", "source_url"]


def layer_rows(layer: MapLayer, *, coloured_only: bool = True) -> pd.DataFrame:
    """The map as a table: one row per region drawn (only the coloured ones by default).

    Numbers are ranked (1 = highest, ties share the best rank) among the regions with a value and
    listed by rank; categories are listed in the legend's order, then by name.
    """
    frame = pd.DataFrame({"region": list(layer.regions), "name": list(layer.names)})
    if layer.values is not None:
        values = [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in layer.values]
        frame["value"] = pd.array(values, dtype="Float64")
        frame["flag"] = list(layer.flags) if layer.flags is not None else None
        frame["rank"] = frame["value"].rank(ascending=False, method="min").astype("Int64")
        frame["category"] = None
        frame["detail"] = None
        if coloured_only:
            frame = frame[frame["value"].notna()]
        frame = frame.sort_values(["rank", "name"], na_position="last")
    else:
        categories = list(layer.categories or [None] * len(frame))
        frame["value"] = pd.array([None] * len(frame), dtype="Float64")
        frame["flag"] = None
        frame["rank"] = pd.array([None] * len(frame), dtype="Int64")
        frame["category"] = categories
        frame["detail"] = list(layer.details) if layer.details is not None else None
        if coloured_only:
            frame = frame[frame["category"].notna()]
        order = {label: i for i, label in enumerate(layer.category_order)}
        frame = frame.assign(_order=frame["category"].map(order)).sort_values(["_order", "name"])
        frame = frame.drop(columns="_order")
    return frame[LAYER_COLUMNS].reset_index(drop=True)


def term_matches(obs: Observatory, term: str | None, level: int,
                 period: str = DEFAULT_PERIOD) -> pd.DataFrame:
    """Why each region is coloured for ``term``: one row per (region, matching strategy), with the
    strategy's title, level, territory and period, and the names of its matching priorities.

    ``match`` is "regional" when the strategy is a regional one (covering the region, containing
    it, or covering a part of it: a NUTS 3 strategy inside a NUTS 2 region), else "national".
    Exactly the regions :func:`observatory.analysis.map_measures.term_layer` colours.
    """
    if not term:
        return pd.DataFrame(columns=TERM_COLUMNS)
    matched = obs.matching_priorities(term)
    matched = matched[matched["strategy_id"].isin(strategies_in_period(obs, period))]
    if matched.empty:
        return pd.DataFrame(columns=TERM_COLUMNS)
    per_strategy = matched.groupby("strategy_id").agg(
        priorities=("priority_id", "size"),
        matching_priorities=("name", lambda names: "; ".join(sorted(set(map(str, names))))),
    ).reset_index()
    links = obs.strategy_links(level).merge(per_strategy, on="strategy_id")
    strategies = obs.strategies.reset_index(drop=True)
    links = links.merge(strategies[["strategy_id", "title", "title_en", "territory_code", "territory_name",
                                    "period"]], on="strategy_id", how="left")
    names = obs.regions["name_latn"]
    rows = pd.DataFrame({
        "region": links["region"].astype(str),
        "name": links["region"].map(names).astype(str),
        "match": links["level"].astype(str),
        "strategy_id": links["strategy_id"].astype(str),
        "strategy": links["title_en"].where(links["title_en"].astype(str) != "", links["title"]).astype(str),
        "strategy_level": links["level"].astype(str),
        "territory": links["territory_name"].astype(str) + " (" + links["territory_code"].astype(str) + ")",
        "period": links["period"].astype(str),
        "priorities": links["priorities"].astype(int),
        "matching_priorities": links["matching_priorities"],
    })
    return rows.sort_values(["match", "name", "strategy_id"], ascending=[False, True, True]).reset_index(
        drop=True)[TERM_COLUMNS]


def partnership_members(obs: Observatory, partnership: str | None, level: int) -> pd.DataFrame:
    """Why each region is coloured for a partnership: its best role and the members recorded in it
    (a member recorded at NUTS 3 makes its NUTS 2 region a member; a country, all its regions)."""
    if not partnership or partnership not in obs.partnerships.index:
        return pd.DataFrame(columns=MEMBER_COLUMNS)
    members = obs.members[obs.members["partnership_id"] == partnership].dropna(subset=["nuts_code"])
    at_level = obs.partnership_members_at(partnership, level)
    rows = []
    for region, role in zip(at_level["region"].astype(str), at_level["role"].astype(str), strict=True):
        mine = members[members["nuts_code"].map(lambda c, r=region: r.startswith(c) or c.startswith(r))]
        recorded = zip(mine["region_name"], mine["nuts_code"], mine["role"], strict=True)
        rows.append({"region": region, "name": str(obs.regions["name_latn"].get(region, region)),
                     "role": role, "members": "; ".join(f"{n} ({c}, {r})" for n, c, r in recorded),
                     "source_url": "; ".join(dict.fromkeys(mine["source_url"].astype(str)))})
    rank = {"lead": 0, "co-lead": 1, "member": 2}
    frame = pd.DataFrame(rows, columns=MEMBER_COLUMNS)
    return frame.sort_values(["role", "name"], key=lambda s: s.map(rank) if s.name == "role" else s) \
        .reset_index(drop=True)
