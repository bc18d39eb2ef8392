"""Strategy repository tables and filters, partnership grouping, co-membership, URL state."""

from __future__ import annotations

from itertools import combinations

import pytest

from observatory.analysis import repository
from observatory.analysis.repository import RepositoryFilter
from observatory.state.repository_view import RepositoryView
from observatory.text import fold


@pytest.fixture(scope="module")
def obs(small_obs):
    """The logic here does not depend on what the real data says: the small synthetic build."""
    return small_obs


@pytest.fixture(scope="module")
def strategies(obs):
    return repository.strategy_table(obs)


@pytest.fixture(scope="module")
def priorities(obs):
    return repository.priority_table(obs)


# -- tables -----------------------------------------------------------------------------------------
def test_strategy_table_has_every_record_and_its_priority_count(obs, strategies):
    assert len(strategies) == len(obs.strategies)
    assert strategies["strategy_id"].is_unique
    assert strategies["priorities"].sum() == len(obs.priorities)
    italy = strategies[strategies["country"] == "IT"]
    assert (italy["country_name"] == obs.country_name("IT")).all()


def test_priority_table_has_every_priority_with_its_tags(obs, priorities):
    assert len(priorities) == len(obs.priorities)
    row = priorities.iloc[0]
    source = obs.priorities.iloc[0]
    assert row["priority_id"] == source["priority_id"]
    curated = {"nace:" + c.strip() for c in source["nace_sections"].split(";") if c.strip()}
    assert curated <= set(row["terms"].split(";"))
    keyword = obs.priority_tags[obs.priority_tags["method"] == "keyword"].iloc[0]
    labels = priorities.loc[priorities["priority_id"] == keyword["priority_id"], "term_labels"].item()
    assert "(auto)" in labels


# -- filters ----------------------------------------------------------------------------------------
def test_filters_by_country_level_and_period(obs, strategies):
    spec = RepositoryFilter(countries=("IT", "ES"), level="regional", period="2021-2027")
    rows = repository.filter_strategies(obs, strategies, spec)
    s = obs.strategies
    expected = s[s["country"].isin(["IT", "ES"]) & (s["level"] == "regional") & (s["period"] == "2021-2027")]
    assert set(rows["strategy_id"]) == set(expected["strategy_id"]) and len(rows) > 0
    assert len(repository.filter_strategies(obs, strategies, RepositoryFilter())) == len(strategies)


def test_term_filter_matches_tags_of_every_method(obs, priorities, strategies):
    rows = repository.filter_priorities(obs, priorities, RepositoryFilter(term="nace:C"))
    tagged = set(obs.priority_tags.loc[obs.priority_tags["term"] == "nace:C", "priority_id"])
    assert set(rows["priority_id"]) == tagged
    # the section is implied by division tags, so more priorities match C than are tagged C by hand
    tags = obs.priority_tags
    curated = tags[(tags["term"] == "nace:C") & (tags["method"] == "curated")]
    assert len(rows) > len(curated)
    with_term = repository.filter_strategies(obs, strategies, RepositoryFilter(term="nace:C"))
    assert set(with_term["strategy_id"]) == set(rows["strategy_id"])


def test_text_search_needs_every_word(obs, priorities):
    rows = repository.filter_priorities(obs, priorities, RepositoryFilter(text="hydrogen"))
    text = (obs.priorities["name"] + " " + obs.priorities["description"]).map(fold)
    assert set(rows["priority_id"]) == set(obs.priorities.loc[text.str.contains("hydrogen"), "priority_id"])
    assert len(rows) > 0
    both = repository.filter_priorities(obs, priorities, RepositoryFilter(text="HYDROGEN energy"))
    assert set(both["priority_id"]) <= set(rows["priority_id"])
    assert all("energy" in fold(n + " " + d) for n, d in zip(both["name"], both["description"], strict=True))


