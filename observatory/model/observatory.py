"""``Observatory``: regions, indicators, strategies, priorities and partnerships, loaded once.

Load it with :meth:`Observatory.load` (reads ``geodata/current``). Every method returns plain
pandas objects or small frozen dataclasses, never Dash components, so pages, exports, the API
and tests share one set of queries.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from observatory import config
from observatory.model.derived import DerivedStore
from observatory.text import fold, search_key

#: Columns of the records tables an older build may lack (as ``observatory.ingest.s3records`` writes
#: them; a test checks the two agree, the model itself never imports a parser).
OPTIONAL_TABLE_COLUMNS = {
    "contact_points": ["strategy_id", "office", "organisation", "web_url", "email", "source_url",
                       "source_kind", "last_checked", "notes"],
    "expected_territories": ["country", "territory_code", "territory_name", "level", "evidence_url",
                             "source_kind", "notes"],
}


class DataNotBuilt(RuntimeError):
    """No processed data yet: tell the user the one command that builds it."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"No built data at {path}. Run `python -m observatory build` first.")


class DataUnreadable(DataNotBuilt):
    """A build whose file cannot be read or lacks a column: one line naming it and the fix."""

    def __init__(self, path: Path, problem: str) -> None:
        RuntimeError.__init__(
            self, f"{path} {problem}. Rebuild the data with `python -m observatory build --force`."
        )


@dataclass(frozen=True)
class Region:
    """One NUTS 2021 region, with its place in the hierarchy."""

    code: str
    level: int
    name: str  # Latin-script name
    native_name: str
    country: str
    parent: str | None
    view: str  # named map view that shows it ("mainland", "canarias", ...)

    @property
    def ancestors(self) -> list[str]:
        """Codes from the country down to the parent: ['DE', 'DE1', 'DE11'] for DE111."""
        return [self.code[: 2 + lvl] for lvl in range(self.level)]


@dataclass(frozen=True)
class StrategyCoverage:
    """How a strategy relates to a region: its territory is the region, contains it, or lies within it."""

    strategy_id: str
    relation: str  # "same" | "contains" | "within"


