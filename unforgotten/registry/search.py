"""Finding people by name: the names engine's index, kept in step with the database in every process.

The choice and its trade-offs are in docs/decisions/0007-name-index-in-the-app.md. In short:

- One ``unforgotten.names.NameIndex`` per organisation, because visibility is
  per membership: a caseworker of a small organisation searches only her own
  organisations' indexes, so another organisation's million similar names can
  never crowd her results out. Keys are person primary keys as text.
- The index holds only what every member with "view" may read: names of
  people whose record is at most internal, and of those names only the ones
  whose text is at most internal. Restricted names (and restricted people)
  never enter the index or its file: a case-team member's own people are
  scored straight from the database at search time (a person's case teams are
  a handful of records, never a million). Sealed values are never indexed.
- Every action that changes someone's names writes a ``NameIndexChange`` row
  in its own transaction (``note_names_changed``). Before searching, a process
  re-reads the people named by the rows it has not applied yet, so a name
  written by one gunicorn worker is found by another on its next request.
- A snapshot of the indexes (``NAMES_INDEX_PATH``) records the change it
  covers; a starting process loads it and catches up instead of re-reading a
  million names. ``unforgotten names-reindex`` rebuilds it from the database.
- The index only proposes candidates. Every hit is checked again against the
  database through the projection before anyone sees it, so a stale index can
  miss a person for one request but never shows what the reader may not see.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, Subquery

from unforgotten import policy
from unforgotten.names import NameIndex, detect_script, explain, score
from unforgotten.policy.projection import Audience, audience_for, project
from unforgotten.policy.sensitivity import Sensitivity
from unforgotten.registry.models import NameIndexChange, Person, PersonName

log = logging.getLogger(__name__)

# Names scoring below this are not offered as matches: one shared surname part
# of a two-part name scores about 0.72, an unrelated name below 0.6.
MIN_SCORE = 0.6
# Candidates taken from each organisation's index before the database check.
FETCH_PER_ORGANISATION = 50
# A change number below the newest applied one that has not appeared after this
# long belongs to a transaction that rolled back (PostgreSQL hands out numbers
# at insert, so they may commit out of order); it is no longer waited for.
GAP_SECONDS = 600
# After a rebuild, change numbers this far below the newest are checked for
# transactions still in flight while the names were read.
REBUILD_WINDOW = 1000
# People re-read per query when applying changes.
CHUNK = 2000
_SNAPSHOT_FORMAT = 1
_CURRENT = "CURRENT"


def is_open(floor: int | None, overrides: Any) -> bool:
    """Whether every member with "view" may read a name's text (what the shared index may hold)."""
    if floor is not None and Sensitivity.parse(floor) > Sensitivity.INTERNAL:
        return False
    raised = (overrides or {}).get("text") if isinstance(overrides, dict) else None
    return raised is None or Sensitivity.parse(raised) <= Sensitivity.INTERNAL


def open_people() -> Q:
    """Live (not merged away) people whose record every member with "view" may know of."""
    return (Q(person__sensitivity_floor__isnull=True) | Q(person__sensitivity_floor__lte=Sensitivity.INTERNAL)) \
        & Q(person__merged_into__isnull=True)


def open_names() -> Q:
    return Q(sensitivity_floor__isnull=True) | Q(sensitivity_floor__lte=Sensitivity.INTERNAL)


# --- writing: called by the registry actions, inside their transaction ----------------------------


def note_names_changed(person: Person) -> None:
    """Record that ``person``'s names (or whether they exist) changed; every process re-reads them."""
    NameIndexChange.objects.create(person_id=person.pk, organisation_id=person.organisation_id)


def note_people_changed(people: Iterable[tuple[int, int]]) -> None:
    """The same for many people at once: (person id, organisation id) pairs."""
    NameIndexChange.objects.bulk_create(
        [NameIndexChange(person_id=pid, organisation_id=org) for pid, org in people], batch_size=1000)


def note_bulk_change() -> None:
    """Names were written behind the actions' back (a bulk load): every process rebuilds its index."""
    NameIndexChange.objects.create(person_id=None, organisation_id=None)


# --- the per-process index ----------------------------------------------------------------------------


