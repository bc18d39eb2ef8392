"""Peer regions for benchmarking: structural similarity, same country, shared S3 priorities.

Structural similarity follows the logic of the JRC / Orkestra regional benchmarking method
(Navarro et al. 2014, S3 Working Paper 03/2014): regions are compared only on *structural*
conditions (slow-moving characteristics that shape how a region innovates), never on performance,
and each dimension of structure counts equally. The exact formula of the published tool could not
be verified, so this is an implementation *inspired by* it; every choice is written here and in
``docs/benchmarking.md``:

1. **Values.** For each structural indicator of the catalogue (``kind == "structural"``) and each
   NUTS 2 region, the most recent value in the window ``[reference_year - window, reference_year]``
   (:func:`latest_in_window`). Older values count as missing.
2. **Transform.** An indicator whose values are non-negative and strongly right-skewed (sample
   skewness above :data:`SKEW_LIMIT`, e.g. population, density) is compared on ``log10`` scale,
   but only when the log actually reduces the skew (:func:`choose_transform`). A few zeros
   (at most :data:`MAX_ZERO_SHARE`) are allowed; on the log scale they count as missing and are
   listed in :attr:`StructuralMatrix.zeros_on_log_scale`.
3. **Standardise.** z-scores across the NUTS 2 regions that have a value:
   ``z = (x - mean) / sd`` with the population standard deviation (``ddof=0``)
   (:func:`standardise`). An indicator with zero spread is dropped (it cannot tell regions apart).
4. **Distance within a dimension.** For a pair of regions, the root mean square of the z-score
   differences over the indicators of that dimension that *both* regions have:
   ``D_d = sqrt(mean_i (z_ai - z_bi)^2)``; undefined when they share none.
5. **Distance.** Dimensions weigh equally, over the dimensions defined for the pair:
   ``D = sqrt(mean_d D_d^2)`` (a Euclidean distance with equal dimension weights; symmetric; 0 for
   identical profiles; in standard-deviation units). A dimension's **contribution** is its share of
   ``D^2``: ``(D_d^2 / k) / D^2`` (shares add up to 1 over the k dimensions used).
6. **Coverage.** Each pair reports how many dimensions and indicators it was computed on. A pair
   is ranked only when it shares at least ``min_dimensions`` dimensions (default: 2, or the
   target's own number of dimensions when it has fewer), so a distance is never based on one
   narrow aspect, and at least ``min_indicator_share`` of the indicators the target has (default
   one half). The second rule matters: a mean over few indicators is noisier, so without it
   regions with sparse data (often outside the EU) crowd the top of every ranking by chance.

Priority peers use the Jaccard index over the sets of taxonomy terms of the strategies covering each
region (:func:`region_term_sets`, :func:`priority_peers`).

Everything here is pure (pandas/numpy in, pandas out). :func:`structural_matrix_for` keeps
the standardised matrix once per data build (in ``obs.derived``), so a peer search
(:func:`structural_distances`) is a handful of vectorised numpy operations over all NUTS 2 regions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

#: The dimensions of regional structure, in display order (catalogue field ``dimension``).
DIMENSIONS: tuple[str, ...] = (
    "geography_demography", "economic_structure", "human_capital", "technology_innovation", "institutions",
)
DIMENSION_LABELS: dict[str, str] = {
    "geography_demography": "Geography & demography",
    "economic_structure": "Economic structure",
    "human_capital": "Human capital",
    "technology_innovation": "Technology & innovation",
    "institutions": "Institutions",
}

#: Default window: a value may be at most this many years older than the reference year.
DEFAULT_WINDOW = 10
#: Sample skewness above which a positive indicator is compared on log scale.
SKEW_LIMIT = 2.0
#: Largest share of zero values an indicator may have and still be put on log scale.
MAX_ZERO_SHARE = 0.02
#: Default minimum number of shared dimensions for a pair to be ranked.
MIN_DIMENSIONS = 2
#: Default minimum share of the target's indicators a pair must share to be ranked.
MIN_INDICATOR_SHARE = 0.5

#: Peer-selection methods (URL values).
METHODS: tuple[str, ...] = ("structural", "country", "priorities")
METHOD_LABELS: dict[str, str] = {
    "structural": "Structurally similar",
    "country": "Same country",
    "priorities": "Shared S3 priorities",
    "hand": "Hand-picked",
}

#: Taxonomy schemes usable for priority peers; "all" means every scheme.
TERM_SCHEMES: tuple[str, ...] = ("nace", "fos", "policy", "all")


# --- 1-3: values, transform, standardisation ---------------------------------------------------


def latest_in_window(values: pd.DataFrame, reference_year: int, window: int) -> pd.DataFrame:
    """Per region, the most recent value with ``reference_year - window <= year <= reference_year``.

    ``values``: columns region, year, value. Returns a region-indexed frame with value and year.
    """
    usable = values.dropna(subset=["value"])
    usable = usable[(usable["year"] <= reference_year) & (usable["year"] >= reference_year - window)]
    latest = usable.sort_values(["region", "year"]).drop_duplicates("region", keep="last")
    return latest.set_index("region")[["value", "year"]]


def skewness(x: np.ndarray) -> float:
    """Sample skewness (Fisher-Pearson, biased: ``m3 / m2**1.5``); NaN below 3 values or zero spread."""
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) < 3:
        return math.nan
    d = x - x.mean()
    m2 = float(np.mean(d**2))
    return math.nan if m2 == 0 else float(np.mean(d**3) / m2**1.5)


def choose_transform(x: np.ndarray) -> str:
    """``"log10"`` for non-negative values skewed above :data:`SKEW_LIMIT` when the log reduces the skew.

    Otherwise ``"identity"``. Density and population are the typical log-scale cases. Zeros are
    tolerated up to :data:`MAX_ZERO_SHARE` of the values (a log scale cannot place them: they then
    count as missing, see :func:`apply_transform`); any negative value means the indicator is not a
    quantity that a log scale suits.
    """
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) < 3 or (x < 0).any() or (x == 0).mean() > MAX_ZERO_SHARE:
        return "identity"
    raw = skewness(x)
    if not raw > SKEW_LIMIT:
        return "identity"
    logged = skewness(np.log10(x[x > 0]))
    return "log10" if abs(logged) < abs(raw) else "identity"


def apply_transform(x: np.ndarray | float, transform: str) -> np.ndarray | float:
    """Apply a transform named by :func:`choose_transform` (non-positive values become NaN under log)."""
    if transform == "log10":
        arr = np.asarray(x, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(arr > 0, np.log10(np.where(arr > 0, arr, 1.0)), np.nan)
        return float(out) if np.ndim(x) == 0 else out
    return x


def standardise(x: np.ndarray) -> tuple[np.ndarray, float, float]:
    """z-scores ``(x - mean) / sd`` over the non-missing values, population sd (ddof=0).

    Returns (z, mean, sd); NaN stays NaN. With zero spread (or no values) z is all NaN.
    """
    x = np.asarray(x, dtype=float)
    present = x[~np.isnan(x)]
    if len(present) == 0:
        return np.full_like(x, np.nan), math.nan, math.nan
    mean = float(present.mean())
    sd = float(present.std(ddof=0))
    if sd == 0:
        return np.full_like(x, np.nan), mean, sd
    return (x - mean) / sd, mean, sd


# --- the standardised matrix ------------------------------------------------------------------


@dataclass(frozen=True)
class StructuralMatrix:
    """Standardised structural indicators of all NUTS 2 regions: the input of every peer search.

    Rows are regions (``regions``), columns indicators (``indicators``); ``z`` holds NaN for a
    missing value. ``raw`` and ``years`` keep the untransformed value and its year, so every
    number in a chart can be traced back. ``mean``/``sd`` are of the *transformed* values: use
    :meth:`zscore` to put any other value (an EU or country aggregate) on the same scale.
    """

    regions: tuple[str, ...]
    country: np.ndarray  # country code per row
    indicators: tuple[str, ...]
    dimension_of: tuple[str, ...]  # dimension per column
    transform: tuple[str, ...]  # "identity" | "log10" per column
    mean: np.ndarray
    sd: np.ndarray
    z: np.ndarray  # (regions x indicators)
    raw: np.ndarray
    years: np.ndarray  # float, NaN when missing
    reference_year: int
    window: int
    dropped: tuple[tuple[str, str], ...] = ()  # (indicator, reason) not used in the matrix
    #: (indicator, regions) whose value 0 cannot be placed on the indicator's log scale (counted missing)
    zeros_on_log_scale: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def dimensions(self) -> tuple[str, ...]:
        """Dimensions with at least one indicator, in :data:`DIMENSIONS` order (unknown ones last)."""
        present = set(self.dimension_of)
        ordered = [d for d in DIMENSIONS if d in present]
        return tuple(ordered + sorted(present - set(ordered)))

    @cached_property
    def row(self) -> dict[str, int]:
        """Row number of each region code (made once: every peer search looks codes up)."""
        return {code: i for i, code in enumerate(self.regions)}

    def indicators_of(self, dimension: str) -> list[str]:
        return [i for i, d in zip(self.indicators, self.dimension_of, strict=True) if d == dimension]

    def zscore(self, indicator: str, value: float) -> float:
        """A value of ``indicator`` on this matrix's standardised scale (NaN when impossible)."""
        j = self.indicators.index(indicator)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return math.nan
        transformed = apply_transform(float(value), self.transform[j])
        return float((transformed - self.mean[j]) / self.sd[j])

    def frame(self, which: str = "z") -> pd.DataFrame:
        """``z``, ``raw`` or ``years`` as a region x indicator DataFrame."""
        data = {"z": self.z, "raw": self.raw, "years": self.years}[which]
        return pd.DataFrame(data, index=pd.Index(self.regions, name="region"), columns=list(self.indicators))

    def dimension_weights(self) -> np.ndarray:
        """(indicators x dimensions) 0/1 membership matrix, columns in :attr:`dimensions` order."""
        dims = self.dimensions
        member = np.zeros((len(self.indicators), len(dims)))
        for j, d in enumerate(self.dimension_of):
            member[j, dims.index(d)] = 1.0
        return member


