"""Strategies browser in a real browser: filters from the URL and from the controls, the URL
following the filters, links to profiles, and the CSV export holding exactly the filtered rows."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from playwright.sync_api import expect

from observatory.analysis import repository
from observatory.analysis.repository import RepositoryFilter


def _open(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200
    page.wait_for_selector("#repo-grid .ag-row")


def _summary(shown: int, total: int, noun: str) -> str:
    return f"{shown} of {total} {noun} match."


def _download_csv(page) -> list[dict[str, str]]:
    with page.expect_download() as info:
        page.locator("#repo-csv").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(text.splitlines()))


def test_all_strategies_listed_with_profile_links(page, console, obs):
    _open(page, "/strategies")
    expect(page.locator("#repo-summary")).to_have_text(f"{len(obs.strategies)} of {len(obs.strategies)} "
                                                       "strategies match.")
    link = page.locator("#repo-grid .ag-row a[href^='/region/']").first
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    code = href.rsplit("/", 1)[-1]
    assert obs.region(code) is not None
    link.click()
    expect(page).to_have_url(re.compile(f"/region/{code}$"))
    page.wait_for_selector(".region-profile")
    assert not console.errors


def test_url_filter_and_csv_export_match(page, console, obs):
    """Country + level + period from the URL; the CSV has exactly the rows the query gives."""
    _open(page, "/strategies?country=IT,ES&level=regional&period=2021-2027")
    spec = RepositoryFilter(countries=("IT", "ES"), level="regional", period="2021-2027")
    expected = repository.filter_strategies(obs, repository.strategy_table(obs), spec)
    assert 0 < len(expected) < len(obs.strategies)
    summary = page.locator("#repo-summary")
    expect(summary).to_have_text(_summary(len(expected), len(obs.strategies), "strategies"))
    rows = _download_csv(page)
    assert len(rows) == len(expected)
    assert {r["strategy_id"] for r in rows} == set(expected["strategy_id"])
    assert {r["country"] for r in rows} <= {"IT", "ES"}
    assert {r["level"] for r in rows} == {"regional"} and {r["period"] for r in rows} == {"2021-2027"}
    assert "profile" not in rows[0]  # the link column is not exported, the data columns are
    assert not console.errors


def test_priorities_by_term_and_text_from_the_controls(page, console, obs):
    _open(page, "/strategies?view=priorities")
    total = len(obs.priorities)
    expect(page.locator("#repo-summary")).to_have_text(f"{total} of {total} priorities match.")
    # free-text search, typed
    page.locator("#repo-q").fill("hydrogen")
    page.locator("#repo-q").press("Enter")
    table = repository.priority_table(obs)
    expected = repository.filter_priorities(obs, table, RepositoryFilter(text="hydrogen"))
    assert 0 < len(expected) < total
    expect(page.locator("#repo-summary")).to_have_text(f"{len(expected)} of {total} priorities match.")
    expect(page).to_have_url(re.compile(r"view=priorities.*q=hydrogen"))
    rows = _download_csv(page)
    assert {r["priority_id"] for r in rows} == set(expected["priority_id"])
    assert all("hydrogen" in (r["name"] + " " + r["description"]).lower() for r in rows)
    assert not console.errors


def test_term_filter_from_the_url_and_reload(page, console, obs):
    term = "nace:C20"
    _open(page, f"/strategies?view=priorities&term={term}")
    expected = repository.filter_priorities(obs, repository.priority_table(obs), RepositoryFilter(term=term))
    assert len(expected) > 0
    expect(page.locator("#repo-summary")).to_have_text(
        _summary(len(expected), len(obs.priorities), "priorities"))
    rows = _download_csv(page)
    assert {r["priority_id"] for r in rows} == set(expected["priority_id"])
    assert all(term in r["terms"].split(";") for r in rows)
    page.reload()
    page.wait_for_selector("#repo-grid .ag-row")
    expect(page.locator("#repo-summary")).to_have_text(
        _summary(len(expected), len(obs.priorities), "priorities"))
    assert not console.errors


def test_bad_parameters_are_explained_not_fatal(page, console, obs):
    _open(page, "/strategies?country=ZZ&term=nace:NOPE")
    expect(page.locator("#repo-errors")).to_contain_text("Unknown country")
    expect(page.locator("#repo-errors")).to_contain_text("Unknown taxonomy term")
    expect(page.locator("#repo-summary")).to_have_text(f"{len(obs.strategies)} of {len(obs.strategies)} "
                                                       "strategies match.")
    assert not console.errors


def test_back_forward_and_the_navbar_link_follow_the_address(page, console, obs):
    """The table and its controls follow the address, however it changes (not only on reload)."""
    _open(page, "/strategies")
    total = len(obs.strategies)
    summary = page.locator("#repo-summary")
    expect(summary).to_have_text(_summary(total, total, "strategies"))
    page.locator("#repo-q").fill("hydrogen")
    page.locator("#repo-q").press("Enter")
    table = repository.strategy_table(obs)
    expected = repository.filter_strategies(obs, table, RepositoryFilter(text="hydrogen"))
    assert 0 < len(expected) < total
    expect(summary).to_have_text(_summary(len(expected), total, "strategies"))
    expect(page).to_have_url(re.compile(r"q=hydrogen"))

    page.go_back()  # the unfiltered address: everything again, and the box emptied
    expect(summary).to_have_text(_summary(total, total, "strategies"))
    expect(page.locator("#repo-q")).to_have_value("")
    page.go_forward()
    expect(summary).to_have_text(_summary(len(expected), total, "strategies"))
    expect(page.locator("#repo-q")).to_have_value("hydrogen")

    page.locator("nav a.nav-link", has_text="Strategies").click()  # the navbar's plain /strategies
    expect(page).to_have_url(re.compile(r"/strategies$"))
    expect(summary).to_have_text(_summary(total, total, "strategies"))
    expect(page.locator("#repo-q")).to_have_value("")
    assert not console.errors


def test_grid_loads_on_demand_when_reached_without_a_reload(page, console, obs):
    """The map's HTML has no AG Grid script (``assets/lazy-libraries.js`` stands in): following the
    navbar to the table loads it once, and the table works as on a direct visit."""
    grid_requests = []
    page.on("request", lambda request: grid_requests.append(request.url)
            if "/dash_ag_grid/dash_ag_grid" in request.url else None)
    page.goto("/")
    page.wait_for_selector("path.choroplethlocation")
    assert grid_requests == []
    page.locator("nav a[href='/strategies']").click()
    page.wait_for_selector("#repo-grid .ag-row")
    expect(page.locator("#repo-summary")).to_have_text(_summary(len(obs.strategies), len(obs.strategies),
                                                                "strategies"))
    assert len(grid_requests) == 1
    page.locator("#repo-q").fill("hydrogen")
    expect(page.locator("#repo-summary")).not_to_have_text(_summary(len(obs.strategies), len(obs.strategies),
                                                                    "strategies"))
    page.locator("a.navbar-brand").click()  # back to the map without a reload, then back to the table
    page.wait_for_selector("#map-graph path.choroplethlocation", state="attached")
    page.go_back()
    page.wait_for_selector("#repo-grid .ag-row")
    assert len(grid_requests) == 1
    assert not console.errors


def test_current_strategies_only_from_the_status_control(page, console, obs):
    """Choosing "current" narrows the table to strategies in force, puts it in the address, and the
    CSV says each row's status and the kind of page it cites."""
    _open(page, "/strategies")
    page.locator("#repo-status").click()
    page.get_by_role("option", name="current", exact=True).click()
    table = repository.strategy_table(obs)
    expected = repository.filter_strategies(obs, table, RepositoryFilter(status="current"))
    assert 0 < len(expected) < len(obs.strategies)
    total = len(obs.strategies)
    expect(page.locator("#repo-summary")).to_have_text(_summary(len(expected), total, "strategies"))
    expect(page).to_have_url(re.compile(r"/strategies\?status=current$"))
    rows = _download_csv(page)
    assert {r["status"] for r in rows} == {"current"} and len(rows) == len(expected)
    assert {r["source_kind"] for r in rows} <= {"official", "eu", "secondary", "mirror"}
    assert not console.errors
