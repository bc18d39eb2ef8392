"""HTTP security headers, including a Content Security Policy that explains each exception.

The app makes no external requests: every script, style, font and the map boundaries come from
this origin, so ``default-src 'self'`` holds, with these documented exceptions:

- No ``'unsafe-eval'``: nothing the app runs builds code from strings. The full plotly.js needed
  it (its WebGL traces compile code with ``new Function``); our partial bundle has none of those.
  Dash evaluates *inline* clientside callbacks (JavaScript in a Python string) with ``eval``, so
  clientside callbacks are functions in ``assets/`` called through ``ClientsideFunction``.
  The browser tests run under this policy and fail on any violation.
- ``script-src`` hashes: Dash renders two small inline scripts (renderer config and start-up);
  their sha256 hashes, computed by Dash itself, are allowed rather than ``'unsafe-inline'``.
- ``style-src 'unsafe-inline'``: plotly.js and React set inline ``style`` attributes for layout.
- ``img-src data: blob:``: plotly's "download as PNG/SVG" builds images as data/blob URLs.
- ``frame-ancestors``: ``'none'`` everywhere except ``/embed/...`` views, which exist to be framed:
  there it is ``OBSERVATORY_EMBED_ANCESTORS`` (default ``*``: any site may embed a chart; a
  government site may restrict it to its own domains, e.g. ``https://*.example.eu``).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from flask import Flask, Response, request

#: Sent only on HTTPS responses: browsers then refuse plain HTTP to this host for a year.
HSTS = "max-age=31536000"

#: Who may frame ``/embed/...`` (space-separated CSP sources), env ``OBSERVATORY_EMBED_ANCESTORS``.
EMBED_ANCESTORS = os.environ.get("OBSERVATORY_EMBED_ANCESTORS", "*").split()

#: Responses a browser renders as a document: only these get the CSP and the framing rule. For a
#: script, a stylesheet or JSON, the browser ignores a CSP header (the page's own policy governs
#: what it loads); sent anyway it cost about 430 bytes a response, ~9 KB on a first visit.
DOCUMENT_TYPES = ("text/html", "image/svg+xml")

BASE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def content_security_policy(script_hashes: list[str], *, embeddable: bool) -> str:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": (EMBED_ANCESTORS or ["'none'"]) if embeddable else ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def install_security_headers(server: Flask, script_hashes: Callable[[], list[str]]) -> None:
    """Add the headers to every response.

    ``script_hashes`` is called once, at the first response: Dash finishes assembling its inline
    scripts (clientside callbacks of pages included) when it serves its first request, so hashes
    taken earlier would miss some and the browser would block them.
    """
    policies: dict[bool, str] = {}

    @server.after_request
    def _headers(response: Response) -> Response:
        if not policies:
            hashes = script_hashes()
            policies[False] = content_security_policy(hashes, embeddable=False)
            policies[True] = content_security_policy(hashes, embeddable=True)
        embeddable = request.path.startswith("/embed/")
        for name, value in BASE_HEADERS.items():
            response.headers.setdefault(name, value)
        if response.mimetype in DOCUMENT_TYPES:
            response.headers["Content-Security-Policy"] = policies[embeddable]
            if not embeddable:
                response.headers.setdefault("X-Frame-Options", "DENY")
        if request.is_secure:  # over HTTPS (directly, or behind a proxy with OBSERVATORY_PROXY_HOPS)
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
