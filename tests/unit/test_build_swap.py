"""A build swapped in while serving: new requests are answered from it, requests in flight finish on
the build they started with, and nothing cached for the old build is served as the new one's.

Two copies of the real build under a temporary ``geodata`` (they differ in id and build date), the
``current`` link moved between them the way ``python -m observatory build`` moves it, and the
production app behind Flask's test client.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from observatory import config
from observatory.components import context as context_module

A, B, BROKEN = "20990101T000000000001", "20990102T000000000002", "20990103T000000000003"


def _copy(real: Path, builds: Path, name: str) -> Path:
    target = builds / name
    shutil.copytree(real, target)
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["built_at"] = f"{name[:4]}-{name[4:6]}-{name[6:8]}T00:00:00+00:00"
    (target / "manifest.json").write_text(json.dumps(manifest))
    return target


def _point(geodata: Path, name: str) -> None:
    """Move ``current`` atomically, as the build does."""
    link = geodata / "current.next"
    link.symlink_to(Path("builds") / name)
    link.replace(geodata / "current")


@pytest.fixture
def swapping_app(real_obs, tmp_path, monkeypatch):
    geodata = tmp_path / "geodata"
    builds = geodata / "builds"
    builds.mkdir(parents=True)
    for name in (A, B):
        _copy(real_obs.path, builds, name)
    broken = _copy(real_obs.path, builds, BROKEN)
    (broken / "regions.parquet").write_bytes(b"not parquet")
    _point(geodata, A)
    monkeypatch.setattr(config, "GEODATA_DIR", geodata)
    monkeypatch.setattr(context_module, "CHECK_SECONDS", 0.0)  # look at the link on every request
    from observatory.web.server import create_app

    app = create_app()
    return app.server, geodata


def _served(client, context) -> str:
    """Ask once (a request notices the link), let a swap finish, and say which build answers now."""
    client.get("/health")
    client.get("/ready")
    context.wait_for_swap()
    return client.get("/ready").get_json()["build"]


def test_a_new_build_is_served_without_a_restart_and_in_flight_requests_keep_theirs(swapping_app):
    server, geodata = swapping_app
    context = server.extensions["observatory"]
    client = server.test_client()
    assert client.get("/ready").get_json() == {"build": A, "built_at": "2099-01-01T00:00:00+00:00",
                                               "status": "ok"}
    before = client.get("/api/indicators.json")
    assert before.get_json()["build"] == A
    with server.test_request_context("/api/indicators.json"):
        in_flight = context.obs  # a request that has started on build A...
        _point(geodata, B)
        assert _served(client, context) == B  # ...while new requests get B once it is loaded
        assert context.obs is in_flight and in_flight.path.name == A  # ...still answers from A
    after = client.get("/api/indicators.json")
    assert after.status_code == 200 and after.get_json()["build"] == B
    assert after.headers["ETag"] != before.headers["ETag"]  # API answers are keyed by build
    page = client.get("/benchmark?region=AT11")
    assert page.status_code == 200
    boundaries = context.urls.boundaries(2)
    assert B in boundaries
    geo = client.get(boundaries)
    assert geo.status_code == 200 and "immutable" in geo.headers["Cache-Control"]
    # the derived tables of the new build were prepared before it served (not on a user's click)
    assert len(context.obs.derived) > 0


def test_a_broken_new_build_is_refused_and_the_old_one_keeps_serving(swapping_app, caplog):
    server, geodata = swapping_app
    context = server.extensions["observatory"]
    client = server.test_client()
    assert client.get("/ready").get_json()["build"] == A
    _point(geodata, BROKEN)
    assert _served(client, context) == A
    assert any(BROKEN in record.getMessage() and "still serving" in record.getMessage()
               for record in caplog.records)
    assert client.get("/api/indicators.json").status_code == 200
    _point(geodata, B)  # the next good build is taken
    assert _served(client, context) == B
