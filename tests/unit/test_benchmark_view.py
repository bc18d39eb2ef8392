"""The benchmark page's URL state: parsing, writing, validation messages and hand-picking."""

from __future__ import annotations

import pytest

from observatory.state.benchmark_view import DEFAULT_N, BenchmarkView, default_indicators
from observatory.state.query import parse_query


@pytest.fixture(scope="module")
def obs(small_obs):
    """The logic here does not depend on what the real data says: the small synthetic build."""
    return small_obs


def test_empty_query_gives_defaults(obs):
    state, errors = BenchmarkView.from_query("", obs)
    assert errors == []
    assert state.region is None
    assert state.methods == ("structural",)
    assert state.n == DEFAULT_N
    defaults = default_indicators(obs)
    assert (state.indicator, state.x, state.y) == (defaults["indicator"], defaults["x"], defaults["y"])
    assert all(2 in obs.indicator_levels(i) for i in defaults.values())


def test_full_state_round_trips_through_the_url(real_obs):
    obs = real_obs  # what the real data holds is the point here
    years = obs.indicator_years("unemployment_rate", 2)
    query = (f"?region=AT11&method=structural,country,priorities&n=5&xc=1&scheme=all&nat=1&add=ITI2,DK03"
             f"&drop=AT12&ind=unemployment_rate&year={years[0]}&x=population_density&y=gdp_pc_pps")
    state, errors = BenchmarkView.from_query(query, obs)
    assert errors == []
    assert state.region == "AT11"
    assert state.methods == ("structural", "country", "priorities")
    assert (state.n, state.exclude_same_country) == (5, True)
    assert (state.scheme, state.include_national) == ("all", True)
    assert state.added == ("ITI2", "DK03")
    assert state.removed == ("AT12",)
    assert (state.indicator, state.year) == ("unemployment_rate", years[0])
    again, errors = BenchmarkView.from_query(state.to_query(), obs)
    assert errors == []
    assert again == state


def test_defaults_are_left_out_of_the_url(obs):
    state, _ = BenchmarkView.from_query("?region=AT11", obs)
    query = state.to_query()
    assert set(parse_query(query)) == {"region", "ind", "x", "y"}  # indicators are always written
    assert query.startswith("?region=AT11")


@pytest.mark.parametrize(("query", "fragment"), [
    ("?region=XX99", "is not a NUTS 2021 region code"),
    ("?region=AT1", "is a NUTS 1 region"),
    ("?method=magic", "Unknown peer method"),
    ("?n=0", "Number of peers 0 is not available"),
    ("?n=many", "is not a number"),
    ("?xc=yes", "must be 1 or 0"),
    ("?scheme=colours", "Unknown taxonomy"),
    ("?ind=no_such_indicator", "not in the indicator catalogue"),
    ("?ind=unemployment_rate&year=1800", "Year 1800 is not available"),
    ("?region=AT11&add=AT11,ZZ99", "is not a NUTS 2021 region code"),
    ("?region=<script>", "is not a NUTS 2021 region code"),
])
def test_bad_parameters_are_reported_and_defaulted(obs, query, fragment):
    state, errors = BenchmarkView.from_query(query, obs)
    assert any(fragment in message for message in errors), errors
    assert not any("<" in message for message in errors)  # user input never echoed as markup
    default, _ = BenchmarkView.from_query("", obs)
    assert state.n == default.n and state.scheme == default.scheme


def test_nuts3_code_means_its_nuts2_region_and_target_is_never_its_own_peer(obs):
    state, errors = BenchmarkView.from_query("?region=at111&add=AT11,AT12", obs)
    assert errors == []
    assert state.region == "AT11"
    assert state.added == ("AT12",)


def test_no_method_is_written_and_read_as_none(obs):
    state, _ = BenchmarkView.from_query("?region=AT11&method=none&add=ITI2", obs)
    assert state.methods == ()
    assert "method=none" in state.to_query()


def test_hand_picking_add_remove_toggle_and_new_region(obs):
    state, _ = BenchmarkView.from_query("?region=AT11", obs)
    added = state.with_added("ITI2")
    assert added.added == ("ITI2",)
    assert added.with_added("ITI2") == added  # no duplicates
    assert added.with_added("AT11") == added  # never the target itself
    assert added.with_removed("ITI2").added == ()  # un-picking a hand-picked peer
    removed = state.with_removed("AT32")  # a peer chosen by a method is excluded instead
    assert removed.removed == ("AT32",)
    assert removed.with_added("AT32").removed == ()  # adding it back forgets the removal
    assert state.with_toggled("AT32", ["AT32"]).removed == ("AT32",)
    assert state.with_toggled("ITI2", ["AT32"]).added == ("ITI2",)
    assert state.with_toggled("AT11", ["AT32"]) == state
    moved = added.with_region("AT21")
    assert moved.region == "AT21" and moved.added == () and moved.removed == ()


def test_page_transitions_apply_every_control_and_reset_dependent_years(obs):
    from observatory.pages.benchmark.common import ids
    from observatory.pages.benchmark.controller import transition, with_controls

    state, _ = BenchmarkView.from_query("?region=AT11&ind=unemployment_rate&year=2015", obs)
    controls = {"region": "AT11", "methods": ["country", "structural"], "n": 5, "xc": True,
                "scheme": "fos", "nat": False, "indicator": "employment_rate", "year": 2015,
                "x": state.x, "y": state.y, "sy": None}
    merged = with_controls(state, controls)
    assert merged.methods == ("structural", "country")  # canonical order
    assert (merged.n, merged.exclude_same_country, merged.scheme) == (5, True, "fos")
    after = transition(merged, ids("indicator"), "employment_rate", [])
    assert after.indicator == "employment_rate" and after.year is None
    click = {"points": [{"location": "ITI2"}]}
    assert transition(merged, ids("map"), click, []).added == ("ITI2",)
    assert transition(merged, {"type": ids("remove"), "region": "AT32"}, 1, ["AT32"]).removed == ("AT32",)
    new_region = with_controls(merged.with_added("ITI2"), {**controls, "region": "AT21"})
    assert new_region.region == "AT21" and new_region.added == ()
