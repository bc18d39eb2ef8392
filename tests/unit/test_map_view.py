"""The map explorer's URL state (MapView) and the pure functions behind its callback, on real data."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from observatory.config import REPO_ROOT
from observatory.figures.choropleth import (
    BACKGROUND,
    BASE_TRACE,
    BASEMAP_TRACE,
    SEA,
    SELECTION_TRACE,
    VALUE_TRACE,
)
from observatory.geography import OUTERMOST_VIEWS
from observatory.state.map_view import (
    COVERAGE_SHARE,
    DEFAULT_LEVEL,
    PARAMETERS,
    PREFERRED_INDICATOR,
    MapView,
    default_indicator,
    default_year,
    implied_view,
)

DOC = REPO_ROOT / "docs" / "url-parameters.md"


# -- documentation ----------------------------------------------------------------------------------
def test_documented_parameters_are_exactly_the_parsed_ones(real_obs):
    obs = real_obs  # what the real data holds is the point here
    documented = re.findall(r"^\|\s*`([a-z_]+)`\s*\|", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert documented, "no parameter table found in docs/url-parameters.md"
    assert sorted(documented) == sorted(PARAMETERS)
    # and each one is really parsed: a valid value for every documented name is accepted silently
    view, errors = MapView.from_query(
        "?level=3&measure=term&indicator=gdp_pc_pps_eu&term=nace:C&partnership="
        f"{obs.partnerships.index[0]}&region=ITH55&view=mainland&basemap=on&year="
        f"{obs.indicator_years('gdp_pc_pps_eu', 3)[0]}", obs)
    assert errors == []
    assert set(view.as_dict()) == set(PARAMETERS)


@pytest.fixture(scope="module")
def obs(small_obs):
    """The logic here does not depend on what the real data says: the small synthetic build."""
    return small_obs


def test_documented_views_are_the_named_views():
    text = DOC.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `view`"))
    assert set(re.findall(r"`([a-z]+)`", row)) - {"view", "region"} == set(OUTERMOST_VIEWS)


# -- parsing ----------------------------------------------------------------------------------------
def test_default_view_is_level_2_the_preferred_indicator_and_its_latest_year(obs):
    view = MapView.default(obs)
    indicator = default_indicator(obs)
    assert indicator in obs.indicator_ids()
    if PREFERRED_INDICATOR in obs.indicator_ids():
        assert indicator == PREFERRED_INDICATOR
    assert view.level == DEFAULT_LEVEL == 2
    assert view.indicator == indicator
    assert view.year == default_year(obs, indicator, 2)
    assert (view.measure, view.term, view.partnership, view.region, view.view) == \
        ("indicator", None, None, None, "mainland")
    assert MapView.from_query("", obs) == (view, [])


@pytest.mark.parametrize("query, fragment", [
    ("?level=7", "NUTS level 7 is not available"),
    ("?level=two", "is not a number"),
    ("?indicator=nope", "Unknown indicator"),
    ("?year=1850", "Year 1850 is not available"),
    ("?measure=colour", "Unknown map measure"),
    ("?term=nace:ZZ9", "Unknown taxonomy term"),
    ("?term=%3Cscript%3Ealert(1)%3C/script%3E", "not usable"),
    ("?partnership=no_such_thing", "Unknown partnership"),
    ("?region=XX999", "Unknown region code"),
    ("?region=%22%3E%3Cimg%20src=x%3E", "Unknown region code"),
    ("?view=atlantis", "Unknown map view"),
    ("?zoom=3", "Unknown link parameter"),
])
def test_each_bad_parameter_explains_itself_and_falls_back(obs, query, fragment):
    view, errors = MapView.from_query(query, obs)
    assert len(errors) == 1 and fragment in errors[0]
    assert "<" not in errors[0] and ">" not in errors[0]  # markup never echoed
    default = MapView.default(obs)
    assert view.level == default.level and view.indicator == default.indicator
    assert view.region is None and view.term is None and view.partnership is None


def test_default_year_is_the_latest_well_covered_one(real_obs):
    obs = real_obs  # what the real data holds is the point here
    for indicator in ("gdp_pc_pps_eu", "population_density"):
        for level in (2, 3):
            frame = obs.indicator_frame(indicator)
            rows = frame[(frame["level"] == level) & frame["value"].notna()]
            counts = rows.groupby("year").size()
            year = default_year(obs, indicator, level)
            assert counts[year] >= COVERAGE_SHARE * counts.max()
            assert all(counts[y] < COVERAGE_SHARE * counts.max() for y in counts.index if y > year)
    assert default_year(obs, None, 2) is None
    # moving to a level where the current year is thinly covered moves to the default year there
    view = MapView.default(obs)
    deeper = view.with_level(obs, 3)
    assert deeper.year == default_year(obs, view.indicator, 3)


def test_year_must_exist_for_the_indicator_at_the_level(real_obs):
    obs = real_obs  # what the real data holds is the point here
    years = obs.indicator_years("gdp_pc_pps_eu", 3)
    view, errors = MapView.from_query(f"?level=3&indicator=gdp_pc_pps_eu&year={years[0]}", obs)
    assert errors == [] and view.year == years[0]
    nuts2_only = next(i for i in obs.indicator_ids() if obs.indicator_levels(i) == [2])
    view, errors = MapView.from_query(f"?level=3&indicator={nuts2_only}&year=2020", obs)
    assert view.year is None and "no values at NUTS 3" in errors[0]


def test_terms_keywords_and_region_codes_are_normalised(obs):
    view, errors = MapView.from_query("?term=%20hydrogen%20%20valleys%20&region=ith5", obs)
    assert errors == []
    assert view.term == "hydrogen valleys" and view.region == "ITH5"
    view, errors = MapView.from_query("?term=fos:2.9", obs)
    assert errors == [] and view.term == "fos:2.9"


def test_pages_kwargs_with_repeated_values_parse_like_a_query_string(obs):
    assert MapView.from_query({"level": ["1", "3"], "region": "ITH55"}, obs) == \
        MapView.from_query("?level=1&level=3&region=ITH55", obs)


# -- round trips ------------------------------------------------------------------------------------
def _views(obs):
    default = MapView.default(obs)
    partnership = obs.partnerships.index[0]
    return [
        default,
        replace(default, level=3, year=obs.indicator_years(default.indicator, 3)[0], region="ITH55"),
        replace(default, measure="term", term="nace:C"),
        replace(default, measure="term", term="hydrogen"),
        replace(default, measure="partnership", partnership=partnership, level=1),
        replace(default, measure="strategy", level=0, region="PT"),
        replace(default, region="ES70", view="canarias"),
        replace(default, region="ES70", view="mainland"),  # not the implied view: must be written
        replace(default, view="azores"),
    ]


def test_to_query_then_from_query_gives_the_same_view(real_obs):
    obs = real_obs  # what the real data holds is the point here
    for view in _views(obs):
        query = view.to_query(obs)
        assert MapView.from_query(query, obs) == (view, []), query


def test_to_query_is_readable_and_omits_implied_values(obs):
    default = MapView.default(obs)
    assert default.to_query(obs) == f"?level=2&indicator={default.indicator}&year={default.year}"
    assert "view=" not in replace(default, region="ES70", view="canarias").to_query(obs)
    assert "view=mainland" in replace(default, region="ES70", view="mainland").to_query(obs)
    assert "term=nace:C" in replace(default, measure="term", term="nace:C").to_query(obs)


def test_store_round_trip(obs):
    for view in _views(obs):
        assert MapView.from_dict(json.loads(json.dumps(view.as_dict()))) == view
    assert MapView.from_dict(None) == MapView()


# -- transitions ------------------------------------------------------------------------------------
def test_level_switch_keeps_year_when_possible_and_moves_selection_up(obs):
    view = replace(MapView.default(obs), level=3, region="ITH55")
    up = view.with_level(obs, 2)
    assert up.level == 2 and up.region == "ITH5"
    assert up.year == view.year or up.year == obs.indicator_years(view.indicator, 2)[-1]
    down = up.with_level(obs, 3)
    assert down.region == "ITH5"  # a shallower selection is kept


def test_indicator_switch_keeps_the_year_if_it_exists(real_obs):
    obs = real_obs  # what the real data holds is the point here
    view = MapView.default(obs)
    other = next(i for i in obs.indicator_ids() if view.year not in obs.indicator_years(i, 2)
                 and obs.indicator_years(i, 2))
    switched = view.with_indicator(obs, other)
    assert switched.year == default_year(obs, other, 2)
    assert view.with_indicator(obs, view.indicator).year == view.year


def test_selecting_an_outermost_region_moves_the_view(obs):
    view = MapView.default(obs).with_region(obs, "es70")
    assert view.region == "ES70" and view.view == obs.region("ES70").view != "mainland"
    assert implied_view(obs, "ES70") == view.view
    assert view.with_region(obs, None).region is None
    assert MapView.default(obs).with_region(obs, "nowhere").region is None


# -- the page's pure helpers ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def page_module():
    from observatory.pages import map_explorer

    return map_explorer


def test_transition_for_each_control(real_obs, page_module):
    obs = real_obs  # what the real data holds is the point here
    start = MapView.default(obs)
    move = page_module.transition
    assert move(obs, start, "level", 3).level == 3
    assert move(obs, start, "measure", "strategy").measure == "strategy"
    assert move(obs, start, "indicator", "unemployment_rate").indicator == "unemployment_rate"
    years = obs.indicator_years(start.indicator, 2)
    assert move(obs, start, "year", years[0]).year == years[0]
    assert move(obs, start, "year", years[0] - 50).year == years[0]  # snapped to an available year
    assert move(obs, start, "term", "nace:C") == replace(start, term="nace:C", measure="term")
    assert move(obs, start, "keyword", "  ") == replace(start, term=None, measure="term")
    pid = obs.partnerships.index[0]
    assert move(obs, start, "partnership", pid) == replace(start, partnership=pid, measure="partnership")
    assert move(obs, start, "view", "madeira").view == "madeira"
    searched = move(obs, start, "search", "EL43")
    assert searched.region == "EL43" and searched.level == 2
    deeper = move(obs, start, "search", "ITH55")
    assert deeper.region == "ITH55" and deeper.level == 3  # the map jumps to the region's level
    clicked = move(obs, start, "graph", {"points": [{"location": "ITH5", "curveNumber": 1}]})
    assert clicked.region == "ITH5" and clicked.level == 2
    assert move(obs, clicked, "clear", 1).region is None
    assert move(obs, clicked, "search", None).region is None
    # junk from a tampered request changes nothing (and raises nothing)
    assert move(obs, start, "level", "abc") == start
    assert move(obs, start, "level", 9) == start
    assert move(obs, start, "year", {"x": 1}) == start
    assert move(obs, start, "graph", ["not", "a", "dict"]) == start
    assert move(obs, start, "unknown-control", 1) == start


def test_recolour_patch_carries_values_not_geometry_or_regions(obs, page_module):
    start = MapView.default(obs)
    kind, updates = page_module.figure_updates(obs, start, replace(start, year=start.year - 1))
    assert kind == "patch"
    changed = {path: value for path, value, _ in updates}
    # same indicator: no source line, no no-data label, only the colour bar's variable parts
    assert set(changed) == {("data", VALUE_TRACE), ("data", VALUE_TRACE, "colorbar"),
                            ("layout", "title", "text")}
    value = changed[("data", VALUE_TRACE)]
    assert "z" in value and not {"geojson", "locations", "text", "colorscale", "colorbar"} & set(value)
    assert set(changed[("data", VALUE_TRACE, "colorbar")]) == {"title", "tickformat"}
    full = page_module.map_figure("/geo/x/nuts2.geojson", page_module.view_layer(obs, start), view="mainland")
    patch_json = json.dumps(list(changed.values()), default=str)
    assert '"ITH5"' not in patch_json and "geojson" not in patch_json  # no region list, no geometry
    assert len(patch_json) < len(full.to_json())
    strategy = replace(start, measure="strategy")
    _, updates = page_module.figure_updates(obs, start, strategy)
    assert {path for path, _, _ in updates} == {("data", VALUE_TRACE), ("data", BASE_TRACE),
                                                ("layout", "title", "text"), ("layout", "annotations")}
    value = next(v for p, v, _ in updates if p == ("data", VALUE_TRACE))
    assert {"colorscale", "colorbar", "showscale"} <= set(value)  # a categorical layer: full scale
    _, back = page_module.figure_updates(obs, strategy, start)  # and back: the full scale again
    assert "colorscale" in next(v for p, v, _ in back if p == ("data", VALUE_TRACE))


def test_patch_has_one_operation_per_update(obs, page_module):
    start = MapView.default(obs)
    _, updates = page_module.figure_updates(obs, start, replace(start, year=start.year - 1, region="ITH5"))
    patch = page_module.as_patch(updates)
    operations = patch.to_plotly_json()["operations"]
    assert len(operations) == len(updates)
    assert {op["operation"] for op in operations} == {"Merge", "Assign"}


def test_selection_and_view_changes_patch_only_their_parts(obs, page_module):
    start = MapView.default(obs)
    kind, updates = page_module.figure_updates(obs, start, replace(start, region="ITH5"))
    assert kind == "patch" and [(p, v) for p, v, _ in updates] == [(("data", SELECTION_TRACE),
                                                                     {"locations": ["ITH5"], "z": [1]})]
    kind, updates = page_module.figure_updates(obs, start, replace(start, region="ITH55"))
    assert updates == []  # a NUTS 3 selection is not outlined on a NUTS 2 map
    kind, updates = page_module.figure_updates(obs, start, replace(start, view="canarias"))
    assert {p for p, _, _ in updates} == {("layout", "geo"), ("layout", "uirevision")}
    kind, figure = page_module.figure_updates(obs, start, replace(start, level=3))
    assert kind == "figure" and len(figure.data[BASE_TRACE].locations) == len(obs.regions_at(3))
    assert page_module.figure_updates(obs, start, start) == ("patch", [])


def test_basemap_parameter_round_trips_and_rejects_junk(real_obs):
    obs = real_obs  # what the real data holds is the point here
    view, errors = MapView.from_query("?basemap=on&level=3", obs)
    assert view.basemap is True and errors == []
    assert "basemap=on" in view.to_query(obs)
    assert MapView.from_query(view.to_query(obs), obs) == (view, [])
    assert "basemap" not in MapView.default(obs).to_query(obs)  # off is the default, not written
    assert MapView.from_query("?basemap=off", obs)[0].basemap is False
    junk, errors = MapView.from_query("?basemap=%3Cb%3Eyes", obs)
    assert junk.basemap is False
    assert len(errors) == 1 and "basemap" in errors[0] and "<b>" not in errors[0]


def test_basemap_asked_of_a_build_without_one_is_explained(obs, monkeypatch):
    monkeypatch.setitem(obs.__dict__, "basemap_countries", ())  # a build made before the basemap
    view, errors = MapView.from_query("?basemap=on", obs)
    assert view.basemap is False
    assert len(errors) == 1 and "no basemap" in errors[0]


def test_map_always_has_a_basemap_trace_hidden_unless_asked(real_obs, page_module):
    obs = real_obs  # what the real data holds is the point here
    start = MapView.default(obs)
    kind, figure = page_module.figure_updates(obs, None, start)
    assert kind == "figure" and len(figure.data) == 4
    basemap = figure.data[BASEMAP_TRACE]
    assert basemap.visible is False and basemap.hoverinfo == "skip"
    assert list(basemap.locations) == list(obs.basemap_countries) and "UA" in basemap.locations
    assert basemap.geojson.endswith("/basemap.geojson")
    assert figure.layout.geo.bgcolor == BACKGROUND
    _, shown = page_module.figure_updates(obs, None, replace(start, basemap=True, level=3))
    assert shown.data[BASEMAP_TRACE].visible is True and shown.layout.geo.bgcolor == SEA


def test_switching_the_basemap_patches_two_values(real_obs, page_module):
    obs = real_obs  # what the real data holds is the point here
    start = MapView.default(obs)
    kind, updates = page_module.figure_updates(obs, start, replace(start, basemap=True))
    assert kind == "patch"
    assert [(p, v) for p, v, _ in updates] == [(("data", BASEMAP_TRACE, "visible"), True),
                                              (("layout", "geo", "bgcolor"), SEA)]
    _, updates = page_module.figure_updates(obs, replace(start, basemap=True), start)
    assert [(p, v) for p, v, _ in updates] == [(("data", BASEMAP_TRACE, "visible"), False),
                                              (("layout", "geo", "bgcolor"), BACKGROUND)]
    # a view switch with the basemap on keeps the sea (the whole geo is replaced)
    on = replace(start, basemap=True)
    _, updates = page_module.figure_updates(obs, on, replace(on, view="canarias"))
    assert {p: v for p, v, _ in updates}[("layout", "geo")]["bgcolor"] == SEA
    assert page_module.transition(obs, start, "basemap", True).basemap is True
    assert page_module.transition(obs, on, "basemap", False).basemap is False


def test_search_options_fold_accents_and_keep_the_selection(real_obs, page_module):
    obs = real_obs  # what the real data holds is the point here
    options = page_module.search_options(obs, "κρητη")
    assert options and options[0]["value"] == "EL43"
    assert "κρητη" in options[0]["search"]  # the dropdown's own filter sees the typed text
    assert page_module.search_options(obs, "lodzkie")[0]["value"] == "PL71"
    kept = page_module.search_options(obs, None, "ITH5")
    assert [o["value"] for o in kept] == ["ITH5"]


def test_year_marks_and_nearest_year(page_module):
    marks = page_module.year_marks(list(range(2000, 2023)))
    assert min(marks) == 2000 and max(marks) == 2022 and 2010 in marks and 2011 not in marks
    assert page_module.year_marks([]) == {}
    assert page_module.nearest_year([2010, 2012], 2011) == 2012
    assert page_module.nearest_year([], 2011) is None
    assert page_module.format_value(12345.6) == "12,346" and page_module.format_value(0.987) == "0.99"


def test_several_terms_combine_as_any_of_them(obs):
    view, errors = MapView.from_query("?measure=term&term=nace:C20, hydrogen ,nace:C20", obs)
    assert errors == [] and view.term == "nace:C20,hydrogen"  # canonical, without repeats
    both = set(obs.matching_priorities(view.term)["priority_id"])
    assert both == set(obs.matching_priorities("nace:C20")["priority_id"]) | set(
        obs.matching_priorities("hydrogen")["priority_id"])
    too_many, errors = MapView.from_query("?term=a1,b2,c3,d4,e5,f6", obs)
    assert too_many.term == "a1,b2,c3,d4,e5" and "At most 5" in errors[0]
    mixed, errors = MapView.from_query("?term=nace:ZZ,hydrogen", obs)
    assert mixed.term == "hydrogen" and "Unknown taxonomy term" in errors[0]
    assert MapView.from_query(view.to_query(obs), obs) == (view, [])


def test_the_term_controls_split_taxonomy_terms_from_keywords(obs, page_module):
    view = replace(MapView.default(obs), measure="term", term="nace:C20,hydrogen")
    shown = page_module.control_values(obs, view)
    assert shown["term"] == ["nace:C20"] and shown["keyword"] == "hydrogen"
    more = page_module.transition(obs, view, "term", ["nace:C20", "nace:C"])
    assert more.term == "nace:C20,nace:C,hydrogen"
    typed = page_module.transition(obs, view, "keyword", "hydrogen, tourism")
    assert typed.term == "nace:C20,hydrogen,tourism"
    cleared = page_module.transition(obs, typed, "term", [])
    assert cleared.term == "hydrogen,tourism"


def test_region_search_says_when_a_name_exists_at_two_levels(obs, page_module):
    labels = [option["label"] for option in page_module.search_options(obs, "canarias")]
    assert labels[0].startswith("Canarias (ES7, NUTS 1)") and "— not Canarias (ES70, NUTS 2)" in labels[0]
    assert any(label.startswith("Canarias (ES70, NUTS 2)") for label in labels)
    assert "— not" not in page_module.search_options(obs, "burgenland")[0]["label"]
