"""Demo evidence for ``unforgotten demo-data``: a few fictional files with a chain of custody.

Written through the same path as an upload (encrypted into the store, hashed,
checked, audited), then viewed, downloaded, derived and fixity-checked, so the
demo's item pages show a real chain of custody. The files are generated here
(a drawn picture with made-up EXIF, a one-page PDF, a short text): nothing
real. Runs once: skipped when Rights Watch already has evidence.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from typing import Any

from PIL import Image

from unforgotten.evidence import actions, fixity, store
from unforgotten.evidence.models import CollectionMethod, EvidenceItem
from unforgotten.registry.models import Person


def _picture() -> bytes:
    image = Image.new("RGB", (320, 200), (70, 90, 120))
    for x in range(40, 280):
        for y in range(60, 140):
            image.putpixel((x, y), (200, 190, 160))
    exif = Image.Exif()
    exif[0x010F] = "Demo camera"  # Make: shows what a derivative removes
    exif[0x8825] = {1: "N", 2: (10.0, 0.0, 0.0), 3: "E", 4: (20.0, 0.0, 0.0)}  # a made-up GPS position
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def _pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
            b"3 0 obj << /Title (Demo court decision, fictional) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


FILES: tuple[tuple[str, str, str, Callable[[], bytes]], ...] = (
    ("Courtroom photograph (demo)", "courtroom.jpg", CollectionMethod.PHOTOGRAPHED, _picture),
    ("Court decision (demo)", "decision.pdf", CollectionMethod.OFFICIAL_DOCUMENT, _pdf),
    ("Letter from detention, transcribed (demo)", "letter.txt", CollectionMethod.RECEIVED,
     lambda: b"A fictional letter written for the demo.\n"),
)


def _ingest(person: Person, title: str, name: str, method: str, data: bytes, user: Any) -> EvidenceItem:
    item_uuid = str(uuid.uuid4())
    writer = store.SealingWriter(item_uuid)
    writer.write(data)
    sealed = writer.finish()
    meta = actions.Metadata(title=title, collection_method=method, purpose="demo data")
    return actions.ingest(person=person, sealed=sealed, item_uuid=item_uuid, file_name=name,
                          client_sha256=sealed.sha256, meta=meta, acting_user=user)


def write(users: dict[str, Any], progress: Callable[[str], None], *, org_slug: str = "rights-watch") -> int:
    """Create the demo items; returns how many (0 when they exist or the cast is missing)."""
    amal, bilal = users.get("amal@example.org"), users.get("bilal@example.org")
    people = list(Person.objects.filter(organisation__slug=org_slug, merged_into__isnull=True)
                  .order_by("sort_name")[:2])
    if amal is None or bilal is None or not people:
        return 0
    if EvidenceItem.objects.filter(organisation_id=people[0].organisation_id).exists():
        return 0
    from unforgotten.registry import actions as registry_actions
    from unforgotten.registry.views._common import case_team_ids

    created = 0
    for person in people:
        if amal.pk not in case_team_ids(person):
            registry_actions.do_add_to_case_team(person=person, member=amal, acting_user=users.get(
                "dana@example.org") or amal, reason="demo: works the case")
        items = [_ingest(person, title, name, method, make(), amal) for title, name, method, make in FILES]
        created += len(items)
        photo = items[0]
        actions.do_view_evidence(item=photo, acting_user=bilal)
        actions.do_download_evidence(item=items[1], acting_user=amal, reason="demo: preparing the appeal")
        derived = actions.make_derivative(item=photo, acting_user=amal, reason="demo: for the public profile")
        actions.do_set_publishable(item=derived, publishable=True, acting_user=bilal, reason="demo: checked")
        created += 1
    report = fixity.check_all(sweep=False)
    # A retention date on the last person (issue 5): shown under "Retention and erasure" on their page.
    from datetime import timedelta

    from django.utils import timezone

    from unforgotten.registry.erasure import do_set_retention

    do_set_retention(person=people[-1], erase_after=timezone.localdate() + timedelta(days=3 * 365),
                     acting_user=bilal, reason="demo: the family asked us to keep the record three years")
    progress(f"Demo evidence: {created} items with their custody events; fixity checked {report.checked}.")
    return created
