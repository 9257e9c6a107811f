"""Authorization rows of take-action (issue 7), written from the persona sentences.

Public petition pages answer everyone alike: the page 200; an empty signature
or data request 400 (form errors); an unknown confirmation or data link 404.
The workspace: Org A's readers (Amal, Bilal, Dana, Vera) read petitions and
targets; only Dana (org admin: the ``campaign`` capability) changes them; the
home page lists petitions to every member (Chris sees his own Org B's). Exporting
signers needs ``campaign`` and ``export`` (Dana) and a re-authentication (302).
"""

from __future__ import annotations

from typing import Any

from tests.authz_matrix import ADMIN_A, MEMBERS, VIEW_A, Row, api, everyone, page, safe

GHOST = "00000000-0000-0000-0000-000000000000"
PETITION = {"petition": "{actions_petition}"}
NO_PETITION = {"petition": GHOST}


def _ws(get: Any, post: Any = None, **kw: Any) -> Row:
    methods = {"GET": get, "HEAD": get}
    if post is not None:
        methods["POST"] = post
    return Row(methods, **kw)


ROWS: dict[str, Row] = {
    # --- public ----------------------------------------------------------------------------------
    "petitions:page": Row(safe(everyone(200)), kwargs={"slug": "matrix-petition"}),
    "petitions:sign": Row({"POST": everyone(400)}, kwargs={"slug": "matrix-petition"}),
    "petitions:challenge": Row(safe(everyone(200)), kwargs={"slug": "matrix-petition"}),
    "petitions:confirm": Row({"GET": everyone(404), "HEAD": everyone(404), "POST": everyone(404)},
                             kwargs={"slug": "matrix-petition", "token": "no-such-token"}),
    "supporters:request": Row({"GET": everyone(200), "HEAD": everyone(200), "POST": everyone(400)}),
    "supporters:my_data": Row({"GET": everyone(404), "HEAD": everyone(404), "POST": everyone(404)},
                              kwargs={"token": "no-such-token"}),
    # --- workspace -------------------------------------------------------------------------------
    "actions:home": Row(safe(page(MEMBERS))),
    "actions:target_list": Row(safe(page(VIEW_A)), kwargs={"org": "{org_a}"}, probe={"org": "no-such-org"}),
    "actions:target_create": _ws(page(ADMIN_A), page(ADMIN_A, 400), kwargs={"org": "{org_a}"},
                                 probe={"org": "no-such-org"}),
    "actions:target_edit": _ws(page(ADMIN_A), page(ADMIN_A, 400), kwargs={"target": "{actions_target}"},
                               probe={"target": GHOST}),
    "actions:petition_create": _ws(page(ADMIN_A), page(ADMIN_A, 400), kwargs={"org": "{org_a}"},
                                   probe={"org": "no-such-org"}),
    "actions:petition_detail": Row(safe(page(VIEW_A)), kwargs=PETITION, probe=NO_PETITION),
    "actions:petition_edit": _ws(page(ADMIN_A), page(ADMIN_A, 400), kwargs=PETITION, probe=NO_PETITION),
    "actions:petition_text": _ws(page(ADMIN_A), page(ADMIN_A, 400), kwargs={**PETITION, "language": "fr"},
                                 probe={**NO_PETITION, "language": "fr"}),
    "actions:petition_status": Row({"POST": page(ADMIN_A, 302)}, kwargs=PETITION, probe=NO_PETITION),
    "actions:quarantine": _ws(page(ADMIN_A), page(ADMIN_A, 302), kwargs=PETITION, probe=NO_PETITION),
    "actions:invalidate": Row({"POST": page(ADMIN_A, 400)}, kwargs=PETITION, probe=NO_PETITION),
    "actions:comments": _ws(page(ADMIN_A), page(ADMIN_A, 302), kwargs=PETITION, probe=NO_PETITION),
    "actions:deliver": Row({"POST": page(ADMIN_A, 302)}, kwargs=PETITION, probe=NO_PETITION),
    "actions:delivery_pdf": Row(safe(page(VIEW_A)), kwargs={"delivery": "{actions_delivery}"},
                                probe={"delivery": "999999"}),
    # Dana is sent to re-authenticate before the file is made (302).
    "actions:export_signers": _ws(page(ADMIN_A), page(ADMIN_A, 302), kwargs=PETITION, probe=NO_PETITION),
    # --- API ----------------------------------------------------------------------------------------
    "api:actions_petitions": Row({"GET": api(VIEW_A), "POST": api(ADMIN_A, 422)},
                                 kwargs={"org": "{org_a}"}, probe={"org": "no-such-org"}),
    "api:actions_petition": Row({"GET": api(VIEW_A)}, kwargs={"org": "{org_a}", "petition": "{actions_petition}"},
                                probe={"org": "{org_a}", "petition": GHOST}),
    "api:actions_signatures": Row({"GET": api(ADMIN_A), "POST": api(ADMIN_A, 422)},
                                  kwargs={"org": "{org_a}", "petition": "{actions_petition}"},
                                  probe={"org": "{org_a}", "petition": GHOST}),
    "api:actions_targets": Row({"GET": api(VIEW_A), "POST": api(ADMIN_A, 422)},
                               kwargs={"org": "{org_a}"}, probe={"org": "no-such-org"}),
    "api:actions_public_petition": Row({"GET": everyone(200)}, kwargs={"slug": "matrix-petition"}),
}


def placeholders(cast: Any) -> dict[str, str]:
    """An open petition of Org A with a target, and a (stand-in) delivery PDF of it."""
    from django.utils import timezone

    from unforgotten.actions.models import Delivery, Petition
    from unforgotten.actions.testing import make_petition_sample

    petition = Petition.objects.filter(slug="matrix-petition", organisation=cast.org_a).first()
    if petition is None:
        sample = make_petition_sample(cast, slug="matrix-petition")
        petition = sample.petition
    target = petition.targets.first()
    delivery = Delivery.objects.filter(petition=petition).first() or Delivery.objects.create(
        petition=petition, language="en", count=1, pdf=b"%PDF-1.4 stand-in", made_at=timezone.now())
    return {"actions_petition": str(petition.uuid), "actions_target": str(target.uuid if target else GHOST),
            "actions_delivery": str(delivery.pk)}
