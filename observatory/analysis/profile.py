"""Region profile queries: where a region sits, which strategies cover it, what they prioritise,
which partnerships it is in, and how it stands on the headline figures.

Everything here is a pure function of the ``Observatory`` and a region code, returning pandas
frames or small frozen dataclasses, so the profile page, exports and tests share the same answers.
Missing knowledge stays visible: a strategy without priority records, a partial list, a region
without a value are returned as such, never filled in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from observatory.geography import country_of, is_eu, nuts_level
from observatory.model import Observatory, Region

#: Order in which tag schemes and methods are shown: the curator's NACE tags first.
SCHEME_ORDER = {"nace": 0, "fos": 1, "policy": 2}
METHOD_ORDER = {"curated": 0, "model": 1, "implied-section": 1, "keyword": 2}
ROLE_ORDER = {"lead": 0, "co-lead": 1, "member": 2}

#: Headline indicators shown as tiles, in this order, when the build has them: size, wealth,
#: growth, labour market, skills, R&D effort and innovation performance.
HEADLINE_INDICATORS: tuple[str, ...] = (
    "population", "gdp_pc_pps_eu", "gdp_real_growth", "employment_rate", "unemployment_rate",
    "tertiary_attainment", "gerd_pc_gdp", "ris_summary",
)


# -- hierarchy -----------------------------------------------------------------------------------
def hierarchy(obs: Observatory, code: str) -> list[Region]:
    """The region's ancestors from the country down, then the region itself (unknown codes: [])."""
    region = obs.region(code)
    if region is None:
        return []
    ancestors = [obs.region(c) for c in region.ancestors]
    return [r for r in ancestors if r is not None] + [region]


def territory_label(obs: Observatory, code: str, fallback: str = "") -> str:
    """'Jihočeský kraj (CZ031)': the NUTS name of a territory with its code."""
    region = obs.region(code)
    name = region.name if region is not None else fallback
    return f"{name} ({code})" if name else code


# -- strategies ----------------------------------------------------------------------------------
def relation_text(relation: str, territory: str) -> str:
    """How a strategy relates to the profiled region, said plainly."""
    if relation == "same":
        return "covers this region"
    if relation == "contains":
        return f"covers this region as part of {territory}"
    return f"covers part of this region: {territory}"


def covering_strategies(obs: Observatory, code: str) -> pd.DataFrame:
    """Every strategy covering the region, widest territory first, newest period first.

    Columns: the strategy record's columns, plus ``relation`` ("same" | "contains" | "within"),
    ``relation_text``, ``territory_label`` and ``priority_count`` (0 = no priority records).
    """
    region = obs.region(code)
    columns = [*obs.strategies.columns, "relation", "relation_text", "territory_label", "priority_count",
               "successor_text"]
    if region is None:
        return pd.DataFrame(columns=columns)
    coverage = obs.strategies_for(region.code)
    if not coverage:
        return pd.DataFrame(columns=columns)
    rows = obs.strategies.loc[[c.strategy_id for c in coverage]].reset_index(drop=True)
    rows["relation"] = [c.relation for c in coverage]
    rows["territory_label"] = [territory_label(obs, t, n) for t, n in
                               zip(rows["territory_code"], rows["territory_name"], strict=True)]
    rows["relation_text"] = [relation_text(r, t) for r, t in
                             zip(rows["relation"], rows["territory_label"], strict=True)]
    counts = obs.priorities.groupby("strategy_id").size()
    rows["priority_count"] = rows["strategy_id"].map(counts).fillna(0).astype(int)
    rows["successor_text"] = [successor_text(obs, s) for s in rows["superseded_by"]]
    # current before superseded, so a region's answer comes first; then widest territory, newest
    rows["_superseded"] = rows["status"].eq("superseded")
    rows = rows.sort_values(["_superseded", "territory_level", "territory_code", "period_start"],
                            ascending=[True, True, True, False], kind="stable")
    return rows[columns].reset_index(drop=True)


def successor_text(obs: Observatory, strategy_id: object) -> str:
    """'Région Île-de-France 2021-2027: <title>' for a recorded successor id, else ''."""
    if not isinstance(strategy_id, str) or strategy_id not in obs.strategies.index:
        return ""
    row = obs.strategies.loc[strategy_id]
    return f"{row['territory_name']} {row['period']}: {row['title']}".strip()


def contact_points(obs: Observatory, strategy_ids: list[str]) -> dict[str, list[dict]]:
    """strategy_id -> its S3 offices as dicts (office, organisation, web_url, email, source_url,
    source_kind, last_checked, notes), in file order; a strategy without one maps to []."""
    out: dict[str, list[dict]] = {sid: [] for sid in strategy_ids}
    table = obs.contact_points
    rows = table[table["strategy_id"].isin(strategy_ids)].astype(object)
    for row in rows.where(rows.notna(), None).to_dict("records"):
        out[row["strategy_id"]].append(row)
    return out


