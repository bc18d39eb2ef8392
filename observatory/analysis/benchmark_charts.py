"""Data for the benchmark charts: values of the region and its peers, reference lines, profiles.

Every chart compares a region with its peers against two reference lines, built the same way
everywhere (:func:`reference_table`):

- **EU**: Eurostat's ``EU27_2020`` aggregate when the indicator has one for that year; otherwise
  the *unweighted* mean of the EU27 NUTS 2 regions that have a value, labelled as such (a mean of
  regions is not the EU figure: it weighs Åland like Île-de-France).
- **Country**: the country's own (NUTS 0) value when present; otherwise the unweighted mean of its
  NUTS 2 regions, labelled as such.
- An aggregate is used only when it lies within the range of its regions' values (plus a 0.5 %
  tolerance for rounding and revisions). Any average of the regions does; a figure outside the
  range is a *total* (population, GDP in million EUR, flights), meaningless as a line among
  regions, so the unweighted mean of the regions is drawn instead and the label says why.

Missing values stay missing (NaN), so figures can show them as "no data" instead of dropping or
zero-filling them. Pure functions: an ``Observatory`` or frames in, frames and small dataclasses out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from observatory.analysis.peers import StructuralMatrix, structural_matrix_for
from observatory.geography import EU27, EU_AGGREGATE

#: Relative slack (of the regions' value range) allowed when checking that an aggregate is an average.
RANGE_TOLERANCE = 0.005


@dataclass(frozen=True)
class Reference:
    """One reference line: its value (NaN when none), what it is, and the year it is for."""

    key: str  # "eu" | "country"
    label: str
    value: float
    year: int | None
    kind: str  # "aggregate" | "mean" | "none"

    @property
    def present(self) -> bool:
        return not (self.value is None or math.isnan(self.value))


def _with_levels(frame: pd.DataFrame, levels: Mapping[str, int] | None) -> pd.DataFrame:
    if "level" in frame:
        return frame
    return frame.assign(level=frame["region"].map(levels or {}))


def reference_table(frame: pd.DataFrame, country: str, country_name: str | None = None, *,
                    levels: Mapping[str, int] | None = None) -> pd.DataFrame:
    """EU and country references of one indicator for every year (see the module docstring).

    ``frame``: the indicator's rows (region, year, value, and ``level`` or a ``levels`` mapping).
    Columns of the result: key ("eu" | "country"), year, value, label, kind ("aggregate" |
    "mean"); years without any reference value are left out.
    """
    name = country_name or country
    rows = _with_levels(frame, levels).dropna(subset=["value"])
    nuts2 = rows[rows["level"] == 2]
    prefix = nuts2["region"].str[:2]
    out = []
    for key, own_code, members, own_label, mean_label in (
        ("eu", EU_AGGREGATE, nuts2[prefix.isin(EU27)], "EU27 (Eurostat aggregate)",
         "EU27: unweighted mean of {n} NUTS 2 regions"),
        ("country", country, nuts2[prefix == country], f"{name} (national value)",
         f"{name}: unweighted mean of {{n}} NUTS 2 regions"),
    ):
        own = rows[rows["region"] == own_code].drop_duplicates("year").set_index("year")["value"]
        stats = members.groupby("year")["value"].agg(["mean", "size", "min", "max"])
        for year in sorted(set(own.index) | set(stats.index)):
            has_stats = year in stats.index
            if year in own.index:
                value = float(own[year])
                if not has_stats:
                    out.append((key, int(year), value, own_label, "aggregate"))
                    continue
                low, high = float(stats.loc[year, "min"]), float(stats.loc[year, "max"])
                slack = RANGE_TOLERANCE * max(high - low, abs(high), 1e-12)
                if low - slack <= value <= high + slack:
                    out.append((key, int(year), value, own_label, "aggregate"))
                    continue
                label = mean_label.format(n=int(stats.loc[year, "size"])) + " (the aggregate is a total)"
            else:
                label = mean_label.format(n=int(stats.loc[year, "size"]))
            out.append((key, int(year), float(stats.loc[year, "mean"]), label, "mean"))
    return pd.DataFrame(out, columns=["key", "year", "value", "label", "kind"])


def _pick(table: pd.DataFrame, key: str, year: int, missing_label: str) -> Reference:
    rows = table[(table["key"] == key) & (table["year"] == year)]
    if rows.empty:
        return Reference(key, missing_label, math.nan, year, "none")
    row = rows.iloc[0]
    return Reference(key, str(row["label"]), float(row["value"]), int(year), str(row["kind"]))


def eu_reference(frame: pd.DataFrame, year: int, levels: Mapping[str, int] | None = None) -> Reference:
    """EU reference value of one indicator in one year (see the module docstring)."""
    rows = frame[frame["year"] == year]
    return _pick(reference_table(rows, "", levels=levels), "eu", year, "EU27: no data")


def country_reference(frame: pd.DataFrame, country: str, year: int, country_name: str | None = None,
                      levels: Mapping[str, int] | None = None) -> Reference:
    """Country reference value of one indicator in one year (see the module docstring)."""
    rows = frame[frame["year"] == year]
    table = reference_table(rows, country, country_name, levels=levels)
    return _pick(table, "country", year, f"{country_name or country}: no data")


def references(obs, indicator: str, year: int | None, country: str) -> list[Reference]:
    """EU and country references for a chart of ``indicator`` in ``year`` (none without a year)."""
    if year is None:
        return []
    table = obs.derived.get(_reference_table_of, indicator, country, int(year))
    name = obs.country_name(country)
    return [_pick(table, "eu", year, "EU27: no data"), _pick(table, "country", year, f"{name}: no data")]


def reference_series(obs, indicator: str, country: str) -> pd.DataFrame:
    """EU and country reference values for every year of the indicator (for the time series).

    Columns: key ("eu" | "country"), year, value, label, kind. Years without a value are left out.
    """
    return obs.derived.get(_reference_table_of, indicator, country, None)


def _reference_table_of(obs, indicator: str, country: str, year: int | None) -> pd.DataFrame:
    """:func:`reference_table` of an indicator for a country, in one year or all (once per build: it
    depends on the data only, and its mean of regions is the costly part of a benchmark chart)."""
    frame = obs.indicator_frame(indicator)
    if year is not None:
        frame = frame[frame["year"] == year]
    return reference_table(frame, country, obs.country_name(country))


def region_names(obs, codes: Iterable[str]) -> dict[str, str]:
    names = obs.regions["name_latn"]
    return {c: str(names.get(c, c)) for c in codes}


def ranked_values(obs, indicator: str, year: int, target: str, peers: Sequence[str]) -> pd.DataFrame:
    """The target and its peers for one indicator and year, highest value first, missing last.

    Columns: region, name, value (NaN = no data), flag, role ("region" | "peer").
    """
    codes = [target, *[p for p in peers if p != target]]
    values, flags = nuts2_values(obs, indicator, year)
    names = region_names(obs, codes)
    frame = pd.DataFrame({
        "region": codes,
        "name": [names[c] for c in codes],
        "value": [float(values.get(c, np.nan)) for c in codes],
        "flag": [str(flags.get(c, "") or "") for c in codes],
        "role": ["region" if c == target else "peer" for c in codes],
    })
    frame = frame.sort_values("value", ascending=False, na_position="last", kind="stable")
    return frame.reset_index(drop=True)


def nuts2_values(obs, indicator: str, year: int) -> tuple[dict[str, float], dict[str, object]]:
    """An indicator's NUTS 2 values and flags in one year, by region code (once per build)."""
    return obs.derived.get(_nuts2_values, indicator, int(year))


