"""Login in a real browser: password, then a TOTP code, then the workspace.

Also: the login page passes axe-core's WCAG A/AA rules, and neither the login
pages nor the workspace make the browser contact any host but ours (readers may
be in a country that watches which hosts they contact).
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests.browser.axe import assert_no_axe_violations
from unforgotten.testing import PASSWORD, totp_code

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request

pytestmark = pytest.mark.browser

LOGIN = "/accounts/login/"
MFA = "/accounts/2fa/authenticate/"
WORKSPACE = "/work/"


def _at(path: str) -> re.Pattern[str]:
    """A URL on the live server whose path is ``path`` (query string allowed)."""
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"(\?.*)?$")


def current_code() -> str:
    # allauth accepts the current 30-second window only (MFA_TOTP_TOLERANCE 0):
    # never type a code that may expire before the form reaches the server.
    remaining = 30 - time.time() % 30
    if remaining < 5:
        time.sleep(remaining + 0.5)
    return totp_code()


def enter_password(page: Page, email: str = "amal@example.org") -> None:
    from playwright.sync_api import expect

    page.goto(LOGIN)
    # By their labels: the fields must be labelled for this to work at all.
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page).to_have_url(_at(MFA))


def enter_code(page: Page, code: str) -> None:
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign In", exact=True).click()


def test_it_logs_in_with_a_totp_code(page: Page, cast: Any) -> None:
    from playwright.sync_api import expect

    enter_password(page)
    enter_code(page, current_code())

    expect(page).to_have_url(_at(WORKSPACE))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Amal")
    expect(page.get_by_role("main")).to_contain_text(cast.org_a.name)
    # Nothing of Org B, which Amal does not belong to.
    expect(page.get_by_role("main")).not_to_contain_text(cast.org_b.name)


def test_it_refuses_a_wrong_code(page: Page, cast: Any) -> None:
    from playwright.sync_api import expect

    enter_password(page)
    right = current_code()
    enter_code(page, f"{(int(right) + 1) % 1_000_000:06d}")

    expect(page).to_have_url(_at(MFA))
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    # Half-way through a login is not logged in: with her cookies, the
    # workspace redirects to the login page (which resumes at the code form).
    answer = page.request.get(WORKSPACE, max_redirects=0)
    assert answer.status == 302 and answer.headers["location"].startswith(LOGIN), (answer.status, answer.headers)
    page.goto(WORKSPACE)
    expect(page).to_have_url(_at(MFA))
    expect(page.get_by_role("main")).not_to_contain_text(cast.org_a.name)


def test_it_logs_in_without_javascript(page_no_js: Page, cast: Any) -> None:
    from playwright.sync_api import expect

    page = page_no_js
    enter_password(page)
    enter_code(page, current_code())

    expect(page).to_have_url(_at(WORKSPACE))
    expect(page.get_by_role("main")).to_contain_text(cast.org_a.name)


# The CSP blocks the inline script axe-core is injected as; see tests/browser/axe.py.
@pytest.mark.browser_context(bypass_csp=True)
def test_it_has_no_axe_violations_on_the_login_page(page: Page) -> None:
    page.goto(LOGIN)
    assert_no_axe_violations(page)


def test_it_loads_nothing_from_other_hosts(page: Page, live_url: str, cast: Any) -> None:
    from playwright.sync_api import expect

    seen: list[str] = []
    csp_violations: list[str] = []

    def on_request(request: Request) -> None:
        seen.append(request.url)

    # Every request the pages make (the context sees those of every frame and popup too).
    page.context.on("request", on_request)
    # The CSP stays on here: a request it blocks never reaches the network, so
    # the console's "Refused to …" is the only trace of an attempt.
    page.on("console", lambda message: csp_violations.append(message.text)
            if "Content Security Policy" in message.text else None)

    enter_password(page)
    enter_code(page, current_code())
    expect(page).to_have_url(_at(WORKSPACE))
    page.wait_for_load_state("networkidle")

    ours = urlsplit(live_url).netloc
    # data:, blob: and about: URLs contact nobody.
    foreign = [u for u in seen if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != ours]
    assert foreign == [], f"requests to hosts other than {ours}: {foreign}"
    assert any(urlsplit(u).path.endswith(".css") for u in seen), f"the stylesheet was not even requested: {seen}"
    assert {urlsplit(u).path for u in seen} >= {LOGIN, MFA, WORKSPACE}, seen
    assert csp_violations == [], f"the CSP blocked something: {csp_violations}"


@pytest.mark.browser_context(bypass_csp=True)
def test_it_has_no_axe_violations_on_the_code_page_and_the_workspace(page: Page, cast: Any) -> None:
    from playwright.sync_api import expect

    enter_password(page)
    assert_no_axe_violations(page)
    enter_code(page, current_code())
    expect(page).to_have_url(_at(WORKSPACE))
    assert_no_axe_violations(page)
