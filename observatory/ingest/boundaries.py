"""Web boundaries: GISCO NUTS region files turned into small GeoJSON layers for the map.

The browser draws every region of a level at once, so each layer has a byte budget (NUTS 2 at most
300 KB, NUTS 3 at most 800 KB). Simplifying each region on its own would move the two copies of a
shared border differently and open slivers between neighbours; instead the whole level is
simplified as one *coverage* (``shapely.coverage_simplify``), which simplifies every shared edge
once, so neighbours keep exactly the same border. The level is snap-rounded onto the output grid
*before* simplifying, because simplification only removes vertices: the output needs no further
rounding, which could otherwise push a vertex across a neighbour's border. Small parts get a
smaller tolerance than large ones, so no small region or island collapses into a triangle.

Plotly's geo traces follow d3-geo, which reads polygons on the sphere: an exterior ring must run
clockwise (holes anticlockwise), otherwise the polygon is taken as "the whole globe minus this
region". GISCO files are clockwise already, but coverage simplification and validity repair do not
preserve orientation, so every layer is re-oriented just before it is written.

Outermost regions (Canarias, Açores, Madeira, the French overseas regions) stay in the layers; the
default view is mainland Europe and ``observatory.geography.OUTERMOST_VIEWS`` names one view per
remote territory so the map can switch to (or inset) it.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from observatory.geography import DEFAULT_VIEW, OUTERMOST_VIEWS
from observatory.ingest.errors import BuildLog, InputError
from observatory.sources.catalogue import gisco_regions, source

#: Properties every GISCO NUTS RG feature carries (typology values may be null).
REGION_PROPERTIES = (
    "NUTS_ID", "LEVL_CODE", "CNTR_CODE", "NAME_LATN", "NUTS_NAME", "MOUNT_TYPE", "URBN_TYPE", "COAST_TYPE",
)

#: Byte budgets the issue sets for the web layers (levels 0 and 1 only need to be "reasonably small").
BUDGET_BYTES = {2: 300_000, 3: 800_000}

#: An islet is only dropped while it is less than this share of its region's area.
ISLET_MAX_SHARE = 0.05

_KM_PER_DEGREE = 111.32  # length of one degree of latitude (and of longitude at the equator)


@dataclass(frozen=True)
class LayerSpec:
    """How one level's web layer is made: which GISCO scale, how much to simplify and round.

    ``tolerance`` is coverage_simplify's Visvalingam-Whyatt tolerance in degrees (roughly the square
    root of the largest triangle area removed), the most any part gets; ``area_factor`` lowers it
    for small parts to ``area_factor * sqrt(part area)``; ``min_island_km2`` drops stand-alone
    islets smaller than that (see :func:`drop_small_islands`); ``precision`` is the number of
    decimals kept (3 decimals = about 110 m north-south).
    """

    scale: str
    tolerance: float
    area_factor: float | None
    min_island_km2: float
    precision: int


# Chosen by measurement (shapely 2.2 / GEOS 3.14, GISCO NUTS 2021 files as catalogued). Two
# fidelity figures, both against the full 1:3M geometry: "shift" = symmetric-difference area over
# boundary length, the mean distance a border moved (km); "shape" = per region, symmetric-difference
# area over the region's area (95th percentile and worst).
# - One tolerance for a whole level (plain coverage_simplify) fits the budgets with the smallest
#   shift (NUTS 2: 285 KB, 0.93 km) but turns small regions into triangles: shape p95 23%, worst
#   57% at NUTS 2 (Mayotte, Ceuta, Liechtenstein, Brussels) and p95 31%, worst 97% at NUTS 3 (Speyer
#   lands on its neighbours). Hence ``area_factor``: no part is simplified beyond 0.17 * sqrt(its
#   area), which at equal bytes trades ~0.3 km of mean shift for shape p95 ~13%, worst 28%.
# - Source: 1:3M. The 1:10M file is generalised already (Ceuta, Basel-Stadt 50% off at source:
#   shape worst 52% whatever we do, p95 22% at NUTS 3); the 1:60M files fit unsimplified but shift
#   2.9 km with shape p95 40-69%.
# - Islets: 1:3M has ~3,200 rings per level, mostly islets each costing at least a triangle;
#   dropping those under 20 km² (and under 5% of their region) frees ~30% of the bytes.
# - Tolerance cap 0.1° for every level: with factor 0.17 it is the smallest cap that fits NUTS 2
#   (0.09 only fits when islets up to 30 km² go). At NUTS 3 the bytes sit in small parts, so the cap
#   hardly matters (0.1 -> 0.2 saves ~2%); one parameter set keeps the levels looking alike.
# - Precision: 3 decimals (~110 m). Two turn small NUTS 3 cities into 1 km staircases; four add
#   ~10% bytes for detail the simplification removed anyway.
# Measured output: bytes, vertices from -> to, islets dropped, CPU seconds, shift, shape p95/worst:
#   NUTS 0  149,591 B   55,891 ->  9,180   2,445 islets  1.2 s  1.08 km   8% / 13% (Malta)
#   NUTS 1  204,955 B   75,956 -> 12,049   2,445 islets  1.7 s  1.17 km  10% / 28% (Åland)
#   NUTS 2  293,591 B   98,476 -> 16,114   2,442 islets  1.9 s  1.21 km  13% / 28% (Åland)  budget 300,000
#   NUTS 3  764,830 B  157,900 -> 37,535   2,439 islets  3.8 s  1.01 km  13% / 28% (Åland)  budget 800,000
# (Åland's error is its dropped skerries; the worst simplified mainland region is Berlin at ~12%.)
LAYER_SPECS: dict[int, LayerSpec] = {
    0: LayerSpec(scale="03M", tolerance=0.1, area_factor=0.17, min_island_km2=20.0, precision=3),
    1: LayerSpec(scale="03M", tolerance=0.1, area_factor=0.17, min_island_km2=20.0, precision=3),
    2: LayerSpec(scale="03M", tolerance=0.1, area_factor=0.17, min_island_km2=20.0, precision=3),
    3: LayerSpec(scale="03M", tolerance=0.1, area_factor=0.17, min_island_km2=20.0, precision=3),
}


# --------------------------------------------------------------------------------------------
# Reading GISCO files
# --------------------------------------------------------------------------------------------


def _load_feature_collection(path: Path) -> list[dict]:
    """The features of a (possibly gzipped) GeoJSON FeatureCollection, or InputError."""
    try:
        if path.name.endswith(".gz"):
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                text = handle.read()
        else:
            text = path.read_text(encoding="utf-8")
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:  # truncated or not gzip at all
        raise InputError(path, f"cannot decompress gzip file: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text: {exc}") from exc
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc}") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                         row=exc.lineno) from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise InputError(path, "not a GeoJSON FeatureCollection")
    features = document.get("features")
    if not isinstance(features, list):
        raise InputError(path, "FeatureCollection without a 'features' list")
    return features


#: Feature identifiers: NUTS codes in the NUTS files, GISCO country ids (EL, UK, XJL...) in CNTR.
NUTS_CODE = re.compile(r"[A-Z]{2}[A-Z0-9]{0,3}")
COUNTRY_ID = re.compile(r"[A-Z]{2,3}")


def _feature_properties(path: Path, index: int, feature: object, required: Sequence[str], *,
                        id_key: str = "NUTS_ID", id_pattern: re.Pattern = NUTS_CODE) -> dict:
    """A feature's properties with every required key present (values may be null) and a valid id."""
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise InputError(path, f"feature {index + 1} has no properties object", row=index + 1)
    props = feature["properties"]
    for key in required:
        if key not in props:
            label = f" ({props[id_key]})" if isinstance(props.get(id_key), str) else ""
            raise InputError(path, f"feature {index + 1}{label} lacks property {key!r}",
                             row=index + 1, column=key)
    identifier = props.get(id_key)
    if not isinstance(identifier, str) or not id_pattern.fullmatch(identifier):
        kind = "a NUTS code" if id_pattern is NUTS_CODE else f"a {id_key} value"
        raise InputError(path, f"feature {index + 1}: {identifier!r} is not {kind}",
                         row=index + 1, column=id_key)
    return props


