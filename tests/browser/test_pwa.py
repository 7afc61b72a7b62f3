"""The installable app: a manifest with icons, and a service worker that keeps the shell and static files offline
but never a page (receipts and accounts hold personal data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.showcase import build

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_the_manifest_names_the_app_and_its_icons_exist(client):
    page = client.get("/").get_data(as_text=True)
    assert 'rel="manifest" href="/static/manifest.webmanifest"' in page
    manifest = json.loads((STATIC / "manifest.webmanifest").read_text())
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone" and manifest["dir"] == "rtl"
    for icon in manifest["icons"]:
        assert (STATIC / icon["src"].removeprefix("/static/")).exists(), icon


def test_the_service_worker_is_served_from_the_root_and_not_cached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert client.get("/offline").status_code == 200


@pytest.mark.browser
def test_offline_the_shell_answers_and_no_page_is_ever_stored(browser, live_server, make_charity, make_case):
    show = build(make_charity, make_case)
    context = browser.new_context(base_url=live_server, locale="ar-SA")
    page = context.new_page()
    try:
        page.goto("/")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.goto(f"/receipts/{show.donation.receipt_token}")
        page.goto("/cases")
        stored = page.evaluate("""async () => {
          const urls = [];
          for (const key of await caches.keys()) {
            for (const request of await (await caches.open(key)).keys()) urls.push(new URL(request.url).pathname);
          }
          return urls;
        }""")
        assert "/offline" in stored and "/static/css/jood.css" in stored
        assert [url for url in stored if not url.startswith("/static/") and url != "/offline"] == []
        context.set_offline(True)
        page.goto("/cases")
        assert "أنت غير متصل" in page.locator("h1").inner_text()
    finally:
        context.close()
