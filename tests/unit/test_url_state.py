"""The address controller's decisions, the per-build derived store and the page context, on the small
synthetic build (no Dash server, no real data: these are rules, not facts)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from dash import no_update

from observatory.components.context import DataUrls, PageContext
from observatory.components.url_state import next_address
from observatory.model import DerivedStore
from observatory.pages import PAGES, map_explorer, navigation, strategies
from observatory.state.map_view import MapView


@pytest.fixture
def context(small_obs):
    return PageContext.of(small_obs)


@pytest.fixture
def map_binding(context):
    return map_explorer.binding(context)


def shown(small_obs, view: MapView) -> dict:
    """What the map's controls show when the page displays ``view``."""
    return map_explorer.control_values(small_obs, view)


def test_a_control_change_writes_the_address_and_sends_only_changed_controls(small_obs, map_binding):
    drawn = MapView.default(small_obs)
    controls = {**shown(small_obs, drawn), "level": 3}  # the user picked NUTS 3
    update = next_address(map_binding, trigger="level", search=drawn.to_query(small_obs), controls=controls,
                          events={}, stored=drawn.as_dict(), on_page=True)
    assert update is not None and update.state.level == 3 and update.drawn == drawn
    assert update.url == update.state.to_query(small_obs) and "level=3" in update.url
    assert update.controls["level"] is no_update  # it already shows 3
    assert not update.from_url and update.errors == []


def test_the_address_changing_under_the_page_moves_every_control_that_differs(small_obs, map_binding):
    drawn = MapView.default(small_obs)
    update = next_address(map_binding, trigger=None, search="?level=3&region=ith55&measure=strategy",
                          controls=shown(small_obs, drawn), events={}, stored=drawn.as_dict(), on_page=True)
    assert update.from_url and update.url is None  # the address is already right: not written back
    assert update.state.region == "ITH55" and update.state.measure == "strategy"
    sent = {name: value for name, value in update.controls.items() if value is not no_update}
    assert sent == {"level": 3, "measure": "strategy", "search": "ITH55"}


def test_nothing_happens_for_the_drawn_address_or_another_page(small_obs, map_binding):
    drawn = MapView.default(small_obs)
    common = {"controls": shown(small_obs, drawn), "events": {}, "stored": drawn.as_dict()}
    assert next_address(map_binding, trigger=None, search=drawn.to_query(small_obs), on_page=True,
                        **common) is None
    assert next_address(map_binding, trigger=None, search="?level=3", on_page=False, **common) is None
    # a control reporting the value it already had changes nothing either
    assert next_address(map_binding, trigger="measure", search="", on_page=True, **common) is None


def test_a_tampered_request_is_revalidated_and_explained(small_obs, map_binding):
    drawn = replace(MapView.default(small_obs), level=3)
    controls = {**shown(small_obs, drawn), "partnership": "no_such_partnership"}
    update = next_address(map_binding, trigger="partnership", search="", controls=controls, events={},
                          stored=drawn.as_dict(), on_page=True)
    # the transition takes the claimed value; the round trip through the address rejects it
    assert update.state.partnership is None and update.state.level == 3
    assert any("Unknown partnership" in message for message in update.errors)


def test_a_button_that_merely_appears_is_not_a_click(small_obs, map_binding):
    selected = MapView.default(small_obs).with_region(small_obs, "ITH5")
    trigger = {"type": map_explorer.ids("clear"), "index": 0}
    args = {"search": "", "controls": shown(small_obs, selected), "events": {"clear": [0], "graph": None},
            "stored": selected.as_dict(), "on_page": True}
    assert next_address(map_binding, trigger=trigger, fired=False, **args) is None
    cleared = next_address(map_binding, trigger=trigger, fired=True, **{**args, "events": {"clear": [1]}})
    assert cleared.state.region is None and cleared.controls["search"] is None


def test_a_map_click_selects_the_region(small_obs, map_binding):
    drawn = MapView.default(small_obs)
    click = {"points": [{"location": "AT11"}]}
    update = next_address(map_binding, trigger="graph", search="", controls=shown(small_obs, drawn),
                          events={"graph": click, "clear": []}, stored=drawn.as_dict(), on_page=True)
    assert update.state == replace(drawn, region="AT11")
    assert update.controls["search"] == "AT11"


