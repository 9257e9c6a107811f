"""Issue 9, item 4: the statistics in a real browser: public page and members' dashboard, English and Arabic.

axe-core finds no violation (charts are named SVG images with a data table
beside each); the Arabic pages are mirrored; the public page works without
JavaScript and its date form leads to the page of that day.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from tests.browser.axe import assert_no_axe_violations

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def _registry(cast: Any, settings: Any, tmp_path: Path) -> Any:
    from unforgotten.publishing import actions as publishing
    from unforgotten.registry import actions
    from unforgotten.stats.testing import make_fixture

    settings.PUBLIC_CACHE_DIR = tmp_path / "public-cache"
    fixture = make_fixture(cast)
    for person in (fixture.anna, fixture.boris):
        actions.do_record_consent(person=person, data={"scope": "name", "given_by": "the person",
                                                       "given_on": date(2020, 1, 1)}, acting_user=cast.dana)
        profile = publishing.do_create_profile(person=person, language="en", data={"story": "Story."},
                                               acting_user=cast.amal)
        publishing.do_submit_for_review(profile=profile, acting_user=cast.amal)
        publishing.do_approve(profile=profile, acting_user=cast.bilal)
    return fixture


def _sign_in(page: Page, live_url: str, user: Any) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_url}])


@pytest.mark.browser_context(bypass_csp=True)
def test_it_shows_the_statistics_without_axe_violations_in_english_and_arabic(
        page: Page, cast: Any, settings: Any, tmp_path: Path, live_url: str) -> None:
    from playwright.sync_api import expect

    _registry(cast, settings, tmp_path)
    page.set_viewport_size({"width": 1000, "height": 900})
    for language, direction, heading in (("en", "ltr", "Statistics"), ("ar", "rtl", "إحصاءات")):
        page.goto(f"/{language}/statistics/2021-12-31/")
        expect(page.locator("html")).to_have_attribute("dir", direction)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("img").first).to_be_visible()
        assert page.locator("table.stats").count() >= 9
        assert_no_axe_violations(page, context=None)
        # After the check: a screenshot leaves a style attribute on the date field (Playwright hides its caret).
        page.screenshot(path=str(tmp_path / f"statistics-{language}.png"), full_page=True)
    _sign_in(page, live_url, cast.vera)
    for language, direction in (("en", "ltr"), ("ar", "rtl")):
        page.set_extra_http_headers({"Accept-Language": language})
        page.goto("/work/stats/?on=2021-12-31")
        expect(page.locator("html")).to_have_attribute("dir", direction)
        expect(page.get_by_role("img").first).to_be_visible()
        assert_no_axe_violations(page, context=None)


@pytest.mark.browser_context(java_script_enabled=False)
def test_it_goes_to_another_day_without_javascript(page: Page, cast: Any, settings: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    _registry(cast, settings, tmp_path)
    seen: list[str] = []
    page.context.on("request", lambda request: seen.append(request.url))
    page.goto("/en/statistics/")
    page.get_by_label("Show the figures as of another day").fill("2021-06-30")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert page.url.endswith("/en/statistics/2021-06-30/")
    expect(page.get_by_text("Figures as of June 30, 2021.")).to_be_visible()
    hosts = {request.split("/")[2] for request in seen}
    assert len(hosts) == 1, hosts
