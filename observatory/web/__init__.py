"""The web layer: the one place that makes the app and speaks HTTP.

``server.create_app()`` loads the data, hands every page a ``PageContext`` and registers the pages
declared in ``observatory.pages``; ``routing`` (HTTP status of page URLs), ``api`` (read-only
JSON/CSV), ``security`` (headers, CSP), ``static_assets`` and ``plotly_bundle`` (what the browser
downloads). Nothing below this package imports it.
"""
