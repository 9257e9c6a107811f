"""``unforgotten add-evidence PERSON_UUID FILE --reason …``: ingest a file from the server's disk.

For material that arrives on a drive rather than through the browser (a seized
phone's export, a court's DVD). The file goes through the same path as an
upload: read in pieces, hashed and encrypted into the store, checked, stored
with its audit and custody events, or refused with nothing left behind.
Exit status 0 when stored, 1 when refused or when writing failed.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from unforgotten.evidence import actions, store
from unforgotten.registry.models import Person

ACTOR = "add-evidence (command line)"
_PIECE = 256 * 1024


class Command(BaseCommand):
    help = "Store a file as an evidence original of a person (encrypted, hashed, with a custody event)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", help="the person's UUID")
        parser.add_argument("file", help="path of the file to ingest")
        parser.add_argument("--reason", required=True, help="why it is added (kept in the audit and custody logs)")
        parser.add_argument("--title", default="", help="the item's title (default: the file name)")
        parser.add_argument("--sha256", default="", help="the SHA-256 the file must have; a mismatch stores nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            person = Person.objects.get(uuid=uuid.UUID(options["person"]))
        except (ValueError, Person.DoesNotExist):
            raise CommandError("No person has that UUID.") from None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a readable file.")
        if not options["reason"].strip():
            raise CommandError("Say why the file is added (--reason).")
        try:
            client_hash = actions.normalise_client_hash(options["sha256"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        item_uuid = str(uuid.uuid4())
        try:
            writer = store.SealingWriter(item_uuid)  # removes its temporary file itself on any error
            with open(path, "rb") as fh:
                while piece := fh.read(_PIECE):
                    writer.write(piece)
            sealed = writer.finish()
        except OSError as exc:
            raise CommandError(f"The file could not be stored ({exc.strerror or exc}): nothing was kept.") from None
        meta = actions.Metadata(title=options["title"] or path.name, purpose=options["reason"].strip())
        try:
            item = actions.ingest(person=person, sealed=sealed, item_uuid=item_uuid, file_name=path.name,
                                  client_sha256=client_hash, meta=meta, acting_user=ACTOR)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        except OSError as exc:
            raise CommandError(f"The file could not be stored ({exc.strerror or exc}): nothing was kept.") from None
        self.stdout.write(f"Stored evidence item {item.uuid}: {item.size} bytes, SHA-256 {item.sha256}.")