def _nuts2_values(obs, indicator: str, year: int) -> tuple[dict[str, float], dict[str, object]]:
    values = obs.indicator_values(indicator, year, 2)
    return values["value"].to_dict(), values["flag"].to_dict()


def series_frame(obs, indicator: str, codes: Sequence[str]) -> pd.DataFrame:
    """Time series of the target and its peers: region, name, year, value, flag (only observed years)."""
    by_region = obs.derived.get(_observed_by_region, indicator)
    order = {c: i for i, c in enumerate(codes)}
    present = sorted((c for c in order if c in by_region), key=order.__getitem__)
    if not present:
        return pd.DataFrame({"region": pd.Series(dtype=object), "year": pd.Series(dtype="int64"),
                             "value": pd.Series(dtype=float), "flag": pd.Series(dtype=object),
                             "name": pd.Series(dtype=object)})
    out = pd.concat([by_region[c] for c in present], ignore_index=True)
    names = region_names(obs, codes)
    out["name"] = out["region"].map(names)
    return out


def _observed_by_region(obs, indicator: str) -> dict[str, pd.DataFrame]:
    """Per region, its observed values of an indicator by year (region, year, value, flag)."""
    frame = obs.indicator_frame(indicator).dropna(subset=["value"])
    rows = frame[["region", "year", "value", "flag"]].sort_values(["region", "year"], kind="stable")
    return {str(region): group for region, group in rows.groupby("region", sort=False)}


