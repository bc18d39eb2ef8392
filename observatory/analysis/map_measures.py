"""What the map explorer shows for a view: one value or category per region of a NUTS level.

Pure functions of the ``Observatory`` and a :class:`~observatory.state.map_view.MapView`; the page
turns the result into a figure with :mod:`observatory.figures.choropleth`. Every region of the
level is always listed: a region without a value gets ``None`` (drawn as "no data"), never dropped.

Measures:

- ``indicator``: the indicator's values for the year, with their Eurostat flags (the letters go
  into the hover label, their meanings into a note under the map: recolours stay small).
- ``strategy``: whether a regional strategy covers the region (its territory is the region or
  contains it), only regional strategies of sub-regions exist (NUTS 0/1), or only a national one.
- ``priorities``: number of priorities of the most local current strategy covering the region
  (the region's own or a containing regional strategy, else the national one; the newest period
  of that territory); regions with no priority records have no value.
- ``term``: regions whose covering strategies have a priority tagged with a taxonomy term, or
  mentioning a keyword, split by whether a regional or only a national strategy matches.
- ``partnership``: a partnership's members at the level, leads and co-leads marked apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from observatory.analysis.peers import DIMENSION_LABELS
from observatory.model import Observatory

#: What can colour the map. "indicator" uses an indicator and a year; "term" a taxonomy term or a
#: keyword; "partnership" a partnership; "strategy" and "priorities" need nothing else.
MEASURES: dict[str, str] = {
    "indicator": "Indicator value",
    "strategy": "S3 strategy (national / regional)",
    "priorities": "Number of S3 priorities",
    "term": "Priorities matching a term or keyword",
    "partnership": "Membership of a partnership",
}

#: Eurostat observation status codes (Eurostat's code list) and the observatory's own ``m``.
FLAG_MEANINGS: dict[str, str] = {
    "b": "break in time series",
    "c": "confidential",
    "d": "definition differs",
    "e": "estimated",
    "f": "forecast",
    "n": "not significant",
    "p": "provisional",
    "r": "revised",
    "s": "Eurostat estimate",
    "u": "low reliability",
    "z": "not applicable",
    "m": "value of a merged capital area, repeated for each member region",
}

DIRECTION_NOTES = {"higher_is_better": "higher is better", "lower_is_better": "lower is better"}

#: Headline indicators of the side panel, in this order (those missing from a build are skipped).
PANEL_INDICATORS = ("gdp_pc_pps_eu", "unemployment_rate", "gerd_pc_gdp")

#: Colour scale limits are the 2nd and 98th percentiles when at least this many regions have a value,
#: so one outlier (a capital city's density) does not flatten every other region into one colour.
CLIP_MIN_REGIONS = 50
CLIP_QUANTILES = (0.02, 0.98)

STRATEGY_CATEGORIES = {
    "regional": "Regional strategy",
    "within": "Regional strategies in parts of it",
    "national": "National strategy only",
}
STRATEGY_COLOURS = {"Regional strategy": "#009E73", "Regional strategies in parts of it": "#56B4E9",
                    "National strategy only": "#E69F00"}

TERM_CATEGORIES = {
    "regional": "Regional strategy priority matches",
    "national": "National strategy priority matches",
    "none": "Priorities recorded, none match",
}
TERM_COLOURS = {TERM_CATEGORIES["regional"]: "#D55E00", TERM_CATEGORIES["national"]: "#E69F00",
                TERM_CATEGORIES["none"]: "#b3cde3"}

ROLE_CATEGORIES = {"lead": "Lead", "co-lead": "Co-lead", "member": "Member"}
ROLE_COLOURS = {"Lead": "#D55E00", "Co-lead": "#E69F00", "Member": "#0072B2"}


@dataclass(frozen=True)
class MapLayer:
    """One colouring of the map, aligned with ``regions`` (every region of the level).

    Either ``values`` (numbers or None) or ``categories`` (labels or None) is set. The remaining
    fields are the legend, hover and title texts; ``notes`` explain gaps to the user. What a
    layer shows is decided here; how it is drawn is the figures' business
    (``observatory.figures.map_figure.layer_colouring``).
    """

    level: int
    regions: tuple[str, ...]
    names: tuple[str, ...]  # Latin names (the map itself takes names from the boundaries file)
    values: tuple[float | None, ...] | None = None
    categories: tuple[str | None, ...] | None = None
    category_order: tuple[str, ...] = ()
    category_colours: dict[str, str] = field(default_factory=dict)
    details: tuple[str | None, ...] | None = None
    flags: tuple[str | None, ...] | None = None
    unit: str = ""
    year: int | None = None
    value_format: str = ",.1f"
    zmin: float | None = None
    zmax: float | None = None
    legend_title: str = ""
    legend_note: str = ""
    title: str = ""
    source: str = ""
    no_data_label: str = "no data"
    notes: tuple[str, ...] = ()

    @property
    def coloured_count(self) -> int:
        """How many regions get a colour (a value or a category)."""
        seq = self.values if self.values is not None else self.categories
        return sum(1 for v in (seq or ()) if v is not None)


# -- indicators ------------------------------------------------------------------------------------
#: The group of indicators that are not structural (outcomes a strategy tries to move).
PERFORMANCE_GROUP = "Performance and outcomes"


def indicator_group(spec) -> str:
    """The group an indicator is listed under in pickers: its structural dimension, or performance."""
    if str(spec.get("kind", "")) == "structural" and spec.get("dimension"):
        return DIMENSION_LABELS.get(str(spec["dimension"]), str(spec["dimension"]))
    return PERFORMANCE_GROUP


# -- regions ---------------------------------------------------------------------------------------
def level_regions(obs: Observatory, level: int) -> pd.DataFrame:
    """Regions drawn at a level, sorted by code: columns ``code``, ``name`` (Latin-script name)."""
    rows = obs.regions_at(level).sort_index()
    return pd.DataFrame({"code": rows["nuts_id"].astype(str).to_numpy(),
                         "name": rows["name_latn"].astype(str).to_numpy()})


def flag_text(flag: object) -> str | None:
    """'bp' -> 'b (break in time series), p (provisional)'; no flag -> None."""
    if not isinstance(flag, str) or not flag.strip():
        return None
    return ", ".join(f"{letter} ({FLAG_MEANINGS.get(letter, 'unknown flag')})" for letter in flag.strip())


def flag_legend(flags: tuple[str | None, ...]) -> str:
    """'Flags: e estimated, p provisional.' for the flag letters present (empty when none)."""
    letters = sorted({letter for flag in flags if flag for letter in flag})
    if not letters:
        return ""
    meanings = (f"{letter} {FLAG_MEANINGS.get(letter, 'unknown flag')}" for letter in letters)
    return "Flags: " + ", ".join(meanings) + "."


def value_format_for(values: list[float]) -> str:
    """A d3 number format suiting the magnitude: 12,345 / 123.4 / 1.23."""
    largest = max((abs(v) for v in values), default=0.0)
    if largest >= 1000:
        return ",.0f"
    if largest >= 10:
        return ",.1f"
    return ",.2f"


def colour_range(values: list[float]) -> tuple[float | None, float | None, bool]:
    """(zmin, zmax, clipped): the 2nd-98th percentile range when there are enough values."""
    if not values:
        return None, None, False
    low, high = min(values), max(values)
    if len(values) < CLIP_MIN_REGIONS:
        return low, high, False
    series = pd.Series(values, dtype="float64")
    q_low, q_high = (float(series.quantile(q)) for q in CLIP_QUANTILES)
    if q_high <= q_low:
        return low, high, False
    return q_low, q_high, (q_low > low or q_high < high)


# -- the measures ----------------------------------------------------------------------------------
def indicator_layer(obs: Observatory, indicator: str | None, year: int | None, level: int) -> MapLayer:
    """Values of one indicator in one year for every region of the level (None = no value)."""
    regions = level_regions(obs, level)
    codes, names = tuple(regions["code"]), tuple(regions["name"])
    spec = obs.indicator(indicator) if indicator else None
    if spec is None:
        return MapLayer(level=level, regions=codes, names=names, values=(None,) * len(codes),
                        notes=("No indicator chosen.",))
    label, unit = str(spec["label"]), str(spec["unit"])
    note = DIRECTION_NOTES.get(str(spec["direction"]), "")
    source = str(spec["attribution"])
    if year is None:
        return MapLayer(level=level, regions=codes, names=names, values=(None,) * len(codes),
                        unit=unit, legend_title=unit, legend_note=note, title=label, source=source,
                        notes=(f"{label} has no values at NUTS {level}.",))
    rows = obs.indicator_values(indicator, year, level)
    rows = rows[~rows.index.duplicated(keep="first")]
    raw = rows["value"].reindex(list(codes))
    values = tuple(None if pd.isna(v) or not math.isfinite(float(v)) else float(v) for v in raw)
    flags = tuple(f.strip() if isinstance(f, str) and f.strip() else None
                  for f in rows["flag"].reindex(list(codes)))
    present = [v for v in values if v is not None]
    zmin, zmax, clipped = colour_range(present)
    notes = []
    missing = len(codes) - len(present)
    if missing:
        notes.append(f"{missing} of {len(codes)} regions have no value for {year}.")
    legend = flag_legend(flags)
    if legend:
        notes.append(legend)
    if clipped:
        note = "; ".join(x for x in (note, "colours capped at the 2nd/98th percentile") if x)
    return MapLayer(
        level=level, regions=codes, names=names, values=values, flags=flags, unit=unit, year=year,
        value_format=value_format_for(present), zmin=zmin, zmax=zmax, legend_title=unit, legend_note=note,
        title=f"{label}, {year}", source=source, notes=tuple(notes),
    )


#: The programming periods an S3 map can show: by default the current one. A strategy belongs to
#: 2021-2027 when its period ends in 2021 or later or is open-ended ("2019-"), to 2014-2020 when it
#: ends by 2020; "all" shows both (a region then counts a superseded strategy too).
STRATEGY_PERIODS: dict[str, str] = {
    "current": "Current strategies (2021-2027)",
    "2014-2020": "Previous period (2014-2020)",
    "all": "All periods on record",
}
DEFAULT_PERIOD = "current"


def strategies_in_period(obs: Observatory, period: str = DEFAULT_PERIOD) -> frozenset[str]:
    """Ids of the strategies in a programming period (see :data:`STRATEGY_PERIODS`), once per build."""
    return obs.derived.get(_strategies_in_period, period)


def _strategies_in_period(obs: Observatory, period: str) -> frozenset[str]:
    strategies = obs.strategies
    if period == "all":
        return frozenset(strategies["strategy_id"])
    ends = strategies["period_end"]
    current = ends.isna() | (ends.fillna(0) >= 2021)
    chosen = current if period == "current" else ~current
    return frozenset(strategies.loc[chosen.to_numpy(dtype=bool), "strategy_id"])


def _current_links(obs: Observatory, level: int, period: str = DEFAULT_PERIOD) -> pd.DataFrame:
    """(region, strategy_id, relation, level) links of a level to the strategies of a period, with the
    strategies' territory and period."""
    links = obs.strategy_links(level)
    links = links[links["strategy_id"].isin(strategies_in_period(obs, period))]
    extra = obs.strategies[["strategy_id", "territory_code", "territory_level", "period_start"]]
    return links.merge(extra.reset_index(drop=True), on="strategy_id", how="left")


