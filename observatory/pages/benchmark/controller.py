"""How the benchmark's view follows its controls, map clicks and peer buttons, and the address.

The page plugs :class:`~observatory.state.benchmark_view.BenchmarkView` into the shared address
controller (``observatory.components.url_state``). Every control's current value is applied on
each change (:func:`with_controls`), so quick successive changes cannot undo each other when a
callback starts before the previous one's state has come back; :func:`transition` adds what is
more than setting a control (adding, removing or restoring a peer, a map click, a choice that
resets another).
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from dash import ALL, Input, State

from observatory.analysis.peers import METHODS
from observatory.components.context import PageContext
from observatory.components.url_state import AddressBinding, Trigger
from observatory.pages.benchmark.common import PATH, ids
from observatory.state.benchmark_view import BenchmarkView

#: The controls, by id suffix: each is part of the view.
CONTROLS = ("region", "methods", "n", "xc", "scheme", "nat", "add", "indicator", "year", "x", "y", "sy")


def query_string(query: dict) -> str:
    """The page's query kwargs (as Dash passes them to ``layout``) back into ``?a=b`` form."""
    clean = {k: v for k, v in query.items() if isinstance(v, str | list) and not k.endswith("_")}
    return "?" + urlencode(clean, doseq=True) if clean else ""


def with_controls(state: BenchmarkView, controls: dict) -> BenchmarkView:
    """``state`` with every control's current value (the browser's controls are the truth).

    Applying all of them, not only the one that fired, keeps quick successive changes from undoing
    each other when a callback starts before the previous one's state has come back. Hand-picked
    additions and removals are not controls: they come from ``state``.
    """
    region = controls.get("region") or state.region
    new = state.with_region(region)
    years = {"year": controls.get("year"), "sy": controls.get("sy")}
    return replace(
        new,
        methods=tuple(m for m in METHODS if m in (controls.get("methods") or [])),
        n=int(controls.get("n") or new.n),
        exclude_same_country=bool(controls.get("xc")),
        scheme=str(controls.get("scheme") or new.scheme),
        include_national=bool(controls.get("nat")),
        indicator=controls.get("indicator") or new.indicator,
        year=int(years["year"]) if years["year"] else None,
        x=controls.get("x") or new.x,
        y=controls.get("y") or new.y,
        scatter_year=int(years["sy"]) if years["sy"] else None,
    )


def transition(state: BenchmarkView, trigger: str | dict | None, value, peers: list[str]) -> BenchmarkView:
    """The state after one event (``trigger``: a control's id suffix or a pattern id) that is more than
    setting a control: adding, removing or restoring a peer, a map click, or a choice that resets another
    (a new indicator shows its latest year; new scatter axes their latest common year)."""
    if isinstance(trigger, dict):
        code = str(trigger.get("region", ""))
        if trigger.get("type") == ids("remove"):
            return state.with_removed(code)
        if trigger.get("type") == ids("restore"):
            return replace(state, removed=tuple(c for c in state.removed if c != code))
        return state
    updates = {
        "add": lambda: state.with_added(str(value)) if value else state,
        "indicator": lambda: replace(state, year=None),
        "x": lambda: replace(state, scatter_year=None),
        "y": lambda: replace(state, scatter_year=None),
        "map": lambda: _map_toggle(state, value, peers),
    }
    step = updates.get(str(trigger).removeprefix(ids(""))) if trigger else None
    return step() if step else state


def _map_toggle(state: BenchmarkView, click, peers: list[str]) -> BenchmarkView:
    points = (click or {}).get("points") or [{}]
    code = points[0].get("location")
    if not code:
        return state
    if state.region is None:
        return state.with_region(str(code))
    return state.with_toggled(str(code), peers)


def control_values(state: BenchmarkView) -> dict:
    """The value of every control for a state (the hand-pick box is always emptied after use)."""
    return {"region": state.region, "methods": list(state.methods), "n": state.n,
            "xc": state.exclude_same_country, "scheme": state.scheme, "nat": state.include_national,
            "add": None, "indicator": state.indicator, "year": state.year, "x": state.x, "y": state.y,
            "sy": state.scatter_year}


def apply(current: BenchmarkView, trigger: Trigger, controls: dict, events: dict) -> BenchmarkView:
    """The view after an event: every control's value, then what the event itself does."""
    value = events.get("map") if trigger == "map" else controls.get(str(trigger))
    return transition(with_controls(current, controls), trigger, value, events.get("peers") or [])


def binding(context: PageContext) -> AddressBinding[BenchmarkView]:
    """How the benchmark's view plugs into the address controller (the store keeps its query)."""
    return AddressBinding(
        ids=ids, path=PATH, controls=CONTROLS,
        parse=lambda search: BenchmarkView.from_query(search, context.obs),
        query=lambda state: state.to_query(),
        control_values=control_values,
        apply=apply,
        reset=frozenset({"add"}),  # the hand-pick box empties once its region is added
        events={"map": Input(ids("map"), "clickData"),
                "remove": Input({"type": ids("remove"), "region": ALL}, "n_clicks"),
                "restore": Input({"type": ids("restore"), "region": ALL}, "n_clicks"),
                "peers": State(ids("peers"), "data")},
    )
