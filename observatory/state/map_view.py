"""The map explorer's whole view state, carried by its URL (documented in docs/url-parameters.md).

``/?level=2&indicator=gdp_pc_pps_eu&year=2022&measure=term&term=nace:C&partnership=...&region=ITH5
&view=canarias&basemap=on``

:meth:`MapView.from_query` never raises: each rejected parameter (unknown level, indicator, year,
measure, term, partnership, region, view or basemap; markup or other junk) adds a plain-language message
and falls back to its default, so a mistyped or tampered link still opens a working map.
:meth:`MapView.to_query` writes the view back; ``from_query(v.to_query())`` gives ``v`` again, so a
reload or a shared link restores the view exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from urllib.parse import urlencode

from observatory.analysis.map_measures import DEFAULT_PERIOD, MEASURES, STRATEGY_PERIODS
from observatory.geography import DEFAULT_VIEW, OUTERMOST_VIEWS
from observatory.state.query import parse_choice, parse_int, parse_query, shown, to_query

LEVELS = (0, 1, 2, 3)
DEFAULT_LEVEL = 2

DEFAULT_MEASURE = "indicator"

#: The indicator shown when the link names none: GDP per inhabitant in PPS, EU27 = 100, the
#: cohesion-policy reference measure. If a build lacks it, the first catalogue indicator is used.
PREFERRED_INDICATOR = "gdp_pc_pps_eu"

#: Every URL parameter the map understands, in the order they are written.
PARAMETERS = ("level", "measure", "indicator", "year", "term", "partnership", "period", "region", "view",
              "basemap")

#: ``basemap=on`` draws the countries around the NUTS area and the sea (see figures.choropleth).
BASEMAP_VALUES = ("on", "off")

#: A free-text keyword: letters (any script), digits, spaces and a little punctuation, 2-60 chars.
_KEYWORD = re.compile(r"[\w][\w\s'’.&/+-]{1,59}", re.UNICODE)
_REGION_CODE = re.compile(r"[A-Za-z]{2}[A-Za-z0-9]{0,3}")


#: A year counts as well covered when it has values for at least this share of the regions of the
#: indicator's best-covered year at that level.
COVERAGE_SHARE = 0.5


def default_year(obs, indicator: str | None, level: int) -> int | None:
    """The latest *well-covered* year of an indicator at a level (None without values).

    Eurostat publishes the newest year for a few countries first: GDP at NUTS 3 has 204 regions
    in 2022 but 1,296 in 2021. A map of the newest year would be mostly grey, so the default is
    the latest year with at least :data:`COVERAGE_SHARE` of the best year's regions.
    """
    counts = _year_counts(obs, indicator, level)
    if not counts:
        return None
    enough = COVERAGE_SHARE * max(counts.values())
    return max(year for year, count in counts.items() if count >= enough)


def _year_counts(obs, indicator: str | None, level: int) -> dict[int, int]:
    """Year -> number of regions of the level with a value (cached per data build)."""
    if not indicator:
        return {}
    return obs.derived.get(_count_years, indicator, int(level))


def _count_years(obs, indicator: str, level: int) -> dict[int, int]:
    frame = obs.indicator_frame(indicator)
    rows = frame[(frame["level"] == level) & frame["value"].notna()]
    return {int(year): int(count) for year, count in rows.groupby("year").size().items()}


def default_indicator(obs) -> str | None:
    """The preferred default indicator if this build has values for it, else the first one that has."""
    available = obs.indicator_ids()
    if PREFERRED_INDICATOR in available:
        return PREFERRED_INDICATOR
    return available[0] if available else None


@dataclass(frozen=True)
class MapView:
    """Everything that decides what the map shows; see docs/url-parameters.md."""

    level: int = DEFAULT_LEVEL
    indicator: str | None = None
    year: int | None = None
    measure: str = DEFAULT_MEASURE
    term: str | None = None
    partnership: str | None = None
    region: str | None = None
    view: str = DEFAULT_VIEW
    basemap: bool = False
    period: str = DEFAULT_PERIOD  # which strategies the S3 measures count (see STRATEGY_PERIODS)

    # -- parsing -----------------------------------------------------------------------------------
    @classmethod
    def default(cls, obs) -> MapView:
        """The landing view: NUTS 2, the default indicator, its latest well-covered year, mainland."""
        return cls.from_query(None, obs)[0]

    @classmethod
    def from_query(cls, search: str | Mapping[str, object] | None, obs) -> tuple[MapView, list[str]]:
        """Parse ``?level=...`` (or the query dict Dash pages hands a layout) against the data.

        Returns the view and the messages explaining every parameter that was rejected.
        """
        errors: list[str] = []
        params = _as_params(search, errors)
        unknown = sorted(set(params) - set(PARAMETERS))
        if unknown:
            names = ", ".join(f"“{shown(name)}”" for name in unknown[:5])
            errors.append(f"Unknown link parameter {names} ignored.")
        level = parse_int(params, "level", LEVELS, DEFAULT_LEVEL, errors, "NUTS level")
        level = DEFAULT_LEVEL if level is None else level
        measure = parse_choice(params, "measure", MEASURES, DEFAULT_MEASURE, errors, "map measure")
        fallback = default_indicator(obs)
        indicator = parse_choice(params, "indicator", obs.indicator_ids(), fallback, errors, "indicator")
        year = _parse_year(params, obs, indicator, level, errors)
        term = _parse_term(params.get("term"), obs, errors)
        partnership = parse_choice(params, "partnership", obs.partnerships.index, None, errors, "partnership")
        period = parse_choice(params, "period", STRATEGY_PERIODS, DEFAULT_PERIOD, errors, "strategy period")
        region = _parse_region(params.get("region"), obs, errors)
        implied = implied_view(obs, region)
        view = parse_choice(params, "view", OUTERMOST_VIEWS, implied, errors, "map view") or implied
        basemap = parse_choice(params, "basemap", BASEMAP_VALUES, "off", errors, "basemap setting") == "on"
        if basemap and not obs.basemap_countries:
            errors.append("This data build has no basemap (rebuild the data to get it); basemap=on ignored.")
            basemap = False
        state = cls(level=level, indicator=indicator, year=year, measure=measure or DEFAULT_MEASURE,
                    term=term, partnership=partnership, region=region, view=view, basemap=basemap,
                    period=period or DEFAULT_PERIOD)
        return state, errors

    # -- writing -----------------------------------------------------------------------------------
    def to_query(self, obs=None) -> str:
        """``?level=2&indicator=...``: every set field; ``view`` only when it is not the implied one,
        ``basemap`` only when it is on.

        The implied view is the one showing the selected region (mainland without a selection);
        ``obs`` is needed to know it, without ``obs`` the view is written unless it is the mainland.
        """
        implied = implied_view(obs, self.region) if obs is not None else DEFAULT_VIEW
        values = {
            "level": self.level,
            "measure": None if self.measure == DEFAULT_MEASURE else self.measure,
            "indicator": self.indicator,
            "year": self.year,
            "term": self.term,
            "partnership": self.partnership,
            "period": None if self.period == DEFAULT_PERIOD else self.period,
            "region": self.region,
            "view": None if self.view == implied else self.view,
            "basemap": "on" if self.basemap else None,
        }
        return to_query({key: values[key] for key in PARAMETERS})

    def as_dict(self) -> dict:
        """JSON-able form for a ``dcc.Store``."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping | None) -> MapView:
        """Inverse of :meth:`as_dict` (a missing store gives the bare defaults)."""
        if not data or not isinstance(data, Mapping):  # a tampered store: the defaults, never a crash
            return cls()
        fields = {key: data[key] for key in cls.__dataclass_fields__ if key in data}
        return cls(**fields)

    # -- transitions -------------------------------------------------------------------------------
    def with_level(self, obs, level: int) -> MapView:
        """Switch NUTS level: the year is kept if it is well covered there (else the default year);
        a selected region deeper than the new level is replaced by its ancestor at that level."""
        year = _kept_year(obs, self.indicator, level, self.year)
        region = self.region[: 2 + level] if self.region and len(self.region) - 2 > level else self.region
        return replace(self, level=level, year=year, region=region)

    def with_indicator(self, obs, indicator: str) -> MapView:
        """Switch indicator (and colour the map by it): keep the year if it is well covered, else the
        indicator's default year."""
        year = _kept_year(obs, indicator, self.level, self.year)
        return replace(self, indicator=indicator, year=year, measure="indicator")

    def with_region(self, obs, region: str | None) -> MapView:
        """Select a region (None clears); the map moves to the view that shows it."""
        found = obs.region(region) if region else None
        if found is None:
            return replace(self, region=None)
        return replace(self, region=found.code, view=found.view or DEFAULT_VIEW)


