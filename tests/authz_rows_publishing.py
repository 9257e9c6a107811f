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

from tests.authz_matrix import Expect, Row, api, everyone, page, safe

MEMBERS = frozenset({"amal", "bilal", "dana", "vera", "chris", "cleo"})
VIEW_A = frozenset({"amal", "bilal", "dana", "vera", "cleo"})
EDITORS = frozenset({"amal", "bilal", "dana", "chris"})
EDIT_A = frozenset({"amal", "bilal", "dana"})
APPROVE_A = frozenset({"bilal", "dana"})

NOWHERE = "00000000-0000-4000-8000-000000000000"
PROFILE = {"profile": "{draft_profile_a}"}
GHOST = {"profile": NOWHERE}
STORY = {"kind": "stories", "item": "{draft_story_a}"}
STORY_API = {"kind": "stories", "uuid": "{draft_story_a}"}
GHOST_STORY_API = {"kind": "stories", "uuid": NOWHERE}
RESOURCE_API = {"kind": "resources", "uuid": "{draft_resource_a}"}
GHOST_RESOURCE_API = {"kind": "resources", "uuid": NOWHERE}
GHOST_STORY = {"kind": "stories", "item": NOWHERE}
RESOURCE = {"kind": "resources", "item": "{draft_resource_a}"}
GHOST_RESOURCE = {"kind": "resources", "item": NOWHERE}



def _write(allowed: frozenset[str]) -> Expect:
    return Expect(allowed, 422, signed_out=401)


_api_items = {"GET": api(MEMBERS), "POST": _write(EDITORS)}
_api_item = {"GET": api(VIEW_A), "PATCH": _write(EDIT_A)}

