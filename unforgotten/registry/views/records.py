"""Forms for what hangs off a person: cases, charges, hearings, sentences, detentions, status, people, consent, sources.

Each POST validates, then calls the matching action function; a refused action
re-renders the form with status 400 and the action's message next to the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from unforgotten.policy.projection import PUBLIC
from unforgotten.registry import actions
from unforgotten.registry import vocabularies as v
from unforgotten.registry.forms import (
    CaseForm,
    ChargeForm,
    ConsentForm,
    DetentionForm,
    HearingForm,
    RelationshipForm,
    SentenceForm,
    SourceForm,
    StatusForm,
    WithdrawConsentForm,
    countries_datalist,
    errors_to_form,
    keep_only,
    model_data,
)
from unforgotten.registry.models import Case, Charge, Hearing, Official, Person, Sentence
from unforgotten.registry.views._common import Reader, person_for, related_for, shown
from unforgotten.registry.views._page import article_text, facility_text

Groups = Sequence[tuple[Any, Sequence[str]]]


# --- shared ---------------------------------------------------------------------------------------


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def back_to(person: Person, anchor: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("registry:person_detail", kwargs={"person": person.uuid}) + f"#{anchor}")


def _groups(form: forms.BaseForm, spec: Groups) -> list[dict[str, Any]]:
    """Fields in fieldsets: each (legend or None, names); fields not named go in a last, unlabelled group."""
    used: set[str] = set()
    groups = []
    for legend, names in spec:
        fields = [form[n] for n in names if n in form.fields]
        used.update(names)
        if fields:
            groups.append({"legend": legend, "fields": fields})
    rest = [form[n] for n in form.fields if n not in used]
    if rest:
        groups.append({"legend": None, "fields": rest})
    return groups


def _page(request: HttpRequest, person: Person, reader: Reader, form: forms.BaseForm, *, title: str,
          groups: Groups = (), anchor: str = "", intro: str = "") -> HttpResponse:
    failed = request.method == "POST"
    return render(request, "registry/record_form.html", {
        "person": reader.show(person) or {},
        "form": form,
        "groups": _groups(form, groups),
        "title": title,
        "intro": intro,
        "anchor": anchor,
        "countries": countries_datalist(form),
    }, status=400 if failed else 200)


def _reason(form: forms.BaseForm) -> str:
    return str(form.cleaned_data.get("reason", "") or "")


def case_choices(person: Person, reader: Reader) -> list[tuple[int, str]]:
    """The person's cases the reader may see, labelled from their projections."""
    out = []
    for number, case in enumerate(person.cases.all(), start=1):
        c = reader.show(case, ("id", "case_number", "theme", "opened_on"))
        if c is None or "id" not in c:
            continue
        label = c.get("case_number") or _("Case %(n)s") % {"n": number}
        details = [c[k] for k in ("theme_label",) if c.get(k)]
        if c.get("opened_on") is not None and not c["opened_on"].is_unknown:
            details.append(_("opened %(date)s") % {"date": c["opened_on"]})
        out.append((c["id"], f"{label} ({', '.join(details)})" if details else label))
    return out


def chosen_case(person: Person, reader: Reader, case_id: int | None) -> Case | None:
    if case_id is None:
        return None
    return related_for(person.cases.all(), reader, pk=case_id)


def _article_label(article: Any) -> str:
    data = shown(article, PUBLIC) or {}
    return f"{article_text(data)} ({data.get('country', '')})"


def label_catalogues(form: forms.BaseForm) -> None:
    """Catalogue choices are labelled from their (public) projections, like everything else shown."""
    if "law_article" in form.fields:
        form.fields["law_article"].label_from_instance = _article_label  # type: ignore[attr-defined]
    if "facility" in form.fields:
        form.fields["facility"].label_from_instance = (  # type: ignore[attr-defined]
            lambda f: facility_text(shown(f, PUBLIC)))


# --- cases --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def case_create(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    form = CaseForm(_data(request), initial={"jurisdiction": (reader.show(record) or {}).get("country", "")})
    if form.is_bound and form.is_valid():
        try:
            actions.do_add_case(person=record, data=model_data(form, CaseForm.MODEL_FIELDS),
                                acting_user=request.user, reason=_reason(form))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The case is added."))
            return back_to(record, "cases")
    return _page(request, record, reader, form, title=_("Add a case"), anchor="cases")


