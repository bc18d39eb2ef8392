"""Region profile queries (hierarchy, covering strategies, tags, partnerships, key figures and
ranks), the profile figures and the safe-text rules of the cards, on the real data."""

from __future__ import annotations

import json

import pandas as pd
import plotly
import pytest

from observatory.analysis import profile
from observatory.components import cards
from observatory.figures.profile import co_membership_heatmap, sparkline, trend_title
from observatory.geography import EU27, is_eu


@pytest.fixture(scope="module")
def regional_nuts2(obs) -> str:
    """A NUTS 2 region with a regional strategy coded at exactly its own level (e.g. ITH5)."""
    rows = obs.strategies[(obs.strategies["level"] == "regional") & (obs.strategies["territory_level"] == 2)]
    return "ITH5" if "ITH5" in set(rows["territory_code"]) else rows["territory_code"].iloc[0]


@pytest.fixture(scope="module")
def nuts3_strategy(obs) -> pd.Series:
    """A strategy coded at NUTS 3 (a Czech kraj, Skåne...): its NUTS 2 parent is only partly covered."""
    rows = obs.strategies[obs.strategies["territory_level"] == 3]
    assert not rows.empty
    return rows.iloc[0]


# -- hierarchy --------------------------------------------------------------------------------------
def test_hierarchy_runs_from_country_to_region(obs):
    code = obs.regions_at(3)["nuts_id"].iloc[0]
    steps = profile.hierarchy(obs, code)
    assert [s.code for s in steps] == [code[:2], code[:3], code[:4], code]
    assert [s.level for s in steps] == [0, 1, 2, 3]
    assert profile.hierarchy(obs, "XX99") == []


# -- strategies -------------------------------------------------------------------------------------
def test_covering_strategies_of_a_region_with_its_own_strategy(obs, regional_nuts2):
    rows = profile.covering_strategies(obs, regional_nuts2)
    own = rows[rows["territory_code"] == regional_nuts2]
    assert not own.empty and (own["relation"] == "same").all()
    assert (own["relation_text"] == "covers this region").all()
    national = obs.strategies[(obs.strategies["territory_code"] == regional_nuts2[:2])]
    assert set(national["strategy_id"]) <= set(rows["strategy_id"])
    assert (rows.loc[rows["territory_code"] == regional_nuts2[:2], "relation"] == "contains").all()
    # current strategies first, then superseded ones; within each, widest territory first
    superseded = rows["status"].eq("superseded")
    assert superseded.is_monotonic_increasing
    for _, group in rows.groupby(superseded):
        assert group["territory_level"].is_monotonic_increasing
    # priority counts are the real counts
    for sid, count in zip(rows["strategy_id"], rows["priority_count"], strict=True):
        assert count == (obs.priorities["strategy_id"] == sid).sum()


def test_strategy_within_a_region_is_said_plainly(obs, nuts3_strategy):
    parent = nuts3_strategy["territory_code"][:4]
    rows = profile.covering_strategies(obs, parent)
    row = rows[rows["strategy_id"] == nuts3_strategy["strategy_id"]].iloc[0]
    assert row["relation"] == "within"
    name = obs.region(nuts3_strategy["territory_code"]).name
    assert row["relation_text"] == f"covers part of this region: {name} ({nuts3_strategy['territory_code']})"


def test_a_superseded_strategy_names_its_recorded_successor(obs):
    old = obs.strategies[obs.strategies["superseded_by"].fillna("") != ""].iloc[0]
    successor = obs.strategies.loc[old["superseded_by"]]
    rows = profile.covering_strategies(obs, old["territory_code"])
    row = rows[rows["strategy_id"] == old["strategy_id"]].iloc[0]
    expected = f"{successor['territory_name']} {successor['period']}: {successor['title']}"
    assert row["successor_text"] == expected
    assert profile.successor_text(obs, None) == "" and profile.successor_text(obs, "no-such-id") == ""


def test_contact_points_are_those_recorded_for_each_strategy(obs):
    with_contact = obs.contact_points["strategy_id"].iloc[0]
    recorded = set(obs.contact_points["strategy_id"])
    without = next(s for s in obs.strategies["strategy_id"] if s not in recorded)
    found = profile.contact_points(obs, [with_contact, without])
    expected = obs.contact_points[obs.contact_points["strategy_id"] == with_contact]
    assert [c["office"] for c in found[with_contact]] == expected["office"].tolist()
    assert found[without] == []


