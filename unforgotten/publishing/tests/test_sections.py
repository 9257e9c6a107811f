"""The sections hook: other apps add blocks to the home page and to a profile without publishing importing them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils.html import format_html
from django.utils.safestring import SafeString

from unforgotten.policy.projection import PUBLIC, project
from unforgotten.publishing import sections
from unforgotten.publishing.tests.conftest import publish
from unforgotten.registry.testing import make_sample


@pytest.fixture
def registered() -> Iterator[list[str]]:
    names: list[str] = []
    yield names
    for slot in sections.SLOTS:
        for name in names:
            sections.unregister(slot, name)


@pytest.mark.django_db
def test_it_adds_registered_blocks_to_the_home_page_and_the_profile(cast: Any, registered: list[str]) -> None:
    sample = make_sample(cast)
    publish(sample.person_a, "ar", "قصة.", author=cast.amal, reviewer=cast.bilal)
    seen: list[tuple[str, Any]] = []

    @sections.register(sections.HOME, "test.latest_alerts", order=20)
    def latest(language: str, person: Any) -> SafeString:
        seen.append((language, person))
        return format_html('<section class="alerts"><h2>{}</h2></section>', f"Latest alerts [{language}]")

    @sections.register(sections.PROFILE, "test.open_actions", order=10)
    def open_actions(language: str, person: Any) -> str:
        name = project(person, PUBLIC, ["display_name"]).get("display_name", "")
        return f"<b>Write to {name}</b>"  # a plain str: escaped, never trusted as HTML

    registered += ["test.latest_alerts", "test.open_actions"]
    home = Client().get("/ar/").content.decode()
    assert '<section class="alerts"><h2>Latest alerts [ar]</h2></section>' in home
    profile = Client().get(f"/ar/prisoners/{sample.person_a.slug}/").content.decode()
    assert "&lt;b&gt;Write to Maryia Kalesnikava&lt;/b&gt;" in profile and "<b>Write to" not in profile
    assert "Latest alerts" not in profile
    assert ("ar", None) in seen


@pytest.mark.django_db
def test_it_leaves_out_a_failing_block_and_keeps_the_page(cast: Any, registered: list[str],
                                                         caplog: pytest.LogCaptureFixture) -> None:
    sample = make_sample(cast)
    publish(sample.person_a, "en", "Story.", author=cast.amal, reviewer=cast.bilal)

    @sections.register(sections.PROFILE, "test.broken")
    def broken(language: str, person: Any) -> str:
        raise RuntimeError("the alerts table is missing")

    @sections.register(sections.PROFILE, "test.after", order=200)
    def after(language: str, person: Any) -> str:
        return "still here"

    registered += ["test.broken", "test.after"]
    response = Client().get(f"/en/prisoners/{sample.person_a.slug}/")
    assert response.status_code == 200 and b"still here" in response.content
    assert "public page section test.broken failed" in caplog.text


def test_it_refuses_an_unknown_slot() -> None:
    with pytest.raises(ValueError, match="unknown public page slot"):
        sections.register("sidebar", "test.nowhere")
    assert [s.name for s in sections.registered(sections.HOME) if s.name.startswith("test.")] == []