def build_structural_matrix(
    values: pd.DataFrame,
    specs: pd.DataFrame,
    regions: pd.DataFrame,
    *,
    reference_year: int,
    window: int = DEFAULT_WINDOW,
) -> StructuralMatrix:
    """Assemble and standardise the structural matrix.

    ``values``: columns indicator, region, year, value (any level; only ``regions`` are used).
    ``specs``: columns id, dimension — the structural indicators, in the order to use.
    ``regions``: columns code, country — the NUTS 2 regions to compare (the standardisation population).
    """
    codes = [str(c) for c in regions["code"]]
    index = pd.Index(codes)
    columns, dims, transforms, means, sds, zs, raws, years, dropped = [], [], [], [], [], [], [], [], []
    unplaced: list[tuple[str, tuple[str, ...]]] = []
    grouped = dict(list(values[values["region"].isin(codes)].groupby("indicator", sort=False)))
    for ind, dim in zip(specs["id"], specs["dimension"], strict=True):
        frame = grouped.get(ind)
        if frame is None:
            dropped.append((ind, "no NUTS 2 values"))
            continue
        latest = latest_in_window(frame, reference_year, window).reindex(index)
        raw = latest["value"].to_numpy(dtype=float)
        if np.count_nonzero(~np.isnan(raw)) < 3:
            dropped.append((ind, f"fewer than 3 NUTS 2 values in {reference_year - window}-{reference_year}"))
            continue
        transform = choose_transform(raw)
        if transform == "log10" and (raw == 0).any():
            zeros = tuple(str(c) for c in index[raw == 0])
            unplaced.append((str(ind), zeros))
        z, mean, sd = standardise(apply_transform(raw, transform))
        if not sd > 0:
            dropped.append((ind, "no spread across regions"))
            continue
        columns.append(str(ind))
        dims.append(str(dim))
        transforms.append(transform)
        means.append(mean)
        sds.append(sd)
        zs.append(z)
        raws.append(raw)
        years.append(latest["year"].to_numpy(dtype=float))

    def stack(cols: list[np.ndarray]) -> np.ndarray:
        return np.column_stack(cols) if cols else np.empty((len(codes), 0))

    return StructuralMatrix(
        regions=tuple(codes),
        country=regions["country"].astype(str).to_numpy(),
        indicators=tuple(columns),
        dimension_of=tuple(dims),
        transform=tuple(transforms),
        mean=np.array(means, dtype=float),
        sd=np.array(sds, dtype=float),
        z=stack(zs),
        raw=stack(raws),
        years=stack(years),
        reference_year=int(reference_year),
        window=int(window),
        dropped=tuple(dropped),
        zeros_on_log_scale=tuple(unplaced),
    )


