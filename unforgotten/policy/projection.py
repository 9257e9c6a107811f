"""The one projection: what an audience may see of a record.

Pages, API responses, exports, feeds, PDFs, e-mails and search snippets are
built from ``project(obj, audience)`` and never from the raw record.

A model declares its field classes::

    class Relationship(models.Model):
        SENSITIVITY = {"kind": Sensitivity.INTERNAL, "contact": Sensitivity.SEALED}
        CONSENT = {"name": "name"}   # public only with consent scope "name"

Undeclared fields are ``INTERNAL`` (fail closed). A record may *raise* a field's
class through ``sensitivity_overrides`` ({field: class}) and raise every field
through ``sensitivity_floor``; neither can lower what the model declares, so a
careless edit can never publish a sealed value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import Any, Literal

from unforgotten.policy import capabilities_in, owner_id, roles_in
from unforgotten.policy.sensitivity import DEFAULT_SENSITIVITY, Sensitivity

AudienceKind = Literal["public", "partner", "staff", "case_team"]

# The most protected class each kind of audience may read. Sealed values are
# never reached by a ceiling: they are read only through an explicit, audited
# unsealing (``Audience.unsealed``), which the evidence issue builds.
_CEILINGS: dict[str, Sensitivity] = {
    "public": Sensitivity.PUBLIC,
    "partner": Sensitivity.COALITION,
    "staff": Sensitivity.INTERNAL,
    "case_team": Sensitivity.RESTRICTED,
}


@dataclass(frozen=True)
class Audience:
    kind: AudienceKind
    organisation_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    user_id: int | None = None
    unsealed: bool = False

    @property
    def ceiling(self) -> Sensitivity:
        if self.unsealed and self.kind == "case_team":
            return Sensitivity.SEALED
        return _CEILINGS[self.kind]

    def may_see(self, sensitivity: Sensitivity) -> bool:
        return sensitivity <= self.ceiling


PUBLIC = Audience(kind="public")


def audience_for(user: Any, obj: Any, *, case_team_user_ids: Iterable[int] = (), partner_org_ids: Iterable[int] = ()) -> Audience:
    """The audience ``user`` belongs to for ``obj``.

    ``case_team_user_ids`` names the case team of the record (restricted data);
    ``partner_org_ids`` the organisations the owner shares it with at coalition level.
    """
    org = owner_id(obj)
    uid = int(user.pk) if getattr(user, "is_authenticated", False) and getattr(user, "is_active", False) else None
    if uid is None:
        return PUBLIC
    if "view" in capabilities_in(user, org):
        kind: AudienceKind = "case_team" if uid in set(case_team_user_ids) else "staff"
        return Audience(kind=kind, organisation_id=org, roles=roles_in(user, org), user_id=uid)
    from unforgotten.policy import organisation_ids

    mine = organisation_ids(user, "view")
    shared = mine & set(partner_org_ids)
    if shared:
        partner = min(shared)
        return Audience(kind="partner", organisation_id=partner, roles=roles_in(user, partner), user_id=uid)
    return PUBLIC


def field_sensitivity(obj: Any, name: str) -> Sensitivity:
    declared: Mapping[str, Sensitivity] = getattr(type(obj), "SENSITIVITY", {})
    level = declared.get(name, getattr(type(obj), "SENSITIVITY_DEFAULT", DEFAULT_SENSITIVITY))
    floor = getattr(obj, "sensitivity_floor", None)
    if floor is not None:
        level = max(level, Sensitivity.parse(floor))
    overrides = getattr(obj, "sensitivity_overrides", None) or {}
    if name in overrides:
        # Raise only: an override below the declared class is ignored, not obeyed.
        level = max(level, Sensitivity.parse(overrides[name]))
    return Sensitivity(level)


def record_sensitivity(obj: Any) -> Sensitivity:
    """The class of the record as a whole: whether an audience may know it exists."""
    floor = getattr(obj, "sensitivity_floor", None)
    base = Sensitivity.parse(floor) if floor is not None else Sensitivity.PUBLIC
    return base


def consent_ok(obj: Any, name: str, audience: Audience) -> bool:
    """Public output of a consent-bound field needs recorded, unwithdrawn consent."""
    if audience.kind != "public":
        return True
    scopes: Mapping[str, str] = getattr(type(obj), "CONSENT", {})
    scope = scopes.get(name)
    if scope is None:
        return True
    checker = getattr(obj, "has_public_consent", None)
    return bool(checker(scope)) if checker is not None else False


def visible(obj: Any, name: str, audience: Audience) -> bool:
    return audience.may_see(field_sensitivity(obj, name)) and consent_ok(obj, name, audience)


def project(obj: Any, audience: Audience, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The fields of ``obj`` the audience may see, as a dict; absent fields are simply missing.

    ``fields`` defaults to the model's concrete fields (and the declared names of
    a plain object). Values of related objects are not followed: callers project
    each related record on its own, with its own owner and classes.
    """
    if not audience.may_see(record_sensitivity(obj)):
        return {}
    names = tuple(fields) if fields is not None else tuple(_default_fields(obj))
    if (audience.kind != "public" and getattr(obj, "sensitivity_floor", None) is None
            and not getattr(obj, "sensitivity_overrides", None)):
        # No record-level raise and no consent to ask: which fields show depends
        # only on the model and the audience's ceiling. A list page projects fifty
        # records of one model; the answer is worked out once.
        model: Any = type(obj)
        return _plan(model, audience.ceiling, names)(obj)
    out: dict[str, Any] = {}
    for name in names:
        if visible(obj, name, audience):
            out[name] = _value(obj, name)
    return out


