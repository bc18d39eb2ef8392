"""Results derived from one data build, kept exactly as long as that build is loaded.

Pages and analyses compute tables from the model that do not change until the data does: the
structural matrix behind peer search, the priority term sets, option lists for controls, the
repository tables. They are worth computing once, and they must never outlive their build (a
new build brings a new :class:`~observatory.model.Observatory`, hence a new, empty store).

So the store belongs to the ``Observatory`` (``obs.derived``) instead of module-level
``lru_cache``s keyed on the model object: no cache survives its data, no module holds a hidden
reference to an old build, and a test that loads its own small ``Observatory`` gets its own store.

The model cannot know the analyses (they sit above it), so the store is generic: a caller names
the function that computes a result and its arguments, and gets the same object back on every
later call with the same function and arguments.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: Derived results kept at once per build. The keys come from small, validated domains (an
#: indicator and a level, a country, a taxonomy scheme): the bound only keeps a flood of unusual
#: requests from growing the store without end; the least recently used result goes first.
MAX_ENTRIES = 2048


class DerivedStore:
    """``get(compute, *args)`` returns ``compute(owner, *args)``, computed once per build."""

    def __init__(self, owner: object, max_entries: int = MAX_ENTRIES) -> None:
        self._owner = owner
        self._max = max_entries
        self._results: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()  # guards the two dicts only, never held while computing
        # One lock per result being computed: two threads asking for the same large table (a gthread
        # worker's first benchmark requests) compute it once; other lookups never wait for it.
        # Re-entrant, as a result may be computed from another one (profile references from the
        # structural matrix).
        self._computing: dict[tuple, threading.RLock] = {}

    def get(self, compute: Callable[..., T], *args: Hashable) -> T:
        # Keyed on the function itself: two lambdas or closures never share a result.
        key = (compute, args)
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
            key_lock = self._computing.setdefault(key, threading.RLock())
        with key_lock:
            with self._lock:
                if key in self._results:  # computed by another thread meanwhile
                    return self._results[key]
            result = compute(self._owner, *args)
            with self._lock:
                self._results[key] = result
                self._computing.pop(key, None)
                if len(self._results) > self._max:
                    self._results.popitem(last=False)
            return result

    def __len__(self) -> int:
        return len(self._results)