#: Structural indicators of the catalogue that the similarity leaves out, and why. GDP per head is
#: the outcome the method's second step compares *within* the group of similar regions ("superior
#: economic and innovative performance", Navarro et al.), and Orkestra's list of structural blocks
#: (geo-demography, sectors, firm size, specialisation, markets, institutions) has no income level.
#: Total GDP is population times GDP per head: its size part is already counted by population.
#: The three per-head variants would also count one measure three times (PPS and "EU27 = 100" are
#: the same numbers rescaled, so they have identical z-scores).
EXCLUDED_FROM_SIMILARITY: dict[str, str] = {
    "gdp_mio_eur": "size of the economy = population (already counted) x GDP per head (an outcome)",
    "gdp_pc_eur": "GDP per head is economic performance, compared after peers are chosen",
    "gdp_pc_pps": "GDP per head is economic performance, compared after peers are chosen",
    "gdp_pc_pps_eu": "GDP per head (PPS) rescaled to EU27 = 100: performance, and a duplicate of gdp_pc_pps",
}


def structural_specs(catalogue: pd.DataFrame, exclude: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The indicators the similarity uses (id, dimension, label), in catalogue order.

    The catalogue's ``kind == "structural"`` indicators minus ``exclude`` (default
    :data:`EXCLUDED_FROM_SIMILARITY`).
    """
    exclude = EXCLUDED_FROM_SIMILARITY if exclude is None else exclude
    specs = catalogue[(catalogue["kind"] == "structural") & ~catalogue["id"].isin(list(exclude))]
    return specs[["id", "dimension", "label"]].reset_index(drop=True)


def default_reference_year(values: pd.DataFrame, indicator_ids: Iterable[str],
                           region_codes: Iterable[str]) -> int:
    """The latest year with any structural NUTS 2 value: the newest data always counts."""
    rows = values[values["indicator"].isin(list(indicator_ids)) & values["region"].isin(list(region_codes))]
    rows = rows.dropna(subset=["value"])
    return int(rows["year"].max())


def structural_matrix_for(obs, reference_year: int | None = None,
                          window: int = DEFAULT_WINDOW) -> StructuralMatrix:
    """The structural matrix of an ``Observatory`` over its NUTS 2 regions, computed once per data
    build (kept in ``obs.derived``: it lives and goes with the build)."""
    return obs.derived.get(_structural_matrix, reference_year, window)


def _structural_matrix(obs, reference_year: int | None, window: int) -> StructuralMatrix:
    specs = structural_specs(obs.catalogue)
    nuts2 = obs.regions_at(2)
    regions = pd.DataFrame({"code": nuts2["nuts_id"].astype(str), "country": nuts2["country"].astype(str)})
    regions = regions.sort_values("code").reset_index(drop=True)
    values = obs.values[obs.values["indicator"].isin(specs["id"])][["indicator", "region", "year", "value"]]
    if reference_year is None:
        reference_year = default_reference_year(values, specs["id"], regions["code"])
    return build_structural_matrix(values, specs, regions, reference_year=reference_year, window=window)


# --- 4-6: distances ---------------------------------------------------------------------------


def structural_distances(
    matrix: StructuralMatrix,
    target: str,
    *,
    exclude_same_country: bool = False,
    min_dimensions: int | None = None,
    min_indicator_share: float = MIN_INDICATOR_SHARE,
) -> pd.DataFrame:
    """Distance from ``target`` to every other region, nearest first, with its explanation.

    Columns: ``distance``; ``dimensions`` and ``indicators`` (how many the pair shared);
    ``dist:<dimension>`` (D_d, NaN when the pair shares no indicator of it); ``share:<dimension>``
    (the dimension's share of D², NaN when unused). Regions sharing fewer than ``min_dimensions``
    dimensions, or fewer than ``min_indicator_share`` of the target's indicators, with the target
    are left out (see the module docstring for the defaults).
    Raises ``KeyError`` for a target not in the matrix.
    """
    i = matrix.row[target]
    dims = matrix.dimensions
    member = matrix.dimension_weights()
    diff2 = (matrix.z - matrix.z[i]) ** 2  # NaN where either value is missing
    valid = ~np.isnan(diff2)
    sums = np.where(valid, diff2, 0.0) @ member
    counts = valid.astype(float) @ member
    with np.errstate(invalid="ignore", divide="ignore"):
        dim2 = np.where(counts > 0, sums / np.where(counts > 0, counts, 1.0), np.nan)  # D_d^2
    used = ~np.isnan(dim2)
    k = used.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        total2 = np.where(k > 0, np.nansum(np.where(used, dim2, 0.0), axis=1) / np.where(k > 0, k, 1), np.nan)
        share = np.where(used & (total2[:, None] > 0), (dim2 / k[:, None]) / total2[:, None], np.nan)
    target_dims = int((~np.isnan(matrix.z[i]) @ member > 0).sum())
    need = min(MIN_DIMENSIONS, target_dims) if min_dimensions is None else min_dimensions
    shared = valid.sum(axis=1)
    target_indicators = int((~np.isnan(matrix.z[i])).sum())
    keep = ((k >= max(need, 1)) & (shared >= min_indicator_share * target_indicators)
            & (np.arange(len(matrix.regions)) != i))
    if exclude_same_country:
        keep &= matrix.country != matrix.country[i]
    columns = {"distance": np.sqrt(total2), "dimensions": k, "indicators": shared}
    columns.update({f"dist:{d}": np.sqrt(dim2[:, j]) for j, d in enumerate(dims)})
    columns.update({f"share:{d}": share[:, j] for j, d in enumerate(dims)})
    # one frame made from the kept rows at once (inserting columns one by one cost more than the maths)
    out = pd.DataFrame({name: values[keep] for name, values in columns.items()},
                       index=pd.Index(np.asarray(matrix.regions, dtype=object)[keep], name="region"))
    return out.sort_values(["distance"], kind="stable")


def target_coverage(matrix: StructuralMatrix, target: str) -> dict[str, list[str]]:
    """For the target region: the structural indicators it has, and lacks, per dimension."""
    i = matrix.row[target]
    have = ~np.isnan(matrix.z[i])
    out: dict[str, list[str]] = {}
    for d in matrix.dimensions:
        cols = [j for j, dd in enumerate(matrix.dimension_of) if dd == d]
        out[d] = [matrix.indicators[j] for j in cols if have[j]]
    return out


# --- priority peers ---------------------------------------------------------------------------


def region_term_sets(
    links: pd.DataFrame,
    priorities: pd.DataFrame,
    tags: pd.DataFrame,
    *,
    include_national: bool = False,
    scheme: str = "nace",
    periods: Sequence[str] | None = None,
) -> dict[str, frozenset[str]]:
    """Per region, the taxonomy terms its covering strategies prioritise.

    ``links``: (region, strategy_id, level) — every strategy covering each region, as
    ``Observatory.strategy_links(2)`` gives (regional strategies of the region itself, of the
    NUTS 1 region containing it, or of NUTS 3 regions within it; national strategies of its
    country). Only ``level == "regional"`` strategies count unless ``include_national``.
    ``priorities``: (priority_id, strategy_id); ``tags``: (priority_id, term).
    ``scheme``: "nace", "fos", "policy" or "all" (term ids are ``scheme:code``).
    ``periods``: strategy periods to keep (None = all); needs a ``period`` column in ``links``.
    Regions without any tagged priority are absent from the result (missing, not empty).
    """
    chosen = links if include_national else links[links["level"] == "regional"]
    if periods is not None:
        chosen = chosen[chosen["period"].isin(list(periods))]
    terms = tags[["priority_id", "term"]]
    if scheme != "all":
        terms = terms[terms["term"].str.startswith(f"{scheme}:")]
    joined = (chosen[["region", "strategy_id"]]
              .merge(priorities[["priority_id", "strategy_id"]], on="strategy_id")
              .merge(terms, on="priority_id"))
    return {str(region): frozenset(group["term"]) for region, group in joined.groupby("region")}


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|A ∩ B| / |A ∪ B|; NaN when both are empty."""
    union = len(a | b)
    return math.nan if union == 0 else len(a & b) / union


def priority_peers(
    term_sets: Mapping[str, frozenset[str]],
    target: str,
    *,
    candidates: Iterable[str],
    country_of: Mapping[str, str],
    exclude_same_country: bool = False,
) -> pd.DataFrame:
    """Regions ranked by Jaccard similarity of their priority terms to the target's.

    Columns: similarity, shared (sorted tuple of shared terms), shared_count, union_count. Only
    ``candidates`` with a term set and at least one shared term are listed; ties are broken by
    more shared terms, then by code. Empty when the target has no terms.
    """
    mine = term_sets.get(target)
    columns = ["similarity", "shared", "shared_count", "union_count"]
    if not mine:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="region"))
    rows = []
    for code in candidates:
        if code == target or code not in term_sets:
            continue
        if exclude_same_country and country_of.get(code) == country_of.get(target):
            continue
        theirs = term_sets[code]
        shared = mine & theirs
        if not shared:
            continue
        union = len(mine | theirs)
        rows.append((code, len(shared) / union, tuple(sorted(shared)), len(shared), union))
    frame = pd.DataFrame(rows, columns=["region", *columns]).set_index("region")
    return frame.sort_values(["similarity", "shared_count"], ascending=[False, False], kind="stable") \
        if not frame.empty else frame


