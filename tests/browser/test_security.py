"""The pages run under the app's strict Content Security Policy, and the browser tests would see a
violation: each test's console log receives one (see the ``page`` fixture)."""

from __future__ import annotations

from playwright.sync_api import expect

INJECT = """() => {
  const script = document.createElement('script');
  script.textContent = 'window.__injected = true';
  document.head.appendChild(script);
  return window.__injected === true;
}"""


def test_injected_inline_script_is_refused_and_reported(page, console):
    page.goto("/about/data")
    expect(page.locator("h2").first).to_be_visible()
    assert page.evaluate(INJECT) is False  # no 'unsafe-inline' for scripts: it never ran
    page.wait_for_timeout(200)  # the violation event is queued
    assert any(e.startswith("CSP violation: script-src") for e in console.errors), console.errors
