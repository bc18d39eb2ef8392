"""The domain model on the real build: counts, hierarchy, search, strategy coverage, term matching."""

from __future__ import annotations

import pandas as pd

from observatory.analysis.coverage import country_coverage
from observatory.geography import EU27


def test_region_counts_per_level(obs):
    counts = obs.regions["level"].value_counts().to_dict()
    assert counts == {0: 37, 1: 125, 2: 334, 3: 1514}
    nuts2 = obs.regions_at(2)
    assert len(nuts2[nuts2["country"].isin(EU27)]) == 242


def test_region_hierarchy_and_names(obs):
    region = obs.region("de111")
    assert region.code == "DE111"
    assert region.level == 3
    assert region.ancestors == ["DE", "DE1", "DE11"]
    assert region.parent == "DE11"
    assert obs.region("XX99") is None
    assert obs.region("") is None
    greek = obs.region("EL30")
    assert greek.name != greek.native_name  # Latin transliteration next to the Greek spelling


def test_outermost_regions_are_kept_with_their_view(obs):
    for code in ("ES70", "PT20", "PT30", "FRY1", "FRY4"):
        region = obs.region(code)
        assert region is not None
        assert region.view != "mainland"
    assert obs.region("FR10").view == "mainland"


def test_search_ignores_accents_case_and_punctuation(obs):
    assert obs.search("ile de france")[0].code in {"FR1", "FR10"}
    assert "PL71" in [r.code for r in obs.search("lodzkie")]
    assert obs.search("fr10")[0].code == "FR10"
    assert obs.search("   ") == []
    assert obs.search("zzzzqqq") == []


def test_strategies_cover_regions_through_the_hierarchy(obs):
    coverage = {c.strategy_id: c.relation for c in obs.strategies_for("CZ031")}
    assert coverage["cz031-ris3-2021"] == "same"
    assert coverage["cz-nris3-2021"] == "contains"
    # A NUTS 2 region containing a kraj whose strategy is recorded at NUTS 3
    within = {c.strategy_id: c.relation for c in obs.strategies_for("CZ03")}
    assert within["cz031-ris3-2021"] == "within"


def test_term_matching_is_exact_for_tags_and_textual_for_keywords(obs):
    tagged = obs.matching_priorities("nace:C20")
    raw_ids = set(obs.priority_tags.loc[obs.priority_tags["term"] == "nace:C20", "priority_id"])
    assert set(tagged["priority_id"]) == raw_ids
    assert len(raw_ids) > 0
    keyword = obs.matching_priorities("hydrogen")
    assert len(keyword) > 0
    assert keyword["name"].str.cat(keyword["description"], sep=" ").str.lower().str.contains("hydrogen").all()
    assert obs.matching_priorities("").empty


def test_regions_matching_marks_regional_and_national_matches(obs):
    matches = obs.regions_matching("nace:C20", 2)
    assert set(matches["match"]) <= {"regional", "national"}
    assert matches["region"].map(lambda c: obs.region(c).level).eq(2).all()
    regional = matches[matches["match"] == "regional"]
    # every regional match really is covered by a regional strategy with a C20 priority
    sample = regional["region"].iloc[0]
    ids = [c.strategy_id for c in obs.strategies_for(sample)]
    strategies = obs.strategies.loc[ids]
    pri = obs.matching_priorities("nace:C20")
    assert pri["strategy_id"].isin(strategies.loc[strategies["level"] == "regional", "strategy_id"]).any()


def test_partnership_members_at_a_level(obs):
    members = obs.partnership_members_at("af_traceability_big_data", 2)
    roles = dict(zip(members["region"], members["role"], strict=True))
    assert roles["ES61"] == "lead"
    assert roles["ITH5"] == "co-lead"
    assert roles["BG42"] == "member"  # recorded at NUTS 3 (BG423), shown on its NUTS 2 parent


def test_indicator_values_for_a_year_and_level(obs):
    indicator = "unemployment_rate"
    year = obs.latest_year(indicator, 2)
    values = obs.indicator_values(indicator, year, 2)
    assert values.index.map(lambda c: obs.region(c).level).unique().tolist() == [2]
    assert values["value"].between(0, 60).all()
    assert set(values.columns) >= {"value", "flag", "unit"}


def test_coverage_distinguishes_gaps_from_zeros(obs):
    table = country_coverage(obs)
    assert table["nuts2_regions"].sum() == 334
    assert (table["nuts2_regional"] <= table["nuts2_regions"]).all()
    assert table.loc[table["country"] == "CZ", "national_strategies"].item() > 0


def test_every_indicator_value_has_a_catalogue_entry_and_source(obs):
    assert set(obs.values["indicator"]) <= set(obs.catalogue["id"])
    assert obs.values["source"].notna().all()
    assert pd.api.types.is_float_dtype(obs.values["value"])


def test_optional_records_columns_agree_with_the_parser():
    from observatory.ingest.s3records import FILES
    from observatory.model.observatory import OPTIONAL_TABLE_COLUMNS

    for name, columns in OPTIONAL_TABLE_COLUMNS.items():
        assert columns == FILES[name]


def test_years_levels_and_regions_kept_per_build_equal_the_table(obs):
    """``indicator_years``/``indicator_levels`` and ``region`` are answered from what the model keeps
    after the first call: the same as reading the tables, on every call."""
    for indicator in ("gdp_pc_pps_eu", "population", "unemployment_rate"):
        frame = obs.indicator_frame(indicator)
        levels = sorted(int(x) for x in frame["level"].dropna().unique())
        assert obs.indicator_levels(indicator) == levels
        for level in (0, 1, 2, 3):
            expected = sorted(frame.loc[frame["level"] == level, "year"].unique().tolist())
            assert obs.indicator_years(indicator, level) == expected
            years = obs.indicator_years(indicator, level)
            years.append(1900)  # a caller changing its list changes nothing kept
            assert obs.indicator_years(indicator, level) == expected
    assert obs.indicator_years("no_such_indicator", 2) == []
    assert obs.indicator_levels("no_such_indicator") == []
    row = obs.regions.loc["ITH5"]
    region = obs.region(" ith5 ")
    assert (region.code, region.level, region.name, region.country, region.parent) == (
        "ITH5", 2, row["name_latn"], "IT", "ITH")
    assert obs.region("XX99") is None and obs.region("") is None and obs.region(None) is None