def test_unknown_region_has_no_strategies(obs):
    assert profile.covering_strategies(obs, "XX99").empty
    assert profile.region_partnerships(obs, "XX99").empty


def test_priorities_carry_their_tags_curated_first(obs, regional_nuts2):
    sid = obs.strategies.loc[obs.strategies["territory_code"] == regional_nuts2, "strategy_id"]
    rows = profile.priorities_with_tags(obs, sid.tolist())
    assert len(rows) == obs.priorities["strategy_id"].isin(sid).sum() > 0
    for _, row in rows.iterrows():
        curated = {t["code"] for t in row["tags"] if t["method"] == "curated"}
        assert curated == {c.strip() for c in row["nace_sections"].split(";") if c.strip()}
        methods = [profile.METHOD_ORDER[t["method"]] for t in row["tags"] if t["scheme"] == "nace"]
        assert methods == sorted(methods)
        for tag in row["tags"]:
            assert tag["term"] == f"{tag['scheme']}:{tag['code']}"
            assert (tag["method"] in {"keyword", "model"}) == bool(tag["evidence"])


# -- partnerships -----------------------------------------------------------------------------------
def test_region_partnerships_one_row_per_partnership_best_role_first(obs):
    lead = obs.members[(obs.members["role"] == "lead") & obs.members["nuts_code"].notna()].iloc[0]
    rows = profile.region_partnerships(obs, lead["nuts_code"])
    assert rows["partnership_id"].is_unique
    row = rows[rows["partnership_id"] == lead["partnership_id"]].iloc[0]
    assert row["role"] == "lead" and row["membership"] == "member itself"
    order = rows["role"].map(profile.ROLE_ORDER)
    assert order.is_monotonic_increasing


def test_membership_through_a_sub_region_is_explained(obs):
    members = obs.members.dropna(subset=["nuts_code"])
    for _, member in members[members["nuts_code"].str.len() == 5].iterrows():
        parent = member["nuts_code"][:4]
        same_partnership = members[members["partnership_id"] == member["partnership_id"]]
        if not same_partnership["nuts_code"].map(lambda c, p=parent: p.startswith(c)).any():
            break  # neither the parent nor a unit containing it is a member itself
    else:
        pytest.fail("no NUTS 3 member without its parent in the data")
    rows = profile.region_partnerships(obs, parent)
    row = rows[rows["partnership_id"] == member["partnership_id"]].iloc[0]
    assert row["relation"] == "within"
    assert row["membership"].startswith("through ") and member["nuts_code"] in row["membership"]


# -- ranks and key figures ----------------------------------------------------------------------------
def test_rank_among_uses_direction_ties_and_missing():
    values = pd.Series({"A": 1.0, "B": 3.0, "C": 3.0, "D": None, "E": 2.0})
    assert profile.rank_among(values, "B", higher_better=True) == (1, 4)
    assert profile.rank_among(values, "C", higher_better=True) == (1, 4)  # ties share the best rank
    assert profile.rank_among(values, "E", higher_better=True) == (3, 4)
    assert profile.rank_among(values, "A", higher_better=False) == (1, 4)
    assert profile.rank_among(values, "D", higher_better=True) == (None, 4)  # no value, no rank


def test_direction_words():
    assert profile.higher_is_better("higher_is_better") is True
    assert profile.higher_is_better("lower_is_better") is False
    assert profile.higher_is_better("neutral") is None


def _independent_rank(obs, indicator, region, year, better_high):
    values = obs.indicator_values(indicator, year, len(region) - 2)["value"].dropna()
    mine = values[region]
    better = values > mine if better_high else values < mine
    return values, int(better.sum()) + 1


def test_key_figure_ranks_count_only_the_right_peers(obs, regional_nuts2):
    """Unemployment (lower is better): ranks recomputed independently, EU = the 27 member states."""
    spec = obs.indicator("unemployment_rate")
    assert spec is not None and spec["direction"] == "lower_is_better"
    figure = profile.key_figure(obs, "unemployment_rate", regional_nuts2)
    assert figure.value is not None and not figure.proxy
    values, _ = _independent_rank(obs, "unemployment_rate", regional_nuts2, figure.year, False)
    country = values[values.index.str.startswith(regional_nuts2[:2])]
    eu = values[[is_eu(c) for c in values.index]]
    assert len(eu) < len(values), "the test needs non-EU regions in the data to be meaningful"
    assert figure.n_country == len(country)
    assert figure.n_eu == len(eu)
    assert figure.rank_country == int((country < country[regional_nuts2]).sum()) + 1
    assert figure.rank_eu == int((eu < eu[regional_nuts2]).sum()) + 1
    assert figure.value == pytest.approx(float(values[regional_nuts2]))
    # the latest year with a value for the region
    own = obs.indicator_frame("unemployment_rate")
    assert figure.year == own.loc[(own["region"] == regional_nuts2) & own["value"].notna(), "year"].max()
    assert figure.trend["year"].is_monotonic_increasing and len(figure.trend) > 1


