"""Events in Chromium (issue 7 item 6): a supporter RSVPs with JavaScript off, confirms from the e-mail a real local
SMTP server received by pressing the button, then sees the place kept back until then; the public event pages pass
axe-core in English and Arabic."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests.browser.axe import assert_no_axe_violations

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
ADDRESS = "nojs-attendee@example.org"


def _link_to(smtp_server: Any, address: str, pattern: Any) -> str:
    from unforgotten.core import outbox
    from unforgotten.events.testing import links_in

    outbox.deliver_due()
    for message, body in zip(smtp_server.messages, smtp_server.bodies(), strict=True):
        if address in str(message["To"]):
            found = links_in(body, pattern)
            if found:
                return urlsplit(found[-1]).path
    raise AssertionError(f"no mail with that link to {address}")


def test_it_rsvps_confirms_and_shows_the_place_with_javascript_off(page_no_js: Page, cast: Any, settings: Any,
                                                                    smtp_server: Any) -> None:
    from unforgotten.events.models import Attendance
    from unforgotten.events.testing import CONFIRM_LINK, HIDDEN_PLACE, make_vigil

    settings.PUBLIC_SITE_ORGANISATION = "org-a"
    settings.INTAKE_MIN_FILL_SECONDS = 0
    make_vigil(cast)
    page = page_no_js
    page.goto("/en/events/")
    page.get_by_role("link", name='Vigil; candles, songs & names, "together"').click()
    assert HIDDEN_PLACE not in page.content()
    page.get_by_role("link", name="RSVP").click()
    page.get_by_label("Your e-mail address").fill(ADDRESS)
    page.get_by_label("Use my e-mail address only for this event", exact=False).check()
    page.get_by_role("button", name="Send my RSVP").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    assert Attendance.objects.get().state == "pending"
    page.goto(_link_to(smtp_server, ADDRESS, CONFIRM_LINK))
    assert HIDDEN_PLACE not in page.content()  # opening the link confirms nothing
    page.get_by_role("button", name="Confirm my RSVP").click()
    page.get_by_role("heading", name="Your RSVP").wait_for()
    assert HIDDEN_PLACE in page.content()
    assert Attendance.objects.get().state == "confirmed"
    # The details also arrived by e-mail, through the real SMTP server.
    from unforgotten.core import outbox

    outbox.deliver_due()
    assert any(HIDDEN_PLACE in body for body in smtp_server.bodies())


@pytest.mark.browser_context(bypass_csp=True)  # axe-core is injected into the page
def test_the_public_event_pages_pass_axe_in_english_and_arabic(page: Page, cast: Any, settings: Any) -> None:
    from unforgotten.events import actions
    from unforgotten.events.testing import make_vigil

    settings.PUBLIC_SITE_ORGANISATION = "org-a"
    make_vigil(cast)
    actions.do_seed_action_days(organisation=cast.org_a, acting_user=cast.dana)
    for language in ("en", "ar"):
        for path in ("/events/", "/events/vigil-for-maryia/", "/events/vigil-for-maryia/rsvp/",
                     "/events/vigil-for-maryia/time/?tz=Asia/Tokyo", "/events/rsvp/sent/",
                     "/events/rsvp/confirm/not-a-token/", "/events/rsvp/manage/not-a-token/"):
            page.goto(f"/{language}{path}")
            assert_no_axe_violations(page, context=None)
