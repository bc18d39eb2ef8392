"""The read-only API: every resource as JSON and CSV, real values, clear errors."""

from __future__ import annotations

import csv
import io

import pytest


def test_regions_json_and_csv_agree(client, obs):
    data = client.get("/api/regions.json?level=2").get_json()
    assert len(data["rows"]) == len(obs.regions_at(2))
    assert data["build"] == obs.path.name
    rows = list(csv.DictReader(io.StringIO(client.get("/api/regions.csv?level=2").get_data(as_text=True))))
    assert [r["nuts_id"] for r in rows] == [r["nuts_id"] for r in data["rows"]]


def test_region_profile(client):
    data = client.get("/api/regions/ith5.json").get_json()
    assert data["region"]["code"] == "ITH5"
    assert data["region"]["ancestors"] == ["IT", "ITH"]
    assert "ith5-s3-2021" in [s["strategy_id"] for s in data["strategies"]]
    assert any(p["strategy_id"] == "ith5-s3-2021" for p in data["priorities"])
    assert any(f["indicator"] == "population" and f["value"] for f in data["key_figures"])


def test_indicator_values_match_the_model(client, obs):
    year = obs.latest_year("unemployment_rate", 2)
    data = client.get(f"/api/indicators/unemployment_rate.json?year={year}&level=2").get_json()
    model = obs.indicator_values("unemployment_rate", year, 2)
    assert len(data["rows"]) == len(model)
    first = data["rows"][0]
    assert first["value"] == pytest.approx(model.loc[first["region"], "value"])
    assert data["attribution"].startswith("Source: Eurostat")


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/regions/XX99.json", 404),
        ("/api/indicators/nope.json", 404),
        ("/api/indicators/population.json?year=abc", 400),
        ("/api/regions.json?level=9", 400),
        ("/api/regions.xml", 404),
    ],
)
def test_bad_requests_say_what_is_wrong(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.get_json()["error"]


def test_priorities_csv_carries_tags_and_sources(client, obs):
    rows = list(csv.DictReader(io.StringIO(client.get("/api/priorities.csv").get_data(as_text=True))))
    assert len(rows) == len(obs.priorities)
    assert all(r["source_url"].startswith("http") for r in rows)
    assert any("nace:C20" in r["terms"].split(";") for r in rows)
