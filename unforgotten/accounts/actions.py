"""State changes of organisations and memberships. Each writes its audit event in its transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from unforgotten import policy
from unforgotten.accounts.models import Membership, Organisation, Role, User
from unforgotten.audit.actions import record

_VALID_ROLES = {r.value for r in Role}


def _clean_roles(roles: Iterable[str]) -> list[str]:
    cleaned = sorted(set(roles))
    unknown = [r for r in cleaned if r not in _VALID_ROLES]
    if unknown:
        raise ValidationError(f"Unknown role(s): {', '.join(unknown)}. Choose from {', '.join(sorted(_VALID_ROLES))}.")
    if not cleaned:
        raise ValidationError("Choose at least one role.")
    return cleaned


@transaction.atomic(durable=True)
def do_create_organisation(*, name: str, slug: str, country: str = "", acting_user: Any) -> Organisation:
    org = Organisation(name=name.strip(), slug=slug.strip(), country=country.upper())
    org.full_clean()
    org.save()
    record("accounts.create_organisation", actor=acting_user, obj=org, organisation_id=org.pk,
           changes={"name": [None, org.name], "slug": [None, org.slug]})
    return org


@transaction.atomic(durable=True)
def do_create_user(*, email: str, display_name: str = "", password: str | None = None, acting_user: Any) -> User:
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError("An account with this e-mail address already exists.")
    user = User.objects.create_user(email=email, password=password, display_name=display_name)
    record("accounts.create_user", actor=acting_user, obj=user, changes={"email": [None, email]})
    return user


@transaction.atomic(durable=True)
def do_add_member(*, organisation: Organisation, user: User, roles: Iterable[str], acting_user: Any, reason: str = "") -> Membership:
    cleaned = _clean_roles(roles)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"roles": cleaned}
    )
    before = [] if created else list(membership.roles)
    if not created:
        membership.roles = cleaned
        membership.is_active = True
        membership.save(update_fields=["roles", "is_active"])
    record("accounts.add_member", actor=acting_user, obj=membership, organisation_id=organisation.pk,
           reason=reason, changes={"user": [None, user.email], "roles": [before, cleaned]})
    policy.forget_memberships(user)
    return membership


@transaction.atomic(durable=True)
def do_change_roles(*, membership: Membership, roles: Iterable[str], acting_user: Any, reason: str = "") -> Membership:
    cleaned = _clean_roles(roles)
    before = list(membership.roles)
    if before == cleaned:
        return membership
    if Role.ORG_ADMIN.value in before and Role.ORG_ADMIN.value not in cleaned:
        _refuse_last_admin(membership)
    membership.roles = cleaned
    membership.save(update_fields=["roles"])
    record("accounts.change_roles", actor=acting_user, obj=membership, reason=reason,
           changes={"roles": [before, cleaned]})
    policy.forget_memberships(membership.user)
    return membership


@transaction.atomic(durable=True)
def do_deactivate_member(*, membership: Membership, acting_user: Any, reason: str = "") -> Membership:
    if not membership.is_active:
        return membership
    if Role.ORG_ADMIN.value in membership.roles:
        _refuse_last_admin(membership)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    record("accounts.deactivate_member", actor=acting_user, obj=membership, reason=reason,
           changes={"is_active": [True, False]})
    policy.forget_memberships(membership.user)
    return membership


@transaction.atomic(durable=True)
def do_deactivate_user(*, user: User, acting_user: Any, reason: str = "") -> User:
    """Ends every session of the person at once: an inactive user fails authentication."""
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    record("accounts.deactivate_user", actor=acting_user, obj=user, reason=reason, changes={"is_active": [True, False]})
    return user


def _refuse_last_admin(membership: Membership) -> None:
    # An organisation with no admin could never manage its members again.
    others = Membership.objects.filter(organisation_id=membership.organisation_id, is_active=True).exclude(pk=membership.pk)
    if not any(Role.ORG_ADMIN.value in m.roles for m in others):
        raise ValidationError("This is the organisation's last admin; make someone else admin first.")