@require_http_methods(["GET", "POST"])
@login_required
def case_edit(request: HttpRequest, person: UUID, case: int) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    obj = related_for(record.cases.all(), reader, pk=case)
    current = reader.show(obj) or {}
    form = CaseForm(_data(request), initial=current)
    keep_only(form, current.keys(), CaseForm.MODEL_FIELDS)
    if form.is_bound and form.is_valid():
        try:
            actions.do_update_case(case=obj, data=model_data(form, CaseForm.MODEL_FIELDS), acting_user=request.user,
                                   reason=_reason(form))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The case is saved."))
            return back_to(record, "cases")
    return _page(request, record, reader, form, title=_("Edit the case"), anchor="cases")


@require_http_methods(["GET", "POST"])
@login_required
def charge_create(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    form = ChargeForm(_data(request), initial={"case": request.GET.get("case", "")})
    form.set_cases(case_choices(record, reader), required=True)
    label_catalogues(form)
    if form.is_bound and form.is_valid():
        case = chosen_case(record, reader, form.cleaned_data["case"])
        assert case is not None  # noqa: S101  (the field is required)
        try:
            article = form.cleaned_data.get("law_article")
            if article is None and form.new_article is not None:
                article = actions.do_add_law_article(data=form.new_article, acting_user=request.user)
            actions.do_add_charge(case=case, data={**model_data(form, ChargeForm.MODEL_FIELDS), "law_article": article},
                                  acting_user=request.user, reason=_reason(form))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The charge is added."))
            return back_to(record, "cases")
    return _page(request, record, reader, form, title=_("Add a charge"), anchor="cases", groups=[
        (None, ("case", "law_article")),
        (gettext_lazy("Or describe an article not in the list"), ChargeForm.NEW),
    ])


@require_http_methods(["GET", "POST"])
@login_required
def hearing_create(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    form = HearingForm(_data(request), initial={"case": request.GET.get("case", "")})
    form.set_cases(case_choices(record, reader), required=True)
    officials, judges = _judges(record, reader)
    form.set_judges(judges)
    if form.is_bound and form.is_valid():
        case = chosen_case(record, reader, form.cleaned_data["case"])
        assert case is not None  # noqa: S101  (the field is required)
        try:
            chosen = _bench(request, form, record, officials)
            actions.do_add_hearing(case=case, data=model_data(form, HearingForm.MODEL_FIELDS), judges=chosen,
                                   acting_user=request.user, reason=_reason(form))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The hearing is added."))
            return back_to(record, "cases")
    return _page(request, record, reader, form, title=_("Add a hearing"), anchor="cases")


@require_http_methods(["GET", "POST"])
@login_required
def sentence_create(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    form = SentenceForm(_data(request), initial={"case": request.GET.get("case", "")})
    form.set_cases(case_choices(record, reader), required=True)
    if form.is_bound and form.is_valid():
        case = chosen_case(record, reader, form.cleaned_data["case"])
        assert case is not None  # noqa: S101  (the field is required)
        try:
            actions.do_add_sentence(case=case, data=model_data(form, SentenceForm.MODEL_FIELDS),
                                    acting_user=request.user, reason=_reason(form))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The sentence is added."))
            return back_to(record, "cases")
    intro = "" if form.fields["case"].choices[1:] else _("Add the case first: a sentence belongs to a case.")  # type: ignore[attr-defined]
    return _page(request, record, reader, form, title=_("Add a sentence"), anchor="cases", intro=intro)

def _judges(record: Person, reader: Any) -> tuple[Any, list[tuple[Any, Any]]]:
    """The organisation's judges, and (id, name) of those this reader may see, for the bench field."""
    officials = Official.objects.filter(organisation_id=record.organisation_id, role=v.OfficialRole.JUDGE)
    judges = [(j["id"], j["name"]) for j in (reader.show(o, ("id", "name")) for o in officials)
              if j and {"id", "name"} <= j.keys()]
    return officials, judges


def _bench(request: HttpRequest, form: Any, record: Person, officials: Any) -> list[Official]:
    """The judges chosen in the form, plus a new one recorded by name if the form names one."""
    bench = list(officials.filter(pk__in=form.cleaned_data["judges"]))
    if form.cleaned_data.get("new_judge"):
        bench.append(actions.do_add_official(
            organisation=record.organisation,
            data={"name": form.cleaned_data["new_judge"], "role": v.OfficialRole.JUDGE},
            acting_user=request.user))
    return bench



def _case_records(person: Person, model: Any) -> Any:
    return model.objects.filter(case__person=person)


@require_http_methods(["GET", "POST"])
@login_required
def charge_edit(request: HttpRequest, person: UUID, charge: int) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    obj = related_for(_case_records(record, Charge), reader, pk=charge)
    current = reader.show(obj) or {}
    form = ChargeForm(_data(request), initial={**current, "law_article": current.get("law_article_id")})
    # The case stays: a charge moved to another prosecution is a new charge there.
    del form.fields["case"]
    keep_only(form, current.keys(), ChargeForm.MODEL_FIELDS)
    if "law_article_id" not in current:
        for name in ("law_article", *ChargeForm.NEW):
            del form.fields[name]
    label_catalogues(form)
    if form.is_bound and form.is_valid():
        try:
            data = model_data(form, ChargeForm.MODEL_FIELDS)
            if "law_article" in form.fields:
                article = form.cleaned_data.get("law_article")
                if article is None and form.new_article is not None:
                    article = actions.do_add_law_article(data=form.new_article, acting_user=request.user)
                data["law_article"] = article
            actions.do_update_charge(charge=obj, data=data, acting_user=request.user, reason=_reason(form))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The charge is saved."))
            return back_to(record, "cases")
    return _page(request, record, reader, form, title=_("Edit the charge"), anchor="cases", groups=[
        (None, ("law_article",)),
        (gettext_lazy("Or describe an article not in the list"), ChargeForm.NEW),
    ])


@require_http_methods(["GET", "POST"])
@login_required
def hearing_edit(request: HttpRequest, person: UUID, hearing: int) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    obj = related_for(_case_records(record, Hearing), reader, pk=hearing)
    current = reader.show(obj) or {}
    officials, judges = _judges(record, reader)
    seated = list(obj.judges.values_list("id", flat=True))
    form = HearingForm(_data(request), initial={**current, "judges": seated})
    del form.fields["case"]
    keep_only(form, current.keys(), HearingForm.MODEL_FIELDS)
    if any(pk not in dict(judges) for pk in seated):
        # A judge this reader may not see would be dropped by saving the list: leave the bench alone.
        del form.fields["judges"], form.fields["new_judge"]
    else:
        form.set_judges(judges)
    if form.is_bound and form.is_valid():
        try:
            bench = _bench(request, form, record, officials) if "judges" in form.fields else None
            actions.do_update_hearing(hearing=obj, data=model_data(form, HearingForm.MODEL_FIELDS), judges=bench,
                                      acting_user=request.user, reason=_reason(form))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The hearing is saved."))
            return back_to(record, "cases")
    return _page(request, record, reader, form, title=_("Edit the hearing"), anchor="cases")


@require_http_methods(["GET", "POST"])
@login_required
def sentence_edit(request: HttpRequest, person: UUID, sentence: int) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    obj = related_for(_case_records(record, Sentence), reader, pk=sentence)
    current = reader.show(obj) or {}
    form = SentenceForm(_data(request), initial=current)
    del form.fields["case"]
    keep_only(form, current.keys(), SentenceForm.MODEL_FIELDS)
    if form.is_bound and form.is_valid():
        try:
            actions.do_update_sentence(sentence=obj, data=model_data(form, SentenceForm.MODEL_FIELDS),
                                       acting_user=request.user, reason=_reason(form))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The sentence is saved."))
            return back_to(record, "cases")
    return _page(request, record, reader, form, title=_("Edit the sentence"), anchor="cases")


# --- detention and status -----------------------------------------------------------------------------------


def _detention_groups() -> Groups:
    return [
        (None, ("case", "kind", "start", "end", "facility")),
        (gettext_lazy("Or describe a place of detention not in the list"),
         ("new_facility_name", "new_facility_kind", "new_facility_country", "new_facility_place",
          "new_facility_postal_address")),
    ]


def _save_detention(request: HttpRequest, form: DetentionForm, record: Person, reader: Reader) -> dict[str, Any]:
    """The action's data from the form, creating the described place of detention first."""
    facility = form.cleaned_data.get("facility")
    if facility is None and form.new_facility is not None:
        facility = actions.do_add_facility(data=form.new_facility, acting_user=request.user)
    data = model_data(form, DetentionForm.MODEL_FIELDS)
    if "facility" in form.fields:
        data["facility"] = facility
    if "case" in form.fields:
        data["case"] = chosen_case(record, reader, form.cleaned_data.get("case"))
    return data


@require_http_methods(["GET", "POST"])
@login_required
def detention_create(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    form = DetentionForm(_data(request), initial={"case": request.GET.get("case", "")})
    form.set_cases(case_choices(record, reader), required=False)
    label_catalogues(form)
    if form.is_bound and form.is_valid():
        try:
            actions.do_add_detention(person=record, data=_save_detention(request, form, record, reader),
                                     acting_user=request.user, reason=_reason(form))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The detention is added."))
            return back_to(record, "detention")
    return _page(request, record, reader, form, title=_("Add a detention"), anchor="detention",
                 groups=_detention_groups())


@require_http_methods(["GET", "POST"])
@login_required
def detention_edit(request: HttpRequest, person: UUID, detention: int) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    obj = related_for(record.detentions.all(), reader, pk=detention)
    current = reader.show(obj) or {}
    initial = {**current, "case": current.get("case_id") or "", "facility": current.get("facility_id")}
    form = DetentionForm(_data(request), initial=initial)
    keep_only(form, current.keys(), DetentionForm.MODEL_FIELDS)
    if "case_id" not in current:
        del form.fields["case"]
    else:
        form.set_cases(case_choices(record, reader), required=False)
    if "facility_id" not in current:
        del form.fields["facility"]
        form.drop_new_facility()
    label_catalogues(form)
    if form.is_bound and form.is_valid():
        try:
            actions.do_update_detention(detention=obj, data=_save_detention(request, form, record, reader),
                                        acting_user=request.user, reason=_reason(form))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The detention is saved."))
            return back_to(record, "detention")
    return _page(request, record, reader, form, title=_("Edit the detention"), anchor="detention",
                 groups=_detention_groups())


@require_http_methods(["GET", "POST"])
@login_required
def status_create(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    form = StatusForm(_data(request))
    if form.is_bound and form.is_valid():
        try:
            actions.do_record_status(person=record, status=form.cleaned_data["status"],
                                     effective=form.cleaned_data["effective"], note=form.cleaned_data.get("note", ""),
                                     acting_user=request.user, reason=_reason(form))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The status is recorded."))
            return back_to(record, "status")
    return _page(request, record, reader, form, title=_("Record a change of status"), anchor="status")


# --- people around the prisoner, consent, sources -----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def relationship_create(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    form = RelationshipForm(_data(request))
    if form.is_bound and form.is_valid():
        related = None
        if form.cleaned_data.get("related_person"):
            candidate = Person.objects.filter(uuid=form.cleaned_data["related_person"],
                                              organisation_id=record.organisation_id).first()
            if candidate is None or not Reader(request.user, frozenset()).may_see_record(candidate):
                form.add_error("related_person", _("Your organisation's registry has no record with that identifier."))
            else:
                related = candidate
        if not form.errors:
            try:
                actions.do_add_relationship(
                    person=record, kind=form.cleaned_data["kind"], name=form.cleaned_data.get("name", ""),
                    contact=form.cleaned_data.get("contact", ""), notes=form.cleaned_data.get("notes", ""),
                    related_person=related, acting_user=request.user, reason=_reason(form))
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("The relationship is added."))
                return back_to(record, "people")
    return _page(request, record, reader, form, title=_("Add a relative, lawyer or co-defendant"), anchor="people",
                 intro=_("Names and contact details are sealed: encrypted before they are stored, and shown only to "
                         "the case team after they ask, with a reason, and re-enter their password."))


@require_http_methods(["GET", "POST"])
@login_required
def consent_create(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    form = ConsentForm(_data(request))
    if form.is_bound and form.is_valid():
        try:
            actions.do_record_consent(person=record, data=model_data(form, ConsentForm.MODEL_FIELDS),
                                      acting_user=request.user, reason=_reason(form))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The consent is recorded."))
            return back_to(record, "consent")
    return _page(request, record, reader, form, title=_("Record consent"), anchor="consent")


@require_http_methods(["GET", "POST"])
@login_required
def consent_withdraw(request: HttpRequest, person: UUID, consent: int) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    obj = related_for(record.consents.all(), reader, pk=consent)
    current = reader.show(obj) or {}
    form = WithdrawConsentForm(_data(request), given_on=current.get("given_on"))
    if form.is_bound and form.is_valid():
        try:
            actions.do_withdraw_consent(consent=obj, withdrawn_on=form.cleaned_data["withdrawn_on"],
                                        acting_user=request.user, reason=_reason(form))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The withdrawal of consent is recorded."))
            return back_to(record, "consent")
    scope = current.get("scope_label", "")
    return _page(request, record, reader, form, title=_("Withdraw consent: %(scope)s") % {"scope": scope},
                 anchor="consent")


@require_http_methods(["GET", "POST"])
@login_required
def source_create(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    form = SourceForm(_data(request))
    if form.is_bound and form.is_valid():
        try:
            source = actions.do_add_source(organisation=record.organisation,
                                           data=model_data(form, SourceForm.MODEL_FIELDS),
                                           identity=form.cleaned_data.get("identity", ""), acting_user=request.user,
                                           reason=_reason(form))
            actions.do_cite(source=source, target=record, acting_user=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The source is added."))
            return back_to(record, "sources")
    return _page(request, record, reader, form, title=_("Add a source"), anchor="sources",
                 intro=_("Who the source is stays sealed: encrypted, and shown only to the case team on request."))

