"""Authorization rows of the letters app (issue 7 items 4, 5), written from the persona sentences.

Public letter pages answer everyone alike: a form 200; an empty letter 400 (form errors); an unknown revise or
confirmation link 404. The workspace: Org A's readers (Amal, Bilal, Dana, Vera) read the queue, letters, batches
and campaigns; moderating, letter boxes, batches, delivery and the family view need ``edit_cases`` (Amal the
caseworker, Bilal the reviewer, Dana the admin; not Vera the viewer); campaigns, replies and office hand-overs need
``campaign`` (Dana). Chris (Org B) and everyone else get "not found".
"""

from __future__ import annotations

from typing import Any

from tests.authz_matrix import (
    ADMIN_A,
    MEMBERS,
    VIEW_A,
    Row,
    api,
    everyone,
    page,
    registry_sample,
    safe,
)

GHOST = "00000000-0000-0000-0000-000000000000"
MOD_A = frozenset({"amal", "bilal", "dana"})
LETTER = {"letter": "{letters_letter}"}
PERSON = {"person": "{letters_person}"}
BATCH = {"batch": "{letters_batch}"}
CAMPAIGN = {"campaign": "{letters_campaign}"}


def _ws(get: Any, post: Any = None, **kw: Any) -> Row:
    methods = {"GET": get, "HEAD": get}
    if post is not None:
        methods["POST"] = post
    return Row(methods, **kw)


def _api(**kw: str) -> dict[str, str]:
    return {"org": "{org_a}", **kw}


