"""Partnership pages in a real browser: the grouped index with the co-membership view, and one
partnership's members, leads and map."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from observatory.analysis import repository
from observatory.components.cards import SOURCE_KIND_LABELS


@pytest.fixture(scope="module")
def led_partnership(obs) -> str:
    """The partnership with the most located members among those with a recorded lead."""
    members = obs.members.dropna(subset=["nuts_code"])
    with_lead = set(members.loc[members["role"] == "lead", "partnership_id"])
    counts = members[members["partnership_id"].isin(with_lead)].groupby("partnership_id").size()
    return str(counts.idxmax())


def test_index_groups_partnerships_by_programme(page, console, obs):
    response = page.goto("/partnerships")
    assert response.status == 200
    page.wait_for_selector(".partnerships-index")
    table = repository.partnership_table(obs)
    families = table["family"].unique().tolist()
    expect(page.locator(".partnership-family")).to_have_count(len(families))
    for family in families:
        section = page.locator(f".partnership-family[data-family='{family}']")
        expect(section.locator("tr[data-partnership]")).to_have_count(int((table["family"] == family).sum()))
    expect(page.locator("#partner-heatmap .js-plotly-plot")).to_be_visible()
    pairs, _ = repository.co_membership(obs)
    top = pairs.iloc[0]
    expect(page.locator("#partner-pairs tbody tr").first).to_contain_text(str(int(top["shared"])))
    assert not console.errors


def test_partnership_page_members_leads_and_map(page, console, obs, led_partnership):
    pid = led_partnership
    response = page.goto(f"/partnerships/{pid}")
    assert response.status == 200
    page.wait_for_selector(".partnership-detail")
    record = obs.partnerships.loc[pid]
    expect(page.locator("#partner-name")).to_have_text(record["name"])
    members = repository.partnership_members(obs, pid)
    expect(page.locator(".member-row")).to_have_count(len(members))
    leads = int((members["role"] == "lead").sum())
    expect(page.locator(".member-row[data-role='lead']")).to_have_count(leads)
    expect(page.locator(".member-row").first.locator(".role-badge")).to_have_text("lead")
    # each member says the date of its list (or that none is stated) and what kind of page it cites
    first = members.iloc[0]
    row = page.locator(".member-row").first
    expect(row.locator(".member-as-of")).to_have_text(first["as_of"] or "not stated")
    expect(row.locator(".source-link")).to_contain_text(SOURCE_KIND_LABELS[first["source_kind"]])
    # the map draws the members, with the leads outlined by the selection trace
    graph = page.locator("#partner-map .js-plotly-plot")
    expect(graph).to_be_visible()
    traces = page.evaluate("() => document.querySelector('#partner-map .js-plotly-plot').data"
                           ".map(t => ({locations: t.locations, z: t.z}))")
    at_level = obs.partnership_members_at(pid, 2)
    coloured = {loc for loc, z in zip(traces[1]["locations"], traces[1]["z"], strict=True) if z is not None}
    assert coloured == set(at_level["region"]) and len(coloured) > 0
    leads = set(at_level.loc[at_level["role"] == "lead", "region"])
    assert leads <= set(traces[2]["locations"])
    # a member links to its region profile
    link = page.locator(".member-row a[href^='/region/']").first
    code = link.get_attribute("href").rsplit("/", 1)[-1]
    link.click()
    expect(page).to_have_url(re.compile(f"/region/{code}$"))
    page.wait_for_selector(".region-profile")
    expect(page.locator(f".partnership-row[data-partnership='{pid}']")).to_be_visible()
    assert not console.errors


def test_unknown_partnership_is_a_404_with_search(page, console):
    response = page.goto("/partnerships/no-such-partnership")
    assert response.status == 404
    expect(page.locator(".not-found-message")).to_contain_text("no partnership")
    expect(page.locator("#nf-query")).to_be_visible()
    assert only_the_document_404(console.errors)


def only_the_document_404(errors: list[str]) -> bool:
    """A 404 page logs exactly one console error, the browser's note on the document's status."""
    return len(errors) == 1 and "status of 404" in errors[0]


def test_search_finds_a_partnership_however_it_is_typed(page, console, obs):
    page.goto("/partnerships")
    page.wait_for_selector(".partnerships-index")
    table = repository.partnership_table(obs)
    expected = repository.filter_partnerships(table, text="bioeconomy")
    assert len(expected)
    page.get_by_label("Search partnerships").fill("bioeconomy")
    expect(page.locator("tr[data-partnership]")).to_have_count(len(expected))
    count = f"{len(expected)} of {len(table)} partnerships shown."
    expect(page.locator("#partner-count")).to_have_text(count)
    page.get_by_label("Search partnerships").fill("no such partnership at all")
    expect(page.locator(".partnerships-none")).to_be_visible()
    assert not console.errors
