"""A caseworker records a prisoner end to end in a real browser; another organisation then sees nothing.

Issue 3's flow. The recognition decision is recorded by Bilal, the reviewer:
deciding recognition is the reviewer's job (product brief), and the policy
gives caseworkers no "review" capability.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _sign_in(page: Page, live_url: str, user: Any) -> None:
    # The login itself is covered by test_login.py; here the session is handed over directly.
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_url}])


def _save(page: Page, label: str = "Save") -> None:
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()


def _add(page: Page, live_url: str, path: str) -> None:
    page.goto(f"{live_url}{path}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_it_records_a_prisoner_with_everything_and_shows_the_timeline(page: Page, live_url: str, cast: Any) -> None:
    from unforgotten.registry.models import Person

    _sign_in(page, live_url, cast.amal)
    page.goto(f"{live_url}/work/registry/people/new/")
    page.get_by_label("Name (row 1)").fill("Nasrin Example")
    page.get_by_label("Row 1 is the primary name").check()
    page.get_by_label("Name (row 2)").fill("نسرین نمونه")
    page.get_by_label("Country of the case").fill("IR")
    _save(page, "Create the record")
    person = Person.objects.get(display_name="Nasrin Example")
    assert sorted(person.names.values_list("text", flat=True)) == ["Nasrin Example", "نسرین نمونه"]
    base = f"/work/registry/people/{person.uuid}"

    _add(page, live_url, f"{base}/cases/new/")
    page.get_by_label("Jurisdiction").fill("IR")
    page.locator("[name=theme]").select_option("expression")
    _save(page)
    assert person.cases.count() == 1

    for number in ("500", "610"):
        _add(page, live_url, f"{base}/charges/new/")
        page.get_by_label("Country of the new article").fill("IR")
        page.get_by_label("Code of the new article").fill("Islamic Penal Code")
        page.get_by_label("Article number").fill(number)
        _save(page)
    assert person.cases.get().charges.count() == 2

    _add(page, live_url, f"{base}/hearings/new/")
    page.locator("[name=court]").fill("Revolutionary Court, Branch 15")
    page.locator("[name=held_on]").fill("2021-02")
    _save(page)

    _add(page, live_url, f"{base}/sentences/new/")
    page.locator("[name=years]").fill("5")
    page.locator("[name=handed_down_on]").fill("2021-02-20")
    _save(page)

    _add(page, live_url, f"{base}/detentions/new/")
    page.locator("[name=kind]").select_option("serving_sentence")
    page.locator("[name=start]").fill("2020-06")
    page.get_by_label("Name of a new place of detention").fill("Evin Prison")
    page.get_by_label("Country of the new place").fill("IR")
    _save(page)
    detention = person.detentions.get()
    assert detention.facility is not None and detention.facility.name == "Evin Prison"

    # The reviewer decides recognition, criterion by criterion.
    _sign_in(page, live_url, cast.bilal)
    page.goto(f"{live_url}{base}/decisions/new/")
    page.locator("[name=framework]").select_option("pace_1900")
    page.get_by_role("button", name="Continue to the checklist").click()
    page.get_by_label("Criterion a — result").select_option("met")
    page.locator("[name=outcome]").select_option("political_prisoner")
    page.locator("[name=decided_on]").fill("2021-06-01")
    _save(page, "Record the decision")
    person.refresh_from_db()
    assert person.recognition_outcome == "political_prisoner"

    page.goto(f"{live_url}{base}/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("نسرین نمونه")
    expect(main).to_contain_text("Evin Prison")
    expect(main).to_contain_text("Revolutionary Court, Branch 15")
    expect(main).to_contain_text("at least")  # days in detention from a partial start
    timeline = page.locator("#timeline").inner_text()
    # In date order, partial dates as written ("June 2020"), every kind of event present.
    order = [timeline.index(t) for t in ("June 2020", "Detention began", "February 2021", "Hearing", "Sentence",
                                         "Recognition")]
    assert order == sorted(order), timeline

    # Chris, of another organisation, gets nothing: not the page, not a line in his list.
    _sign_in(page, live_url, cast.chris)
    response = page.goto(f"{live_url}{base}/")
    assert response is not None and response.status == 404
    page.goto(f"{live_url}/work/registry/people/?q=Nasrin")
    expect(page.get_by_role("main")).not_to_contain_text("Nasrin")