ROWS: dict[str, Row] = {
    # --- public ----------------------------------------------------------------------------------
    "letters_public:write": Row({"GET": everyone(200), "HEAD": everyone(200), "POST": everyone(400)},
                                kwargs={"slug": "{letters_person_slug}"}),
    "letters_public:revise": Row({"GET": everyone(404), "HEAD": everyone(404), "POST": everyone(404)},
                                 kwargs={"token": "no-such-token"}),
    "letters_public:campaign": Row({"GET": everyone(200), "HEAD": everyone(200), "POST": everyone(400)},
                                   kwargs={"slug": "matrix-letters"}),
    "letters_public:confirm": Row({"GET": everyone(404), "HEAD": everyone(404), "POST": everyone(404)},
                                  kwargs={"slug": "matrix-letters", "token": "no-such-token"}),
    # --- workspace -------------------------------------------------------------------------------
    "letters:home": Row(safe(page(MEMBERS))),
    "letters:queue": Row(safe(page(VIEW_A)), kwargs={"org": "{org_a}"}, probe={"org": "no-such-org"}),
    "letters:letter": _ws(page(VIEW_A), page(MOD_A, 400), kwargs=LETTER, probe={"letter": GHOST}),
    "letters:letter_delivery": Row({"POST": page(MOD_A, 400)}, kwargs=LETTER, probe={"letter": GHOST}),
    "letters:person": Row(safe(page(VIEW_A)), kwargs=PERSON, probe={"person": GHOST}),
    "letters:box": _ws(page(MOD_A), page(MOD_A, 400), kwargs=PERSON, probe={"person": GHOST}),
    "letters:compile_batch": Row({"POST": page(MOD_A, 302)}, kwargs=PERSON, probe={"person": GHOST}),
    "letters:family_view": Row(safe(page(MOD_A)), kwargs=PERSON, probe={"person": GHOST}),
    "letters:batch_pdf": Row(safe(page(MOD_A)), kwargs=BATCH, probe={"batch": GHOST}),
    "letters:batch_status": Row({"POST": page(MOD_A, 400)}, kwargs=BATCH, probe={"batch": GHOST}),
    "letters:campaign_create": _ws(page(ADMIN_A), page(ADMIN_A, 400), kwargs={"org": "{org_a}"},
                                   probe={"org": "no-such-org"}),
    "letters:hand_over": _ws(page(ADMIN_A), page(ADMIN_A, 400), kwargs={"org": "{org_a}"},
                             probe={"org": "no-such-org"}),
    "letters:campaign": Row(safe(page(VIEW_A)), kwargs=CAMPAIGN, probe={"campaign": GHOST}),
    "letters:campaign_edit": _ws(page(ADMIN_A), page(ADMIN_A, 400), kwargs=CAMPAIGN, probe={"campaign": GHOST}),
    "letters:campaign_template": _ws(page(ADMIN_A), page(ADMIN_A, 400), kwargs={**CAMPAIGN, "language": "fr"},
                                     probe={"campaign": GHOST, "language": "fr"}),
    "letters:campaign_status": Row({"POST": page(ADMIN_A, 302)}, kwargs=CAMPAIGN, probe={"campaign": GHOST}),
    "letters:compile_post": Row({"POST": page(ADMIN_A, 302)}, kwargs=CAMPAIGN, probe={"campaign": GHOST}),
    "letters:post_pdf": Row(safe(page(ADMIN_A)), kwargs={"batch": "{letters_post}"}, probe={"batch": GHOST}),
    "letters:reply": _ws(page(ADMIN_A), page(ADMIN_A, 400), kwargs={"outreach": "{letters_outreach}"},
                         probe={"outreach": "999999"}),
    # --- API ----------------------------------------------------------------------------------------
    "api:letters_public_campaign": Row({"GET": everyone(200)}, kwargs={"slug": "matrix-letters"}),
    "api:letters_letters": Row({"GET": api(VIEW_A)}, kwargs=_api(), probe=_api(org="no-such-org")),
    "api:letters_letter": Row({"GET": api(VIEW_A)}, kwargs=_api(**LETTER), probe=_api(letter=GHOST)),
    "api:letters_moderate": Row({"POST": api(MOD_A, 422)}, kwargs=_api(**LETTER), probe=_api(letter=GHOST)),
    "api:letters_letter_delivery": Row({"POST": api(MOD_A, 422)}, kwargs=_api(**LETTER), probe=_api(letter=GHOST)),
    "api:letters_box": Row({"GET": api(VIEW_A), "PUT": api(MOD_A, 422)}, kwargs=_api(**PERSON),
                           probe=_api(person=GHOST)),
    # Compiling with nothing approved and waiting is refused, with nothing made (422).
    "api:letters_batches": Row({"GET": api(VIEW_A), "POST": api(MOD_A, 422)}, kwargs=_api(**PERSON),
                               probe=_api(person=GHOST)),
    "api:letters_batch_status": Row({"POST": api(MOD_A, 422)}, kwargs=_api(**BATCH), probe=_api(batch=GHOST)),
    "api:letters_batch_pdf": Row({"GET": api(MOD_A)}, kwargs=_api(**BATCH), probe=_api(batch=GHOST)),
    "api:letters_family_view": Row({"GET": api(MOD_A)}, kwargs=_api(**PERSON), probe=_api(person=GHOST)),
    "api:letters_campaigns": Row({"GET": api(VIEW_A), "POST": api(ADMIN_A, 422)}, kwargs=_api(),
                                 probe=_api(org="no-such-org")),
    "api:letters_campaign": Row({"GET": api(VIEW_A), "PATCH": api(ADMIN_A, 422)}, kwargs=_api(**CAMPAIGN),
                                probe=_api(campaign=GHOST)),
    "api:letters_template": Row({"PUT": api(ADMIN_A, 422)}, kwargs=_api(**CAMPAIGN, language="fr"),
                                probe=_api(campaign=GHOST, language="fr")),
    "api:letters_campaign_status": Row({"POST": api(ADMIN_A, 422)}, kwargs=_api(**CAMPAIGN),
                                       probe=_api(campaign=GHOST)),
    "api:letters_compile_post": Row({"POST": api(ADMIN_A, 422)}, kwargs=_api(**CAMPAIGN), probe=_api(campaign=GHOST)),
    "api:letters_replies": Row({"POST": api(ADMIN_A, 422)}, kwargs=_api(outreach="{letters_outreach}"),
                               probe=_api(outreach="999999")),
    "api:letters_hand_over": Row({"POST": api(ADMIN_A, 422)}, kwargs=_api(), probe=_api(org="no-such-org")),
    # OSDI outreaches: Org A's readers list the supporters' letters; recording one for a partner is Dana's (an
    # empty body is refused with nothing written, 422).
    "api:letters_outreaches": Row({"GET": api(VIEW_A), "POST": api(ADMIN_A, 422)}, kwargs=_api(**CAMPAIGN),
                                  probe=_api(campaign=GHOST)),
}


def placeholders(cast: Any) -> dict[str, str]:
    """Org A's sample prisoner taking letters, a batch, a letter waiting for moderation, a campaign, a post batch."""
    from django.utils import timezone

    from unforgotten.letters import actions
    from unforgotten.letters.models import LetterCampaign, Outreach, PostBatch, PrisonerLetter
    from unforgotten.letters.testing import make_letters_sample

    person = registry_sample(cast).person_a
    campaign = LetterCampaign.objects.filter(slug="matrix-letters", organisation=cast.org_a).first()
    if campaign is None:
        sample = make_letters_sample(cast, person, slug="matrix-letters")
        campaign = sample.campaign
        actions.do_compile_batch(person=person, acting_user=cast.amal)
        PostBatch.objects.create(campaign=campaign, made_at=timezone.now(), size=0, pdf=b"%PDF-1.4 stand-in")
    letter = PrisonerLetter.objects.filter(person=person, status="pending").first()
    batch = person.letter_batches.first()
    post = PostBatch.objects.filter(campaign=campaign).first()
    outreach = Outreach.objects.filter(campaign=campaign).first()
    return {"letters_letter": str(letter.uuid if letter else GHOST), "letters_person": str(person.uuid),
            "letters_person_slug": person.slug, "letters_batch": str(batch.uuid if batch else GHOST),
            "letters_campaign": str(campaign.uuid), "letters_post": str(post.uuid if post else GHOST),
            "letters_outreach": str(outreach.pk if outreach else 0)}
