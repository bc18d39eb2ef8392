"""The data build: upstream files in, processed artefacts out, atomically.

``python -m observatory build`` runs :func:`build`. Artefacts go to a fresh directory
``geodata/builds/<id>``; only when every step succeeded does the symlink ``geodata/current`` move
to it (an atomic rename), so a failing build leaves the previous one serving. The manifest
records the hash of every input and of the build code: with nothing changed, a rebuild is a no-op.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
from tqdm import tqdm

from observatory import config
from observatory.ingest import boundaries, indicators, keyword_tags, nuts, s3records, tag_model, taxonomies
from observatory.ingest.errors import BuildLog, InputError
from observatory.sources.catalogue import source
from observatory.sources.fetch import make_resolver, sha256_of

#: Files of this package whose change must trigger a rebuild.
_CODE_DIRS = ("ingest", "sources")
_CODE_FILES = ("build.py", "text.py", "geography.py")
CURRENT_LINK = "current"
MANIFEST = "manifest.json"


@dataclass
class BuildResult:
    """What a build did: where it wrote, whether it was a no-op, and the figures for the summary."""

    path: Path
    skipped: bool
    seconds: float
    sizes: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: int = 0


def code_fingerprint() -> str:
    """Hash of the build code itself, so a parser fix triggers a rebuild."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    files = [package / f for f in _CODE_FILES]
    for sub in _CODE_DIRS:
        files += sorted((package / sub).glob("*.py"))
    files += sorted(config.CURATED_DIR.rglob("*.csv"))  # incl. labels/ (the tag model learns from them)
    # the S3 records (curated/s3/ unless a test points elsewhere): an edit triggers a rebuild
    files += [p for p in sorted(S3_RECORDS_DIR.glob("*.csv")) if p not in files]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def input_fingerprint(resolve: Callable[[str], Path], source_ids: list[str]) -> dict[str, str]:
    """sha256 of every input as found on disk (it may differ from the catalogue's pinned copy)."""
    return {sid: sha256_of(resolve(sid)) for sid in source_ids}


def current_build(geodata_dir: Path | None = None) -> Path | None:
    link = (geodata_dir or config.GEODATA_DIR) / CURRENT_LINK
    return link.resolve() if link.exists() else None


def _read_manifest(path: Path | None) -> dict | None:
    if path is None or not (path / MANIFEST).exists():
        return None
    try:
        return json.loads((path / MANIFEST).read_text())
    except (json.JSONDecodeError, OSError):
        return None


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, index=False, compression="zstd")


#: Every source the build reads, in the order the steps need them.
BUILD_SOURCES = [
    "nuts2021_classification",
    *[f"gisco_nuts_rg_60m_2021_{lvl}" for lvl in range(4)],
    *[f"gisco_nuts_rg_03m_2021_{lvl}" for lvl in range(4)],
    *[f"gisco_nuts_lb_2021_{lvl}" for lvl in range(4)],
    "gisco_countries_20m_2024",  # the opt-in basemap
    "nace_r2",
    "fos2007",
    "nuts2021_2024",  # the NUTS 2024 -> 2021 crosswalk
    *sorted({sid for spec in indicators.INDICATORS for sid in spec.source_ids}),
]


def build(
    *,
    data_dir: Path | None = None,
    geodata_dir: Path | None = None,
    force: bool = False,
    progress: bool = True,
    resolve: Callable[[str], Path] | None = None,
    allow_shrink: bool = False,
) -> BuildResult:
    """Run the whole build; see the module docstring for the atomicity and no-op rules.

    ``allow_shrink``: accept a build whose tables lost most of their rows (:func:`check_shrink`).
    """
    started = time.perf_counter()
    geodata_dir = geodata_dir or config.GEODATA_DIR
    resolve = resolve or make_resolver(data_dir)
    source_ids = list(dict.fromkeys(BUILD_SOURCES))
    fingerprint = {"code": code_fingerprint(), "inputs": input_fingerprint(resolve, source_ids)}
    previous = current_build(geodata_dir)
    manifest = _read_manifest(previous)
    if not force and manifest and manifest.get("fingerprint") == fingerprint:
        return BuildResult(
            previous,
            skipped=True,
            seconds=time.perf_counter() - started,
            sizes=manifest.get("sizes", {}),
            counts=manifest.get("counts", {}),
        )

    builds_dir = geodata_dir / "builds"
    builds_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    work = builds_dir / f".tmp-{stamp}-{os.getpid()}"
    work.mkdir()
    try:
        result = _Build(work, resolve).run(fingerprint, progress)
        if not allow_shrink:
            check_shrink(manifest.get("counts", {}) if manifest else {}, result.counts, resolve)
        final = builds_dir / stamp
        work.rename(final)
        _swap_current(geodata_dir, final)
        # Keep the build just replaced: a server started before this build still reads from it.
        _remove_old_builds(builds_dir, keep={final.name, previous.name if previous else None})
        result.path = final
        result.seconds = time.perf_counter() - started
        return result
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


