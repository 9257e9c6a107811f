"""The caseworkers' intake queue at /work/intake/ (issue 6): triage suggestions from the public site.

Thin views: find the suggestion through the policy ("not found" for anyone
refused), read it through the projection, call one action. The suggester's
sealed contact is never on these pages unless a caseworker reveals it, after
re-authenticating, with a reason; the reveal is audited and shown once.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unforgotten import policy
from unforgotten.accounts.sudo import require_sudo
from unforgotten.core.views import not_found
from unforgotten.intake import actions, reading
from unforgotten.intake.forms import AcceptForm, DecisionForm, LinkForm, RevealForm
from unforgotten.intake.models import OPEN, Status, Suggestion
from unforgotten.registry.models import Person

FILTERS = {"open": list(OPEN), "new": [Status.NEW], "quarantined": [Status.QUARANTINED],
           "decided": [Status.ACCEPTED, Status.LINKED, Status.REJECTED, Status.SPAM]}


@require_safe
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "intake.view"):
        not_found()
    chosen = request.GET.get("show", "new")
    if chosen not in FILTERS:
        chosen = "new"
    qs = reading.visible_queue(request.user).filter(status__in=FILTERS[chosen])
    rows = [reading.show(request.user, s, reading.LIST_FIELDS) for s in qs[:200]]
    counts = {key: reading.visible_queue(request.user).filter(status__in=statuses).count()
              for key, statuses in FILTERS.items()}
    return render(request, "intake/queue.html", {"rows": rows, "chosen": chosen, "counts": counts,
                                                 "filters": [("new", _("New")), ("quarantined", _("Quarantined")),
                                                             ("open", _("All open")), ("decided", _("Decided"))]})


def _detail(request: HttpRequest, suggestion: Suggestion, *, status: int = 200, **forms: Any) -> HttpResponse:
    can_triage = policy.can(request.user, "intake.triage", suggestion) and suggestion.is_open
    context: dict[str, Any] = {
        "s": reading.show(request.user, suggestion), "obj": suggestion, "can_triage": can_triage,
        "candidates": reading.candidates(request.user, suggestion) if suggestion.is_open else [],
        "linked": reading.linked_person(request.user, suggestion),
        "accept_form": forms.get("accept_form") or AcceptForm(
            prefix="accept", initial={"name": suggestion.person_name, "country": suggestion.country, "open_case": True}),
        "link_form": forms.get("link_form") or LinkForm(prefix="link"),
        "note_form": forms.get("note_form") or DecisionForm(prefix="other"),
        "reveal_form": forms.get("reveal_form") or RevealForm(prefix="reveal"),
        "revealed": forms.get("revealed"),
        "problem": forms.get("problem"),
    }
    return render(request, "intake/detail.html", context, status=status)


@require_safe
@login_required
def detail(request: HttpRequest, suggestion: UUID) -> HttpResponse:
    return _detail(request, reading.suggestion_for(request.user, suggestion))


@require_POST
@login_required
def decide(request: HttpRequest, suggestion: UUID) -> HttpResponse:
    obj = reading.suggestion_for(request.user, suggestion, "intake.triage")
    decision = request.POST.get("decision", "")
    try:
        if decision == "accept":
            form: Any = AcceptForm(request.POST, prefix="accept")
            if not form.is_valid():
                return _detail(request, obj, status=400, accept_form=form)
            actions.do_accept_suggestion(suggestion=obj, name=form.cleaned_data["name"],
                                         country=form.cleaned_data["country"],
                                         open_case=form.cleaned_data["open_case"], acting_user=request.user,
                                         note=form.cleaned_data["note"])
        elif decision == "link":
            form = LinkForm(request.POST, prefix="link")
            if not form.is_valid():
                return _detail(request, obj, status=400, link_form=form)
            person = Person.objects.filter(uuid=form.cleaned_data["person"]).first()
            if person is None or not policy.can(request.user, "registry.view", person):
                form.add_error("person", _("No such record."))
                return _detail(request, obj, status=400, link_form=form)
            actions.do_link_suggestion(suggestion=obj, person=person, acting_user=request.user,
                                       note=form.cleaned_data["note"])
        elif decision in ("reject", "spam"):
            form = DecisionForm(request.POST, prefix="other")
            if not form.is_valid():
                return _detail(request, obj, status=400, note_form=form)
            act = actions.do_reject_suggestion if decision == "reject" else actions.do_mark_spam
            act(suggestion=obj, acting_user=request.user, note=form.cleaned_data["note"])
        else:
            return _detail(request, obj, status=400, problem=_("Choose what to do with the suggestion."))
    except ValidationError as exc:
        problems = "; ".join(str(m) for msgs in exc.message_dict.values() for m in msgs)
        return _detail(request, obj, status=400, problem=_("Nothing was changed: %(problem)s") % {"problem": problems})
    messages.success(request, _("Decision recorded."))
    return HttpResponseRedirect(reverse("intake:detail", kwargs={"suggestion": obj.uuid}))


@require_http_methods(["POST"])
@login_required
def reveal(request: HttpRequest, suggestion: UUID) -> HttpResponse:
    obj = reading.suggestion_for(request.user, suggestion, "intake.triage")
    require_sudo(request)
    form = RevealForm(request.POST, prefix="reveal")
    if not form.is_valid():
        return _detail(request, obj, status=400, reveal_form=form)
    revealed = actions.do_reveal_contact(suggestion=obj, acting_user=request.user, reason=form.cleaned_data["reason"])
    return _detail(request, obj, revealed=revealed)