def _feature_geometry(path: Path, index: int, feature: dict, allowed: tuple[str, ...], *,
                      id_key: str = "NUTS_ID"):
    """The feature's geometry as shapely, checked for type, emptiness and validity."""
    raw = feature.get("geometry")
    nuts_id = feature["properties"][id_key]
    where = {"row": index + 1, "column": "geometry"}
    if not isinstance(raw, dict) or raw.get("type") not in allowed:
        kind = raw.get("type") if isinstance(raw, dict) else raw
        raise InputError(path, f"{nuts_id}: geometry type {kind!r}, expected {' or '.join(allowed)}", **where)
    try:
        geometry = shapely.geometry.shape(raw)
    except (ValueError, TypeError, IndexError, KeyError, shapely.errors.GEOSException) as exc:
        raise InputError(path, f"{nuts_id}: malformed coordinates: {exc}", **where) from exc
    if geometry.is_empty:
        raise InputError(path, f"{nuts_id}: empty geometry", **where)
    if not geometry.is_valid:
        raise InputError(path, f"{nuts_id}: invalid geometry ({shapely.is_valid_reason(geometry)})", **where)
    return geometry


def _clean_name(value: object) -> str | None:
    """A name with runs of whitespace collapsed (GISCO has "Jan Mayen and Svalbard\\r\\n   \\r\\n")."""
    if value is None:
        return None
    return " ".join(str(value).split())


def _typology(value: object) -> int | None:
    return None if value is None else int(value)


