"""Parsing helpers shared by the page states: strict, never raising, always explaining."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qs, urlencode

_SAFE_TEXT = re.compile(r"[^\w\s.,:;'()&/+-]", re.UNICODE)
MAX_TEXT = 80


#: Parameters read from one address; the rest are ignored (no page has more than a dozen).
MAX_FIELDS = 50


def parse_query(search: object, errors: list[str] | None = None) -> dict[str, str]:
    """``?a=1&b=x`` -> {'a': '1', 'b': 'x'}; last value wins, blanks dropped, never raises.

    Only the first :data:`MAX_FIELDS` parameters are read: a longer address (pasted, crafted) is
    shown from those, and ``errors`` (when given) says that the rest were ignored. A value that is
    not text (a crafted callback) reads as no parameters at all.
    """
    if not search or not isinstance(search, str):
        return {}
    fields = [field for field in search.lstrip("?").split("&") if field]
    if len(fields) > MAX_FIELDS:
        if errors is not None:
            errors.append(f"The link has {len(fields)} parameters: the first {MAX_FIELDS} were read, "
                          f"the other {len(fields) - MAX_FIELDS} ignored.")
        fields = fields[:MAX_FIELDS]
    try:
        parsed = parse_qs("&".join(fields), keep_blank_values=False, max_num_fields=MAX_FIELDS)
    except ValueError:  # defensive: parse_qs has no other documented failure
        return {}
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
