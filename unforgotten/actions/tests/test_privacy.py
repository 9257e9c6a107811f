"""Supporters' privacy (issue 7, item 1; T3): no client address or user agent kept, the supporter's own
data exported and erased from an e-mailed link, signers anonymised after a petition closes, canaries."""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from unforgotten.actions import actions
from unforgotten.actions.models import Consent, Petition, Signature, Supporter
from unforgotten.actions.testing import (
    CANARY_COMMENT,
    CANARY_EMAIL,
    CANARY_NAME,
    DATA_LINK,
    database_text,
    links_in,
    token_for,
)
from unforgotten.core import outbox
from unforgotten.core.models import RateWindow

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_it_keeps_no_client_address_and_no_user_agent_anywhere(pet: Any, settings: Any, caplog: Any) -> None:
    """T3: 1,000 signatures from 50 client addresses, a unique User-Agent each: none of them stored or logged."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    caplog.set_level(logging.DEBUG)
    total = int(os.environ.get("T3_SIGNATURES", "1000"))
    addresses = [f"198.51.100.{i}" for i in range(1, 51)]
    agents = []
    client = Client()
    for n in range(total):
        agent = f"UA-canary-{n:05d}/1.0 (T3)"
        agents.append(agent)
        answer = client.post("/en/petitions/free-them-all/sign/", {
            "email": f"t3-{n}@example.com", "website": "", "altcha": ""},
            HTTP_USER_AGENT=agent, HTTP_X_FORWARDED_FOR=addresses[n % 50])
        assert answer.status_code == 200
    assert Signature.objects.filter(petition=pet.petition).count() == total + 1
    dumped = database_text()
    logged = caplog.text
    for address in addresses:
        assert address not in dumped and address not in logged
    for agent in agents:
        assert agent not in dumped and agent not in logged
    # The one documented place a trace of the address lives: keyed, day-bound digests, purged after 24 hours.
    assert RateWindow.objects.exists()
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        from unforgotten.core.antispam import forget_old

        forget_old()
    assert not RateWindow.objects.exists()


def test_it_stores_the_address_only_encrypted(pet: Any) -> None:
    assert CANARY_EMAIL not in database_text()
    assert Supporter.objects.get(pk=pet.signature.supporter_id).email == CANARY_EMAIL


def test_it_lets_a_supporter_download_then_erase_their_data_from_an_emailed_link(pet: Any, smtp_server: Any) -> None:
    client = Client()
    asked = client.post("/en/supporters/my-data/", {"email": CANARY_EMAIL, "website": ""})
    unknown = client.post("/en/supporters/my-data/", {"email": "never-signed@example.com", "website": ""})
    # The same answer whether or not the address is known; only the known one gets a mail.
    assert asked.status_code == unknown.status_code == 200
    assert asked.content.decode().count("we have sent it a link") == 1
    outbox.deliver_due()
    assert "never-signed@example.com" not in [str(m["To"]) for m in smtp_server.messages]
    [link] = [found for body in smtp_server.bodies() for found in links_in(body, DATA_LINK)]
    path = urlsplit(link).path
    assert client.get(path).status_code == 200
    exported = client.post(path, {"do": "export"})
    assert exported["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = exported.json()["supporters"][0]
    assert data["email"] == CANARY_EMAIL and data["given_name"] == CANARY_NAME
    assert {c["purpose"] for c in data["consents"]} == {"counted", "newsletter", "campaign_updates"}
    assert data["signatures"][0]["comment"] == CANARY_COMMENT
    erased = client.post(path, {"do": "erase"})
    assert erased.status_code == 200 and "is erased" in erased.content.decode()
    assert not Supporter.objects.exists() and not Consent.objects.exists()
    signature = Signature.objects.get(pk=pet.signature.pk)
    # The signature still counts, linked to nobody.
    assert signature.counted and signature.supporter_id is None and signature.comment == ""
    text = database_text()
    for canary in (CANARY_NAME, CANARY_COMMENT):
        assert canary not in text
    assert client.post(path, {"do": "export"}).json() == {
        "supporters": [], "letters_to_prisoners": [], "letters_to_officials": [], "event_rsvps": [], "newsletter": []}


def test_it_refuses_a_forged_or_expired_data_link(pet: Any) -> None:
    client = Client()
    token = actions.data_link_token(CANARY_EMAIL)
    assert client.get(f"/en/supporters/my-data/{token[:-3]}abc/").status_code == 404
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert client.post(f"/en/supporters/my-data/{token}/", {"do": "erase"}).status_code == 404
    assert Supporter.objects.exists()


def test_it_anonymises_signers_months_after_the_petition_closes(cast: Any, pet: Any, settings: Any) -> None:
    settings.PETITION_ANONYMISE_MONTHS = 6
    pending = actions.do_sign_petition(petition=pet.petition, email="pending@example.com").signature
    chosen = actions.do_sign_petition(petition=pet.petition, email="chosen@example.com",
                                      comment="printed without a name").signature
    actions.do_confirm_signature(token=token_for(chosen), keep_informed=False)
    actions.do_choose_comments(petition=pet.petition, signature_ids=[chosen.pk], acting_user=cast.dana)
    actions.do_close_petition(petition=pet.petition, acting_user=cast.dana)
    assert actions.do_anonymise_closed_petitions(timezone.now() + timedelta(days=150)) == 0
    assert actions.do_anonymise_closed_petitions(timezone.now() + timedelta(days=190)) == 1
    assert not Signature.objects.filter(pk=pending.pk).exists()
    rows = Signature.objects.filter(petition=pet.petition)
    assert all(s.supporter_id is None and s.anonymised for s in rows)
    assert set(rows.values_list("comment", flat=True)) == {"", "printed without a name"}
    # The canary signer asked for the newsletter: that consent, and only it, keeps their supporter record.
    assert list(Supporter.objects.values_list("given_name", flat=True)) == [CANARY_NAME]
    assert list(Consent.objects.values_list("purpose", flat=True)) == ["newsletter"]
    actions.do_refresh_counts()
    assert Petition.objects.get(pk=pet.petition.pk).count_shown == 2


def test_it_deletes_unconfirmed_signatures_after_their_link_expires(pet: Any, settings: Any) -> None:
    actions.do_sign_petition(petition=pet.petition, email="never-confirms@example.com")
    assert actions.do_expire_pending(timezone.now() + timedelta(days=settings.PETITION_PENDING_DAYS - 1)) == 0
    assert actions.do_expire_pending(timezone.now() + timedelta(days=settings.PETITION_PENDING_DAYS + 1)) == 1
    assert Supporter.objects.count() == 1


def test_it_never_shows_a_signer_to_the_public_api_or_another_organisation(cast: Any, pet: Any) -> None:
    from unforgotten.api.actions import do_create_api_token

    public = Client().get("/api/v1/actions/public/petitions/free-them-all").content.decode()
    _token, raw = do_create_api_token(organisation=cast.org_b, name="b", scopes=["read", "campaign"],
                                      acting_user=cast.chris)
    other = Client().get(f"/api/v1/actions/org-a/petitions/{pet.petition.uuid}/signatures",
                         HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert other.status_code == 404
    own = _client_api(cast, pet)
    for text in (public, other.content.decode(), own):
        for canary in (CANARY_EMAIL, CANARY_NAME):
            assert canary not in text
    assert CANARY_COMMENT not in public


def _client_api(cast: Any, pet: Any) -> str:
    client = Client()
    client.force_login(cast.dana)
    answer = client.get(f"/api/v1/actions/org-a/petitions/{pet.petition.uuid}/signatures")
    assert answer.status_code == 200
    return answer.content.decode()


def test_it_logs_no_signer_address(pet: Any, smtp_server: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    Client().post("/en/petitions/free-them-all/sign/", {"email": "logged@example.com", "website": "",
                                                          "altcha": "bad"})
    outbox.deliver_due()
    # The test SMTP server's own debug log (aiosmtpd, "mail.log") is the receiving side, not ours.
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail.log"))
    assert ours.strip() == "" or ("logged@example.com" not in ours and CANARY_EMAIL not in ours)
    assert "logged@example.com" not in ours


def test_it_withdraws_consent_from_the_data_link_as_easily_as_it_was_given(pet: Any) -> None:
    from unforgotten.actions.models import ConsentPurpose

    Signature.objects.filter(pk=pet.signature.pk).update(show_name=True)
    token = actions.data_link_token(CANARY_EMAIL)
    answer = Client().post(f"/fr/supporters/my-data/{token}/", {"do": "withdraw"})
    assert answer.status_code == 200 and "vous ne recevrez plus d'e-mails" in answer.content.decode()
    live = Consent.objects.filter(withdrawn_at__isnull=True).values_list("purpose", flat=True)
    assert list(live) == [ConsentPurpose.COUNTED]
    assert not Signature.objects.get(pk=pet.signature.pk).show_name


def test_it_never_lets_a_stranger_rename_a_signer(pet: Any) -> None:
    actions.do_sign_petition(petition=pet.petition, email=CANARY_EMAIL, given_name="Impostor", country="RU")
    supporter = Supporter.objects.get(pk=pet.signature.supporter_id)
    assert (supporter.given_name, supporter.country) == (CANARY_NAME, "FR")
