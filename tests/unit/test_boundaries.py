"""Web boundaries built from the real GISCO files: every region kept, valid, borders still shared,
within the byte budgets, clockwise for plotly, outermost regions reachable; parser error paths."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import numpy as np
import pytest
import shapely

from observatory.config import SHARED_DATA_DIR
from observatory.geography import DEFAULT_VIEW, OUTERMOST_VIEWS
from observatory.ingest.boundaries import (
    BUDGET_BYTES,
    LAYER_SPECS,
    build_web_layers,
    drop_small_islands,
    label_points,
    part_tolerances,
    read_nuts_regions,
    simplify_coverage,
    snap_coverage,
    to_web_geojson,
    view_for_region,
)
from observatory.ingest.errors import BuildLog, InputError
from observatory.sources.catalogue import gisco_regions, source

DATA_DIR = SHARED_DATA_DIR  # the real upstream files (/work/shared/data in development)
EXPECTED_COUNTS = {0: 37, 1: 125, 2: 334, 3: 1514}
OUTERMOST_NUTS2 = {
    "ES70": "canarias", "PT20": "azores", "PT30": "madeira", "FRY1": "guadeloupe",
    "FRY2": "martinique", "FRY3": "guyane", "FRY4": "reunion", "FRY5": "mayotte",
}
LEVELS = sorted(EXPECTED_COUNTS)


def resolve(source_id: str) -> Path:
    return DATA_DIR / source(source_id).path


def _parse(geojson: bytes) -> tuple[list[dict], dict[str, shapely.Geometry]]:
    features = json.loads(geojson)["features"]
    return features, {f["id"]: shapely.geometry.shape(f["geometry"]) for f in features}


@pytest.fixture(scope="module")
def build():
    """Every level built once with the production parameters (what web_layers returns); the log."""
    log = BuildLog()
    return build_web_layers(resolve, log), log


@pytest.fixture(scope="module")
def stages(inputs):
    """The build's steps one by one: level -> (islets dropped, snapped, simplified)."""
    out = {}
    for level in LEVELS:
        spec = LAYER_SPECS[level]
        dropped, _ = drop_small_islands(inputs[level], spec.min_island_km2)
        snapped = snap_coverage(dropped, spec.precision)
        simplified = simplify_coverage(snapped, spec.tolerance, area_factor=spec.area_factor)
        out[level] = (dropped, snapped, simplified)
    return out


@pytest.fixture(scope="module")
def output(build):
    """level -> (features as parsed JSON, nuts_id -> geometry) read back from the output bytes."""
    layers, _ = build
    return {level: _parse(layer.geojson) for level, layer in layers.items()}


@pytest.fixture(scope="module")
def inputs():
    """level -> the full-detail 1:3M regions the layers are made from."""
    return {level: read_nuts_regions(resolve(gisco_regions("03M", level).id)) for level in LEVELS}


# --- every region kept, valid --------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_every_region_is_kept(level, inputs, output):
    features, geometries = output[level]
    assert len(features) == EXPECTED_COUNTS[level]
    assert set(geometries) == set(inputs[level]["nuts_id"])
    sixty = read_nuts_regions(resolve(gisco_regions("60M", level).id))
    assert set(geometries) == set(sixty["nuts_id"])


@pytest.mark.parametrize("level", LEVELS)
def test_snapped_level_is_a_valid_coverage_on_the_grid(level, stages):
    dropped, snapped, _ = stages[level]
    geometries = np.asarray(snapped.geometry.values)
    assert len(geometries) == EXPECTED_COUNTS[level]
    assert shapely.is_valid(geometries).all()
    assert shapely.coverage_is_valid(geometries)
    coordinates = shapely.get_coordinates(geometries)
    assert np.array_equal(coordinates, np.round(coordinates, LAYER_SPECS[level].precision))
    # snapping moves borders by at most half a grid cell: even Melilla (12 km²) changes < 5%
    before = np.asarray(dropped.geometry.values)
    changed = shapely.area(shapely.symmetric_difference(geometries, before)) / shapely.area(before)
    assert changed.max() < 0.05


