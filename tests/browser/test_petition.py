"""Signing a petition in Chromium (issue 7): with JavaScript off (e-mail confirmation alone), and with it on (our
own proof of work, under the site's CSP), then confirming from the e-mailed link by pressing the button."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def _confirm_link(smtp_server: Any, address: str) -> str:
    from unforgotten.actions.testing import links_in
    from unforgotten.core import outbox

    outbox.deliver_due()
    for message, body in zip(smtp_server.messages, smtp_server.bodies(), strict=True):
        if address in str(message["To"]):
            return urlsplit(links_in(body)[0]).path
    raise AssertionError(f"no mail to {address}")


def test_it_signs_and_confirms_with_javascript_off(page_no_js: Page, cast: Any, smtp_server: Any) -> None:
    from unforgotten.actions.actions import do_refresh_counts
    from unforgotten.actions.models import Signature
    from unforgotten.actions.testing import CANARY_EMAIL, make_petition_sample

    make_petition_sample(cast)
    page = page_no_js
    page.goto("/en/petitions/free-them-all/")
    assert CANARY_EMAIL not in page.content()
    page.get_by_label("E-mail address").fill("nojs-browser@example.com")
    page.get_by_label("Comment (optional)").fill("From a browser without scripts")
    page.get_by_role("button", name="Sign the petition").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    signature = Signature.objects.get(comment="From a browser without scripts")
    assert not signature.proof_of_work and signature.state == "pending"
    page.goto(_confirm_link(smtp_server, "nojs-browser@example.com"))
    page.get_by_role("button", name="Confirm only").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    signature.refresh_from_db()
    assert signature.counted
    do_refresh_counts()
    page.goto("/en/petitions/free-them-all/")
    assert page.locator(".count strong").inner_text() == "2"


def test_it_solves_the_proof_of_work_in_the_browser(page: Page, cast: Any, settings: Any, smtp_server: Any) -> None:
    from unforgotten.actions.models import Signature
    from unforgotten.actions.testing import make_petition_sample

    settings.PETITION_POW_MAX = 3000
    make_petition_sample(cast)
    page.goto("/fr/petitions/free-them-all/")
    page.wait_for_function("document.querySelector('input[name=altcha]').value.length > 0")
    page.get_by_label("Adresse e-mail").fill("js-browser@example.com")
    page.get_by_role("button", name="Signer la pétition").click()
    page.get_by_role("heading", name="Consultez vos e-mails").wait_for()
    signature = Signature.objects.get(supporter__isnull=False, language="fr")
    assert signature.proof_of_work and signature.quarantine == ""
