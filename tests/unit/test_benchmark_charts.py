"""Chart data of the benchmark page (reference lines, rankings, profiles, overlap) and its figures.

Reference-line rules are checked on small arithmetic examples first (which aggregate is used, and
when the mean of regions replaces it), then everything on the real data.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from observatory.analysis import benchmark_charts as C  # noqa: N812
from observatory.analysis.peers import PeerOptions, find_peers, structural_matrix_for
from observatory.figures import benchmark as F  # noqa: N812


def _frame(rows):
    return pd.DataFrame(rows, columns=["region", "year", "value", "level"])


def test_reference_table_prefers_aggregates_that_are_averages():
    frame = _frame([
        ("EU27_2020", 2020, 5.0, None), ("AT", 2020, 3.0, 0),
        ("AT11", 2020, 2.0, 2), ("AT12", 2020, 4.0, 2), ("DE11", 2020, 8.0, 2), ("CH01", 2020, 100.0, 2),
        ("AT11", 2021, 2.0, 2), ("AT12", 2021, 6.0, 2),
    ])
    table = C.reference_table(frame, "AT", "Österreich")
    got = {(r.key, r.year): (r.value, r.kind, r.label) for r in table.itertuples()}
    assert got[("eu", 2020)] == (5.0, "aggregate", "EU27 (Eurostat aggregate)")
    assert got[("country", 2020)] == (3.0, "aggregate", "Österreich (national value)")
    # 2021: no aggregates; unweighted means of the regions (CH is not in the EU)
    assert got[("eu", 2021)] == (4.0, "mean", "EU27: unweighted mean of 2 NUTS 2 regions")
    assert got[("country", 2021)] == (4.0, "mean", "Österreich: unweighted mean of 2 NUTS 2 regions")


def test_reference_table_replaces_totals_by_the_mean_of_regions():
    # a population-like indicator: the aggregates are sums, far above every region
    frame = _frame([("EU27_2020", 2020, 14.0, None), ("AT", 2020, 6.0, 0),
                    ("AT11", 2020, 2.0, 2), ("AT12", 2020, 4.0, 2), ("DE11", 2020, 8.0, 2)])
    table = C.reference_table(frame, "AT")
    eu = table[table["key"] == "eu"].iloc[0]
    assert eu["value"] == pytest.approx(14 / 3)
    assert eu["kind"] == "mean"
    assert "the aggregate is a total" in eu["label"]
    country = table[table["key"] == "country"].iloc[0]
    assert country["value"] == pytest.approx(3.0)
    assert country["kind"] == "mean"


def test_single_year_helpers_and_missing_references():
    frame = _frame([("AT11", 2020, 2.0, 2)])
    assert C.eu_reference(frame, 2020).value == 2.0
    missing = C.country_reference(frame, "DE", 2020, "Deutschland")
    assert not missing.present
    assert missing.label == "Deutschland: no data"


def test_real_references_use_eurostat_aggregates(obs):
    year = obs.latest_year("gdp_pc_pps_eu", 2)
    eu, country = C.references(obs, "gdp_pc_pps_eu", year, "AT")
    frame = obs.indicator_frame("gdp_pc_pps_eu")
    official = frame[(frame["region"] == "EU27_2020") & (frame["year"] == year)]["value"].iloc[0]
    assert eu.kind == "aggregate" and eu.value == official == pytest.approx(100)
    assert country.kind == "aggregate" and country.label.endswith("(national value)")
    # tertiary attainment has no EU27 row in the data: the mean of EU27 regions, said so
    year = obs.latest_year("tertiary_attainment", 2)
    eu, _ = C.references(obs, "tertiary_attainment", year, "AT")
    assert eu.kind == "mean" and eu.label.startswith("EU27: unweighted mean of")
    # population: the EU27 figure is a total, so the line is the mean of regions
    year = obs.latest_year("population", 2)
    eu, _ = C.references(obs, "population", year, "AT")
    assert eu.kind == "mean" and "total" in eu.label


def test_ranked_values_highest_first_missing_last(obs):
    year = obs.latest_year("hightech_manufacturing_share", 2)
    values = obs.indicator_values("hightech_manufacturing_share", year, 2)["value"]
    present = [c for c in ("AT22", "AT33", "AT32") if c in values.index]
    absent = [c for c in obs.regions_at(2)["nuts_id"] if c not in values.index][:1]
    frame = C.ranked_values(obs, "hightech_manufacturing_share", year, present[0], present[1:] + absent)
    assert list(frame["value"].dropna()) == sorted(values[present], reverse=True)
    assert math.isnan(frame["value"].iloc[-1]) and frame["region"].iloc[-1] == absent[0]
    assert (frame["role"] == "region").sum() == 1


def test_profile_keeps_missing_values_as_missing(obs):
    matrix = structural_matrix_for(obs)
    frame = C.profile_frame(matrix, ["AT11", "XX99"], obs.catalogue["label"].to_dict())
    assert len(frame) == 2 * len(matrix.indicators)
    assert frame[frame["region"] == "XX99"]["z"].isna().all()
    at11 = frame[frame["region"] == "AT11"].set_index("indicator")
    j = matrix.indicators.index("population")
    assert at11.loc["population", "z"] == pytest.approx(matrix.z[matrix.row["AT11"], j])
    refs = C.profile_references(obs, matrix, "AT")
    assert set(refs["key"]) == {"eu", "country"}
    assert refs["z"].abs().max() < 10  # totals never end up on the profile's z scale


def test_scatter_frame_roles_and_missing_peers(obs):
    year_x, year_y = C.scatter_years(obs, "tertiary_attainment", "gdp_pc_pps", None)
    assert year_x == year_y
    frame = C.scatter_frame(obs, "tertiary_attainment", "gdp_pc_pps", year_x=year_x, year_y=year_y,
                            target="AT11", peers=["AT21", "XX99"])
    assert frame.set_index("region").loc["AT11", "role"] == "region"
    assert frame.set_index("region").loc["AT21", "role"] == "peer"
    assert frame.attrs["missing"] == ["XX99"]
    assert frame[["x", "y"]].notna().all().all()


def test_overlap_matrix_by_hand():
    sets = {"T": frozenset({"a", "b"}), "P": frozenset({"b", "c"}), "Q": frozenset({"c", "d"})}
    m = C.overlap_matrix(sets, ["T", "P", "Q", "N"])
    # target terms a, b always kept; c is held by two regions; d by one non-target only: dropped
    assert list(m.columns) == ["b", "c", "a"]  # most widely shared first
    assert m.loc["P"].tolist() == [1.0, 1.0, 0.0]
    assert m.loc["N"].isna().all()  # no records: missing, not "prioritises nothing"


# --- figures ------------------------------------------------------------------------------------


def _source_line(figure) -> str:
    return next(a.text for a in figure.layout.annotations if a.name == "source")


@pytest.fixture(scope="module")
def peers_at11(obs):
    return find_peers(obs, "AT11", PeerOptions(methods=("structural", "country"), n=5))


def test_every_chart_has_title_source_and_highlight_metadata(obs, peers_at11):
    target, peers = "AT11", peers_at11.codes
    codes = [target, *peers]
    names = C.region_names(obs, codes)
    year = obs.latest_year("unemployment_rate", 2)
    bars = F.ranked_bars(C.ranked_values(obs, "unemployment_rate", year, target, peers),
                         C.references(obs, "unemployment_rate", year, "AT"), label="Unemployment rate",
                         unit="%", year=year, source=obs.source_lines("unemployment_rate"))
    profile = F.profile_dots(C.profile_frame(peers_at11.matrix, codes, obs.catalogue["label"].to_dict()),
                             C.profile_references(obs, peers_at11.matrix, "AT"), target=target, names=names,
                             units=obs.catalogue["unit"].to_dict(), source="Sources: test")
    series = F.time_series(C.series_frame(obs, "unemployment_rate", codes),
                           C.reference_series(obs, "unemployment_rate", "AT"), target=target,
                           label="Unemployment rate", unit="%", source=obs.source_lines("unemployment_rate"))
    scatter_frame = C.scatter_frame(obs, "tertiary_attainment", "gdp_pc_pps", year_x=2022, year_y=2022,
                                    target=target, peers=peers)
    scatter = F.scatter(scatter_frame, C.references(obs, "tertiary_attainment", 2022, "AT"),
                        C.references(obs, "gdp_pc_pps", 2022, "AT"), x_label="x", y_label="y", x_unit="%",
                        y_unit="PPS", x_year=2022, y_year=2022, source="Source: Eurostat")
    overlap = F.overlap_heatmap(C.overlap_matrix(peers_at11.term_sets, codes), names=names,
                                term_labels=obs.terms["label"].to_dict(), target=target, source="Source: S3")
    empty = F.empty_figure("Ranked values", "Pick a region.")
    for figure in (bars, profile, series, scatter, overlap, empty):
        assert figure.layout.title.text
        assert _source_line(figure).startswith("Source") or figure is empty
        # the builders skip plotly's validation for speed: every property must still be a valid one
        assert go.Figure(figure.to_dict()).to_plotly_json() == figure.to_plotly_json()
    assert bars.data[0].meta["hl"] == "points"
    assert {cd[0] for cd in bars.data[0].customdata} == set(codes)
    assert {t.meta["region"] for t in series.data if t.meta and t.meta.get("hl") == "trace"} <= set(codes)
    assert any(t.meta and t.meta.get("hl") == "points" for t in scatter.data)
    geo = F.peer_map("/geo/x/nuts2.geojson", ["AT11", "AT12", "DE11"], ["a", "b", "c"], target="AT11",
                     peers=["AT12"], source="Source: GISCO")
    assert geo.data[2].meta == {"hl": "outline", "default": "AT11"}
    assert list(geo.data[2].locations) == ["AT11"]


def test_bars_show_missing_values_as_no_data():
    frame = pd.DataFrame({"region": ["AT11", "AT12"], "name": ["Burgenland", "Niederösterreich"],
                          "value": [5.0, np.nan], "flag": ["", ""], "role": ["region", "peer"]})
    figure = F.ranked_bars(frame, [], label="x", unit="%", year=2020, source="Source: test")
    assert list(figure.data[0].x) == [5.0, None]
    text_traces = [t for t in figure.data if t.type == "scatter" and t.mode == "text"]
    assert text_traces and list(text_traces[0].text) == ["no data"]
    assert list(text_traces[0].y) == ["Niederösterreich (AT12)"]


def test_record_text_is_escaped_in_figures():
    frame = pd.DataFrame({"region": ["AT11"], "name": ["<b>x</b>"], "value": [1.0], "flag": [""],
                          "role": ["region"]})
    figure = F.ranked_bars(frame, [], label="<i>label</i>", unit="%", year=2020, source="Source: <script>")
    assert "<b>x</b>" not in figure.data[0].y[0]
    assert "&lt;i&gt;" in figure.layout.title.text
    assert "<script>" not in _source_line(figure)


def test_every_time_series_line_is_named_at_its_last_value():
    frame = pd.DataFrame({"region": ["AT11", "AT11", "ITH5", "ITH5", "ITH3"],
                          "year": [2019, 2020, 2019, 2020, 2019], "value": [1.0, 2.0, 3.0, float("nan"), 5.0],
                          "name": ["Burgenland", "Burgenland", "Emilia-Romagna", "Emilia-Romagna", "Veneto"],
                          "flag": [""] * 5}).dropna(subset=["value"])
    no_references = pd.DataFrame(columns=["key", "year", "value", "label", "kind"])
    figure = F.time_series(frame, no_references, target="AT11", label="Unemployment", unit="%", source="S")
    named = {trace.meta["region"]: list(trace.text) for trace in figure.data}
    assert named["AT11"] == ["", "Burgenland"]
    assert named["ITH5"] == ["Emilia-Romagna", ""]  # its last value is 2019
    assert named["ITH3"] == ["Veneto", ""]
    assert all("text" in trace.mode for trace in figure.data)


def test_cached_chart_data_equals_a_fresh_computation(obs):
    """What ``obs.derived`` keeps per build (references, values, points) is what a direct
    computation gives, for several countries, years and indicators."""
    for indicator, country in (("unemployment_rate", "AT"), ("gdp_pc_pps_eu", "ES"), ("population", "FR")):
        frame = obs.indicator_frame(indicator)
        direct = C.reference_table(frame, country, obs.country_name(country))
        pd.testing.assert_frame_equal(C.reference_series(obs, indicator, country), direct)
        for year in obs.indicator_years(indicator, 2)[-3:]:
            one_year = C.reference_table(frame[frame["year"] == year], country, obs.country_name(country))
            refs = C.references(obs, indicator, year, country)
            for ref in refs:
                rows = one_year[(one_year["key"] == ref.key)]
                assert rows.empty or ref.value == rows["value"].iloc[0]
            values = obs.indicator_values(indicator, year, 2)
            ranked = C.ranked_values(obs, indicator, year, f"{country}11" if country != "FR" else "FR10",
                                     [])
            code = ranked["region"].iloc[0]
            expected = values["value"].get(code, np.nan)
            assert ranked["value"].iloc[0] == expected or (math.isnan(expected) and
                                                            math.isnan(ranked["value"].iloc[0]))
    series = C.series_frame(obs, "unemployment_rate", ["AT11", "XX99", "AT12"])
    rows = obs.indicator_frame("unemployment_rate")
    expected = rows[rows["region"].isin(["AT11", "AT12"])].dropna(subset=["value"])
    assert len(series) == len(expected)
    assert list(dict.fromkeys(series["region"])) == ["AT11", "AT12"]
    assert series.groupby("region")["year"].apply(lambda y: y.is_monotonic_increasing).all()
    first = C.scatter_frame(obs, "tertiary_attainment", "gdp_pc_pps", year_x=2022, year_y=2022,
                            target="AT11", peers=["AT12"])
    second = C.scatter_frame(obs, "tertiary_attainment", "gdp_pc_pps", year_x=2022, year_y=2022,
                             target="ES70", peers=[])
    assert set(first.loc[first["role"] != "other", "region"]) == {"AT11", "AT12"}
    assert set(second.loc[second["role"] != "other", "region"]) <= {"ES70"}
    # the per-request "missing" list never sticks to the frame kept for the build
    unknown = C.scatter_frame(obs, "tertiary_attainment", "gdp_pc_pps", year_x=2022, year_y=2022,
                              target="XX99", peers=[])
    assert unknown.attrs["missing"] == ["XX99"]
    assert "XX99" not in first.attrs["missing"] and "XX99" not in second.attrs["missing"]
    assert "XX99" not in C.scatter_frame(obs, "tertiary_attainment", "gdp_pc_pps", year_x=2022, year_y=2022,
                                         target="AT11", peers=[]).attrs["missing"]
