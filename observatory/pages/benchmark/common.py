"""The benchmark page's ids, constants and the alert it shows for links it cannot fully use."""

from __future__ import annotations

from observatory.components.alerts import url_messages
from observatory.components.graphs import graph_config
from observatory.components.ids import Ids
from observatory.state.benchmark_view import MAX_N

ids = Ids("bench")
PATH = "/benchmark"

CHARTS = ("bars", "profile", "series", "scatter", "overlap", "map")
GRAPH_CONFIG = graph_config("s3-observatory-benchmark")
MAP_CONFIG = graph_config("s3-observatory-benchmark", scrollZoom=True, topojsonURL="/assets/map-topojson/")
DIMENSION_COLOURS = {
    "geography_demography": "#E69F00", "economic_structure": "#0072B2", "human_capital": "#009E73",
    "technology_innovation": "#CC79A7", "institutions": "#56B4E9",
}
SCHEME_LABELS = {
    "nace": "NACE sectors (curated tags)",
    "fos": "Fields of science (keyword tags)",
    "policy": "Policy objectives (keyword tags)",
    "all": "All taxonomies",
}
S3_SOURCE = "Source: S3 strategy records compiled from public pages (one source URL per row); tags: own"
STRUCTURAL_SOURCE = ("Sources: Eurostat; EU Regional Competitiveness Index 2022; Nesta EURITO "
                     "(see About the data)")
N_CHOICES = (3, 5, 10, 15, 20, 30, 40, MAX_N)


def messages(errors: list[str]) -> list:
    return url_messages(errors, "bench-url-errors")
