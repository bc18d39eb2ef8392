"""Documentation checked against the code: URL parameter tables and their README copies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from observatory.state.benchmark_view import BenchmarkView
from observatory.state.repository_view import RepositoryView

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ["docs/url-parameters.md", "docs/url-parameters-benchmark.md", "docs/url-parameters-strategies.md"]


def _documented(doc: str) -> set[str]:
    text = (ROOT / doc).read_text(encoding="utf-8")
    names: set[str] = set()
    for cell in re.findall(r"^\|\s*(`[^|]+)\|", text, flags=re.MULTILINE):
        names.update(re.findall(r"`([a-z_]+)`", cell))
    return names


@pytest.mark.parametrize("doc", DOCS)
def test_readme_includes_each_parameter_doc_verbatim(doc):
    begin, end = f"<!-- include {doc} -->", f"<!-- end include {doc} -->"
    assert begin in README, f"README lacks the {doc} section"
    section = README.split(begin)[1].split(end)[0].strip()
    assert section == (ROOT / doc).read_text(encoding="utf-8").strip()


def test_benchmark_parameters_documented_are_the_ones_written_and_read(obs):
    documented = _documented("docs/url-parameters-benchmark.md")
    region = obs.regions_at(2)["nuts_id"].iloc[0]
    other = obs.regions_at(2)["nuts_id"].iloc[1]
    third = obs.regions_at(2)["nuts_id"].iloc[2]
    indicator = "unemployment_rate"
    year = obs.latest_year(indicator, 2)
    state = BenchmarkView(region=region, methods=("structural", "priorities"), n=5, exclude_same_country=True,
                          scheme="all", include_national=True, added=(other,), removed=(third,),
                          indicator=indicator, year=year, x=indicator, y="tertiary_attainment",
                          scatter_year=year)
    query = state.to_query()
    written = {pair.split("=")[0] for pair in query.lstrip("?").split("&")}
    assert written == documented
    parsed, errors = BenchmarkView.from_query(query, obs)
    assert errors == []
    assert parsed.to_query() == query


def test_strategies_parameters_documented_are_the_ones_written_and_read():
    documented = _documented("docs/url-parameters-strategies.md")
    state = RepositoryView(view="priorities", countries=("IT", "ES"), level="regional", period="2021-2027",
                           term="nace:C20", q="hydrogen", status="current")
    query = state.to_query()
    written = {pair.split("=")[0] for pair in query.lstrip("?").split("&")}
    assert written == documented
    parsed, errors = RepositoryView.from_query(query)
    assert errors == []
    assert parsed == state
