"""The map's answers as lists equal what the map colours, and say why."""

from __future__ import annotations

import pandas as pd
import pytest

from observatory.analysis.map_answers import layer_rows, partnership_members, term_matches
from observatory.analysis.map_measures import indicator_layer, partnership_layer, term_layer


@pytest.mark.parametrize("term", ["nace:C20", "hydrogen", "fos:2.9"])
@pytest.mark.parametrize("level", [2, 3])
def test_term_results_are_exactly_the_regions_the_map_colours(small_obs, term, level):
    layer = term_layer(small_obs, term, level)
    coloured = {code for code, category, detail in zip(layer.regions, layer.categories, layer.details,
                                                        strict=True) if detail}  # a match has a count
    matches = term_matches(small_obs, term, level)
    assert set(matches["region"]) == coloured


def test_term_results_name_the_strategy_and_the_matching_priorities(small_obs):
    rows = term_matches(small_obs, "hydrogen", 2).set_index(["region", "strategy_id"])
    emilia = rows.loc[("ITH5", "ith5-s3")]
    assert emilia["match"] == "regional" and emilia["matching_priorities"] == "Biotech and hydrogen"
    assert emilia["period"] == "2021-2027" and emilia["territory"] == "Emilia-Romagna (ITH5)"
    burgenland = rows.loc[("AT11", "at-s3")]  # covered only by Austria's national strategy
    assert burgenland["match"] == "national" and burgenland["matching_priorities"] == "Green hydrogen"
    assert term_matches(small_obs, None, 2).empty and term_matches(small_obs, "no such words", 2).empty


def test_real_term_results_equal_the_map(obs):
    for term in ("hydrogen", "nace:C20"):
        layer = term_layer(obs, term, 2)
        coloured = {code for code, detail in zip(layer.regions, layer.details, strict=True) if detail}
        assert set(term_matches(obs, term, 2)["region"]) == coloured and coloured


def test_layer_rows_rank_values_and_list_categories_in_legend_order(small_obs):
    layer = indicator_layer(small_obs, "unemployment_rate", 2021, 2)
    rows = layer_rows(layer)
    assert list(rows["rank"]) == sorted(rows["rank"]) and rows["rank"].iloc[0] == 1
    assert rows["value"].is_monotonic_decreasing
    assert not {"ITH5", "ITH3"} & set(rows["region"])  # no value published: not listed...
    everything = layer_rows(layer, coloured_only=False)
    assert {"ITH5", "ITH3"} <= set(everything["region"])  # ...unless asked, then last, without rank
    assert everything["rank"].isna().sum() == 2 and everything["rank"].iloc[-1] is pd.NA
    categorical = layer_rows(term_layer(small_obs, "hydrogen", 2))
    order = list(term_layer(small_obs, "hydrogen", 2).category_order)
    assert [order.index(c) for c in categorical["category"]] == sorted(order.index(c)
                                                                       for c in categorical["category"])


def test_partnership_rows_say_which_recorded_member_makes_a_region_a_member(small_obs):
    rows = partnership_members(small_obs, "hydrogen_valleys", 3).set_index("region")
    assert rows.loc["ITH55", "role"] == "lead"
    assert "Emilia-Romagna (ITH5, lead)" in rows.loc["ITH55", "members"]
    layer = partnership_layer(small_obs, "hydrogen_valleys", 3)
    coloured = {c for c, cat in zip(layer.regions, layer.categories, strict=True) if cat}
    assert set(rows.index) == coloured
    assert partnership_members(small_obs, "hydrogen_valleys", 2)["role"].iloc[0] == "lead"
    assert partnership_members(small_obs, "nope", 2).empty
