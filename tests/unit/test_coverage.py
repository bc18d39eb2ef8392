"""Coverage tables: counts add up to the records, gaps are labelled, sources carry licences."""

from __future__ import annotations

import pandas as pd
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
    assert not any(table["id"].str.startswith("s3_"))  # the records live in the repository


# -- the curated records: expected vs recorded, source kinds --------------------------------------
def _frame(columns: str, *rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=columns.split())


STRATEGIES = _frame(
    "strategy_id territory_code level status source_kind",
    ("it", "IT", "national", "current", "official"),
    ("ith5", "ITH5", "regional", "current", "eu"),
    ("ith5-old", "ITH5", "regional", "superseded", "mirror"),
    ("itc4", "ITC4", "regional", "superseded", "official"),
    ("fri", "FRI", "regional", "current", "secondary"),
)
EXPECTED = _frame(
    "country territory_code level",
    ("IT", "IT", "national"), ("IT", "ITH5", "regional"), ("IT", "ITC4", "regional"),
    ("FR", "FR", "national"), ("FR", "FRI1", "regional"),
)
PRIORITIES = _frame("priority_id strategy_id", ("p1", "ith5"), ("p2", "ith5-old"), ("p3", "it"))
CONTACTS = _frame("strategy_id", ("ith5",))
PARTNERSHIPS = _frame(
    "partnership_id programme status",
    ("a", "S3 Thematic Platform: Energy", "active"),
    ("b", "Vanguard Initiative (pilot) / S3 Thematic Platform: Industrial Modernisation", "unknown"),
    ("c", "URBACT III", "closed"),
    ("d", "S3 Thematic Platform: Agri-Food", "unknown"),
)
MEMBERS = _frame(
    "partnership_id nuts_code role as_of",
    ("a", "ITH5", "lead", "2024-05"), ("a", "ITC4", "member", "2024-05"), ("b", None, "co-lead", ""),
    ("c", "FRI1", "member", None),
)


def test_records_coverage_counts_expected_vs_recorded():
    table = coverage.records_coverage(STRATEGIES, PRIORITIES, CONTACTS, EXPECTED, MEMBERS)
    table = table.set_index("country")
    it, fr = table.loc["IT"], table.loc["FR"]
    assert (it["national_expected"], it["national_recorded"]) == (True, True)
    assert (fr["national_expected"], fr["national_recorded"]) == (True, False)
    # ITC4's only strategy is superseded: expected, not recorded; FRI covers FRI1 (nested codes)
    assert (it["regional_expected"], it["regional_recorded"], it["regional_missing"]) == (2, 1, "ITC4")
    assert (fr["regional_expected"], fr["regional_recorded"]) == (1, 1)
    assert (it["current_strategies"], it["current_with_priorities"], it["current_with_contact"]) == (2, 2, 1)
    assert (fr["current_with_priorities"], fr["partnerships_with_members"]) == (0, 1)
    assert it["partnerships_with_members"] == 1  # one partnership, two Italian members


def test_records_totals_and_source_kind_shares():
    totals = coverage.records_totals(STRATEGIES, PRIORITIES, CONTACTS, EXPECTED, PARTNERSHIPS, MEMBERS)
    assert totals["current_strategies"] == 3
    assert totals["share_current_with_priorities"] == pytest.approx(2 / 3)
    assert totals["share_current_with_contact"] == pytest.approx(1 / 3)
    assert (totals["regional_recorded"], totals["regional_expected"]) == (2, 3)
    assert (totals["partnerships"], totals["partnerships_with_members"]) == (4, 3)
    assert totals["s3_thematic_partnerships"] == 3  # a, b (a Vanguard pilot adopted by a platform), d
    shares = coverage.source_kind_shares({"strategies": STRATEGIES}).set_index("source_kind")
    assert shares["rows"].to_dict() == {"official": 2, "eu": 1, "secondary": 1, "mirror": 1}
    assert shares["share"].sum() == pytest.approx(1.0)


def test_partnership_coverage_per_programme_family():
    table = coverage.partnership_coverage(PARTNERSHIPS, MEMBERS).set_index("family")
    s3 = table.loc["S3 thematic platforms"]
    assert (s3["partnerships"], s3["with_members"], s3["with_lead"]) == (3, 2, 2)
    assert (s3["with_dated_list"], s3["status_known"], s3["member_rows"]) == (1, 1, 3)
    urbact = table.loc["URBACT networks"]
    assert (urbact["with_lead"], urbact["with_dated_list"], urbact["status_known"]) == (0, 0, 1)
    assert table.index[0] == "S3 thematic platforms" and table.index[-1] == "All"
    assert table.loc["All", "partnerships"] == len(PARTNERSHIPS)
    assert table.loc["All", "member_rows"] == len(MEMBERS)


def test_records_coverage_on_the_real_build(obs):
    """On the real curated records: figures agree with a direct count of the built tables."""
    table = coverage.observatory_records_coverage(obs)
    current = obs.strategies[obs.strategies["status"] == "current"]
    assert table["current_strategies"].sum() == len(current)
    expected = obs.expected_territories
    assert table["regional_expected"].sum() == (expected["level"] == "regional").sum()
    national = current.loc[current["level"] == "national", "country"].nunique()
    assert table["national_recorded"].sum() == national
    assert (table["regional_recorded"] <= table["regional_expected"]).all()
    kinds = coverage.observatory_source_kinds(obs)
    assert kinds.groupby("file")["rows"].sum()["strategies"] == len(obs.strategies)
    totals = coverage.observatory_records_totals(obs)
    assert totals["regional_recorded"] >= 150