def period_note(period: str) -> str:
    """The note under an S3 map saying which strategies it counts."""
    return f"{STRATEGY_PERIODS.get(period, period)}: strategies of other periods are not counted."


def strategy_layer(obs: Observatory, level: int, period: str = DEFAULT_PERIOD) -> MapLayer:
    """Which kind of S3 strategy covers each region (regional, only in sub-regions, national only)."""
    regions = level_regions(obs, level)
    links = _current_links(obs, level, period)
    covering = links[links["relation"].isin(["same", "contains"])]
    regional = set(covering.loc[covering["level"] == "regional", "region"])
    within = set(links.loc[(links["relation"] == "within") & (links["level"] == "regional"), "region"])
    national = set(covering.loc[covering["level"] == "national", "region"])
    categories = []
    for code in regions["code"]:
        if code in regional:
            categories.append(STRATEGY_CATEGORIES["regional"])
        elif code in within:
            categories.append(STRATEGY_CATEGORIES["within"])
        elif code in national:
            categories.append(STRATEGY_CATEGORIES["national"])
        else:
            categories.append(None)
    order = tuple(label for label in STRATEGY_CATEGORIES.values() if label in categories)
    return MapLayer(
        level=level, regions=tuple(regions["code"]), names=tuple(regions["name"]),
        categories=tuple(categories),
        category_order=order, category_colours=STRATEGY_COLOURS, legend_title="S3 strategy",
        title=f"Smart specialisation strategies on record, NUTS {level}", source=s3_source_line(obs),
        no_data_label="no strategy in the records",
        notes=("The strategy records are not complete: “no strategy in the records” does not mean "
               "the region has none.", period_note(period)),
    )


