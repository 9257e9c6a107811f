"""Demo petitions for ``unforgotten demo-data``: a shared target, an open petition in three languages with some
confirmed (fictional) signers, and a closed one. Written through the action functions as Dana; runs once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from unforgotten.accounts.models import Organisation
from unforgotten.actions import actions
from unforgotten.actions.models import Petition


def write(users: dict[str, Any], progress: Callable[[str], object]) -> None:
    org = Organisation.objects.filter(slug="rights-watch").first()
    dana = users.get("dana@example.org")
    if org is None or dana is None or Petition.objects.filter(organisation=org).exists():
        return
    target = actions.do_add_target(organisation=org, acting_user=dana, data={
        "kind": "office", "name": "Prosecutor General (demo)", "title": "Prosecutor General",
        "institution": "Office of the Prosecutor General", "country": "BY"})
    petition = actions.do_create_petition(organisation=org, acting_user=dana, targets=[target], data={
        "name": "Release the journalists (demo)", "slug": "release-the-journalists", "goal": 5000})
    for language, title, body in (
        ("en", "Release the imprisoned journalists", "We ask you to release every journalist held for their work."),
        ("fr", "Libérez les journalistes emprisonnés", "Nous vous demandons de libérer tous les journalistes détenus."),
        ("ar", "أطلقوا سراح الصحفيين المسجونين", "نطالبكم بالإفراج عن جميع الصحفيين المحتجزين بسبب عملهم."),
    ):
        actions.do_set_petition_text(petition=petition, language=language, title=title, summary="", body=body,
                                     acting_user=dana)
    petition = actions.do_open_petition(petition=petition, acting_user=dana)
    for n in range(12):
        outcome = actions.do_sign_petition(petition=petition, email=f"demo-signer-{n}@example.org",
                                           country="FR" if n % 2 else "DE", language="en",
                                           comment="Free them now." if n % 4 == 0 else "")
        actions.do_confirm_signature(token=actions.confirmation_token(outcome.signature), keep_informed=n % 3 == 0)
    actions.do_refresh_counts()
    progress("demo petitions: 1 open (12 confirmed signatures)")
