"""The public profile in a real browser: English and Arabic, mirrored right to left, axe-clean, nothing foreign.

Screenshots of both profiles are saved under the test's pytest temporary
folder (besides the final-state screenshot every browser test leaves in
var/test-artifacts/).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests.browser.axe import assert_no_axe_violations

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def _published(cast: Any, settings: Any, tmp_path: Path) -> Any:
    from unforgotten.publishing import actions
    from unforgotten.registry.testing import make_sample

    # A page store of this test's own: nothing stored by another run may answer.
    settings.PUBLIC_CACHE_DIR = tmp_path / "public-cache"
    sample = make_sample(cast)
    for language, story in (("en", "Musician and campaigner.\n\nShe tore up her passport at the border."),
                            ("ar", "موسيقية وناشطة.\n\nمزّقت جواز سفرها على الحدود.")):
        profile = actions.do_create_profile(person=sample.person_a, language=language, data={"story": story},
                                            acting_user=cast.amal)
        actions.do_submit_for_review(profile=profile, acting_user=cast.amal)
        actions.do_approve(profile=profile, acting_user=cast.bilal)
    return sample


@pytest.mark.browser_context(bypass_csp=True)
def test_it_shows_the_profile_in_english_and_mirrored_in_arabic_without_axe_violations(
        page: Page, cast: Any, settings: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    sample = _published(cast, settings, tmp_path)
    width = 1000
    page.set_viewport_size({"width": width, "height": 900})
    brand_x: dict[str, float] = {}
    for language, direction, heading in (("en", "ltr", "Timeline"), ("ar", "rtl", "التسلسل الزمني")):
        page.goto(f"/{language}/prisoners/{sample.person_a.slug}/")
        expect(page.locator("html")).to_have_attribute("dir", direction)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("Maryia Kalesnikava")
        box = page.get_by_role("link", name="Unforgotten").bounding_box()
        assert box is not None
        brand_x[language] = box["x"] + box["width"] / 2
        page.screenshot(path=str(tmp_path / f"profile-{language}.png"), full_page=True)
        assert_no_axe_violations(page, context=None)
    # Mirrored: the site name sits at the start of the line, left in English and right in Arabic.
    assert brand_x["en"] < width / 2 < brand_x["ar"], brand_x
    # The other public page types pass too, in both directions.
    for path in ("/", "/en/", "/ar/", "/en/countries/by/", "/ar/countries/by/"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_axe_violations(page, context=None)
    assert (tmp_path / "profile-ar.png").stat().st_size > 0


@pytest.mark.browser_context(java_script_enabled=False)
def test_it_works_without_javascript_and_contacts_no_other_host(page: Page, cast: Any, settings: Any,
                                                                 tmp_path: Path, live_url: str) -> None:
    from playwright.sync_api import expect

    _published(cast, settings, tmp_path)
    seen: list[str] = []
    csp_violations: list[str] = []
    page.context.on("request", lambda request: seen.append(request.url))
    page.on("console", lambda message: csp_violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto("/")
    page.get_by_role("link", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("link", name="Maryia Kalesnikava").click()
    expect(page.get_by_text("مزّقت جواز سفرها على الحدود.")).to_be_visible()
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_text("She tore up her passport at the border.")).to_be_visible()
    page.wait_for_load_state("networkidle")
    ours = urlsplit(live_url).netloc
    foreign = [u for u in seen if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != ours]
    assert foreign == [], foreign
    assert any(urlsplit(u).path.endswith("/public.css") for u in seen), seen
    assert csp_violations == [], csp_violations