@pytest.mark.parametrize("level", LEVELS)
def test_simplified_geometries_are_valid_and_not_empty(level, inputs, stages):
    spec = LAYER_SPECS[level]
    _, _, simplified = stages[level]
    geometries = np.asarray(simplified.geometry.values)
    assert len(geometries) == EXPECTED_COUNTS[level]
    assert shapely.is_valid(geometries).all()
    assert not shapely.is_empty(geometries).any()
    assert set(shapely.get_type_id(geometries)) <= {3, 6}  # Polygon, MultiPolygon
    # it did simplify: far fewer vertices than the input
    before = shapely.get_num_coordinates(np.asarray(inputs[level].geometry.values)).sum()
    assert shapely.get_num_coordinates(geometries).sum() < before / 3
    # simplification only removes vertices, so the output is still on the grid and a coverage
    coordinates = shapely.get_coordinates(geometries)
    assert np.array_equal(coordinates, np.round(coordinates, spec.precision))
    assert shapely.coverage_is_valid(geometries)


@pytest.mark.parametrize("level", LEVELS)
def test_output_is_valid_after_rounding(level, output):
    _, geometries = output[level]
    values = np.array(list(geometries.values()))
    invalid = [k for k, g in geometries.items() if not g.is_valid]
    assert invalid == []
    assert not shapely.is_empty(values).any()
    assert set(shapely.get_type_id(values)) <= {3, 6}


@pytest.mark.parametrize("level", LEVELS)
def test_output_is_a_valid_coverage(level, output):
    """No overlaps and every shared edge has identical vertices on both sides, after rounding."""
    _, geometries = output[level]
    values = np.array(list(geometries.values()))
    if not shapely.coverage_is_valid(values):
        bad = [k for k, e in zip(geometries, shapely.coverage_invalid_edges(values), strict=True)
               if not e.is_empty]
        pytest.fail(f"borders no longer match in {bad[:20]}")


def test_input_needed_cleaning_at_nuts3_and_it_was_reported(build):
    """GISCO's NUTS 3 files overlap slightly in BE/EE/UK; the snapping step must say so."""
    raw = np.asarray(read_nuts_regions(resolve(gisco_regions("03M", 3).id)).geometry.values)
    assert not shapely.coverage_is_valid(raw)
    _, log = build
    cleaned = [e for e in log if "overlapping" in e["message"]]
    assert len(cleaned) == 1
    assert cleaned[0]["source"] == gisco_regions("03M", 3).id
    assert "BE329" in cleaned[0]["examples"]


# --- shared borders stay shared ------------------------------------------------------------------


def _neighbour_pairs(regions, prefixes: tuple[str, ...]) -> list[tuple[str, str, float]]:
    """Pairs of input regions (both starting with one of ``prefixes``) sharing a border line."""
    subset = regions[regions["nuts_id"].str.startswith(prefixes)].reset_index(drop=True)
    geometries = np.asarray(subset.geometry.values)
    left, right = shapely.STRtree(geometries).query(geometries, predicate="intersects")
    pairs = []
    for i, j in zip(left, right, strict=True):
        if i < j:
            shared = shapely.intersection(geometries[i].boundary, geometries[j].boundary).length
            if shared > 0:
                pairs.append((subset["nuts_id"].iloc[i], subset["nuts_id"].iloc[j], shared))
    return pairs


@pytest.mark.parametrize(("level", "prefixes", "min_pairs"), [
    (2, ("DE", "FR", "IT"), 60),  # all NUTS 2 neighbour pairs within and between DE, FR, IT
    (3, ("BE",), 40),  # where GISCO's borders overlapped and were cleaned first
])
def test_neighbours_still_share_their_border(level, prefixes, min_pairs, inputs, output):
    pairs = _neighbour_pairs(inputs[level], prefixes)
    assert len(pairs) >= min_pairs
    _, geometries = output[level]
    for a, b, shared_before in pairs:
        ga, gb = geometries[a], geometries[b]
        assert shapely.intersection(ga, gb).area < 1e-9, f"{a} and {b} overlap"
        shared_after = shapely.intersection(ga.boundary, gb.boundary).length
        # simplification straightens a border (Toscana-Marche: 0.37° of zigzag -> 0.17° straight),
        # so it gets shorter, but it must stay a line of comparable length, not shrink to a point
        assert shared_after > 0.4 * shared_before, f"{a}/{b} border {shared_before:.3f} -> {shared_after:.3f}"


