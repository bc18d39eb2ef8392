"""The benchmark page's whole view state, carried by its URL.

``/benchmark?region=AT11&method=structural,priorities&n=10&xc=1&scheme=nace&nat=1&add=ITH2,DK03
&drop=AT12&ind=<indicator>&year=2022&x=<indicator>&y=<indicator>&sy=2022``

=========  ==========================================================================================
region     the NUTS 2 region to benchmark (a NUTS 3 code is taken to its NUTS 2 region)
method     comma-separated peer methods: ``structural``, ``country``, ``priorities``; ``none`` for
           hand-picked peers only (hand-picked additions and removals always apply)
n          how many structural / priority peers (1-50, default 10)
xc         ``1``: exclude regions of the same country from the structural and priority peers
scheme     taxonomy used for priority peers: ``nace`` (default), ``fos``, ``policy`` or ``all``
nat        ``1``: national strategies count for priority peers (default: regional strategies only)
add        hand-picked peers (NUTS 2 codes, comma-separated)
drop       regions removed from the peers chosen by the methods
ind        indicator of the ranked bar chart and the time series; ``year`` its year (default latest)
x, y       indicators of the scatter plot; ``sy`` its year (default: latest year both have)
=========  ==========================================================================================

:meth:`BenchmarkView.from_query` never raises: each rejected parameter adds a message and falls back
to its default. :meth:`BenchmarkView.to_query` writes only what differs from the defaults (indicators
are always written once chosen, so a link keeps showing the same charts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from observatory.analysis.peers import METHODS, TERM_SCHEMES, PeerOptions
from observatory.state.query import parse_choice, parse_int, parse_query, shown, to_query

DEFAULT_METHODS: tuple[str, ...] = ("structural",)
DEFAULT_N = 10
MAX_N = 50
MAX_HAND = 40
NO_METHOD = "none"
_CODE = re.compile(r"[A-Z]{2}[A-Z0-9]{0,3}")


@dataclass(frozen=True)
class BenchmarkView:
    region: str | None = None
    methods: tuple[str, ...] = DEFAULT_METHODS
    n: int = DEFAULT_N
    exclude_same_country: bool = False
    scheme: str = "nace"
    include_national: bool = False
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    indicator: str | None = None
    year: int | None = None
    x: str | None = None
    y: str | None = None
    scatter_year: int | None = None

    # -- parsing -----------------------------------------------------------------------------------
    @classmethod
    def from_query(cls, search: str | None, obs) -> tuple[BenchmarkView, list[str]]:
        """Parse ``?region=...`` against the data (regions, indicators, years); see the module docstring."""
        errors: list[str] = []
        params = parse_query(search, errors)
        region = _parse_region(params.get("region"), obs, errors, "Region")
        methods = _parse_methods(params.get("method"), errors)
        n = parse_int(params, "n", range(1, MAX_N + 1), DEFAULT_N, errors, "Number of peers")
        exclude = _parse_flag(params, "xc", errors, "Exclude same country")
        scheme = parse_choice(params, "scheme", TERM_SCHEMES, "nace", errors, "taxonomy") or "nace"
        national = _parse_flag(params, "nat", errors, "National strategies")
        added = _parse_codes(params.get("add"), obs, errors, "Hand-picked peer")
        removed = _parse_codes(params.get("drop"), obs, errors, "Removed peer")
        added = tuple(c for c in added if c != region)
        available = set(obs.indicator_ids())
        defaults = default_indicators(obs)
        indicator = _parse_indicator(params.get("ind"), available, defaults["indicator"], errors, "Indicator")
        x = _parse_indicator(params.get("x"), available, defaults["x"], errors, "Scatter x indicator")
        y = _parse_indicator(params.get("y"), available, defaults["y"], errors, "Scatter y indicator")
        year = _parse_year(params, "year", obs.indicator_years(indicator, 2) if indicator else [], errors,
                           "Year")
        scatter_years = sorted(set(obs.indicator_years(x, 2)) | set(obs.indicator_years(y, 2))) \
            if x and y else []
        scatter_year = _parse_year(params, "sy", scatter_years, errors, "Scatter year")
        state = cls(region=region, methods=methods, n=n or DEFAULT_N, exclude_same_country=exclude,
                    scheme=scheme, include_national=national, added=added, removed=removed,
                    indicator=indicator, year=year, x=x, y=y, scatter_year=scatter_year)
        return state, errors

    # -- writing -----------------------------------------------------------------------------------
    def to_query(self) -> str:
        methods = ",".join(self.methods) if self.methods else NO_METHOD
        return to_query({
            "region": self.region,
            "method": None if self.methods == DEFAULT_METHODS else methods,
            "n": None if self.n == DEFAULT_N else self.n,
            "xc": 1 if self.exclude_same_country else None,
            "scheme": None if self.scheme == "nace" else self.scheme,
            "nat": 1 if self.include_national else None,
            "add": ",".join(self.added),
            "drop": ",".join(self.removed),
            "ind": self.indicator,
            "year": self.year,
            "x": self.x,
            "y": self.y,
            "sy": self.scatter_year,
        })

    # -- derived -----------------------------------------------------------------------------------
    def peer_options(self) -> PeerOptions:
        return PeerOptions(methods=self.methods, n=self.n, exclude_same_country=self.exclude_same_country,
                           scheme=self.scheme, include_national=self.include_national, added=self.added,
                           removed=self.removed)

    # -- hand-picking ------------------------------------------------------------------------------
    def with_added(self, code: str) -> BenchmarkView:
        """Add a hand-picked peer (and forget an earlier removal of it)."""
        if not code or code == self.region:
            return self
        added = self.added if code in self.added else (*self.added, code)
        return replace(self, added=added[-MAX_HAND:], removed=tuple(c for c in self.removed if c != code))

    def with_removed(self, code: str) -> BenchmarkView:
        """Remove a peer: a hand-picked one is simply un-picked, one chosen by a method is excluded."""
        if code in self.added:
            return replace(self, added=tuple(c for c in self.added if c != code))
        if code in self.removed or code == self.region:
            return self
        return replace(self, removed=(*self.removed, code)[-MAX_HAND:])

    def with_toggled(self, code: str, current_peers: list[str]) -> BenchmarkView:
        """Map click: a current peer is removed, any other region (not the target) is added."""
        if not code or code == self.region:
            return self
        return self.with_removed(code) if code in current_peers else self.with_added(code)

    def with_region(self, region: str | None) -> BenchmarkView:
        """A new target: hand-picked peers and removals belonged to the old one, so they go."""
        if region == self.region:
            return self
        return replace(self, region=region, added=(), removed=())


#: Charts shown before the user picks (the first one available wins): GDP per head against the EU
#: for the bars and time series (the outcome peers are usually compared on), and tertiary
#: attainment against GDP per head for the scatter.
PREFERRED_DEFAULTS: dict[str, tuple[str, ...]] = {
    "indicator": ("gdp_pc_pps_eu", "gdp_pc_pps", "employment_rate"),
    "x": ("tertiary_attainment", "gerd_pc_gdp"),
    "y": ("gdp_pc_pps", "gdp_pc_pps_eu", "employment_rate"),
}


def default_indicators(obs) -> dict[str, str | None]:
    """Default chart indicators: :data:`PREFERRED_DEFAULTS`, else (catalogue order) the first
    performance indicator for the bars and the scatter's y axis, the first structural one for x."""
    available = [i for i in obs.indicator_ids() if 2 in obs.indicator_levels(i)]
    kinds = obs.catalogue["kind"].to_dict()
    performance = [i for i in available if kinds.get(i) == "performance"]
    structural = [i for i in available if kinds.get(i) == "structural"]
    fallback = {"indicator": performance, "x": structural, "y": performance}
    out: dict[str, str | None] = {}
    for key, preferred in PREFERRED_DEFAULTS.items():
        found = [i for i in preferred if i in available] or fallback[key] or available or [None]
        out[key] = found[0]
    return out