def read_nuts_regions(path: Path, log: BuildLog | None = None) -> gpd.GeoDataFrame:
    """One GISCO NUTS RG file (``.geojson`` or ``.geojson.gz``) as a GeoDataFrame in EPSG:4326.

    Columns: nuts_id, level, country, name_latn, name_native, mount_type, urbn_type, coast_type,
    geometry. Typologies are nullable integers as GISCO codes them. Names have their whitespace
    normalised (one GISCO name ends in stray line breaks); when ``log`` is given, that is reported.
    Raises InputError naming the file and the 1-based feature number (as ``row``) when a feature
    lacks a property, is not a (Multi)Polygon, or is invalid, or when the file is not JSON.
    """
    path = Path(path)
    features = _load_feature_collection(path)
    records: list[dict] = []
    geometries = []
    seen: dict[str, int] = {}
    renamed: list[str] = []
    for index, feature in enumerate(features):
        props = _feature_properties(path, index, feature, REGION_PROPERTIES)
        nuts_id = props["NUTS_ID"]
        if nuts_id in seen:
            raise InputError(path, f"{nuts_id} appears twice (features {seen[nuts_id]} and {index + 1})",
                             row=index + 1, column="NUTS_ID")
        seen[nuts_id] = index + 1
        level = props["LEVL_CODE"]
        if level not in (0, 1, 2, 3) or len(nuts_id) != 2 + level:
            raise InputError(path, f"{nuts_id}: level {level!r} does not fit the code",
                             row=index + 1, column="LEVL_CODE")
        name_latn, name_native = _clean_name(props["NAME_LATN"]), _clean_name(props["NUTS_NAME"])
        if not name_latn:
            raise InputError(path, f"{nuts_id}: empty NAME_LATN", row=index + 1, column="NAME_LATN")
        if name_latn != props["NAME_LATN"] or name_native != props["NUTS_NAME"]:
            renamed.append(nuts_id)
        try:
            typologies = [_typology(props[key]) for key in ("MOUNT_TYPE", "URBN_TYPE", "COAST_TYPE")]
        except (TypeError, ValueError) as exc:
            raise InputError(path, f"{nuts_id}: typology is not an integer: {exc}", row=index + 1) from exc
        geometries.append(_feature_geometry(path, index, feature, ("Polygon", "MultiPolygon")))
        records.append({
            "nuts_id": nuts_id,
            "level": int(level),
            "country": str(props["CNTR_CODE"]),
            "name_latn": name_latn,
            "name_native": name_native,
            "mount_type": typologies[0],
            "urbn_type": typologies[1],
            "coast_type": typologies[2],
        })
    if log is not None and renamed:
        log.warn(str(path), "whitespace in region names normalised", count=len(renamed), examples=renamed)
    frame = pd.DataFrame.from_records(
        records,
        columns=["nuts_id", "level", "country", "name_latn", "name_native",
                 "mount_type", "urbn_type", "coast_type"],
    )
    for column in ("mount_type", "urbn_type", "coast_type"):
        frame[column] = frame[column].astype("Int64")
    frame["level"] = frame["level"].astype("int64")
    return gpd.GeoDataFrame(frame, geometry=list(geometries), crs="EPSG:4326")


def label_points(path: Path) -> pd.DataFrame:
    """GISCO label points (NUTS LB file): where a region's name goes, as nuts_id, lon, lat.

    GISCO places these inside the region (a centroid can fall outside a crescent-shaped region).
    """
    path = Path(path)
    rows: list[tuple[str, float, float]] = []
    for index, feature in enumerate(_load_feature_collection(path)):
        props = _feature_properties(path, index, feature, ("NUTS_ID",))
        point = _feature_geometry(path, index, feature, ("Point",))
        rows.append((props["NUTS_ID"], float(point.x), float(point.y)))
    table = pd.DataFrame(rows, columns=["nuts_id", "lon", "lat"])
    duplicated = table[table["nuts_id"].duplicated()]
    if len(duplicated):
        raise InputError(path, f"{duplicated['nuts_id'].iloc[0]} has two label points",
                         row=int(duplicated.index[0]) + 1, column="NUTS_ID")
    return table


# --------------------------------------------------------------------------------------------
# Simplification
# --------------------------------------------------------------------------------------------


def _polygonal(geometry) -> shapely.Geometry:
    """Only the polygonal part of a geometry (make_valid can add stray lines or points)."""
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    polygons = [q for p in parts for q in shapely.get_parts(p)]
    polygons = [q for q in polygons if not q.is_empty and q.area > 0]
    if not polygons:
        return shapely.Polygon()
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def _approx_km2(polygons: np.ndarray) -> np.ndarray:
    """Areas of lon/lat polygons in km², scaling degrees by the cosine of each centroid's latitude."""
    latitudes = shapely.get_y(shapely.centroid(polygons))
    return shapely.area(polygons) * _KM_PER_DEGREE**2 * np.cos(np.radians(latitudes))


def drop_small_islands(gdf: gpd.GeoDataFrame, min_km2: float, *,
                       id_column: str = "nuts_id") -> tuple[gpd.GeoDataFrame, dict[str, int]]:
    """Remove stand-alone islets smaller than ``min_km2`` from multi-part regions.

    A web layer cannot afford thousands of islets: coverage simplification never deletes a ring,
    so each islet would still cost a triangle. Kept always: a part that is a sizeable share of its
    region (:data:`ISLET_MAX_SHARE`; so no region disappears, and small regions such as Ceuta keep
    their shape), and any part touching another region (dropping it would open a hole in the
    coverage). Returns the new frame and, per region, how many parts were dropped.
    """
    geometries = np.asarray(gdf.geometry.values, dtype=object)
    tree = shapely.STRtree(geometries)
    out = list(geometries)
    dropped: dict[str, int] = {}
    for position, geometry in enumerate(geometries):
        parts = shapely.get_parts(geometry)
        if len(parts) < 2:
            continue
        areas = shapely.area(parts)
        small = (_approx_km2(parts) < min_km2) & (areas < ISLET_MAX_SHARE * areas.sum())
        if not small.any():
            continue
        keep = ~small
        for k in np.flatnonzero(small):
            if any(j != position for j in tree.query(parts[k], predicate="intersects")):
                keep[k] = True
        if keep.all():
            continue
        kept = parts[keep]
        out[position] = kept[0] if len(kept) == 1 else shapely.MultiPolygon(list(kept))
        dropped[str(gdf[id_column].iloc[position])] = int((~keep).sum())
    return gdf.set_geometry(gpd.GeoSeries(out, index=gdf.index, crs=gdf.crs)), dropped


