"""Issue 6 (helper "intake"): "suggest a prisoner" and the newsletter double opt-in in a real browser.

With JavaScript off the suggestion arrives in the queue and a sign-up reaches
the confirmed state through a real local SMTP server; nothing is loaded from
another host; axe-core finds no violation in English and Arabic (mirrored),
on the forms, their errors and replies, and on the caseworkers' queue.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from tests.browser.axe import assert_no_axe_violations

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


@pytest.fixture
def public_site(settings: Any, cast: Any, live_url: str) -> Any:
    settings.PUBLIC_SITE_ORGANISATION = "org-a"
    settings.INTAKE_MIN_FILL_SECONDS = 0  # a test fills the form faster than a person
    settings.SITE_URL = live_url
    return cast


def _hosts(seen: list[str]) -> set[str]:
    return {url.split("/")[2] for url in seen if url.startswith("http")}


@pytest.mark.browser_context(java_script_enabled=False)
def test_it_takes_a_suggestion_without_javascript(page: Page, public_site: Any) -> None:
    from playwright.sync_api import expect

    from unforgotten.intake.models import Status, Suggestion

    seen: list[str] = []
    page.context.on("request", lambda request: seen.append(request.url))
    page.goto("/en/suggest/")
    page.get_by_label("Name of the person").fill("Ilgar Mammadov")
    page.get_by_label("Country where the person is held").select_option("AZ")
    page.get_by_label("Held since").fill("2021-03")
    page.get_by_label("Why is the person held?").fill("Arrested after a speech.")
    page.get_by_label("How we can reach you (optional)").fill("leyla@example.net")
    page.get_by_role("button", name="Send the suggestion").click()
    page.wait_for_load_state()
    assert page.url.endswith("/en/suggest/received/")
    expect(page.get_by_role("status")).to_have_text("Your suggestion has been received.")
    suggestion = Suggestion.objects.get()
    assert (suggestion.person_name, suggestion.status, suggestion.quarantine_reasons) == (
        "Ilgar Mammadov", Status.NEW, [])
    assert len(_hosts(seen)) == 1 and page.context.cookies() == []


@pytest.mark.browser_context(java_script_enabled=False)
def test_it_confirms_a_newsletter_subscription_without_javascript(page: Page, public_site: Any,
                                                                    smtp_server: Any) -> None:
    from playwright.sync_api import expect

    from unforgotten.core import outbox
    from unforgotten.newsletter.models import Status, Subscriber

    seen: list[str] = []
    page.context.on("request", lambda request: seen.append(request.url))
    page.goto("/ar/newsletter/")
    page.get_by_label("عنوان بريدك الإلكتروني").fill("reader@example.net")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="اشترك").click()
    page.wait_for_load_state()
    assert page.url.endswith("/ar/newsletter/check-your-inbox/")
    outbox.deliver_due()
    assert [e[1] for e in smtp_server.envelopes] == [["reader@example.net"]]
    link = re.search(r"(http://\S+/ar/newsletter/confirm/\S+/)", smtp_server.bodies()[0])
    assert link is not None
    page.goto(link.group(1))
    assert Subscriber.objects.get().status == Status.PENDING  # opening the link is not confirming
    page.get_by_role("button", name="نعم، أرسلوا إليّ النشرة.").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("تم اشتراكك")
    assert Subscriber.objects.get().status == Status.CONFIRMED
    assert len(_hosts(seen)) == 1 and page.context.cookies() == []


@pytest.mark.browser_context(bypass_csp=True)
def test_it_shows_the_public_forms_without_axe_violations_in_english_and_arabic(page: Page, public_site: Any) -> None:
    from playwright.sync_api import expect

    from unforgotten.newsletter import tokens
    from unforgotten.newsletter.actions import do_sign_up
    from unforgotten.newsletter.texts import sign_up_consent

    subscriber = do_sign_up(organisation=public_site.org_a, email="reader@example.net", language="en",
                            consent_text=sign_up_consent())
    confirm = tokens.make(tokens.CONFIRM, str(subscriber.uuid), subscriber.confirm_nonce)
    for language, direction in (("en", "ltr"), ("ar", "rtl")):
        for path in ("suggest/", "suggest/received/", "newsletter/", "newsletter/check-your-inbox/",
                     f"newsletter/confirm/{confirm}/", "newsletter/confirm/forged/"):
            page.goto(f"/{language}/{path}")
            expect(page.locator("html")).to_have_attribute("dir", direction)
            assert_no_axe_violations(page, context=None)
        # The form with its errors (sent empty).
        page.goto(f"/{language}/suggest/")
        page.locator("form.public-form button[type=submit]").click()
        page.wait_for_load_state()
        expect(page.get_by_role("alert")).to_be_visible()
        assert_no_axe_violations(page, context=None)


@pytest.mark.browser_context(bypass_csp=True)
def test_it_shows_the_intake_queue_without_axe_violations(page: Page, public_site: Any, live_url: str) -> None:
    from unforgotten.intake.testing import make_suggestion

    suggestion = make_suggestion(public_site)
    client = Client()
    client.force_login(public_site.amal)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_url}])
    for path in ("/work/intake/", f"/work/intake/{suggestion.uuid}/"):
        page.goto(path)
        assert_no_axe_violations(page, context=None)
