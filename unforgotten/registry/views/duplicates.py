"""Probable duplicates: the review queue, merging a pair (after re-authentication) and undoing a merge.

Nothing here merges on its own: a person looks at both records, picks the one
to keep, gives a reason and re-enters a credential. "Not the same person" is
remembered. Pairs and merges of other organisations, or with a record the
reader may not see, are "not found".
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from unforgotten import policy
from unforgotten.accounts.sudo import require_sudo
from unforgotten.core.views import not_found
from unforgotten.registry import actions, search
from unforgotten.registry.forms import RegistryForm, errors_to_form
from unforgotten.registry.models import DuplicateCandidate, Person, PersonMerge
from unforgotten.registry.views._common import Reader, case_team_ids

QUEUE_SIZE = 100
SUMMARY = ("uuid", "display_name", "country", "current_status", "birth_date", "birth_place")


class MergeForm(RegistryForm):
    keep = forms.ChoiceField(label=gettext_lazy("Keep this record"), widget=forms.RadioSelect,
                             choices=[("first", gettext_lazy("the first")), ("second", gettext_lazy("the second"))])
    reason = forms.CharField(label=gettext_lazy("Why these are the same person"), max_length=500)


class UndoForm(RegistryForm):
    reason = forms.CharField(label=gettext_lazy("Why the merge was wrong"), max_length=500)


def _visible(request: HttpRequest, person: Person) -> tuple[Reader, dict[str, Any]] | None:
    """The reader and what they may see of a live person they may edit; None when they may not."""
    if person.merged_into_id is not None or not policy.can(request.user, "registry.edit", person):
        return None
    reader = Reader(request.user, case_team_ids(person))
    if not reader.may_see_record(person):
        return None
    shown = reader.show(person, SUMMARY)
    return (reader, shown) if shown and "uuid" in shown else None


def _names(reader: Reader, person: Person) -> list[str]:
    return [n["text"] for n in (reader.show(name, ("text",)) for name in person.names.all()) if n and "text" in n]


@require_safe
@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    orgs = policy.organisation_ids(request.user, "edit_cases")
    if not orgs:
        not_found()
    candidates = (DuplicateCandidate.objects.filter(organisation_id__in=orgs, status=DuplicateCandidate.Status.OPEN,
                                                    first__merged_into__isnull=True,
                                                    second__merged_into__isnull=True)
                  .select_related("first", "second").order_by("-score", "id")[:QUEUE_SIZE])
    rows = []
    for candidate in candidates:
        first, second = _visible(request, candidate.first), _visible(request, candidate.second)
        if first is None or second is None:
            continue  # a pair with a record this reader may not see is not shown at all
        rows.append({"id": candidate.pk, "score": candidate.score, "first": first[1], "second": second[1]})
    merges = []
    for record in (PersonMerge.objects.filter(organisation_id__in=orgs, undone_at__isnull=True)
                   .select_related("kept", "merged").order_by("-created_at", "-id")[:20]):
        kept = _visible(request, record.kept)
        merged_reader = Reader(request.user, case_team_ids(record.merged))
        merged = merged_reader.show(record.merged, SUMMARY) if merged_reader.may_see_record(record.merged) else None
        if kept is not None and merged:
            merges.append({"id": record.pk, "kept": kept[1], "merged": merged, "at": record.created_at})
    return render(request, "registry/duplicate_list.html", {"rows": rows, "merges": merges})


@require_http_methods(["GET", "POST"])
@login_required
def duplicate_review(request: HttpRequest, candidate: int) -> HttpResponse:
    pair = DuplicateCandidate.objects.select_related("first", "second").filter(
        pk=candidate, status=DuplicateCandidate.Status.OPEN).first()
    if pair is None or not policy.can(request.user, "registry.edit", pair):
        not_found()
    first, second = _visible(request, pair.first), _visible(request, pair.second)
    if first is None or second is None:
        not_found()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = MergeForm(request.POST if action == "merge" else None)
    if action == "dismiss":
        actions.do_dismiss_duplicate(candidate=pair, acting_user=request.user)
        messages.success(request, _("Marked as not the same person; this pair will not be proposed again."))
        return redirect("registry:duplicate_list")
    if action == "merge":
        require_sudo(request)
        if form.is_valid():
            keep, merge = (pair.first, pair.second) if form.cleaned_data["keep"] == "first" \
                else (pair.second, pair.first)
            try:
                actions.do_merge_people(keep=keep, merge=merge, acting_user=request.user,
                                                 reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                errors_to_form(form, exc)
            except PermissionDenied:
                not_found()
            else:
                messages.success(request, _("Merged. Everything recorded about both is now on this page."))
                return redirect("registry:person_detail", person=keep.uuid)
    elif request.method == "POST":
        form = MergeForm(request.POST)
        form.is_valid()  # so the form has its cleaned data before the error is added
        form.add_error(None, _("Choose to merge the two records or to mark them as different people."))
    return render(request, "registry/duplicate_review.html", {
        "pair": pair, "form": form,
        "people": [{**first[1], "names": _names(first[0], pair.first)},
                   {**second[1], "names": _names(second[0], pair.second)}],
        "why": search.why(pair.first.display_name, pair.second.display_name),
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def merge_undo(request: HttpRequest, merge: int) -> HttpResponse:
    record = PersonMerge.objects.select_related("kept", "merged").filter(pk=merge, undone_at__isnull=True).first()
    if record is None or not policy.can(request.user, "registry.edit", record):
        not_found()
    kept = _visible(request, record.kept)
    if kept is None or not policy.can(request.user, "registry.edit", record.merged):
        not_found()
    reader = Reader(request.user, case_team_ids(record.merged))
    if not reader.may_see_record(record.merged):
        not_found()
    form = UndoForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require_sudo(request)
        if form.is_valid():
            try:
                restored = actions.do_unmerge_people(merge_record=record, acting_user=request.user,
                                                     reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                errors_to_form(form, exc)
            except PermissionDenied:
                not_found()
            else:
                messages.success(request, _("The merge is undone: both records are back as they were."))
                return redirect("registry:person_detail", person=restored.uuid)
    return render(request, "registry/merge_undo.html", {
        "record": record, "kept": kept[1], "merged": reader.show(record.merged, SUMMARY) or {},
        "moved": {k: len(v) if isinstance(v, list) else 1 for k, v in record.moved.items()}, "form": form,
    }, status=400 if form.errors else 200)


def merged_redirect(request: HttpRequest, person: Person) -> HttpResponse | None:
    """For the person page: where a merged-away record now lives, if the reader may know both."""
    if person.merged_into_id is None:
        return None
    kept = Person.objects.filter(pk=person.merged_into_id).first()
    if kept is None or not policy.can(request.user, "registry.view", person) \
            or not Reader(request.user, case_team_ids(person)).may_see_record(person):
        return None
    return redirect("registry:person_detail", person=kept.uuid)