def _parse_region(raw: str | None, obs, errors: list[str], label: str) -> str | None:
    if raw is None:
        return None
    code = raw.strip().upper()
    region = obs.region(code) if _CODE.fullmatch(code) else None
    if region is None:
        errors.append(f"{label} “{shown(raw)}” is not a NUTS 2021 region code.")
        return None
    if region.level == 3:
        return code[:4]
    if region.level != 2:
        errors.append(f"{label} {code} is a NUTS {region.level} region; benchmarking compares NUTS 2 "
                      "regions. Pick one of its NUTS 2 regions.")
        return None
    return code


def _parse_codes(raw: str | None, obs, errors: list[str], label: str) -> tuple[str, ...]:
    if not raw:
        return ()
    out: list[str] = []
    for part in raw.split(",")[:MAX_HAND]:
        if not part.strip():
            continue
        code = _parse_region(part, obs, errors, label)
        if code and code not in out:
            out.append(code)
    return tuple(out)


def _parse_methods(raw: str | None, errors: list[str]) -> tuple[str, ...]:
    if raw is None:
        return DEFAULT_METHODS
    if raw.strip() == NO_METHOD:
        return ()
    chosen: list[str] = []
    for part in raw.split(","):
        name = part.strip()
        if name in METHODS and name not in chosen:
            chosen.append(name)
        elif name:
            errors.append(f"Unknown peer method “{shown(name)}”; ignored.")
    if not chosen:
        return DEFAULT_METHODS
    return tuple(m for m in METHODS if m in chosen)


def _parse_flag(params, key: str, errors: list[str], label: str) -> bool:
    raw = params.get(key)
    if raw is None:
        return False
    if raw in ("1", "0"):
        return raw == "1"
    errors.append(f"{label} must be 1 or 0, not “{shown(raw)}”; using 0.")
    return False


def _parse_indicator(raw: str | None, available: set[str], default: str | None, errors: list[str],
                     label: str) -> str | None:
    if raw is None:
        return default
    if raw in available:
        return raw
    errors.append(f"{label} “{shown(raw)}” is not in the indicator catalogue; showing the default.")
    return default


def _parse_year(params, key: str, years: list[int], errors: list[str], label: str) -> int | None:
    if params.get(key) is None:
        return None
    if not years:
        errors.append(f"{label}: the indicator has no NUTS 2 data; showing the latest year instead.")
        return None
    return parse_int(params, key, years, None, errors, label)