def test_text_search_finds_accented_names_typed_without_accents(obs, strategies):
    accented = strategies[strategies["territory_name"].map(lambda n: fold(n) != n.casefold())]
    assert not accented.empty
    row = accented.iloc[0]
    word = max(row["territory_name"].split(), key=lambda w: fold(w) != w.casefold())
    found = repository.filter_strategies(obs, strategies, RepositoryFilter(text=fold(word)))
    assert row["strategy_id"] in set(found["strategy_id"])


def test_strategy_text_search_includes_their_priorities(obs, strategies):
    rows = repository.filter_strategies(obs, strategies, RepositoryFilter(text="hydrogen"))
    named = obs.priorities["name"].map(fold).str.contains("hydrogen")
    via_priorities = obs.priorities.loc[named, "strategy_id"]
    assert set(via_priorities) <= set(rows["strategy_id"])


def test_filter_options_come_from_the_data(obs):
    countries = dict(repository.country_options(obs))
    assert set(countries) == set(obs.strategies["country"])
    assert repository.period_options(obs)[0] == obs.strategies["period"].value_counts().index[0]
    terms = repository.term_options(obs)
    assert set(terms["term"]) == set(obs.priority_tags["term"])
    assert (terms["priorities"] > 0).all()


# -- URL state --------------------------------------------------------------------------------------
def test_repository_view_round_trip_and_errors(obs):
    allowed = {"countries": set(obs.strategies["country"]), "periods": set(obs.strategies["period"]),
               "terms": set(obs.terms.index)}
    state, errors = RepositoryView.from_query("?view=priorities&country=it,ES&level=regional&period=2021-2027"
                                              "&term=nace:C20&q=hydrogen&status=current", **allowed)
    assert errors == []
    expected = RepositoryView("priorities", ("IT", "ES"), "regional", "2021-2027", "nace:C20", "hydrogen",
                              "current")
    assert state == expected
    assert RepositoryView.from_query(state.to_query(), **allowed)[0] == state
    bad, errors = RepositoryView.from_query("?view=x&country=ZZ&level=3&period=1999&term=nace:ZZ&status=old",
                                            **allowed)
    assert bad == RepositoryView() and len(errors) == 6
    assert RepositoryView().to_query() == ""


def test_status_filter_keeps_current_or_superseded_strategies_and_their_priorities(obs):
    strategies, priorities = repository.strategy_table(obs), repository.priority_table(obs)
    current = repository.filter_strategies(obs, strategies, RepositoryFilter(status="current"))
    old = repository.filter_strategies(obs, strategies, RepositoryFilter(status="superseded"))
    assert set(current["status"]) == {"current"} and set(old["status"]) == {"superseded"}
    assert len(current) + len(old) == len(strategies) and len(old) > 0
    kept = repository.filter_priorities(obs, priorities, RepositoryFilter(status="superseded"))
    assert set(kept["strategy_id"]) <= set(old["strategy_id"]) and len(kept) > 0


def test_controls_show_the_state_read_from_the_address(obs):
    """What the strategies browser puts in its controls when the address changes under it."""
    from observatory.pages.strategies import CONTROLS, control_values

    state = RepositoryView("priorities", ("IT", "ES"), "regional", "2021-2027", "nace:C20", "hydrogen",
                           "current")
    assert control_values(state) == {"view": "priorities", "country": ["IT", "ES"], "level": "regional",
                                     "status": "current", "period": "2021-2027", "term": "nace:C20",
                                     "q": "hydrogen"}
    empty = control_values(RepositoryView())
    assert tuple(empty) == CONTROLS
    assert empty == {"view": "strategies", "country": [], "level": None, "status": None, "period": None,
                     "term": None, "q": ""}