def _assemble(
    parts: np.ndarray, owner: np.ndarray, count: int, *, dissolve: bool = False
) -> list[shapely.Geometry]:
    """Regions rebuilt from their parts (``owner[i]`` = region position of part i).

    ``dissolve`` merges parts that share edges (faces of one region after snapping) with
    ``coverage_union_all``, which is exact on a coverage: it drops the shared edges, adds no vertex.
    """
    out: list[shapely.Geometry] = [shapely.Polygon()] * count
    order = np.argsort(owner, kind="stable")
    boundaries = np.flatnonzero(np.diff(owner[order])) + 1
    for group in np.split(order, boundaries):
        if len(group) == 0:
            continue
        members = [p for p in parts[group] if not p.is_empty]
        if dissolve and len(members) > 1:
            members = [shapely.coverage_union_all(members)]
        polygons = [q for p in members for q in shapely.get_parts(p)]
        if polygons:
            out[int(owner[group[0]])] = polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)
    return out


def snap_coverage(gdf: gpd.GeoDataFrame, precision: int, log: BuildLog | None = None,
                  source: str = "boundaries", *, id_column: str = "nuts_id") -> gpd.GeoDataFrame:
    """Snap-round a level onto the output grid (``precision`` decimals) as one clean coverage.

    Rounding *after* simplification can push a vertex across a neighbour's border (an overlap) or
    pinch a ring. Rounding *first*, and only removing vertices afterwards, cannot: the simplified
    vertices are a subset of vertices already on the grid. Snap-rounding the whole level at once
    (noding every border on the grid, re-forming the faces, giving each face to the region that
    covers most of it) also repairs the input's own defects: GISCO's NUTS 3 files overlap by
    slivers in BE, EE, FR-BE and the UK; those regions are reported to ``log``. Faces no region
    covers are real holes (San Marino, Vatican, Kosovo at some levels) and stay holes.
    """
    geometries = np.asarray(gdf.geometry.values, dtype=object)
    if not shapely.coverage_is_valid(geometries) and log is not None:
        bad_edges = shapely.coverage_invalid_edges(geometries)
        bad = [str(n) for n, e in zip(gdf[id_column], bad_edges, strict=True) if not e.is_empty]
        log.warn(source, "overlapping or unmatched borders; resolved by snap-rounding the level",
                 count=len(bad), examples=bad)
    grid = 10.0**-precision
    linework = shapely.union_all(shapely.boundary(geometries), grid_size=grid)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(linework)))
    tree = shapely.STRtree(geometries)
    owner = np.full(len(faces), -1)
    # Almost every face has an inner point inside exactly one region (two inside an overlap:
    # the first region wins, the sliver is thinner than the grid anyway).
    face_index, region_index = tree.query(shapely.point_on_surface(faces), predicate="within")
    first = np.unique(face_index, return_index=True)[1]
    owner[face_index[first]] = region_index[first]
    # The rest: slivers the snapping moved off their region, and holes. A face goes to the region
    # covering most of it, or stays a hole when regions cover less than half of it.
    pending = np.flatnonzero(owner < 0)
    face_index, region_index = tree.query(faces[pending], predicate="intersects")
    overlap = shapely.area(shapely.intersection(faces[pending][face_index], geometries[region_index]))
    best = np.zeros(len(pending))
    for face, region, area in zip(face_index, region_index, overlap, strict=True):
        if area > best[face]:
            best[face], owner[pending[face]] = area, region
    owner[pending[best <= 0.5 * shapely.area(faces[pending])]] = -1
    assigned = owner >= 0
    snapped = _assemble(faces[assigned], owner[assigned], len(geometries), dissolve=True)
    lost = [str(n) for n, g in zip(gdf[id_column], snapped, strict=True) if g.is_empty]
    if lost:  # smaller than the grid: keep it, unsnapped, rather than lose a region
        for position in (i for i, g in enumerate(snapped) if g.is_empty):
            snapped[position] = geometries[position]
        if log is not None:
            log.warn(source, f"region smaller than the {grid:g}° grid kept unsnapped", count=len(lost),
                     examples=lost)
    snapped = [shapely.transform(g, lambda xy: np.round(xy, precision)) for g in snapped]
    snapped = [g if g.is_valid else _polygonal(shapely.make_valid(g)) for g in snapped]
    return gdf.set_geometry(gpd.GeoSeries(snapped, index=gdf.index, crs=gdf.crs))