def priority_counts(obs: Observatory, level: int, period: str = DEFAULT_PERIOD) -> pd.Series:
    """Region -> number of priorities of the most local strategy of the period with priority records."""
    links = _current_links(obs, level, period)
    counts = obs.priorities.groupby("strategy_id").size()
    links = links[links["relation"].isin(["same", "contains"])].assign(
        priorities=lambda f: f["strategy_id"].map(counts).fillna(0).astype(int))
    links = links[links["priorities"] > 0]
    if links.empty:
        return pd.Series(dtype="int64")
    best = links.sort_values(["region", "territory_level", "period_start"], ascending=[True, False, False])
    return best.drop_duplicates("region").set_index("region")["priorities"]


def priorities_layer(obs: Observatory, level: int, period: str = DEFAULT_PERIOD) -> MapLayer:
    regions = level_regions(obs, level)
    counts = priority_counts(obs, level, period)
    values = tuple(float(counts[c]) if c in counts.index else None for c in regions["code"])
    present = [v for v in values if v is not None]
    return MapLayer(
        level=level, regions=tuple(regions["code"]), names=tuple(regions["name"]), values=values,
        unit="priorities", value_format=",.0f", zmin=min(present, default=None),
        zmax=max(present, default=None),
        legend_title="priorities", title=f"Number of S3 priorities, NUTS {level}", source=s3_source_line(obs),
        no_data_label="no priority records",
        notes=("Counts the priorities of the most local strategy covering each region "
               "(its own or a containing regional strategy, else the national one).", period_note(period)),
    )


