"""Similarity math of the benchmark peers, against examples computed by hand, then on the real data.

The small arrays below are arithmetic examples for pure functions (worked out on paper in the
comments), not app data: every number the app shows comes from the real build (second half).
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest

from observatory.analysis import peers as P  # noqa: N812


def _matrix(z: list[list[float]], dims: list[str], codes: list[str],
            countries: list[str]) -> P.StructuralMatrix:
    """A StructuralMatrix with given z-scores (identity transform, mean 0, sd 1)."""
    arr = np.array(z, dtype=float)
    return P.StructuralMatrix(
        regions=tuple(codes), country=np.array(countries),
        indicators=tuple(f"i{j}" for j in range(len(dims))),
        dimension_of=tuple(dims), transform=tuple("identity" for _ in dims), mean=np.zeros(len(dims)),
        sd=np.ones(len(dims)), z=arr, raw=arr.copy(), years=np.where(np.isnan(arr), np.nan, 2020.0),
        reference_year=2020, window=5,
    )


# --- standardisation, window, transform ------------------------------------------------------------


def test_standardise_population_sd_by_hand():
    # mean 2.5; population variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25; sd = sqrt(5)/2
    z, mean, sd = P.standardise(np.array([1.0, 2.0, 3.0, 4.0, np.nan]))
    assert mean == 2.5
    assert sd == pytest.approx(math.sqrt(5) / 2)
    assert z[:4] == pytest.approx([-3 / math.sqrt(5), -1 / math.sqrt(5), 1 / math.sqrt(5), 3 / math.sqrt(5)])
    assert math.isnan(z[4])  # missing stays missing, is not imputed


def test_standardise_zero_spread_gives_no_scores():
    z, _, sd = P.standardise(np.array([5.0, 5.0, np.nan]))
    assert sd == 0
    assert np.isnan(z).all()


def test_latest_in_window_takes_newest_value_not_older_than_window():
    values = pd.DataFrame({
        "region": ["A", "A", "A", "B", "C"],
        "year": [2010, 2015, 2019, 2010, 2021],
        "value": [1.0, 2.0, np.nan, 7.0, 9.0],
    })
    got = P.latest_in_window(values, reference_year=2020, window=5)
    # A: 2019 is missing, so 2015 (within 2015-2020); B: 2010 is too old; C: 2021 is after the reference
    assert got.to_dict("index") == {"A": {"value": 2.0, "year": 2015}}


def test_log_transform_only_for_positive_strongly_skewed_values():
    skewed = np.array([1.0] * 9 + [1000.0])  # skewness 2.67 > 2; log10 gives [0]*9 + [3]: same shape, but
    assert P.skewness(skewed) == pytest.approx(8 / 3)  # (m3/m2^1.5) = 8/3 for one outlier among ten
    # ... a single outlier keeps its skewness under any monotone transform, so the log is not chosen
    assert P.choose_transform(skewed) == "identity"
    lognormal_like = np.array([1, 2, 3, 5, 8, 10, 20, 50, 100, 1000, 10000], dtype=float)
    assert P.skewness(lognormal_like) > P.SKEW_LIMIT
    assert abs(P.skewness(np.log10(lognormal_like))) < P.skewness(lognormal_like)
    assert P.choose_transform(lognormal_like) == "log10"
    assert P.choose_transform(np.array([-1.0, 2, 3, 5, 8, 10, 20, 50, 100, 1000, 10000])) == "identity"
    # zeros: tolerated up to MAX_ZERO_SHARE (they cannot be placed on a log scale: they become missing)
    many = np.concatenate([lognormal_like] * 10)
    one_zero = np.concatenate([many, [0.0]])  # 1 of 111 values
    assert P.choose_transform(one_zero) == "log10"
    assert math.isnan(P.apply_transform(one_zero, "log10")[-1])
    assert P.choose_transform(np.concatenate([lognormal_like, [0.0]])) == "identity"  # 1 of 12: too many
    assert P.choose_transform(np.array([1.0, 2, 3])) == "identity"


def test_build_matrix_standardises_and_reports_dropped_indicators():
    regions = pd.DataFrame({"code": ["R1", "R2", "R3", "R4"], "country": ["AA", "AA", "BB", "BB"]})
    values = pd.DataFrame({
        "indicator": ["a"] * 4 + ["flat"] * 3 + ["thin"] * 2 + ["a"],
        "region": ["R1", "R2", "R3", "R4", "R1", "R2", "R3", "R1", "R2", "AA"],
        "year": [2020, 2020, 2019, 2005, 2020, 2020, 2020, 2020, 2020, 2020],
        "value": [1.0, 2.0, 3.0, 99.0, 4.0, 4.0, 4.0, 1.0, 2.0, 50.0],
    })
    specs = pd.DataFrame({"id": ["a", "flat", "thin", "absent"], "dimension": ["d1", "d1", "d2", "d2"]})
    m = P.build_structural_matrix(values, specs, regions, reference_year=2020, window=10)
    assert m.indicators == ("a",)
    # R4's 2005 value is older than the window; the country row "AA" is not a NUTS 2 region: both unused
    assert m.raw[:, 0][:3] == pytest.approx([1.0, 2.0, 3.0])
    assert math.isnan(m.raw[3, 0])
    sd = math.sqrt(2 / 3)
    assert m.z[:3, 0] == pytest.approx([-1 / sd, 0.0, 1 / sd])
    assert m.years[2, 0] == 2019
    assert dict(m.dropped) == {
        "flat": "no spread across regions",
        "thin": "fewer than 3 NUTS 2 values in 2010-2020",
        "absent": "no NUTS 2 values",
    }
    assert m.zscore("a", 2.0) == pytest.approx(0.0)


# --- distances --------------------------------------------------------------------------------


DIMS = ["A", "A", "B"]


def test_distance_and_dimension_contributions_by_hand():
    # T = (0, 1 | 2), R = (1, 1 | 0): D_A^2 = (1 + 0) / 2 = 0.5, D_B^2 = 4; D^2 = (0.5 + 4) / 2 = 2.25
    m = _matrix([[0, 1, 2], [1, 1, 0]], DIMS, ["T", "R"], ["XX", "YY"])
    d = P.structural_distances(m, "T")
    row = d.loc["R"]
    assert row["distance"] == pytest.approx(1.5)
    assert row["dist:A"] == pytest.approx(math.sqrt(0.5))
    assert row["dist:B"] == pytest.approx(2.0)
    # shares of D^2: (0.5 / 2) / 2.25 = 1/9 and (4 / 2) / 2.25 = 8/9
    assert row["share:A"] == pytest.approx(1 / 9)
    assert row["share:B"] == pytest.approx(8 / 9)
    assert row["dimensions"] == 2
    assert row["indicators"] == 3


def test_dimensions_weigh_equally_whatever_their_number_of_indicators():
    # A has 3 indicators, each 1 apart: D_A^2 = 1; B has one, 3 apart: D_B^2 = 9; D = sqrt((1 + 9) / 2)
    # (weighting indicators equally would give sqrt((1 + 1 + 1 + 9) / 4) = sqrt(3) instead)
    m = _matrix([[0, 0, 0, 0], [1, 1, 1, 3]], ["A", "A", "A", "B"], ["T", "R"], ["XX", "YY"])
    assert P.structural_distances(m, "T").loc["R", "distance"] == pytest.approx(math.sqrt(5))


def test_missing_values_use_shared_indicators_and_report_coverage():
    nan = math.nan
    m = _matrix([[0, 1, 2], [nan, 3, nan], [nan, nan, nan], [0, nan, 1]], DIMS, ["T", "R2", "R3", "R4"],
                ["XX", "YY", "YY", "YY"])
    # R2 shares only a2 with T: D_A^2 = (3 - 1)^2 = 4, no B: one dimension, below the default minimum of 2
    assert "R2" not in P.structural_distances(m, "T").index
    loose = P.structural_distances(m, "T", min_dimensions=1, min_indicator_share=0)
    assert loose.loc["R2", "distance"] == pytest.approx(2.0)
    assert loose.loc["R2", "dimensions"] == 1
    assert loose.loc["R2", "indicators"] == 1
    assert math.isnan(loose.loc["R2", "dist:B"])
    assert math.isnan(loose.loc["R2", "share:B"])
    assert loose.loc["R2", "share:A"] == pytest.approx(1.0)
    # R3 has nothing: never ranked. R4 shares a1 and b: D_A^2 = 0, D_B^2 = 1 -> D = sqrt(0.5)
    assert "R3" not in loose.index
    assert loose.loc["R4", "distance"] == pytest.approx(math.sqrt(0.5))
    assert loose.index[0] == "R4"  # nearest first


def test_pairs_sharing_too_few_of_the_targets_indicators_are_not_ranked():
    nan = math.nan
    # T has 4 indicators in 2 dimensions; R1 shares 1 of them (< half), R2 shares 2 (= half)
    m = _matrix([[0, 0, 0, 0], [1, nan, nan, nan], [1, nan, 1, nan]], ["A", "A", "B", "B"],
                ["T", "R1", "R2"], ["XX", "YY", "YY"])
    ranked = P.structural_distances(m, "T", min_dimensions=1)
    assert list(ranked.index) == ["R2"]
    assert ranked.loc["R2", "indicators"] == 2
    assert "R1" in P.structural_distances(m, "T", min_dimensions=1, min_indicator_share=0).index


def test_target_with_few_dimensions_lowers_the_default_minimum():
    nan = math.nan
    m = _matrix([[0, 1, nan], [1, 1, 5]], DIMS, ["T", "R"], ["XX", "YY"])
    # T has data in one dimension only, so pairs sharing that one dimension are ranked
    assert P.structural_distances(m, "T").loc["R", "distance"] == pytest.approx(math.sqrt(0.5))


def test_same_country_exclusion_and_symmetry():
    m = _matrix([[0, 0, 0], [1, 1, 1], [2, 2, 2]], DIMS, ["AT11", "AT12", "ITH2"], ["AT", "AT", "IT"])
    all_regions = P.structural_distances(m, "AT11")
    assert list(all_regions.index) == ["AT12", "ITH2"]
    assert list(P.structural_distances(m, "AT11", exclude_same_country=True).index) == ["ITH2"]
    back = P.structural_distances(m, "ITH2")
    assert back.loc["AT11", "distance"] == pytest.approx(all_regions.loc["ITH2", "distance"])
    assert all_regions.loc["ITH2", "distance"] == pytest.approx(2.0)  # every z 2 apart


def test_identical_profiles_have_zero_distance_and_undefined_shares():
    m = _matrix([[1, 2, 3], [1, 2, 3]], DIMS, ["T", "R"], ["XX", "YY"])
    row = P.structural_distances(m, "T").loc["R"]
    assert row["distance"] == 0
    assert math.isnan(row["share:A"])


# --- priority peers and combination -----------------------------------------------------------


def test_jaccard_by_hand():
    assert P.jaccard(frozenset("abc"), frozenset("bcd")) == pytest.approx(2 / 4)
    assert P.jaccard(frozenset("a"), frozenset("b")) == 0
    assert math.isnan(P.jaccard(frozenset(), frozenset()))


def test_priority_peers_rank_by_jaccard_and_list_shared_terms():
    sets = {"T": frozenset({"nace:C", "nace:C20", "nace:J"}), "P1": frozenset({"nace:C", "nace:C20"}),
            "P2": frozenset({"nace:J", "nace:K", "nace:M", "nace:N"}), "P3": frozenset({"nace:A"}),
            "T2": frozenset({"nace:C", "nace:C20", "nace:J"})}
    countries = {"T": "XX", "P1": "YY", "P2": "YY", "P3": "YY", "T2": "XX"}
    got = P.priority_peers(sets, "T", candidates=["T", "P1", "P2", "P3", "T2", "P4"], country_of=countries)
    # T2: 3/3 = 1; P1: 2/3; P2: {J} / 6 terms = 1/6; P3 shares nothing; P4 has no records
    assert list(got.index) == ["T2", "P1", "P2"]
    assert got.loc["P1", "similarity"] == pytest.approx(2 / 3)
    assert got.loc["P2", "similarity"] == pytest.approx(1 / 6)
    assert got.loc["P1", "shared"] == ("nace:C", "nace:C20")
    excluded = P.priority_peers(sets, "T", candidates=list(sets), country_of=countries,
                                exclude_same_country=True)
    assert "T2" not in excluded.index
    assert P.priority_peers(sets, "P4", candidates=list(sets), country_of=countries).empty


def test_region_term_sets_regional_only_unless_national_asked():
    links = pd.DataFrame({"region": ["R1", "R1", "R2"], "strategy_id": ["reg1", "nat", "nat"],
                          "level": ["regional", "national", "national"], "period": ["2021-2027"] * 3})
    priorities = pd.DataFrame({"priority_id": ["p1", "p2"], "strategy_id": ["reg1", "nat"]})
    tags = pd.DataFrame({"priority_id": ["p1", "p1", "p2"], "term": ["nace:C", "fos:1.2", "nace:J"]})
    assert P.region_term_sets(links, priorities, tags) == {"R1": frozenset({"nace:C"})}
    with_national = P.region_term_sets(links, priorities, tags, include_national=True, scheme="all")
    assert with_national == {"R1": frozenset({"nace:C", "fos:1.2", "nace:J"}), "R2": frozenset({"nace:J"})}


def test_combine_peers_union_limit_and_hand_picking():
    options = P.PeerOptions(methods=("structural", "priorities", "country"), n=2, added=("Z9",),
                            removed=("S2",))
    got = P.combine_peers("T", options, structural_ranking=["S1", "S2", "S3"], priority_ranking=["S1", "Q1"],
                          same_country=["C1"])
    # n=2 per method; S2 removed by hand; S1 chosen by two methods; the target never appears
    assert list(got.index) == ["S1", "Q1", "C1", "Z9"]
    assert got.loc["S1", "methods"] == ("structural", "priorities")
    assert got.loc["Z9", "methods"] == ("hand",)
    only_hand = P.combine_peers("T", P.PeerOptions(methods=(), added=("T", "Z9")), structural_ranking=["S1"])
    assert list(only_hand.index) == ["Z9"]


# --- the real data ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix(obs):
    return P.structural_matrix_for(obs)


def test_real_matrix_uses_structural_indicators_only_and_is_standardised(obs, matrix):
    kinds = obs.catalogue.loc[list(matrix.indicators), "kind"]
    assert (kinds == "structural").all()
    assert not set(P.EXCLUDED_FROM_SIMILARITY) & set(matrix.indicators)
    assert set(matrix.dimensions) <= set(P.DIMENSIONS)
    assert len(matrix.regions) == len(obs.regions_at(2))
    for j in range(len(matrix.indicators)):
        col = matrix.z[:, j]
        col = col[~np.isnan(col)]
        assert col.mean() == pytest.approx(0, abs=1e-9)
        assert col.std() == pytest.approx(1)
    # density is the textbook skewed indicator: compared on log scale
    if "population_density" in matrix.indicators:
        assert matrix.transform[matrix.indicators.index("population_density")] == "log10"


def test_real_peer_search_for_burgenland(obs, matrix):
    result = P.find_peers(obs, "AT11", P.PeerOptions(n=10), matrix=matrix)
    assert len(result.peers) == 10
    assert result.peers["distance"].is_monotonic_increasing
    assert (result.peers["dimensions"] >= 2).all()
    shares = result.peers[[c for c in result.peers.columns if c.startswith("share:")]].sum(axis=1)
    assert shares.to_numpy() == pytest.approx(np.ones(10))
    abroad = P.find_peers(obs, "AT11", P.PeerOptions(n=10, exclude_same_country=True), matrix=matrix)
    assert not any(code.startswith("AT") for code in abroad.codes)
    assert set(abroad.codes) != set(result.codes)


def test_real_country_and_priority_methods(obs, matrix):
    country = P.find_peers(obs, "AT11", P.PeerOptions(methods=("country",)), matrix=matrix)
    austria = {c for c in obs.regions_at(2)["nuts_id"] if c.startswith("AT") and c != "AT11"}
    assert set(country.codes) == austria
    regions_with_terms = sorted(P.term_sets_for(obs, "nace", False))
    assert regions_with_terms, "no region has tagged regional priorities"
    target = regions_with_terms[0]
    prio = P.find_peers(obs, target, P.PeerOptions(methods=("priorities",), n=5), matrix=matrix)
    assert 0 < len(prio.peers) <= 5
    assert prio.peers["similarity"].between(0, 1, inclusive="right").all()
    mine = P.term_sets_for(obs, "nace", False)[target]
    for code, shared in zip(prio.peers.index, prio.peers["shared"], strict=True):
        assert set(shared) == set(mine & P.term_sets_for(obs, "nace", False)[code])


def test_real_peer_search_is_fast(obs, matrix):
    timings = []
    for code in matrix.regions[:50]:
        start = time.perf_counter()
        P.structural_distances(matrix, code, exclude_same_country=True)
        timings.append(time.perf_counter() - start)
    assert float(np.median(timings)) < 0.05
