"""Static JavaScript, CSS and GeoJSON: compressed once, cached by the browser.

Our plotly.js bundle alone is 1.4 MB (AG Grid's 1.3 MB). Compressing such files on every request
(as a generic compression middleware does) costs the server tens of milliseconds each time, and
not compressing them costs the network; so the compressed bytes are kept in memory, keyed by path
and content digest, and served with a Cache-Control lifetime. Dash already gives fingerprinted
URLs a one-year lifetime; other component files get an hour, revalidated by ETag after that.

Browsers that accept Brotli get it at its highest quality: on a first visit to the map it moves
about 15 % fewer bytes than gzip (the plotly bundle 404 KB instead of 494 KB). That quality is
slow (about 2 s for the plotly bundle), so each file is compressed once and also kept on disk
(:data:`CACHE_DIR`, by content digest: a restart or another worker reuses it), and
:func:`precompress` does it for every file of the pages before the first visitor comes
(``gunicorn.conf.py`` runs it in the master, whose memory the workers share). gzip remains for
clients without Brotli.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tempfile
from pathlib import Path

import dash
from dash.fingerprint import check_fingerprint
from flask import Flask, Response, abort, request

from observatory.components.shell import set_asset_combiner
from observatory.config import REPO_ROOT

try:  # flask-compress brings it; without it, gzip only
    import brotli
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/")
#: Our own files (combined assets, :func:`combine_assets`), under the app's prefix.
COMBINED_ROUTE = "/_dash-observatory-assets/<name>"
#: Static files compressed here; the build's GeoJSON keeps the Cache-Control its route sets.
COMPRESSED_PREFIXES = (*STATIC_PREFIXES, "/geo/", "/_favicon.ico", "/_dash-observatory-assets/")
ASSETS_DIR = REPO_ROOT / "assets"
YEAR = "public, max-age=31536000, immutable"
COMPRESSIBLE = ("javascript", "text/css", "application/json", "application/geo+json", "image/x-icon",
                "image/vnd.microsoft.icon")
SHORT_LIFETIME = "public, max-age=3600"
MIN_SIZE = 1024
BROTLI_QUALITY = int(os.environ.get("OBSERVATORY_BROTLI_QUALITY", "11"))
#: Brotli results by content digest, shared by processes and restarts (empty: memory only).
CACHE_DIR = os.environ.get("OBSERVATORY_STATIC_CACHE_DIR",
                           str(Path.home() / ".cache" / "s3-observatory" / "static"))


_COMPRESSED: dict[tuple[str, str, str], bytes] = {}
MAX_CACHED = 96


def _remember(key: tuple[str, str, str], data: bytes) -> bytes:
    if len(_COMPRESSED) >= MAX_CACHED:
        _COMPRESSED.pop(next(iter(_COMPRESSED)))
    _COMPRESSED[key] = data
    return data


def _gzipped(path: str, digest: str, body: bytes) -> bytes:
    """gzip of a static body, compressed once per (path, content digest)."""
    key = ("gzip", path, digest)
    if key in _COMPRESSED:
        return _COMPRESSED[key]
    return _remember(key, gzip.compress(body, compresslevel=6, mtime=0))


def _brotlied(path: str, digest: str, body: bytes) -> bytes:
    """Brotli of a static body at :data:`BROTLI_QUALITY`: from memory, else the disk cache, else made
    once and written to both (written atomically: concurrent workers never read half a file)."""
    key = ("br", path, digest)
    if key in _COMPRESSED:
        return _COMPRESSED[key]
    file = Path(CACHE_DIR) / f"{digest}.q{BROTLI_QUALITY}.br" if CACHE_DIR else None
    if file is not None and file.is_file():
        return _remember(key, file.read_bytes())
    data = brotli.compress(body, quality=BROTLI_QUALITY)
    if file is not None:
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=file.parent, delete=False) as handle:
                handle.write(data)
            Path(handle.name).replace(file)
        except OSError:  # a read-only home: memory only
            pass
    return _remember(key, data)


def _encoding(accept: str) -> str | None:
    """``br`` or ``gzip`` (the first the client accepts, in that order), or None."""
    accepted = {part.split(";")[0].strip().lower() for part in accept.split(",")}
    if brotli is not None and "br" in accepted:
        return "br"
    return "gzip" if "gzip" in accepted else None


_STATIC_URL = re.compile(r'(?:src|href|data-src)="'
                         r'(/(?:_dash-component-suites|assets|_dash-observatory-assets)/[^"]+)"')


# -- Dash's asset files, combined ---------------------------------------------------------------------
#
# Dash links every file of ``assets/`` on its own: nine small scripts and stylesheets (a few KB
# each) that cost a request, a connection slot and about 1 KB of headers apiece on a first visit.
# The page's consecutive asset scripts (and stylesheets) become one file, in the same order, whose
# URL names the files and the digest of their content: cached for a year, a changed file is a new
# URL. Any worker can answer it (it reads the files the URL names), whichever rendered the page.

_ASSET_TAGS = {
    # Dash's React, ReactDOM and prop-types (fingerprinted by Dash; the polyfill is ``nomodule``)
    "deps": re.compile(r'<script src="(?P<prefix>[^"]*?)_dash-component-suites/dash/deps/'
                       r'(?P<name>(?:react|react-dom|prop-types)@[\w.]+\.js)"></script>'),
    "js": re.compile(r'<script src="(?P<prefix>[^"]*?)assets/(?P<name>[\w./-]+\.js)\?m=[\d.]+"></script>'),
    "css": re.compile(r'<link rel="stylesheet" href="(?P<prefix>[^"]*?)assets/(?P<name>[\w./-]+\.css)'
                      r'\?m=[\d.]+">'),
}
_SEPARATOR = {"js": b"\n;\n", "deps": b"\n;\n", "css": b"\n"}
_MIMETYPES = {"js": "text/javascript", "deps": "text/javascript", "css": "text/css"}
DASH_DEPS_DIR = Path(dash.__file__).parent / "deps"
_COMBINED: dict[tuple[str, ...], str] = {}


def _asset_files(names: list[str], kind: str = "js") -> list[Path] | None:
    """The files of ``assets/`` (or, for ``deps``, Dash's dependencies, by their fingerprinted names)
    with these names, or None when one is not such a file."""
    root = (DASH_DEPS_DIR if kind == "deps" else ASSETS_DIR).resolve()
    if kind == "deps":
        names = [check_fingerprint(name)[0] for name in names]
    try:  # a crafted name (a NUL byte, 10 KB long) is no file, never an error
        files = [(root / name).resolve() for name in names]
        if not all(file.is_relative_to(root) and file.is_file() for file in files):
            return None
    except (OSError, ValueError):
        return None
    return files


def _combined(kind: str, files: list[Path]) -> bytes:
    return b"".join(file.read_bytes() + _SEPARATOR[kind] for file in files)


def combine_assets(fragment: str) -> str:
    """The index's ``{%scripts%}`` or ``{%css%}`` with each run of consecutive asset tags made one tag."""
    for kind, pattern in _ASSET_TAGS.items():
        runs: list[list[re.Match]] = []
        for match in pattern.finditer(fragment):
            if runs and not fragment[runs[-1][-1].end():match.start()].strip():
                runs[-1].append(match)
            else:
                runs.append([match])
        for run in reversed([r for r in runs if len(r) > 1]):
            key = (kind, *(m.group(0) for m in run))
            if key not in _COMBINED:
                names = [m["name"] for m in run]
                files = _asset_files(names, kind)
                if files is None:
                    continue
                digest = hashlib.blake2b(_combined(kind, files), digest_size=8).hexdigest()
                url = f"{run[0]['prefix']}_dash-observatory-assets/{digest}.{kind}?f={','.join(names)}"
                _COMBINED[key] = (f'<script src="{url}"></script>' if kind != "css"
                                  else f'<link rel="stylesheet" href="{url}">')
            fragment = fragment[:run[0].start()] + _COMBINED[key] + fragment[run[-1].end():]
    return fragment


def _serve_combined(name: str) -> Response:
    digest, _, kind = name.partition(".")
    if kind not in _SEPARATOR:
        abort(404)
    files = _asset_files([n for n in request.args.get("f", "").split(",") if n], kind)
    if not files or any(not f.name.endswith(".css" if kind == "css" else ".js") for f in files):
        abort(404)
    body = _combined(kind, files)
    response = Response(body, mimetype=_MIMETYPES[kind])
    current = hashlib.blake2b(body, digest_size=8).hexdigest() == digest
    # an old page's URL (a file changed since) gets today's files, not for a year
    response.headers["Cache-Control"] = YEAR if current else SHORT_LIFETIME
    return response


def precompress(server: Flask, pages: tuple[str, ...] = ("/", "/strategies"), extra: tuple[str, ...] = ()
                ) -> int:
    """Compress now every static file the ``pages`` load (and the ``extra`` URLs, e.g. the build's
    boundaries), so no visitor waits for it; returns how many were compressed. Runs requests through
    the app itself, so it compresses exactly what a browser would get."""
    headers = {"Accept-Encoding": "br, gzip"}
    urls: list[str] = list(extra)
    with server.test_client() as client:
        for page in pages:
            urls += _STATIC_URL.findall(client.get(page).get_data(as_text=True))
        done = 0
        for url in dict.fromkeys(urls):
            response = client.get(url, headers=headers)
            done += response.status_code == 200 and "Content-Encoding" in response.headers
    return done


def install_static_assets(server: Flask) -> None:
    """Register the hook; must run after ``Compress(server)`` so it sees responses first."""
    set_asset_combiner(combine_assets)
    server.add_url_rule(COMBINED_ROUTE, "observatory_combined_assets", _serve_combined)

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
        encoding = _encoding(request.headers.get("Accept-Encoding", ""))
        if encoding is None or "Content-Encoding" in response.headers:
            return response
        if not any(kind in (response.mimetype or "") for kind in COMPRESSIBLE):
            return response
        response.direct_passthrough = False
        body = response.get_data()
        if len(body) < MIN_SIZE:
            return response
        digest = hashlib.blake2b(body, digest_size=16).hexdigest()
        compress = _brotlied if encoding == "br" else _gzipped
        response.set_data(compress(request.path, digest, body))
        response.headers["Content-Encoding"] = encoding
        response.headers.add("Vary", "Accept-Encoding")
        if "ETag" not in response.headers:
            response.set_etag(digest)
        return response
