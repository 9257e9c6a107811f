"""The advocacy workspace at /work/advocacy/: thin views over the policy, the projection and the actions.

Every view finds its record through the policy (``policy.can``) and the
projection's idea of who may know it exists; anything else is "not found",
the same answer as for a record that does not exist. Every change is one action
function; a refused change re-renders the form with status 400. Handing a
document outside (a dossier, a WGAD draft) and revealing a lawyer's contact
need a re-authenticated session.
"""

from __future__ import annotations

import hashlib
import uuid as uuid_module
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unforgotten import policy
from unforgotten.accounts.sudo import require_sudo
from unforgotten.advocacy import actions, dossier, reading, toolkit, wgad
from unforgotten.advocacy import forms as f
from unforgotten.advocacy.models import (
    Adoption,
    CadenceRule,
    DossierCopy,
    Intervention,
    Lawyer,
    LegalAction,
    Stakeholder,
    UNCommunication,
    WGADDraft,
)
from unforgotten.advocacy.reading import Reader
from unforgotten.core.views import not_found, posted
from unforgotten.policy.projection import record_sensitivity
from unforgotten.registry.models import Case, Person

VIEW, EDIT, EXPORT = "advocacy.view", "advocacy.edit", "advocacy.export"


# --- finding records through the policy -----------------------------------------------------------


def _person(request: HttpRequest, key: UUID, permission: str) -> tuple[Person, Reader]:
    person = Person.objects.filter(uuid=key, merged_into__isnull=True).first()
    reader = Reader(request.user)
    if person is None or not policy.can(request.user, permission, person) or not reader.sees(person):
        not_found()
    return person, reader


def _case(request: HttpRequest, pk: int, permission: str) -> tuple[Case, Reader]:
    case = Case.objects.select_related("person", "organisation").filter(pk=pk).first()
    reader = Reader(request.user)
    if case is None or not policy.can(request.user, permission, case) or not reader.case_visible(case):
        not_found()
    return case, reader


def _on_case[M: Model](model: type[M], request: HttpRequest, permission: str, **lookup: Any) -> tuple[M, Reader]:
    """A record hanging off a case (intervention, legal action, UN communication, rule), through its case."""
    obj = model._default_manager.select_related("case__person").filter(**lookup).first()
    reader = Reader(request.user)
    if obj is None or not policy.can(request.user, permission, obj):
        not_found()
    case: Case = obj.case  # type: ignore[attr-defined]
    if not reader.case_visible(case) or not reader.sees(obj, case.person_id):
        not_found()
    return obj, reader

def _edit_on_case(request: HttpRequest, model: type[Model], key: UUID, form_class: Any, action: Any, argument: str,
                  *, saved: str, title: str, with_organisation: bool = False) -> HttpResponse:
    """The edit page of a record hanging off a case: the form shows what the reader may see, the action saves."""
    obj, reader = _on_case(model, request, EDIT, uuid=key)
    case: Case = obj.case  # type: ignore[attr-defined]
    shown = reader.show(obj)
    extra = {"organisation": case.organisation} if with_organisation else {}
    form = form_class(_data(request), initial=f.initial_from(shown), **extra)
    f.keep_only(form, shown)
    if form.is_bound and form.is_valid():
        arguments: dict[str, Any] = {argument: obj, "data": f.data_of(form), "acting_user": request.user}
        if _act(form, action, None, **arguments) is not None:
            messages.success(request, saved)
            return HttpResponseRedirect(_person_url(case.person, f"case-{case.pk}"))
    return _form_page(request, form, title=title, back=_person_url(case.person), head=_head(reader, case.person))



def _stakeholder(request: HttpRequest, key: UUID, permission: str) -> tuple[Stakeholder, Reader]:
    obj = Stakeholder.objects.filter(uuid=key).first()
    reader = Reader(request.user)
    if obj is None or not policy.can(request.user, permission, obj) or not reader.sees(obj):
        not_found()
    return obj, reader


def _adoption(request: HttpRequest, key: UUID, permission: str) -> tuple[Adoption, Reader]:
    obj = Adoption.objects.select_related("person", "stakeholder").filter(uuid=key).first()
    reader = Reader(request.user)
    if obj is None or not policy.can(request.user, permission, obj) or obj.person.merged_into_id is not None \
            or not reader.sees(obj.person) or not reader.sees(obj):
        not_found()
    return obj, reader


