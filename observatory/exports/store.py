"""Rendered exports kept by URL and build: a second request for the same file is instant.

The key is the data build's id plus the export's path and query, so a new build never serves a
stale file and two spellings of a view are two entries (cheap: files are small). Where:

- on disk by default (``diskcache`` under ``<geodata>/cache/exports``, shared by every worker and
  background job on this machine, bounded in size, least recently used files evicted);
- in Redis when ``REDIS_URL`` is set (shared by several app servers and Celery workers; entries
  expire after :data:`TTL_SECONDS`).

A store that fails (Redis gone, disk full) makes exports slower, never broken: every error is a
miss, logged once per kind.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from observatory import config

log = logging.getLogger(__name__)

TTL_SECONDS = 7 * 24 * 3600
SIZE_LIMIT = int(os.environ.get("OBSERVATORY_EXPORT_CACHE_BYTES", str(512 * 1024 * 1024)))


def export_key(build: str, path: str, query: str) -> str:
    """The cache key of an export: build id, path and query (hashed: keys stay short)."""
    digest = hashlib.sha256(f"{path}?{query}".encode()).hexdigest()[:32]
    return f"s3o:export:{build}:{digest}"


class ExportStore:
    """get/set bytes by key; errors are misses."""

    def __init__(self) -> None:
        self._backend = None
        self._warned: set[str] = set()

    def _open(self):
        if self._backend is None:
            url = os.environ.get("REDIS_URL")
            if url:
                import redis

                self._backend = _RedisBackend(redis.Redis.from_url(url, socket_timeout=1,
                                                                   socket_connect_timeout=1))
            else:
                directory = Path(os.environ.get("OBSERVATORY_EXPORT_CACHE_DIR",
                                                config.GEODATA_DIR / "cache" / "exports"))
                import diskcache

                self._backend = _DiskBackend(diskcache.Cache(str(directory), size_limit=SIZE_LIMIT))
        return self._backend

    def _failed(self, action: str, exc: Exception) -> None:
        kind = f"{action}:{type(exc).__name__}"
        if kind not in self._warned:
            self._warned.add(kind)
            log.warning("export cache %s failed (%s: %s); serving without it", action,
                        type(exc).__name__, exc)

    def get(self, key: str) -> bytes | None:
        try:
            return self._open().get(key)
        except Exception as exc:
            self._failed("read", exc)
            return None

    def set(self, key: str, value: bytes) -> None:
        try:
            self._open().set(key, value)
        except Exception as exc:
            self._failed("write", exc)


class _DiskBackend:
    def __init__(self, cache) -> None:
        self.cache = cache

    def get(self, key: str) -> bytes | None:
        return self.cache.get(key)

    def set(self, key: str, value: bytes) -> None:
        self.cache.set(key, value, expire=TTL_SECONDS)


class _RedisBackend:
    def __init__(self, client) -> None:
        self.client = client

    def get(self, key: str) -> bytes | None:
        return self.client.get(key)

    def set(self, key: str, value: bytes) -> None:
        self.client.set(key, value, ex=TTL_SECONDS)


#: The app's store (opened on first use, in each process).
STORE = ExportStore()