def scatter_years(obs, x: str, y: str, year: int | None) -> tuple[int | None, int | None]:
    """The years the scatter uses for x and y: ``year`` for both when given; else the latest year
    both indicators have at NUTS 2; else each one's own latest year."""
    years_x, years_y = obs.indicator_years(x, 2), obs.indicator_years(y, 2)
    if year is not None:
        return year, year
    common = sorted(set(years_x) & set(years_y))
    if common:
        return common[-1], common[-1]
    return (years_x[-1] if years_x else None), (years_y[-1] if years_y else None)


def scatter_frame(obs, x: str, y: str, *, year_x: int | None, year_y: int | None, target: str | None,
                  peers: Sequence[str]) -> pd.DataFrame:
    """Every NUTS 2 region with both values: region, name, country, x, y, role (region | peer | other).

    Regions lacking one of the values are left out of the scatter (they are counted in ``missing``
    attribute of the frame: ``frame.attrs["missing"]`` lists the target and peers without a point).
    """
    has_both = obs.derived.get(_scatter_points, x, y, year_x, year_y)
    peer_set = set(peers)
    out = has_both.assign(role=["region" if c == target else ("peer" if c in peer_set else "other")
                                for c in has_both["region"]])
    wanted = [c for c in [target, *peers] if c]
    plotted = set(has_both["region"])
    out.attrs = {"missing": [c for c in wanted if c not in plotted]}  # a new dict: never the cached frame's
    return out


def _scatter_points(obs, x: str, y: str, year_x: int | None, year_y: int | None) -> pd.DataFrame:
    """The NUTS 2 regions with both values (region, name, country, x, y): the same for every target."""
    nuts2 = obs.regions_at(2)
    xs = obs.indicator_values(x, year_x, 2)["value"] if year_x is not None else pd.Series(dtype=float)
    ys = obs.indicator_values(y, year_y, 2)["value"] if year_y is not None else pd.Series(dtype=float)
    frame = pd.DataFrame({"region": nuts2["nuts_id"].astype(str).to_numpy(),
                          "name": nuts2["name_latn"].astype(str).to_numpy(),
                          "country": nuts2["country"].astype(str).to_numpy()})
    frame["x"] = frame["region"].map(xs).astype(float)
    frame["y"] = frame["region"].map(ys).astype(float)
    return frame.dropna(subset=["x", "y"]).reset_index(drop=True)


def profile_frame(matrix: StructuralMatrix, codes: Sequence[str], labels: Mapping[str, str]) -> pd.DataFrame:
    """Standardised structural profile of the target and peers, one row per (region, indicator).

    Columns: region, indicator, label, dimension, z (NaN = missing), raw, year. Regions outside the
    matrix get all-NaN rows, so the chart shows them as missing rather than dropping them.
    """
    rows = []
    index = matrix.row
    for code in codes:
        i = index.get(code)
        for j, ind in enumerate(matrix.indicators):
            z = raw = year = math.nan
            if i is not None:
                z, raw, year = matrix.z[i, j], matrix.raw[i, j], matrix.years[i, j]
            rows.append((code, ind, labels.get(ind, ind), matrix.dimension_of[j], z, raw, year))
    return pd.DataFrame(rows, columns=["region", "indicator", "label", "dimension", "z", "raw", "year"])


def profile_references(obs, matrix: StructuralMatrix, country: str) -> pd.DataFrame:
    """EU and country reference points on the profile's standardised scale.

    For each structural indicator, the reference value (as :func:`eu_reference` /
    :func:`country_reference`, in the most recent year of the matrix's window that has one) put on
    the matrix's z scale with the same transform. Columns: key, indicator, z, value, year, label.
    """
    rows = []
    name = obs.country_name(country)
    for ind in matrix.indicators:
        table = reference_table(obs.indicator_frame(ind), country, name)
        table = table[(table["year"] <= matrix.reference_year)
                      & (table["year"] >= matrix.reference_year - matrix.window)]
        latest = table.sort_values("year").drop_duplicates("key", keep="last")
        for ref in latest.itertuples(index=False):
            rows.append((ref.key, ind, matrix.zscore(ind, ref.value), ref.value, ref.year, ref.label))
    return pd.DataFrame(rows, columns=["key", "indicator", "z", "value", "year", "label"])