# -- partnerships -----------------------------------------------------------------------------------
def test_programme_families():
    assert repository.programme_family("S3 Thematic Platform: Energy") == "S3 thematic platforms"
    assert repository.programme_family("Vanguard Initiative (pilot)") == "Vanguard Initiative"
    assert repository.programme_family("INTERREG IVC") == "Interreg networks"
    assert repository.programme_family("URBACT III") == "URBACT networks"
    assert repository.programme_family("Something else") == repository.OTHER_FAMILY
    # a Vanguard pilot adopted by a platform, and a thematic partnership of an unnamed platform
    adopted = "Vanguard Initiative (pilot) / S3 Thematic Platform: Industrial Modernisation"
    assert repository.programme_family(adopted) == "S3 thematic platforms"
    assert repository.programme_family(
        "Thematic Smart Specialisation Partnership (platform not stated)") == "S3 thematic platforms"


def test_partnership_table_groups_and_counts(obs):
    table = repository.partnership_table(obs)
    assert len(table) == len(obs.partnerships)
    assert table["members"].sum() == len(obs.members)
    assert table["located"].sum() == obs.members["nuts_code"].notna().sum()
    families = table["family"].tolist()
    assert families == sorted(families, key=[f for _, f in repository.PROGRAMME_FAMILIES].index)
    pid = obs.members.loc[obs.members["role"] == "lead", "partnership_id"].iloc[0]
    members = obs.members
    lead = members[(members["partnership_id"] == pid) & (members["role"] == "lead")]["region_name"]
    assert lead.iloc[0] in table.set_index("partnership_id").loc[pid, "leads"]


def test_partnership_members_leads_first(obs):
    pid = obs.members.loc[obs.members["role"] == "lead", "partnership_id"].iloc[0]
    rows = repository.partnership_members(obs, pid)
    assert len(rows) == (obs.members["partnership_id"] == pid).sum()
    assert rows.iloc[0]["role"] == "lead"
    located = rows.dropna(subset=["nuts_code"])
    assert (located["nuts_level"] == located["nuts_code"].str.len() - 2).all()


def test_co_membership_counts_pairs_by_brute_force(real_obs):
    obs = real_obs  # what the real data holds is the point here
    pairs, members = repository.co_membership(obs)
    keys = {pid: {repository.member_key(c, n, k) for c, n, k in
                  zip(g["nuts_code"], g["region_name"], g["country"], strict=True)}
            for pid, g in obs.members.groupby("partnership_id")}
    brute: dict[tuple[str, str], int] = {}
    for group in keys.values():
        for a, b in combinations(sorted(group), 2):
            brute[(a, b)] = brute.get((a, b), 0) + 1
    assert len(pairs) == len(brute)
    top = pairs.iloc[0]
    assert top["shared"] == max(brute.values()) == brute[(top["member_a"], top["member_b"])]
    assert top["shared"] >= 2
    counts = members.set_index("key")["partnerships"]
    assert counts.max() == max(sum(key in group for group in keys.values()) for key in counts.index)

    matrix = repository.co_membership_matrix(pairs, members, top=10)
    assert matrix.shape == (10, 10)
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()
    assert [matrix.loc[k, k] for k in matrix.index] == counts.head(10).tolist()


def test_partnership_search_forgives_accents_case_hyphens_and_spaces(real_obs):
    obs = real_obs  # the real records spell "Bio-Economy" with a hyphen
    table = repository.partnership_table(obs)
    named = table[table["name"].str.contains("Bio-Economy|Bioeconomy", case=False, regex=True)]
    assert len(named)  # the records spell it with a hyphen or without
    for query in ("bioeconomy", "Bio-Economy", "bio economy", "BIOÉCONOMY"):
        found = repository.filter_partnerships(table, text=query)
        assert set(named["partnership_id"]) <= set(found["partnership_id"]), query
    family = table["family"].iloc[0]
    assert set(repository.filter_partnerships(table, family=family)["family"]) == {family}
    programme = table["programme"].iloc[-1]
    assert set(repository.filter_partnerships(table, programme=programme)["programme"]) == {programme}
    assert repository.filter_partnerships(table, text="zzzz-nothing").empty
    assert len(repository.filter_partnerships(table)) == len(table)