def term_label(obs: Observatory, term: str | None) -> str:
    """'NACE C: Manufacturing' for a term id, '“hydrogen”' for a keyword; several, joined by "or"."""
    if not term:
        return ""
    if "," in term:
        return " or ".join(term_label(obs, part.strip()) for part in term.split(",") if part.strip())
    if term in obs.terms.index:
        row = obs.terms.loc[term]
        return f"{str(row['scheme']).upper() if row['scheme'] != 'policy' else 'Policy objective'} " \
               f"{row['code']}: {row['label']}"
    return f"“{term}”"


def term_layer(obs: Observatory, term: str | None, level: int, period: str = DEFAULT_PERIOD) -> MapLayer:
    """Regions whose covering strategies (of the period) have a priority matching ``term`` (a term id
    or a keyword)."""
    regions = level_regions(obs, level)
    codes, names = tuple(regions["code"]), tuple(regions["name"])
    if not term:
        return MapLayer(level=level, regions=codes, names=names, categories=(None,) * len(codes),
                        title="Priorities matching a term", source=s3_source_line(obs),
                        notes=("Choose a taxonomy term or type a keyword to find matching priorities.",))
    matches = obs.regions_matching(term, level, strategy_ids=strategies_in_period(obs, period)).set_index(
        "region")
    with_priorities = set(priority_counts(obs, level, period).index)
    categories: list[str | None] = []
    details: list[str | None] = []
    for code in codes:
        if code in matches.index:
            count = int(matches.loc[code, "priorities"])
            categories.append(TERM_CATEGORIES[str(matches.loc[code, "match"])])
            details.append(f"{count} matching priorit{'y' if count == 1 else 'ies'}")
        elif code in with_priorities:
            categories.append(TERM_CATEGORIES["none"])
            details.append(None)
        else:
            categories.append(None)
            details.append(None)
    label = term_label(obs, term)
    notes = [] if len(matches) else [f"No priority matches {label} at NUTS {level}."]
    notes.append(period_note(period))
    return MapLayer(
        level=level, regions=codes, names=names, categories=tuple(categories), details=tuple(details),
        category_order=tuple(TERM_CATEGORIES.values()), category_colours=TERM_COLOURS,
        legend_title="Priority match", title=f"Priorities matching {label}", source=s3_source_line(obs),
        no_data_label="no priority records", notes=tuple(notes),
    )


