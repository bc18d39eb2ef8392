"""The domain model: a typed, read-only API over the built artefacts. No Dash in here.

``Observatory.load()`` reads a build; ``obs.derived`` (``derived.DerivedStore``) keeps the tables
that analyses and pages derive from it, for exactly as long as that build is loaded.
"""

from observatory.model.derived import DerivedStore
from observatory.model.observatory import DataNotBuilt, Observatory, Region, StrategyCoverage

__all__ = ["DataNotBuilt", "DerivedStore", "Observatory", "Region", "StrategyCoverage"]