class Observatory:
    """All built data, with the queries the pages need."""

    TABLES = (
        "regions",
        "indicators",
        "indicator_catalogue",
        "terms",
        "strategies",
        "priorities",
        "priority_tags",
        "partnerships",
        "partnership_members",
    )

    #: Columns :meth:`load` checks before use, so a wrong schema names its file.
    REQUIRED_COLUMNS = (
        ("regions", ("nuts_id", "level", "country", "parent", "name_latn", "view")),
        ("indicators", ("region", "indicator", "year", "value")),
        ("indicator_catalogue", ("id", "label")),
        ("terms", ("term",)),
        ("strategies", ("strategy_id",)),
        ("priorities", ("priority_id", "strategy_id")),
        ("priority_tags", ("priority_id", "term")),
        ("partnerships", ("partnership_id",)),
        ("partnership_members", ("partnership_id",)),
    )

    def __init__(self, path: Path, tables: dict[str, pd.DataFrame], manifest: dict) -> None:
        self.path = path
        self.manifest = manifest
        self.regions: pd.DataFrame = tables["regions"].set_index("nuts_id", drop=False)
        self.catalogue: pd.DataFrame = tables["indicator_catalogue"].set_index("id", drop=False)
        self.terms: pd.DataFrame = tables["terms"].set_index("term", drop=False)
        self.strategies: pd.DataFrame = tables["strategies"].set_index("strategy_id", drop=False)
        self.priorities: pd.DataFrame = tables["priorities"]
        self.priority_tags: pd.DataFrame = tables["priority_tags"]
        self.partnerships: pd.DataFrame = tables["partnerships"].set_index("partnership_id", drop=False)
        self.members: pd.DataFrame = tables["partnership_members"]
        values = tables["indicators"]
        values["level"] = values["region"].map(self.regions["level"]).astype("Int64")
        self.values: pd.DataFrame = values
        # One frame per indicator: recolouring the map filters a few thousand rows, not a million.
        self._by_indicator = dict(list(values.groupby("indicator", sort=False)))
        self._indicator_years: dict[str, dict[int, tuple[int, ...]]] = {}
        #: Tables the analyses and pages derive from this build, kept as long as it is loaded
        #: (``obs.derived.get(function, *args)``; see :mod:`observatory.model.derived`).
        self.derived = DerivedStore(self)

    # -- loading ---------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path | None = None) -> Observatory:
        """Read every artefact of a build (default ``geodata/current``)."""
        path = Path(path) if path else config.GEODATA_DIR / "current"
        if not (path / "manifest.json").exists():
            raise DataNotBuilt(path)
        # Every failure below is one DataUnreadable line naming the file (not a 50-line traceback
        # from pyarrow, nor a KeyError naming a column of no file): the server logs it and exits.
        tables = {}
        for name in cls.TABLES:
            file = path / f"{name}.parquet"
            try:
                tables[name] = pd.read_parquet(file)
            except Exception as exc:  # pyarrow raises many kinds of error for a corrupt file
                problem = "is missing" if not file.exists() else f"cannot be read ({type(exc).__name__})"
                raise DataUnreadable(file, problem) from exc
            missing = [c for c in dict(cls.REQUIRED_COLUMNS).get(name, ()) if c not in tables[name].columns]
            if missing:
                raise DataUnreadable(file, f"lacks the column(s) {', '.join(missing)}")
        try:
            manifest = json.loads((path / "manifest.json").read_text())
            return cls(path.resolve(), tables, manifest)
        except (ValueError, KeyError, TypeError) as exc:
            problem = f"is not a build this code can read ({type(exc).__name__}: {exc})"
            raise DataUnreadable(path, problem) from exc

    @staticmethod
    def current_build() -> Path | None:
        """The build ``geodata/current`` points to now (resolved), or None when there is none: one
        ``realpath``, cheap enough for a server to ask every few seconds whether to load another."""
        path = (config.GEODATA_DIR / "current").resolve()
        return path if (path / "manifest.json").exists() else None

    def web_boundaries(self, level: int) -> Path:
        """The simplified GeoJSON of a level, served to browsers as a static, cacheable file."""
        return self.path / "web" / f"nuts{int(level)}.geojson"

    def web_basemap(self) -> Path:
        """The opt-in basemap's GeoJSON (countries around the NUTS area), served like the levels."""
        return self.path / "web" / "basemap.geojson"

    @cached_property
    def basemap_countries(self) -> tuple[str, ...]:
        """The country ids in the basemap (a map lists them as its basemap trace's locations);
        empty for a build made before the basemap existed."""
        path = self.web_basemap()
        if not path.exists():
            return ()
        return tuple(feature["id"] for feature in json.loads(path.read_bytes())["features"])

    # -- regions ---------------------------------------------------------------------------------
    def region(self, code: str) -> Region | None:
        """The region with this NUTS 2021 code, or None (codes are matched case-insensitively)."""
        return self._region_objects.get((code or "").strip().upper())

    @cached_property
    def _region_objects(self) -> dict[str, Region]:
        """Every region as a :class:`Region`, made once (a page asks for dozens per request)."""
        columns = ["nuts_id", "level", "name_latn", "name_native", "country", "parent", "view"]
        rows = self.regions[columns].itertuples(index=False)
        return {
            code: Region(code=code, level=int(level), name=name, native_name=native, country=country,
                         parent=parent, view=view)
            for code, level, name, native, country, parent, view in rows
        }

    def regions_at(self, level: int) -> pd.DataFrame:
        return self.regions[self.regions["level"] == int(level)]

    def children(self, code: str) -> pd.DataFrame:
        return self.regions[self.regions["parent"] == code]

    def country_name(self, country: str) -> str:
        return self.regions.loc[country, "name_latn"] if country in self.regions.index else country

    @cached_property
    def _search_keys(self) -> pd.DataFrame:
        keys = pd.DataFrame(
            {
                "code": self.regions["nuts_id"],
                "level": self.regions["level"],
                "latn": self.regions["name_latn"].fillna("").map(search_key),
                "native": self.regions["name_native"].fillna("").map(search_key),
            }
        )
        keys["code_key"] = keys["code"].str.casefold()
        return keys

    def search(self, query: str, *, level: int | None = None, limit: int = 10) -> list[Region]:
        """Regions whose code, Latin name or native name matches ``query``; accents optional.

        Ranking: exact code, then names starting with the query, then names containing it;
        within a rank, lower NUTS levels (bigger regions) first.
        """
        key = search_key(query or "")
        if not key:
            return []
        keys = self._search_keys if level is None else self._search_keys[self._search_keys["level"] == level]
        exact = keys["code_key"] == key
        starts = (
            keys["latn"].str.startswith(key)
            | keys["native"].str.startswith(key)
            | keys["code_key"].str.startswith(key)
        )
        contains = keys["latn"].str.contains(key, regex=False) | keys["native"].str.contains(key, regex=False)
        rank = pd.Series(3, index=keys.index).mask(contains, 2).mask(starts, 1).mask(exact, 0)
        hits = keys.assign(rank=rank)[rank < 3].sort_values(["rank", "level", "code"]).head(limit)
        return [r for r in (self.region(c) for c in hits["code"]) if r is not None]

    # -- indicators ------------------------------------------------------------------------------
    def indicator(self, indicator_id: str) -> pd.Series | None:
        """Catalogue entry of an indicator (label, unit, direction, source...), or None."""
        return self.catalogue.loc[indicator_id] if indicator_id in self.catalogue.index else None

    def indicator_ids(self) -> list[str]:
        return [i for i in self.catalogue["id"] if i in self._by_indicator]

    def indicator_frame(self, indicator_id: str) -> pd.DataFrame:
        return self._by_indicator.get(indicator_id, self.values.iloc[0:0])

    def indicator_years(self, indicator_id: str, level: int) -> list[int]:
        return list(self._years_by_level(indicator_id).get(int(level), ()))

    def indicator_levels(self, indicator_id: str) -> list[int]:
        return sorted(self._years_by_level(indicator_id))

    def _years_by_level(self, indicator_id: str) -> dict[int, tuple[int, ...]]:
        """An indicator's years per NUTS level, computed on first use and kept (control options and
        default charts ask for them on every request). Two threads may compute it at once: same result."""
        known = self._indicator_years.get(indicator_id)
        if known is None:
            frame = self.indicator_frame(indicator_id)
            rows = frame.dropna(subset=["level"])
            known = {int(level): tuple(sorted(group["year"].unique().tolist()))
                     for level, group in rows.groupby("level")}
            self._indicator_years[indicator_id] = known
        return known

    def latest_year(self, indicator_id: str, level: int) -> int | None:
        years = self.indicator_years(indicator_id, level)
        return years[-1] if years else None

    def indicator_values(self, indicator_id: str, year: int, level: int) -> pd.DataFrame:
        """Values of one indicator for one year at one level: region, value, flag (region-indexed)."""
        frame = self.indicator_frame(indicator_id)
        rows = frame[(frame["year"] == int(year)) & (frame["level"] == int(level))]
        return rows.set_index("region")[["value", "flag", "unit", "source"]]

    def latest_values(self, indicator_id: str, region: str) -> pd.Series | None:
        """Most recent row of an indicator for a region, or None when it has no value."""
        frame = self.indicator_frame(indicator_id)
        rows = frame[frame["region"] == region]
        return None if rows.empty else rows.sort_values("year").iloc[-1]

    # -- strategies and priorities ----------------------------------------------------------------
    def _optional_table(self, name: str) -> pd.DataFrame:
        """A records table newer builds write; an older build without it reads as empty (so a
        server on a build made before the table existed keeps working until the next build)."""
        file = self.path / f"{name}.parquet"
        if not file.exists():
            return pd.DataFrame(columns=OPTIONAL_TABLE_COLUMNS[name], dtype=str)
        return pd.read_parquet(file)

    @cached_property
    def contact_points(self) -> pd.DataFrame:
        """S3 offices of the strategies (curated/s3/contact_points.csv), one row per office; read-only."""
        return self._optional_table("contact_points")

    @cached_property
    def expected_territories(self) -> pd.DataFrame:
        """Territories known to have a current 2021-2027 S3 (curated/s3/expected_territories.csv)."""
        return self._optional_table("expected_territories")

    def strategies_for(self, code: str) -> list[StrategyCoverage]:
        """Strategies whose territory is the region, contains it (national, NUTS 1), or lies within it."""
        out = []
        for sid, territory in zip(
            self.strategies["strategy_id"], self.strategies["territory_code"], strict=True
        ):
            if territory == code:
                out.append(StrategyCoverage(sid, "same"))
            elif code.startswith(territory):
                out.append(StrategyCoverage(sid, "contains"))
            elif territory.startswith(code):
                out.append(StrategyCoverage(sid, "within"))
        return out

    def priorities_of(self, strategy_ids: list[str]) -> pd.DataFrame:
        return self.priorities[self.priorities["strategy_id"].isin(strategy_ids)]

    def tags_of(self, priority_ids: list[str]) -> pd.DataFrame:
        tags = self.priority_tags[self.priority_tags["priority_id"].isin(priority_ids)]
        return tags.merge(
            self.terms[["term", "scheme", "code", "label"]].reset_index(drop=True), on="term", how="left"
        )

    @cached_property
    def _region_strategy_links(self) -> pd.DataFrame:
        """Every (region, strategy, relation) pair across all levels: the basis of S3 map measures."""
        rows = []
        for code in self.regions["nuts_id"]:
            rows += [(code, c.strategy_id, c.relation) for c in self.strategies_for(code)]
        links = pd.DataFrame(rows, columns=["region", "strategy_id", "relation"])
        return links.merge(self.strategies[["strategy_id", "level"]].reset_index(drop=True), on="strategy_id")

    def strategy_links(self, level: int) -> pd.DataFrame:
        """(region, strategy_id, relation, level) for the regions of one NUTS level."""
        links = self._region_strategy_links
        return links[links["region"].map(self.regions["level"]) == level]

    def matching_priorities(self, term: str) -> pd.DataFrame:
        """Priorities tagged with a taxonomy term (``nace:C``...) or, for free text, mentioning it.

        Several terms separated by commas match a priority matching any of them ("bioeconomy, smart
        grids"; "nace:C20,nace:C21").
        """
        parts = [part.strip() for part in (term or "").split(",") if part.strip()]
        if len(parts) > 1:
            ids = set().union(*(set(self._matching_one(part)["priority_id"]) for part in parts))
            return self.priorities[self.priorities["priority_id"].isin(ids)]
        return self._matching_one(parts[0] if parts else "")

    def _matching_one(self, term: str) -> pd.DataFrame:
        if term in self.terms.index:
            ids = self.priority_tags.loc[self.priority_tags["term"] == term, "priority_id"]
            return self.priorities[self.priorities["priority_id"].isin(ids)]
        key = fold(term).strip()
        if not key:
            return self.priorities.iloc[0:0]
        text = (self.priorities["name"] + " " + self.priorities["description"]).map(fold)
        return self.priorities[text.str.contains(key, regex=False)]

    def regions_matching(self, term: str, level: int, *, strategy_ids: Collection[str] | None = None
                         ) -> pd.DataFrame:
        """Regions of a level whose covering strategies (among ``strategy_ids``, default all) have a
        priority matching ``term``.

        Columns: region, match ("regional" when a regional strategy matches, else "national"),
        priorities (count of matching priorities).
        """
        matched = self.matching_priorities(term)
        if strategy_ids is not None:
            matched = matched[matched["strategy_id"].isin(list(strategy_ids))]
        if matched.empty:
            return pd.DataFrame(columns=["region", "match", "priorities"])
        per_strategy = matched.groupby("strategy_id").size().rename("priorities").reset_index()
        links = self.strategy_links(level).merge(per_strategy, on="strategy_id")
        links["match"] = links["level"].map({"regional": "regional", "national": "national"})
        grouped = links.groupby("region").agg(
            priorities=("priorities", "sum"),
            match=("match", lambda m: "regional" if (m == "regional").any() else "national"),
        )
        return grouped.reset_index()

    # -- partnerships ----------------------------------------------------------------------------
    def partnerships_of(self, code: str) -> pd.DataFrame:
        """Memberships of a region (or of its sub-regions / its parent units), with role and relation."""
        members = self.members.dropna(subset=["nuts_code"])
        mask = members["nuts_code"].map(lambda c: c == code or code.startswith(c) or c.startswith(code))
        rows = members[mask].merge(
            self.partnerships[["partnership_id", "name", "programme"]].reset_index(drop=True),
            on="partnership_id",
        )
        rows["relation"] = rows["nuts_code"].map(
            lambda c: "same" if c == code else ("contains" if code.startswith(c) else "within")
        )
        return rows

    def partnership_members_at(self, partnership_id: str, level: int) -> pd.DataFrame:
        """Regions of a level that are, contain or lie in a member of the partnership; best role first."""
        members = self.members[(self.members["partnership_id"] == partnership_id)].dropna(
            subset=["nuts_code"]
        )
        rank = {"lead": 0, "co-lead": 1, "member": 2}
        rows = []
        level_codes = self.regions_at(level)["nuts_id"]
        for code, role in zip(members["nuts_code"], members["role"], strict=True):
            if len(code) - 2 >= level:  # member at or below this level: its ancestor at the level
                rows.append((code[: 2 + level], role))
            else:  # member above this level (a NUTS 1 region, a country): all its descendants
                rows += [(c, role) for c in level_codes if c.startswith(code)]
        frame = pd.DataFrame(rows, columns=["region", "role"])
        frame["rank"] = frame["role"].map(rank)
        return frame.sort_values("rank").drop_duplicates("region").drop(columns="rank")

    def source_lines(self, indicator_id: str) -> str:
        """The attribution line to print under a chart of this indicator."""
        spec = self.indicator(indicator_id)
        return "" if spec is None else str(spec["attribution"])