@lru_cache(maxsize=1024)
def _declared_visible(model: Any, ceiling: Sensitivity, names: tuple[str, ...]) -> tuple[str, ...]:
    declared: Mapping[str, Sensitivity] = getattr(model, "SENSITIVITY", {})
    default = getattr(model, "SENSITIVITY_DEFAULT", DEFAULT_SENSITIVITY)
    return tuple(n for n in names if declared.get(n, default) <= ceiling)


@lru_cache(maxsize=1024)
def _plan(model: Any, ceiling: Sensitivity, names: tuple[str, ...]) -> Callable[[Any], dict[str, Any]]:
    """``project`` for a record of ``model`` without record-level raises, read by an audience with ``ceiling``.

    The visible names are the model's declared classes against the ceiling, so they are worked out once;
    plain attributes are read in one ``attrgetter`` call and only fields with a ``project_<name>`` reader
    call it. Same answer as the general loop, a fraction of the calls for a page of fifty records.
    """
    visible = _declared_visible(model, ceiling, names)
    readers = {name: _reader_name(model, name) for name in visible}
    plain = tuple(n for n in visible if readers[n] is None)
    special = tuple((n, r) for n, r in readers.items() if r is not None)
    if not plain:
        def read_plain(obj: Any) -> dict[str, Any]:
            return {}
    elif len(plain) == 1:
        one = attrgetter(plain[0])

        def read_plain(obj: Any) -> dict[str, Any]:
            return {plain[0]: one(obj)}
    else:
        many = attrgetter(*plain)

        def read_plain(obj: Any) -> dict[str, Any]:
            return dict(zip(plain, many(obj), strict=True))
    if not special:
        return read_plain

    def read(obj: Any) -> dict[str, Any]:
        out = read_plain(obj)
        for name, reader in special:
            out[name] = getattr(obj, reader)()
        # In the order of ``names``, as the general loop gives them.
        return {name: out[name] for name in visible}
    return read


def _default_fields(obj: Any) -> list[str]:
    meta = getattr(obj, "_meta", None)
    if meta is not None:
        return [f.attname for f in meta.concrete_fields]
    return list(getattr(type(obj), "SENSITIVITY", {}).keys())


def _value(obj: Any, name: str) -> Any:
    cls: Any = type(obj)
    reader = _reader_name(cls, name)
    if reader is not None:
        # A model may supply the projected form (e.g. a decrypted sealed value).
        return getattr(obj, reader)()
    return getattr(obj, name)


@lru_cache(maxsize=4096)
def _reader_name(cls: Any, name: str) -> str | None:
    # Asked once per class and field, not per value: a failed attribute lookup costs
    # an exception inside ``getattr``, and a list page asks hundreds of times.
    reader = f"project_{name}"
    return reader if callable(getattr(cls, reader, None)) else None