def part_tolerances(parts: np.ndarray, tolerance: float, area_factor: float | None) -> np.ndarray:
    """Per polygon part: ``tolerance``, or ``area_factor * sqrt(area)`` when that is smaller.

    One tolerance for a whole level turns every region smaller than a few tolerance-sized
    triangles into a triangle (Brussels, Ceuta, Liechtenstein at NUTS 2; Speyer or Basel-Stadt
    at NUTS 3, which end up covering hardly any of their real area). Capping a part's tolerance
    at a fraction of its own size keeps every shape recognisable: Visvalingam-Whyatt then never
    removes a triangle bigger than ``area_factor²`` of the part's area. The result is rounded
    down to ``tolerance / 2**k`` so the level is simplified in a handful of passes.
    """
    wanted = np.full(len(parts), float(tolerance))
    if area_factor:
        wanted = np.minimum(wanted, area_factor * np.sqrt(shapely.area(parts)))
    steps = np.ceil(np.log2(tolerance / np.maximum(wanted, tolerance / 2**_MAX_HALVINGS)))
    return tolerance / 2.0 ** np.clip(steps, 0, _MAX_HALVINGS)


_MAX_HALVINGS = 8  # smallest tolerance = tolerance / 256, far below any grid we round to


def simplify_coverage(gdf: gpd.GeoDataFrame, tolerance: float, *, area_factor: float | None = None,
                      log: BuildLog | None = None, source: str = "boundaries",
                      id_column: str = "nuts_id") -> gpd.GeoDataFrame:
    """Simplify a whole level at once so neighbouring regions keep sharing exactly the same border.

    ``shapely.coverage_simplify`` simplifies each shared edge once (Visvalingam-Whyatt, removing
    vertices only, never letting edges cross), so both neighbours get the same new border. With
    ``area_factor`` each polygon part gets its own tolerance (see :func:`part_tolerances`), and
    an edge is simplified with the smaller tolerance of the two parts it separates. GEOS takes
    one tolerance per call, so the parts are simplified in passes of increasing tolerance, each
    pass covering the parts whose tolerance reaches it plus "the sea" (everything outside the
    level), with ``simplify_boundary=False``: edges towards parts that have stopped stay fixed,
    coastlines are edges towards the sea.

    The input must be a valid coverage (:func:`snap_coverage` makes one); if it is not, GISCO's
    overlaps are cleaned with ``coverage_clean`` first (reported). Every result is valid and
    polygonal; a region that came out empty keeps its input geometry (reported). Orientation is
    left to :func:`to_web_geojson`.
    """
    geometries = np.asarray(gdf.geometry.values, dtype=object)
    if not shapely.coverage_is_valid(geometries):
        bad_edges = shapely.coverage_invalid_edges(geometries)
        bad = [str(n) for n, e in zip(gdf[id_column], bad_edges, strict=True) if not e.is_empty]
        clean = getattr(shapely, "coverage_clean", None)  # shapely >= 2.2 built with GEOS >= 3.14
        if clean is not None:
            geometries = clean(geometries)
            message = "overlapping or unmatched borders snapped together (coverage_clean) first"
        else:
            message = ("overlapping or unmatched borders, and this shapely has no coverage_clean: "
                       "simplified as they are, so borders there may not match")
        if log is not None:
            log.warn(source, message, count=len(bad), examples=bad)
    parts, owner = shapely.get_parts(geometries, return_index=True)
    tolerances = part_tolerances(parts, tolerance, area_factor)
    west, south, east, north = shapely.total_bounds(parts)
    sea = shapely.difference(shapely.box(west - 1, south - 1, east + 1, north + 1),
                             shapely.coverage_union_all(parts))
    members = np.append(parts, sea)
    for step in np.unique(tolerances):  # ascending
        active = np.append(tolerances >= step, True)
        members[active] = shapely.coverage_simplify(members[active], step, simplify_boundary=False)
    simplified = _assemble(members[:-1], owner, len(geometries))
    fixed = []
    fallback: list[str] = []
    for nuts_id, original, geometry in zip(gdf[id_column], geometries, simplified, strict=True):
        result = geometry if geometry.is_valid else _polygonal(shapely.make_valid(geometry))
        if result.is_empty:
            result = original
            fallback.append(str(nuts_id))
        fixed.append(result)
    if fallback and log is not None:
        log.warn(source, "simplification emptied a region; kept its unsimplified geometry",
                 count=len(fallback), examples=fallback)
    return gdf.set_geometry(gpd.GeoSeries(fixed, index=gdf.index, crs=gdf.crs))


# --------------------------------------------------------------------------------------------
# Writing compact GeoJSON
# --------------------------------------------------------------------------------------------


def _round_ring(coords: np.ndarray, precision: int) -> np.ndarray | None:
    """A ring rounded, without consecutive duplicates; None when it degenerates (< 3 distinct points)."""
    rounded = np.round(coords, precision)
    keep = np.ones(len(rounded), dtype=bool)
    keep[1:] = np.any(rounded[1:] != rounded[:-1], axis=1)
    rounded = rounded[keep]
    if len(rounded) < 4 or shapely.area(shapely.Polygon(rounded)) == 0:
        return None
    return rounded


