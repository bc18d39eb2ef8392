"""The production server as operators run it: ``gunicorn app:server`` with ``gunicorn.conf.py``.

Each test starts a real gunicorn on a free loopback port (a few seconds: the data is loaded once in
the master) and stops it; nothing leaves 127.0.0.1. They check what only a real server shows:
start-up on bad data, slow clients, the headers gunicorn itself adds.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from observatory.config import REPO_ROOT

GUNICORN = REPO_ROOT / ".venv" / "bin" / "gunicorn"
START_SECONDS = 60

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed in .venv")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, timeout: float = 5.0) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@contextmanager
def gunicorn(env: dict[str, str] | None = None, *, wait: bool = True):
    """A gunicorn serving the app on a free port; yields (process, port, log path)."""
    port = _free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"observatory-gunicorn-{port}.log"
    full_env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "WEB_CONCURRENCY": "2",
                "GUNICORN_ACCESS_LOG": "", **(env or {})}
    with log.open("wb") as out:
        process = subprocess.Popen([str(GUNICORN), "app:server"], cwd=REPO_ROOT, env=full_env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        if wait:
            deadline = time.monotonic() + START_SECONDS
            while True:
                assert process.poll() is None, log.read_text()[-2000:]
                try:
                    if _get(port, "/health", timeout=2).status == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        yield process, port, log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.unlink(missing_ok=True)


def _geodata_copy(tmp_path: Path, obs) -> Path:
    geodata = tmp_path / "geodata"
    shutil.copytree(obs.path, geodata / "builds" / "copy")
    (geodata / "current").symlink_to(Path("builds") / "copy")
    return geodata


def _start_fails(tmp_path: Path, geodata: Path) -> tuple[int, str]:
    with gunicorn({"OBSERVATORY_GEODATA_DIR": str(geodata)}, wait=False) as (process, _, log):
        code = process.wait(timeout=START_SECONDS)
        return code, log.read_text()


def test_a_corrupt_parquet_stops_the_server_with_one_line(tmp_path, obs):
    geodata = _geodata_copy(tmp_path, obs)
    target = geodata / "current" / "strategies.parquet"
    target.write_bytes(target.read_bytes()[:300])
    code, output = _start_fails(tmp_path, geodata)
    assert code == 3, output
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if "strategies.parquet" in line]
    assert lines and "python -m observatory build" in lines[-1]


def test_a_wrong_schema_names_its_file(tmp_path, obs):
    import pandas as pd

    geodata = _geodata_copy(tmp_path, obs)
    target = geodata / "current" / "regions.parquet"
    pd.read_parquet(target).rename(columns={"nuts_id": "code"}).to_parquet(target)
    code, output = _start_fails(tmp_path, geodata)
    assert code == 3 and "Traceback" not in output and "KeyError" not in output
    assert "regions.parquet lacks the column(s) nuts_id" in output


def test_a_missing_build_stops_the_server_or_answers_503(tmp_path):
    empty = tmp_path / "empty-geodata"
    empty.mkdir()
    code, output = _start_fails(tmp_path, empty)
    assert code == 3 and "Traceback" not in output
    assert "No built data" in output and "python -m observatory build" in output
    serve_anyway = {"OBSERVATORY_GEODATA_DIR": str(empty), "OBSERVATORY_REQUIRE_DATA": "0"}
    with gunicorn(serve_anyway) as (_, port, _log):
        ready = _get(port, "/ready")
        assert ready.status == 503 and ready.getheader("Retry-After")
        assert _get(port, "/").status == 503
        assert _get(port, "/health").status == 200


def test_no_server_banner_keep_alive_and_413_before_reading():
    with gunicorn() as (_, port, _log):
        # A 200 MB body announced but never sent: answered 413 at once, not read (nor waited for).
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 200000000\r\n\r\n{")
            assert sock.recv(200).startswith(b"HTTP/1.1 413")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for _ in range(3):  # three requests on one connection
            connection.request("GET", "/health")
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            assert response.getheader("Server") is None
            assert response.getheader("Connection", "").lower() != "close"
        connection.close()


def test_slow_clients_do_not_starve_the_server():
    """Slowloris: sockets that send a header line every second never finish their request.

    With two sync workers, two such sockets took the site down (4 of 15 probes answered in a
    minute). Here eight of them stay open while ten probes must each be answered within 2 s.
    """
    with gunicorn() as (_, port, _log):
        slow = []
        for index in range(8):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(f"GET /?slow={index} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
            slow.append(sock)
        try:
            answered = 0
            for round_ in range(10):
                for sock in slow:
                    sock.sendall(f"X-Slow-{round_}: 1\r\n".encode())
                started = time.monotonic()
                if _get(port, "/health", timeout=2).status == 200:
                    answered += 1
                time.sleep(max(0.0, 0.5 - (time.monotonic() - started)))
            assert answered == 10
        finally:
            for sock in slow:
                sock.close()