def test_higher_is_better_ranks_the_other_way(obs, regional_nuts2):
    figure = profile.key_figure(obs, "employment_rate", regional_nuts2)
    values, rank = _independent_rank(obs, "employment_rate", regional_nuts2, figure.year, True)
    eu = values[[is_eu(c) for c in values.index]]
    assert figure.rank_eu == int((eu > eu[regional_nuts2]).sum()) + 1
    assert rank >= figure.rank_eu  # the all-Europe rank can only be worse or equal


def test_neutral_indicator_is_not_ranked(obs, regional_nuts2):
    figure = profile.key_figure(obs, "population", regional_nuts2)
    assert figure.value is not None
    assert figure.rank_country is None and figure.rank_eu is None


def test_nuts3_region_gets_its_parent_value_when_the_indicator_has_no_nuts3(obs):
    assert 3 not in obs.indicator_levels("unemployment_rate")
    code = next(c for c in obs.regions_at(3)["nuts_id"]
                if obs.latest_values("unemployment_rate", c[:4]) is not None)
    figure = profile.key_figure(obs, "unemployment_rate", code)
    assert figure.proxy and figure.region == code[:4] and figure.level == 2
    direct = profile.key_figure(obs, "unemployment_rate", code[:4])
    assert (figure.value, figure.rank_eu) == (direct.value, direct.rank_eu)


def test_key_figures_follow_the_headline_list(obs, regional_nuts2):
    figures = profile.key_figures(obs, regional_nuts2)
    assert [f.indicator for f in figures] == profile.headline_indicators(obs)
    assert len(figures) >= 6
    assert all(f.attribution for f in figures)


def test_eu27_is_the_member_states():
    assert len(EU27) == 27 and "EL" in EU27 and "GR" not in EU27
    assert not {"UK", "CH", "NO", "IS", "LI", "TR", "ME", "MK", "AL", "RS"} & EU27


# -- locator --------------------------------------------------------------------------------------------
def test_locator_regions_keep_the_mainland_frame(obs):
    regions = profile.locator_regions(obs, "FR1")
    assert "FR1" in regions and "FRY" not in regions
    assert all(len(c) == 3 and c.startswith("FR") for c in regions)
    frame = profile.locator_frame(obs, regions)
    lon, lat = obs.regions.loc["FR1", ["lon", "lat"]]
    assert frame["lon_range"][0] < lon < frame["lon_range"][1]
    assert frame["lat_range"][0] < lat < frame["lat_range"][1]
    assert frame["lon_range"][1] - frame["lon_range"][0] < 25  # no Atlantic stretch


# -- figures ----------------------------------------------------------------------------------------------
def test_sparkline_has_title_source_and_data():
    trend = pd.DataFrame({"year": [2020, 2021, 2022], "value": [1.0, 2.0, 1.5]})
    fig = sparkline(trend, title=trend_title(trend), unit="%", source="Source: Eurostat (x)")
    assert fig.layout.title.text == "Trend 2020–2022"
    assert any("Eurostat" in a.text for a in fig.layout.annotations)
    assert list(fig.data[0].x) == [2020, 2021, 2022]
    empty = sparkline(trend.iloc[0:0], title="t", unit="", source="s")
    assert not empty.data and any(a.text == "no values" for a in empty.layout.annotations)


def test_co_membership_heatmap_escapes_record_text():
    matrix = pd.DataFrame([[2, 1], [1, 3]], index=["A", "B"], columns=["A", "B"])
    fig = co_membership_heatmap(matrix, {"A": "<b>Evil</b>", "B": "Good"}, title="t")
    payload = json.dumps(fig.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)
    assert "<b>Evil" not in payload and "&lt;b&gt;Evil" in payload