@pytest.mark.parametrize("level", [2, 3])
def test_every_shared_border_is_still_a_line(level, inputs, output):
    """All neighbour pairs of the level; only a border shorter than the output grid may vanish."""
    _, geometries = output[level]
    lost = [(a, b) for a, b, shared in _neighbour_pairs(inputs[level], ("",))
            if shared > 10.0 ** -LAYER_SPECS[level].precision
            and shapely.intersection(geometries[a].boundary, geometries[b].boundary).length == 0]
    assert lost == []


@pytest.mark.parametrize("level", [2, 3])
@pytest.mark.parametrize("country", ["DE", "FR", "IT", "BE", "ES", "EL", "NO", "PL", None])
def test_no_gaps_opened_between_regions(level, country, inputs, output):
    """No hole in the union of a country's simplified regions was land in the input.

    The union has holes of its own: San Marino and the Vatican inside IT, Kosovo or the Szczecin
    lagoon inside the whole level (``None``), and an estuary can pinch shut when its banks are
    simplified (the Forth at Kincardine). Those holes were outside every region before. A gap
    opened between neighbours would be a hole that was a region's land before.
    """
    _, geometries = output[level]
    ids = [k for k in geometries if country is None or k.startswith(country)]
    union_after = shapely.union_all([geometries[k] for k in ids])
    regions = inputs[level]
    union_before = shapely.union_all(regions[regions["nuts_id"].isin(ids)].geometry.values)
    holes = [shapely.Polygon(ring) for part in shapely.get_parts(union_after) for ring in part.interiors]
    gaps = [h for h in holes if shapely.intersection(h, union_before).area > 0.5 * h.area]
    assert gaps == []
    overlap = sum(geometries[k].area for k in ids) - union_after.area
    assert abs(overlap) < 1e-6


def _fidelity(inputs, output, level) -> tuple[float, np.ndarray, list[str]]:
    """Mean border shift (km) and per-region shape error (symmetric difference / area) vs 1:3M."""
    _, geometries = output[level]
    reference = inputs[level].set_index("nuts_id").geometry
    ids = list(reference.index)
    after = np.array([geometries[k] for k in ids])
    before = np.asarray(reference.loc[ids].values)
    moved = shapely.area(shapely.symmetric_difference(after, before))
    return moved.sum() / shapely.length(before).sum() * 111.32, moved / shapely.area(before), ids


@pytest.mark.parametrize("level", LEVELS)
def test_borders_move_little_on_average(level, inputs, output):
    shift_km, _, _ = _fidelity(inputs, output, level)
    assert shift_km < 1.3


@pytest.mark.parametrize("level", LEVELS)
def test_small_regions_keep_their_shape(level, inputs, output):
    """No region turns into a triangle: a single tolerance made Speyer (DEB38) 97% wrong."""
    _, shape_error, ids = _fidelity(inputs, output, level)
    assert np.quantile(shape_error, 0.95) < 0.15
    worst = {ids[i]: round(float(shape_error[i]), 2) for i in np.flatnonzero(shape_error > 0.3)}
    assert worst == {}
    for city in ("BE10", "ES63", "ES64", "LI00", "DE30", "AT13", "DEB3", "CH03"):
        for nuts_id in (i for i in ids if i.startswith(city) and len(i) == 2 + level):
            assert shape_error[ids.index(nuts_id)] < 0.15, nuts_id


def test_part_tolerances_shrink_with_the_part():
    regions = read_nuts_regions(resolve(gisco_regions("03M", 2).id)).set_index("nuts_id")
    parts = np.array([regions.geometry["BE10"], regions.geometry["FRJ2"]])  # Brussels, Midi-Pyrénées
    small, large = part_tolerances(parts, 0.1, 0.17)
    assert large == 0.1
    assert small <= 0.17 * np.sqrt(parts[0].area) and small > 0.17 * np.sqrt(parts[0].area) / 2
    assert np.log2(0.1 / small) == round(np.log2(0.1 / small))  # a tolerance / 2**k step
    assert (part_tolerances(parts, 0.1, None) == 0.1).all()


# --- size, orientation, format -------------------------------------------------------------------


