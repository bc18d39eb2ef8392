"""/about/data on the real build: the records' coverage (expected vs recorded per country, headline
totals) and the rows by source kind are on the page, with the figures the coverage functions compute,
in tables a screen reader can walk and a phone can scroll."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dash import html
from dash.development.base_component import Component

from observatory.analysis import coverage
from observatory.pages import about


def _walk(node: object) -> Iterator[Component]:
    if isinstance(node, Component):
        yield node
        yield from _walk(getattr(node, "children", None))
    elif isinstance(node, list | tuple):
        for child in node:
            yield from _walk(child)


def _text(node: object) -> str:
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, Component):
        return _text(getattr(node, "children", None))
    if isinstance(node, list | tuple):
        return "".join(_text(child) for child in node)
    return ""


def _by_id(page: Component, component_id: str) -> Component:
    found = [c for c in _walk(page) if getattr(c, "id", None) == component_id]
    assert len(found) == 1, component_id
    return found[0]


def _rows(table: Component, key: str) -> dict[str, list[str]]:
    """Body rows by their ``data-<key>`` attribute: the text of every cell, row header first."""
    body = next(c for c in _walk(table) if isinstance(c, html.Tbody))
    return {row.to_plotly_json()["props"][f"data-{key}"]: [_text(cell) for cell in row.children]
            for row in body.children}


@pytest.fixture(scope="module")
def page(real_obs):
    return about._content(real_obs)


def test_records_totals_are_the_coverage_figures(page, real_obs):
    totals = coverage.observatory_records_totals(real_obs)
    text = _text(_by_id(page, about.ids("records-totals")))
    assert f"{totals['current_strategies']} current (2021-2027) strategies recorded" in text
    assert f"{totals['national_recorded']} recorded of {totals['national_expected']} known to exist" in text
    assert f"{totals['regional_recorded']} of the {totals['regional_expected']} territories" in text
    assert f"{totals['share_current_with_priorities'] * 100:.0f}% of the current strategies" in text
    with_members = totals["partnerships_with_members"]
    s3 = totals["s3_thematic_partnerships"]
    assert f"{totals['partnerships']} interregional partnerships ({s3} of the S3 thematic platforms), " \
           f"{with_members} of them" in text


def test_partnership_table_is_the_partnership_coverage(page, real_obs):
    expected = coverage.observatory_partnership_coverage(real_obs)
    rows = _rows(_by_id(page, about.ids("partnership-coverage")), "family")
    assert list(rows) == list(expected["family"])
    for row in expected.itertuples(index=False):
        whole = row.partnerships
        assert rows[row.family] == [row.family, str(whole), f"{row.with_members} of {whole}",
                                    f"{row.with_lead} of {whole}", f"{row.with_dated_list} of {whole}",
                                    f"{row.status_known} of {whole}", str(row.member_rows)]


def test_every_country_row_is_the_expected_vs_recorded_figures(page, real_obs):
    expected = coverage.observatory_records_coverage(real_obs)
    rows = _rows(_by_id(page, about.ids("records-countries")), "country")
    assert list(rows) == list(expected["country"])
    assert len(rows) >= 25
    for row in expected.itertuples(index=False):
        cells = rows[row.country]
        assert cells[0].endswith(f"({row.country})")
        assert cells[1] == ("recorded" if row.national_recorded
                            else "missing" if row.national_expected else "none expected")
        if row.regional_expected:
            assert cells[2] == f"{row.regional_recorded} of {row.regional_expected}"
        assert cells[3] == (row.regional_missing.replace(";", ", ") or "—")
        assert cells[4] == str(row.current_strategies)
        assert cells[5] == f"{row.current_with_priorities} of {row.current_strategies}"
        assert cells[6] == f"{row.current_with_contact} of {row.current_strategies}"
        assert cells[7] == str(row.partnerships_with_members)
    # Territories known to exist but not recorded are listed as links to their region pages.
    table = _by_id(page, about.ids("records-countries"))
    links = {c.children: c.href for c in _walk(table) if hasattr(c, "href")}
    for codes in expected["regional_missing"]:
        for code in filter(None, codes.split(";")):
            assert links[code] == f"/region/{code}"


def test_source_kind_shares_and_their_meaning(page, real_obs):
    shares = coverage.observatory_source_kinds(real_obs)
    rows = _rows(_by_id(page, about.ids("source-kinds")), "file")
    assert set(rows) == set(shares["file"]) >= {"strategies", "priorities", "partnership_members"}
    kinds = list(coverage.SOURCE_KINDS)
    for file, part in shares.groupby("file"):
        cells = rows[file]
        assert cells[1] == str(int(part["rows"].sum()))
        for kind, cell in zip(kinds, cells[2:], strict=True):
            got = part[part["source_kind"] == kind].iloc[0]
            assert cell == f"{int(got['rows'])} ({got['share'] * 100:.0f}%)", (file, kind)
    meanings = _text(_by_id(page, about.ids("source-kind-meanings")))
    for kind in kinds:
        assert f"{kind}: " in meanings


@pytest.mark.parametrize("table_id", ["records-countries", "source-kinds"])
def test_records_tables_are_accessible_and_scroll_on_a_phone(page, table_id):
    region = _by_id(page, about.ids(f"{table_id}-region"))
    props = region.to_plotly_json()["props"]
    assert props["role"] == "region" and props["tabIndex"] == 0 and props["aria-label"]
    assert "table-responsive" in props["className"]  # overflow-x: auto, the page itself stays 390 px wide
    table = _by_id(page, about.ids(table_id))
    assert isinstance(table.children[0], html.Caption) and _text(table.children[0])
    heads = [c for c in _walk(table) if isinstance(c, html.Th)]
    body = next(c for c in _walk(table) if isinstance(c, html.Tbody))
    assert all(th.scope in ("col", "row") for th in heads)
    assert all(isinstance(row.children[0], html.Th) and row.children[0].scope == "row"
               for row in body.children)


def test_sources_say_which_hashes_are_pinned(page, real_obs):
    rows = {_text(row.children[0]): _text(row.children[1])
            for row in next(c for c in _walk(_by_id(page, about.ids("sources"))) if isinstance(c, html.Tbody))
            .children}
    manifest = {entry["id"]: entry for entry in real_obs.manifest["sources"]}
    live = [sid for sid, entry in manifest.items() if entry.get("pinned") is False]
    pinned = [sid for sid, entry in manifest.items() if entry.get("pinned") is True]
    assert live and pinned, "the manifest records whether each source was pinned"
    assert all("hash recorded, not pinned" in rows[sid] for sid in live)
    assert not any("not pinned" in rows[sid] for sid in pinned)
    assert "publisher" in rows["fos2007"] and "publisher" not in rows["tgs00007"]