def matching_regions(obs: Observatory, term: str, level: int, period: str = DEFAULT_PERIOD) -> dict[str, str]:
    """Region -> "regional" | "national" for the regions a term matches (what the map highlights)."""
    matches = obs.regions_matching(term, level, strategy_ids=strategies_in_period(obs, period))
    return dict(zip(matches["region"].astype(str), matches["match"].astype(str), strict=True))


def partnership_roles(obs: Observatory, partnership: str, level: int) -> dict[str, str]:
    """Region -> best role ("lead", "co-lead", "member") of a partnership's members at a level."""
    rows = obs.partnership_members_at(partnership, level)
    return dict(zip(rows["region"].astype(str), rows["role"].astype(str), strict=True))


def partnership_layer(obs: Observatory, partnership: str | None, level: int) -> MapLayer:
    regions = level_regions(obs, level)
    codes, names = tuple(regions["code"]), tuple(regions["name"])
    if not partnership or partnership not in obs.partnerships.index:
        return MapLayer(level=level, regions=codes, names=names, categories=(None,) * len(codes),
                        title="Partnership members", source=s3_source_line(obs),
                        notes=("Choose a partnership to see its members.",))
    roles = partnership_roles(obs, partnership, level)
    categories = tuple(ROLE_CATEGORIES.get(roles[c]) if c in roles else None for c in codes)
    record = obs.partnerships.loc[partnership]
    members = obs.members[obs.members["partnership_id"] == partnership]
    unmapped = int(members["nuts_code"].isna().sum() + (members["nuts_code"].astype(str) == "").sum())
    notes = [f"{unmapped} member(s) without a NUTS code are not on the map."] if unmapped else []
    present = [c for c in ROLE_CATEGORIES.values() if c in categories]
    return MapLayer(
        level=level, regions=codes, names=names, categories=categories, category_order=tuple(present),
        category_colours=ROLE_COLOURS, legend_title="Role", title=str(record["name"]),
        source=s3_source_line(obs), no_data_label="not a member", notes=tuple(notes),
    )


def layer_for(obs: Observatory, measure: str, level: int, *, indicator: str | None = None,
              year: int | None = None, term: str | None = None, partnership: str | None = None,
              period: str = DEFAULT_PERIOD) -> MapLayer:
    """The layer of a measure (see :data:`MEASURES`); the page passes its ``MapView`` fields."""
    if measure == "strategy":
        return strategy_layer(obs, level, period)
    if measure == "priorities":
        return priorities_layer(obs, level, period)
    if measure == "term":
        return term_layer(obs, term, level, period)
    if measure == "partnership":
        return partnership_layer(obs, partnership, level)
    if measure != "indicator":
        raise ValueError(f"unknown measure {measure!r}")
    return indicator_layer(obs, indicator, year, level)