# -- safe cards -------------------------------------------------------------------------------------------
def test_links_only_for_http_urls():
    assert cards.is_http_url("https://example.org/a?b=1")
    assert not cards.is_http_url("javascript:alert(1)")
    assert not cards.is_http_url("ftp://example.org")
    assert not cards.is_http_url("")
    link = cards.external_link("x", "javascript:alert(1)")
    assert link.__class__.__name__ == "Span"
    assert cards.external_link("x", "http://example.org").href == "http://example.org"


def test_record_text_is_never_markup(obs, regional_nuts2):
    """Cards hold record text as plain strings (React escapes them); no raw-HTML components."""
    strategies = profile.covering_strategies(obs, regional_nuts2)
    priorities = profile.priorities_with_tags(obs, strategies["strategy_id"].tolist())
    row = strategies.iloc[0]
    hostile = row.copy()
    hostile["title"] = "<script>alert(1)</script>"
    hostile["document_url"] = "javascript:alert(1)"
    card = cards.strategy_card(hostile, priorities.iloc[0:0], lambda term: f"/?term={term}")
    payload = json.dumps(card.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)
    assert "dangerously" not in payload and "Markdown" not in payload
    assert '"href": "javascript' not in payload
    assert _has_text_child(json.loads(payload), "<script>alert(1)</script>")


def _has_text_child(node, text: str) -> bool:
    """True when ``text`` is a plain string child somewhere in a serialised component tree."""
    if isinstance(node, str):
        return node == text
    if isinstance(node, list):
        return any(_has_text_child(child, text) for child in node)
    if isinstance(node, dict):
        return _has_text_child(node.get("props", {}).get("children"), text)
    return False


def test_sources_say_what_kind_of_page_they_are():
    payload = json.dumps(cards.source_link("https://x.eu/a", kind="mirror").to_plotly_json(),
                         cls=plotly.utils.PlotlyJSONEncoder)
    assert "document mirror" in payload
    assert cards.source_kind_text("official", "2026-12-04") == "official site, read 2026-12-04"
    assert cards.source_kind_text("", None) == ""
    assert "no source link" in json.dumps(cards.source_link("", kind="eu").to_plotly_json(),
                                         cls=plotly.utils.PlotlyJSONEncoder)


def test_contact_block_links_only_plain_addresses():
    good = {"office": "S3 office", "organisation": "Region", "web_url": "https://r.eu/s3",
            "email": "s3@r.eu", "source_url": "https://r.eu/s3", "source_kind": "official",
            "last_checked": "2026-12-04"}
    hostile = dict(good, email="x@y.eu?bcc=z@evil.eu", web_url="javascript:alert(1)")
    payload = json.dumps(cards.contact_block([good, hostile]).to_plotly_json(),
                         cls=plotly.utils.PlotlyJSONEncoder)
    assert payload.count('"href": "mailto:') == 1 and '"href": "mailto:s3@r.eu"' in payload
    assert "javascript" not in payload
    assert "no contact point recorded" in json.dumps(cards.contact_block([]).to_plotly_json(),
                                                    cls=plotly.utils.PlotlyJSONEncoder)


def _json(component) -> str:
    return json.dumps(component.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)


def test_status_badge_says_current_or_superseded_in_words():
    assert '"current"' in _json(cards.status_badge({"status": "current"}))
    old = _json(cards.status_badge({"status": "superseded", "successor_text": "X 2021-2027: T"}))
    assert "superseded" in old and "by X 2021-2027: T" in old
    assert "successor not recorded" in _json(cards.status_badge({"status": "superseded"}))


def test_flags_and_values_are_explained():
    assert cards.flag_text("p") == "p: provisional"
    assert cards.flag_text("be") == "b: break in time series, e: estimated"
    assert cards.format_value(None) == "no value"
    assert cards.format_value(1234567.0, "EUR") == "1,234,567 EUR"
    assert cards.format_value(4.256, "%") == "4.26 %"


def test_chip_and_map_links_follow_the_map_url_contract(obs, regional_nuts2):
    """The links the profile and partnership pages build parse cleanly as map views."""
    from observatory.pages.partnerships import partnership_map_href
    from observatory.pages.region import term_map_href
    from observatory.state.map_view import MapView

    view, errors = MapView.from_query(term_map_href("nace:C20", obs.region(regional_nuts2))[1:], obs)
    assert errors == []
    assert (view.measure, view.term, view.level, view.region) == ("term", "nace:C20", 2, regional_nuts2)
    pid = obs.partnerships.index[0]
    view, errors = MapView.from_query(partnership_map_href(pid)[1:], obs)
    assert errors == [] and (view.measure, view.partnership) == ("partnership", pid)
