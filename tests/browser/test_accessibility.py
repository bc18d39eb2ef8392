"""Every page for every visitor: axe-core finds no serious or critical WCAG violation, nothing is
wider than a phone's screen, the map is in the first screen, and no chart offers to upload itself.

axe-core runs inside the page (``axe-playwright-python`` injects it through the DevTools
protocol, which the app's Content Security Policy does not govern, so the policy stays on).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import fresh_page
from tests.support import wait_until

PAGES = {
    "map": "/",
    "strategies": "/strategies",
    "partnerships": "/partnerships",
    "partnership": None,  # the first recorded partnership, from the data
    "region": "/region/ITH5",
    "benchmark": "/benchmark?region=AT11",
    "about": "/about/data",
    "not found": "/no-such-page",
}
VIEWPORTS = {"phone": (390, 844), "laptop": (1280, 720), "desktop": (1920, 1080)}
#: What each page shows once drawn (axe must judge the page, not a loading screen).
READY = {
    "map": "document.querySelectorAll('#map-graph path.choroplethlocation').length > 100",
    "benchmark": "document.querySelectorAll('.bench-peer-row').length > 0",
    "strategies": "document.querySelectorAll('#repo-grid .ag-row').length > 0",
}


def _path(name: str, obs) -> str:
    return PAGES[name] or f"/partnerships/{obs.partnerships.index[0]}"


def _open(page, name: str, obs) -> None:
    page.goto(_path(name, obs))
    page.wait_for_selector("main#main-content h1", state="attached")
    if name in READY:
        wait_until(page, READY[name])


@pytest.fixture
def sized_page(browser, console, live_server, request):
    """A fresh page at the requested viewport size, recording console errors."""
    width, height = VIEWPORTS[request.param]
    with fresh_page(browser, console, live_server, width, height) as pg:
        yield pg


@pytest.mark.parametrize("sized_page", list(VIEWPORTS), indirect=True)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_horizontal_scrolling(sized_page, name, obs, console):
    _open(sized_page, name, obs)
    width = sized_page.evaluate("window.innerWidth")
    scroll = sized_page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name}: the page is {scroll} px wide in a {width} px window"
    errors = [e for e in console.errors if "status of 404" not in e]  # the not-found page's own 404
    assert not errors


@pytest.mark.parametrize("sized_page", list(VIEWPORTS), indirect=True)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_accessibility_violation(sized_page, name, obs):
    page = sized_page
    _open(page, name, obs)
    violations = Axe().run(page).response["violations"]
    serious = [f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['html'][:120]}"
               for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(serious)


@pytest.mark.parametrize("sized_page", list(VIEWPORTS), indirect=True)
def test_the_map_is_in_the_first_screen(sized_page, obs):
    _open(sized_page, "map", obs)
    box = sized_page.locator("#map-graph").bounding_box()
    height = sized_page.evaluate("window.innerHeight")
    assert box["y"] < height * 0.25, f"the map starts at {box['y']:.0f} px of {height}"
    assert box["y"] + min(box["height"], 300) <= height  # at least 300 px of map without scrolling


def test_every_page_has_a_main_landmark_a_skip_link_and_one_h1(page, obs):
    for name in PAGES:
        _open(page, name, obs)
        assert page.locator("main").count() == 1
        assert page.locator("h1").count() == 1, name
        assert page.evaluate("document.documentElement.lang") == "en"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"


def test_the_navbar_collapses_on_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server)
    pg = context.new_page()
    pg.goto("/")
    pg.wait_for_selector("#nav-toggler")
    assert not pg.get_by_role("link", name="Strategies").is_visible()
    pg.click("#nav-toggler")
    pg.get_by_role("link", name="Strategies").click()
    pg.wait_for_url("**/strategies")
    wait_until(pg, "!document.querySelector('#nav-collapse').classList.contains('show')")
    context.close()


def test_no_chart_offers_to_upload_itself(page, obs):
    for name in ("map", "benchmark"):
        _open(page, name, obs)
        page.locator(".js-plotly-plot").first.hover()
        assert page.locator(".modebar-btn[data-title^='Share']").count() == 0
        assert page.locator(".modebar-btn").count() > 0  # the toolbar itself is there


def test_dropdowns_are_named_and_reached_by_the_tab_key(page, obs):
    _open(page, "map", obs)
    names = page.evaluate("""Array.from(document.querySelectorAll('#map-indicator, #map-measure'))
        .map(b => [b.tabIndex, (b.getAttribute('aria-labelledby') || '').split(' ')
            .map(id => (document.getElementById(id) || {}).textContent || '').join(' ')])""")
    assert names and all(tab == 0 for tab, _ in names)
    assert any(name.startswith("Indicator") for _, name in names)
    assert any(name.startswith("Colour regions by") for _, name in names)
    slider = page.evaluate("""(() => { const t = document.querySelector('#map-year [role=slider]');
        return (t.getAttribute('aria-labelledby') || '').split(' ')
            .map(id => (document.getElementById(id) || {}).textContent || '').join(' '); })()""")
    assert slider.startswith("Year")


def _tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the focused element matches ``selector`` (keyboard only, as a user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} was not reached with the Tab key")


def test_the_map_can_be_driven_with_the_keyboard_alone(page, obs):
    _open(page, "map", obs)
    _tab_to(page, "#map-level input:checked")
    page.keyboard.press("ArrowRight")  # NUTS 2 -> NUTS 3
    page.wait_for_url("**level=3**")
    _tab_to(page, "#map-measure")
    page.keyboard.press("ArrowDown")  # opens the list
    page.wait_for_selector(".dash-dropdown-option")
    page.wait_for_timeout(200)
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(100)
    page.keyboard.press("Enter")
    wait_until(page, "location.search.includes('measure=')")
    wait_until(page, "document.querySelector('#map-graph .gtitle') && "
                     "!document.querySelector('#map-graph .gtitle').textContent.startsWith('GDP')")
    _tab_to(page, "#map-view")  # the rest of the controls stays reachable
    assert page.locator("#map-graph path.choroplethlocation").count() > 100