@pytest.mark.parametrize("level", [2, 3])
def test_layers_fit_their_budget(level, build):
    layers, _ = build
    assert len(layers[level].geojson) <= BUDGET_BYTES[level]
    assert BUDGET_BYTES == {2: 300_000, 3: 800_000}


def test_levels_0_and_1_are_smaller_than_level_2(build):
    layers, _ = build
    assert len(layers[0].geojson) < len(layers[1].geojson) < len(layers[2].geojson)


def test_all_levels_build_well_under_a_minute(build):
    layers, _ = build
    # CPU time, not wall time: other test suites share the machine.
    assert sum(layer.cpu_seconds for layer in layers.values()) < 30


@pytest.mark.parametrize("level", LEVELS)
def test_exterior_rings_run_clockwise_and_holes_anticlockwise(level, output):
    _, geometries = output[level]
    parts = shapely.get_parts(np.array(list(geometries.values())))
    assert not shapely.is_ccw(shapely.get_exterior_ring(parts)).any()
    holes = [ring for part in parts for ring in part.interiors]
    assert holes  # enclaves exist (e.g. Berlin in Brandenburg at level 2), so this checks something
    assert all(ring.is_ccw for ring in holes)


def test_gisco_input_is_clockwise_as_the_readme_says(inputs):
    parts = shapely.get_parts(np.asarray(inputs[2].geometry.values))
    assert not shapely.is_ccw(shapely.get_exterior_ring(parts)).any()


@pytest.mark.parametrize("level", LEVELS)
def test_coordinates_are_rounded_and_json_is_compact(level, build):
    layers, _ = build
    data = layers[level].geojson
    precision = LAYER_SPECS[level].precision
    assert re.search(rb"\d\.\d{%d,}" % (precision + 1), data) is None
    assert data == json.dumps(json.loads(data), separators=(",", ":"), ensure_ascii=False).encode()
    assert re.search(rb"\[(-?[\d.]+,-?[\d.]+)\],\[\1\]", data) is None  # no repeated consecutive point


@pytest.mark.parametrize("level", LEVELS)
def test_features_carry_id_and_name_only(level, output, inputs):
    features, _ = output[level]
    names = dict(zip(inputs[level]["nuts_id"], inputs[level]["name_latn"], strict=True))
    assert [f["id"] for f in features] == sorted(f["id"] for f in features)
    for feature in features:
        assert feature["type"] == "Feature"
        assert feature["properties"] == {"name": names[feature["id"]]}
        assert feature["properties"]["name"] == " ".join(feature["properties"]["name"].split())


def test_stray_whitespace_in_gisco_names_is_normalised_and_reported(build, inputs):
    level2 = inputs[2].set_index("nuts_id")
    assert level2.loc["NO0B", "name_latn"] == "Jan Mayen and Svalbard"
    _, log = build
    renamed = [e for e in log if "whitespace" in e["message"]]
    assert any("NO0B" in e["examples"] for e in renamed)


def test_dropped_islets_are_small_reported_and_never_a_whole_region(build, inputs):
    level = 2
    spec = LAYER_SPECS[level]
    before = inputs[level]
    after, dropped = drop_small_islands(before, spec.min_island_km2)
    assert len(after) == len(before)
    assert sum(dropped.values()) > 1000  # the 1:3M file has thousands of islets
    areas_before = shapely.area(np.asarray(before.geometry.values))
    areas_after = shapely.area(np.asarray(after.geometry.values))
    assert (areas_after > 0).all()
    assert (areas_after <= areas_before).all()
    assert (areas_before - areas_after).sum() < 3e-3 * areas_before.sum()
    for nuts_id, geometry_before, geometry_after in zip(
        before["nuts_id"], before.geometry.values, after.geometry.values, strict=True
    ):
        parts = shapely.get_parts(geometry_before)
        largest = parts[int(np.argmax(shapely.area(parts)))]
        assert geometry_after.contains(largest), nuts_id
    layers, log = build
    assert layers[level].islands_dropped == sum(dropped.values())
    reported = [e for e in log if e["source"] == gisco_regions("03M", level).id and "islets" in e["message"]]
    assert reported and reported[0]["count"] == sum(dropped.values())


