"""The callback cache: repeated requests answered from it, keyed by build; Redis down and back.

The Redis tests start a real ``redis-server`` (Debian package) on a free loopback port in a
temporary directory, and stop it themselves; they are skipped where it is not installed.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time

import pytest

from observatory.web.cache import HIT_HEADER
from tests.unit.test_production_http import _router_body


def _post(client, body: bytes):
    return client.post("/_dash-update-component", data=body, content_type="application/json")


def test_a_repeated_callback_is_answered_from_the_cache(client):
    body = _router_body(client, "?level=3&indicator=population_density")
    first = _post(client, body)
    again = _post(client, body)
    assert first.status_code == again.status_code == 200
    assert first.headers.get(HIT_HEADER) is None and again.headers.get(HIT_HEADER) == "hit"
    assert again.get_json() == first.get_json()
    other = _post(client, _router_body(client, "?level=2&indicator=population_density"))
    assert other.headers.get(HIT_HEADER) is None and other.get_json() != first.get_json()


def test_rejected_and_empty_answers_are_not_kept(client):
    body = _router_body(client, 12345)
    assert _post(client, body).status_code == 400
    assert _post(client, body).headers.get(HIT_HEADER) is None


REDIS = shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis(port: int, workdir) -> subprocess.Popen:
    process = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(workdir)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("redis-server did not start")


@pytest.mark.skipif(REDIS is None, reason="redis-server (Debian package) is not installed")
def test_redis_cache_shared_survives_an_outage_and_resumes(tmp_path, obs, small_obs, monkeypatch):
    pytest.importorskip("redis")
    from observatory.web import cache as cache_module
    from observatory.web.server import create_app

    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"
    monkeypatch.setattr(cache_module, "REDIS_URL", url)
    monkeypatch.setattr(cache_module, "RETRY_SECONDS", 0.5)
    redis = _start_redis(port, tmp_path)
    try:
        one = create_app().server.test_client()
        two = create_app().server.test_client()  # a second app server sharing the same Redis
        body = _router_body(one, "?level=1&indicator=median_age")
        first = _post(one, body)
        assert first.status_code == 200 and first.headers.get(HIT_HEADER) is None
        shared = _post(two, body)
        assert shared.headers.get(HIT_HEADER) == "hit" and shared.get_json() == first.get_json()

        redis.terminate()
        redis.wait(timeout=10)
        started = time.monotonic()
        down = _post(one, _router_body(one, "?level=0&indicator=median_age"))
        assert down.status_code == 200 and down.headers.get(HIT_HEADER) is None  # served without the cache
        assert _post(one, body).status_code == 200
        assert time.monotonic() - started < 5  # short timeouts, then skipped: no request waits on Redis

        redis = _start_redis(port, tmp_path)
        time.sleep(0.6)  # past RETRY_SECONDS
        _post(one, body)  # computed (the restarted Redis is empty) and stored again
        assert _post(two, body).headers.get(HIT_HEADER) == "hit"

        other_build = create_app(observatory=small_obs).server.test_client()  # same Redis, other build
        assert _post(other_build, body).headers.get(HIT_HEADER) is None
    finally:
        redis.terminate()
        redis.wait(timeout=10)


def test_cache_config_picks_redis_only_when_asked():
    from observatory.web.cache import cache_config

    assert cache_config("")["CACHE_TYPE"] == "SimpleCache"
    assert cache_config("redis://127.0.0.1:1/0")["CACHE_TYPE"] == "RedisCache"
    assert json.dumps(cache_config(""))  # plain settings, nothing live


def test_background_callback_polls_are_never_cached(client):
    body = _router_body(client, "?level=2&indicator=median_age")
    _post(client, body)
    polled = client.post("/_dash-update-component?cacheKey=abc&job=1", data=body,
                         content_type="application/json")
    assert polled.headers.get(HIT_HEADER) is None
    page_load = client.post("/_dash-update-component?endId=xyz", data=body, content_type="application/json")
    assert page_load.headers.get(HIT_HEADER) == "hit"  # the renderer's per-page endId does not matter
