"""The public page store: rendered pages as plain files, shared by every worker process on the machine.

A cached hit is one ``open()`` and one ``read()``: no database, no session, no
template (the middleware answers before any of them). Files rather than the
database cache because the whole point is to keep a viral spike off the
database; plain files rather than Django's file cache because they are exactly
the bytes served (a test can search them for anything that must not leak, and
a front server could serve them as they are).

Invalidation is deliberately blunt: any change that can alter a public page
(publish, unpublish, a change to a published person's record, a withdrawn
consent) removes *every* stored page. Pages are cheap to render again once;
a page left standing after a family withdrew consent is not acceptable.

Races: a render that read the database before a purge must not store its
now-stale page after it. Each purge writes a new random *epoch*; a render
notes the epoch before it reads anything and, after moving its file into
place, checks the epoch again and deletes its file if a purge happened in
between. A purge changes the epoch first and removes files second, so either
the render sees the new epoch or the purge removes the file.

Entries also expire after ``PUBLIC_CACHE_SECONDS`` and at midnight UTC (day
counters and "as of" dates change then, and scheduled profiles come up).

Two kinds of entry share the folder: *pages* (a whole HTTP answer: status,
headers and body, exactly as Django sent it, so ``publishing.fastpath`` can
answer a hit in front of Django with the same bytes) and *blobs* (share images,
portraits: bytes a view serves itself).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings


def root() -> Path:
    return Path(settings.PUBLIC_CACHE_DIR)


def _pages() -> Path:
    return root() / "pages"


def _epoch_file() -> Path:
    return root() / "epoch"


def key_for(path: str) -> str:
    # Hashed, so no request path ever becomes a file name of its own choosing.
    return hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()


def current_epoch() -> str:
    try:
        return _epoch_file().read_text(encoding="ascii")
    except FileNotFoundError:
        return ""


_DAY = 86_400


def _fresh(mtime: float, now: float) -> bool:
    if now - mtime >= settings.PUBLIC_CACHE_SECONDS:
        return False
    # The same UTC day: POSIX time has no leap seconds, so a UTC day is exactly 86,400 of its seconds
    # (two integer divisions instead of two datetimes, on the hot path of a spike).
    return mtime // _DAY == now // _DAY


def get(path: str) -> bytes | None:
    """The stored page for ``path``, or None (never stored, purged or expired).

    The hot path of a traffic spike: plain string paths and one ``os.open``
    (pathlib objects cost more than the read itself; measured in the bench).
    """
    if not settings.PUBLIC_CACHE_ENABLED:
        return None
    try:
        fd = os.open(os.path.join(os.fspath(settings.PUBLIC_CACHE_DIR), "pages", key_for(path)), os.O_RDONLY)
    except (FileNotFoundError, NotADirectoryError):
        return None
    with os.fdopen(fd, "rb") as handle:
        if not _fresh(os.fstat(fd).st_mtime, time.time()):
            return None
        return handle.read()


def page_key(scheme: str, path: str) -> str:
    """The store's name for the page answered at ``path`` over ``scheme`` ("http"/"https").

    The scheme is part of the key because the answers differ (HSTS is sent over HTTPS only), and so that an
    HTTP request that Django would redirect is never answered with a page stored for HTTPS.
    """
    return f"page {scheme} {path}"


_HEADER_END = b"\r\n\r\n"


def encode_page(status: int, headers: list[tuple[str, str]], body: bytes) -> bytes:
    """A stored page: ``UF1 <status>``, one ``Name: value`` line per header (latin-1, as on the wire), a blank
    line, the body."""
    lines = [f"UF1 {status}", *(f"{name}: {value}" for name, value in headers)]
    return "\r\n".join(lines).encode("latin-1") + _HEADER_END + body


def decode_page(data: bytes) -> tuple[int, list[tuple[str, str]], bytes] | None:
    """(status, headers, body) of a stored page, or None if the entry is not a page written by ``encode_page``."""
    head, found, body = data.partition(_HEADER_END)
    if not found or not head.startswith(b"UF1 "):
        return None
    first, *lines = head.decode("latin-1").split("\r\n")
    headers = []
    for line in lines:
        name, _sep, value = line.partition(": ")
        headers.append((name, value))
    return int(first[4:]), headers, body


def get_page(key: str) -> tuple[int, list[tuple[str, str]], bytes] | None:
    data = get(key)
    return decode_page(data) if data is not None else None


def put_page(key: str, status: int, headers: list[tuple[str, str]], body: bytes, epoch: str) -> bool:
    return put(key, encode_page(status, headers, body), epoch)


def put(path: str, content: bytes, epoch: str) -> bool:
    """Store a page rendered after ``epoch`` was read; False (and nothing stored) if a purge came between."""
    if not settings.PUBLIC_CACHE_ENABLED or current_epoch() != epoch:
        return False
    pages = _pages()
    pages.mkdir(parents=True, exist_ok=True)
    target = pages / key_for(path)
    fd, temporary = tempfile.mkstemp(dir=pages, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    if current_epoch() != epoch:
        with contextlib.suppress(OSError):
            os.unlink(target)
        return False
    return True


def purge_all() -> None:
    """Remove every stored page, at once, in every process (they all read the same folder)."""
    base = root()
    base.mkdir(parents=True, exist_ok=True)
    # A new epoch first: renders under way can no longer store what they read before now.
    fd, temporary = tempfile.mkstemp(dir=base, prefix=".epoch-")
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(uuid.uuid4().hex)
    os.replace(temporary, _epoch_file())
    pages = _pages()
    if pages.exists():
        # Renamed away in one step (no reader sees a half-emptied folder), then deleted.
        graveyard = base / f".purged-{uuid.uuid4().hex}"
        try:
            os.replace(pages, graveyard)
        except FileNotFoundError:
            return
        shutil.rmtree(graveyard, ignore_errors=True)


def forget_path(path: str) -> None:
    """Remove the stored answers for one path (over either scheme); every other stored page stays.

    For a page whose content moved in a way that is not a matter of consent (a petition's count): a render
    racing this may store what it read a moment ago. Anything that must stop being public calls ``purge_all``.
    """
    pages = _pages()
    for key in (page_key("http", path), page_key("https", path)):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(pages / key_for(key))


def stored_files() -> list[Path]:
    """Every stored page file (tests search them for what must never be public)."""
    pages = _pages()
    return sorted(p for p in pages.iterdir() if p.is_file()) if pages.exists() else []
