"""The map's answers as lists, in the browser: the term list equals the regions the map colours,
the panel says why a region matches, the list links to the strategies table and downloads as CSV,
and any map can be shown as a table."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import expect

from observatory.analysis.map_answers import term_matches
from observatory.analysis.map_measures import matching_regions
from tests.support import wait_until

ROWS = "Array.from(document.querySelectorAll('#map-answer-table tbody tr')).map(r => r.cells[1].textContent)"


def _open(page, path: str) -> None:
    page.goto(path)
    wait_until(page, "document.querySelectorAll('#map-graph path.choroplethlocation').length > 100")


def test_term_list_is_the_coloured_regions_and_links_to_the_table(page, obs, console):
    _open(page, "/?level=2&measure=term&term=hydrogen")
    listed = set(wait_until(page, ROWS))
    assert listed == set(matching_regions(obs, "hydrogen", 2))  # exactly what the map colours
    regions = len(listed)
    expect(page.locator(".map-answer-summary")).to_contain_text(f"{regions} NUTS 2 region")
    with page.expect_download() as download:
        page.click("#map-csv")
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert {row["region"] for row in rows} == listed
    assert len(rows) == len(term_matches(obs, "hydrogen", 2))
    page.click("#map-strategies-link")
    page.wait_for_url("**/strategies?view=priorities&q=hydrogen")
    assert not console.errors


def test_panel_explains_a_match_through_a_strategy_inside_the_region(page, obs, console):
    matches = term_matches(obs, "hydrogen", 2)
    inside = matches[matches["territory"].str.endswith(")") & matches.apply(
        lambda r: not r["territory"].endswith(f"({r['region']})"), axis=1) & (matches["match"] == "regional")]
    row = (inside if len(inside) else matches).iloc[0]
    _open(page, f"/?level=2&measure=term&term=hydrogen&region={row['region']}")
    why = page.locator(".map-panel-why")
    expect(why).to_contain_text(row["strategy"][:40])
    expect(why).to_contain_text(row["territory"])
    assert not console.errors


def test_any_map_can_be_read_as_a_table(page, obs, console):
    _open(page, "/?level=2&measure=strategy")
    assert page.locator("#map-answer-table").count() == 0  # only on request for a non-term map
    page.get_by_label("Show every coloured region in a table").check()
    rows = wait_until(page, ROWS)
    assert len(rows) == min(100, len(rows)) and len(rows) > 10
    expect(page.locator("#map-answer-table caption")).to_contain_text("strategies")
    assert not console.errors


def test_s3_maps_count_current_strategies_unless_another_period_is_asked(page, obs, console):
    current = set(matching_regions(obs, "hydrogen", 2))
    previous = set(matching_regions(obs, "hydrogen", 2, "2014-2020"))
    _open(page, "/?level=2&measure=term&term=hydrogen&period=2014-2020")
    expect(page.locator("#map-period")).to_contain_text("2014-2020")
    listed = set(wait_until(page, ROWS)) if previous else set()
    assert listed == previous
    _open(page, "/?level=2&measure=term&term=hydrogen")
    assert set(wait_until(page, ROWS)) == current
    expect(page.locator("#map-notes")).to_contain_text("2021-2027")
    assert not console.errors


def test_several_terms_at_once_list_the_regions_matching_any(page, obs, console):
    either = set(matching_regions(obs, "hydrogen,bioeconomy", 2))
    assert either >= set(matching_regions(obs, "hydrogen", 2)) | set(matching_regions(obs, "bioeconomy", 2))
    _open(page, "/?level=2&measure=term")
    page.get_by_label("…or keywords in the priority text, comma-separated").fill("hydrogen, bioeconomy")
    wait_until(page, "location.search.includes('term=hydrogen%2Cbioeconomy') || "
                     "location.search.includes('term=hydrogen,bioeconomy')")
    assert set(wait_until(page, ROWS)) == either
    expect(page.locator(".map-answer-summary")).to_contain_text("“hydrogen” or “bioeconomy”")
    assert not console.errors