class PeopleNameIndex:
    """This process's name indexes, one per organisation, and how far they follow the change table."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._orgs: dict[int, NameIndex] = {}
        self._built = False
        # Every change numbered up to the floor is applied (or given up as rolled back);
        # above it, the ones applied and the missing numbers still awaited.
        self._floor = 0
        self._above: set[int] = set()
        self._gaps: dict[int, float] = {}
        # (number, token) of the newest applied change: if that row is gone or
        # different, the database is not the one this index followed.
        self._anchor: tuple[int, str] | None = None

    # -------------------------------------------------------------- reading

    def __len__(self) -> int:
        with self._lock:
            return sum(len(ix) for ix in self._orgs.values())

    @property
    def covered(self) -> int:
        """The newest change number applied (0 when none)."""
        return self._anchor[0] if self._anchor else 0

    def search(self, organisation_id: int, query: str, limit: int) -> list[tuple[int, float]]:
        """Person ids of one organisation whose open names best match ``query`` (after a sync)."""
        with self._lock:
            index = self._orgs.get(int(organisation_id))
            if index is None:
                return []
            return [(int(key), s) for key, s in index.search(query, limit)]

    # -------------------------------------------------------------- keeping in step

    def sync(self) -> None:
        """Apply every change committed since the last call (building or loading the index first if needed)."""
        with self._lock:
            if not self._built and self.path is not None and self._load_snapshot(self.path):
                self._built = True
            rows = self._poll()
            if not self._built:
                self._rebuild(rows)
                self._built = True
                if self.path is not None and len(self) >= settings.NAMES_INDEX_AUTOSAVE_PEOPLE:
                    self._save_quietly()
                return
            if self._anchor is not None and not any(
                    seq == self._anchor[0] and str(token) == self._anchor[1] for seq, token, _p, _o in rows):
                # The row this index last applied is gone: a restored or rolled-back database.
                self._rebuild(rows)
                return
            fresh = [r for r in rows if r[0] > self._floor and r[0] not in self._above]
            if any(person_id is None for _s, _t, person_id, _o in fresh):
                self._rebuild(rows)
                return
            if fresh:
                self._apply({person_id for _s, _t, person_id, _o in fresh if person_id is not None})
                self._mark(fresh)

    def _poll(self) -> list[tuple[int, Any, int | None, int | None]]:
        """One query: the changes above the floor, the anchor row and the newest row.

        Before the first build, the newest changes (the window a rebuild checks
        for transactions still in flight).
        """
        newest = NameIndexChange.objects.order_by("-seq").values("seq")[:1]
        q = Q(seq=Subquery(newest))
        if not self._built:
            q |= Q(seq__gt=Subquery(newest) - REBUILD_WINDOW)
        else:
            q |= Q(seq__gt=self._floor)
            if self._anchor is not None:
                q |= Q(seq=self._anchor[0])
        return list(NameIndexChange.objects.filter(q).order_by("seq")
                    .values_list("seq", "token", "person_id", "organisation_id"))

    def _mark(self, applied: Sequence[tuple[int, Any, int | None, int | None]]) -> None:
        """Note changes as applied, then move the floor over every number settled."""
        now = time.monotonic()
        for seq, token, _p, _o in applied:
            self._above.add(seq)
            self._gaps.pop(seq, None)
            if self._anchor is None or seq > self._anchor[0]:
                self._anchor = (seq, str(token))
        top = self._anchor[0] if self._anchor else self._floor
        for missing in range(self._floor + 1, top):
            if missing not in self._above:
                self._gaps.setdefault(missing, now)
        while self._floor < top:
            nxt = self._floor + 1
            if nxt in self._above:
                self._above.discard(nxt)
            elif now - self._gaps.get(nxt, now) >= GAP_SECONDS:
                self._gaps.pop(nxt, None)
            else:
                break
            self._floor = nxt

    def _rebuild(self, rows: Sequence[tuple[int, Any, int | None, int | None]]) -> None:
        """Read every open name from the database; the changes polled just before are covered by it."""
        self._orgs = {}
        self._floor, self._above, self._gaps, self._anchor = 0, set(), {}, None
        if rows:
            newest = rows[-1][0]
            # Changes numbered just below the newest that are not committed yet
            # (in flight while the names were read) stay awaited as gaps.
            self._floor = max(0, newest - REBUILD_WINDOW)
            self._mark([r for r in rows if r[0] > self._floor])
        names = (PersonName.objects.filter(open_people(), open_names())
                 .values_list("person_id", "person__organisation_id", "text", "sensitivity_overrides")
                 .order_by("person_id", "id"))
        current: int | None = None
        org_of = 0
        texts: list[str] = []
        for person_id, org_id, text, overrides in names.iterator(chunk_size=10_000):
            if person_id != current:
                if current is not None and texts:
                    self._index(org_of).add(str(current), texts)
                current, org_of, texts = person_id, int(org_id), []
            if is_open(None, overrides):
                texts.append(text)
        if current is not None and texts:
            self._index(org_of).add(str(current), texts)

    def _index(self, organisation_id: int) -> NameIndex:
        index = self._orgs.get(organisation_id)
        if index is None:
            index = self._orgs[organisation_id] = NameIndex()
        return index

    def _apply(self, person_ids: set[int]) -> None:
        """Re-read the names of these people and replace (or drop) their entries."""
        ids = sorted(person_ids)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            found: dict[int, tuple[int, list[str]]] = {}
            rows = (PersonName.objects.filter(open_people(), person_id__in=chunk)
                    .values_list("person_id", "person__organisation_id", "text", "sensitivity_floor",
                                 "sensitivity_overrides").order_by("person_id", "id"))
            for person_id, org_id, text, floor, overrides in rows:
                entry = found.setdefault(int(person_id), (int(org_id), []))
                if is_open(floor, overrides):
                    entry[1].append(text)
            for person_id in chunk:
                key = str(person_id)
                for index in self._orgs.values():
                    index.remove(key)
                org_id, texts = found.get(person_id, (0, []))
                if texts:
                    self._index(org_id).add(key, texts)

    # -------------------------------------------------------------- persistence

    def rebuild_and_save(self) -> int:
        """``names-reindex``: read everything from the database and write a fresh snapshot. Returns people indexed."""
        with self._lock:
            self._rebuild(self._poll())
            self._built = True
            if self.path is not None:
                self.save(self.path)
            return len(self)

    def _save_quietly(self) -> None:
        try:
            if self.path is not None:
                self.save(self.path)
        except OSError:
            # A read-only or full disk costs the next process a rebuild, never a request.
            log.warning("could not save the names index snapshot", exc_info=True)

    def save(self, path: Path) -> Path:
        """Write a snapshot folder under ``path`` and point ``CURRENT`` at it (atomically).

        Each snapshot names the change it covers, so two processes saving at
        once cannot pair one's index files with the other's change number.
        """
        with self._lock:
            path.mkdir(parents=True, exist_ok=True)
            name = f"snap-{self.covered:012d}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            folder = path / name
            folder.mkdir()
            files: dict[str, str] = {}
            for org_id, index in self._orgs.items():
                if len(index):
                    filename = f"org-{org_id}.idx"
                    index.save(folder / filename)
                    files[str(org_id)] = filename
            manifest = {"format": _SNAPSHOT_FORMAT, "database": _database_identity(), "floor": self._floor, "above": sorted(self._above),
                        "gaps": sorted(self._gaps), "anchor": list(self._anchor) if self._anchor else None,
                        "organisations": files}
            (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
            pointer = path / f"{_CURRENT}.{uuid.uuid4().hex[:8]}.tmp"
            pointer.write_text(name, encoding="utf-8")
            os.replace(pointer, path / _CURRENT)
            self._prune(path, keep=name)
            return folder

    @staticmethod
    def _prune(path: Path, keep: str) -> None:
        """Remove older snapshots, leaving the newest two (a process may be reading the previous one)."""
        snaps = sorted((p for p in path.glob("snap-*") if p.is_dir() and p.name != keep),
                       key=lambda p: p.stat().st_mtime)
        for old in snaps[:-1]:
            shutil.rmtree(old, ignore_errors=True)

    def _load_snapshot(self, path: Path) -> bool:
        """Load the snapshot ``CURRENT`` names; False (and an empty index) when there is none usable."""
        try:
            name = (path / _CURRENT).read_text(encoding="utf-8").strip()
            folder = path / name
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            if manifest.get("format") != _SNAPSHOT_FORMAT or manifest.get("database") != _database_identity():
                # Another database's snapshot (a test run, a copy) would seed the wrong names.
                return False
            orgs = {int(org): NameIndex.load(folder / filename)
                    for org, filename in manifest["organisations"].items()}
        except (OSError, ValueError, KeyError, TypeError):
            return False
        self._orgs = orgs
        self._floor = int(manifest["floor"])
        self._above = {int(s) for s in manifest["above"]}
        now = time.monotonic()
        self._gaps = {int(s): now for s in manifest["gaps"]}
        anchor = manifest.get("anchor")
        self._anchor = (int(anchor[0]), str(anchor[1])) if anchor else None
        return True


def _database_identity() -> str:
    db = connection.settings_dict
    return f"{connection.vendor}:{db.get('HOST') or ''}:{db.get('PORT') or ''}:{db.get('NAME')}"


_service: PeopleNameIndex | None = None
_service_lock = threading.Lock()


def service() -> PeopleNameIndex:
    """This process's name index (created on first use; it loads or builds itself on its first sync)."""
    global _service
    with _service_lock:
        if _service is None:
            path = getattr(settings, "NAMES_INDEX_PATH", None)
            _service = PeopleNameIndex(Path(path) if path else None)
        return _service


