"""Matrix rows for the forgotten-case radar (/work/radar/ and /api/v1/radar/), written from the persona sentences.

The radar is for readers: members of any organisation see their own
organisation's radar (Chris his Org B's, empty); Org A's readers (Amal, Bilal,
Dana, Vera) see a case of Org A and its media mentions. Logging, changing and
removing a media mention is for advocates, campaigners and organisation admins:
of the matrix's personas only Dana (Ada and Cora are tested in the app's own
files). The matrix sends no body: an allowed form answers 400 (pages) or 422
(API); the allowed DELETE removes the mention (it runs last).
"""

from __future__ import annotations

from typing import Any

from tests.authz_matrix import MEMBERS, VIEW_A, Expect, Row, api, page, safe

EDIT_A = frozenset({"dana"})
GHOST_UUID = "00000000-0000-4000-8000-000000000000"
GHOST_ID = "999999999"

CASE = {"case": "{radar_case_a}"}
NO_CASE = {"case": GHOST_ID}
MENTION = {"mention": "{radar_mention_a}"}
NO_MENTION = {"mention": GHOST_UUID}
WRITE = Expect(EDIT_A, 422, signed_out=401)
_media = {"GET": api(VIEW_A), "POST": WRITE}
_mention = {"GET": api(VIEW_A), "PATCH": WRITE, "DELETE": Expect(EDIT_A, 204, signed_out=401)}

ROWS: dict[str, Row] = {
    "radar:home": Row(safe(page(MEMBERS))),
    "radar:case": Row(safe(page(VIEW_A)), kwargs=CASE, probe=NO_CASE),
    "radar:media_create": Row({"GET": page(EDIT_A), "POST": page(EDIT_A, 400)}, kwargs=CASE, probe=NO_CASE),
    "radar:media_edit": Row({"GET": page(EDIT_A), "POST": page(EDIT_A, 400)}, kwargs=MENTION, probe=NO_MENTION),
    "api:radar_list": Row({"GET": api(MEMBERS)}),
    "api:radar_case": Row({"GET": api(VIEW_A)}, kwargs={"case_id": "{radar_case_a}"}, probe={"case_id": GHOST_ID}),
    # One URL, several routes: each name states every method of the URL.
    "api:radar_list_media": Row(_media, kwargs={"case_id": "{radar_case_a}"}, probe={"case_id": GHOST_ID}),
    "api:radar_create_media": Row(_media, kwargs={"case_id": "{radar_case_a}"}, probe={"case_id": GHOST_ID}),
    "api:radar_get_media": Row(_mention, kwargs={"uuid": "{radar_mention_a}"}, probe={"uuid": GHOST_UUID}),
    "api:radar_update_media": Row(_mention, kwargs={"uuid": "{radar_mention_a}"}, probe={"uuid": GHOST_UUID}),
    "api:radar_delete_media": Row(_mention, kwargs={"uuid": "{radar_mention_a}"}, probe={"uuid": GHOST_UUID}),
}


def placeholders(cast: Any) -> dict[str, str]:
    from tests import authz_matrix
    from unforgotten.radar.models import MediaMention
    from unforgotten.radar.testing import make_radar_sample

    sample: Any = authz_matrix.registry_sample(cast)
    mention = MediaMention.objects.filter(case=sample.case_a).first()
    if mention is None:
        mention = make_radar_sample(cast, sample).mention
    return {"radar_case_a": str(sample.case_a.pk), "radar_mention_a": str(mention.uuid)}
