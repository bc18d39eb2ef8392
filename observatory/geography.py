"""Geography facts every layer shares: which countries are the EU, the EU aggregate's code, the
named map views, and what a NUTS code says about itself.

This module sits at the bottom of the package (it imports nothing of ours), so the build-time
parsers (``observatory.ingest``) and the runtime (state, figures, pages) read the same facts
without the runtime importing a parser, and without a second copy that could drift.

Country codes are NUTS codes (Greece is ``EL``, not ``GR``). The boundary and statistics files also
cover EFTA and candidate countries (UK, CH, NO, IS, LI, TR, ME, MK, AL, RS): a rank "within the
EU" must count the 27 member states only, so every page asks :func:`is_eu` rather than keeping its
own list.
"""

from __future__ import annotations

#: The 27 EU member states (since 1 February 2020), as NUTS country codes.
EU27: frozenset[str] = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})

#: Eurostat's code for the EU27 aggregate (2020 composition) in its datasets' ``geo`` column.
EU_AGGREGATE = "EU27_2020"

#: Named map views. "mainland" is the default; every other view frames one remote territory so
#: the map can switch to it (or draw it as an inset). ``regions`` lists the NUTS 2 regions each
#: view is for; the tests check these against the geometry. The build's ``view_for_region``
#: (``observatory.ingest.boundaries``) decides from geometry, so a region missing here still gets
#: a view that shows it.
OUTERMOST_VIEWS: dict[str, dict] = {
    "mainland": {"label": "Mainland Europe", "lon_range": [-25.0, 45.0], "lat_range": [34.0, 72.0],
                 "regions": []},
    "canarias": {"label": "Canarias (ES)", "lon_range": [-18.6, -13.1], "lat_range": [27.4, 29.5],
                 "regions": ["ES70"]},
    "azores": {"label": "Açores (PT)", "lon_range": [-31.6, -24.8], "lat_range": [36.7, 40.0],
               "regions": ["PT20"]},
    "madeira": {"label": "Madeira (PT)", "lon_range": [-17.5, -15.3], "lat_range": [29.8, 33.2],
                "regions": ["PT30"]},
    # At 1:3M the Guadeloupe region also holds Saint-Martin and Saint-Barthélemy, 250 km north-west.
    "guadeloupe": {"label": "Guadeloupe (FR)", "lon_range": [-63.3, -60.8], "lat_range": [15.7, 18.2],
                   "regions": ["FRY1"]},
    "martinique": {"label": "Martinique (FR)", "lon_range": [-61.4, -60.6], "lat_range": [14.3, 14.95],
                   "regions": ["FRY2"]},
    "guyane": {"label": "Guyane (FR)", "lon_range": [-55.0, -51.3], "lat_range": [1.9, 6.0],
               "regions": ["FRY3"]},
    "reunion": {"label": "La Réunion (FR)", "lon_range": [55.1, 56.0], "lat_range": [-21.5, -20.7],
                "regions": ["FRY4"]},
    "mayotte": {"label": "Mayotte (FR)", "lon_range": [44.9, 45.45], "lat_range": [-13.1, -12.6],
                "regions": ["FRY5"]},
    # Not an outermost region, but as far from the mainland view: Svalbard (NO0B2) lies at 74-81° N.
    "svalbard": {"label": "Jan Mayen and Svalbard (NO)", "lon_range": [-10.0, 34.0],
                 "lat_range": [70.5, 81.2], "regions": ["NO0B"]},
}

DEFAULT_VIEW = "mainland"


def country_of(code: str) -> str:
    """The country part of a NUTS code: 'ITH5' -> 'IT'."""
    return (code or "")[:2].upper()


def is_eu(code: str) -> bool:
    """True when a NUTS code (any level) lies in an EU member state."""
    return country_of(code) in EU27


def nuts_level(code: str) -> int:
    """The NUTS level implied by a code's length: 'IT' -> 0, 'ITH' -> 1, 'ITH5' -> 2, 'ITH55' -> 3."""
    return len(code) - 2