def _organisation(request: HttpRequest, capability: str) -> Any:
    """Where a new organisation-level record (stakeholder, lawyer) goes: the caller's first organisation."""
    from unforgotten.accounts.models import Organisation

    ids = sorted(policy.organisation_ids(request.user, capability))
    if not ids:
        not_found()
    wanted = request.GET.get("organisation") or posted(request, "organisation")
    orgs = Organisation.objects.filter(pk__in=ids, is_active=True).order_by("name")
    org = orgs.filter(slug=wanted).first() if wanted else orgs.first()
    if org is None:
        not_found()
    return org


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _form_page(request: HttpRequest, form: forms.BaseForm, *, title: str, back: str, intro: str = "",
               head: dict[str, Any] | None = None, extra: dict[str, Any] | None = None,
               button: str = "", status: int | None = None) -> HttpResponse:
    return render(request, "advocacy/form.html", {
        "form": form, "title": title, "back": back, "intro": intro, "head": head or {}, "button": button or _("Save"),
        **(extra or {}),
    }, status=status or (400 if form.is_bound and form.errors else 200))


def _act(form: forms.BaseForm, action: Callable[..., Any], aliases: dict[str, str] | None = None,
         **kwargs: Any) -> Any:
    try:
        return action(**kwargs)
    except ValidationError as exc:
        f.errors_to_form(form, exc, aliases)
        return None


def _person_url(person: Person, anchor: str = "") -> str:
    return reverse("advocacy:person", kwargs={"person": person.uuid}) + (f"#{anchor}" if anchor else "")


def _head(reader: Reader, person: Person) -> dict[str, Any]:
    shown = reader.show(person, ("display_name", "country", "current_status"))
    return {"name": shown.get("display_name") or _("(name not shown)"), "uuid": person.uuid,
            "country": shown.get("country", "")}


# --- the dashboard -------------------------------------------------------------------------------------


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, VIEW):
        not_found()
    today = timezone.localdate()
    reader = Reader(request.user)
    late = reading.overdue(request.user, today)
    reader.load_teams(s.rule.case.person_id for s in late)
    overdue_rows = []
    for s in late:
        person = s.rule.case.person
        overdue_rows.append({
            "person": reader.show(person, ("display_name",)).get("display_name") or _("(name not shown)"),
            "person_uuid": person.uuid, "case": s.rule.case_id,
            "stakeholder": reader.show(s.rule.stakeholder, ("name",)).get("name", ""),
            "every_days": s.rule.every_days, "last": s.last, "due": s.due, "days_overdue": s.days_overdue,
        })
    deadlines = [{"action": reader.show(a, ("kind", "forum", "deadline", "status")), "label": a.get_kind_display(),
                  "status": a.get_status_display(), "days_left": (a.deadline - today).days if a.deadline else None,
                  "person": reader.show(a.case.person, ("display_name",)).get("display_name", ""),
                  "person_uuid": a.case.person.uuid, "uuid": a.uuid}
                 for a in reading.upcoming_deadlines(request.user, today)]
    replies = [{"c": reader.show(c), "mechanism": c.get_mechanism_display(), "uuid": c.uuid,
                "person": reader.show(c.case.person, ("display_name",)).get("display_name", ""),
                "person_uuid": c.case.person.uuid, "late": c.reply_due_on is not None and c.reply_due_on < today}
               for c in reading.replies_due(request.user)]
    follow = [{"i": reader.show(i, ("occurred", "method", "follow_up_on")), "method": i.get_method_display(),
               "stakeholder": reader.show(i.stakeholder, ("name",)).get("name", ""), "uuid": i.uuid,
               "person": reader.show(i.case.person, ("display_name",)).get("display_name", ""),
               "person_uuid": i.case.person.uuid}
              for i in reading.follow_ups_due(request.user, today)]
    return render(request, "advocacy/home.html", {
        "overdue": overdue_rows, "deadlines": deadlines, "replies": replies, "follow_ups": follow, "today": today,
        "can_edit": policy.can(request.user, EDIT),
    })


@require_safe
@login_required
def laws(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, VIEW):
        not_found()
    country = (request.GET.get("country") or "").strip().upper()[:2] or None
    rows = reading.law_counts(request.user, country)
    return render(request, "advocacy/laws.html", {"rows": rows, "country": country or ""})


# --- stakeholders ------------------------------------------------------------------------------------------