def _round_geometry(geometry, precision: int) -> shapely.Geometry:
    """Round every vertex; drop rings and parts that collapse. Equal vertices stay equal."""
    polygons = []
    for polygon in shapely.get_parts(geometry):
        shell = _round_ring(np.asarray(polygon.exterior.coords), precision)
        if shell is None:
            continue
        holes = [h for h in (_round_ring(np.asarray(r.coords), precision) for r in polygon.interiors)
                 if h is not None]
        polygons.append(shapely.Polygon(shell, holes))
    if not polygons:
        return shapely.Polygon()
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def _repair_on_grid(geometry, precision: int) -> shapely.Geometry:
    """A valid version of a geometry that rounding pinched, with its vertices on the grid if possible.

    Snap-rounding (``set_precision``) is the tool, but GEOS refuses some inputs (a hole that
    rounding pushed out of its shell); those are made valid first. If even that fails, the
    make_valid result is kept as is: valid, with a few vertices off the grid.
    """
    grid = 10.0**-precision
    repaired = _polygonal(shapely.make_valid(geometry))
    for candidate in (geometry, repaired):
        try:
            snapped = _polygonal(shapely.set_precision(candidate, grid))
        except shapely.errors.GEOSException:
            continue
        # set_precision's grid values can sit one ulp off the decimal; np.round makes them print short.
        snapped = shapely.transform(snapped, lambda xy: np.round(xy, precision))
        if snapped.is_valid and not snapped.is_empty:
            return snapped
    return repaired


def round_coverage(geometries: Sequence, precision: int) -> list[shapely.Geometry]:
    """Round a level's geometries to ``precision`` decimals, keeping them valid and non-empty.

    In the build the geometries are on the grid already (:func:`snap_coverage`) and this changes
    nothing but the orientation. For other input: plain rounding maps the identical vertices of a
    shared border to identical vertices, so shared borders stay shared, but it can collapse tiny
    rings (dropped), pinch a ring (repaired by :func:`_repair_on_grid`) or push a vertex across a
    neighbour's border (not repaired: snap the coverage first). A region too small to survive
    rounding at all keeps its largest part at full precision.
    """
    out = []
    for geometry in geometries:
        rounded = _round_geometry(geometry, precision)
        if not rounded.is_empty and not rounded.is_valid:
            rounded = _repair_on_grid(rounded, precision)
        if rounded.is_empty:  # smaller than the grid: keep the largest part unrounded
            parts = shapely.get_parts(geometry)
            rounded = parts[int(np.argmax(shapely.area(parts)))]
        out.append(shapely.orient_polygons(rounded, exterior_cw=True))
    return out


def _ring_coordinates(ring) -> list[list[float]]:
    return np.asarray(ring.coords).tolist()


def _geometry_json(geometry) -> dict:
    """GeoJSON geometry of already-rounded coordinates (a rounded double prints as its short decimal)."""
    polygons = [
        [_ring_coordinates(p.exterior), *(_ring_coordinates(r) for r in p.interiors)]
        for p in shapely.get_parts(geometry)
    ]
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def to_web_geojson(gdf: gpd.GeoDataFrame, precision: int, *, id_column: str = "nuts_id",
                   name_column: str = "name_latn") -> bytes:
    """A compact GeoJSON FeatureCollection for plotly: id = ``id_column`` (the NUTS code),
    properties = {"name": ``name_column``}.

    Coordinates are rounded to ``precision`` decimals (see :func:`round_coverage`), exterior rings
    run clockwise and holes anticlockwise (d3-geo's spherical convention, which plotly uses), and
    the JSON has no whitespace. Features are sorted by NUTS code so the bytes are reproducible.
    """
    ordered = gdf.sort_values(id_column)
    geometries = round_coverage(list(ordered.geometry.values), precision)
    features = [
        {"type": "Feature", "id": str(nuts_id), "properties": {"name": str(name)},
         "geometry": _geometry_json(geometry)}
        for nuts_id, name, geometry in zip(ordered[id_column], ordered[name_column], geometries, strict=True)
    ]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# --------------------------------------------------------------------------------------------
# Building the layers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WebLayer:
    """One level's web GeoJSON and the figures worth reporting about how it was made."""

    level: int
    geojson: bytes
    spec: LayerSpec
    regions: int
    vertices_before: int
    vertices_after: int
    islands_dropped: int
    seconds: float  # wall clock
    cpu_seconds: float  # this process's CPU time: comparable when the machine is busy


def _region_source_id(scale: str, level: int) -> str:
    """Catalogue id of the region file for a scale: one file per level, or the all-levels 1:10M file."""
    if scale.upper() == "10M":
        return source("gisco_nuts_rg_10m_2021_all").id
    return gisco_regions(scale, level).id