def _tag_sort_key(tag: dict) -> tuple:
    return (SCHEME_ORDER.get(tag["scheme"], 9), METHOD_ORDER.get(tag["method"], 9), str(tag["code"]))


def tag_records(obs: Observatory, priority_ids: list[str]) -> dict[str, list[dict]]:
    """priority_id -> its tags as dicts (term, scheme, code, label, method, evidence), shown order."""
    tags = obs.tags_of(priority_ids)
    out: dict[str, list[dict]] = {pid: [] for pid in priority_ids}
    for row in tags.itertuples(index=False):
        out.setdefault(row.priority_id, []).append({
            "term": row.term,
            "scheme": row.scheme if isinstance(row.scheme, str) else row.term.split(":", 1)[0],
            "code": row.code if isinstance(row.code, str) else row.term.split(":", 1)[-1],
            "label": row.label if isinstance(row.label, str) else row.term,
            "method": row.method,
            "evidence": row.evidence if isinstance(row.evidence, str) else "",
        })
    return {pid: sorted(tags, key=_tag_sort_key) for pid, tags in out.items()}


def priorities_with_tags(obs: Observatory, strategy_ids: list[str]) -> pd.DataFrame:
    """The priorities of some strategies in record order, with a ``tags`` column (list of dicts)."""
    rows = obs.priorities_of(list(strategy_ids)).reset_index(drop=True)
    tags = tag_records(obs, rows["priority_id"].tolist())
    rows["tags"] = [tags.get(pid, []) for pid in rows["priority_id"]]
    return rows


# -- partnerships --------------------------------------------------------------------------------
def membership_text(obs: Observatory, relation: str, member_code: str, member_name: str) -> str:
    """Whether the region is a member itself, through a wider unit, or through one of its parts."""
    if relation == "same":
        return "member itself"
    label = territory_label(obs, member_code, member_name)
    if relation == "contains":
        return f"through {label}, which contains this region"
    return f"through {label}, a part of this region"


def region_partnerships(obs: Observatory, code: str) -> pd.DataFrame:
    """Partnerships the region takes part in: best role first, then by name.

    Columns: partnership_id, name, programme, role, relation, nuts_code (as recorded), region_name
    (as recorded), membership (plain text), confidence, notes, source_url.
    """
    columns = ["partnership_id", "name", "programme", "role", "relation", "nuts_code", "region_name",
               "membership", "confidence", "notes", "source_url"]
    region = obs.region(code)
    if region is None:
        return pd.DataFrame(columns=columns)
    rows = obs.partnerships_of(region.code)
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.assign(
        membership=[membership_text(obs, r, c, n) for r, c, n in
                    zip(rows["relation"], rows["nuts_code"], rows["region_name"], strict=True)],
        _role=rows["role"].map(ROLE_ORDER),
        _relation=rows["relation"].map({"same": 0, "contains": 1, "within": 2}),
    )
    rows = rows.sort_values(["partnership_id", "_role", "_relation"]).drop_duplicates("partnership_id")
    rows = rows.sort_values(["_role", "name"])
    return rows[columns].reset_index(drop=True)


# -- key figures ---------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class KeyFigure:
    """One headline indicator for a region: latest value, ranks and trend (None = no value).

    ``region`` is the unit whose value is shown: the profiled region itself, or its nearest
    ancestor with data when the indicator is not published at the region's level (``proxy``).
    """

    indicator: str
    label: str
    unit: str
    direction: str
    attribution: str
    region: str
    level: int
    proxy: bool
    year: int | None = None
    value: float | None = None
    flag: str = ""
    rank_country: int | None = None
    n_country: int = 0
    rank_eu: int | None = None
    n_eu: int = 0
    trend: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["year", "value"]))


def higher_is_better(direction: str) -> bool | None:
    """True/False for indicators where higher/lower is better; None when neither (no ranking)."""
    key = (direction or "").strip().lower()
    if key.startswith("higher"):
        return True
    if key.startswith("lower"):
        return False
    return None


def rank_among(values: pd.Series, region: str, higher_better: bool) -> tuple[int | None, int]:
    """(rank of ``region``, number ranked) among the non-missing ``values``; ties share the best rank.

    Rank 1 is the best value given the direction. A region without a value has no rank.
    """
    values = values.dropna()
    if region not in values.index:
        return None, len(values)
    ranks = values.rank(ascending=not higher_better, method="min")
    return int(ranks[region]), len(values)


