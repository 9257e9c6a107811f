"""The one policy: who may do what, over organisation membership × role × sensitivity.

Every view, API endpoint, export and template helper asks here (``can``,
``audience_for``, ``project``) and nowhere else. The permission names are
registered with ``rules`` so ``user.has_perm(name, obj)`` gives the same answer.

Design choices, each deliberate:
- Platform admins administer the platform (organisations, accounts); they are
  not given case data by their flag. Whoever reads a case reads it as a member.
- An inactive membership, an inactive organisation or a deactivated user count
  as no membership at all.
- "Forbidden" is answered exactly like "not found" by views (see
  ``unforgotten.core.views.not_found``), so a refusal never confirms that a
  record exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser

from unforgotten.policy.sensitivity import DEFAULT_SENSITIVITY, Sensitivity

__all__ = [
    "DEFAULT_SENSITIVITY",
    "Sensitivity",
    "active_memberships",
    "can",
    "organisation_ids",
    "roles_in",
]

# What each role may do inside its own organisation. Capabilities are verbs the
# permission names below are built from; a later issue adds a capability here
# and a permission that uses it, never a check inside a view.
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    "viewer": frozenset({"view"}),
    "caseworker": frozenset({"view", "edit_cases", "export"}),
    "reviewer": frozenset({"view", "edit_cases", "review", "publish", "export", "view_audit"}),
    "campaigner": frozenset({"view", "campaign", "publish"}),
    "advocate": frozenset({"view", "advocacy", "export"}),
    # "coordinate": answering urgent alerts (verify, launch action, resolve), on-call shifts, the digests and
    # escalations (decision 0026). No export, no publish, no case edits: a coordinator of a coalition sees
    # the organisation's internal records like any member, and restricted ones only on a case team.
    "coordinator": frozenset({"view", "coordinate"}),
    "finance_officer": frozenset({"view", "finance"}),
    "org_admin": frozenset(
        {"view", "edit_cases", "review", "publish", "export", "campaign", "advocacy", "finance",
         "view_audit", "manage_members", "manage_tokens"}
    ),
}


def _user_key(user: Any) -> int | None:
    if getattr(user, "uf_token", None) is not None:
        return None  # a token is not a person: it holds no memberships of its own
    if user is None or isinstance(user, AnonymousUser) or not getattr(user, "is_authenticated", False):
        return None
    if not getattr(user, "is_active", False):
        return None
    return int(user.pk)


def active_memberships(user: Any) -> dict[int, frozenset[str]]:
    """{organisation id: roles} of the user's live memberships, cached on the user object."""
    if _user_key(user) is None:
        return {}
    cached = getattr(user, "_uf_memberships", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    from unforgotten.accounts.models import Membership

    # The organisations' names come in the same query: every workspace page shows them.
    rows = Membership.objects.filter(user_id=user.pk, is_active=True, organisation__is_active=True).values_list(
        "organisation_id", "roles", "organisation__name", "organisation__slug"
    )
    return remember_memberships(user, rows)


def remember_memberships(user: Any, rows: Iterable[tuple[int, Any, str, str]]) -> dict[int, frozenset[str]]:
    """Cache (organisation id, roles, name, slug) rows of live memberships on the user for this request.

    ``active_memberships`` reads them; the session store (accounts.principal)
    reads them in the same statement as the session and hands them over here.
    """
    result: dict[int, frozenset[str]] = {}
    labels: dict[int, tuple[str, str]] = {}
    for org_id, roles, name, slug in rows:
        result[int(org_id)] = frozenset(r for r in roles if r in ROLE_CAPABILITIES)
        labels[int(org_id)] = (name, slug)
    forget_memberships(user)
    user._uf_memberships = result
    user._uf_organisation_labels = labels
    return result


def organisation_labels(user: Any) -> dict[int, tuple[str, str]]:
    """{organisation id: (name, slug)} of the user's live memberships (no query beyond the memberships')."""
    active_memberships(user)
    return dict(getattr(user, "_uf_organisation_labels", {}))


def forget_memberships(user: Any) -> None:
    """Drop the per-request caches after a membership changed."""
    for attr in ("_uf_memberships", "_uf_capabilities", "_uf_organisation_labels"):
        if hasattr(user, attr):
            delattr(user, attr)


def capability_map(user: Any) -> dict[int, frozenset[str]]:
    """{organisation id: capabilities} for a person (through roles) or an API token (through scopes)."""
    token = getattr(user, "uf_token", None)
    if token is not None:
        return {int(token.organisation_id): token.capabilities()}
    cached = getattr(user, "_uf_capabilities", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    result: dict[int, frozenset[str]] = {}
    for org_id, roles in active_memberships(user).items():
        caps: set[str] = set()
        for role in roles:
            caps |= ROLE_CAPABILITIES[role]
        result[org_id] = frozenset(caps)
    if _user_key(user) is not None:
        user._uf_capabilities = result
    return result


def organisation_ids(user: Any, capability: str = "view") -> set[int]:
    """The organisations in which the user holds ``capability``."""
    return {org_id for org_id, caps in capability_map(user).items() if capability in caps}


def roles_in(user: Any, organisation_id: int | None) -> frozenset[str]:
    if organisation_id is None:
        return frozenset()
    return active_memberships(user).get(int(organisation_id), frozenset())


def capabilities_in(user: Any, organisation_id: int | None) -> frozenset[str]:
    if organisation_id is None:
        return frozenset()
    return capability_map(user).get(int(organisation_id), frozenset())


def members_holding(organisation_id: int, capability_name: str) -> list[Any]:
    """Active users of the organisation whose roles there give ``capability_name``, by e-mail (one query)."""
    from unforgotten.accounts.models import Membership

    out = []
    for m in (Membership.objects.filter(organisation_id=organisation_id, is_active=True, user__is_active=True,
                                        organisation__is_active=True)
              .select_related("user").order_by("user__email")):
        if any(capability_name in ROLE_CAPABILITIES.get(role, ()) for role in m.roles):
            out.append(m.user)
    return out


def coordinators(organisation_id: int) -> list[Any]:
    """Who the radar's digest and the alerts' reminders and escalations go to (decision 0026).

    The members holding ``coordinate`` (the coordinator role); an organisation that named none falls back to
    its admins (``manage_members``), who decide who coordinates: silence must reach someone who can fix it.
    """
    return members_holding(organisation_id, "coordinate") or members_holding(organisation_id, "manage_members")


def owner_id(obj: Any) -> int | None:
    """The organisation that owns ``obj``: an Organisation itself, or ``obj.organisation_id``."""
    if obj is None:
        return None
    from unforgotten.accounts.models import Organisation

    if isinstance(obj, Organisation):
        return int(obj.pk)
    value = getattr(obj, "organisation_id", None)
    return int(value) if value is not None else None


def needs_second_factor(user: Any) -> bool:
    """Anyone who can see non-public data must log in with a second factor."""
    if _user_key(user) is None:
        return False
    return bool(user.is_superuser or user.is_staff or active_memberships(user))


# --- predicates --------------------------------------------------------------


def _has_capability(capability: str) -> Any:
    def check(user: Any, obj: Any = None) -> bool:
        if obj is None:
            return bool(organisation_ids(user, capability))
        return capability in capabilities_in(user, owner_id(obj))

    return rules.predicate(check, name=f"has_{capability}_in_owner")


def _is_platform_admin(user: Any) -> bool:
    return _user_key(user) is not None and bool(user.is_superuser)


def _is_member_anywhere(user: Any) -> bool:
    return bool(active_memberships(user))


is_platform_admin = rules.predicate(_is_platform_admin)
is_member_anywhere = rules.predicate(_is_member_anywhere)


# Permission names are "<app>.<verb>" and are the only strings views pass to ``can``.
PERMISSIONS: dict[str, Any] = {
    "workspace.enter": is_member_anywhere,
    "accounts.view_organisation": _has_capability("view"),
    "accounts.manage_members": _has_capability("manage_members"),
    "accounts.manage_tokens": _has_capability("manage_tokens"),
    "audit.view_events": _has_capability("view_audit"),
    "platform.administer": is_platform_admin,
}

for _name, _predicate in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)


def can(user: Any, permission: str, obj: Any = None) -> bool:
    """The single question every caller asks. Unknown permission names are a programming error."""
    if permission not in PERMISSIONS:
        raise KeyError(f"no such permission {permission!r}; add it to unforgotten.policy.PERMISSIONS")
    return bool(PERMISSIONS[permission].test(user, obj))


def register(permission: str, predicate: Any) -> None:
    """Domain apps add their permissions here at import time (from their ``rules.py``)."""
    if permission in PERMISSIONS and PERMISSIONS[permission] is not predicate:
        raise ValueError(f"permission {permission!r} is already registered")
    PERMISSIONS[permission] = predicate
    if rules.perm_exists(permission):
        rules.set_perm(permission, predicate)
    else:
        rules.add_perm(permission, predicate)


def capability(name: str) -> Any:
    """A predicate true when the user holds capability ``name`` in the object's owning organisation."""
    return _has_capability(name)


def filter_owned(queryset: Any, user: Any, capability_name: str = "view", field: str = "organisation_id") -> Any:
    """Restrict a queryset to rows owned by organisations where the user holds the capability."""
    ids: Iterable[int] = organisation_ids(user, capability_name)
    return queryset.filter(**{f"{field}__in": list(ids)})
