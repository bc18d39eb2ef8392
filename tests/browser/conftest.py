"""Browser fixtures: the real app on a loopback port, driven by Playwright in Debian's Chromium.

Chromium is the system one (``/usr/bin/chromium``, Debian packages ``chromium`` and
``chromium-driver``); Playwright is only the driver, it downloads no browser.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(obs) -> Iterator[str]:
    """The production app (debug off) on 127.0.0.1, in a thread; yields its base URL."""
    from observatory.web.server import create_app

    app = create_app(observatory=obs)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class ConsoleLog:
    """Console errors and page errors seen during a test; ``assert not log.errors``."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def on_console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def on_pageerror(self, error) -> None:
        self.errors.append(str(error))


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@contextmanager
def fresh_page(browser, console: ConsoleLog, base_url: str, width: int = 1400, height: int = 900):
    """A page in its own browser context (no shared cache or storage) recording console errors."""
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=base_url)
    # the app's CSP stays on; a violation becomes a console error, which every test checks for
    context.add_init_script("document.addEventListener('securitypolicyviolation', e => console.error("
                            "'CSP violation: ' + e.violatedDirective + ' ' + (e.blockedURI || '')))")
    pg = context.new_page()
    pg.on("console", console.on_console)
    pg.on("pageerror", console.on_pageerror)
    pg.set_default_timeout(20_000)
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def page(browser, console, live_server):
    """A fresh page at a desktop size."""
    with fresh_page(browser, console, live_server) as pg:
        yield pg