def reset_service() -> None:
    """Forget this process's index (tests; a new one is built or loaded on the next search)."""
    global _service
    with _service_lock:
        _service = None


# --- searching for a reader -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """A person found by name: the name (as the reader may see it) that matched best, and how well."""

    person_id: int
    score: float
    name: str
    language: str = ""


def find_people(user: Any, query: str, *, organisation_ids: Iterable[int] | None = None,
                limit: int = 100, min_score: float = MIN_SCORE) -> list[Hit]:
    """The people ``user`` may see whose names best match ``query``, best first.

    Only organisations where the user holds "view" are searched (narrowed to
    ``organisation_ids`` when given). Names and people above internal count
    only for the person's case team; sealed ones for nobody.
    """
    orgs = policy.organisation_ids(user, "view")
    if organisation_ids is not None:
        orgs &= {int(o) for o in organisation_ids}
    team_user = None if getattr(user, "uf_token", None) is not None else int(user.pk or 0) or None
    return _find(query, orgs, limit=limit, min_score=min_score, user=user, team_user=team_user)


def find_people_as_operator(query: str, *, organisation_ids: Iterable[int] | None = None, limit: int = 10,
                            min_score: float = MIN_SCORE) -> list[Hit]:
    """The operator's search (``unforgotten search-people``): every organisation, as its staff would see it."""
    from unforgotten.accounts.models import Organisation

    orgs = set(Organisation.objects.values_list("pk", flat=True)) if organisation_ids is None \
        else {int(o) for o in organisation_ids}
    return _find(query, orgs, limit=limit, min_score=min_score, user=None, team_user=None)


