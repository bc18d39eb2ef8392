"""One address controller for every page whose whole view lives in its URL.

A page's view state is one frozen object (``observatory.state``) that parses itself from a query
string and writes itself back. The controller keeps three things in step, in ONE callback per
change, so the page costs one request per interaction:

- the address (``dcc.Location`` with ``refresh=False``): a control change writes it; back/forward or
  a link to the page itself changes it, and then the controls follow;
- the state store (``dcc.Store``): the state the page is drawn for;
- the controls: each is sent a value only when it does not already show it, and never the control
  the user is working in (whatever is being typed or ticked stays as it is; only ``reset`` controls,
  such as a "hand-pick a region" box, are emptied after use).

A page plugs in with an :class:`AddressBinding` (how to parse, write and apply its state; which
controls it has) and a ``render`` function that returns the page's own outputs for a change as a
dict. Everything a request claims is re-validated by a round trip through the query string, so a
tampered request can never put an unchecked value into the state.

:func:`next_address` is the controller's whole decision, a plain function that the unit tests call
without Dash; :func:`register_address` wires it to a page's components.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import dash
from dash import Input, Output, State, dcc, no_update
from dash.exceptions import PreventUpdate

from observatory.components.address import page_location
from observatory.components.context import PageContext
from observatory.components.ids import Ids

S = TypeVar("S")

#: What a change's trigger is called: a control's or event's name (its id without the page's
#: namespace), a pattern-matching id as a dict, or None for the address itself.
Trigger = str | dict | None


@dataclass(frozen=True)
class AddressBinding(Generic[S]):
    """How one page's view state plugs into the controller.

    - ``parse(query)``: the state for a query string and a message for every rejected parameter
      (never raises);
    - ``query(state)``: the canonical query string (``""`` or ``"?a=b"``);
    - ``control_values(state)``: what each control in ``controls`` shows for a state;
    - ``apply(current, trigger, controls, events)``: the next state after ``trigger`` fired, given
      every control's current value and the ``events`` values (clicks, stores);
    - ``dump``/``load``: the state to and from the store (default: its query string).
    """

    ids: Ids
    path: str
    controls: tuple[str, ...]
    parse: Callable[[str | None], tuple[S, list[str]]]
    query: Callable[[S], str]
    control_values: Callable[[S], dict[str, Any]]
    apply: Callable[[S, Trigger, dict[str, Any], dict[str, Any]], S]
    events: Mapping[str, Input | State] = field(default_factory=dict)
    dump: Callable[[S], Any] | None = None
    load: Callable[[Any], S | None] | None = None
    alerts: str = "alerts"  # id suffix of the container of the messages about rejected parameters
    reset: frozenset[str] = frozenset()  # controls emptied after use, even when they triggered

    def stored(self, state: S) -> Any:
        return self.dump(state) if self.dump else self.query(state)

    def restore(self, data: Any) -> S | None:
        if data is None:  # "" is a state too: the default view's empty query
            return None
        if self.load:
            return self.load(data)
        return self.parse(str(data))[0]


@dataclass(frozen=True)
class AddressUpdate(Generic[S]):
    """The controller's decision for one change."""

    drawn: S | None  # the state the page showed before
    state: S  # the state it shows now
    errors: list[str]  # messages for the parameters that could not be used
    from_url: bool  # the address changed (back/forward, a link), not a control
    url: str | None  # the query string to write to the address, None to leave it
    controls: dict[str, Any]  # control name -> value to send, or no_update


def next_address(binding: AddressBinding[S], *, trigger: Trigger, search: str | None,
                 controls: Mapping[str, Any], events: Mapping[str, Any], stored: Any,
                 on_page: bool, fired: bool = True) -> AddressUpdate[S] | None:
    """What to do after ``trigger`` fired; None when nothing needs to change.

    ``on_page``: whether the address is still this page's (every Location reports a navigation,
    including the one of the page being left: that page must not redraw itself with another
    page's query). ``fired``: False for a pattern-matching button that merely (re)appeared with
    ``n_clicks=0``, which is not a click.
    """
    drawn = binding.restore(stored)
    if trigger is None:  # the address changed under the page
        if not on_page:
            return None
        state, errors = binding.parse(search)
        if state == drawn:  # the address the page was drawn from, reported by its Location
            return None
    else:
        if isinstance(trigger, dict) and not fired:
            return None
        current = drawn if drawn is not None else binding.parse(None)[0]
        moved = binding.apply(current, trigger, dict(controls), dict(events))
        state, errors = binding.parse(binding.query(moved))  # whatever a request claims is re-checked
    wanted = binding.control_values(state)
    sends = {name: (no_update if controls.get(name) == value
                    or (name == trigger and name not in binding.reset) else value)
             for name, value in wanted.items()}
    if state == drawn and all(value is no_update for value in sends.values()):
        return None
    query = binding.query(state)
    url = None if trigger is None or (search or "") == query else query
    return AddressUpdate(drawn, state, errors, trigger is None, url, sends)


def address_components(binding: AddressBinding[S], state: S) -> list:
    """The page's own Location (started in step with the address) and its state store."""
    return [page_location(binding.ids("url")), dcc.Store(id=binding.ids("state"), data=binding.stored(state))]


def register_address(app: dash.Dash, context: PageContext, binding: AddressBinding[S], *,
                     outputs: Mapping[str, Output], render: Callable[[AddressUpdate[S]], dict[str, Any]],
                     messages: Callable[[list[str]], Any]) -> None:
    """The page's address callback: the controller's decision, then the page's ``render`` outputs.

    ``outputs``: the page's own outputs by name; ``render(update)`` returns a value (or
    ``no_update``) for each. ``messages(errors)`` draws the alert about rejected parameters.
    """
    ids = binding.ids
    control_outputs = {name: Output(ids(name), "value") for name in binding.controls}
    callback_outputs = {
        "search": Output(ids("url"), "search"),
        "state": Output(ids("state"), "data"),
        "alerts": Output(ids(binding.alerts), "children"),
        "controls": control_outputs,
        "page": dict(outputs),
    }
    callback_inputs = {
        "search": Input(ids("url"), "search"),
        "controls": {name: Input(ids(name), "value") for name in binding.controls},
        "stored": State(ids("state"), "data"),
        "pathname": State(ids("url"), "pathname"),
    }
    if binding.events:
        callback_inputs["events"] = dict(binding.events)

    def sync(search, controls, stored, pathname, events=None):
        triggered = dash.ctx.triggered_id
        if triggered is None:  # nothing fired (Dash reports no trigger): nothing to do
            raise PreventUpdate
        trigger = None if triggered == ids("url") else (
            triggered if isinstance(triggered, dict) else str(triggered).removeprefix(ids("")))
        fired = bool(dash.ctx.triggered and dash.ctx.triggered[0].get("value"))
        update = next_address(binding, trigger=trigger, search=search, controls=controls or {},
                              events=events or {}, stored=stored,
                              on_page=context.is_page(pathname, binding.path), fired=fired)
        if update is None:
            raise PreventUpdate
        return {
            "search": update.url if update.url is not None else no_update,
            "state": binding.stored(update.state),
            "alerts": messages(update.errors),
            "controls": update.controls,
            "page": render(update),
        }

    app.callback(output=callback_outputs, inputs=callback_inputs, prevent_initial_call=True)(sync)