def s3_source_line(obs: Observatory) -> str:
    """Attribution of the S3 records (each record carries its own source URL, shown on profiles).

    Takes the ``Observatory`` so a build can later name its record release here.
    """
    del obs
    return "Source: S3 strategy, priority and partnership records compiled for the observatory " \
           "(a source on every record; see About the data)"


# -- the side panel --------------------------------------------------------------------------------
@dataclass(frozen=True)
class HeadlineValue:
    indicator: str
    label: str
    value: float
    unit: str
    year: int
    flag: str | None
    region: str  # the unit the value is for: the region itself or its nearest ancestor with a value


@dataclass(frozen=True)
class RegionFacts:
    """What the side panel says about a selected region."""

    code: str
    name: str
    native_name: str
    level: int
    hierarchy: tuple[tuple[str, str], ...]  # (code, name) from the country down to the parent
    strategies: tuple[dict, ...]  # strategy_id, title, title_en, level, period, relation
    priorities: int
    partnerships: int
    headline: tuple[HeadlineValue, ...]


def _sort_year(row) -> int:
    """The year a strategy is ordered by (newest first): its start, else its end for an open start
    (RIS3CAT 2030 is recorded as "-2030"), else 0 (a period left empty, with a note)."""
    for column in ("period_start", "period_end"):
        value = row.get(column)
        if value is not None and not pd.isna(value):
            return int(value)
    return 0


def region_facts(obs: Observatory, code: str) -> RegionFacts | None:
    """Key facts of a region for the side panel, or None for an unknown code."""
    region = obs.region(code)
    if region is None:
        return None
    hierarchy = []
    for ancestor in region.ancestors:
        found = obs.region(ancestor)
        hierarchy.append((ancestor, found.name if found else ancestor))
    coverage = [c for c in obs.strategies_for(region.code) if c.relation in ("same", "contains")]
    records = []
    for link in coverage:
        row = obs.strategies.loc[link.strategy_id]
        records.append({"strategy_id": link.strategy_id, "title": str(row["title"]),
                        "title_en": str(row["title_en"]), "level": str(row["level"]),
                        "period": str(row["period"]), "relation": link.relation,
                        "territory_level": int(row["territory_level"]), "start": _sort_year(row)})
    records.sort(key=lambda r: (-r["territory_level"], -r["start"]))
    counts = priority_counts(obs, region.level)
    priorities = int(counts[region.code]) if region.code in counts.index else 0
    partnerships = obs.partnerships_of(region.code)["partnership_id"].nunique()
    return RegionFacts(
        code=region.code, name=region.name, native_name=region.native_name, level=region.level,
        hierarchy=tuple(hierarchy), strategies=tuple(records), priorities=priorities,
        partnerships=int(partnerships), headline=tuple(headline_values(obs, region.code)),
    )


def headline_values(obs: Observatory, code: str) -> list[HeadlineValue]:
    """Latest value of each panel indicator for the region, or for its nearest ancestor that has one."""
    out = []
    candidates = [code] + [code[:n] for n in range(len(code) - 1, 1, -1)]
    for indicator in PANEL_INDICATORS:
        spec = obs.indicator(indicator)
        if spec is None:
            continue
        for unit_code in candidates:
            row = obs.latest_values(indicator, unit_code)
            if row is not None and not pd.isna(row["value"]):
                out.append(HeadlineValue(indicator=indicator, label=str(spec["label"]),
                                         value=float(row["value"]), unit=str(spec["unit"]),
                                         year=int(row["year"]), flag=flag_text(row["flag"]),
                                         region=unit_code))
                break
    return out