def _find(query: str, orgs: set[int], *, limit: int, min_score: float, user: Any,
          team_user: int | None) -> list[Hit]:
    if not orgs or not query.strip() or limit <= 0:
        return []
    index = service()
    index.sync()
    fetch = max(limit, FETCH_PER_ORGANISATION)
    candidates: set[int] = set()
    for org in sorted(orgs):
        candidates.update(pid for pid, _s in index.search(org, query, fetch))
    wanted = Q(person_id__in=sorted(candidates))
    names = PersonName.objects.filter(person__organisation_id__in=sorted(orgs), person__merged_into__isnull=True)
    if team_user is not None:
        on_team = Person.case_team.through.objects.filter(person_id=OuterRef("person_id"), user_id=team_user)
        # The reader's own case-team people are scored here whatever the index holds:
        # their restricted names never enter it.
        wanted |= Q(Exists(on_team))
        names = names.annotate(on_team=Exists(on_team))
    if not candidates and team_user is None:
        return []
    rows = (names.filter(wanted).annotate(person_floor=F("person__sensitivity_floor"))
            .only("id", "person_id", "organisation", "text", "language", "sensitivity_floor",
                  "sensitivity_overrides").order_by("person_id", "-is_primary", "id"))
    best: dict[int, Hit] = {}
    # Between equally close names, the one in the query's own script is shown
    # (a Cyrillic query shows the Cyrillic spelling).
    script = detect_script(query)
    same_script: dict[int, bool] = {}
    for name in rows:
        team = bool(getattr(name, "on_team", False))
        audience = _audience(user, name, team_user if team else None)
        floor = getattr(name, "person_floor", None)
        if floor is not None and not audience.may_see(Sensitivity.parse(floor)):
            continue  # the person as a whole is above this reader
        shown = project(name, audience, ("text", "language"))
        if "text" not in shown:
            continue
        s = round(score(query, shown["text"]), 4)
        if s < min_score:
            continue
        same = detect_script(shown["text"]) == script
        current = best.get(name.person_id)
        if current is None or s > current.score or (s == current.score and same and not same_script[name.person_id]):
            best[name.person_id] = Hit(name.person_id, s, shown["text"], shown.get("language", ""))
            same_script[name.person_id] = same
    return sorted(best.values(), key=lambda h: (-h.score, h.person_id))[:limit]


def _audience(user: Any, name: PersonName, team_user: int | None) -> Audience:
    if user is None:
        # The operator reads as the organisation's staff would (never as a case team).
        return Audience(kind="staff", organisation_id=name.organisation_id)
    return audience_for(user, name, case_team_user_ids=(team_user,) if team_user is not None else ())


def why(query: str, name: str) -> str:
    """How ``name`` matched ``query``, in a line a caseworker can read (the names engine's own words)."""
    text = explain(query, name)
    return text.rsplit(" => ", 1)[0]
