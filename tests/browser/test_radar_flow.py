"""A coordinator logs a media mention in a real browser and the radar reorders (issue 9, item 3).

Ada is the advocate of Org A. Two prisoners are held: Ihar since June 2019 and
Maryia since 2020, neither ever raised, mentioned or heard from, so Ihar is the
most neglected. Ada opens Ihar's row, logs yesterday's article about him, and
the radar now puts Maryia first, saying why. JavaScript is off, as for many of
the people this is built for; the pages are checked with axe-core.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _sign_in(page: Page, live_url: str, user: Any) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_url}])


@pytest.mark.browser_context(bypass_csp=True)
def test_it_logs_a_media_mention_and_the_radar_reorders(page: Page, live_url: str, cast: Any) -> None:
    from unforgotten.core.partialdate import PartialDate
    from unforgotten.radar.models import MediaMention
    from unforgotten.radar.testing import make_held_case
    from unforgotten.registry.testing import make_sample

    sample = make_sample(cast)
    ihar = make_held_case(cast.org_a, "Ihar Losik", acting_user=cast.dana, detained=PartialDate(2019, 6))
    _sign_in(page, live_url, cast.ada)

    page.goto(f"{live_url}/work/radar/")
    rows = page.locator("#radar tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Ihar Losik")
    expect(rows.first).to_contain_text("never recorded: intervention, contact, public action, media mention")
    assert_no_axe_violations(page)

    rows.first.get_by_role("link", name="Ihar Losik").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihar Losik")
    page.get_by_role("link", name="Log a media mention").click()
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Outlet").fill("Radio Liberty")
    page.get_by_label("Link").fill("https://example.org/ihar")
    page.get_by_label("Published").fill(yesterday.isoformat())
    page.get_by_label("Language").fill("be")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Media mention recorded.")).to_be_visible()

    page.goto(f"{live_url}/work/radar/")
    expect(rows.first).to_contain_text("Maryia Kalesnikava")
    expect(rows.nth(1)).to_contain_text("Ihar Losik")
    expect(rows.nth(1)).to_contain_text("never recorded: intervention, contact, public action (counted since 2019-06-01)")
    mention = MediaMention.objects.get(case=ihar)
    assert mention.recorded_by == cast.ada and mention.published_on == yesterday
    assert sample.case_a.pk != ihar.pk


@pytest.mark.browser_context(java_script_enabled=False)
def test_it_works_without_javascript(page: Page, live_url: str, cast: Any) -> None:
    from unforgotten.registry.testing import make_sample

    make_sample(cast)
    _sign_in(page, live_url, cast.vera)
    page.goto(f"{live_url}/work/radar/?country=by")
    expect(page.locator("#radar tbody tr")).to_have_count(1)
    page.get_by_label("Status").select_option("inactive")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    expect(page.locator("#radar-empty")).to_be_visible()