def _figure_at(obs: Observatory, indicator_id: str, code: str, *, proxy: bool) -> KeyFigure:
    spec = obs.indicator(indicator_id)
    label = str(spec.get("label", indicator_id)) if spec is not None else indicator_id
    unit = str(spec.get("unit", "")) if spec is not None else ""
    direction = str(spec.get("direction", "")) if spec is not None else ""
    base = {"indicator": indicator_id, "label": label, "unit": unit, "direction": direction,
            "attribution": obs.source_lines(indicator_id), "region": code, "level": nuts_level(code),
            "proxy": proxy}
    frame = obs.indicator_frame(indicator_id)
    own = frame[(frame["region"] == code) & frame["value"].notna()].sort_values("year")
    if own.empty:
        return KeyFigure(**base)
    latest = own.iloc[-1]
    year = int(latest["year"])
    trend = own[["year", "value"]].reset_index(drop=True)
    better = higher_is_better(direction)
    rank_country = rank_eu = None
    n_country = n_eu = 0
    if better is not None:
        peers = obs.indicator_values(indicator_id, year, nuts_level(code))["value"]
        peers = peers[~peers.index.duplicated()]
        if nuts_level(code) > 0:
            in_country = peers[peers.index.str.startswith(country_of(code))]
            rank_country, n_country = rank_among(in_country, code, better)
        if is_eu(code):
            rank_eu, n_eu = rank_among(peers[[is_eu(c) for c in peers.index]], code, better)
    flag = latest.get("flag", "")
    return KeyFigure(**base, year=year, value=float(latest["value"]),
                     flag=flag if isinstance(flag, str) else "",
                     rank_country=rank_country, n_country=n_country, rank_eu=rank_eu, n_eu=n_eu, trend=trend)


def key_figure(obs: Observatory, indicator_id: str, code: str) -> KeyFigure:
    """The region's latest value of an indicator, or its nearest ancestor's when it has none at all.

    A region only gets a proxy when the indicator has no value at the region's level for it (a
    NUTS 3 region and a NUTS 2-only indicator); the tile then names the unit the value is for.
    """
    region = obs.region(code)
    if region is None:
        raise KeyError(code)
    own = _figure_at(obs, indicator_id, region.code, proxy=False)
    if own.value is not None or region.level in obs.indicator_levels(indicator_id):
        return own
    for ancestor in reversed(region.ancestors):
        figure = _figure_at(obs, indicator_id, ancestor, proxy=True)
        if figure.value is not None:
            return figure
    return own


def headline_indicators(obs: Observatory) -> list[str]:
    """The headline indicators the build actually has, in display order."""
    available = set(obs.indicator_ids())
    return [i for i in HEADLINE_INDICATORS if i in available]


def key_figures(obs: Observatory, code: str, indicators: list[str] | None = None) -> list[KeyFigure]:
    """Key figures of a region for the headline indicators (or the given ones)."""
    chosen = indicators if indicators is not None else headline_indicators(obs)
    return [key_figure(obs, indicator, code) for indicator in chosen]


# -- locator map -----------------------------------------------------------------------------------
def locator_regions(obs: Observatory, code: str) -> list[str]:
    """Regions to draw around a region on its locator map: its country's units of the same level
    shown in the same map view (for a country: all countries of that view).

    A unit whose sub-regions all lie in another view (France's overseas NUTS 1 ``FRY``) is left out,
    so a map framed on the mainland is not stretched across the Atlantic.
    """
    region = obs.region(code)
    if region is None:
        return []
    regions = obs.regions
    same = regions[(regions["level"] == region.level) & (regions["view"] == region.view)]
    if region.level > 0:
        same = same[same["country"] == region.country]
    views_of_children = regions.groupby("parent")["view"].agg(set)
    keep = []
    for candidate in same["nuts_id"]:
        child_views = views_of_children.get(candidate)
        if candidate == region.code or not child_views or region.view in child_views:
            keep.append(candidate)
    return keep


def locator_frame(obs: Observatory, codes: list[str], *,
                  min_pad: float = 0.8) -> dict[str, list[float]] | None:
    """lon/lat ranges framing the label points of ``codes`` with a margin (a map view mapping).

    Label points rather than geometries: the model keeps no shapes, and a locator only needs to
    show the area around the region; the margin is a quarter of the span, at least ``min_pad``°.
    """
    points = obs.regions.loc[[c for c in codes if c in obs.regions.index], ["lon", "lat"]].dropna()
    if points.empty:
        return None
    west, east = float(points["lon"].min()), float(points["lon"].max())
    south, north = float(points["lat"].min()), float(points["lat"].max())
    pad_lon = max(min_pad, (east - west) * 0.25)
    pad_lat = max(min_pad, (north - south) * 0.25)
    return {"lon_range": [west - pad_lon, east + pad_lon], "lat_range": [south - pad_lat, north + pad_lat]}
