"""Signing a petition through the public pages, end to end against a real SMTP server (issue 7, items 1-2)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from unforgotten.actions import abuse
from unforgotten.actions.actions import do_refresh_counts
from unforgotten.actions.models import (
    Consent,
    ConsentPurpose,
    Petition,
    Signature,
    SignatureState,
    Supporter,
)
from unforgotten.actions.testing import CANARY_COMMENT, CANARY_EMAIL, CANARY_NAME, links_in
from unforgotten.core import outbox

pytestmark = pytest.mark.django_db

PAGE = "/en/petitions/free-them-all/"
SIGN = "/en/petitions/free-them-all/sign/"


def _sign(client: Client, **fields: Any) -> Any:
    data = {"email": "nadia@example.com", "given_name": "Nadia", "country": "", "comment": "", "website": "",
            "altcha": ""}
    data.update(fields)
    return client.post(SIGN, data)


def _mails_to(smtp_server: Any, address: str) -> list[str]:
    outbox.deliver_due()
    return [body for message, body in zip(smtp_server.messages, smtp_server.bodies(), strict=True)
            if address in str(message["To"])]


def _path(url: str) -> str:
    return urlsplit(url).path


def test_it_takes_a_signature_confirms_it_by_post_and_counts_it(pet: Any, smtp_server: Any) -> None:
    client = Client()
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Free them all" in page.content.decode() and "Minister of Justice" in page.content.decode()
    answer = _sign(client, newsletter="on", comment="Free them now")
    assert answer.status_code == 200 and "Check your e-mail" in answer.content.decode()
    signature = Signature.objects.get(petition=pet.petition, supporter__given_name="Nadia")
    assert signature.state == SignatureState.PENDING and not signature.counted
    mails = _mails_to(smtp_server, "nadia@example.com")
    assert len(mails) == 1
    [link] = links_in(mails[0])
    # A mail scanner opening the link confirms nothing: the GET only shows the buttons.
    shown = client.get(_path(link))
    assert shown.status_code == 200 and "Confirm only" in shown.content.decode()
    signature.refresh_from_db()
    assert signature.state == SignatureState.PENDING
    confirmed = client.post(_path(link), {"keep_informed": "1"})
    assert confirmed.status_code == 200 and "is confirmed" in confirmed.content.decode()
    signature.refresh_from_db()
    assert signature.state == SignatureState.CONFIRMED and signature.counted
    purposes = dict(Consent.objects.filter(supporter=signature.supporter).values_list("purpose", "text"))
    assert set(purposes) == {ConsentPurpose.COUNTED, ConsentPurpose.NEWSLETTER, ConsentPurpose.CAMPAIGN_UPDATES}
    assert purposes[ConsentPurpose.CAMPAIGN_UPDATES] == "Confirm and keep me informed about this campaign by e-mail."
    # The count shown is the periodic sum, "as of" its time: 1 (the sample) until the job runs, then 2.
    assert Petition.objects.get(pk=pet.petition.pk).count_shown == 1
    do_refresh_counts()
    assert re.search(r"<strong>2</strong>", client.get(PAGE).content.decode())
    # The link is spent: a replay says so and changes nothing.
    again = client.post(_path(link), {"keep_informed": "0"})
    assert again.status_code == 404 and "does not work" in again.content.decode()
    assert Consent.objects.filter(supporter=signature.supporter).count() == 3


def test_it_confirms_only_without_keeping_the_signer_informed(pet: Any, smtp_server: Any) -> None:
    client = Client()
    _sign(client, email="omar@example.com")
    [link] = links_in(_mails_to(smtp_server, "omar@example.com")[0])
    client.post(_path(link), {"keep_informed": "0"})
    supporter = Supporter.objects.get(given_name="Nadia")
    assert list(Consent.objects.filter(supporter=supporter).values_list("purpose", flat=True)) == [
        ConsentPurpose.COUNTED]


def test_it_answers_a_repeat_exactly_like_a_first_signature_and_counts_once(pet: Any, smtp_server: Any) -> None:
    client = Client()
    first = _sign(client, email="Rima@Example.com")
    [link] = links_in(_mails_to(smtp_server, "rima@example.com")[0])
    client.post(_path(link), {"keep_informed": "0"})
    repeat = _sign(client, email="rima@example.com")
    stranger = _sign(client, email="someone-new@example.com")
    # The same page whether or not the address had signed (the CSRF token aside, nothing differs).
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", repeat.content.decode()) == strip.sub("", first.content.decode()) == strip.sub(
        "", stranger.content.decode())
    assert Signature.objects.filter(petition=pet.petition, supporter__email_key=Supporter.objects.get(
        given_name="Nadia", signatures__confirmed_at__isnull=False).email_key).count() == 1
    do_refresh_counts()
    assert Petition.objects.get(pk=pet.petition.pk).count_shown == 2
    # Only the address's owner hears about the repeat.
    assert "already counted" in _mails_to(smtp_server, "rima@example.com")[-1]


def test_it_refuses_forged_expired_and_foreign_tokens_with_one_answer(pet: Any, smtp_server: Any) -> None:
    client = Client()
    _sign(client, email="lina@example.com")
    [link] = links_in(_mails_to(smtp_server, "lina@example.com")[0])
    token = _path(link).rstrip("/").rsplit("/", 1)[1]
    forged = client.post(f"/en/petitions/free-them-all/confirm/{token[:-2]}xx/", {"keep_informed": "1"})
    other_petition = client.post(f"/en/petitions/another/confirm/{token}/", {"keep_informed": "1"})
    assert forged.status_code == other_petition.status_code == 404
    assert forged.content == other_petition.content
    import time_machine

    with time_machine.travel("2099-01-01"):
        expired = client.post(_path(link), {"keep_informed": "1"})
    assert expired.status_code == 404 and expired.content == forged.content
    assert Signature.objects.get(supporter__given_name="Nadia", petition=pet.petition,
                                 confirmed_at__isnull=True).state == SignatureState.PENDING


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"email": "not-an-address"}, "email", "Enter a valid email address."),
    ({"email": "a@b.c\x07"}, "email", "Enter a valid e-mail address."),
    ({"email": "a@b.c\x00"}, "email", "Null characters are not allowed."),
    ({"email": ""}, "email", "This field is required."),
    ({"comment": "x" * (1024 * 1024)}, "comment", "Keep this under 2000 characters."),
    ({"comment": "bell \x07 inside"}, "comment", "Remove the control characters from this text."),
    ({"given_name": "tab\there"}, "given_name", "Remove the control characters from this text."),
])
def test_it_refuses_bad_input_clearly_and_stores_nothing(pet: Any, fields: dict[str, str], field: str,
                                                         message: str) -> None:
    before = (Signature.objects.count(), Supporter.objects.count())
    answer = _sign(Client(), **fields)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert (Signature.objects.count(), Supporter.objects.count()) == before
    # Nothing about any other signer is revealed on the error page.
    for canary in (CANARY_EMAIL, CANARY_NAME, CANARY_COMMENT):
        assert canary not in answer.content.decode()


def test_it_keeps_html_in_a_comment_as_text(pet: Any) -> None:
    _sign(Client(), email="html@example.com", comment="<script>alert(1)</script><b>bold</b>")
    assert Signature.objects.get(comment__startswith="<script>").comment == "<script>alert(1)</script><b>bold</b>"


def test_it_says_a_closed_petition_takes_no_signature(pet: Any) -> None:
    from unforgotten.actions.actions import do_close_petition

    do_close_petition(petition=pet.petition, acting_user=pet.petition.organisation and _dana())
    page = Client().get(PAGE)
    assert "This petition is closed" in page.content.decode()
    answer = _sign(Client(), email="late@example.com")
    assert answer.status_code == 400 and "This petition is closed" in answer.content.decode()
    assert not Supporter.objects.filter(given_name="Nadia").exists()


def test_it_asks_again_when_the_challenge_expired(pet: Any) -> None:
    challenge = abuse.new_challenge(now=0, maximum=50)
    answer = _sign(Client(), email="slow@example.com", altcha=abuse.solve(challenge))
    assert answer.status_code == 400 and "open for too long" in answer.content.decode()
    assert not Supporter.objects.filter(given_name="Nadia").exists()


def test_it_shows_no_signer_and_no_address_on_the_public_page(pet: Any) -> None:
    html = Client().get(PAGE).content.decode() + Client().get("/ar/petitions/free-them-all/").content.decode()
    for canary in (CANARY_EMAIL, CANARY_NAME, CANARY_COMMENT, "minister-canary@example.gov",
                   "reach through the embassy"):
        assert canary not in html
    assert "أطلقوا سراحهم جميعًا" in html


def test_it_works_in_every_language(pet: Any) -> None:
    from django.conf import settings

    for code, _name in settings.LANGUAGES:
        page = Client().get(f"/{code}/petitions/free-them-all/")
        assert page.status_code == 200, code
        # The same for every reader: stored, and asked again each time (never kept by browsers or proxies).
        assert page["Cache-Control"] == "no-cache"


def test_it_hides_a_draft_petition(pet: Any) -> None:
    Petition.objects.filter(pk=pet.petition.pk).update(status="draft")
    assert Client().get(PAGE).status_code == 404


def _dana() -> Any:
    from unforgotten.accounts.models import User

    return User.objects.get(email="dana@example.org")


def test_it_speaks_the_supporter_language_on_the_page_and_in_the_mail(pet: Any, smtp_server: Any) -> None:
    french = Client().get("/fr/petitions/free-them-all/").content.decode()
    assert "Signer la pétition" in french and "Comptez ma signature sur cette pétition" in french
    arabic = Client().get("/ar/petitions/free-them-all/").content.decode()
    assert 'dir="rtl"' in arabic and "وقّع العريضة" in arabic
    Client().post("/ru/petitions/free-them-all/sign/", {"email": "ivan@example.com", "website": "", "altcha": ""})
    [body] = _mails_to(smtp_server, "ivan@example.com")
    assert "Подпись будет учтена после подтверждения" in body and "/ru/petitions/free-them-all/confirm/" in body
