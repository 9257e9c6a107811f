"""Matrix rows of the intake and newsletter (issue 6, helper "intake"), written from the persona sentences.

Public pages (/<language>/suggest/…, /<language>/newsletter/…) answer everyone
alike: 200 for the forms and replies; a POST without a body gets the form back
with its errors (400); a link with a forged token answers 400 with a page that
says so. The intake queue is for those who create records (caseworkers,
reviewers, admins): Org A's Amal, Bilal and Dana; Chris sees his own Org B's
(empty) queue; Vera (viewer) and Pat (no membership) get "not found". Deciding
without a body: 400 (page) / 422 (API). Revealing a suggester's sealed contact
sends the allowed persona to re-authenticate first (302). The newsletter list
is for campaigners and admins: of the matrix's personas only Dana (Cora, the
campaigner, is tested in the app's own files); its export re-authenticates (302).
"""

from __future__ import annotations

from typing import Any

from tests.authz_matrix import Expect, Row, api, everyone, page, safe

QUEUE = frozenset({"amal", "bilal", "dana", "chris"})
TRIAGE_A = frozenset({"amal", "bilal", "dana"})
CAMPAIGN_A = frozenset({"dana"})
GHOST_UUID = "00000000-0000-4000-8000-000000000000"
SUGGESTION = {"suggestion": "{intake_suggestion_a}"}
NO_SUGGESTION = {"suggestion": GHOST_UUID}
API_SUGGESTION = {"uuid": "{intake_suggestion_a}"}
API_NO_SUGGESTION = {"uuid": GHOST_UUID}
BAD_TOKEN = {"token": "not-a-real-token"}

ROWS: dict[str, Row] = {
    "intake_public:suggest": Row({**safe(everyone(200)), "POST": everyone(400)}),
    "intake_public:thanks": Row(safe(everyone(200))),
    "newsletter_public:sign_up": Row({**safe(everyone(200)), "POST": everyone(400)}),
    "newsletter_public:sent": Row(safe(everyone(200))),
    "newsletter_public:confirm": Row({**safe(everyone(400)), "POST": everyone(400)}, kwargs=BAD_TOKEN),
    "newsletter_public:unsubscribe": Row({**safe(everyone(400)), "POST": everyone(400)}, kwargs=BAD_TOKEN),
    "intake:queue": Row(safe(page(QUEUE))),
    "intake:detail": Row(safe(page(TRIAGE_A)), kwargs=SUGGESTION, probe=NO_SUGGESTION),
    "intake:decide": Row({"POST": page(TRIAGE_A, 400)}, kwargs=SUGGESTION, probe=NO_SUGGESTION),
    "intake:reveal": Row({"POST": page(TRIAGE_A, 302)}, kwargs=SUGGESTION, probe=NO_SUGGESTION),
    "newsletter:home": Row(safe(page(CAMPAIGN_A))),
    "newsletter:export": Row({"POST": page(CAMPAIGN_A, 302)}, kwargs={"slug": "{org_a}"},
                             probe={"slug": "no-such-org"}),
    "api:intake_suggestions": Row({"GET": api(QUEUE)}),
    "api:intake_suggestion": Row({"GET": api(TRIAGE_A)}, kwargs=API_SUGGESTION, probe=API_NO_SUGGESTION),
    "api:intake_decide": Row({"POST": Expect(TRIAGE_A, 422, signed_out=401)}, kwargs=API_SUGGESTION,
                             probe=API_NO_SUGGESTION),
    "api:newsletter_summary": Row({"GET": api(CAMPAIGN_A)}, kwargs={"slug": "{org_a}"}, probe={"slug": "no-such-org"}),
}


def placeholders(cast: Any) -> dict[str, str]:
    """One suggestion received by Org A (with a sealed contact)."""
    from unforgotten.intake.models import Suggestion
    from unforgotten.intake.testing import make_suggestion

    found = Suggestion.objects.filter(organisation=cast.org_a).first() or make_suggestion(cast)
    return {"intake_suggestion_a": str(found.uuid)}