#: A table that keeps less than this share of its previous rows stops the build (``--allow-shrink``).
SHRINK_LIMIT = 0.5
#: Tables smaller than this in the previous build are not checked (a few rows may come and go).
SHRINK_MIN_ROWS = 10
#: The upstream file behind each table whose name differs from it, for the message.
TABLE_SOURCES: dict[str, str] = {}
#: The S3 records: the project's own curated dataset in the repository (not a catalogue source).
#: A module attribute so tests can point the build at a copy with a broken file.
S3_RECORDS_DIR = config.CURATED_DIR / "s3"
#: Tables written from a curated records file of the same name.
RECORD_TABLES = ("strategies", "priorities", "partnerships", "partnership_members")


class BuildShrank(InputError):
    """A table lost most of its rows compared with the build being replaced.

    Why: an input cut down to its header line is valid CSV and builds cleanly, yet the site would
    silently lose every membership; a drop that large is far likelier an accident than an edit.
    """


def check_shrink(previous: dict[str, int], counts: dict[str, int],
                 resolve: Callable[[str], Path] | None = None) -> None:
    """Raise :class:`BuildShrank` when a table keeps less than :data:`SHRINK_LIMIT` of its rows."""
    for name, before in sorted(previous.items()):
        after = counts.get(name)
        if after is None or before < SHRINK_MIN_ROWS or after >= before * SHRINK_LIMIT:
            continue
        where = name
        if name in RECORD_TABLES:
            where = str(S3_RECORDS_DIR / f"{name}.csv")
        elif name in TABLE_SOURCES:
            try:
                where = str(resolve(TABLE_SOURCES[name])) if resolve else source(TABLE_SOURCES[name]).path
            except Exception:
                where = source(TABLE_SOURCES[name]).path
        raise BuildShrank(
            where,
            f"{name} would shrink from {before} to {after} rows compared with the current build; "
            "check the input, or rebuild with `python -m observatory build --allow-shrink` "
            "if the loss is intended",
        )


def _swap_current(geodata_dir: Path, target: Path) -> None:
    """Point ``geodata/current`` at ``target`` with one atomic rename of a fresh symlink."""
    link = geodata_dir / CURRENT_LINK
    tmp_link = geodata_dir / f".{CURRENT_LINK}-{os.getpid()}"
    tmp_link.unlink(missing_ok=True)
    tmp_link.symlink_to(target.relative_to(geodata_dir))
    tmp_link.replace(link)


def _remove_old_builds(builds_dir: Path, keep: set[str | None]) -> None:
    for path in builds_dir.iterdir():
        if path.name not in keep and not path.name.startswith(".tmp-"):
            shutil.rmtree(path, ignore_errors=True)


