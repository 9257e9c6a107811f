"""Authorization rows of the public site (/<language>/…) and the publishing workspace (/work/publishing/).

From the sentences in unforgotten/testing.py: published public pages answer
everyone, signed in or not, with 200. The workspace: everyone in an
organisation reads its profiles (Chris has a list of his own, empty); those who
edit cases, campaign or publish (Amal, Bilal, Dana; Chris for Org B) write
drafts, submit them and take pages down; reviewers and the admin (Bilal, Dana)
approve and publish, after re-authenticating (302 without fresh credentials).
Every act answers with a redirect back to the profile (302), whether it was
done or refused with a message. Pat sees no case data; Vera only reads.
"""

from __future__ import annotations

from typing import Any

from tests.authz_matrix import Row, everyone, page, safe

MEMBERS = frozenset({"amal", "bilal", "dana", "vera", "chris"})
VIEW_A = frozenset({"amal", "bilal", "dana", "vera"})
EDITORS = frozenset({"amal", "bilal", "dana", "chris"})
EDIT_A = frozenset({"amal", "bilal", "dana"})
APPROVE_A = frozenset({"bilal", "dana"})

NOWHERE = "00000000-0000-4000-8000-000000000000"
PROFILE = {"profile": "{draft_profile_a}"}
GHOST = {"profile": NOWHERE}

ROWS: dict[str, Row] = {
    # --- the public site: published content is for everyone ---
    "public:home": Row(safe(everyone(200))),
    "public:profile": Row(safe(everyone(200)), kwargs={"slug": "{public_slug_a}"}),
    "public:country": Row(safe(everyone(200)), kwargs={"code": "by"}),
    # The portrait: Org A's sample has one (registry rows add it) and, here, consent to show it.
    "public:photo": Row(safe(everyone(200)), kwargs={"slug": "{public_slug_a}"}),
    # --- the workspace ---
    "publishing:profile_list": Row(safe(page(MEMBERS))),
    "publishing:profile_create": Row({"GET": page(EDITORS), "POST": page(EDITORS, 400)}),
    # An empty POST is a valid edit of a draft (an empty story): saved, then back to the page.
    "publishing:profile_edit": Row({"GET": page(VIEW_A), "POST": page(EDIT_A, 302)}, kwargs=PROFILE, probe=GHOST),
    "publishing:profile_submit": Row({"POST": page(EDIT_A, 302)}, kwargs=PROFILE, probe=GHOST),
    "publishing:profile_approve": Row({"POST": page(APPROVE_A, 302)}, kwargs=PROFILE, probe=GHOST),
    "publishing:profile_publish": Row({"POST": page(APPROVE_A, 302)}, kwargs=PROFILE, probe=GHOST),
    "publishing:profile_unpublish": Row({"POST": page(EDIT_A, 302)}, kwargs=PROFILE, probe=GHOST),
}


def placeholders(cast: Any) -> dict[str, str]:
    from tests import authz_matrix
    from unforgotten.publishing import actions, cache
    from unforgotten.publishing.models import PublicProfile

    sample: Any = authz_matrix.registry_sample(cast)
    person = sample.person_a
    # Pages stored by an earlier test (another database state) must not answer this one.
    cache.purge_all()
    published = PublicProfile.objects.filter(person=person, language="en").first()
    if published is None:
        published = actions.do_create_profile(person=person, language="en", data={"story": "Story."},
                                              acting_user=cast.amal)
        actions.do_submit_for_review(profile=published, acting_user=cast.amal)
        actions.do_approve(profile=published, acting_user=cast.bilal)
    if not person.consents.filter(scope="photo").exists():
        from datetime import date

        from unforgotten.registry import actions as registry_actions

        registry_actions.do_record_consent(person=person, data={"scope": "photo", "given_by": "sister",
                                                                "given_on": date(2021, 1, 1)}, acting_user=cast.dana)
    draft = PublicProfile.objects.filter(person=person, language="ar").first()
    if draft is None:
        draft = actions.do_create_profile(person=person, language="ar", data={"story": "قصة."},
                                          acting_user=cast.amal)
    return {"public_slug_a": str(person.slug), "draft_profile_a": str(draft.uuid)}
