"""Static JavaScript and CSS: compressed once per process, cached by the browser.

Our plotly.js bundle alone is 1.4 MB (AG Grid's 1.3 MB). Compressing such files on every request
(as a generic compression middleware does) costs the server tens of milliseconds each time, and
not compressing them costs the network; so the compressed bytes are kept in memory, keyed by path
and content digest, and served with a Cache-Control lifetime. Dash already gives fingerprinted
URLs a one-year lifetime; other component files get an hour, revalidated by ETag after that.
"""

from __future__ import annotations

import gzip
import hashlib

from flask import Flask, Response, request

STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/")
#: Static files compressed here; the build's GeoJSON keeps the Cache-Control its route sets.
COMPRESSED_PREFIXES = (*STATIC_PREFIXES, "/geo/")
COMPRESSIBLE = ("javascript", "text/css", "application/json", "application/geo+json")
SHORT_LIFETIME = "public, max-age=3600"
MIN_SIZE = 1024


_COMPRESSED: dict[tuple[str, str], bytes] = {}
MAX_CACHED = 64


def _gzipped(path: str, digest: str, body: bytes) -> bytes:
    """gzip of a static body, compressed once per (path, content digest)."""
    key = (path, digest)
    if key not in _COMPRESSED:
        if len(_COMPRESSED) >= MAX_CACHED:
            _COMPRESSED.pop(next(iter(_COMPRESSED)))
        _COMPRESSED[key] = gzip.compress(body, compresslevel=6, mtime=0)
    return _COMPRESSED[key]


def install_static_assets(server: Flask) -> None:
    """Register the hook; must run after ``Compress(server)`` so it sees responses first."""

    @server.after_request
    def _static(response: Response) -> Response:
        if (
            request.method != "GET"
            or response.status_code != 200
            or not request.path.startswith(COMPRESSED_PREFIXES)
        ):
            return response
        if request.path.startswith(STATIC_PREFIXES) and "no-cache" in response.headers.get(
            "Cache-Control", "no-cache"
        ):
            # Flask's send_file marks files without a max_age "no-cache" (Dash's /assets/ files):
            # they carry Dash's ?m=<mtime> fingerprint, so an hour between revalidations is safe.
            response.headers["Cache-Control"] = SHORT_LIFETIME
        accepts_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
        if not accepts_gzip or "Content-Encoding" in response.headers:
            return response
        if not any(kind in (response.mimetype or "") for kind in COMPRESSIBLE):
            return response
        response.direct_passthrough = False
        body = response.get_data()
        if len(body) < MIN_SIZE:
            return response
        digest = hashlib.blake2b(body, digest_size=16).hexdigest()
        response.set_data(_gzipped(request.path, digest, body))
        response.headers["Content-Encoding"] = "gzip"
        response.headers.add("Vary", "Accept-Encoding")
        if "ETag" not in response.headers:
            response.set_etag(digest)
        return response
