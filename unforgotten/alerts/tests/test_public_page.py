"""The public urgent action (issue 9, item 1): an approved alert becomes /<language>/urgent/<slug>/,
through the public projection and consent, in the public page store, and leaves it on withdrawal."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from unforgotten.alerts import actions
from unforgotten.alerts.testing import CANARY_NOTES, CANARY_SUMMARY, make_alerts_sample
from unforgotten.publishing import cache
from unforgotten.registry import actions as registry_actions
from unforgotten.registry.models import Consent

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "ar", "fa", "ru", "es", "fr", "zh-hans")


def _get(path: str) -> Any:
    return Client().get(path)


def test_it_shows_an_approved_alert_as_an_urgent_action_with_what_to_do(cast: Any, sample: Any) -> None:
    s = make_alerts_sample(cast, sample)
    page = _get(f"/en/urgent/{s.published.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Activist faces detention and travel ban" in html and "Transfer to an unknown place" in html
    assert "<li>Write to the prosecutor asking where she is held.</li>" in html
    assert "Maryia Kalesnikava" in html  # name consent is recorded
    # Works without JavaScript and loads nothing from elsewhere.
    assert "<script" not in html and 'src="http' not in html and "<form" not in html
    listing = _get("/en/urgent/").content.decode()
    assert f"/en/urgent/{s.published.slug}/" in listing
    # The unapproved (and unverified) alert has no page and is not listed.
    assert "Hunger strike" not in listing


def test_it_never_shows_internal_or_restricted_values(cast: Any, sample: Any) -> None:
    s = make_alerts_sample(cast, sample)
    bodies = [_get(f"/{lang}/urgent/").content.decode() for lang in LANGUAGES]
    bodies.append(_get(f"/en/urgent/{s.published.slug}/").content.decode())
    everything = "\n".join(bodies)
    assert CANARY_NOTES not in everything and CANARY_SUMMARY not in everything
    assert "Moved at night, family not told." not in everything  # the internal summary
    assert not [c for c in sample.canaries if c in everything]


def test_it_refuses_to_publish_an_unverified_alert_or_one_without_text(cast: Any, sample: Any) -> None:
    s = make_alerts_sample(cast, sample)
    with pytest.raises(ValidationError) as caught:
        actions.do_publish_alert(alert=s.alert, acting_user=cast.dana)
    assert "state" in caught.value.message_dict
    actions.do_move_alert(alert=s.alert, to="verified", acting_user=cast.dana)
    with pytest.raises(ValidationError) as caught:
        actions.do_publish_alert(alert=s.alert, acting_user=cast.dana)
    assert "texts" in caught.value.message_dict


def test_it_is_purged_from_the_page_store_on_withdrawal(cast: Any, sample: Any, public_store: Any) -> None:
    s = make_alerts_sample(cast, sample)
    path = f"/en/urgent/{s.published.slug}/"
    assert _get(path)["X-Public-Cache"] == "miss"
    assert _get(path)["X-Public-Cache"] == "hit"
    _get("/en/urgent/")
    assert any(b"Activist faces detention" in p.read_bytes() for p in cache.stored_files())
    actions.do_move_alert(alert=s.published, to="withdrawn", note="The report was false.", acting_user=cast.dana)
    assert not any(b"Activist faces detention" in p.read_bytes() for p in cache.stored_files())
    assert _get(path).status_code == 404
    assert "Activist faces detention" not in _get("/en/urgent/").content.decode()


def test_it_drops_the_name_at_once_when_consent_is_withdrawn(cast: Any, sample: Any, public_store: Any) -> None:
    s = make_alerts_sample(cast, sample)
    path = f"/en/urgent/{s.published.slug}/"
    assert "Maryia Kalesnikava" in _get(path).content.decode()
    consent = Consent.objects.get(person=sample.person_a, scope="name")
    registry_actions.do_withdraw_consent(consent=consent, withdrawn_on=date.today(), acting_user=cast.dana)  # noqa: DTZ011
    page = _get(path)
    assert page.status_code == 200 and page["X-Public-Cache"] == "miss"
    assert "Maryia Kalesnikava" not in page.content.decode() and "Belarus" in page.content.decode()


def test_it_exists_in_each_language_it_was_written_in(cast: Any, sample: Any) -> None:
    s = make_alerts_sample(cast, sample)
    assert _get(f"/ar/urgent/{s.published.slug}/").status_code == 404
    actions.do_save_public_text(alert=s.published, language="ar", data={
        "title": "ناشطة تواجه الاحتجاز وحظر السفر", "situation": "نُقلت إلى مكان مجهول.",
        "what_to_do": "اكتبوا إلى النائب العام."}, acting_user=cast.dana)
    page = _get(f"/ar/urgent/{s.published.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'dir="rtl"' in html and "ناشطة تواجه الاحتجاز" in html and "نقل إلى مكان مجهول" in html
    for lang in LANGUAGES:
        assert _get(f"/{lang}/urgent/").status_code == 200


def test_it_keeps_a_resolved_page_but_lists_only_live_actions(cast: Any, sample: Any) -> None:
    s = make_alerts_sample(cast, sample)
    actions.do_move_alert(alert=s.published, to="resolved", note="Found in SIZO-1.", acting_user=cast.dana)
    page = _get(f"/en/urgent/{s.published.slug}/").content.decode()
    assert "This urgent action is over" in page and "What to do now" not in page
    assert s.published.slug not in _get("/en/urgent/").content.decode()


def test_it_points_at_running_urgent_actions_from_the_home_page_and_the_person_s_profile(cast: Any,
                                                                                        sample: Any) -> None:
    from unforgotten.publishing import actions as publishing

    s = make_alerts_sample(cast, sample)
    profile = publishing.do_create_profile(person=sample.person_a, language="en", data={"story": "Her story."},
                                           acting_user=cast.amal)
    publishing.do_submit_for_review(profile=profile, acting_user=cast.amal)
    publishing.do_approve(profile=profile, acting_user=cast.bilal)
    link = f'href="/en/urgent/{s.published.slug}/"'
    assert link in _get("/en/").content.decode()
    assert link in _get(f"/en/prisoners/{sample.person_a.slug}/").content.decode()
    # Nothing of the unpublished alert, and nothing on pages of a language it was not written in.
    assert "Hunger strike" not in _get("/en/").content.decode()