STAKEHOLDER_LIST_FIELDS = ("uuid", "kind", "name", "institution", "role", "country", "language", "email")


@require_safe
@login_required
def stakeholder_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, VIEW):
        not_found()
    reader = Reader(request.user)
    kind = request.GET.get("kind", "")
    qs = Stakeholder.objects.filter(organisation_id__in=list(policy.organisation_ids(request.user, "view")))
    if kind:
        qs = qs.filter(kind=kind)
    rows = []
    for s in qs[:500]:
        shown = reader.show(s, STAKEHOLDER_LIST_FIELDS)
        if shown:
            rows.append({**shown, "kind_label": s.get_kind_display()})
    from unforgotten.advocacy.vocabularies import StakeholderKind

    return render(request, "advocacy/stakeholder_list.html", {
        "rows": rows, "kinds": StakeholderKind.choices, "kind": kind, "can_edit": policy.can(request.user, EDIT)})


@require_http_methods(["GET", "POST"])
@login_required
def stakeholder_create(request: HttpRequest) -> HttpResponse:
    org = _organisation(request, "advocacy")
    form = f.StakeholderForm(_data(request))
    if form.is_bound and form.is_valid():
        obj = _act(form, actions.do_add_stakeholder, organisation=org, data=f.data_of(form), acting_user=request.user)
        if obj is not None:
            messages.success(request, _("Stakeholder recorded."))
            return HttpResponseRedirect(reverse("advocacy:stakeholder_detail", kwargs={"stakeholder": obj.uuid}))
    return _form_page(request, form, title=_("New stakeholder"), back=reverse("advocacy:stakeholder_list"),
                      intro=_("Contact details are internal: only your organisation's staff see them."))


@require_safe
@login_required
def stakeholder_detail(request: HttpRequest, stakeholder: UUID) -> HttpResponse:
    obj, reader = _stakeholder(request, stakeholder, VIEW)
    shown = reader.show(obj)
    cases = reading.visible_cases(request.user).values("pk")
    interventions = []
    for i in obj.interventions.filter(case_id__in=cases).select_related("case__person")[:200]:
        interventions.append({"i": reader.show(i), "method": i.get_method_display(),
                              "outcome": i.get_outcome_display(), "uuid": i.uuid,
                              "person": reader.show(i.case.person, ("display_name",)).get("display_name", ""),
                              "person_uuid": i.case.person.uuid})
    rules = reading.cadence_statuses(obj.cadence_rules.filter(case_id__in=cases, active=True))
    return render(request, "advocacy/stakeholder_detail.html", {
        "s": shown, "kind_label": obj.get_kind_display(), "obj": obj, "interventions": interventions,
        "rules": [{"status": r, "person": reader.show(r.rule.case.person, ("display_name",)).get("display_name", ""),
                   "person_uuid": r.rule.case.person.uuid} for r in rules],
        "can_edit": policy.can(request.user, EDIT, obj), "can_send": obj.can_be_sent_to,
    })


@require_http_methods(["GET", "POST"])
@login_required
def stakeholder_edit(request: HttpRequest, stakeholder: UUID) -> HttpResponse:
    obj, reader = _stakeholder(request, stakeholder, EDIT)
    shown = reader.show(obj)
    form = f.StakeholderForm(_data(request), initial=f.initial_from(shown))
    f.keep_only(form, shown)
    if form.is_bound and form.is_valid():
        if _act(form, actions.do_update_stakeholder, stakeholder=obj, data=f.data_of(form),
                acting_user=request.user) is not None:
            messages.success(request, _("Stakeholder saved."))
            return HttpResponseRedirect(reverse("advocacy:stakeholder_detail", kwargs={"stakeholder": obj.uuid}))
    return _form_page(request, form, title=_("Edit %(name)s") % {"name": shown.get("name", "")},
                      back=reverse("advocacy:stakeholder_detail", kwargs={"stakeholder": obj.uuid}))