def test_layers_are_reproducible_from_the_steps(build, stages):
    """The build is the documented steps, and running them again gives the same bytes."""
    layers, _ = build
    assert sorted(layers) == LEVELS
    for level in LEVELS:
        _, _, simplified = stages[level]
        assert to_web_geojson(simplified, LAYER_SPECS[level].precision) == layers[level].geojson


# --- outermost regions and map views -------------------------------------------------------------


def _views_by_region(output, level) -> dict[str, str]:
    _, geometries = output[level]
    return {k: view_for_region(k, g.bounds) for k, g in geometries.items()}


def test_outermost_regions_are_in_the_data_with_their_own_view(output):
    views = _views_by_region(output, 2)
    for nuts_id, view in OUTERMOST_NUTS2.items():
        assert views[nuts_id] == view
        assert nuts_id in OUTERMOST_VIEWS[view]["regions"]


def test_only_remote_regions_leave_the_mainland_view(output):
    views = _views_by_region(output, 2)
    not_mainland = {k for k, v in views.items() if v != DEFAULT_VIEW}
    assert not_mainland == {*OUTERMOST_NUTS2, "NO0B"}  # NO0B = Jan Mayen and Svalbard, up to 81° N
    assert views["NO0B"] == "svalbard"
    for nuts_id in ("DE30", "FR10", "ITI4", "ES30", "PT17", "CY00", "ES63", "IS00", "TR10"):
        assert views[nuts_id] == DEFAULT_VIEW


def test_nuts3_regions_follow_their_nuts2_view(output):
    views3 = _views_by_region(output, 3)
    for nuts_id, view in views3.items():
        if nuts_id[:4] in OUTERMOST_NUTS2:
            assert view == OUTERMOST_NUTS2[nuts_id[:4]], nuts_id
    assert views3["ES709"] == "canarias"
    assert views3["NO0B2"] == "svalbard"
    assert views3["DE300"] == DEFAULT_VIEW


@pytest.mark.parametrize("level", LEVELS)
def test_every_region_is_reachable_from_its_view(level, output):
    """The chosen view's box overlaps the region's box, also for FR (level 0) and FRY (level 1)."""
    _, geometries = output[level]
    for nuts_id, geometry in geometries.items():
        view = OUTERMOST_VIEWS[view_for_region(nuts_id, geometry.bounds)]
        (west, east), (south, north) = view["lon_range"], view["lat_range"]
        minx, miny, maxx, maxy = geometry.bounds
        assert minx <= east and maxx >= west and miny <= north and maxy >= south, nuts_id


def test_countries_with_outermost_regions_open_on_the_mainland(output):
    views0 = _views_by_region(output, 0)
    assert views0["FR"] == views0["ES"] == views0["PT"] == views0["NO"] == DEFAULT_VIEW
    assert _views_by_region(output, 1)["FRY"] in {"guadeloupe", "martinique", "guyane", "reunion", "mayotte"}


def test_each_view_frames_its_regions_entirely(output):
    _, geometries = output[2]
    for name, view in OUTERMOST_VIEWS.items():
        (west, east), (south, north) = view["lon_range"], view["lat_range"]
        assert west < east and south < north
        for nuts_id in view["regions"]:
            minx, miny, maxx, maxy = geometries[nuts_id].bounds
            assert west <= minx and maxx <= east and south <= miny and maxy <= north, (name, nuts_id)
    assert {"label", "lon_range", "lat_range", "regions"} <= set(OUTERMOST_VIEWS[DEFAULT_VIEW])


# --- label points ---------------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_label_points_cover_every_region_and_lie_inside_it(level, inputs, output):
    labels = label_points(resolve(f"gisco_nuts_lb_2021_{level}"))
    assert list(labels.columns) == ["nuts_id", "lon", "lat"]
    assert set(labels["nuts_id"]) == set(inputs[level]["nuts_id"])
    regions = inputs[level].set_index("nuts_id").geometry
    points = shapely.points(labels["lon"].to_numpy(), labels["lat"].to_numpy())
    inside = shapely.covers(np.asarray(regions.loc[labels["nuts_id"]].values), points)
    assert inside.all()
    # and inside the simplified web polygons, so a label never floats over a neighbour
    _, geometries = output[level]
    simplified = np.array([geometries[k] for k in labels["nuts_id"]])
    assert shapely.covers(simplified, points).all()


