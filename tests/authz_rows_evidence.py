"""Matrix rows for the evidence app (/work/evidence/ and /api/v1/evidence/), written from the persona sentences.

Readers of Org A's person (Amal, Bilal, Dana, Vera) see its evidence list, items and
custody. Editors (Amal, Bilal, Dana) add evidence. Opening an original's bytes, or
making a derivative of it, is for the case team: Amal (put on it by the registry's
placeholders) — and a POST to download first asks her to re-authenticate (302).
Reviewers (Bilal, Dana) mark derivatives publishable. The matrix sends no body:
an allowed upload or derive answers 400 (pages) or 422 (API).
"""

from __future__ import annotations

from typing import Any

from tests.authz_matrix import VIEW_A, Expect, Row, api, page, safe

EDIT_A = frozenset({"amal", "bilal", "dana"})
REVIEW_A = frozenset({"bilal", "dana"})
TEAM_A = frozenset({"amal"})

PERSON = {"person": "{person_a}"}
GHOST = {"person": "00000000-0000-4000-8000-000000000000"}
ITEM = {"item": "{evidence_item_a}"}
DERIVED = {"item": "{evidence_derivative_a}"}
NO_ITEM = {"item": "00000000-0000-4000-8000-000000000000"}
API_PERSON = {"uuid": "{person_a}"}
API_GHOST = {"uuid": "00000000-0000-4000-8000-000000000000"}
API_ITEM = {"uuid": "{evidence_item_a}"}
API_NO_ITEM = {"uuid": "00000000-0000-4000-8000-000000000000"}

_items_api = {"GET": api(VIEW_A), "POST": Expect(EDIT_A, 422, signed_out=401)}

ROWS: dict[str, Row] = {
    "evidence:person_items": Row(safe(page(VIEW_A)), kwargs=PERSON, probe=GHOST),
    "evidence:upload": Row({"GET": page(EDIT_A), "POST": page(EDIT_A, 400)}, kwargs=PERSON, probe=GHOST),
    "evidence:item": Row(safe(page(VIEW_A)), kwargs=ITEM, probe=NO_ITEM),
    "evidence:download": Row({"GET": page(TEAM_A), "POST": page(TEAM_A, 302)}, kwargs=ITEM, probe=NO_ITEM),
    "evidence:derive": Row({"GET": page(TEAM_A), "POST": page(TEAM_A, 400)}, kwargs=ITEM, probe=NO_ITEM),
    "evidence:set_publishable": Row({"POST": page(REVIEW_A, 302)}, kwargs=DERIVED, probe=NO_ITEM),
    # One URL, two routes (list and upload): each name states both methods.
    "api:list_evidence": Row(_items_api, kwargs=API_PERSON, probe=API_GHOST),
    "api:upload_evidence": Row(_items_api, kwargs=API_PERSON, probe=API_GHOST),
    "api:get_evidence_item": Row({"GET": api(VIEW_A)}, kwargs=API_ITEM, probe=API_NO_ITEM),
    "api:evidence_custody": Row({"GET": api(VIEW_A)}, kwargs=API_ITEM, probe=API_NO_ITEM),
    "api:download_evidence": Row({"POST": Expect(TEAM_A, 422, signed_out=401)}, kwargs=API_ITEM, probe=API_NO_ITEM),
}


def placeholders(cast: Any) -> dict[str, str]:
    from tests import authz_matrix
    from unforgotten.evidence import actions
    from unforgotten.evidence.models import EvidenceItem

    sample: Any = authz_matrix.registry_sample(cast)
    person = sample.person_a
    original = EvidenceItem.objects.filter(person=person, role="original").first()
    if original is None:
        import io
        import uuid

        from PIL import Image

        from unforgotten.evidence import store

        buffer = io.BytesIO()
        Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
        item_uuid = str(uuid.uuid4())
        sealed = store.seal_bytes(item_uuid, buffer.getvalue())
        original = actions.ingest(person=person, sealed=sealed, item_uuid=item_uuid, file_name="matrix.png",
                                  client_sha256="", meta=actions.Metadata(title="Matrix item"), acting_user=cast.dana)
    derivative = EvidenceItem.objects.filter(parent=original).first() or \
        actions.make_derivative(item=original, acting_user=cast.dana, reason="matrix")
    return {"evidence_item_a": str(original.uuid), "evidence_derivative_a": str(derivative.uuid)}
