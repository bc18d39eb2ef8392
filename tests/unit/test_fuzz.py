"""Bounded fuzz (fixed seed, a few hundred cases): no crafted callback or URL gets a 5xx or leaks.

The full run (10,000 callbacks, 1,000 URLs) is ``bench/bench_fuzz.py``; this is the same generator,
small enough for every test run (well under a minute).
"""

from __future__ import annotations

import logging

import pytest

from bench.bench_fuzz import callback_cases, leaks, run, url_cases


@pytest.fixture(scope="module")
def dependencies(client):
    return client.get("/_dash-dependencies").get_json()


@pytest.fixture(scope="module")
def send(client):
    def _send(method, path, body):
        response = (client.post(path, data=body, content_type="application/json") if method == "POST"
                    else client.get(path))
        return response.status_code, dict(response.headers), response.get_data()

    return _send


def test_bounded_fuzz_gives_no_5xx_and_no_leak(send, dependencies, caplog):
    caplog.set_level(logging.INFO)
    result = run(send, dependencies, callbacks=400, urls=200, seed=20261204)
    assert result["server_errors"] == 0, result["failures"][:3]
    assert result["failures"] == [], result["failures"][:3]
    assert result["statuses"].get("callback 200", 0) > 20  # the generator still reaches real callbacks
    # One log line per rejected request, never a traceback.
    assert not [r for r in caplog.records if r.exc_info], "a rejected request logged a traceback"
    assert all("\n" not in r.getMessage() for r in caplog.records if r.name.startswith("observatory"))


def test_generator_is_deterministic(dependencies):
    import random

    first = list(callback_cases(dependencies, 50, random.Random(7)))
    again = list(callback_cases(dependencies, 50, random.Random(7)))
    assert first == again
    assert len(list(url_cases(30, random.Random(7)))) == 30


def test_leak_detector_detects():
    assert leaks(200, {}, b'Traceback (most recent call last):\n  File "/x.py"') is not None
    assert leaks(200, {"Server": "gunicorn"}, b"") == "Server header"
    assert leaks(200, {}, b"fine") is None
