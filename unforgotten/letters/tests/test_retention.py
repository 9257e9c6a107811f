"""Issue 7 item 1 (act7 audit): letter writers are anonymised a configurable number of months after their
campaign closed or their letter to a prisoner was settled, as petition signers are; counts stay.

Personas: Dana (campaigner of Org A) closes the campaign; Amal (caseworker of Org A) moderates and compiles.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from unforgotten.audit.models import AuditEvent
from unforgotten.letters import actions
from unforgotten.letters.models import LetterConsent, OfficialLetter, Outreach, PrisonerLetter
from unforgotten.letters.testing import PENDING_BODY, SENDER_NAME, SUPPORTER_NAME

pytestmark = pytest.mark.django_db


def test_it_anonymises_writers_months_after_the_campaign_closes(letters: Any, cast: Any, settings: Any) -> None:
    settings.LETTER_ANONYMISE_MONTHS = 6
    actions.do_compile_batch(person=letters.person, acting_user=cast.amal)
    actions.do_set_campaign_status(campaign=letters.campaign, status="closed", acting_user=cast.dana)
    assert actions.do_anonymise_old_letters(timezone.now() + timedelta(days=150)) == 0
    assert actions.do_anonymise_old_letters(timezone.now() + timedelta(days=200)) > 0
    letter = OfficialLetter.objects.get(pk=letters.letter.pk)
    assert (letter.supporter_id, letter.body, letter.sender_name, letter.sender_place) == (None, "", "", "")
    assert not LetterConsent.objects.filter(campaign=letters.campaign).exists()
    assert Outreach.objects.get(campaign=letters.campaign, target=letters.target).letters_sent == 1
    approved = PrisonerLetter.objects.get(pk=letters.approved.pk)
    assert (approved.sender_name, approved.sender_address, approved.sender_email, approved.sender_email_key) == (
        "", "", "", None)
    assert approved.body  # the prisoner's mail stays
    # A letter still waiting for moderation is not settled: its writer may yet be asked for a change.
    assert PrisonerLetter.objects.get(body=PENDING_BODY).sender_email
    assert AuditEvent.objects.filter(action="letters.anonymise_writers").count() == 1
    assert SENDER_NAME not in str(AuditEvent.objects.values_list("changes", flat=True))
    # Run again: nothing left to do, nothing audited.
    assert actions.do_anonymise_old_letters(timezone.now() + timedelta(days=200)) == 0
    assert AuditEvent.objects.filter(action="letters.anonymise_writers").count() == 1


def test_it_keeps_writers_of_live_campaigns(letters: Any) -> None:
    assert actions.do_anonymise_old_letters(timezone.now() + timedelta(days=3000)) == 0
    assert OfficialLetter.objects.get(pk=letters.letter.pk).sender_name == SUPPORTER_NAME
