"""The signing fast path, the stored petition page and petitions on prisoners' profiles (issue 7, decision 0025).

Personas: Dana (Org A's admin, ``campaign``) runs the petition; the public signs
and reads; Amal and Bilal publish Org A's prisoner profiles.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from unforgotten.actions import abuse, actions, fastpath
from unforgotten.actions.models import (
    Petition,
    PetitionStatus,
    QuarantineReason,
    Signature,
    Supporter,
)
from unforgotten.actions.supporters import email_key
from unforgotten.actions.testing import CANARY_COMMENT, CANARY_EMAIL, CANARY_NAME
from unforgotten.core.models import OutboxMessage
from unforgotten.publishing import cache

pytestmark = pytest.mark.django_db

PAGE = "/en/petitions/free-them-all/"
SIGN = "/en/petitions/free-them-all/sign/"
CHALLENGE = "/en/petitions/free-them-all/challenge/"


def _form(**fields: Any) -> dict[str, Any]:
    data = {"email": "hana@example.com", "given_name": "", "country": "", "comment": "", "website": "",
            "altcha": ""}
    data.update(fields)
    return data


def test_it_takes_an_ordinary_signature_before_the_middleware_stack(pet: Any) -> None:
    client = Client(enforce_csrf_checks=True)  # no token anywhere: signing needs no session
    with CaptureQueriesContext(connection) as queries:
        answer = client.post(SIGN, _form(newsletter="on", country="FR", comment="Free them"))
    assert answer.status_code == 200 and "Check your e-mail" in answer.content.decode()
    assert answer["Cache-Control"] == "no-store" and "Set-Cookie" not in answer
    # No session, user, CSRF or template work reached the database: the petition and its texts (read once
    # per process and a few seconds), the rate counters, and the signature's own writes (here inside the
    # test's transaction, so in steps: two key reads, supporter, signature, the outbox's check and row).
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "django_session" not in sql and "accounts_user" not in sql
    work = [q["sql"][:60] for q in queries.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "SET"))]
    assert len(work) <= 9, work
    signature = Signature.objects.get(supporter__email_key=email_key("hana@example.com"))
    assert signature.petition_id == pet.petition.pk and signature.country == "FR"
    assert signature.comment == "Free them" and set(signature.pending_consents) == {"counted", "newsletter"}
    assert OutboxMessage.objects.filter(dedupe_key=f"actions.sign:{signature.pk}").count() == 1
    assert signature.token_digest == actions._digest(actions.confirmation_token(signature))


def test_it_answers_a_repeat_and_a_honeypot_like_a_first_signature(pet: Any) -> None:
    first = Client().post(SIGN, _form())
    repeat = Client().post(SIGN, _form())
    bot = Client().post(SIGN, _form(email="bot@spam.example", website="http://spam.example"))
    assert first.content == repeat.content == bot.content
    assert Signature.objects.filter(supporter__email_key=email_key("hana@example.com")).count() == 1
    assert not Supporter.objects.filter(email_key=email_key("bot@spam.example")).exists()


def test_it_leaves_a_form_to_correct_to_the_view(pet: Any) -> None:
    before = Signature.objects.count()
    answer = Client().post(SIGN, _form(email="not an address", comment="x" * (actions.MAX_COMMENT + 1)))
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Enter a valid email address." in page and 'name="email"' in page
    assert Signature.objects.count() == before
    with_control = Client().post(SIGN, _form(given_name="a\x00b"))
    assert with_control.status_code == 400 and Signature.objects.count() == before


def test_it_takes_nothing_for_a_petition_closed_since_the_process_read_it(pet: Any) -> None:
    assert fastpath.cached_petition("free-them-all") is not None  # this process holds it as open
    # Closed by another process: this one's copy is not told (only its own closes are).
    Petition.objects.filter(pk=pet.petition.pk).update(status=PetitionStatus.CLOSED)
    before = (Signature.objects.count(), Supporter.objects.count(), OutboxMessage.objects.count())
    answer = Client().post(SIGN, _form(email="late@example.com"))
    assert answer.status_code == 400 and "This petition is closed" in answer.content.decode()
    assert (Signature.objects.count(), Supporter.objects.count(), OutboxMessage.objects.count()) == before


def test_it_serves_a_challenge_apart_so_the_page_is_the_same_for_everyone(pet: Any) -> None:
    one, two = Client().get(PAGE), Client().get(PAGE)
    assert one.content == two.content
    page = one.content.decode()
    assert "csrfmiddlewaretoken" not in page and 'data-challenge-url="/en/petitions/free-them-all/challenge/"' in page
    answer = Client().get(CHALLENGE)
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    challenge = json.loads(answer.content)
    assert challenge != json.loads(Client().get(CHALLENGE).content)  # one per visitor
    assert set(challenge) == {"algorithm", "challenge", "salt", "maxnumber", "signature"}
    proof = abuse.solve(abuse.new_challenge(maximum=200))  # what the page's script does with one
    Client().post(SIGN, _form(email="solved@example.com", altcha=proof))
    Client().post(SIGN, _form(email="replayed@example.com", altcha=proof))
    solved = Signature.objects.get(supporter__email_key=email_key("solved@example.com"))
    replayed = Signature.objects.get(supporter__email_key=email_key("replayed@example.com"))
    assert solved.proof_of_work and not solved.quarantine
    assert replayed.quarantine == QuarantineReason.BAD_CHALLENGE and not replayed.proof_of_work


def test_it_serves_the_stored_petition_page_without_a_query(pet: Any, django_assert_num_queries: Any) -> None:
    first = Client().get(PAGE)
    assert first["X-Public-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = Client().get(PAGE)
    assert again["X-Public-Cache"] == "hit" and again.content == first.content
    stored = b"".join(path.read_bytes() for path in cache.stored_files())
    for canary in (CANARY_EMAIL, CANARY_NAME, CANARY_COMMENT, "Free them all (internal)", "minister-canary"):
        assert canary.encode() not in stored


def test_it_renders_the_page_afresh_when_the_count_moves_or_the_petition_closes(pet: Any, cast: Any) -> None:
    Client().get(PAGE)
    assert Client().get(PAGE)["X-Public-Cache"] == "hit"
    actions.do_refresh_counts()  # nothing moved: the stored page stays
    assert Client().get(PAGE)["X-Public-Cache"] == "hit"
    outcome = actions.do_sign_petition(petition=pet.petition, email="second@example.com")
    from unforgotten.actions.testing import token_for

    actions.do_confirm_signature(token=token_for(outcome.signature), keep_informed=False)
    actions.do_refresh_counts()
    fresh = Client().get(PAGE)
    assert fresh["X-Public-Cache"] == "miss" and "<strong>2</strong>" in fresh.content.decode()
    actions.do_close_petition(petition=Petition.objects.get(pk=pet.petition.pk), acting_user=cast.dana)
    closed = Client().get(PAGE).content.decode()
    assert "This petition is closed" in closed and 'id="sign"' not in closed


# --- petitions on prisoners' profiles -------------------------------------------------------------


def _profile(person: Any, language: str = "en") -> str:
    return Client().get(f"/{language}/prisoners/{person.slug}/").content.decode()


def test_it_lists_open_petitions_for_a_person_on_their_public_profile(pet: Any, cast: Any) -> None:
    from unforgotten.publishing.tests.conftest import publish
    from unforgotten.registry.testing import make_sample

    sample = make_sample(cast)
    publish(sample.person_a, "en", "Her story.", author=cast.amal, reviewer=cast.bilal)
    publish(sample.person_a, "fr", "Son histoire.", author=cast.amal, reviewer=cast.bilal)
    assert "Petitions for this person" not in _profile(sample.person_a)
    actions.do_update_petition(petition=Petition.objects.get(pk=pet.petition.pk), data={}, people=[sample.person_a],
                               acting_user=cast.dana)
    shown = _profile(sample.person_a)
    assert "Petitions for this person" in shown and 'href="/en/petitions/free-them-all/"' in shown
    assert "Free them all" in shown and "Free them all (internal)" not in shown
    # Only in the reader's language: the petition has no French text.
    assert "/fr/petitions/free-them-all/" not in _profile(sample.person_a, "fr")
    for canary in sample.canaries:
        assert canary not in shown
    # A closed petition leaves the profile at once (the stored profile is purged).
    actions.do_close_petition(petition=Petition.objects.get(pk=pet.petition.pk), acting_user=cast.dana)
    assert "Petitions for this person" not in _profile(sample.person_a)


def test_it_links_only_people_of_the_petitions_organisation(pet: Any, cast: Any) -> None:
    from django.core.exceptions import ValidationError

    from unforgotten.registry.testing import make_sample

    org_b_person = make_sample(cast).person_b  # Chris's Org B: Dana must not name them
    with pytest.raises(ValidationError):
        actions.do_update_petition(petition=Petition.objects.get(pk=pet.petition.pk), data={},
                                   people=[org_b_person], acting_user=cast.dana)
    assert not Petition.objects.get(pk=pet.petition.pk).people.exists()


def test_it_keeps_the_fast_path_in_front_of_sessions_and_csrf() -> None:
    from django.conf import settings

    stack = list(settings.MIDDLEWARE)
    fast = stack.index("unforgotten.actions.fastpath.SigningFastPathMiddleware")
    assert fast < stack.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert fast < stack.index("django.middleware.csrf.CsrfViewMiddleware")
    assert fast > stack.index("django.middleware.security.SecurityMiddleware")
    assert fast > stack.index("django.middleware.csp.ContentSecurityPolicyMiddleware")


@pytest.mark.django_db(transaction=True)
def test_it_writes_a_new_signature_in_one_statement_on_postgresql(cast: Any, flushable_audit: None,
                                                                  smtp_server: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement signature is PostgreSQL's (SQLite takes the steps)")
    from unforgotten.actions.testing import make_petition_sample

    sample = make_petition_sample(cast, confirm=False)
    petition = Petition.objects.prefetch_related("texts").get(pk=sample.petition.pk)
    with CaptureQueriesContext(connection) as queries:
        outcome = actions.do_sign_petition(petition=petition, email="Noor@Example.com", comment="<b>free</b>",
                                           consents=["newsletter"])
    writes = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert len(writes) == 1 and "set_config('synchronous_commit', 'on', true)" in writes[0]
    assert not any(q["sql"].startswith(("BEGIN", "SAVEPOINT")) for q in queries.captured_queries)
    stored = Signature.objects.select_related("supporter").get(pk=outcome.signature.pk)
    assert outcome.created and stored.supporter is not None and stored.supporter.email == "noor@example.com"
    assert stored.comment == "<b>free</b>" and set(stored.pending_consents) == {"counted", "newsletter"}
    assert stored.token_digest == actions._digest(actions.confirmation_token(stored))
    mail = OutboxMessage.objects.get(dedupe_key=f"actions.sign:{stored.pk}")
    assert mail.kind == "actions.confirm_signature"
    # Kicked after the commit (the tests' task backend delivers at once): the link in it works.
    from unforgotten.actions.testing import links_in

    [body] = [b for m, b in zip(smtp_server.messages, smtp_server.bodies(), strict=True) if "noor@" in str(m["To"])]
    [link] = links_in(body)
    assert link.rstrip("/").rsplit("/", 1)[1] and actions._digest(link.rstrip("/").rsplit("/", 1)[1]) == \
        stored.token_digest
    # A repeat writes nothing new in the statement and takes the steps (a re-sent link, the same answer).
    again = actions.do_sign_petition(petition=petition, email="noor@example.com")
    assert not again.created and again.signature.pk == stored.pk
    assert Signature.objects.filter(petition=petition, supporter=stored.supporter).count() == 1
    # Closed since the caller read it: nothing at all is written, not even the supporter.
    Petition.objects.filter(pk=petition.pk).update(status=PetitionStatus.CLOSED)
    counts = (Supporter.objects.count(), Signature.objects.count(), OutboxMessage.objects.count())
    with pytest.raises(ValidationError):
        actions.do_sign_petition(petition=petition, email="late@example.com")
    assert (Supporter.objects.count(), Signature.objects.count(), OutboxMessage.objects.count()) == counts


def test_it_passes_the_driver_what_the_orm_would_for_the_one_statements_native_fields() -> None:
    # The one-statement signature skips get_db_prep_save where it returns the value unchanged (decision 0025,
    # second stage); this holds the claim to the fields it is made for.
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement signature is PostgreSQL's")
    import datetime
    import uuid

    from django.utils import timezone

    samples: dict[str, list[Any]] = {
        "CharField": ["x", ""], "TextField": ["x", ""], "IntegerField": [3], "BigIntegerField": [3, None],
        "PositiveIntegerField": [12], "SmallIntegerField": [2], "BooleanField": [True, False],
        "DateTimeField": [timezone.now(), None], "DateField": [datetime.date(2026, 1, 2)],
        "UUIDField": [uuid.uuid4()], "BinaryField": [b"\x00sealed"], "ForeignKey": [5], "AutoField": [5],
        "BigAutoField": [5]}
    statement = actions._one_statement()
    assert len(statement.fields) == statement.sql.count("%s")
    native = [f for f, adapter in zip(statement.fields, statement.adapters, strict=True) if adapter is None]
    adapted = {type(adapter).__name__ for adapter in statement.adapters if adapter is not None}
    # The JSON consents are adapted, and the sealed address and its digest keep their own checks.
    assert native and adapted == {"JSONField", "EnvelopeBinaryField", "DigestField"}, adapted
    for field in native:
        for value in samples[field.get_internal_type()]:
            prepared = field.get_db_prep_save(value, connection)
            assert getattr(prepared, "obj", prepared) == value, field


def test_it_composes_the_confirmation_mail_once_per_petition_and_language(pet: Any, cast: Any) -> None:
    petition = Petition.objects.prefetch_related("texts").get(pk=pet.petition.pk)
    for language in ("en", "ar"):
        title = petition.text_for(language).title  # type: ignore[union-attr]
        for token in ("tok-A_1", "tok-B_2"):
            assert actions._confirmation_mail(petition, language, token) == \
                actions._compose_confirmation(petition, language, title, token)
    # A title holding the marker itself: the token goes in the link only.
    odd = f"Free {actions._TOKEN_MARK} now"
    actions.do_set_petition_text(petition=petition, language="en", title=odd, summary="", body="Sign.",
                                 acting_user=cast.dana)
    petition = Petition.objects.prefetch_related("texts").get(pk=pet.petition.pk)
    subject, body = actions._confirmation_mail(petition, "en", "tok-C_3")
    assert actions._TOKEN_MARK in subject and body.count(actions._TOKEN_MARK) == 1  # in the title, as typed
    assert body.count("tok-C_3") == 1 and "/confirm/tok-C_3/" in body


def test_it_reads_a_posted_form_as_querydict_does(settings: Any) -> None:
    # Decision 0025, third stage: the front reads the body into a plain dict; every name answers as QueryDict's get.
    from django.core.exceptions import TooManyFieldsSent
    from django.http import QueryDict

    bodies = [b"email=a%40b.org&given_name=&comment=one+two%20three&newsletter=on",
              b"email=first%40x.org&email=last%40x.org&show_name=&show_name=1",  # a repeated name: the last
              "given_name=%D9%86%D9%88%D8%B1&country=FR&comment=\u00e9".encode(),  # percent-encoded and raw UTF-8
              b"comment=%FF%FE&given_name=\xff\xfe",  # not UTF-8 at all: decoded as QueryDict decodes it
              b"=x&website&altcha=abc%3D%3D&;&&", b""]
    for body in bodies:
        expected = QueryDict(body)
        got = fastpath.posted(body)
        assert set(got) == set(expected), body
        assert all(got.get(name) == expected.get(name) for name in expected), body
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    with pytest.raises(TooManyFieldsSent):
        QueryDict(b"a=1&b=2&c=3&d=4")
    with pytest.raises(TooManyFieldsSent):
        fastpath.posted(b"a=1&b=2&c=3&d=4")
