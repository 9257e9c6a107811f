from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unforgotten import policy
from unforgotten.accounts import actions
from unforgotten.accounts.forms import AddMemberForm, ReasonForm, RolesForm
from unforgotten.accounts.models import Membership, Organisation, User
from unforgotten.accounts.sudo import require_sudo
from unforgotten.core.views import not_found


def organisation_for(request: HttpRequest, slug: str, permission: str) -> Organisation:
    """The organisation named in the URL, if the user may act on it; otherwise "not found"."""
    org = Organisation.objects.filter(slug=slug, is_active=True).first()
    if org is None or not policy.can(request.user, permission, org):
        not_found()
    return org


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html")


@require_safe
@login_required
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    org = organisation_for(request, slug, "accounts.view_organisation")
    members = Membership.objects.filter(organisation=org).select_related("user").order_by("user__email")
    return render(request, "accounts/organisation.html", {
        "org": org,
        "members": members,
        "can_manage": policy.can(request.user, "accounts.manage_members", org),
        "add_form": AddMemberForm(),
    })


@require_http_methods(["GET", "POST"])
@login_required
def add_member(request: HttpRequest, slug: str) -> HttpResponse:
    org = organisation_for(request, slug, "accounts.manage_members")
    require_sudo(request)
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        try:
            user = User.objects.filter(email__iexact=email).first() or actions.do_create_user(
                email=email, display_name=form.cleaned_data["display_name"], acting_user=request.user
            )
            actions.do_add_member(organisation=org, user=user, roles=form.cleaned_data["roles"],
                                  acting_user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(email)s is now a member.") % {"email": email})
            return redirect("workspace:organisation", slug=org.slug)
    return render(request, "accounts/member_form.html", {"org": org, "form": form}, status=400 if form.errors else 200)


def _membership(org: Organisation, member_id: int) -> Membership:
    membership = Membership.objects.filter(organisation=org, pk=member_id).select_related("user").first()
    if membership is None:
        not_found()
    return membership


@require_http_methods(["GET", "POST"])
@login_required
def change_roles(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    org = organisation_for(request, slug, "accounts.manage_members")
    membership = _membership(org, member_id)
    require_sudo(request)
    form = RolesForm(request.POST or None, initial={"roles": membership.roles})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_change_roles(membership=membership, roles=form.cleaned_data["roles"],
                                    acting_user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Roles saved."))
            return redirect("workspace:organisation", slug=org.slug)
    return render(request, "accounts/roles_form.html", {"org": org, "membership": membership, "form": form},
                  status=400 if form.errors else 200)


@require_POST
@login_required
def deactivate_member(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    org = organisation_for(request, slug, "accounts.manage_members")
    membership = _membership(org, member_id)
    require_sudo(request)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        actions.do_deactivate_member(membership=membership, acting_user=request.user, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Membership ended."))
    return redirect("workspace:organisation", slug=org.slug)