# -- helpers ---------------------------------------------------------------------------------------
def implied_view(obs, region: str | None) -> str:
    """The view a link means when it names no view: the selected region's, else the mainland."""
    if obs is None or not region:
        return DEFAULT_VIEW
    found = obs.region(region)
    view = found.view if found is not None else DEFAULT_VIEW
    return view if view in OUTERMOST_VIEWS else DEFAULT_VIEW


def _as_params(search: str | Mapping[str, object] | None, errors: list[str] | None = None) -> dict[str, str]:
    """A query string or a Dash pages kwargs dict as {name: last value as text} (``errors``: told
    when parameters beyond the first ``MAX_FIELDS`` were ignored)."""
    if search is None or isinstance(search, str):
        return parse_query(search, errors)
    flat: dict[str, str] = {}
    for key, raw in search.items():
        value = (raw[-1] if raw else None) if isinstance(raw, list | tuple) else raw
        if value is None or value == "":
            continue
        flat[str(key)] = str(value)
    return parse_query(urlencode(flat), errors)  # same normalisation as a real query string


def _kept_year(obs, indicator: str | None, level: int, year: int | None) -> int | None:
    """``year`` when the indicator is well covered in it at the level, else the default year."""
    counts = _year_counts(obs, indicator, level)
    if year in counts and counts[year] >= COVERAGE_SHARE * max(counts.values()):
        return year
    return default_year(obs, indicator, level)


