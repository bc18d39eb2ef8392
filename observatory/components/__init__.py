"""Components: the Dash pieces pages share, and the context pages are handed.

``context`` (``PageContext``: the data build, its static URLs, the app's address prefix),
``url_state`` (the one address controller for pages whose view lives in the URL), ``address``
(a page's own ``dcc.Location``), ``cards`` and ``alerts`` (reusable blocks), ``ids`` (namespaced
component ids). Nothing here imports a page or the web server.
"""
