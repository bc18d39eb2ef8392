"""Which countries count as "the EU" in ranks and totals, kept in one place for every page.

The boundary and statistics files also cover EFTA and candidate countries (UK, CH, NO, IS, LI,
TR, ME, MK, AL, RS). A rank "within the EU" must count the 27 member states only, so every page
asks :func:`is_eu` rather than keeping its own list. Country codes are NUTS codes (Greece is
``EL``, not ``GR``).
"""

from __future__ import annotations

#: The 27 EU member states (since 1 February 2020), as NUTS country codes.
EU27: frozenset[str] = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})


def country_of(code: str) -> str:
    """The country part of a NUTS code: 'ITH5' -> 'IT'."""
    return (code or "")[:2].upper()


def is_eu(code: str) -> bool:
    """True when a NUTS code (any level) lies in an EU member state."""
    return country_of(code) in EU27


def nuts_level(code: str) -> int:
    """The NUTS level implied by a code's length: 'IT' -> 0, 'ITH' -> 1, 'ITH5' -> 2, 'ITH55' -> 3."""
    return len(code) - 2