def _parse_year(params: Mapping[str, str], obs, indicator: str | None, level: int,
                errors: list[str]) -> int | None:
    years = obs.indicator_years(indicator, level) if indicator else []
    latest = default_year(obs, indicator, level)
    if "year" in params and not years:
        errors.append(f"The indicator has no values at NUTS {level}; year “{shown(params['year'])}” ignored.")
        return None
    return parse_int(params, "year", years, latest, errors, "Year")


#: How many terms one map can combine (a priority matching any of them counts).
MAX_TERMS = 5


def _parse_term(raw: str | None, obs, errors: list[str]) -> str | None:
    """Taxonomy term ids (``nace:C``, ``fos:2.9``, ``policy:...``) or free keywords, comma-separated
    (any of them matches); written back in one canonical form, without repeats."""
    if raw is None:
        return None
    parts = [part for part in (p.strip() for p in raw.split(",")) if part]
    if len(parts) > MAX_TERMS:
        errors.append(f"At most {MAX_TERMS} terms can be combined; the first {MAX_TERMS} are used.")
        parts = parts[:MAX_TERMS]
    kept = [term for term in (_parse_one_term(part, obs, errors) for part in parts) if term]
    return ",".join(dict.fromkeys(kept)) or None


def _parse_one_term(raw: str, obs, errors: list[str]) -> str | None:
    text = raw.strip()
    if text in obs.terms.index:
        return text
    if ":" in text and text.split(":", 1)[0] in set(obs.terms["scheme"]):
        errors.append(f"Unknown taxonomy term “{shown(text)}”; no term filter applied.")
        return None
    if not _KEYWORD.fullmatch(text):
        errors.append(f"Keyword “{shown(text)}” is not usable (2-60 letters, digits, spaces); "
                      "no term filter applied.")
        return None
    return " ".join(text.split())


def _parse_region(raw: str | None, obs, errors: list[str]) -> str | None:
    if raw is None:
        return None
    code = raw.strip()
    found = obs.region(code) if _REGION_CODE.fullmatch(code) else None
    if found is None:
        errors.append(f"Unknown region code “{shown(raw)}”; no region selected.")
        return None
    return found.code
