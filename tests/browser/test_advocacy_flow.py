"""An advocate records an intervention in a real browser and sees the overdue dashboard change (issue 8).

Ada is the advocate of Org A. The prisoner's case must be raised with the
Norwegian embassy every 60 days and was last raised 90 days ago: it is on the
dashboard. She follows the dashboard's link, records a meeting held today, and
the dashboard says nothing is overdue. The pages are checked with axe-core.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _sign_in(page: Page, live_url: str, user: Any) -> None:
    # The login itself is covered by test_login.py; here the session is handed over directly.
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_url}])


@pytest.mark.browser_context(bypass_csp=True)
def test_it_records_an_intervention_and_the_overdue_dashboard_changes(page: Page, live_url: str, cast: Any) -> None:
    from unforgotten.advocacy.models import Intervention
    from unforgotten.advocacy.testing import make_advocacy_sample
    from unforgotten.registry.testing import make_sample

    sample = make_sample(cast)
    adv = make_advocacy_sample(cast, sample)
    _sign_in(page, live_url, cast.ada)

    page.goto(f"{live_url}/work/advocacy/")
    overdue = page.locator("#overdue tr.overdue-row")
    expect(overdue).to_have_count(1)
    expect(overdue.first).to_contain_text("Maryia Kalesnikava")
    expect(overdue.first).to_contain_text("Embassy of Norway in Minsk")
    expect(page.get_by_role("heading", name="1 case to raise again")).to_be_visible()
    assert_no_axe_violations(page)

    overdue.first.get_by_role("link", name="Record an intervention").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an intervention")
    page.get_by_label("With whom").select_option(label="Embassy of Norway in Minsk")
    page.get_by_label("How").select_option("bilateral_meeting")
    page.get_by_label("What was asked").fill("Raise her case with the Belarusian MFA and ask for a prison visit.")
    page.get_by_label("Outcome").select_option("raised")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Intervention recorded.")).to_be_visible()

    page.goto(f"{live_url}/work/advocacy/")
    expect(page.locator("#overdue tr.overdue-row")).to_have_count(0)
    expect(page.locator("#nothing-overdue")).to_be_visible()
    latest = Intervention.objects.filter(case=sample.case_a).order_by("-pk").first()
    assert latest is not None and latest.stakeholder == adv.stakeholder and latest.recorded_by == cast.ada
