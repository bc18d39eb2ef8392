"""The opt-in basemap built from the real GISCO countries file: the land around the NUTS area that
the NUTS layers do not draw, without gaps or overlaps against them, valid, compact and clockwise for
plotly; parser error paths."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import shapely

from observatory.config import SHARED_DATA_DIR
from observatory.ingest.boundaries import (
    BASEMAP_SOURCE,
    OUTERMOST_VIEWS,
    basemap_extent,
    build_basemap_layer,
    read_countries,
)
from observatory.ingest.errors import BuildLog, InputError
from observatory.sources.catalogue import source

BUDGET = 150_000
PRISTINA = shapely.Point(21.16, 42.66)  # Kosovo: inside GISCO's RS outline, outside the NUTS regions
SAN_MARINO = shapely.Point(12.45, 43.94)  # a hole in Italy's NUTS regions


def resolve(source_id: str):
    return SHARED_DATA_DIR / source(source_id).path


@pytest.fixture(scope="module")
def nuts0(obs) -> gpd.GeoDataFrame:
    """The NUTS 0 web layer as the map draws it: what the build subtracts the basemap from."""
    return gpd.read_file(obs.web_boundaries(0))


@pytest.fixture(scope="module")
def layer(nuts0) -> bytes:
    return build_basemap_layer(resolve, nuts0, BuildLog())


@pytest.fixture(scope="module")
def features(layer) -> dict[str, shapely.Geometry]:
    return {f["id"]: shapely.geometry.shape(f["geometry"]) for f in json.loads(layer)["features"]}


def test_the_build_ships_this_layer(obs, layer):
    assert obs.web_basemap().read_bytes() == layer


def test_neighbours_are_drawn_whole_and_nuts_countries_hardly_at_all(features, nuts0):
    for neighbour in ("UA", "BY", "RU", "MD", "BA", "MA", "DZ", "TN", "LY", "EG", "SY", "GE", "SM"):
        assert neighbour in features, neighbour
    countries = read_countries(resolve(BASEMAP_SOURCE)).set_index("country_id").geometry
    for code in set(nuts0["id"]) & set(features) - {"RS"}:  # coastal islets the NUTS layers drop
        assert features[code].area < 0.05 * countries[code].area, code


def test_land_the_nuts_regions_leave_out_is_drawn(features):
    land = shapely.union_all(list(features.values()))
    assert land.contains(PRISTINA)
    assert land.contains(SAN_MARINO)


def test_no_gap_and_no_overlap_against_the_nuts_regions(features, nuts0):
    covered = shapely.union_all(nuts0.geometry.values)
    land = shapely.union_all(list(features.values()))
    assert shapely.area(shapely.intersection(land, covered)) < 0.001 * shapely.area(covered)
    mainland = OUTERMOST_VIEWS["mainland"]
    (west, east), (south, north) = mainland["lon_range"], mainland["lat_range"]
    frame = shapely.box(west, south, east, north)
    world = shapely.intersection(shapely.union_all(read_countries(resolve(BASEMAP_SOURCE)).geometry.values),
                                 frame)
    gap = shapely.difference(world, shapely.union(land, covered))
    assert shapely.area(gap) < 0.01 * shapely.area(world)  # islets and coastal differences of scale


def test_countries_far_from_every_view_are_left_out(features):
    assert not {"US", "CN", "AU", "JP", "AR"} & set(features)
    extent = basemap_extent().buffer(0.01)  # + rounding to the 0.01° grid
    assert all(extent.covers(geometry) for geometry in features.values())


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
    assert read_countries(write("ok.geojson", [good]))["country_id"].tolist() == ["XX"]
    no_id = {**good, "properties": {"NAME_ENGL": "Nowhere"}}
    with pytest.raises(InputError, match=r"noid\.geojson") as info:
        read_countries(write("noid.geojson", [good, no_id]))
    assert (info.value.row, info.value.column) == (2, "CNTR_ID")
    with pytest.raises(InputError, match="appears twice") as info:
        read_countries(write("dup.geojson", [good, good]))
    assert info.value.row == 2
    line = {**good, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}
    with pytest.raises(InputError, match="LineString"):
        read_countries(write("line.geojson", [line]))


def test_basemap_source_is_catalogued():
    assert source(BASEMAP_SOURCE).path.startswith("gisco/countries/")
