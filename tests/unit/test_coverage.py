"""Coverage tables: counts add up to the records, gaps are labelled, sources carry licences."""

from __future__ import annotations

import pytest

from observatory.analysis import coverage
from observatory.geography import EU27


@pytest.fixture(scope="module")
def countries(obs):
    return coverage.country_coverage(obs)


def test_every_country_once_eu_first(obs, countries):
    assert countries["country"].is_unique
    assert set(countries["country"]) == set(obs.regions_at(0)["nuts_id"])
    assert set(countries.loc[countries["eu"], "country"]) == EU27
    assert not countries["eu"].iloc[: len(EU27)].eq(False).any()


def test_counts_add_up_to_the_records(obs, countries):
    assert countries["nuts2_regions"].sum() == len(obs.regions_at(2))
    assert countries["national_strategies"].sum() == (obs.strategies["level"] == "national").sum()
    assert countries["regional_strategies"].sum() == (obs.strategies["level"] == "regional").sum()
    assert countries["priorities"].sum() == len(obs.priorities)
    both = countries["strategies_with_priorities"] + countries["strategies_without_priorities"]
    assert both.sum() == len(obs.strategies)
    assert countries["partnership_rows"].sum() == len(obs.members)
    # each NUTS 2 region is in exactly one of: regional record / national only / no record
    parts = countries["nuts2_regional"] + countries["nuts2_national_only"] + countries["nuts2_no_record"]
    assert (parts == countries["nuts2_regions"]).all()


def test_one_country_by_hand(obs, countries):
    row = countries.set_index("country").loc["IT"]
    italian = obs.strategies[obs.strategies["country"] == "IT"]
    assert row["regional_strategies"] == (italian["level"] == "regional").sum()
    covered = {r for r in obs.regions_at(2)["nuts_id"] if r.startswith("IT")
               and any(r.startswith(t) or t.startswith(r) for t in italian.loc[italian["level"] == "regional",
                                                                               "territory_code"])}
    assert row["nuts2_regional"] == len(covered)


def test_gaps_are_labelled_not_zero(countries):
    no_record = countries[(countries["national_strategies"] == 0) & (countries["regional_strategies"] == 0)]
    assert not no_record.empty  # non-EU countries in the boundary files have no records
    assert (no_record["status"] == "no strategy record (gap)").all()
    assert coverage.strategy_status(1, 0) == "national strategy record only"
    assert coverage.strategy_status(1, 3) == "national and regional strategy records"


def test_totals(obs):
    totals = coverage.coverage_totals(obs)
    assert totals["strategies"] == totals["national_strategies"] + totals["regional_strategies"]
    assert totals["eu_nuts2_regions"] == len(obs.regions_at(2)[obs.regions_at(2)["country"].isin(EU27)])
    assert 0 < totals["eu_nuts2_with_regional_strategy"] < totals["eu_nuts2_regions"]
    assert totals["member_rows_unlocated"] == obs.members["nuts_code"].isna().sum()


def test_strategies_without_priorities_are_listed(obs):
    table = coverage.strategies_without_priorities(obs)
    assert len(table) == (~obs.strategies["strategy_id"].isin(obs.priorities["strategy_id"])).sum() > 0
    assert not table["strategy_id"].isin(obs.priorities["strategy_id"]).any()


def test_partial_lists_are_detected_from_the_notes():
    assert coverage.is_partial("so the priority list is PARTIAL")
    assert coverage.is_partial("the list may be incomplete")
    assert not coverage.is_partial("Hungary has only a national S3")


def test_indicator_coverage_tells_gaps_from_zeros(obs):
    table = coverage.indicator_coverage(obs)
    assert set(table["indicator"]) == set(obs.indicator_ids())
    assert (table["with_value"] + table["missing"] == table["eu_regions"]).all()
    assert (table["zero_values"] <= table["with_value"]).all()
    row = table[(table["indicator"] == "unemployment_rate") & (table["level"] == 2)].iloc[0]
    values = obs.indicator_values("unemployment_rate", int(row["year"]), 2)["value"].dropna()
    eu_values = values[[c[:2] in EU27 for c in values.index]]
    assert row["with_value"] == len(eu_values)
    assert row["zero_values"] == (eu_values == 0).sum()


def test_sources_have_licence_and_attribution(obs):
    table = coverage.sources_table(obs)
    assert len(table) == len(obs.manifest["sources"]) > 10
    assert (table["licence"].str.len() > 0).all() and (table["attribution"].str.len() > 0).all()
    assert {"s3_strategies", "s3_priorities"} <= set(table["id"])
