"""View state: each page's whole state as one frozen, serialisable object that the URL carries.

A state class parses a query string into itself (collecting a message for every parameter it had
to reject, then falling back to a default), and writes itself back as a readable query string.
Figures are pure functions of (data, state); permalinks, embeds and exports reuse the same state,
and the address controller (``observatory.components.url_state``) keeps it in step with the URL.
``map_view`` (the map explorer), ``benchmark_view``, ``repository_view`` (the strategies table),
``query`` (the shared, never-raising parameter parsing).
"""
