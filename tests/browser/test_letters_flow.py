"""Letters to a prisoner in Chromium (issue 7 item 4).

With JavaScript off, a supporter finds "write a letter" on the prisoner's public profile and writes; Amal, a
caseworker of Org A, logs in (password and TOTP, still without JavaScript), reads the letter beside the censorship
guidance, approves it and compiles the prisoner's batch; the downloaded PDF holds the letter. Nothing is loaded
from another host. The public letter forms, their errors and replies, and the moderation page pass axe-core in
English and Arabic (mirrored).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_login import WORKSPACE, _at, current_code, enter_code, enter_password

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOADED_MACHINE_MS = 60_000
LETTER = "We read your poems aloud at the vigil. Spring came early this year."


def _ready(cast: Any) -> Any:
    from unforgotten.letters.testing import publish_for_letters
    from unforgotten.registry.testing import make_sample

    sample = make_sample(cast)
    publish_for_letters(cast, sample.person_a)
    return sample.person_a


def test_a_supporter_writes_a_moderator_approves_and_the_batch_holds_the_letter(page_no_js: Page, cast: Any,
                                                                                  live_url: str) -> None:
    from playwright.sync_api import expect

    from unforgotten.letters.models import PrisonerLetter
    from unforgotten.letters.tests.conftest import pdf_text

    person = _ready(cast)
    page = page_no_js
    page.set_default_timeout(LOADED_MACHINE_MS)
    seen: list[str] = []
    page.context.on("request", lambda request: seen.append(request.url))
    page.goto(f"/en/prisoners/{person.slug}/")
    page.get_by_role("link", name="Write a letter of support").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Write to")
    page.get_by_label("Your letter").fill(LETTER)
    page.get_by_label("Your name, printed on the letter (optional)").fill("Sara from Lyon")
    page.get_by_role("button", name="Send the letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your letter")
    letter = PrisonerLetter.objects.get(body=LETTER)
    assert letter.status == "pending" and letter.quarantine == ""
    assert {url.split("/")[2] for url in seen if url.startswith("http")} == {live_url.split("/")[2]}

    enter_password(page, "amal@example.org")
    enter_code(page, current_code())
    expect(page).to_have_url(_at(WORKSPACE))
    page.goto("/work/letters/org-a/queue/")
    page.get_by_role("link", name="read and decide").click()
    expect(page.get_by_role("heading", name="Guidance for prison censorship")).to_be_visible()
    expect(page.locator("blockquote.letter-body")).to_contain_text("We read your poems aloud")
    page.get_by_label("Approve").check()
    page.get_by_label("Print the sender's name and address").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page).to_have_url(_at("/work/letters/org-a/queue/"))
    letter.refresh_from_db()
    assert letter.status == "approved"

    page.goto(f"/work/letters/people/{person.uuid}/")
    page.get_by_role("button", name="Compile a batch").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").first.click()
    text = pdf_text(open(download.value.path(), "rb").read())  # noqa: PTH123, SIM115  (a file Playwright owns)
    assert "We read your poems aloud at the vigil." in " ".join(text.split())
    assert "Sara from Lyon" in text
    letter.refresh_from_db()
    assert letter.delivery == "compiled"


@pytest.mark.browser_context(bypass_csp=True)  # axe-core is injected into the page
def test_the_letter_pages_pass_axe_in_english_and_arabic(page: Page, cast: Any, settings: Any) -> None:
    from playwright.sync_api import expect

    from unforgotten.letters.testing import make_letters_sample

    settings.PETITION_POW_MAX = 3000  # the page solves its challenge before the empty form goes
    sample = make_letters_sample(cast, _ready(cast))
    page.set_default_timeout(LOADED_MACHINE_MS)
    for language, direction in (("en", "ltr"), ("ar", "rtl")):
        for path in (f"letters/prisoners/{sample.person.slug}/", "letters/campaigns/write-to-the-minister/",
                     "letters/revise/forged/", "letters/campaigns/write-to-the-minister/confirm/forged/"):
            page.goto(f"/{language}/{path}")
            expect(page.locator("html")).to_have_attribute("dir", direction)
            assert_no_axe_violations(page, context=None)
        page.goto(f"/{language}/letters/prisoners/{sample.person.slug}/")
        page.locator("form#sign button[type=submit]").click()
        expect(page.locator(".errorlist").first).to_be_visible()
        assert_no_axe_violations(page, context=None)
    enter_password(page, "amal@example.org")
    enter_code(page, current_code())
    page.goto(f"/work/letters/letters/{sample.pending.uuid}/")
    assert_no_axe_violations(page)
