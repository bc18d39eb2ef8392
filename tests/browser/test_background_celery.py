"""Background jobs on Celery with Redis: a second app server and a Celery worker share a real
``redis-server`` (Debian package, started and stopped here); the deck prepared on the benchmark
page runs on the worker, not in the web process."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from observatory.config import REPO_ROOT
from tests.browser.conftest import fresh_page

REDIS = shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_port(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


@pytest.mark.skipif(REDIS is None, reason="redis-server (Debian package) is installed by ./run test")
def test_deck_job_runs_on_a_celery_worker(browser, console, obs, tmp_path, monkeypatch):
    port = _free_port()
    redis = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", str(tmp_path)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = None
    server = None
    try:
        _wait_port(port)
        broker = f"redis://127.0.0.1:{port}/1"
        env = {**os.environ, "CELERY_BROKER_URL": broker, "REDIS_URL": f"redis://127.0.0.1:{port}/0",
               "PYTHONPATH": str(REPO_ROOT)}
        log = (tmp_path / "worker.log").open("w")
        worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "app:celery_app", "worker",
                                   "--pool=solo", "--concurrency=1", "--without-gossip", "--without-mingle",
                                   "--loglevel=INFO"],
                                  cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        monkeypatch.setenv("CELERY_BROKER_URL", broker)
        from observatory.web.server import create_app

        app = create_app(observatory=obs)
        assert app.celery_app is not None
        server = make_server("127.0.0.1", 0, app.server, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with fresh_page(browser, console, base) as page:
            page.goto("/benchmark?region=AT13&ind=gdp_pc_pps_eu")
            expect(page.locator("#bench-bars .bar, #bench-bars .point").first).to_be_attached(timeout=30_000)
            page.get_by_role("button", name="Prepare the benchmark as a PowerPoint deck").click()
            expect(page.locator("#bench-deck-file")).to_be_visible(timeout=120_000)
        log.flush()
        text = (tmp_path / "worker.log").read_text()
        assert "succeeded" in text, text[-3000:]  # the worker ran the job
    finally:
        if server is not None:
            server.shutdown()
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        redis.terminate()
        redis.wait(timeout=10)
