"""Issue 7 (decision 0025, third stage): concurrent signatures of one process written by one statement and one commit.

PostgreSQL only (SQLite takes the durable steps, one signature at a time). The
guarantees of decisions 0018 and 0025 hold for each signature of a group: the
petition's open state checked in the statement, supporter + signature + outbox row
together or not at all, silent dedupe (also for two of the same address in one
group), and each caller answered only after the commit that holds its row.

Personas: Dana (Org A's admin) runs the petitions; the public signs.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from unforgotten.actions import actions
from unforgotten.actions.models import Petition, PetitionStatus, Signature, Supporter
from unforgotten.actions.supporters import email_key
from unforgotten.actions.testing import CANARY_EMAIL, make_petition_sample
from unforgotten.core import groupcommit
from unforgotten.core.models import OutboxMessage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the group statement is PostgreSQL's (SQLite takes the steps)")


def _item(petition: Petition, email: str, *, country: str = "") -> list[Any]:
    signing = actions.clean_signing(petition, email=email, given_name="", country="", language="en", comment="",
                                    consents=())
    if country:
        signing = dataclasses.replace(signing, country=country)  # past the form's check, on purpose
    return actions._signature_item(petition, signing, quarantine="", proof_of_work=False)[0]


def _closed_since_read(cast: Any, slug: str) -> Petition:
    """A petition read while open (as the fast path caches it for a few seconds), closed since."""
    other = actions.do_create_petition(organisation=cast.org_a, acting_user=cast.dana,
                                       data={"name": slug, "slug": slug})
    actions.do_set_petition_text(petition=other, language="en", title=slug, summary="", body="Sign.",
                                 acting_user=cast.dana)
    actions.do_open_petition(petition=other, acting_user=cast.dana)
    held = Petition.objects.prefetch_related("texts").get(pk=other.pk)
    Petition.objects.filter(pk=other.pk).update(status=PetitionStatus.CLOSED)
    return held


def _mails(signature_id: int) -> int:
    return OutboxMessage.objects.filter(dedupe_key=f"actions.sign:{signature_id}").count()


def test_it_writes_a_group_in_one_statement_and_answers_each_item_on_its_own(cast: Any,
                                                                             flushable_audit: None) -> None:
    sample = make_petition_sample(cast)
    petition = Petition.objects.prefetch_related("texts").get(pk=sample.petition.pk)
    closed = _closed_since_read(cast, "closed-since")
    before = (Supporter.objects.count(), Signature.objects.count(), OutboxMessage.objects.count())
    items = [_item(petition, "amira@example.org"), _item(petition, "bo@example.org"),
             _item(petition, "Amira@Example.org"),  # the same address again, in the same group (a double click)
             _item(petition, CANARY_EMAIL),  # signed before this group
             _item(closed, "chen@example.org")]  # a petition that takes no signatures
    with CaptureQueriesContext(connection) as queries:
        answers = actions._write_signatures(items)
    writes = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert len(writes) == 1 and "set_config('synchronous_commit', 'on', true)" in writes[0]
    (open_a, sig_a, sup_a, mail_a), (open_b, sig_b, sup_b, mail_b) = answers[:2]
    assert open_a and open_b and None not in (sig_a, sup_a, mail_a, sig_b, sup_b, mail_b) and sig_a != sig_b
    # Nothing written for the repeat in the group, the earlier signer and the closed petition: the first two
    # take the steps (the same answer, silently), the last is refused as closed.
    assert answers[2:] == [(True, None, None, None), (True, None, None, None), (False, None, None, None)]
    for signature_id, supporter_id, mail_id in ((sig_a, sup_a, mail_a), (sig_b, sup_b, mail_b)):
        assert signature_id is not None
        stored = Signature.objects.get(pk=signature_id)
        assert stored.supporter_id == supporter_id and stored.petition_id == petition.pk
        assert OutboxMessage.objects.get(dedupe_key=f"actions.sign:{signature_id}").pk == mail_id
    assert (Supporter.objects.count(), Signature.objects.count(), OutboxMessage.objects.count()) == \
        (before[0] + 2, before[1] + 2, before[2] + 2)
    assert not Supporter.objects.filter(email_key=email_key("chen@example.org")).exists()


def _grouping(monkeypatch: pytest.MonkeyPatch, size: int,
              write: Callable[[Sequence[Any]], Any] = actions._write_signatures) -> groupcommit.Group[Any, Any]:
    """A fresh group whose first write waits until ``size - 1`` others queue behind it: they form the second."""
    first = threading.Event()

    def held(items: Sequence[Any]) -> Any:
        if not first.is_set():
            first.set()
            deadline = time.monotonic() + 10
            while len(group._queue) < size - 1 and time.monotonic() < deadline:
                time.sleep(0.01)
        return write(items)

    group: groupcommit.Group[Any, Any] = groupcommit.Group(held)
    monkeypatch.setattr(actions, "_GROUP", group)
    return group


def _sign_from_threads(petition: Petition, emails: list[str], **kwargs: Any) -> dict[int, Any]:
    outcomes: dict[int, Any] = {}

    def sign(n: int, email: str) -> None:
        try:
            outcome = actions.do_sign_petition(petition=petition, email=email, **kwargs)
            outcomes[n] = (outcome.created, outcome.signature.pk)
        except Exception as exc:  # noqa: BLE001  (recorded for the test's assertions)
            outcomes[n] = exc
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=sign, args=(n, email)) for n, email in enumerate(emails)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_it_takes_concurrent_signatures_together_and_a_double_click_once(cast: Any, flushable_audit: None,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    sample = make_petition_sample(cast)
    petition = Petition.objects.prefetch_related("texts").get(pk=sample.petition.pk)
    emails = ["first@example.org", "dora@example.org", "eli@example.org", "dora@example.org", "fay@example.org"]
    group = _grouping(monkeypatch, len(emails))
    outcomes = _sign_from_threads(petition, emails)
    assert (group.batches, group.items) == (2, len(emails))  # the first alone, the four queued behind it together
    assert not [o for o in outcomes.values() if isinstance(o, Exception)], outcomes
    # One signature per address, each with its one confirmation; the double click got the same signature.
    for email in set(emails):
        [signature] = Signature.objects.filter(petition=petition,
                                               supporter__email_key=email_key(email))
        assert _mails(signature.pk) == 1
    doubles = [outcomes[n] for n, email in enumerate(emails) if email == "dora@example.org"]
    assert doubles[0][1] == doubles[1][1] and sorted(created for created, _pk in doubles) == [False, True]


def test_it_writes_a_failed_groups_signatures_again_alone_and_fails_only_the_bad_one(
        cast: Any, flushable_audit: None, monkeypatch: pytest.MonkeyPatch) -> None:
    sample = make_petition_sample(cast)
    petition = Petition.objects.prefetch_related("texts").get(pk=sample.petition.pk)
    good = ["gus@example.org", "hal@example.org", "ida@example.org"]
    group = _grouping(monkeypatch, 5)
    outcomes: dict[str, Any] = {}

    def sign(email: str, country: str) -> None:
        try:
            item = _item(petition, email, country=country)
            outcomes[email] = actions._GROUP.submit(item)
        except Exception as exc:  # noqa: BLE001  (recorded for the test's assertions)
            outcomes[email] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=("lead@example.org", ""))]
    threads += [threading.Thread(target=sign, args=(email, "")) for email in good[:2]]
    threads += [threading.Thread(target=sign, args=("bad@example.org", "FRANCE"))]  # too long for its column
    threads += [threading.Thread(target=sign, args=(good[2], ""))]
    threads[0].start()
    while not group._busy:
        time.sleep(0.005)
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert group.batches == 2  # the first alone, then the group of four that failed (each then wrote alone)
    assert isinstance(outcomes["bad@example.org"], Exception)
    assert not Supporter.objects.filter(email_key=email_key("bad@example.org")).exists()
    for email in ["lead@example.org", *good]:
        is_open, signature_id, _supporter, mail_id = outcomes[email]
        assert is_open and signature_id and mail_id and _mails(signature_id) == 1, email


def test_it_refuses_a_closed_petition_inside_a_group(cast: Any, flushable_audit: None,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    sample = make_petition_sample(cast)
    petition = Petition.objects.prefetch_related("texts").get(pk=sample.petition.pk)
    held = _closed_since_read(cast, "closed-since")
    _grouping(monkeypatch, 3)
    outcomes: dict[str, Any] = {}

    def sign(target: Petition, email: str) -> None:
        try:
            outcomes[email] = actions.do_sign_petition(petition=target, email=email).created
        except ValidationError as exc:
            outcomes[email] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(petition, "jo@example.org")),
               threading.Thread(target=sign, args=(held, "kim@example.org")),
               threading.Thread(target=sign, args=(petition, "lou@example.org"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes["jo@example.org"] is True and outcomes["lou@example.org"] is True
    assert isinstance(outcomes["kim@example.org"], ValidationError)
    assert not Supporter.objects.filter(email_key=email_key("kim@example.org")).exists()
