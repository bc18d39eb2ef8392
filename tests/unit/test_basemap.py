"""The opt-in basemap built from the real GISCO countries file: the countries around the NUTS area,
none the NUTS layers already draw, valid, compact and clockwise for plotly; parser error paths."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from observatory.config import SHARED_DATA_DIR
from observatory.ingest.boundaries import (
    BASEMAP_SOURCE,
    basemap_extent,
    build_basemap_layer,
    read_countries,
    read_nuts_regions,
)
from observatory.ingest.errors import BuildLog, InputError
from observatory.sources.catalogue import gisco_regions, source

BUDGET = 150_000


def resolve(source_id: str):
    return SHARED_DATA_DIR / source(source_id).path


@pytest.fixture(scope="module")
def nuts0():
    """The countries as the NUTS 0 web layer draws them (made from the 1:3M file, like here)."""
    return read_nuts_regions(resolve(gisco_regions("03M", 0).id))


@pytest.fixture(scope="module")
def layer(nuts0) -> bytes:
    return build_basemap_layer(resolve, nuts0, BuildLog())


@pytest.fixture(scope="module")
def features(layer) -> dict[str, shapely.Geometry]:
    return {f["id"]: shapely.geometry.shape(f["geometry"]) for f in json.loads(layer)["features"]}


def test_neighbours_are_drawn_and_nuts_countries_are_not(features, nuts0):
    for neighbour in ("UA", "BY", "RU", "MD", "BA", "MA", "DZ", "TN", "LY", "EG", "SY", "GE"):
        assert neighbour in features, neighbour
    assert not set(features) & set(nuts0["nuts_id"])  # EU, EFTA, candidates: drawn by the NUTS layers
    assert "SJ" not in features  # Svalbard is part of NO0B
    assert "SM" in features  # a hole in Italy's NUTS regions, filled by the basemap


def test_countries_far_from_every_view_are_left_out(features):
    assert not {"US", "CN", "AU", "JP", "AR"} & set(features)
    extent = basemap_extent().buffer(0.01)  # + rounding to the 0.01° grid
    assert all(extent.covers(geometry) for geometry in features.values())


def test_basemap_hardly_overlaps_the_nuts_regions(features, nuts0):
    covered = shapely.union_all(nuts0.geometry.values)
    land = shapely.union_all(list(features.values()))
    assert shapely.area(shapely.intersection(land, covered)) < 0.01 * shapely.area(covered)


def test_layer_is_valid_compact_and_clockwise(layer, features):
    assert len(layer) < BUDGET
    assert json.dumps(json.loads(layer), separators=(",", ":"), ensure_ascii=False).encode() == layer
    geometries = np.array(list(features.values()))
    assert shapely.is_valid(geometries).all()
    parts = shapely.get_parts(geometries)
    assert not shapely.is_ccw(shapely.get_exterior_ring(parts)).any()
    coordinates = shapely.get_coordinates(parts)
    assert np.allclose(coordinates, np.round(coordinates, 2))


def test_features_carry_the_english_name(layer):
    names = {f["id"]: f["properties"]["name"] for f in json.loads(layer)["features"]}
    assert names["UA"] == "Ukraine"
    assert names["MA"] == "Morocco"


def test_country_file_errors_name_file_row_and_column(tmp_path):
    square = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}

    def write(name, features):
        path = tmp_path / name
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
        return path

    good = {"type": "Feature", "properties": {"CNTR_ID": "XX", "NAME_ENGL": "Somewhere"}, "geometry": square}
    assert read_countries(write("ok.geojson", [good]))["nuts_id"].tolist() == ["XX"]
    no_id = {**good, "properties": {"NAME_ENGL": "Nowhere"}}
    with pytest.raises(InputError, match=r"noid\.geojson") as info:
        read_countries(write("noid.geojson", [good, no_id]))
    assert (info.value.row, info.value.column) == (2, "CNTR_ID")
    with pytest.raises(InputError, match="appears twice"):
        read_countries(write("dup.geojson", [good, good]))
    line = {**good, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}
    with pytest.raises(InputError, match="LineString"):
        read_countries(write("line.geojson", [line]))


def test_basemap_source_is_catalogued():
    assert source(BASEMAP_SOURCE).path.startswith("gisco/countries/")
