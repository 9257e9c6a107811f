"""Fixtures of the public-site tests.

Fixtures strategy: each test gets an empty page store of its own (a temporary
folder), so a page stored by one test can never answer another; published
profiles are built from ``make_sample`` (registry canaries included) through
the publishing action functions, never by writing rows directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from unforgotten.publishing import actions
from unforgotten.publishing.models import PublicProfile
from unforgotten.registry.models import Person

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture(autouse=True)
def page_store(tmp_path: Path, settings: Any) -> Iterator[Path]:
    settings.PUBLIC_CACHE_DIR = tmp_path / "public-cache"
    settings.PUBLIC_CACHE_ENABLED = True
    yield Path(settings.PUBLIC_CACHE_DIR)


def publish(person: Person, language: str, story: str, *, author: Any, reviewer: Any,
            featured: bool = True) -> PublicProfile:
    """Draft → review → published, the way the workspace does it."""
    profile = actions.do_create_profile(person=person, language=language,
                                        data={"story": story, "featured": featured}, acting_user=author)
    actions.do_submit_for_review(profile=profile, acting_user=author)
    return actions.do_approve(profile=profile, acting_user=reviewer)


def publish_everywhere(person: Person, cast: Any, story: str = "She sang for freedom.") -> list[PublicProfile]:
    return [publish(person, code, f"{story} [{code}]", author=cast.amal, reviewer=cast.bilal) for code in LANGUAGES]


def publish_item(item: Any, *, author: Any, reviewer: Any) -> Any:
    """Submit a draft story, campaign, resource or video and have a second person approve it."""
    actions.do_submit_item(item=item, acting_user=author)
    return actions.do_approve_item(item=item, acting_user=reviewer)

