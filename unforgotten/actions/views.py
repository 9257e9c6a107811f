"""The campaigners' workspace at /work/actions/: thin views over the policy, the projection and the actions.

Every record is found through the policy; anything the person may not see is
"not found", like a record that does not exist. Changes are action functions; a
refused change re-renders its form with status 400. Exporting the signers
(supporters' personal data) needs a re-authenticated session.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unforgotten import policy
from unforgotten.accounts.models import Organisation
from unforgotten.accounts.sudo import require_sudo
from unforgotten.actions import actions
from unforgotten.actions import forms as f
from unforgotten.actions.models import (
    ConsentPurpose,
    Delivery,
    Petition,
    PetitionStatus,
    QuarantineReason,
    Signature,
    SignatureState,
    Target,
)
from unforgotten.core.views import not_found
from unforgotten.exchange.report import safe_cell
from unforgotten.policy.projection import audience_for, project

VIEW, EDIT, EXPORT = "actions.view", "actions.edit", "actions.export"
LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _org(request: HttpRequest, slug: str, permission: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug, is_active=True).first()
    if org is None or not policy.can(request.user, permission, org):
        not_found()
    return org


def _petition(request: HttpRequest, key: UUID, permission: str) -> Petition:
    petition = Petition.objects.filter(uuid=key).first()
    if petition is None or not policy.can(request.user, permission, petition):
        not_found()
    return petition


def _target(request: HttpRequest, key: UUID, permission: str) -> Target:
    target = Target.objects.filter(uuid=key).first()
    if target is None or not policy.can(request.user, permission, target):
        not_found()
    return target


def _data(request: HttpRequest) -> Any:
    # An empty POST is still a submission (400 with the form's errors), not a first visit.
    return request.POST if request.method == "POST" else None


def _add_errors(form: Any, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _form_page(request: HttpRequest, form: Any, *, title: str, back: str, button: str = "",
               intro: str = "") -> HttpResponse:
    status = 400 if form.is_bound else 200
    return render(request, "actions/form.html", {"form": form, "title": title, "back": back,
                                                 "button": button or _("Save"), "intro": intro}, status=status)


# --- home, targets --------------------------------------------------------------------------------


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    org_ids = sorted(policy.organisation_ids(request.user, "view"))
    if not org_ids:
        not_found()
    orgs = list(Organisation.objects.filter(pk__in=org_ids, is_active=True).order_by("name"))
    petitions = Petition.objects.filter(organisation_id__in=org_ids).select_related("organisation").order_by(
        "-created_at")[:200]
    rows = [{"p": p, "status": p.get_status_display(), "edit": policy.can(request.user, EDIT, p)} for p in petitions]
    return render(request, "actions/home.html", {
        "rows": rows, "orgs": [{"org": o, "edit": policy.can(request.user, EDIT, o)} for o in orgs]})


@require_safe
@login_required
def target_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, VIEW)
    targets = Target.objects.filter(organisation=organisation)
    return render(request, "actions/target_list.html", {
        "org": organisation, "targets": targets, "can_edit": policy.can(request.user, EDIT, organisation)})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def target_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, EDIT)
    form = f.TargetForm(_data(request))
    if form.is_bound and form.is_valid():
        try:
            actions.do_add_target(organisation=organisation, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Target recorded."))
            return HttpResponseRedirect(reverse("actions:target_list", kwargs={"org": organisation.slug}))
    return _form_page(request, form, title=_("New target"),
                      back=reverse("actions:target_list", kwargs={"org": organisation.slug}),
                      intro=_("Targets are shared by every petition of your organisation: change a minister once."))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def target_edit(request: HttpRequest, target: UUID) -> HttpResponse:
    obj = _target(request, target, EDIT)
    form = f.TargetForm(_data(request), instance=obj)
    back = reverse("actions:target_list", kwargs={"org": obj.organisation.slug})
    if form.is_bound and form.is_valid():
        fresh = Target.objects.get(pk=obj.pk)
        try:
            actions.do_update_target(target=fresh, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Target saved."))
            return HttpResponseRedirect(back)
    return _form_page(request, form, title=_("Edit target"), back=back)


# --- petitions ------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def petition_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _org(request, org, EDIT)
    form = f.PetitionForm(_data(request), organisation_id=organisation.pk)
    if form.is_bound and form.is_valid():
        try:
            petition = actions.do_create_petition(organisation=organisation, data=form.data_for_action(),
                                                  targets=form.cleaned_data["targets"],
                                                  people=form.cleaned_data["people"], acting_user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return HttpResponseRedirect(reverse("actions:petition_detail", kwargs={"petition": petition.uuid}))
    return _form_page(request, form, title=_("New petition"), back=reverse("actions:home"))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def petition_edit(request: HttpRequest, petition: UUID) -> HttpResponse:
    obj = _petition(request, petition, EDIT)
    form = f.PetitionForm(_data(request), instance=obj, organisation_id=obj.organisation_id)
    back = reverse("actions:petition_detail", kwargs={"petition": obj.uuid})
    if form.is_bound and form.is_valid():
        try:
            actions.do_update_petition(petition=Petition.objects.get(pk=obj.pk), data=form.data_for_action(),
                                       targets=form.cleaned_data["targets"], people=form.cleaned_data["people"],
                                       acting_user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Petition saved."))
            return HttpResponseRedirect(back)
    return _form_page(request, form, title=_("Edit petition"), back=back)


@require_safe
@login_required
def petition_detail(request: HttpRequest, petition: UUID) -> HttpResponse:
    obj = _petition(request, petition, VIEW)
    signatures = Signature.objects.filter(petition=obj)
    figures = {
        "pending": signatures.filter(state=SignatureState.PENDING, invalidated_at__isnull=True).count(),
        "counted": signatures.filter(counted=True).count(),
        "quarantined": signatures.filter(invalidated_at__isnull=True).exclude(quarantine="").count(),
        "invalidated": signatures.filter(invalidated_at__isnull=False).count(),
    }
    texts = {t.language: t for t in obj.texts.all()}
    languages = [{"code": code, "name": name, "text": texts.get(code)} for code, name in settings.LANGUAGES]
    return render(request, "actions/petition_detail.html", {
        "p": obj, "status": obj.get_status_display(), "figures": figures, "languages": languages,
        "targets": obj.targets.all(), "deliveries": obj.deliveries.only("pk", "language", "count", "made_at"),
        "can_edit": policy.can(request.user, EDIT, obj), "can_export": policy.can(request.user, EXPORT, obj),
        "public_url": reverse("petitions:page", kwargs={"slug": obj.slug}),
        "languages_all": settings.LANGUAGES,
    })


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def petition_text(request: HttpRequest, petition: UUID, language: str) -> HttpResponse:
    obj = _petition(request, petition, EDIT)
    if language not in LANGUAGE_NAMES:
        not_found()
    instance = obj.texts.filter(language=language).first()
    form = f.PetitionTextForm(_data(request), instance=instance)
    back = reverse("actions:petition_detail", kwargs={"petition": obj.uuid})
    if form.is_bound and form.is_valid():
        try:
            actions.do_set_petition_text(petition=obj, language=language, acting_user=request.user,
                                         **{k: form.cleaned_data[k] for k in ("title", "summary", "body")})
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Text saved."))
            return HttpResponseRedirect(back)
    return _form_page(request, form, title=_("Text in %(language)s") % {"language": LANGUAGE_NAMES[language]},
                      back=back)


@require_POST
@login_required
def petition_status(request: HttpRequest, petition: UUID) -> HttpResponse:
    obj = _petition(request, petition, EDIT)
    back = reverse("actions:petition_detail", kwargs={"petition": obj.uuid})
    try:
        if request.POST.get("do") == "open":
            actions.do_open_petition(petition=obj, acting_user=request.user)
        elif request.POST.get("do") == "close":
            actions.do_close_petition(petition=obj, acting_user=request.user)
        else:
            raise ValidationError({"status": _("Choose to open or to close the petition.")})
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    return HttpResponseRedirect(back)


# --- review -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def quarantine(request: HttpRequest, petition: UUID) -> HttpResponse:
    obj = _petition(request, petition, EDIT)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("signature") if i.isdigit()]
        if request.POST.get("do") == "release":
            n = actions.do_release_signatures(petition=obj, signature_ids=ids, acting_user=request.user)
            messages.success(request, ngettext("%(n)d signature released.", "%(n)d signatures released.", n) % {"n": n})
        elif request.POST.get("do") == "invalidate":
            n = actions.do_invalidate_signatures(petition=obj, signature_ids=ids, acting_user=request.user,
                                                 reason=_("invalidated on review"))
            messages.success(request, ngettext("%(n)d signature invalidated.", "%(n)d signatures invalidated.", n) % {
                "n": n})
        return HttpResponseRedirect(reverse("actions:quarantine", kwargs={"petition": obj.uuid}))
    held = Signature.objects.filter(petition=obj, invalidated_at__isnull=True).exclude(quarantine="").order_by(
        "-signed_at")[:200]
    reasons = dict(QuarantineReason.choices)
    # What a reviewer needs to judge, and no more: no address, no name.
    rows = [{"id": s.pk, "reason": reasons.get(s.quarantine, s.quarantine), "state": s.get_state_display(),
             "signed": s.signed_at, "country": s.country, "comment": s.comment[:200], "pow": s.proof_of_work}
            for s in held]
    return render(request, "actions/quarantine.html", {"p": obj, "rows": rows,
                                                       "invalidate_form": f.InvalidateForm()})


@require_POST
@login_required
def invalidate(request: HttpRequest, petition: UUID) -> HttpResponse:
    obj = _petition(request, petition, EDIT)
    form = f.InvalidateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            n = actions.do_invalidate_signatures(
                petition=obj, acting_user=request.user, quarantine=data["quarantine"] or None,
                signed_from=data["signed_from"], signed_until=data["signed_until"], reason=data["reason"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, ngettext("%(n)d signature invalidated.", "%(n)d signatures invalidated.", n) % {
                "n": n})
            return HttpResponseRedirect(reverse("actions:quarantine", kwargs={"petition": obj.uuid}))
    return _form_page(request, form, title=_("Invalidate signatures in bulk"),
                      back=reverse("actions:quarantine", kwargs={"petition": obj.uuid}), button=_("Invalidate"))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def comments(request: HttpRequest, petition: UUID) -> HttpResponse:
    obj = _petition(request, petition, EDIT)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("signature") if i.isdigit()]
        n = actions.do_choose_comments(petition=obj, signature_ids=ids, acting_user=request.user)
        messages.success(request, ngettext("%(n)d comment chosen.", "%(n)d comments chosen.", n) % {"n": n})
        return HttpResponseRedirect(reverse("actions:comments", kwargs={"petition": obj.uuid}))
    rows = Signature.objects.filter(petition=obj, counted=True).exclude(comment="").order_by("-signed_at").values(
        "pk", "comment", "comment_chosen", "country")[:500]
    return render(request, "actions/comments.html", {"p": obj, "rows": rows})


@require_POST
@login_required
def deliver(request: HttpRequest, petition: UUID) -> HttpResponse:
    obj = _petition(request, petition, EDIT)
    try:
        made = actions.do_deliver_petition(petition=obj, language=request.POST.get("language", obj.default_language),
                                           acting_user=request.user)
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseRedirect(reverse("actions:petition_detail", kwargs={"petition": obj.uuid}))
    return HttpResponseRedirect(reverse("actions:delivery_pdf", kwargs={"delivery": made.pk}))


@require_safe
@login_required
def delivery_pdf(request: HttpRequest, delivery: int) -> HttpResponse:
    made = Delivery.objects.select_related("petition").filter(pk=delivery).first()
    if made is None or not policy.can(request.user, VIEW, made.petition):
        not_found()
    response = HttpResponse(bytes(made.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="petition-{made.petition.slug}-{made.language}.pdf"'
    return response


# --- export of signers ----------------------------------------------------------------------------

SIGNER_COLUMNS = ("email", "given_name", "country", "language", "signed_at", "confirmed_at", "comment",
                  "campaign_updates", "newsletter")


class _Echo:
    def write(self, value: str) -> str:
        return value


def signer_rows(petition: Petition, user: Any) -> Iterator[dict[str, Any]]:
    """Counted signers, projected for the reader; an address only where the signer asked for campaign updates."""
    from unforgotten.actions.models import Consent

    informed = set(Consent.objects.filter(petition=petition, purpose=ConsentPurpose.CAMPAIGN_UPDATES,
                                          withdrawn_at__isnull=True).values_list("supporter_id", flat=True))
    newsletter = set(Consent.objects.filter(supporter__signatures__petition=petition,
                                            purpose=ConsentPurpose.NEWSLETTER,
                                            withdrawn_at__isnull=True).values_list("supporter_id", flat=True))
    rows = Signature.objects.filter(petition=petition, counted=True, supporter__isnull=False).select_related(
        "supporter").order_by("signed_at", "id")
    for signature in rows.iterator(chunk_size=2000):
        supporter = signature.supporter
        if supporter is None:
            continue
        audience = audience_for(user, supporter)
        who = project(supporter, audience, ("email", "given_name", "language"))
        what = project(signature, audience, ("country", "signed_at", "confirmed_at", "comment"))
        yield {
            "email": who.get("email", "") if supporter.pk in informed else "",
            "given_name": who.get("given_name", ""), "language": who.get("language", ""),
            "country": what.get("country", ""), "signed_at": what.get("signed_at", ""),
            "confirmed_at": what.get("confirmed_at", ""), "comment": what.get("comment", ""),
            "campaign_updates": "yes" if supporter.pk in informed else "no",
            "newsletter": "yes" if supporter.pk in newsletter else "no",
        }


def signer_csv(rows: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield ("\ufeff" + writer.writerow(SIGNER_COLUMNS)).encode()
    for row in rows:
        yield writer.writerow([safe_cell("" if row.get(c) is None else row.get(c)) for c in SIGNER_COLUMNS]).encode()


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def export_signers(request: HttpRequest, petition: UUID) -> HttpResponse | StreamingHttpResponse:
    obj = _petition(request, petition, EXPORT)
    if request.method != "POST":
        return render(request, "actions/export.html", {"p": obj})
    require_sudo(request)
    count = Signature.objects.filter(petition=obj, counted=True, supporter__isnull=False).count()
    actions.do_record_signer_export(petition=obj, rows=count, acting_user=request.user)
    response = StreamingHttpResponse(signer_csv(signer_rows(obj, request.user)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="signers-{obj.slug}.csv"'
    return response


__all__ = ["PetitionStatus"]
