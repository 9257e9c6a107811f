"""Sample data of take-action for tests, the matrix and the API fuzz test, built through the action functions.

Canaries: the signer's address, name and comment of the sample signature are
unique strings; tests prove they never reach an output they may not reach (a
public page, another organisation's API, the delivered PDF, the logs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from unforgotten.actions import actions
from unforgotten.actions.models import Petition, Signature, Target

CANARY_EMAIL = "canary-signer-7f3a@example.net"
CANARY_NAME = "Canaryname Qzx"
CANARY_COMMENT = "canary comment K9Wq"


@dataclass
class PetitionSample:
    petition: Petition
    target: Target
    signature: Signature


def make_petition_sample(cast: Any, *, slug: str = "free-them-all", confirm: bool = True) -> PetitionSample:
    target = actions.do_add_target(organisation=cast.org_a, acting_user=cast.dana, data={
        "kind": "office", "name": "Minister of Justice", "title": "Minister", "institution": "Ministry of Justice",
        "country": "BY", "email": "minister-canary@example.gov", "notes": "reach through the embassy"})
    petition = actions.do_create_petition(organisation=cast.org_a, acting_user=cast.dana, targets=[target], data={
        "name": "Free them all (internal)", "slug": slug, "default_language": "en", "goal": 1000,
        "show_signer_names": False})
    actions.do_set_petition_text(petition=petition, language="en", title="Free them all", summary="Release them.",
                                 body="We ask you to release every political prisoner.", acting_user=cast.dana)
    actions.do_set_petition_text(petition=petition, language="ar", title="أطلقوا سراحهم جميعًا", summary="",
                                 body="نطالبكم بالإفراج عن جميع السجناء السياسيين.", acting_user=cast.dana)
    petition = actions.do_open_petition(petition=petition, acting_user=cast.dana)
    outcome = actions.do_sign_petition(petition=petition, email=CANARY_EMAIL, given_name=CANARY_NAME, country="FR",
                                       language="en", comment=CANARY_COMMENT, consents=["newsletter"])
    signature = outcome.signature
    if confirm:
        token = token_for(signature)
        signature = actions.do_confirm_signature(token=token, keep_informed=True)
        actions.do_refresh_counts()
    petition.refresh_from_db()
    return PetitionSample(petition=petition, target=target, signature=signature)


def token_for(signature: Signature) -> str:
    """Tests only: re-issue a known confirmation token for a pending signature (the real one is only in the mail)."""
    import secrets

    token = secrets.token_urlsafe(32)
    Signature.objects.filter(pk=signature.pk).update(token_digest=actions._digest(token))
    return token


LINK = re.compile(r"https?://[^\s]+/confirm/[^\s/]+/")
DATA_LINK = re.compile(r"https?://[^\s]+/my-data/[^\s/]+/")


def links_in(body: str, pattern: re.Pattern[str] = LINK) -> list[str]:
    return pattern.findall(body)


def database_text() -> str:
    """Every value of every row of every table, as text (what a dump would show, decrypted columns aside).

    Privacy tests search it for an address, its digests or a canary that must be gone.
    """
    from django.apps import apps

    chunks: list[str] = []
    for model in apps.get_models():
        for row in model._base_manager.values_list():
            chunks.append(" ".join(bytes(v).hex() if isinstance(v, (bytes, memoryview)) else str(v) for v in row))
    return "\n".join(chunks)
