"""What the map shows per region, checked against the real data (expectations derived from obs)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from observatory.analysis import map_measures as mm


@pytest.fixture(scope="module")
def obs(small_obs):
    """The logic here does not depend on what the real data says: the small synthetic build."""
    return small_obs


@pytest.fixture(scope="module")
def indicator_view(obs):
    from observatory.state.map_view import MapView

    return MapView.default(obs)


def test_level_regions_are_every_region_of_the_level_sorted(obs):
    for level in range(4):
        regions = mm.level_regions(obs, level)
        assert list(regions["code"]) == sorted(obs.regions_at(level)["nuts_id"])
        assert regions["name"].notna().all()


def test_indicator_layer_lists_every_region_with_values_flags_and_gaps(obs, indicator_view):
    layer = mm.indicator_layer(obs, indicator_view.indicator, indicator_view.year, 2)
    assert layer.regions == tuple(mm.level_regions(obs, 2)["code"])
    rows = obs.indicator_values(indicator_view.indicator, indicator_view.year, 2)
    by_code = dict(zip(layer.regions, layer.values, strict=True))
    for code, value in rows["value"].items():
        if not pd.isna(value):
            assert by_code[code] == pytest.approx(float(value))
    missing = [code for code in layer.regions if code not in rows.index or pd.isna(rows.loc[code, "value"])]
    assert all(by_code[code] is None for code in missing)
    assert layer.coloured_count == len(layer.regions) - len(missing)
    if missing:
        assert any(f"{len(missing)} of {len(layer.regions)}" in note for note in layer.notes)
    flagged = rows[rows["flag"].astype(str).str.len() > 0]
    if len(flagged):
        code = flagged.index[0]
        assert layer.flags[layer.regions.index(code)] == flagged.loc[code, "flag"]
        assert mm.flag_legend(layer.flags) in layer.notes
        for letter in flagged.loc[code, "flag"]:
            assert f"{letter} {mm.FLAG_MEANINGS[letter]}" in mm.flag_legend(layer.flags)
    spec = obs.indicator(indicator_view.indicator)
    assert layer.unit == spec["unit"] and layer.legend_title == spec["unit"]
    assert str(indicator_view.year) in layer.title and layer.source == spec["attribution"]


def test_direction_is_said_in_the_legend(real_obs):
    obs = real_obs  # what the real data holds is the point here
    lower = next(i for i in obs.indicator_ids() if obs.indicator(i)["direction"] == "lower_is_better"
                 and 2 in obs.indicator_levels(i))
    year = obs.latest_year(lower, 2)
    assert "lower is better" in mm.indicator_layer(obs, lower, year, 2).legend_note
    neutral = next(i for i in obs.indicator_ids() if obs.indicator(i)["direction"] == "neutral"
                   and 2 in obs.indicator_levels(i))
    note = mm.indicator_layer(obs, neutral, obs.latest_year(neutral, 2), 2).legend_note
    assert "better" not in note


def test_indicator_without_values_at_a_level_draws_all_regions_as_no_data(real_obs):
    obs = real_obs  # what the real data holds is the point here
    nuts2_only = next(i for i in obs.indicator_ids() if obs.indicator_levels(i) == [2])
    layer = mm.indicator_layer(obs, nuts2_only, None, 3)
    assert len(layer.values) == len(obs.regions_at(3)) and layer.coloured_count == 0
    assert "no values at NUTS 3" in layer.notes[0]


def test_flag_text_and_formats_and_colour_range():
    assert mm.flag_text("bp") == "b (break in time series), p (provisional)"
    assert mm.flag_text("") is None and mm.flag_text(None) is None and mm.flag_text(math.nan) is None
    assert mm.flag_legend(("p", None, "bp")) == "Flags: b break in time series, p provisional."
    assert mm.flag_legend((None,)) == ""
    assert mm.value_format_for([1234.0]) == ",.0f" and mm.value_format_for([12.0]) == ",.1f"
    assert mm.value_format_for([1.5]) == ",.2f"
    assert mm.colour_range([]) == (None, None, False)
    assert mm.colour_range([1.0, 5.0]) == (1.0, 5.0, False)
    many = [float(v) for v in range(100)] + [10_000.0]
    low, high, clipped = mm.colour_range(many)
    assert clipped and high < 10_000 and low >= 0


def test_strategy_layer_categories_follow_the_strategy_records(obs):
    layer = mm.strategy_layer(obs, 2, "all")
    category = dict(zip(layer.regions, layer.categories, strict=True))
    regional = obs.strategies[obs.strategies["level"] == "regional"]
    own = regional[regional["territory_code"].str.len() == 4]["territory_code"]
    assert own.size, "the records should contain NUTS 2 regional strategies"
    for code in own:
        if code in category:
            assert category[code] == mm.STRATEGY_CATEGORIES["regional"]
    national = set(obs.strategies.loc[obs.strategies["level"] == "national", "territory_code"])
    covered = set(regional["territory_code"])
    only_national = [c for c in layer.regions if c[:2] in national
                     and not any(c.startswith(t) or t.startswith(c) for t in covered)]
    assert only_national, "some NUTS 2 region should be covered by a national strategy only"
    assert all(category[c] == mm.STRATEGY_CATEGORIES["national"] for c in only_national)
    parts = [c for c in layer.regions if not any(c.startswith(t) for t in covered)
             and any(t.startswith(c) and t != c for t in covered)]
    assert all(category[c] == mm.STRATEGY_CATEGORIES["within"] for c in parts)
    assert set(layer.category_order) == {c for c in layer.categories if c is not None}
    nothing = [c for c in layer.regions
               if c[:2] not in national and not any(c.startswith(t) or t.startswith(c) for t in covered)]
    assert all(category[c] is None for c in nothing)
    level0 = mm.strategy_layer(obs, 0, "all")
    countries = dict(zip(level0.regions, level0.categories, strict=True))
    assert countries["IT"] == mm.STRATEGY_CATEGORIES["within"]  # regional strategies in its regions


def test_s3_measures_count_the_current_period_unless_asked(obs):
    """Canarias has only a 2014-2020 strategy in the synthetic records: not current."""
    assert mm.strategies_in_period(obs) == {"at-s3", "ith5-s3"}
    assert mm.strategies_in_period(obs, "2014-2020") == {"es70-ris3"}
    assert mm.strategies_in_period(obs, "all") == set(obs.strategies["strategy_id"])
    by_period = {period: dict(zip(layer.regions, layer.categories, strict=True))
                 for period in mm.STRATEGY_PERIODS for layer in [mm.strategy_layer(obs, 2, period)]}
    assert by_period["current"]["ES70"] is None
    assert by_period["2014-2020"]["ES70"] == by_period["all"]["ES70"] == mm.STRATEGY_CATEGORIES["regional"]
    assert by_period["2014-2020"]["ITH5"] is None
    tourism = {p: mm.term_layer(obs, "tourism", 2, p).details for p in mm.STRATEGY_PERIODS}
    assert not any(tourism["current"]) and any(tourism["2014-2020"])  # only the old strategy has it
    assert "2021-2027" in mm.strategy_layer(obs, 2).notes[-1]


def test_priority_count_is_the_most_local_current_strategy(obs):
    counts = mm.priority_counts(obs, 2)
    own = obs.strategies[(obs.strategies["territory_code"] == "ITH5")].sort_values("period_start")
    with_priorities = [s for s in own["strategy_id"] if (obs.priorities["strategy_id"] == s).any()]
    assert with_priorities, "ITH5 has regional strategy records with priorities"
    newest = with_priorities[-1]
    assert counts["ITH5"] == int((obs.priorities["strategy_id"] == newest).sum())
    layer = mm.priorities_layer(obs, 2)
    assert layer.coloured_count == len(counts)
    assert all(v is None or v > 0 for v in layer.values)


def test_term_layer_highlights_exactly_the_regions_matching(obs):
    expected = mm.matching_regions(obs, "nace:C", 2)
    layer = mm.term_layer(obs, "nace:C", 2)
    highlighted = {code: cat for code, cat in zip(layer.regions, layer.categories, strict=True)
                   if cat in (mm.TERM_CATEGORIES["regional"], mm.TERM_CATEGORIES["national"])}
    assert set(highlighted) == set(expected)
    for code, match in expected.items():
        assert highlighted[code] == mm.TERM_CATEGORIES[match]
    details = dict(zip(layer.regions, layer.details, strict=True))
    matches = obs.regions_matching("nace:C", 2).set_index("region")
    code = next(iter(expected))
    assert details[code].startswith(str(int(matches.loc[code, "priorities"])))
    assert "Manufacturing" in layer.title


def test_keyword_terms_search_the_priority_text(obs):
    word = "hydrogen"
    matched = obs.matching_priorities(word)
    layer = mm.term_layer(obs, word, 2)
    coloured = {c for c, cat in zip(layer.regions, layer.categories, strict=True)
                if cat in (mm.TERM_CATEGORIES["regional"], mm.TERM_CATEGORIES["national"])}
    assert (len(coloured) > 0) == (len(matched) > 0)
    assert "“hydrogen”" in layer.title
    empty = mm.term_layer(obs, None, 2)
    assert empty.coloured_count == 0 and "Choose" in empty.notes[0]


def test_partnership_roles_mark_leads_apart(obs):
    members = obs.members.dropna(subset=["nuts_code"])
    lead_row = members[(members["role"] == "lead") & (members["nuts_code"].str.len() == 4)].iloc[0]
    pid = lead_row["partnership_id"]
    roles = mm.partnership_roles(obs, pid, 2)
    assert roles[lead_row["nuts_code"]] == "lead"
    layer = mm.partnership_layer(obs, pid, 2)
    category = dict(zip(layer.regions, layer.categories, strict=True))
    assert category[lead_row["nuts_code"]] == "Lead"
    assert sum(1 for c in layer.categories if c is not None) == len(roles)
    assert layer.category_order[0] == "Lead"
    assert mm.partnership_layer(obs, "no_such", 2).coloured_count == 0


def test_layer_for_dispatches_and_rejects_unknown_measures(obs, indicator_view):
    for measure in mm.MEASURES:
        layer = mm.layer_for(obs, measure, 2, indicator=indicator_view.indicator, year=indicator_view.year,
                             term="nace:C", partnership=obs.partnerships.index[0])
        assert len(layer.regions) == len(obs.regions_at(2))
        assert layer.title and layer.source
    with pytest.raises(ValueError, match="unknown measure"):
        mm.layer_for(obs, "colour", 2)


def test_region_facts_for_the_side_panel(obs):
    facts = mm.region_facts(obs, "ITH5")
    region = obs.region("ITH5")
    assert facts.name == region.name and facts.level == 2
    assert [code for code, _ in facts.hierarchy] == ["IT", "ITH"]
    ids = {s["strategy_id"] for s in facts.strategies}
    assert ids == {c.strategy_id for c in obs.strategies_for("ITH5") if c.relation in ("same", "contains")}
    assert facts.strategies[0]["territory_level"] == 2  # the region's own strategy first
    assert facts.partnerships == obs.partnerships_of("ITH5")["partnership_id"].nunique()
    assert facts.priorities == mm.priority_counts(obs, 2)["ITH5"]
    for value in facts.headline:
        latest = obs.latest_values(value.indicator, value.region)
        assert value.value == pytest.approx(float(latest["value"])) and value.year == int(latest["year"])
    assert mm.region_facts(obs, "XX999") is None


def test_region_facts_order_a_strategy_with_an_open_start(real_obs):
    """RIS3CAT 2030 is recorded with the period "-2030" (no start year): the panel must still open,
    the open-start strategy ordered by its end year (it failed with a 400 on clicking ES51)."""
    obs = real_obs  # the curated record with an open start is the point here
    strategies = obs.strategies
    open_start = strategies[strategies["period_start"].isna() & strategies["period_end"].notna()
                            & (strategies["level"] == "regional")]
    assert len(open_start), "the records hold a regional strategy with an open start"
    facts = mm.region_facts(obs, str(open_start.iloc[0]["territory_code"]))
    shown = {s["strategy_id"]: s["start"] for s in facts.strategies}
    assert shown[open_start.index[0]] == int(open_start.iloc[0]["period_end"])


def test_sort_year_falls_back_to_the_end_then_zero():
    assert mm._sort_year(pd.Series({"period_start": pd.NA, "period_end": 2030})) == 2030
    assert mm._sort_year(pd.Series({"period_start": 2021, "period_end": 2027})) == 2021
    assert mm._sort_year(pd.Series({"period_start": pd.NA, "period_end": pd.NA})) == 0
