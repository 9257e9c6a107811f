"""Shared by the evidence tests: clients for the personas, an upload, and a look at the store and the database."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client
from PIL import Image

from unforgotten.evidence.models import CustodyEvent, EvidenceItem
from unforgotten.registry import actions as registry_actions
from unforgotten.testing import signed_in

client_for = signed_in  # the evidence tests' name for a signed-in client (sudo=True re-authenticates)


def put_on_team(person: Any, member: Any, cast: Any) -> None:
    registry_actions.do_add_to_case_team(person=person, member=member, acting_user=cast.dana, reason="works the case")


def upload_url(person: Any) -> str:
    return f"/work/evidence/people/{person.uuid}/add/"



def post_file(client: Client, person: Any, name: str, data: bytes, **fields: str) -> Any:
    body = {"title": fields.pop("title", "An item"), "collection_method": "received", **fields}
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(upload_url(person), {**body, "file": upload})


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_files() -> list[Path]:
    root = Path(settings.EVIDENCE_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def nothing_stored() -> bool:
    return not stored_files() and not EvidenceItem.objects.exists() and not CustodyEvent.objects.exists()


def jpeg_with_exif(canary: str, size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG whose EXIF carries ``canary`` in the description, the camera and a GPS position."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010E] = f"{canary}-description"  # ImageDescription
    exif[0x010F] = f"{canary}-camera"  # Make
    gps = {1: "N", 2: (53.0, 54.0, 0.0), 3: "E", 4: (27.0, 33.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=f"{canary}-comment".encode())
    return out.getvalue()
