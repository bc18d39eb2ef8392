"""The benchmark page in a real browser: peers appear, methods switch them, highlights link every
chart and the map, and a hand-picked peer can be added and removed."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support import wait_until

ROWS = ".bench-peer-row"
# Each control change is two server round trips (state, then render): allow for a loaded machine.
expect.set_options(timeout=15_000)


def peer_codes(page) -> list[str]:
    return page.locator(ROWS).evaluate_all("rows => rows.map(r => r.dataset.region)")


def open_page(page, query: str) -> None:
    page.goto(f"/benchmark{query}")
    page.wait_for_selector(ROWS)
    page.wait_for_selector("#bench-bars .js-plotly-plot .bars .point path")


def test_structural_peers_appear_with_explanations(page, console):
    open_page(page, "?region=AT11")
    expect(page.locator(ROWS)).to_have_count(10)
    first = page.locator(ROWS).first
    expect(first).to_contain_text("Structurally similar")
    expect(first).to_contain_text("dimensions")  # coverage of the pair
    expect(first.locator(".bench-contrib-bar > div").first).to_be_visible()  # dimension contributions
    assert "AT11" not in peer_codes(page)
    # every chart and the map are drawn, each with a title
    for name in ("bars", "series", "profile", "scatter", "overlap", "map"):
        expect(page.locator(f"#bench-{name} .gtitle")).not_to_have_text("")
    assert not console.errors


def test_switching_method_changes_the_peers_and_the_url(page, console):
    open_page(page, "?region=AT11")
    structural = peer_codes(page)
    page.get_by_label("Same country", exact=True).check()
    page.get_by_label("Structurally similar", exact=True).uncheck()
    expect(page).to_have_url(re.compile(r"method=country"))
    # the address is written before the charts' answer comes: wait for the table of the final state
    # (an intermediate "structural + country" table can also start with a same-country peer)
    codes = wait_until(page, """() => {
        const codes = Array.from(document.querySelectorAll('.bench-peer-row')).map(r => r.dataset.region);
        return codes.length && codes.every(c => c.startsWith('AT')) ? codes : null;
    }""")
    expect(page.locator(ROWS).first).to_contain_text("Same country")
    assert set(codes) != set(structural)
    page.get_by_label("Exclude same country", exact=True).check()  # structural/priority peers only
    page.get_by_label("Structurally similar", exact=True).check()
    expect(page).to_have_url(re.compile(r"xc=1"))
    expect(page.locator(ROWS).filter(has_text="Structurally similar")).to_have_count(10)
    abroad = [c for c, t in zip(peer_codes(page), page.locator(ROWS).all_inner_texts(), strict=True)
              if "Structurally similar" in t]
    assert not any(code.startswith("AT") for code in abroad)
    assert not console.errors


HIGHLIGHTED_EVERYWHERE = """(code) => {
    const gd = (name) => document.querySelector(`#bench-${name} .js-plotly-plot`);
    const meta = (t) => t.meta || {};
    const pointsOn = (name) => gd(name).data.some(t => meta(t).hl === "points" && Array.isArray(t.customdata)
        && t.customdata.some((cd, i) => (Array.isArray(cd) ? cd[0] : cd) === code
                                        && t.marker.line.width[i] === 3));
    const traceOn = (name) => gd(name).data.some(t => meta(t).hl === "trace" && meta(t).region === code
        && t.line.width === meta(t).width + 3);
    const rowOn = (name) => (gd(name).layout.shapes || []).some(s => s.name === "bench-hl");
    const mapOn = gd("map").data.some(t => meta(t).hl === "outline" && t.locations.length === 1
                                           && t.locations[0] === code);
    return pointsOn("bars") && pointsOn("scatter") && pointsOn("profile") && traceOn("series") && mapOn
        && (rowOn("overlap") || !gd("overlap").data.some(t => meta(t).hl === "rows"));
}"""


def test_hovering_a_bar_highlights_the_region_in_every_chart_and_on_the_map(page, console):
    open_page(page, "?region=AT11")
    bar = page.locator("#bench-bars .bars .point path").nth(2)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    label = page.locator("#bench-highlight-label")
    expect(label).to_have_text(re.compile(r"Highlighted: .+ \([A-Z]{2}[A-Z0-9]{2}\)"))
    code = re.search(r"\(([A-Z]{2}[A-Z0-9]{2})\)$", label.inner_text()).group(1)
    wait_until(page, HIGHLIGHTED_EVERYWHERE, arg=code)
    # selecting a peer by its name in the table highlights it everywhere too
    other = page.locator(".bench-peer-name").nth(4)
    other_code = other.locator("xpath=ancestor::tr").get_attribute("data-region")
    assert other_code != code
    other.click()
    expect(label).to_contain_text(f"({other_code})")
    wait_until(page, HIGHLIGHTED_EVERYWHERE, arg=other_code)
    assert not console.errors


def test_a_hand_picked_peer_can_be_added_and_removed(page, console):
    open_page(page, "?region=AT11")
    assert "ITI2" not in peer_codes(page)
    page.click("#bench-add")
    page.keyboard.type("Umbria")
    page.locator("[role=option]:has(input[value=ITI2])").click()
    row = page.locator(f'{ROWS}[data-region="ITI2"]')
    expect(row).to_be_visible()
    expect(row).to_contain_text("Hand-picked")
    expect(page).to_have_url(re.compile(r"add=ITI2"))
    row.locator(".bench-remove").click()
    expect(row).to_have_count(0)
    expect(page).not_to_have_url(re.compile(r"add=ITI2"))
    # removing a method's peer excludes it, and it can be restored
    first = peer_codes(page)[0]
    page.locator(f'{ROWS}[data-region="{first}"] .bench-remove').click()
    expect(page).to_have_url(re.compile(rf"drop={first}"))
    expect(page.locator(f'{ROWS}[data-region="{first}"]')).to_have_count(0)
    page.locator(".bench-restore").first.click()
    expect(page.locator(f'{ROWS}[data-region="{first}"]')).to_have_count(1)
    assert not console.errors


def test_state_comes_back_from_the_url(page, console):
    open_page(page, "?region=AT21&method=structural,country&n=5&xc=1&add=ITI2&ind=unemployment_rate")
    expect(page.locator(f'{ROWS}[data-region="ITI2"]')).to_be_visible()
    expect(page.locator(ROWS).filter(has_text="Structurally similar")).to_have_count(5)
    expect(page.locator("#bench-bars .gtitle")).to_contain_text("Unemployment rate")
    assert not console.errors


def test_a_link_with_too_many_parameters_says_the_excess_was_ignored(page, console):
    junk = "&".join(f"p{i}={i}" for i in range(60))
    open_page(page, f"?region=AT21&n=5&{junk}")
    expect(page.locator(".bench-url-errors")).to_contain_text(
        "The link has 62 parameters: the first 50 were read, the other 12 ignored.")
    expect(page.locator(ROWS).filter(has_text="Structurally similar")).to_have_count(5)
    assert not console.errors


REGION_CENTRE = """(code) => {
    const path = Array.from(document.querySelectorAll('#bench-map path.choroplethlocation'))
        .find(p => p.__data__ && p.__data__.loc === code);
    if (!path) { return null; }
    const box = path.getBoundingClientRect();
    return {x: box.x + box.width / 2, y: box.y + box.height / 2};
}"""


def test_clicking_the_map_adds_and_removes_a_peer(page, console):
    open_page(page, "?region=AT11")
    page.locator("#bench-map").scroll_into_view_if_needed()
    wait_until(page, f"() => ({REGION_CENTRE})('ITI2') !== null")
    centre = page.evaluate(REGION_CENTRE, "ITI2")
    page.mouse.click(centre["x"], centre["y"])
    row = page.locator(f'{ROWS}[data-region="ITI2"]')
    expect(row).to_contain_text("Hand-picked")
    expect(page).to_have_url(re.compile(r"add=ITI2"))
    page.locator("#bench-map").scroll_into_view_if_needed()
    centre = page.evaluate(REGION_CENTRE, "ITI2")
    page.mouse.click(centre["x"], centre["y"])
    expect(row).to_have_count(0)
    assert not console.errors


def test_back_button_restores_the_previous_peers(page, console):
    open_page(page, "?region=AT11")
    before = peer_codes(page)
    page.get_by_label("Same country", exact=True).check()
    expect(page).to_have_url(re.compile(r"method=structural,country"))
    expect(page.locator(ROWS).filter(has_text="Same country").first).to_be_visible()
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"method="))
    expect(page.locator(ROWS).filter(has_text="Same country")).to_have_count(0)
    assert peer_codes(page) == before
    assert not console.errors
