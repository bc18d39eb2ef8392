"""Coverage and sources page, and the "not found" page (status 404, search box) in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from observatory.analysis import coverage


def only_the_document_404(errors: list[str]) -> bool:
    """A 404 page logs exactly one console error, the browser's note on the document's status."""
    return len(errors) == 1 and "status of 404" in errors[0]


def test_coverage_page_counts_gaps_and_sources(page, console, obs):
    response = page.goto("/about/data")
    assert response.status == 200
    page.wait_for_selector(".about-data")
    expect(page.locator("#about-built-at")).to_have_text(obs.manifest["built_at"])
    table = coverage.country_coverage(obs)
    expect(page.locator("#about-countries tbody tr")).to_have_count(len(table))
    # a country without any record shows the gap in words, not a zero
    gap = table[table["status"].str.contains("gap")].iloc[0]
    row = page.locator(f"#about-countries tr[data-country='{gap['country']}']")
    expect(row.locator("td.gap").first).to_have_text("no strategy record (gap)")
    # a country with records shows counts
    italy = table.set_index("country").loc["IT"]
    expect(page.locator("#about-countries tr[data-country='IT']")).to_contain_text(
        f"{italy['nuts2_regional']} of {italy['nuts2_regions']}")
    expect(page.locator("#about-totals")).to_contain_text(f"{len(obs.strategies)} strategy records")
    expect(page.locator("#about-sources tbody tr")).to_have_count(len(obs.manifest["sources"]))
    expect(page.locator("#about-sources")).to_contain_text("EuroGeographics")
    assert not console.errors


def test_unknown_region_is_a_404_with_a_working_search(page, console, obs):
    assert obs.region("XX99") is None
    response = page.goto("/region/XX99")
    assert response.status == 404
    page.wait_for_selector(".not-found")
    expect(page.locator(".not-found-message")).to_contain_text("XX99")
    box = page.locator("#nf-query")
    box.fill("emilia")
    box.press("Enter")
    hits = obs.search("emilia", limit=12)
    assert hits
    results = page.locator(".search-results li a")
    expect(results).to_have_count(len(hits))
    expect(results.first).to_have_text(hits[0].name)
    results.first.click()
    expect(page).to_have_url(re.compile(f"/region/{hits[0].code}$"))
    expect(page.locator("#profile-name")).to_have_text(hits[0].name)
    assert only_the_document_404(console.errors)


def test_unknown_code_suggests_the_known_parent(page, console, obs):
    """'ITH9' does not exist but 'ITH' does: the search box starts from it and lists its regions."""
    assert obs.region("ITH9") is None and obs.region("ITH") is not None
    response = page.goto("/region/ITH9")
    assert response.status == 404
    expect(page.locator("#nf-query")).to_have_value("ITH")
    expect(page.locator(".search-results li a[href='/region/ITH']")).to_be_visible()
    assert only_the_document_404(console.errors)


def test_unknown_path_is_a_404_page(page, console):
    response = page.goto("/no/such/page")
    assert response.status == 404
    expect(page.locator(".not-found h1")).to_have_text("Not found")
    expect(page.locator("#nf-query")).to_be_visible()
    assert only_the_document_404(console.errors)
