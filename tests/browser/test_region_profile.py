"""Region profiles in a real browser: a region with its own strategy, one with none, one whose
strategies cover only parts of it; counts are checked against the queries behind the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from observatory.analysis import profile
from observatory.components.cards import SOURCE_KIND_LABELS
from observatory.geography import EU27

REGION_WITH_STRATEGY = "ITH5"  # Emilia-Romagna: regional S3 2021-2027 plus the Italian national one


def _open(page, path: str):
    response = page.goto(path)
    page.wait_for_selector(".region-profile, .not-found")
    return response


def test_profile_of_a_region_with_a_strategy(page, console, obs):
    code = REGION_WITH_STRATEGY
    assert obs.region(code) is not None
    response = _open(page, f"/region/{code}")
    assert response.status == 200
    region = obs.region(code)
    expect(page.locator("#profile-name")).to_have_text(region.name)
    expect(page).to_have_title(re.compile(re.escape(region.name)))

    # hierarchy with links up to the country
    crumbs = page.locator("#profile-hierarchy a")
    expect(crumbs).to_have_count(region.level)
    assert crumbs.first.get_attribute("href") == f"/region/{code[:2]}"

    # one card per covering strategy, with the relation said plainly
    strategies = profile.covering_strategies(obs, code)
    cards = page.locator(".strategy-card")
    expect(cards).to_have_count(len(strategies))
    own = strategies[strategies["relation"] == "same"].iloc[0]
    own_card = page.locator(f".strategy-card[data-strategy='{own['strategy_id']}']")
    expect(own_card.locator(".strategy-relation")).to_have_text("covers this region")
    expect(own_card).to_contain_text(own["title"])
    expect(own_card.locator(".priority")).to_have_count(int(own["priority_count"]))
    national = strategies[strategies["relation"] == "contains"].iloc[0]
    expect(page.locator(f".strategy-card[data-strategy='{national['strategy_id']}'] .strategy-relation")
           ).to_contain_text("as part of")

    # status, S3 office and the kind of each source are said in words
    expect(own_card.locator(".strategy-status")).to_have_attribute("data-status", own["status"])
    offices = profile.contact_points(obs, [own["strategy_id"]])[own["strategy_id"]]
    assert offices, "the test region's strategy should have a recorded S3 office"
    expect(own_card.locator(".contact-point")).to_have_count(len(offices))
    expect(own_card.locator(".contact-point").first).to_contain_text(offices[0]["office"])
    kind_words = SOURCE_KIND_LABELS[own["source_kind"]]
    expect(own_card.locator(".source-kind")).to_contain_text(kind_words)
    any_kind = re.compile("|".join(SOURCE_KIND_LABELS.values()))
    links = own_card.locator(".priority .source-link")
    for i in range(links.count()):
        expect(links.nth(i)).to_contain_text(any_kind)

    # taxonomy chips link to the map filtered by the term; automatic tags say so
    chip = own_card.locator(".term-chip[data-method='curated'] a").first
    href = chip.get_attribute("href")
    assert href.startswith("/?") and "measure=term" in href and "term=nace:" in href and "level=2" in href
    auto = page.locator(".term-chip[data-method='keyword'] a").first
    assert "automatically" in auto.get_attribute("title")

    # partnerships, with the role
    memberships = profile.region_partnerships(obs, code)
    expect(page.locator(".partnership-row")).to_have_count(len(memberships))
    first = memberships.iloc[0]
    expect(page.locator(f".partnership-row[data-partnership='{first['partnership_id']}'] .role-badge")
           ).to_have_text(first["role"])

    # key figure tiles with trend lines, and the locator map
    expect(page.locator(".figure-tile")).to_have_count(len(profile.headline_indicators(obs)))
    expect(page.locator(".figure-tile .tile-rank").first).to_be_visible()
    expect(page.locator("#profile-locator .js-plotly-plot")).to_be_visible()
    expect(page.locator(".tile-trend .js-plotly-plot").first).to_be_visible()
    assert not console.errors


@pytest.fixture(scope="module")
def region_without_strategy(obs) -> str:
    """A NUTS 2 region no strategy record covers, found in the data (not guessed): an EU one while
    the records still have gaps, else one of the EFTA or candidate countries' regions, which NUTS
    includes but the EU's S3 records do not."""
    codes = obs.regions_at(2)["nuts_id"]
    for code in sorted(codes, key=lambda c: c[:2] not in EU27):
        if not obs.strategies_for(code):
            return code
    pytest.fail("every NUTS 2 region has a strategy record: the no-record case cannot be tested")


def test_profile_of_a_region_without_a_strategy_record(page, console, obs, region_without_strategy):
    code = region_without_strategy
    response = _open(page, f"/region/{code}")
    assert response.status == 200
    expect(page.locator(".no-strategy-record")).to_contain_text("No strategy record covers this region")
    expect(page.locator(".strategy-card")).to_have_count(0)
    # what is known is still shown: figures and (possibly no) partnerships, said plainly
    expect(page.locator(".figure-tile")).to_have_count(len(profile.key_figures(obs, code)))
    if profile.region_partnerships(obs, code).empty:
        expect(page.locator(".no-partnerships")).to_be_visible()
    else:
        expect(page.locator(".partnership-row")).to_have_count(len(profile.region_partnerships(obs, code)))
    assert not console.errors


def test_strategy_covering_part_of_a_region(page, console, obs):
    nuts3 = obs.strategies[obs.strategies["territory_level"] == 3].iloc[0]
    parent = nuts3["territory_code"][:4]
    _open(page, f"/region/{parent}")
    card = page.locator(f".strategy-card[data-strategy='{nuts3['strategy_id']}']")
    expect(card.locator(".strategy-relation")).to_have_text(
        f"covers part of this region: {obs.region(nuts3['territory_code']).name} ({nuts3['territory_code']})")
    assert not console.errors


def test_hierarchy_link_navigates(page, console, obs):
    _open(page, f"/region/{REGION_WITH_STRATEGY}")
    page.locator("#profile-hierarchy a").last.click()
    parent = REGION_WITH_STRATEGY[:3]
    expect(page).to_have_url(re.compile(f"/region/{parent}$"))
    expect(page.locator("#profile-name")).to_have_text(obs.region(parent).name)
    assert not console.errors
