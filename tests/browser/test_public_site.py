"""Every public page type of the campaign site in a real browser, English and Arabic: axe-clean, mirrored, no JS needed.

The list of pages is ``unforgotten/publishing/tests/paths.py``, the same list the
canary test walks (``test_site_canaries`` fails when a public route is missing
from it). Screenshots of the English and Arabic profile are kept under
``var/test-artifacts/public-site/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.axe import assert_no_axe_violations

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "public-site"


def _site(cast: Any, settings: Any, tmp_path: Path) -> Any:
    from unforgotten.publishing.tests.paths import sample_site

    settings.PUBLIC_CACHE_DIR = tmp_path / "public-cache"
    return sample_site(cast)


@pytest.mark.browser_context(bypass_csp=True)
def test_it_passes_axe_on_every_public_page_type_in_english_and_arabic(page: Page, cast: Any, settings: Any,
                                                                       tmp_path: Path) -> None:
    from playwright.sync_api import expect

    from unforgotten.publishing.tests.paths import EMBEDS, NOT_HTML, public_paths

    site = _site(cast, settings, tmp_path)
    # Some thirty pages, each rendered once (the store is empty): on a loaded machine a first render may be slow.
    page.set_default_navigation_timeout(60_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = 1000
    page.set_viewport_size({"width": width, "height": 900})
    checked = []
    for language, direction in (("en", "ltr"), ("ar", "rtl")):
        for name, path in public_paths(site, language):
            if name in NOT_HTML:
                continue
            response = page.goto(path)
            assert response is not None and response.status == 200, (path, response and response.status)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            if name != "landing":
                expect(page.locator("html")).to_have_attribute("dir", direction)
                expect(page.locator("html")).to_have_attribute("lang", language)
            if name not in ("landing", *EMBEDS):  # a framed counter (decision 0028) carries no site navigation
                # A language switcher and hreflang alternates on every page.
                expect(page.get_by_role("navigation", name="Languages" if language == "en" else "اللغات")
                       ).to_be_visible()
                assert page.locator('head link[rel="alternate"][hreflang]').count() >= 1, path
            # A framed counter's one <style> is allowed by its hash in its own CSP (decision 0028), so the
            # "inline styles are blocked" pseudo-rule does not apply; the test below checks it with the CSP on.
            assert_no_axe_violations(page, context=None, rules_off=("csp-inline-style",) if name in EMBEDS else ())
            checked.append(path)
    assert len(checked) >= 24
    # The profile, screenshotted in both directions: the site name sits at the start of the line.
    brand_x = {}
    for language in ("en", "ar"):
        page.goto(f"/{language}/prisoners/{site['sample'].person_a.slug}/")
        box = page.get_by_role("link", name="Unforgotten").bounding_box()
        assert box is not None
        brand_x[language] = box["x"] + box["width"] / 2
        page.screenshot(path=str(SHOTS / f"profile-{language}.png"), full_page=True)
    assert brand_x["en"] < width / 2 < brand_x["ar"], brand_x
    assert (SHOTS / "profile-ar.png").stat().st_size > 10_000


@pytest.mark.browser_context(java_script_enabled=False)
def test_it_plays_nothing_foreign_and_works_without_javascript(page: Page, cast: Any, settings: Any,
                                                                tmp_path: Path, live_url: str) -> None:
    from urllib.parse import urlsplit

    from playwright.sync_api import expect

    _site(cast, settings, tmp_path)
    page.set_default_navigation_timeout(60_000)
    seen: list[str] = []
    page.context.on("request", lambda request: seen.append(request.url))
    page.goto("/ar/")
    page.get_by_role("link", name="الحملات").click()
    page.get_by_role("link", name="أطلقوا سراحهم").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("img", name="أطلقوا سراحهم", exact=False)).to_be_visible()
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set them free")
    page.goto("/en/videos/a-letter-home/")
    expect(page.locator("video track[srclang='en']")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    ours = urlsplit(live_url).netloc
    foreign = [u for u in seen if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != ours]
    assert foreign == [], foreign


def test_it_lets_another_site_frame_the_counters_and_nothing_else(page: Page, cast: Any, settings: Any,
                                                                   tmp_path: Path, live_url: str) -> None:
    # Decision 0028, with the CSP on: a partner page on another origin frames the Arabic counter (styled by its
    # hashed inline style), and the same partner page cannot frame an ordinary public page.
    site = _site(cast, settings, tmp_path)
    slug = site["sample"].person_a.slug
    partner = (f'<!doctype html><html lang="en"><title>Partner</title><iframe id="counter" title="counter" '
               f'src="{live_url}/ar/prisoners/{slug}/counter/" width="480" height="120"></iframe>'
               f'<iframe id="page" title="page" src="{live_url}/ar/prisoners/{slug}/" width="480" height="120"></iframe>')
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text
            else None)
    # The partner: a real server on another loopback origin (Chromium refuses a page it cannot place on the local
    # network, such as one Playwright fulfils itself, any frame from localhost).
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Partner(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802  (http.server's name)
            body = partner.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Partner)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/partner.html")
        _check_framing(page, violations)
    finally:
        server.shutdown()
        server.server_close()


def _check_framing(page: Page, violations: list[str]) -> None:
    counter = page.frame_locator("#counter")
    heading = counter.get_by_role("heading", level=1)
    heading.wait_for()
    assert "ما لا يقل عن" in heading.inner_text()
    assert heading.evaluate("e => getComputedStyle(e).color") == "rgb(138, 28, 28)"  # the hashed style applied
    assert counter.locator("html").get_attribute("dir") == "rtl"
    assert counter.get_by_role("link").get_attribute("target") == "_top"
    # The ordinary page was refused (frame-ancestors 'none', X-Frame-Options: DENY): Chromium put its own error
    # page in the frame, and nothing of ours (the name is in the counter frame, and nowhere else).
    page.wait_for_timeout(500)
    assert page.frame_locator("#counter").get_by_text("Maryia Kalesnikava").count() == 1
    assert page.frame_locator("#page").get_by_text("Maryia Kalesnikava").count() == 0
    assert any(f.url.startswith("chrome-error://") for f in page.frames), [f.url for f in page.frames]
    assert not [v for v in violations if "style" in v], violations
