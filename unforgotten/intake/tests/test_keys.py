"""Issue 6: the suggester's sealed contact and the subscriber's address follow a rotation of the sealed-fields key."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from unforgotten.core import keyring
from unforgotten.intake.models import Suggestion
from unforgotten.intake.testing import CONTACT_CANARY, make_suggestion
from unforgotten.newsletter import actions
from unforgotten.newsletter.models import Subscriber

pytestmark = pytest.mark.django_db


def test_it_reencrypts_suggestions_and_subscribers_under_a_new_key(cast: Any) -> None:
    make_suggestion(cast)
    actions.do_sign_up(organisation=cast.org_a, email="reader@example.net", language="en", consent_text="Yes.")
    before = keyring.active_key_id("sealed-fields")
    keyring.rotate_data_keys(("sealed-fields",))
    report = keyring.reencrypt_sealed_fields()
    assert report.skipped == [] and report.changed >= 3
    suggestion, subscriber = Suggestion.objects.get(), Subscriber.objects.get()
    assert keyring.token_key_id(suggestion.contact) != before
    assert suggestion.unsealed("contact") == CONTACT_CANARY
    assert keyring.token_key_id(subscriber.email) != before and subscriber.project_email() == "reader@example.net"
    # Signing up again still finds the same address (the digest does not depend on the data key).
    actions.do_sign_up(organisation=cast.org_a, email="Reader@Example.net ", language="en", consent_text="Yes.")
    assert Subscriber.objects.count() == 1
    assert Client().get("/en/newsletter/").status_code == 200
