"""Data for the benchmark charts: values of the region and its peers, reference lines, profiles.

Every chart compares a region with its peers against two reference lines, built the same way
everywhere (:func:`eu_reference`, :func:`country_reference`):

- **EU**: Eurostat's ``EU27_2020`` aggregate when the indicator has one for that year; otherwise
  the *unweighted* mean of the EU27 NUTS 2 regions that have a value, labelled as such (a mean of
  regions is not the EU figure: it weighs Åland like Île-de-France).
- **Country**: the country's own (NUTS 0) value when present; otherwise the unweighted mean of its
  NUTS 2 regions, labelled as such.

Missing values stay missing (NaN), so figures can show them as "no data" instead of dropping or
zero-filling them. Pure functions: an ``Observatory`` or frames in, frames and small dataclasses out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from observatory.analysis.geography import EU27
from observatory.analysis.peers import StructuralMatrix

EU_AGGREGATE = "EU27_2020"


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


def _rows(frame: pd.DataFrame, year: int | None) -> pd.DataFrame:
    rows = frame.dropna(subset=["value"])
    return rows if year is None else rows[rows["year"] == year]


def eu_reference(frame: pd.DataFrame, year: int, levels: Mapping[str, int] | None = None) -> Reference:
    """EU reference value of one indicator in one year (see the module docstring).

    ``frame``: the indicator's rows (region, year, value; ``level`` column or ``levels`` mapping).
    """
    rows = _rows(frame, year)
    aggregate = rows[rows["region"] == EU_AGGREGATE]
    if not aggregate.empty:
        value = float(aggregate["value"].iloc[0])
        return Reference("eu", "EU27 (Eurostat aggregate)", value, year, "aggregate")
    level = rows["level"] if "level" in rows else rows["region"].map(levels or {})
    regional = rows[(level == 2) & rows["region"].str[:2].isin(EU27)]
    if regional.empty:
        return Reference("eu", "EU27: no data", math.nan, year, "none")
    return Reference("eu", f"EU27: unweighted mean of {len(regional)} NUTS 2 regions",
                     float(regional["value"].mean()), year, "mean")


def country_reference(frame: pd.DataFrame, country: str, year: int, country_name: str | None = None,
                      levels: Mapping[str, int] | None = None) -> Reference:
    """Country reference value of one indicator in one year (see the module docstring)."""
    name = country_name or country
    rows = _rows(frame, year)
    own = rows[rows["region"] == country]
    if not own.empty:
        value = float(own["value"].iloc[0])
        return Reference("country", f"{name} (national value)", value, year, "aggregate")
    level = rows["level"] if "level" in rows else rows["region"].map(levels or {})
    regional = rows[(level == 2) & (rows["region"].str[:2] == country)]
    if regional.empty:
        return Reference("country", f"{name}: no data", math.nan, year, "none")
    return Reference("country", f"{name}: unweighted mean of {len(regional)} NUTS 2 regions",
                     float(regional["value"].mean()), year, "mean")


def references(obs, indicator: str, year: int | None, country: str) -> list[Reference]:
    """EU and country references for a chart of ``indicator`` in ``year`` (none without a year)."""
    if year is None:
        return []
    frame = obs.indicator_frame(indicator)
    return [eu_reference(frame, year), country_reference(frame, country, year, obs.country_name(country))]


def reference_series(obs, indicator: str, country: str) -> pd.DataFrame:
    """EU and country reference values for every year of the indicator (for the time series).

    Columns: key ("eu" | "country"), year, value, label, kind. Years without a value are left out.
    """
    frame = obs.indicator_frame(indicator)
    years = sorted(frame.loc[frame["level"] == 2, "year"].unique().tolist())
    name = obs.country_name(country)
    rows = []
    for year in years:
        for ref in (eu_reference(frame, year), country_reference(frame, country, year, name)):
            if ref.present:
                rows.append((ref.key, year, ref.value, ref.label, ref.kind))
    return pd.DataFrame(rows, columns=["key", "year", "value", "label", "kind"])


def region_names(obs, codes: Iterable[str]) -> dict[str, str]:
    names = obs.regions["name_latn"]
    return {c: str(names.get(c, c)) for c in codes}


def ranked_values(obs, indicator: str, year: int, target: str, peers: Sequence[str]) -> pd.DataFrame:
    """The target and its peers for one indicator and year, highest value first, missing last.

    Columns: region, name, value (NaN = no data), flag, role ("region" | "peer").
    """
    codes = [target, *[p for p in peers if p != target]]
    values = obs.indicator_values(indicator, year, 2)
    names = region_names(obs, codes)
    frame = pd.DataFrame({
        "region": codes,
        "name": [names[c] for c in codes],
        "value": [float(values["value"].get(c, np.nan)) for c in codes],
        "flag": [str(values["flag"].get(c, "") or "") for c in codes],
        "role": ["region" if c == target else "peer" for c in codes],
    })
    frame = frame.sort_values("value", ascending=False, na_position="last", kind="stable")
    return frame.reset_index(drop=True)


def series_frame(obs, indicator: str, codes: Sequence[str]) -> pd.DataFrame:
    """Time series of the target and its peers: region, name, year, value, flag (only observed years)."""
    frame = obs.indicator_frame(indicator)
    rows = frame[frame["region"].isin(list(codes))].dropna(subset=["value"])
    names = region_names(obs, codes)
    out = rows[["region", "year", "value", "flag"]].copy()
    out["name"] = out["region"].map(names)
    order = {c: i for i, c in enumerate(codes)}
    out["order"] = out["region"].map(order)
    return out.sort_values(["order", "year"]).drop(columns="order").reset_index(drop=True)


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
    nuts2 = obs.regions_at(2)
    xs = obs.indicator_values(x, year_x, 2)["value"] if year_x is not None else pd.Series(dtype=float)
    ys = obs.indicator_values(y, year_y, 2)["value"] if year_y is not None else pd.Series(dtype=float)
    frame = pd.DataFrame({"region": nuts2["nuts_id"].astype(str).to_numpy(),
                          "name": nuts2["name_latn"].astype(str).to_numpy(),
                          "country": nuts2["country"].astype(str).to_numpy()})
    frame["x"] = frame["region"].map(xs).astype(float)
    frame["y"] = frame["region"].map(ys).astype(float)
    peer_set = set(peers)
    frame["role"] = ["region" if c == target else ("peer" if c in peer_set else "other")
                     for c in frame["region"]]
    wanted = [c for c in [target, *peers] if c]
    has_both = frame.dropna(subset=["x", "y"])
    out = has_both.reset_index(drop=True)
    out.attrs["missing"] = [c for c in wanted if c not in set(has_both["region"])]
    return out


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
        frame = obs.indicator_frame(ind)
        window = frame[(frame["year"] <= matrix.reference_year)
                       & (frame["year"] >= matrix.reference_year - matrix.window)]
        years = sorted(window.dropna(subset=["value"])["year"].unique().tolist(), reverse=True)
        for key in ("eu", "country"):
            for year in years:
                ref = (eu_reference(frame, year) if key == "eu"
                       else country_reference(frame, country, year, name))
                if ref.present:
                    rows.append((key, ind, matrix.zscore(ind, ref.value), ref.value, year, ref.label))
                    break
    return pd.DataFrame(rows, columns=["key", "indicator", "z", "value", "year", "label"])


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