ROWS: dict[str, Row] = {
    # --- the public site: published content is for everyone ---
    "public:home": Row(safe(everyone(200))),
    "public:profile": Row(safe(everyone(200)), kwargs={"slug": "{public_slug_a}"}),
    "public:country": Row(safe(everyone(200)), kwargs={"code": "by"}),
    # The portrait: Org A's sample has one (registry rows add it) and, here, consent to show it.
    "public:photo": Row(safe(everyone(200)), kwargs={"slug": "{public_slug_a}"}),
    # decision 0028: share images, the portrait in its offered widths (the registry rows' portrait is 4 pixels
    # wide, so 4 is its only width: never upscaled), and the counters partner sites embed.
    "public:site_image": Row(safe(everyone(200))),
    "public:profile_image": Row(safe(everyone(200)), kwargs={"slug": "{public_slug_a}"}),
    "public:photo_sized": Row(safe(everyone(200)), kwargs={"slug": "{public_slug_a}", "width": "4"}),
    "public:profile_counter": Row(safe(everyone(200)), kwargs={"slug": "{public_slug_a}"}),
    "public:profile_counter_svg": Row(safe(everyone(200)), kwargs={"slug": "{public_slug_a}"}),
    "public:profile_counter_png": Row(safe(everyone(200)), kwargs={"slug": "{public_slug_a}"}),
    # --- the workspace ---
    "publishing:profile_list": Row(safe(page(MEMBERS))),
    "publishing:profile_create": Row({"GET": page(EDITORS), "POST": page(EDITORS, 400)}),
    # An empty POST is a valid edit of a draft (an empty story): saved, then back to the page.
    "publishing:profile_edit": Row({"GET": page(VIEW_A), "POST": page(EDIT_A, 302)}, kwargs=PROFILE, probe=GHOST),
    "publishing:profile_submit": Row({"POST": page(EDIT_A, 302)}, kwargs=PROFILE, probe=GHOST),
    "publishing:profile_approve": Row({"POST": page(APPROVE_A, 302)}, kwargs=PROFILE, probe=GHOST),
    "publishing:profile_publish": Row({"POST": page(APPROVE_A, 302)}, kwargs=PROFILE, probe=GHOST),
    "publishing:profile_unpublish": Row({"POST": page(EDIT_A, 302)}, kwargs=PROFILE, probe=GHOST),
    # --- issue 6 (decision 0017): stories, series, campaigns, resources, videos, feeds, the sitemap ---
    "sitemap": Row(safe(everyone(200))),
    "public:stories": Row(safe(everyone(200))),
    "public:story": Row(safe(everyone(200)), kwargs={"slug": "{public_story}"}),
    # The story shows the portrait (chosen by the editor, with photo consent).
    "public:story_photo": Row(safe(everyone(200)), kwargs={"slug": "{public_story}"}),
    "public:series": Row(safe(everyone(200)), kwargs={"slug": "{public_series}"}),
    "public:campaigns": Row(safe(everyone(200))),
    "public:campaign": Row(safe(everyone(200)), kwargs={"slug": "{public_campaign}"}),
    "public:campaign_image": Row(safe(everyone(200)), kwargs={"slug": "{public_campaign}"}),
    "public:campaign_counter": Row(safe(everyone(200)), kwargs={"slug": "{public_campaign}"}),
    "public:campaign_counter_svg": Row(safe(everyone(200)), kwargs={"slug": "{public_campaign}"}),
    "public:campaign_counter_png": Row(safe(everyone(200)), kwargs={"slug": "{public_campaign}"}),
    "public:story_photo_sized": Row(safe(everyone(200)), kwargs={"slug": "{public_story}", "width": "4"}),
    "public:resources": Row(safe(everyone(200))),
    "public:resource": Row(safe(everyone(200)), kwargs={"slug": "{public_resource}"}),
    "public:resource_file": Row(safe(everyone(200)), kwargs={"slug": "{public_resource}"}),
    "public:videos": Row(safe(everyone(200))),
    "public:video": Row(safe(everyone(200)), kwargs={"slug": "{public_video}"}),
    "public:video_file": Row(safe(everyone(200)), kwargs={"slug": "{public_video}"}),
    "public:video_captions": Row(safe(everyone(200)), kwargs={"slug": "{public_video}", "caption": "en"}),
    "public:story_feed": Row(safe(everyone(200))),
    "public:campaign_feed": Row(safe(everyone(200))),
    # decision 0022: a prisoner's, a country's and the urgent actions' Atom feeds
    "public:prisoner_feed": Row(safe(everyone(200)), kwargs={"slug": "{public_slug_a}"}),
    "public:country_feed": Row(safe(everyone(200)), kwargs={"code": "by"}),
    "public:urgent_feed": Row(safe(everyone(200))),
    # The workspace, the same answers as a profile's (a draft story of Org A).
    "publishing:item_list": Row(safe(page(MEMBERS)), kwargs={"kind": "stories"}),
    "publishing:item_create": Row({"GET": page(EDITORS), "POST": page(EDITORS, 400)}, kwargs={"kind": "stories"}),
    # An empty POST is invalid (a story needs its title and text): the form again, 400.
    "publishing:item_edit": Row({"GET": page(VIEW_A), "POST": page(EDIT_A, 400)}, kwargs=STORY, probe=GHOST_STORY),
    "publishing:item_file": Row({"POST": page(EDIT_A, 302)}, kwargs=RESOURCE, probe=GHOST_RESOURCE),
    "publishing:video_captions": Row({"POST": page(EDIT_A, 302)}, kwargs={"item": "{draft_video_a}"},
                                     probe={"item": NOWHERE}),
    "publishing:item_submit": Row({"POST": page(EDIT_A, 302)}, kwargs=STORY, probe=GHOST_STORY),
    "publishing:item_approve": Row({"POST": page(APPROVE_A, 302)}, kwargs=STORY, probe=GHOST_STORY),
    "publishing:item_publish": Row({"POST": page(APPROVE_A, 302)}, kwargs=STORY, probe=GHOST_STORY),
    "publishing:item_unpublish": Row({"POST": page(EDIT_A, 302)}, kwargs=STORY, probe=GHOST_STORY),
    # Everyone in an organisation reads its series; editors add one (an empty POST: the form again, 400).
    "publishing:series_list": Row({"GET": page(MEMBERS), "POST": page(EDITORS, 400)}),
    # --- the editorial API (/api/v1/publishing/): the matrix sends no body, so an allowed write is a 422 ---
    "api:editorial_list_items": Row(_api_items, kwargs={"kind": "stories"}),
    "api:editorial_create_item": Row(_api_items, kwargs={"kind": "stories"}),
    "api:editorial_get_item": Row(_api_item, kwargs=STORY_API, probe=GHOST_STORY_API),
    "api:editorial_update_item": Row(_api_item, kwargs=STORY_API, probe=GHOST_STORY_API),
    "api:editorial_attach_file": Row({"POST": _write(EDIT_A)}, kwargs=RESOURCE_API, probe=GHOST_RESOURCE_API),
    "api:editorial_set_captions": Row({"PUT": _write(EDIT_A)}, kwargs={"uuid": "{draft_video_a}", "language": "en"},
                                      probe={"uuid": NOWHERE, "language": "en"}),
    "api:editorial_submit_item": Row({"POST": _write(EDIT_A)}, kwargs=STORY_API, probe=GHOST_STORY_API),
    "api:editorial_approve_item": Row({"POST": _write(APPROVE_A)}, kwargs=STORY_API, probe=GHOST_STORY_API),
    "api:editorial_publish_item": Row({"POST": _write(APPROVE_A)}, kwargs=STORY_API, probe=GHOST_STORY_API),
    "api:editorial_unpublish_item": Row({"POST": _write(EDIT_A)}, kwargs=STORY_API, probe=GHOST_STORY_API),
    "api:editorial_list_series": Row(_api_items),
    "api:editorial_create_series": Row(_api_items),
    "api:editorial_list_profiles": Row(_api_items),
    "api:editorial_create_profile": Row(_api_items),
    "api:editorial_get_profile": Row(_api_item, kwargs={"uuid": "{draft_profile_a}"}, probe={"uuid": NOWHERE}),
    "api:editorial_update_profile": Row(_api_item, kwargs={"uuid": "{draft_profile_a}"}, probe={"uuid": NOWHERE}),
    "api:editorial_submit_profile": Row({"POST": _write(EDIT_A)}, kwargs={"uuid": "{draft_profile_a}"},
                                        probe={"uuid": NOWHERE}),
    "api:editorial_approve_profile": Row({"POST": _write(APPROVE_A)}, kwargs={"uuid": "{draft_profile_a}"},
                                         probe={"uuid": NOWHERE}),
    "api:editorial_publish_profile": Row({"POST": _write(APPROVE_A)}, kwargs={"uuid": "{draft_profile_a}"},
                                         probe={"uuid": NOWHERE}),
    "api:editorial_unpublish_profile": Row({"POST": _write(EDIT_A)}, kwargs={"uuid": "{draft_profile_a}"},
                                           probe={"uuid": NOWHERE}),
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
    return {"public_slug_a": str(person.slug), "draft_profile_a": str(draft.uuid), **_items(cast, person)}


def _items(cast: Any, person: Any) -> dict[str, str]:
    """One live item of each kind (issue 6) and drafts for the workspace rows."""
    from unforgotten.publishing import demo

    live = demo.sample_items(cast.org_a, person, author=cast.amal, reviewer=cast.bilal)
    return {"public_story": live["story"].slug, "public_series": live["series"].slug,
            "public_campaign": live["campaign"].slug, "public_resource": live["resource"].slug,
            "public_video": live["video"].slug, "draft_story_a": str(live["draft_story"].uuid),
            "draft_resource_a": str(live["draft_resource"].uuid), "draft_video_a": str(live["draft_video"].uuid)}