def build_web_layer(resolve: Callable[[str], Path], level: int, log: BuildLog,
                    spec: LayerSpec | None = None) -> WebLayer:
    """Read, de-islet, simplify and write one level (``spec`` defaults to :data:`LAYER_SPECS`)."""
    spec = spec or LAYER_SPECS[level]
    started, started_cpu = time.perf_counter(), time.process_time()
    source_id = _region_source_id(spec.scale, level)
    regions = read_nuts_regions(resolve(source_id), log=log)
    regions = regions[regions["level"] == level].reset_index(drop=True)  # the 1:10M file has all levels
    vertices_before = int(shapely.get_num_coordinates(regions.geometry.values).sum())
    regions, dropped = drop_small_islands(regions, spec.min_island_km2)
    if dropped:
        by_count = sorted(dropped.items(), key=lambda item: -item[1])
        examples = [f"{nuts_id}: {count}" for nuts_id, count in by_count]
        log.warn(source_id, f"islets under {spec.min_island_km2:g} km² left out of the web layer "
                 f"(every region kept; parts of {ISLET_MAX_SHARE:.0%}+ of their region or touching "
                 "a neighbour stay)",
                 count=sum(dropped.values()), examples=examples)
    snapped = snap_coverage(regions, spec.precision, log=log, source=source_id)
    simplified = simplify_coverage(snapped, spec.tolerance, area_factor=spec.area_factor,
                                   log=log, source=source_id)
    geojson = to_web_geojson(simplified, spec.precision)
    vertices_after = sum(
        len(ring)
        for feature in json.loads(geojson)["features"]
        for ring in _rings_of(feature["geometry"])
    )
    budget = BUDGET_BYTES.get(level)
    if budget is not None and len(geojson) > budget:
        log.warn(source_id, f"NUTS {level} web layer is {len(geojson)} bytes, over its {budget}-byte budget")
    return WebLayer(
        level=level,
        geojson=geojson,
        spec=spec,
        regions=len(regions),
        vertices_before=vertices_before,
        vertices_after=vertices_after,
        islands_dropped=sum(dropped.values()),
        seconds=time.perf_counter() - started,
        cpu_seconds=time.process_time() - started_cpu,
    )


def _rings_of(geometry: dict) -> list[list]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def build_web_layers(resolve: Callable[[str], Path], log: BuildLog) -> dict[int, WebLayer]:
    """Every level's web layer with its figures (sizes, vertex counts, time), per :data:`LAYER_SPECS`."""
    return {level: build_web_layer(resolve, level, log) for level in sorted(LAYER_SPECS)}


def web_layers(resolve: Callable[[str], Path], log: BuildLog) -> dict[int, bytes]:
    """Level -> compact web GeoJSON for NUTS levels 0-3, made with :data:`LAYER_SPECS`."""
    return {level: layer.geojson for level, layer in build_web_layers(resolve, log).items()}


# --------------------------------------------------------------------------------------------
# The opt-in basemap: the countries around the NUTS area
# --------------------------------------------------------------------------------------------

#: Catalogue id of the world countries file the basemap is made from (GISCO, 1:20M).
BASEMAP_SOURCE = "gisco_countries_20m_2024"
#: Coarser than the NUTS layers: the basemap is context (neighbouring land and its borders), drawn
#: in one pale colour; 2 decimals (~1.1 km) is below a pixel at the mainland view's scale.
BASEMAP_SPEC = LayerSpec(scale="20M", tolerance=0.05, area_factor=0.17, min_island_km2=50.0, precision=2)
#: Degrees of land kept around every map view, so panning a little never reaches the basemap's edge.
BASEMAP_MARGIN = 15.0
#: Land left over between a country and the NUTS regions, narrower than this (degrees), is a sliver
#: from the two files' different scales, not territory; it is removed by an opening (erode, dilate).
#: Along a neighbour's border (~2 km) the files differ little. Inside a country the NUTS regions
#: draw (~10 km), the leftovers are coastal fringes and islets dropped from the NUTS layers, while
#: territory NUTS leaves out (Kosovo, ~100 km across) stays.
SLIVER_WIDTH = {"neighbour": 0.02, "nuts_country": 0.1}
#: A country whose area the NUTS regions cover at least this much is a NUTS country.
NUTS_COVERED_SHARE = 0.5


def read_countries(path: Path) -> gpd.GeoDataFrame:
    """A GISCO countries (CNTR RG) file: country_id (GISCO's id: EL, UK, UA...), name (English), geometry."""
    path = Path(path)
    rows: list[tuple[str, str]] = []
    geometries = []
    for index, feature in enumerate(_load_feature_collection(path)):
        props = _feature_properties(path, index, feature, ("CNTR_ID", "NAME_ENGL"), id_key="CNTR_ID",
                                    id_pattern=COUNTRY_ID)
        geometries.append(
            _feature_geometry(path, index, feature, ("Polygon", "MultiPolygon"), id_key="CNTR_ID"))
        rows.append((props["CNTR_ID"], _clean_name(props["NAME_ENGL"]) or props["CNTR_ID"]))
    frame = pd.DataFrame(rows, columns=["country_id", "name"])
    if frame["country_id"].duplicated().any():
        position = int(np.flatnonzero(frame["country_id"].duplicated())[0])
        raise InputError(path, f"country {frame['country_id'].iloc[position]} appears twice",
                         row=position + 1, column="CNTR_ID")
    return gpd.GeoDataFrame(frame, geometry=geometries, crs="EPSG:4326")