# --- error paths (tiny hand-made files) -----------------------------------------------------------


def _feature(**overrides) -> dict:
    props = {"NUTS_ID": "XX11", "LEVL_CODE": 2, "CNTR_CODE": "XX", "NAME_LATN": "Test",
             "NUTS_NAME": "Test", "MOUNT_TYPE": 0, "URBN_TYPE": None, "COAST_TYPE": 0}
    props.update(overrides)
    props = {k: v for k, v in props.items() if v is not ...}
    ring = [[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]]
    return {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def _write(tmp_path: Path, name: str, features: list[dict]) -> Path:
    path = tmp_path / name
    text = json.dumps({"type": "FeatureCollection", "features": features})
    if name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_a_well_formed_tiny_file_reads(tmp_path):
    path = _write(tmp_path, "ok.geojson.gz", [_feature()])
    regions = read_nuts_regions(path)
    assert list(regions.columns) == ["nuts_id", "level", "country", "name_latn", "name_native",
                                     "mount_type", "urbn_type", "coast_type", "geometry"]
    assert regions.crs.to_epsg() == 4326
    assert regions["nuts_id"].tolist() == ["XX11"]


def test_truncated_gzip_names_the_file(tmp_path):
    path = _write(tmp_path, "cut.geojson.gz", [_feature()] * 20)
    path.write_bytes(path.read_bytes()[:-30])
    with pytest.raises(InputError, match=r"cut\.geojson\.gz") as info:
        read_nuts_regions(path)
    assert "gzip" in info.value.message


def test_invalid_json_names_the_file_and_line(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [\n {"type": }]}', encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.geojson") as info:
        read_nuts_regions(path)
    assert info.value.row == 3


def test_feature_without_nuts_id_names_file_row_and_column(tmp_path):
    path = _write(tmp_path, "noid.geojson", [_feature(), _feature(NUTS_ID=...)])
    with pytest.raises(InputError, match=r"noid\.geojson") as info:
        read_nuts_regions(path)
    assert (info.value.row, info.value.column) == (2, "NUTS_ID")


def test_feature_without_a_name_property_is_rejected(tmp_path):
    path = _write(tmp_path, "noname.geojson", [_feature(NAME_LATN=...)])
    with pytest.raises(InputError, match=r"noname\.geojson") as info:
        read_nuts_regions(path)
    assert (info.value.row, info.value.column) == (1, "NAME_LATN")


def test_duplicate_region_and_wrong_geometry_are_rejected(tmp_path):
    duplicated = _write(tmp_path, "dup.geojson", [_feature(), _feature()])
    with pytest.raises(InputError, match="appears twice") as info:
        read_nuts_regions(duplicated)
    assert info.value.row == 2
    point = _feature()
    point["geometry"] = {"type": "Point", "coordinates": [0.0, 0.0]}
    wrong = _write(tmp_path, "point.geojson", [point])
    with pytest.raises(InputError, match=r"point\.geojson.*Point"):
        read_nuts_regions(wrong)


def test_label_file_without_nuts_id_is_rejected(tmp_path):
    feature = {"type": "Feature", "properties": {"LEVL_CODE": 2},
               "geometry": {"type": "Point", "coordinates": [1.0, 2.0]}}
    path = _write(tmp_path, "labels.geojson", [feature])
    with pytest.raises(InputError, match=r"labels\.geojson") as info:
        label_points(path)
    assert info.value.column == "NUTS_ID"


def test_to_web_geojson_keeps_every_region_even_on_a_coarse_grid():
    """One decimal collapses small NUTS 3 regions; they must survive (largest part, unrounded)."""
    regions = read_nuts_regions(resolve(gisco_regions("60M", 3).id))  # overlaps in BE: cleaned first
    _, geometries = _parse(to_web_geojson(simplify_coverage(regions, 0.01), precision=1))
    values = np.array(list(geometries.values()))
    assert len(values) == EXPECTED_COUNTS[3]
    assert shapely.is_valid(values).all()
    assert not shapely.is_empty(values).any()
    assert not shapely.is_ccw(shapely.get_exterior_ring(shapely.get_parts(values))).any()
