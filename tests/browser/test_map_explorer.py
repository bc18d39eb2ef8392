"""The map explorer (``/``) in headless Chromium against the real app and the real data.

Regions are counted from plotly's SVG: trace 0 draws the grey "no data" regions, trace 1 the
coloured ones (each drawn path carries its region code), so together they are the drawn regions.
Expected numbers come from the data (``obs``), never from literals.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from observatory.analysis.map_measures import TERM_COLOURS, matching_regions
from observatory.state.map_view import MapView
from tests.support import wait_until

#: Number of distinct regions drawn by the no-data and the coloured layers together.
DRAWN = """() => {
  const layers = Array.from(document.querySelectorAll('#map-graph g.trace.choropleth')).slice(0, 2);
  const codes = new Set();
  layers.forEach(g => g.querySelectorAll('path.choroplethlocation').forEach(p => {
    if (p.__data__ && p.__data__.loc) codes.add(p.__data__.loc);
  }));
  return codes.size;
}"""

#: {region code: computed fill} of the coloured layer's drawn regions.
VALUE_FILLS = """() => {
  const layer = document.querySelectorAll('#map-graph g.trace.choropleth')[1];
  const out = {};
  if (!layer) return out;
  layer.querySelectorAll('path.choroplethlocation').forEach(p => {
    if (p.__data__ && p.__data__.loc) out[p.__data__.loc] = getComputedStyle(p).fill;
  });
  return out;
}"""

#: Centre of a region's drawn path in page coordinates (for hovering and clicking it).
REGION_CENTRE = """(code) => {
  const layers = Array.from(document.querySelectorAll('#map-graph g.trace.choropleth')).slice(0, 2);
  for (const p of layers.flatMap(g => Array.from(g.querySelectorAll('path.choroplethlocation')))) {
    if (p.__data__ && p.__data__.loc === code) {
      const box = p.getBoundingClientRect();
      return [box.x + box.width / 2, box.y + box.height / 2];
    }
  }
  return null;
}"""


def _hex_to_rgb(colour: str) -> str:
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"


def wait_for_regions(page: Page, count: int) -> None:
    wait_until(page, f"({DRAWN})() === {count}")


def wait_for_highlighted(page: Page, colours: set[str], count: int) -> None:
    """Wait until exactly ``count`` regions of the coloured layer have one of ``colours``."""
    wait_until(page, f"([colours, count]) => Object.values(({VALUE_FILLS})())"
               ".filter(f => colours.includes(f)).length === count", arg=[sorted(colours), count])


def choose(page: Page, dropdown_id: str, text: str) -> None:
    """Pick the option containing ``text`` in a Dash 4 dropdown (typing into its search box)."""
    page.locator(f"#{dropdown_id}").click()
    search = page.locator(".dash-dropdown-search")
    if search.count():
        search.first.fill(text)
    page.locator(".dash-dropdown-option", has_text=text).first.click()


def level_count(obs, level: int) -> int:
    return len(obs.regions_at(level))


@pytest.fixture
def requests_seen(page: Page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def test_page_loads_without_errors_and_only_same_origin_requests(page: Page, console, live_server, obs,
                                                                 requests_seen):
    page.goto("/")
    wait_for_regions(page, level_count(obs, 2))
    label = str(obs.indicator(MapView.default(obs).indicator)["label"])
    expect(page.locator("#map-graph .gtitle")).to_contain_text(label)
    page.wait_for_load_state("networkidle")
    foreign = [url for url in requests_seen if not url.startswith(live_server + "/")]
    assert requests_seen, "no request recorded"
    assert not foreign, f"requests left the origin: {foreign}"
    assert any("/geo/" in url for url in requests_seen), "boundaries not fetched from the app"
    assert not any("cdn.plot.ly" in url or "topojson" in url.lower() for url in requests_seen)
    assert not console.errors


def test_drawn_regions_match_the_level_and_follow_a_level_switch(page: Page, console, obs):
    page.goto("/")
    wait_for_regions(page, level_count(obs, 2))
    page.locator("#map-level label", has_text="3").click()
    wait_for_regions(page, level_count(obs, 3))
    expect(page).to_have_url(re.compile(r"level=3"))
    page.locator("#map-level label", has_text="0").click()
    wait_for_regions(page, level_count(obs, 0))
    assert not console.errors


def test_indicator_and_year_change_colours_and_legend(page: Page, console, obs):
    page.goto("/")
    wait_for_regions(page, level_count(obs, 2))
    before = page.evaluate(VALUE_FILLS)
    default = obs.indicator(MapView.default(obs).indicator)
    expect(page.locator("#map-graph .colorbar")).to_contain_text(str(default["unit"]))

    spec = obs.indicator("unemployment_rate")
    choose(page, "map-indicator", str(spec["label"]))
    expect(page.locator("#map-graph .gtitle")).to_contain_text(str(spec["label"]))
    expect(page.locator("#map-graph .colorbar")).to_contain_text(str(spec["unit"]))
    after_indicator = page.evaluate(VALUE_FILLS)
    assert after_indicator != before
    years = obs.indicator_years("unemployment_rate", 2)
    year = MapView.default(obs).with_indicator(obs, "unemployment_rate").year  # kept if well covered
    expect(page).to_have_url(re.compile(rf"indicator=unemployment_rate&year={year}"))

    earlier = years[years.index(year) - 1]
    page.locator("#map-year [role=slider]").focus()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#map-graph .gtitle")).to_contain_text(str(earlier))
    expect(page).to_have_url(re.compile(rf"year={earlier}"))
    wait_until(page, f"(previous) => JSON.stringify(({VALUE_FILLS})()) !== previous",
                           arg=json.dumps(after_indicator))
    assert not console.errors


def test_taxonomy_filter_highlights_exactly_the_matching_regions(page: Page, console, obs):
    page.goto("/")
    wait_for_regions(page, level_count(obs, 2))
    choose(page, "map-measure", "Priorities matching")
    choose(page, "map-term", "Manufacturing")
    expect(page).to_have_url(re.compile(r"measure=term&.*term=nace:C(&|$)"))
    expected = matching_regions(obs, "nace:C", 2)
    assert expected, "the data should have priorities tagged NACE C"
    highlight = {_hex_to_rgb(colour) for label, colour in TERM_COLOURS.items() if "none" not in label}
    wait_for_highlighted(page, highlight, len(expected))
    fills = page.evaluate(VALUE_FILLS)
    highlighted = {code for code, fill in fills.items() if fill in highlight}
    assert highlighted == set(expected)
    assert not console.errors


def test_search_finds_a_region_by_native_name_without_accents(page: Page, console, obs):
    region = obs.region("EL43")  # native name Κρήτη; typed without its accent
    assert region is not None and region.native_name != region.name
    page.goto("/")
    wait_for_regions(page, level_count(obs, 2))
    page.locator("#map-search").click()
    page.locator(".dash-dropdown-search").first.fill("κρητη")
    option = page.locator(".dash-dropdown-option", has_text=region.name)
    expect(option.first).to_be_visible()
    option.first.click()
    expect(page.locator("#map-panel .map-panel-name")).to_have_text(region.name)
    expect(page).to_have_url(re.compile(r"region=EL43"))
    assert not console.errors


def test_hover_shows_name_code_value_without_a_server_round_trip(page: Page, console, obs):
    page.goto("/")
    wait_for_regions(page, level_count(obs, 2))
    page.wait_for_load_state("networkidle")
    calls: list[str] = []
    page.on("request", lambda r: calls.append(r.url) if "_dash-update-component" in r.url else None)
    view = MapView.default(obs)
    value = obs.indicator_values(view.indicator, view.year, 2).loc["ITH5", "value"]
    x, y = page.evaluate(REGION_CENTRE, "ITH5")
    page.mouse.move(x, y)
    label = page.locator("#map-graph .hoverlayer")
    expect(label).to_contain_text("(ITH5)")
    expect(label).to_contain_text(str(view.year))
    expect(label).to_contain_text(f"{value:,.1f}")
    assert calls == []
    assert not console.errors


def test_clicking_a_region_opens_its_panel(page: Page, console, obs):
    page.goto("/")
    wait_for_regions(page, level_count(obs, 2))
    x, y = page.evaluate(REGION_CENTRE, "ITH5")
    page.mouse.click(x, y)
    expect(page.locator("#map-panel .map-panel-name")).to_have_text(obs.region("ITH5").name)
    expect(page.locator("#map-panel a[href='/region/ITH5']")).to_be_visible()
    expect(page).to_have_url(re.compile(r"region=ITH5"))
    # the outline trace now holds the region
    wait_until(page, "document.querySelectorAll('#map-graph g.trace.choropleth')[2]"
               ".querySelectorAll('path.choroplethlocation').length === 1")
    assert not console.errors


def test_permalink_restores_the_view_and_back_forward_work(page: Page, console, obs):
    page.goto("/?level=3&measure=term&term=nace:C&region=ITH55")
    wait_for_regions(page, level_count(obs, 3))
    expect(page.locator("#map-level input[value='3']")).to_be_checked()
    expect(page.locator("#map-graph .gtitle")).to_contain_text("Manufacturing")
    expect(page.locator("#map-panel .map-panel-name")).to_have_text(obs.region("ITH55").name)
    highlight = {_hex_to_rgb(c) for label, c in TERM_COLOURS.items() if "none" not in label}
    expected = matching_regions(obs, "nace:C", 3)
    wait_for_highlighted(page, highlight, len(expected))

    page.locator("#map-level label", has_text="2").click()
    wait_for_regions(page, level_count(obs, 2))
    expect(page).to_have_url(re.compile(r"level=2&.*region=ITH5(&|$)"))  # selection moved up to NUTS 2
    page.go_back()
    wait_for_regions(page, level_count(obs, 3))
    expect(page.locator("#map-level input[value='3']")).to_be_checked()
    page.go_forward()
    wait_for_regions(page, level_count(obs, 2))
    expect(page.locator("#map-level input[value='2']")).to_be_checked()
    assert not console.errors


def test_bad_parameters_show_a_message_and_fall_back_to_defaults(page: Page, console, obs):
    page.goto("/?level=7&indicator=%3Cscript%3Ealert(1)%3C/script%3E&region=XX999&year=abc")
    alert = page.locator("#map-alerts .map-url-errors")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("NUTS level 7 is not available")
    expect(alert).to_contain_text("Unknown indicator")
    expect(alert).to_contain_text("Unknown region code")
    expect(alert.locator("script")).to_have_count(0)
    wait_for_regions(page, level_count(obs, 2))
    default = obs.indicator(MapView.default(obs).indicator)
    expect(page.locator("#map-graph .gtitle")).to_contain_text(str(default["label"]))
    assert not console.errors


def test_outermost_region_is_reachable_from_search(page: Page, console, obs):
    region = obs.region("ES70")
    assert region is not None and region.view != "mainland"
    page.goto("/")
    wait_for_regions(page, level_count(obs, 2))
    page.locator("#map-search").click()
    page.locator(".dash-dropdown-search").first.fill("ES70")
    page.locator(".dash-dropdown-option", has_text="ES70").first.click()
    expect(page).to_have_url(re.compile(r"region=ES70"))
    expect(page.locator("#map-view")).to_contain_text("Canarias")
    wait_until(page, f"({REGION_CENTRE})('ES70') && ({REGION_CENTRE})('ES70')[0] > 0")
    assert not console.errors


#: Countries drawn by the basemap trace (trace 3; plotly skips the empty selection trace's group, so
#: the layer is found by its trace index), and the geo background's fill.
BASEMAP_DRAWN = """() => {
  const layer = Array.from(document.querySelectorAll('#map-graph g.trace.choropleth'))
    .find(g => g.__data__ && g.__data__[0] && g.__data__[0].trace.index === 3);
  const bg = document.querySelector('#map-graph .geo .bg rect, #map-graph g.bg rect');
  return {countries: layer ? layer.querySelectorAll('path.choroplethlocation').length : 0,
          sea: bg ? getComputedStyle(bg).fill : null};
}"""


def test_basemap_is_opt_in_offline_and_kept_in_the_url(page: Page, console, live_server, obs, requests_seen):
    from observatory.figures.choropleth import BACKGROUND, SEA

    page.goto("/")
    wait_for_regions(page, level_count(obs, 2))
    page.wait_for_load_state("networkidle")
    assert not any("basemap" in url for url in requests_seen)  # off: not even downloaded
    assert page.evaluate(BASEMAP_DRAWN)["countries"] == 0

    page.get_by_label("Neighbouring countries and sea").check()
    expect(page).to_have_url(re.compile(r"basemap=on"))
    countries = len(obs.basemap_countries)
    wait_until(page, f"({BASEMAP_DRAWN})().countries === {countries}")
    assert page.evaluate(BASEMAP_DRAWN)["sea"] == _hex_to_rgb(SEA)
    assert page.evaluate(DRAWN) == level_count(obs, 2)  # the regions are all still drawn
    assert any(url.startswith(live_server + "/geo/") and "basemap" in url for url in requests_seen)
    assert all(url.startswith(live_server + "/") for url in requests_seen)

    page.reload()  # the link restores it
    wait_until(page, f"({BASEMAP_DRAWN})().countries === {countries}")
    expect(page.get_by_label("Neighbouring countries and sea")).to_be_checked()

    page.get_by_label("Neighbouring countries and sea").uncheck()
    expect(page).not_to_have_url(re.compile(r"basemap"))
    wait_until(page, f"({BASEMAP_DRAWN})().countries === 0")
    assert page.evaluate(BASEMAP_DRAWN)["sea"] == _hex_to_rgb(BACKGROUND)
    assert not console.errors