@require_http_methods(["GET", "POST"])
@login_required
def stakeholder_write(request: HttpRequest, stakeholder: UUID) -> HttpResponse:
    """Write to a stakeholder by e-mail about a case; it is recorded as an intervention. No address, no letter."""
    obj, reader = _stakeholder(request, stakeholder, EDIT)
    back = reverse("advocacy:stakeholder_detail", kwargs={"stakeholder": obj.uuid})
    cases = reading.visible_cases(request.user, "advocacy").filter(organisation_id=obj.organisation_id) \
        .select_related("person")
    form = f.LetterForm(_data(request), cases=cases)
    problem = ""
    if not obj.can_be_sent_to:
        problem = _("This stakeholder has no e-mail address: nothing can be sent to them. Add one first.")
        if request.method == "POST":
            return _form_page(request, form, title=_("Write to %(name)s") % {"name": reader.show(obj).get("name", "")},
                              back=back, button=_("Send"), extra={"problem": problem}, status=400)
    elif form.is_bound and form.is_valid():
        done = _act(form, actions.do_send_letter, stakeholder=obj, case=form.cleaned_data["case"],
                    subject=form.cleaned_data["subject"], body=form.cleaned_data["body"], acting_user=request.user)
        if done is not None:
            messages.success(request, _("The letter is on its way; it is recorded as an intervention."))
            return HttpResponseRedirect(back)
    return _form_page(request, form, title=_("Write to %(name)s") % {"name": reader.show(obj).get("name", "")},
                      back=back, button=_("Send"), extra={"problem": problem})


# --- a person's advocacy ----------------------------------------------------------------------------------


