"""Exports in a real browser: the Share / Download menu follows the view, and an embed renders
inside an <iframe> on a page of another origin while the app's pages refuse to be framed."""

from __future__ import annotations

import http.server
import threading
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import fresh_page


@pytest.fixture(scope="module")
def other_origin(live_server):
    """A page on another origin (another port) framing an embed and the map page."""
    app = live_server

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = (f'<!DOCTYPE html><html lang="en"><head><title>A news article</title></head><body>'
                    f'<h1>Article</h1>'
                    f'<iframe id="embed" title="chart" src="{app}/embed/map?level=2" '
                    f'width="800" height="500">'
                    f'</iframe>'
                    f'<iframe id="page" title="page" src="{app}/" width="800" height="500"></iframe>'
                    f'</body></html>').encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_embed_renders_in_a_frame_of_another_origin_and_pages_do_not(browser, console, live_server,
                                                                      other_origin):
    with fresh_page(browser, console, other_origin) as pg:
        pg.goto("/")
        embed = pg.frame_locator("#embed")
        expect(embed.locator("#embed-chart[data-drawn='1']")).to_be_attached(timeout=20_000)
        expect(embed.locator("#embed-chart .choroplethlocation").first).to_be_attached()
        expect(embed.locator(".embed-footer a")).to_have_text("Open in the S3 Observatory")
        pg.wait_for_timeout(500)
        # the map page was refused: its frame shows no app (Chromium shows its error page instead)
        expect(pg.frame_locator("#page").locator(".navbar")).to_have_count(0)
    refused = [e for e in console.errors if "frame-ancestors" in e or "Refused to display" in e]
    assert refused, console.errors  # Chromium reports the refusal on the console


def test_share_menu_follows_the_view_and_its_files_download(page, live_server):
    page.goto("/?level=2&indicator=gdp_pc_pps_eu")
    expect(page.locator("#map-graph .choroplethlocation").first).to_be_attached(timeout=20_000)
    page.goto("/?level=3&indicator=gdp_pc_pps_eu")
    expect(page.locator("#map-graph .choroplethlocation").first).to_be_attached(timeout=20_000)
    menu = page.locator("#map-share")
    menu.locator("summary").click()
    png = menu.get_by_role("link", name="Image for slides (PNG, 3200×1800)")
    expect(png).to_be_visible()
    href = png.get_attribute("href")
    assert href.startswith("/export/map.png?") and "level=3" in href
    csv = menu.get_by_role("link", name="Data (CSV)").get_attribute("href")
    response = requests.get(live_server + csv, timeout=60)
    assert response.status_code == 200 and response.text.count("\n") > 1000  # NUTS 3: over 1,000 rows
    snippet = menu.locator("textarea").input_value()
    assert snippet.startswith(f'<iframe src="{live_server}/embed/map?') and "level=3" in snippet
    assert urlsplit(live_server).netloc in snippet


def test_deck_is_prepared_in_the_background_with_progress(page, live_server):
    page.goto("/benchmark?region=ITH5&ind=gdp_pc_pps_eu")
    expect(page.locator("#bench-bars .bar, #bench-bars .point").first).to_be_attached(timeout=30_000)
    page.get_by_role("button", name="Prepare the benchmark as a PowerPoint deck").click()
    link = page.locator("#bench-deck-file")
    expect(link).to_be_visible(timeout=90_000)
    assert "PowerPoint" in link.inner_text()
    href = link.get_attribute("href")
    assert href == "/export/benchmark-deck.pptx?region=ITH5&ind=gdp_pc_pps_eu" or href.startswith(
        "/export/benchmark-deck.pptx?region=ITH5")
    response = requests.get(live_server + href, timeout=60)
    assert response.status_code == 200
    assert response.headers["X-Export-Cache"] == "hit"  # made by the background job, stored for the link
    assert response.content[:2] == b"PK"  # a zip: .pptx


@pytest.mark.parametrize(("path", "menu"), [("/?level=2", "#map-share"),
                                            ("/benchmark?region=AT11", "#bench-share-bars"),
                                            ("/region/ITH5", "[id^='profile-share-']")])
def test_open_share_menus_are_accessible_on_a_phone(browser, console, live_server, path, menu):
    from axe_playwright_python.sync_playwright import Axe

    with fresh_page(browser, console, live_server, 390, 844) as pg:
        pg.goto(path)
        pg.wait_for_selector("main#main-content h1", state="attached")
        opened = pg.locator(menu).first
        opened.locator("summary").click()
        expect(opened.get_by_role("link", name="Data (CSV)")).to_be_visible()
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390
        violations = Axe().run(pg).response["violations"]
        serious = [f"{v['id']}: {v['help']} — {v['nodes'][0]['html'][:120]}" for v in violations
                   if v["impact"] in ("serious", "critical")]
        assert not serious, "\n".join(serious)
        assert not console.errors
