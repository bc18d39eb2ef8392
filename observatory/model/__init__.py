"""The domain model: a typed, read-only API over the built artefacts. No Dash in here."""

from observatory.model.derived import DerivedStore
from observatory.model.observatory import DataNotBuilt, Observatory, Region, StrategyCoverage

__all__ = ["DataNotBuilt", "DerivedStore", "Observatory", "Region", "StrategyCoverage"]