class _Build:
    """One build in progress: the output directory, the log, and the figures for the summary.

    Each ``step_*`` method reads its inputs through ``resolve``, writes its artefacts into
    ``out`` and returns what later steps need; ``run`` chains them with a progress bar.
    """

    def __init__(self, out: Path, resolve: Callable[[str], Path]) -> None:
        self.out = out
        self.resolve = resolve
        self.log = BuildLog()
        self.sizes: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self.timings: dict[str, float] = {}

    def write(self, name: str, frame: pd.DataFrame) -> None:
        _write_parquet(frame, self.out / f"{name}.parquet")
        self.counts[name] = len(frame)

    def run(self, fingerprint: dict, progress: bool) -> BuildResult:
        steps = [
            ("classification", self.step_classification),
            ("regions and boundaries", self.step_regions),
            ("taxonomies", self.step_taxonomies),
            ("S3 records", self.step_records),
            ("indicators", self.step_indicators),
        ]
        state: dict = {}
        with tqdm(total=len(steps), desc="build", unit="step", disable=not progress, file=sys.stderr) as bar:
            for name, step in steps:
                bar.set_postfix_str(name)
                started = time.perf_counter()
                state.update(step(**state) or {})
                self.timings[name] = round(time.perf_counter() - started, 2)
                bar.update(1)
        self.write_manifest(fingerprint)
        return BuildResult(
            self.out, skipped=False, seconds=0.0, sizes=self.sizes, counts=self.counts, warnings=len(self.log)
        )

    def step_classification(self, **_: object) -> dict:
        classification = nuts.read_nuts2021_classification(self.resolve("nuts2021_classification"))
        return {"classification": classification, "codes": frozenset(classification["nuts_id"])}

    def step_regions(self, classification: pd.DataFrame, **_: object) -> None:
        geo_by_level = {
            lvl: boundaries.read_nuts_regions(self.resolve(f"gisco_nuts_rg_60m_2021_{lvl}"))
            for lvl in range(4)
        }
        labels = pd.concat(
            [boundaries.label_points(self.resolve(f"gisco_nuts_lb_2021_{lvl}")) for lvl in range(4)]
        )
        views = pd.Series(
            {
                row.nuts_id: boundaries.view_for_region(row.nuts_id, row.geometry.bounds)
                for geo in geo_by_level.values()
                for row in geo.itertuples()
            }
        )
        regions = nuts.build_region_table(geo_by_level, labels, classification, views)
        _write_parquet(regions, self.out / "regions.parquet")
        self.counts.update({f"regions_level_{lvl}": int((regions["level"] == lvl).sum()) for lvl in range(4)})
        web_dir = self.out / "web"
        web_dir.mkdir()
        drawn = {}
        for level, payload in boundaries.web_layers(self.resolve, self.log).items():
            path = web_dir / f"nuts{level}.geojson"
            path.write_bytes(payload)
            self.sizes[path.name] = len(payload)
            drawn[level] = gpd.read_file(io.BytesIO(payload))
            drawn[level].to_parquet(self.out / f"boundaries_nuts{level}.parquet", compression="zstd")
        basemap = boundaries.build_basemap_layer(self.resolve, drawn[0], self.log)
        (web_dir / "basemap.geojson").write_bytes(basemap)
        self.sizes["basemap.geojson"] = len(basemap)

    def step_taxonomies(self, **_: object) -> dict:
        nace = taxonomies.read_nace(self.resolve("nace_r2"))
        terms = taxonomies.build_terms(
            nace,
            taxonomies.read_fields_of_science(self.resolve("fos2007")),
            taxonomies.read_policy_objectives(config.CURATED_DIR / "policy_objectives.csv"),
        )
        self.write("terms", terms)
        return {"nace": nace, "terms": terms}

    def _records(self, name: str) -> tuple[Path, pd.DataFrame]:
        path = S3_RECORDS_DIR / f"{name}.csv"
        return path, s3records.read_records(path, s3records.FILES[name])

    def step_records(
        self, codes: frozenset[str], nace: pd.DataFrame, terms: pd.DataFrame, **_: object
    ) -> None:
        strategies = s3records.validate_strategies(*self._records("strategies"), codes)
        priorities = s3records.validate_priorities(
            *self._records("priorities"),
            set(strategies["strategy_id"]),
            set(nace["code"]),
        )
        partnerships = s3records.validate_partnerships(*self._records("partnerships"))
        members = s3records.validate_members(
            *self._records("partnership_members"),
            set(partnerships["partnership_id"]),
            codes,
            self.log,
        )
        contacts = s3records.validate_contact_points(
            *self._records("contact_points"), set(strategies["strategy_id"])
        )
        expected = s3records.validate_expected(*self._records("expected_territories"), codes)
        self.write("contact_points", contacts)
        self.write("expected_territories", expected)
        # Sections come from the tag model (method "model", measured in docs/research/tag_quality.md)
        # rather than from every curated division ("implied-section"), which over-tagged them.
        nace_tags = s3records.priority_nace_tags(priorities, nace)
        tags = pd.concat(
            [
                nace_tags[nace_tags["method"] != "implied-section"],
                tag_model.section_tags(priorities, tag_model.load_labels()),
                keyword_tags.keyword_tags(priorities, set(terms["term"])),
            ],
            ignore_index=True,
        )
        self.write("strategies", strategies)
        self.write("priorities", priorities)
        self.write("priority_tags", tags)
        self.write("partnerships", partnerships)
        self.write("partnership_members", members)

    def step_indicators(self, codes: frozenset[str], **_: object) -> None:
        values = indicators.build_indicators(self.resolve, codes, self.log)
        self.write("indicators", values)
        catalogue = pd.DataFrame([spec.__dict__ for spec in indicators.INDICATORS])
        catalogue["source_ids"] = catalogue["source_ids"].map(list)
        self.write("indicator_catalogue", catalogue)

    def write_manifest(self, fingerprint: dict) -> None:
        sources_used = []
        for sid, digest in fingerprint["inputs"].items():
            src = source(sid)
            sources_used.append(
                {
                    "id": sid,
                    "title": src.title,
                    "path": src.path,
                    "url": src.url,
                    "origin": src.origin,  # the publisher's page when ``url`` is a pinned copy
                    "pinned": src.pinned,  # False: a live or unverified source, its hash recorded only
                    "licence": src.licence,
                    "attribution": src.attribution,
                    "sha256": digest,
                    "matches_catalogue": digest in src.accepted_sha256(from_mirror=True),
                }
            )
        for path in self.out.glob("*.parquet"):
            self.sizes[path.name] = path.stat().st_size
        manifest = {
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "fingerprint": fingerprint,
            "sources": sources_used,
            "sizes": self.sizes,
            "counts": self.counts,
            "timings": self.timings,
            "log": self.log.entries,
        }
        (self.out / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))


def summary(result: BuildResult) -> str:
    """Human-readable end-of-build summary."""
    lines = [
        ("Data unchanged: build skipped (" if result.skipped else "Build complete (")
        + f"{result.seconds:.1f} s) -> {result.path}"
    ]
    for name, count in sorted(result.counts.items()):
        lines.append(f"  {name:<24} {count:>10,}")
    for name, size in sorted(result.sizes.items()):
        lines.append(f"  {name:<32} {size / 1024:>8,.0f} KB")
    if result.warnings:
        lines.append(f"  {result.warnings} warnings: see manifest.json 'log'")
    return "\n".join(lines)