def basemap_extent(margin: float = BASEMAP_MARGIN) -> shapely.Geometry:
    """Every map view's box grown by ``margin`` degrees: where basemap land is worth sending."""
    boxes = [_box(view) for view in OUTERMOST_VIEWS.values()]
    return shapely.union_all([shapely.box(w - margin, s - margin, e + margin, n + margin)
                              for w, s, e, n in boxes])


def land_outside_nuts(countries: gpd.GeoDataFrame, nuts: gpd.GeoDataFrame,
                      extent: shapely.Geometry) -> gpd.GeoDataFrame:
    """The land the NUTS regions do not draw, per country, within ``extent``.

    Each country minus the NUTS regions (``nuts``: the NUTS 0 layer as drawn), so the basemap
    neither covers a region nor leaves a gap: neighbouring countries keep their land, territory
    inside a NUTS country's outline that NUTS leaves out stays land (San Marino; Kosovo, which GISCO
    files under RS), and a country the NUTS regions cover entirely (Svalbard, SJ) disappears.
    Slivers narrower than :data:`SLIVER_WIDTH`, where the 1:20M and 1:3M borders disagree, go.
    """
    covered = shapely.union_all(nuts.geometry.values)
    share = shapely.area(shapely.intersection(countries.geometry.values, covered)) / shapely.area(
        countries.geometry.values)
    half = np.where(share >= NUTS_COVERED_SHARE, SLIVER_WIDTH["nuts_country"], SLIVER_WIDTH["neighbour"]) / 2
    geometries = shapely.difference(shapely.intersection(countries.geometry.values, extent), covered)
    opened = shapely.buffer(shapely.buffer(geometries, -half, join_style="mitre"), half, join_style="mitre")
    geometries = shapely.intersection(opened, shapely.difference(extent, covered))  # no overreach
    land = countries.set_geometry(gpd.GeoSeries([_polygonal(g) for g in geometries], index=countries.index,
                                                crs=countries.crs))
    return land[~land.geometry.is_empty].reset_index(drop=True)


def build_basemap_layer(resolve: Callable[[str], Path], nuts0: gpd.GeoDataFrame, log: BuildLog) -> bytes:
    """The basemap's web GeoJSON: the land around (and inside) the NUTS area that the NUTS layers do
    not draw, per country (id = GISCO country id, name = English name), simplified as one coverage
    like the NUTS layers (:data:`BASEMAP_SPEC`). ``nuts0`` is the NUTS 0 web layer as drawn."""
    spec = BASEMAP_SPEC
    land = land_outside_nuts(read_countries(resolve(BASEMAP_SOURCE)), nuts0, basemap_extent())
    land, _dropped = drop_small_islands(land, spec.min_island_km2, id_column="country_id")
    snapped = snap_coverage(land, spec.precision, log=log, source=BASEMAP_SOURCE, id_column="country_id")
    simplified = simplify_coverage(snapped, spec.tolerance, area_factor=spec.area_factor, log=log,
                                   source=BASEMAP_SOURCE, id_column="country_id")
    return to_web_geojson(simplified, spec.precision, id_column="country_id", name_column="name")


# --------------------------------------------------------------------------------------------
# Map views for the outermost regions
# --------------------------------------------------------------------------------------------



def _box(view: dict) -> tuple[float, float, float, float]:
    (west, east), (south, north) = view["lon_range"], view["lat_range"]
    return west, south, east, north


def _overlap(a: Sequence[float], b: Sequence[float]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(width, 0.0) * max(height, 0.0) if width >= 0 and height >= 0 else -1.0


def view_for_region(nuts_id: str, bounds: Sequence[float]) -> str:
    """The name of the view in :data:`OUTERMOST_VIEWS` that shows a region.

    ``bounds`` is the region's (minx, miny, maxx, maxy), e.g. ``geometry.bounds``. The decision is
    geometric: a region whose bounding-box centre lies in the mainland box gets "mainland";
    otherwise a view whose box contains that centre (a view naming the region's NUTS 2 code wins
    ties); otherwise the view whose box overlaps the region's box most, so a region spread over
    several territories (FR at level 0, FRY at level 1) still lands on a view showing part of it.
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise ValueError(f"{nuts_id}: bounds {bounds!r} are not finite (empty geometry?)")
    centre = ((minx + maxx) / 2, (miny + maxy) / 2)

    def contains_centre(view: dict) -> bool:
        west, south, east, north = _box(view)
        return west <= centre[0] <= east and south <= centre[1] <= north

    if contains_centre(OUTERMOST_VIEWS[DEFAULT_VIEW]):
        return DEFAULT_VIEW
    candidates = [name for name, view in OUTERMOST_VIEWS.items() if contains_centre(view)]
    if candidates:
        named = [name for name in candidates if nuts_id[:4] in OUTERMOST_VIEWS[name]["regions"]]
        return (named or candidates)[0]
    region_box = (minx, miny, maxx, maxy)
    overlaps = {name: _overlap(region_box, _box(view)) for name, view in OUTERMOST_VIEWS.items()}
    best = max(overlaps, key=lambda name: overlaps[name])
    return best if overlaps[best] >= 0 else DEFAULT_VIEW
