"""View state of the strategies browser, carried by the URL.

``/strategies?view=priorities&country=IT,ES&level=regional&period=2021-2027&term=nace:C20&q=hydrogen&status=current``

Every parameter is optional; a bad one is dropped with a message (the page shows the messages)
instead of failing. Allowed countries, periods and terms come from the data, passed in by the page.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from observatory.state.query import MAX_TEXT, parse_choice, parse_query, shown, to_query

VIEWS = ("strategies", "priorities")
LEVELS = ("national", "regional")
#: A strategy record's status (curated/s3/README.md): in force for 2021-2027, or replaced.
STATUSES = ("current", "superseded")


@dataclass(frozen=True)
class RepositoryView:
    """The whole state of ``/strategies``: which table, and its filters."""

    view: str = "strategies"
    countries: tuple[str, ...] = ()
    level: str | None = None
    period: str | None = None
    term: str | None = None
    q: str = ""
    status: str | None = None  # "current" | "superseded"; None = both

    @classmethod
    def from_query(
        cls,
        search: str | None,
        *,
        countries: Collection[str] | None = None,
        periods: Collection[str] | None = None,
        terms: Collection[str] | None = None,
    ) -> tuple[RepositoryView, list[str]]:
        """Parse ``?view=...&country=...``; the collections, when given, list the allowed values."""
        errors: list[str] = []
        params = parse_query(search, errors)
        view = parse_choice(params, "view", VIEWS, "strategies", errors, "table") or "strategies"
        level = parse_choice(params, "level", LEVELS, None, errors, "level")
        status = parse_choice(params, "status", STATUSES, None, errors, "status")
        chosen: list[str] = []
        for raw in (params.get("country") or "").split(","):
            code = raw.strip().upper()
            if not code:
                continue
            if countries is not None and code not in countries:
                errors.append(f"Unknown country “{shown(raw)}”; it is ignored.")
            elif code not in chosen:
                chosen.append(code)
        period = params.get("period")
        if period is not None and periods is not None and period not in periods:
            errors.append(f"Unknown period “{shown(period)}”; showing all periods.")
            period = None
        term = params.get("term")
        if term is not None and terms is not None and term not in terms:
            errors.append(f"Unknown taxonomy term “{shown(term)}”; showing all terms.")
            term = None
        q = (params.get("q") or "").strip()
        if len(q) > MAX_TEXT:
            errors.append(f"The search text was cut to {MAX_TEXT} characters.")
            q = q[:MAX_TEXT]
        return cls(view=view, countries=tuple(chosen), level=level, period=period, term=term, q=q,
                   status=status), errors

    def to_query(self) -> str:
        return to_query({
            "view": None if self.view == "strategies" else self.view,
            "country": ",".join(self.countries),
            "level": self.level,
            "period": self.period,
            "term": self.term,
            "q": self.q,
            "status": self.status,
        })
