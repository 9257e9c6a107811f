"""A coordinator raises, verifies and resolves an urgent alert in a real browser (issue 9, item 1).

Bilal, a reviewer of Org A, logs in with his password and a TOTP code, raises a hunger-strike
alert about the prisoner's case from the alert form, finds it on the board, verifies it and
resolves it with a note; the board is empty again and every step's time is on the alert. The
pages pass axe-core. Then, with JavaScript off, a reader opens the public urgent action.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_login import WORKSPACE, _at, current_code, enter_code, enter_password

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The CI machine is shared: a first page load under load can take longer than the fixture's default.
LOADED_MACHINE_MS = 60_000


@pytest.mark.browser_context(bypass_csp=True)  # axe-core is injected into the page
def test_it_raises_verifies_and_resolves_an_alert(page: Page, live_url: str, cast: Any) -> None:
    from unforgotten.alerts.models import Alert
    from unforgotten.registry.testing import make_sample

    sample = make_sample(cast)
    page.set_default_timeout(LOADED_MACHINE_MS)
    enter_password(page, "bilal@example.org")
    enter_code(page, current_code())
    expect(page).to_have_url(_at(WORKSPACE))

    page.goto(f"{live_url}/work/alerts/new/?case={sample.case_a.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise an urgent alert")
    page.get_by_label("What happened").select_option("hunger_strike")
    page.get_by_label("Severity").select_option("critical")
    page.get_by_label("What we know").fill("On hunger strike since Monday, refusing water since today.")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Raise the alert").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Alert raised; the coordinators have been told.")).to_be_visible()
    expect(page.locator("#alert-state")).to_contain_text("Raised")

    page.goto(f"{live_url}/work/alerts/")
    row = page.locator("table.alert-board tbody tr")
    expect(row).to_have_count(1)
    expect(row.first).to_contain_text("Critical")
    expect(row.first).to_contain_text("Maryia Kalesnikava")
    assert_no_axe_violations(page)
    row.first.get_by_role("link", name="Hunger strike").click()

    page.get_by_role("button", name="Verified").click()
    page.wait_for_load_state()
    expect(page.locator("#alert-state")).to_contain_text("Verified")
    assert_no_axe_violations(page)
    page.get_by_label("How it was resolved (required)").fill("She ended the strike after a doctor's visit.")
    page.get_by_role("button", name="Resolved").click()
    page.wait_for_load_state()
    expect(page.locator("#alert-state")).to_contain_text("Resolved")

    page.goto(f"{live_url}/work/alerts/")
    expect(page.get_by_text("No open alerts.")).to_be_visible()
    alert = Alert.objects.get()
    assert alert.state == "resolved" and alert.raised_at < alert.verified_at < alert.resolved_at  # type: ignore[operator]
    assert alert.raised_by == cast.bilal and alert.verified_by == cast.bilal


def test_it_shows_the_public_urgent_action_without_javascript(page_no_js: Page, live_url: str, cast: Any) -> None:
    from unforgotten.alerts.testing import make_alerts_sample
    from unforgotten.registry.testing import make_sample

    s = make_alerts_sample(cast, make_sample(cast))
    page_no_js.set_default_timeout(LOADED_MACHINE_MS)
    page_no_js.goto(f"{live_url}/fr/urgent/")
    expect(page_no_js.get_by_role("heading", level=1)).to_have_text("Actions urgentes")
    expect(page_no_js.get_by_text("Aucune action urgente")).to_be_visible()  # written in English only so far
    page_no_js.goto(f"{live_url}/en/urgent/")
    page_no_js.get_by_role("link", name="Activist faces detention and travel ban").click()
    expect(page_no_js).to_have_url(_at(f"/en/urgent/{s.published.slug}/"))
    expect(page_no_js.get_by_role("heading", name="What to do now")).to_be_visible()
    expect(page_no_js.get_by_role("listitem").filter(has_text="Write to the prosecutor")).to_be_visible()