# --- combining the methods --------------------------------------------------------------------


@dataclass(frozen=True)
class PeerOptions:
    """How to choose peers (the analysis-side mirror of the page state)."""

    methods: tuple[str, ...] = ("structural",)
    n: int = 10
    exclude_same_country: bool = False
    scheme: str = "nace"
    include_national: bool = False
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


def combine_peers(
    target: str,
    options: PeerOptions,
    *,
    structural_ranking: Sequence[str] = (),
    priority_ranking: Sequence[str] = (),
    same_country: Sequence[str] = (),
    distances: pd.DataFrame | None = None,
    similarities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The peer list: the union of every chosen method, plus hand-picked additions, minus removals.

    ``structural_ranking`` / ``priority_ranking``: region codes, best first (the ``n`` limit is
    applied here, to each list separately). Order of the result: structural peers, then priority
    peers, then same-country regions, then hand-picked ones, each region once. Columns:
    ``methods`` (tuple of the methods that chose it; "hand" for hand-picked), then the columns of
    ``distances`` (as :func:`structural_distances` gives them, for every peer that has one, whatever
    method chose it) and ``similarity``/``shared``/``shared_count`` from ``similarities``.
    """
    chosen: dict[str, list[str]] = {}

    def add(codes: Iterable[str], method: str) -> None:
        for code in codes:
            if code != target:
                chosen.setdefault(code, []).append(method)

    if "structural" in options.methods:
        add(list(structural_ranking)[: options.n], "structural")
    if "priorities" in options.methods:
        add(list(priority_ranking)[: options.n], "priorities")
    if "country" in options.methods:
        add(same_country, "country")
    add(options.added, "hand")
    for code in options.removed:
        chosen.pop(code, None)
    frame = pd.DataFrame({"methods": [tuple(m) for m in chosen.values()]},
                         index=pd.Index(list(chosen), name="region"))
    if distances is not None:
        frame = frame.join(distances, how="left")
    if similarities is not None and not similarities.empty:
        frame = frame.join(similarities[["similarity", "shared", "shared_count"]], how="left")
    else:
        frame["similarity"] = np.nan
        frame["shared"] = None
        frame["shared_count"] = np.nan
    return frame


@dataclass(frozen=True)
class PeerResult:
    """Everything the benchmark page shows about a peer search."""

    target: str
    peers: pd.DataFrame  # see combine_peers
    matrix: StructuralMatrix
    distances: pd.DataFrame  # every comparable region, no exclusion (for explanations)
    term_sets: Mapping[str, frozenset[str]]
    target_dimensions: dict[str, list[str]]  # structural indicators the target has, per dimension
    notes: tuple[str, ...]  # plain-language caveats (no priority records, thin coverage...)

    @property
    def codes(self) -> list[str]:
        return list(self.peers.index)


def term_sets_for(obs, scheme: str = "nace", include_national: bool = False) -> dict[str, frozenset[str]]:
    """:func:`region_term_sets` over an ``Observatory``'s NUTS 2 regions, computed once per build."""
    return obs.derived.get(_term_sets, scheme, include_national)


def _term_sets(obs, scheme: str, include_national: bool) -> dict[str, frozenset[str]]:
    links = obs.strategy_links(2)
    links = links.merge(obs.strategies[["strategy_id", "period"]].reset_index(drop=True), on="strategy_id",
                        how="left")
    return region_term_sets(links, obs.priorities, obs.priority_tags, include_national=include_national,
                            scheme=scheme)


def find_peers(obs, target: str, options: PeerOptions, matrix: StructuralMatrix | None = None) -> PeerResult:
    """Run the chosen methods for one NUTS 2 region of an ``Observatory`` and combine them."""
    matrix = matrix or structural_matrix_for(obs)
    notes: list[str] = []
    in_matrix = target in matrix.row
    if in_matrix:
        ranking = structural_distances(matrix, target, exclude_same_country=options.exclude_same_country)
        distances = structural_distances(matrix, target, min_dimensions=1, min_indicator_share=0)
        coverage = target_coverage(matrix, target)
        missing_dims = [d for d, have in coverage.items() if not have]
        if missing_dims and len(missing_dims) == len(coverage):
            notes.append("No structural data for this region: no structural similarity.")
        elif missing_dims:
            labels = ", ".join(DIMENSION_LABELS.get(d, d) for d in missing_dims)
            notes.append(f"No structural data for {labels}: similarity uses the other dimensions.")
    else:
        ranking = distances = structural_distances_empty(matrix)
        coverage = {d: [] for d in matrix.dimensions}
        notes.append("This region is not in the structural data: no structural similarity.")
    term_sets = term_sets_for(obs, options.scheme, options.include_national)
    countries = dict(zip(matrix.regions, matrix.country, strict=True))
    candidates = list(matrix.regions)
    similarities_all = priority_peers(term_sets, target, candidates=candidates, country_of=countries)
    similarities_ranked = priority_peers(term_sets, target, candidates=candidates, country_of=countries,
                                         exclude_same_country=options.exclude_same_country)
    if "priorities" in options.methods and target not in term_sets:
        notes.append("No tagged S3 priorities cover this region"
                     + ("" if options.include_national else " (regional strategies only)")
                     + ": no priority peers.")
    country = countries.get(target, target[:2])
    same_country = [c for c in candidates if countries[c] == country and c != target]
    if "country" in options.methods and in_matrix:
        same_country = sorted(same_country, key=lambda c: (distances["distance"].get(c, math.inf), c))
    peers = combine_peers(
        target, options,
        structural_ranking=list(ranking.index), priority_ranking=list(similarities_ranked.index),
        same_country=same_country, distances=distances, similarities=similarities_all,
    )
    return PeerResult(target=target, peers=peers, matrix=matrix, distances=distances, term_sets=term_sets,
                      target_dimensions=coverage, notes=tuple(notes))


def structural_distances_empty(matrix: StructuralMatrix) -> pd.DataFrame:
    """The shape :func:`structural_distances` returns, with no rows (a target without data)."""
    columns = ["distance", "dimensions", "indicators", *[f"dist:{d}" for d in matrix.dimensions],
               *[f"share:{d}" for d in matrix.dimensions]]
    return pd.DataFrame(columns=columns, index=pd.Index([], name="region"), dtype=float)
