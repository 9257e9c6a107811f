"""Receiving an evidence upload: encrypted as it arrives, never a plaintext byte on disk.

Django's default upload handlers keep small files in memory and write larger
ones to a plaintext temporary file under /tmp. Evidence views replace them
with :class:`EvidenceUploadHandler` before the body is read (the page view is
``csrf_exempt`` outside and ``csrf_protect`` inside, as Django's docs require
for changing handlers; the API installs it in its authentication step). The
handler feeds each piece to a :class:`store.SealingWriter`, which hashes and
encrypts it into the store's ``tmp/`` folder.

What goes wrong is remembered in ``problem`` for the view to report: a second
file, a file over the limit (the rest of the body is then not stored), or a
body cut off before the file's end (Django then never calls ``file_complete``,
and ``upload_interrupted`` removes the partial ciphertext).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers, StopUpload
from django.http import HttpRequest

from unforgotten.evidence import store

FIELD = "file"


class SealedUpload(UploadedFile):  # type: ignore[type-arg]
    """What the view receives in ``request.FILES``: the encrypted file, not its bytes."""

    def __init__(self, sealed: store.SealedFile, item_uuid: str, name: str, content_type: str | None) -> None:
        import io

        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=sealed.size)
        self.sealed = sealed
        self.item_uuid = item_uuid


class EvidenceUploadHandler(FileUploadHandler):
    chunk_size = 256 * 1024

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = int(settings.EVIDENCE_MAX_BYTES)
        self.writer: store.SealingWriter | None = None
        self.item_uuid = ""
        self.received = 0
        self.files = 0
        self.problem = ""
        self.result: SealedUpload | None = None

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.files += 1
        if field_name != FIELD or self.files > 1:
            self.problem = "Send exactly one file, in the field “file”."
            self._abort()
            raise StopUpload(connection_reset=False)
        self.item_uuid = str(uuid.uuid4())
        self.writer = store.SealingWriter(self.item_uuid)
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.problem = f"The file is larger than the limit of {self.limit:,} bytes: nothing was stored."
            self._abort()
            raise StopUpload(connection_reset=False)
        if self.writer is None:
            return None  # a file refused in new_file: its bytes are dropped
        self.writer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> SealedUpload | None:
        if self.writer is None:
            return None
        writer, self.writer = self.writer, None
        sealed = writer.finish()
        self.result = SealedUpload(sealed, self.item_uuid, self.file_name or "", self.content_type)
        return self.result

    def upload_interrupted(self) -> None:
        if self.writer is not None:
            self.problem = "The upload was cut off before the end of the file: nothing was stored. Send it again."
        self._abort()

    def _abort(self) -> None:
        if self.writer is not None:
            self.writer.abort()
            self.writer = None

    def cleanup(self) -> None:
        """Remove an encrypted upload that the view did not store (it refused it or failed)."""
        self._abort()
        if self.result is not None:
            self.result.sealed.discard()


def install(request: HttpRequest) -> EvidenceUploadHandler | None:
    """Put the evidence handler in place of Django's, before anything reads the body."""
    existing: EvidenceUploadHandler | None = getattr(request, "_uf_evidence_handler", None)
    if existing is not None:
        return existing
    if request.method != "POST" or "_files" in request.__dict__ or getattr(request, "_read_started", False):
        return None
    handler = EvidenceUploadHandler(request)
    request.upload_handlers = [handler]
    request._uf_evidence_handler = handler  # type: ignore[attr-defined]
    return handler


def declared_too_large(request: HttpRequest) -> bool:
    """A Content-Length far beyond the limit is refused before a byte of the body is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > int(settings.EVIDENCE_MAX_BYTES) + 64 * 1024  # room for the form's other fields
