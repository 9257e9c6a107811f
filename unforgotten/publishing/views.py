"""The publishing workspace at /work/publishing/: write a profile per language, submit, approve, unpublish."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unforgotten import policy
from unforgotten.accounts.sudo import require_sudo
from unforgotten.core.views import not_found
from unforgotten.policy.projection import audience_for, project
from unforgotten.publishing import actions
from unforgotten.publishing.forms import NewProfileForm, ProfileForm
from unforgotten.publishing.models import PublicProfile, State
from unforgotten.registry.models import Person

LIST_LIMIT = 200


def _profile_for(request: HttpRequest, profile_uuid: UUID, permission: str) -> PublicProfile:
    profile = PublicProfile.objects.select_related("person").filter(uuid=profile_uuid).first()
    if profile is None or not policy.can(request.user, permission, profile):
        not_found()
    return profile


def _name(user: Any, person: Person) -> str:
    return str(project(person, audience_for(user, person), ["display_name"]).get("display_name", ""))


def _messages_from(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@require_safe
@login_required
def profile_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "publishing.view"):
        not_found()
    profiles = policy.filter_owned(PublicProfile.objects.select_related("person"), request.user, "view")
    state = request.GET.get("state", "")
    if state in State.values:
        profiles = profiles.filter(state=state)
    rows = [{"profile": p, "name": _name(request.user, p.person)}
            for p in profiles.order_by("state", "-updated_at", "pk")[:LIST_LIMIT]]
    return render(request, "publishing/profile_list.html", {
        "rows": rows, "states": State.choices, "state": state,
        "may_create": policy.can(request.user, "publishing.edit")})


@require_http_methods(["GET", "POST"])
@login_required
def profile_create(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "publishing.edit"):
        not_found()
    initial = {"person": request.GET.get("person", ""), "language": request.GET.get("language", "")}
    form = NewProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        person = Person.objects.filter(uuid=form.person_uuid()).first()
        if person is None or not policy.can(request.user, "publishing.edit", person):
            # The same answer for "no such person" and "not yours": no existence oracle.
            form.add_error("person", _("No person with this ID in your organisations' registries."))
        else:
            try:
                profile = actions.do_create_profile(person=person, language=form.cleaned_data["language"],
                                                    data=form.data_for_action(), acting_user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("publishing:profile_edit", profile.uuid)
    status = 400 if form.is_bound else 200
    return render(request, "publishing/profile_form.html", {"form": form, "profile": None}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def profile_edit(request: HttpRequest, profile: UUID) -> HttpResponse:
    record = _profile_for(request, profile, "publishing.view" if request.method == "GET" else "publishing.edit")
    form = ProfileForm(request.POST if request.method == "POST" else None, initial={
        "story": record.story, "featured": record.featured, "publish_at": record.publish_at})
    if form.is_bound and form.is_valid():
        try:
            actions.do_update_profile(profile=record, data=form.data_for_action(), acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("publishing:profile_edit", record.uuid)
    sisters = PublicProfile.objects.filter(translation_key=record.translation_key).exclude(pk=record.pk)
    return render(request, "publishing/profile_form.html", {
        "form": form, "profile": record, "name": _name(request.user, record.person), "sisters": sisters,
        "problems": actions.publication_problems(record.person),
        "may_edit": policy.can(request.user, "publishing.edit", record),
        "may_approve": policy.can(request.user, "publishing.approve", record),
        "missing_languages": [code for code, _n in settings.LANGUAGES
                              if code != record.language and not sisters.filter(language=code).exists()],
    }, status=400 if form.is_bound else 200)


def _act(request: HttpRequest, profile: UUID, permission: str, act: Callable[..., PublicProfile], done: str, *,
         sudo: bool = False) -> HttpResponse:
    record = _profile_for(request, profile, permission)
    if sudo:
        require_sudo(request)
    try:
        act(profile=record, acting_user=request.user)
    except ValidationError as exc:
        for message in _messages_from(exc):
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("publishing:profile_edit", record.uuid)


@require_POST
@login_required
def profile_submit(request: HttpRequest, profile: UUID) -> HttpResponse:
    return _act(request, profile, "publishing.edit", actions.do_submit_for_review, _("Submitted for review."))


@require_POST
@login_required
def profile_approve(request: HttpRequest, profile: UUID) -> HttpResponse:
    # Putting a person on the public site is the dangerous act here: fresh credentials first.
    return _act(request, profile, "publishing.approve", actions.do_approve, _("Approved and published."), sudo=True)


@require_POST
@login_required
def profile_publish(request: HttpRequest, profile: UUID) -> HttpResponse:
    return _act(request, profile, "publishing.approve", actions.do_publish, _("Published again."), sudo=True)


@require_POST
@login_required
def profile_unpublish(request: HttpRequest, profile: UUID) -> HttpResponse:
    # No re-authentication: taking a page down (a family withdrew consent tonight) must never be slowed down.
    return _act(request, profile, "publishing.edit", actions.do_unpublish, _("Unpublished: the page is gone."))