@require_safe
@login_required
def person(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = _person(request, person, VIEW)
    today = timezone.localdate()
    cases = []
    for case in record.cases.order_by("id"):
        if not reader.case_visible(case):
            continue
        c = reader.show(case, ("id", "jurisdiction", "theme", "procedural_stage", "case_number"))
        c["theme_label"] = case.get_theme_display()
        c["interventions"] = [{"i": reader.show(i), "method": i.get_method_display(), "outcome": i.get_outcome_display(),
                               "stakeholder": reader.show(i.stakeholder, ("name",)).get("name", ""), "uuid": i.uuid}
                              for i in case.interventions.select_related("stakeholder") if reader.sees(i)]
        c["rules"] = [{"status": s, "stakeholder": reader.show(s.rule.stakeholder, ("name",)).get("name", "")}
                      for s in reading.cadence_statuses(case.cadence_rules.all(), today)]
        c["legal"] = [{"a": reader.show(a), "kind": a.get_kind_display(), "status": a.get_status_display(),
                       "uuid": a.uuid} for a in case.legal_actions.all() if reader.sees(a)]
        c["un"] = [{"c": reader.show(u), "mechanism": u.get_mechanism_display(), "kind": u.get_kind_display(),
                    "outcome": u.get_outcome_display(), "uuid": u.uuid}
                   for u in case.un_communications.all() if reader.sees(u)]
        cases.append(c)
    adoptions = [{"a": reader.show(a), "kind": a.get_adopter_kind_display(), "uuid": a.uuid,
                  "listed": a.has_public_consent("listing")} for a in record.adoptions.all() if reader.sees(a)]
    copies = [reader.show(c, ("uuid", "kind", "audience", "language", "recipient", "created_at", "sha256"))
              for c in DossierCopy.objects.filter(person=record)[:50]]
    return render(request, "advocacy/person.html", {
        "head": _head(reader, record), "cases": cases, "adoptions": adoptions, "copies": copies,
        "can_edit": policy.can(request.user, EDIT, record), "can_export": policy.can(request.user, EXPORT, record),
        "today": today,
    })


@require_http_methods(["GET", "POST"])
@login_required
def brief(request: HttpRequest, case: int) -> HttpResponse:
    obj, reader = _case(request, case, EDIT)
    existing = getattr(obj, "advocacy_brief", None) if hasattr(obj, "advocacy_brief") else None
    shown = reader.show(existing) if existing is not None else {}
    form = f.BriefForm(_data(request), initial=f.initial_from(shown))
    if form.is_bound and form.is_valid():
        if _act(form, actions.do_save_brief, case=obj, data=f.data_of(form), acting_user=request.user) is not None:
            messages.success(request, _("Brief saved."))
            return HttpResponseRedirect(_person_url(obj.person, f"case-{obj.pk}"))
    return _form_page(request, form, title=_("Dossier texts for this case"), back=_person_url(obj.person),
                      head=_head(reader, obj.person),
                      intro=_("Written for the outside world: the summary goes out only with story consent, the "
                              "request only with name consent, health only with health consent (for the media)."))


@require_http_methods(["GET", "POST"])
@login_required
def intervention_create(request: HttpRequest, case: int) -> HttpResponse:
    obj, reader = _case(request, case, EDIT)
    initial: dict[str, Any] = {"occurred": str(timezone.localdate())}
    wanted = _uuid_or_none(request.GET.get("stakeholder", ""))
    if wanted is not None:
        st = Stakeholder.objects.filter(organisation_id=obj.organisation_id, uuid=wanted).first()
        if st is not None:
            initial["stakeholder"] = st.pk
    form = f.InterventionForm(_data(request), initial=initial, organisation=obj.organisation)
    if form.is_bound and form.is_valid():
        data = f.data_of(form)
        stakeholder = data.pop("stakeholder")
        if _act(form, actions.do_record_intervention, case=obj, stakeholder=stakeholder, data=data,
                acting_user=request.user) is not None:
            messages.success(request, _("Intervention recorded."))
            return HttpResponseRedirect(_person_url(obj.person, f"case-{obj.pk}"))
    return _form_page(request, form, title=_("Record an intervention"), back=_person_url(obj.person),
                      head=_head(reader, obj.person))


def _uuid_or_none(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@login_required
def intervention_edit(request: HttpRequest, intervention: UUID) -> HttpResponse:
    return _edit_on_case(request, Intervention, intervention, f.InterventionForm, actions.do_update_intervention,
                         "intervention", saved=_("Intervention saved."), title=_("Edit the intervention"),
                         with_organisation=True)


@require_http_methods(["GET", "POST"])
@login_required
def cadence_create(request: HttpRequest, case: int) -> HttpResponse:
    obj, reader = _case(request, case, EDIT)
    form = f.CadenceRuleForm(_data(request), organisation=obj.organisation)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if _act(form, actions.do_set_cadence_rule, case=obj, stakeholder=d["stakeholder"], every_days=d["every_days"],
                active=d["active"], note=d["note"], acting_user=request.user) is not None:
            messages.success(request, _("Cadence rule saved."))
            return HttpResponseRedirect(_person_url(obj.person, f"case-{obj.pk}"))
    return _form_page(request, form, title=_("Raise this case regularly"), back=_person_url(obj.person),
                      head=_head(reader, obj.person),
                      intro=_("The case shows on the overdue dashboard when the stakeholder has not been "
                              "approached within this many days."))


@require_http_methods(["GET", "POST"])
@login_required
def cadence_edit(request: HttpRequest, rule: int) -> HttpResponse:
    obj, reader = _on_case(CadenceRule, request, EDIT, pk=rule)
    back = _person_url(obj.case.person, f"case-{obj.case_id}")
    if request.method == "POST" and request.POST.get("remove"):
        actions.do_remove_cadence_rule(rule=obj, acting_user=request.user)
        messages.success(request, _("Cadence rule removed."))
        return HttpResponseRedirect(back)
    shown = reader.show(obj)
    form = f.CadenceRuleForm(_data(request), initial=shown, organisation=obj.organisation, fixed_stakeholder=True)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if _act(form, actions.do_set_cadence_rule, case=obj.case, stakeholder=obj.stakeholder,
                every_days=d["every_days"], active=d["active"], note=d["note"], acting_user=request.user) is not None:
            messages.success(request, _("Cadence rule saved."))
            return HttpResponseRedirect(back)
    return _form_page(request, form, title=_("Cadence with %(name)s") % {
        "name": reader.show(obj.stakeholder, ("name",)).get("name", "")}, back=back,
        head=_head(reader, obj.case.person), extra={"removable": True})


# --- adoption ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def adoption_create(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = _person(request, person, EDIT)
    form = f.AdoptionForm(_data(request), initial={"started_on": timezone.localdate()}, organisation=record.organisation)
    if form.is_bound and form.is_valid():
        if _act(form, actions.do_adopt, person=record, data=f.data_of(form), acting_user=request.user) is not None:
            messages.success(request, _("Adoption recorded."))
            return HttpResponseRedirect(_person_url(record, "adoptions"))
    return _form_page(request, form, title=_("Record an adoption"), back=_person_url(record), head=_head(reader, record),
                      intro=_("The adopter is named in public only while they agree to be listed and the family "
                              "agrees to the prisoner's name being public."))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def adoption_edit(request: HttpRequest, adoption: UUID) -> HttpResponse:
    obj, reader = _adoption(request, adoption, VIEW)
    shown = reader.show(obj)
    can_edit = policy.can(request.user, EDIT, obj)
    if request.method == "POST" and not can_edit:
        not_found()
    form = f.AdoptionForm(_data(request), initial=f.initial_from(shown), organisation=obj.organisation)
    f.keep_only(form, shown)
    if form.is_bound and form.is_valid():
        if _act(form, actions.do_update_adoption, adoption=obj, data=f.data_of(form),
                acting_user=request.user) is not None:
            messages.success(request, _("Adoption saved."))
            return HttpResponseRedirect(reverse("advocacy:adoption_edit", kwargs={"adoption": obj.uuid}))
    activities = [{"a": reader.show(x), "kind": x.get_kind_display()} for x in obj.activities.all()]
    return render(request, "advocacy/adoption.html", {
        "form": form, "obj": obj, "shown": shown, "head": _head(reader, obj.person), "activities": activities,
        "can_edit": can_edit, "listed": obj.has_public_consent("listing"),
    }, status=400 if form.is_bound and form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def activity_create(request: HttpRequest, adoption: UUID) -> HttpResponse:
    obj, reader = _adoption(request, adoption, EDIT)
    form = f.ActivityForm(_data(request))
    back = reverse("advocacy:adoption_edit", kwargs={"adoption": obj.uuid})
    if form.is_bound and form.is_valid():
        if _act(form, actions.do_log_adoption_activity, adoption=obj, data=f.data_of(form),
                acting_user=request.user) is not None:
            messages.success(request, _("Activity logged."))
            return HttpResponseRedirect(back)
    return _form_page(request, form, title=_("Log what the adopter did"), back=back, head=_head(reader, obj.person))


@require_http_methods(["GET", "POST"])
@login_required
def toolkit_view(request: HttpRequest, adoption: UUID) -> HttpResponse:
    obj, reader = _adoption(request, adoption, EDIT)
    kit = toolkit.build(obj, timezone.localdate())
    form = f.ToolkitForm(_data(request))
    if form.is_bound and form.is_valid():
        if form.cleaned_data["action"] == "email":
            if _act(form, actions.do_send_toolkit, adoption=obj, subject=kit.subject, body=kit.text,
                    acting_user=request.user) is not None:
                messages.success(request, _("The toolkit is on its way to the adopter."))
                return HttpResponseRedirect(reverse("advocacy:adoption_edit", kwargs={"adoption": obj.uuid}))
        else:
            pdf = toolkit.to_pdf(kit)
            copy = _act(form, actions.do_export_dossier, person=obj.person, case=None, kind="toolkit", audience="",
                        language="en", recipient=obj.adopter_name, stakeholder=obj.stakeholder,
                        reason=form.cleaned_data["reason"] or _("Toolkit for the adopter"),
                        sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), copy_uuid=uuid_module.uuid4(),
                        acting_user=request.user)
            if copy is not None:
                return _attachment(pdf, "application/pdf", f"toolkit-{str(copy.uuid)[:8]}.pdf")
    return render(request, "advocacy/toolkit.html", {
        "kit": kit, "form": form, "obj": obj, "head": _head(reader, obj.person),
        "can_send": obj.stakeholder is not None and obj.stakeholder.can_be_sent_to,
    }, status=400 if form.is_bound and form.errors else 200)


def _attachment(content: bytes, media_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- legal support ------------------------------------------------------------------------------------------


@require_safe
@login_required
def lawyer_list(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, VIEW):
        not_found()
    reader = Reader(request.user)
    rows = []
    for lawyer in Lawyer.objects.filter(organisation_id__in=list(policy.organisation_ids(request.user, "view"))):
        team = lawyer.client_case_team_ids()
        audience = reader.audience(lawyer, extra_team=team)
        shown = reader.show(lawyer, ("uuid", "name", "country"))
        if shown:
            rows.append({**shown, "sealed": bool(lawyer.contact_sealed), "may_reveal": audience.kind == "case_team",
                         "actions": lawyer.legal_actions.count()})
    return render(request, "advocacy/lawyer_list.html", {"rows": rows, "can_edit": policy.can(request.user, EDIT)})


@require_http_methods(["GET", "POST"])
@login_required
def lawyer_create(request: HttpRequest) -> HttpResponse:
    org = _organisation(request, "advocacy")
    form = f.LawyerForm(_data(request))
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if _act(form, actions.do_add_lawyer, organisation=org, name=d["name"], contact=d["contact"],
                country=d["country"], notes=d["notes"], acting_user=request.user) is not None:
            messages.success(request, _("Lawyer recorded; the contact details are sealed."))
            return HttpResponseRedirect(reverse("advocacy:lawyer_list"))
    return _form_page(request, form, title=_("New lawyer"), back=reverse("advocacy:lawyer_list"))


@require_http_methods(["GET", "POST"])
@login_required
def lawyer_reveal(request: HttpRequest, lawyer: UUID) -> HttpResponse:
    """A client's case team may read a lawyer's sealed contact: after re-authenticating, with a reason, audited."""
    from dataclasses import replace

    from unforgotten.policy.projection import project

    obj = Lawyer.objects.filter(uuid=lawyer).first()
    if obj is None or not policy.can(request.user, VIEW, obj) or not obj.contact_sealed:
        not_found()
    reader = Reader(request.user)
    audience = reader.audience(obj, extra_team=obj.client_case_team_ids())
    if audience.kind != "case_team" or not audience.may_see(record_sensitivity(obj)):
        not_found()
    require_sudo(request)
    form = f.RevealForm(_data(request))
    revealed = None
    if form.is_bound and form.is_valid():
        _act(form, actions.do_record_lawyer_unseal, lawyer=obj, acting_user=request.user,
             reason=form.cleaned_data["reason"])
        if not form.errors:
            revealed = project(obj, replace(audience, unsealed=True), ("contact_sealed",)).get("contact_sealed", "")
    return render(request, "advocacy/reveal.html", {"form": form, "name": obj.name, "revealed": revealed},
                  status=400 if form.is_bound and form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def legal_action_create(request: HttpRequest, case: int) -> HttpResponse:
    obj, reader = _case(request, case, EDIT)
    form = f.LegalActionForm(_data(request), organisation=obj.organisation)
    if form.is_bound and form.is_valid():
        if _act(form, actions.do_add_legal_action, case=obj, data=f.data_of(form), acting_user=request.user) \
                is not None:
            messages.success(request, _("Legal action recorded."))
            return HttpResponseRedirect(_person_url(obj.person, f"case-{obj.pk}"))
    return _form_page(request, form, title=_("Record a legal action"), back=_person_url(obj.person),
                      head=_head(reader, obj.person),
                      intro=_("Reminders go out by e-mail 14, 7, 3 and 1 days before the deadline and on the day."))


@require_http_methods(["GET", "POST"])
@login_required
def legal_action_edit(request: HttpRequest, action: UUID) -> HttpResponse:
    return _edit_on_case(request, LegalAction, action, f.LegalActionForm, actions.do_update_legal_action,
                         "legal_action", saved=_("Legal action saved."), title=_("Edit the legal action"),
                         with_organisation=True)


# --- UN communications and WGAD drafts -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def un_create(request: HttpRequest, case: int) -> HttpResponse:
    obj, reader = _case(request, case, EDIT)
    form = f.UNCommunicationForm(_data(request))
    if form.is_bound and form.is_valid():
        if _act(form, actions.do_add_un_communication, case=obj, data=f.data_of(form), acting_user=request.user) \
                is not None:
            messages.success(request, _("UN communication recorded."))
            return HttpResponseRedirect(_person_url(obj.person, f"case-{obj.pk}"))
    return _form_page(request, form, title=_("Record a UN communication or urgent appeal"),
                      back=_person_url(obj.person), head=_head(reader, obj.person),
                      intro=_("The government's reply is due 60 days after the communication is transmitted."))


@require_http_methods(["GET", "POST"])
@login_required
def un_edit(request: HttpRequest, communication: UUID) -> HttpResponse:
    return _edit_on_case(request, UNCommunication, communication, f.UNCommunicationForm,
                         actions.do_update_un_communication, "communication", saved=_("UN communication saved."),
                         title=_("Edit the UN communication"))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def wgad_draft(request: HttpRequest, case: int) -> HttpResponse:
    obj, reader = _case(request, case, VIEW)
    can_edit = policy.can(request.user, EDIT, obj)
    if request.method == "POST" and not can_edit:
        not_found()
    existing = WGADDraft.objects.filter(case=obj).first()
    shown = reader.show(existing) if existing is not None else {}
    initial = f.initial_from(shown)
    for code, text in dict(shown.get("category_reasoning") or {}).items():
        initial[f"reasoning_{code}"] = text
    form = f.WGADDraftForm(_data(request), initial=initial)
    if existing is not None:
        f.keep_only(form, {**shown, **{f"reasoning_{c}": "" for c in "I II III IV V".split()
                                       if "category_reasoning" in shown}})
    elif reader.audience(obj).kind != "case_team":
        for name in ("id_document", "residence"):
            del form.fields[name]  # restricted answers: the case team's to give
    if form.is_bound and form.is_valid():
        if _act(form, actions.do_save_wgad_draft, case=obj, data=form.draft_data(), acting_user=request.user) \
                is not None:
            messages.success(request, _("Draft saved."))
            return HttpResponseRedirect(reverse("advocacy:wgad", kwargs={"case": obj.pk}))
    draft = wgad.build(obj, reader.audience(obj), timezone.localdate())
    return render(request, "advocacy/wgad_page.html", {
        "form": form, "draft": draft, "case": obj, "head": _head(reader, obj.person), "can_edit": can_edit,
        "can_export": policy.can(request.user, EXPORT, obj), "export_form": f.ExportForm(),
    }, status=400 if form.is_bound and form.errors else 200)


@require_POST
@login_required
def wgad_export(request: HttpRequest, case: int) -> HttpResponse:
    obj, reader = _case(request, case, EXPORT)
    require_sudo(request)
    form = f.ExportForm(request.POST)
    if form.is_valid():
        copy_uuid = uuid_module.uuid4()
        draft = wgad.build(obj, reader.audience(obj), timezone.localdate())
        d = form.cleaned_data
        fmt = d["format"]
        content = (wgad.to_pdf(draft, recipient=d["recipient"], copy=str(copy_uuid)[:8]) if fmt == "pdf"
                   else wgad.to_docx(draft, recipient=d["recipient"], copy=str(copy_uuid)[:8]))
        copy = _act(form, actions.do_export_dossier, person=obj.person, case=obj, kind=f"wgad-{fmt}", audience="un",
                    language="en", recipient=d["recipient"], stakeholder=None, reason=d["reason"],
                    sha256=hashlib.sha256(content).hexdigest(), size=len(content), copy_uuid=copy_uuid,
                    acting_user=request.user)
        if copy is not None:
            media = "application/pdf" if fmt == "pdf" else \
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            return _attachment(content, media, f"wgad-draft-{str(copy_uuid)[:8]}.{fmt}")
    draft = wgad.build(obj, reader.audience(obj), timezone.localdate())
    return render(request, "advocacy/wgad_page.html", {
        "form": None, "draft": draft, "case": obj, "head": _head(reader, obj.person), "can_edit": False,
        "can_export": True, "export_form": form,
    }, status=400)


# --- dossiers ------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def dossier_view(request: HttpRequest, person: UUID) -> HttpResponse:
    """Choose the audience, language and recipient; a POST (re-authenticated) returns the watermarked PDF."""
    record, reader = _person(request, person, EXPORT)
    cases = reading.visible_cases(request.user, "advocacy").filter(person=record)
    form = f.DossierForm(_data(request), organisation=record.organisation, cases=cases)
    if request.method == "POST":
        require_sudo(request)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        copy_uuid = uuid_module.uuid4()
        req = dossier.DossierRequest(record, d["case"], d["audience"], d["language"], d["recipient"], copy_uuid,
                                     timezone.localdate(), record.organisation.name)
        pdf = dossier.build_pdf(req)
        copy = _act(form, actions.do_export_dossier, person=record, case=d["case"], kind="dossier",
                    audience=d["audience"], language=d["language"], recipient=d["recipient"],
                    stakeholder=d["stakeholder"], reason=d["reason"], sha256=hashlib.sha256(pdf).hexdigest(),
                    size=len(pdf), copy_uuid=copy_uuid, acting_user=request.user)
        if copy is not None:
            return _attachment(pdf, "application/pdf", f"dossier-{d['audience']}-{str(copy_uuid)[:8]}.pdf")
    return _form_page(request, form, title=_("Make a dossier"), back=_person_url(record), head=_head(reader, record),
                      button=_("Make the PDF"),
                      intro=_("Each copy is watermarked with its recipient on every page and recorded in the audit "
                              "trail. Media dossiers show only what is public and consented; diplomats' what "
                              "partners may see; UN mechanisms' what your staff may see. Restricted and sealed "
                              "values never go out."))
