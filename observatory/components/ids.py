"""Namespaced component ids: ``Ids("map")("level") == "map-level"``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ids:
    namespace: str

    def __call__(self, name: str) -> str:
        return f"{self.namespace}-{name}"
