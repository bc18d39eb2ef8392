"""Parsing helpers shared by the page states: strict, never raising, always explaining."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qs, urlencode

_SAFE_TEXT = re.compile(r"[^\w\s.,:;'()&/+-]", re.UNICODE)
MAX_TEXT = 80


def parse_query(search: str | None) -> dict[str, str]:
    """``?a=1&b=x`` -> {'a': '1', 'b': 'x'}; last value wins, blanks dropped, never raises."""
    if not search:
        return {}
    parsed = parse_qs(search.lstrip("?"), keep_blank_values=False, max_num_fields=50)
    return {key: values[-1] for key, values in parsed.items() if values}


def to_query(params: Mapping[str, object]) -> str:
    """Readable query string, omitting None/empty values: {'level': 2} -> '?level=2'."""
    clean = {k: v for k, v in params.items() if v not in (None, "", [], ())}
    return "?" + urlencode(clean, safe=":,") if clean else ""


def shown(value: str) -> str:
    """A user-supplied value as it may appear inside an error message: short, no markup."""
    text = _SAFE_TEXT.sub("", value)[:MAX_TEXT]
    return text + ("…" if len(value) > MAX_TEXT else "")


def parse_int(  # noqa: PLR0917 - one call per URL parameter reads best positionally
    params: Mapping[str, str],
    key: str,
    allowed: Iterable[int] | None,
    default: int | None,
    errors: list[str],
    label: str,
) -> int | None:
    """An integer parameter from an allowed set; a bad one adds a message and yields the default."""
    raw = params.get(key)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        errors.append(f"{label} “{shown(raw)}” is not a number; showing {default} instead.")
        return default
    allowed = list(allowed) if allowed is not None else None
    if allowed is not None and value not in allowed:
        errors.append(f"{label} {value} is not available; showing {default} instead.")
        return default
    return value


def parse_choice(  # noqa: PLR0917 - as parse_int
    params: Mapping[str, str],
    key: str,
    allowed: Iterable[str],
    default: str | None,
    errors: list[str],
    label: str,
) -> str | None:
    """A parameter that must be one of ``allowed``; a bad one adds a message and yields the default."""
    raw = params.get(key)
    if raw is None:
        return default
    if raw in set(allowed):
        return raw
    errors.append(f"Unknown {label} “{shown(raw)}”; showing the default instead.")
    return default