def profile_references_for(obs, country: str) -> pd.DataFrame:
    """:func:`profile_references` for the build's structural matrix, computed once per country and build."""
    return obs.derived.get(_profile_references, country)


def _profile_references(obs, country: str) -> pd.DataFrame:
    return profile_references(obs, structural_matrix_for(obs), country)


def overlap_matrix(term_sets: Mapping[str, frozenset[str]], codes: Sequence[str],
                   max_terms: int = 30) -> pd.DataFrame:
    """Region x taxonomy term: 1.0 when the region's strategies prioritise the term, 0.0 when not,
    NaN for a region without any tagged priority (missing, not "no priorities").

    Columns: the terms held by the target (``codes[0]``) or by at least two of the regions, most
    widely shared first (then by term id), at most ``max_terms``.
    """
    present = [c for c in codes if c in term_sets]
    counts: dict[str, int] = {}
    for c in present:
        for term in term_sets[c]:
            counts[term] = counts.get(term, 0) + 1
    target_terms = term_sets.get(codes[0], frozenset()) if codes else frozenset()
    keep = [t for t, n in counts.items() if t in target_terms or n >= 2]
    keep.sort(key=lambda t: (-counts[t], t not in target_terms, t))
    keep = keep[:max_terms]
    data = np.full((len(codes), len(keep)), np.nan)
    for i, c in enumerate(codes):
        if c in term_sets:
            data[i] = [1.0 if t in term_sets[c] else 0.0 for t in keep]
    return pd.DataFrame(data, index=pd.Index(list(codes), name="region"), columns=keep)


@dataclass(frozen=True)
class BenchmarkSummary:
    """What the benchmark says in one paragraph: the region, its peers and why, and where it stands."""

    region: str
    name: str
    peers: int
    methods: tuple[str, ...]  # the peer methods in use, as the user chose them
    indicator_label: str
    unit: str
    year: int | None
    value: float | None  # the region's value (None = not published)
    rank: int | None  # 1 = highest value among the region and its peers with a value
    ranked: int  # how many of them have a value

    def sentences(self, method_labels: dict[str, str]) -> list[str]:
        """The summary in plain words (the page shows them as a paragraph)."""
        chosen = ", ".join(method_labels.get(m, m).lower() for m in self.methods) or "hand-picked regions"
        text = [f"{self.name} ({self.region}) is compared with {self.peers} peer region"
                f"{'' if self.peers == 1 else 's'} ({chosen})."]
        if self.year is None:
            text.append(f"{self.indicator_label} has no NUTS 2 values to compare.")
        elif self.value is None or self.rank is None:
            text.append(f"{self.indicator_label}: no value is published for {self.name} in {self.year}.")
        else:
            text.append(f"{self.indicator_label}, {self.year}: it ranks {self.rank} of {self.ranked} "
                        f"({self.value:,.4g} {self.unit}; rank 1 = highest value).")
        return text


def benchmark_summary(obs, indicator: str | None, year: int | None, target: str, peers: Sequence[str], *,
                      methods: Sequence[str]) -> BenchmarkSummary:
    """Where ``target`` stands among its peers on ``indicator`` (``year``: the bars' year)."""
    region = obs.region(target)
    spec = obs.indicator(indicator) if indicator else None
    label = str(spec["label"]) if spec is not None else "The chosen indicator"
    unit = str(spec["unit"]) if spec is not None else ""
    value = rank = None
    ranked = 0
    if spec is not None and year is not None:
        frame = ranked_values(obs, indicator, year, target, peers).dropna(subset=["value"])
        ranked = len(frame)
        mine = frame.index[frame["region"] == target]
        if len(mine):
            rank = int(mine[0]) + 1
            value = float(frame.loc[mine[0], "value"])
    return BenchmarkSummary(region=target, name=region.name if region else target,
                            peers=len([p for p in peers if p != target]), methods=tuple(methods),
                            indicator_label=label, unit=unit, year=year, value=value, rank=rank,
                            ranked=ranked)