def test_map_render_patches_only_what_changed(small_obs, map_binding):
    drawn = MapView.default(small_obs)
    clicked = next_address(map_binding, trigger="graph", search="", controls=shown(small_obs, drawn),
                           events={"graph": {"points": [{"location": "AT11"}]}}, stored=drawn.as_dict(),
                           on_page=True)
    outputs = map_explorer.render(small_obs, clicked)
    assert outputs["indicator_options"] is no_update and outputs["notes"] is no_update  # no recolour
    assert outputs["panel"] is not no_update and outputs["search_options"] is not no_update
    assert all(value is no_update for value in outputs["year_range"].values())
    recoloured = replace(clicked, drawn=drawn, state=replace(drawn, level=3))
    outputs = map_explorer.render(small_obs, recoloured)
    assert outputs["figure"].layout.geo is not None  # a level switch sends the whole figure
    assert outputs["year_range"]["max"] == 2021


def test_the_control_being_used_is_never_written_back(small_obs, context):
    """Typing "hydrogen " must not come back as "hydrogen" mid-word; ticking methods in any order
    keeps the ticks where they are; only a reset control (hand-pick a peer) is emptied after use."""
    binding = strategies.binding(context)
    controls = {"view": "priorities", "country": [], "level": None, "period": None, "term": None,
                "q": "hydrogen "}
    update = next_address(binding, trigger="q", search="", controls=controls, events={}, stored="",
                          on_page=True)
    assert update.state.q == "hydrogen" and update.controls["q"] is no_update
    from observatory.pages.benchmark.controller import binding as bench_binding
    from observatory.state.benchmark_view import BenchmarkView

    bench = bench_binding(context)
    state, _ = BenchmarkView.from_query("?region=AT11", small_obs)
    shown_values = {**bench.control_values(state), "methods": ["country", "structural"]}
    ticked = next_address(bench, trigger="methods", search=state.to_query(), controls=shown_values,
                          events={"peers": []}, stored=state.to_query(), on_page=True)
    assert ticked.state.methods == ("structural", "country") and ticked.controls["methods"] is no_update
    added = next_address(bench, trigger="add", search=state.to_query(),
                         controls={**bench.control_values(state), "add": "ITH5"}, events={"peers": []},
                         stored=state.to_query(), on_page=True)
    assert added.state.added == ("ITH5",) and added.controls["add"] is None  # emptied after use


def test_strategies_binding_takes_the_controls_as_the_truth(small_obs, context):
    binding = strategies.binding(context)
    controls = {"view": "priorities", "country": ["IT"], "level": None, "period": None, "term": "nace:C",
                "q": ""}
    update = next_address(binding, trigger="country", search="", controls=controls, events={}, stored="",
                          on_page=True)
    assert update.url == "?view=priorities&country=IT&term=nace:C"
    assert all(value is no_update for value in update.controls.values())
    bad = next_address(binding, trigger=None, search="?country=ZZ", controls=controls, events={},
                       stored=update.url, on_page=True)
    assert bad.errors and bad.state.countries == () and bad.controls["country"] == []


def test_derived_results_are_computed_once_per_build(small_obs, tmp_path):
    from tests.synthetic import synthetic_observatory

    calls = []

    def count_regions(obs, level):
        calls.append(level)
        return len(obs.regions_at(level))

    assert small_obs.derived.get(count_regions, 2) == small_obs.derived.get(count_regions, 2) == 5
    assert calls == [2]
    other_build = synthetic_observatory(tmp_path / "other")
    assert other_build.derived.get(count_regions, 2) == 5 and calls == [2, 2]  # a new build starts empty


def test_the_derived_store_is_bounded():
    store = DerivedStore(owner="build", max_entries=3)
    for n in range(5):
        store.get(lambda owner, n: n * 2, n)
    assert len(store) == 3


def test_context_urls_follow_the_build_and_the_data_loads_once(small_obs):
    loads = []

    def load():
        loads.append(1)
        return small_obs

    context = PageContext(load)
    assert context.urls == DataUrls("20260101T000000") and not loads[1:]
    assert context.urls.boundaries(2) == "/geo/20260101T000000/nuts2.geojson"
    assert context.urls.basemap() == "/geo/20260101T000000/basemap.geojson"
    assert context.obs is context.obs and loads == [1]
    assert context.is_page("/obs/strategies", "/strategies") is False
    assert PageContext(load, pathname_prefix="/obs/").is_page("/obs/strategies", "/strategies")


def test_navigation_comes_from_the_page_declarations():
    nav = navigation()
    assert nav[0] == ("Map", "/") and ("About the data", "/about/data") in nav
    assert len({page.key for page in PAGES}) == len(PAGES)  # one registry key per page
    assert {page.path for page in PAGES if page.status == 404} == {"/not-found"}
    assert all(page.exists is not None for page in PAGES if page.is_template)
