"""A person's photo: uploaded and removed by editors, served only to those the projection lets see it.

The image is served by this view, never from a public media address: the
photo is public only with the family's recorded consent (the projection
decides), and the workspace copy must not be reachable by guessing a URL.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from unforgotten.core.views import not_found
from unforgotten.registry import actions
from unforgotten.registry.forms import REASON_LABEL, errors_to_form
from unforgotten.registry.photos import photo_path, photo_response
from unforgotten.registry.views._common import person_for


class PhotoForm(forms.Form):
    photo = forms.FileField(label=gettext_lazy("Photo"), required=False,
                            help_text=gettext_lazy("JPEG, PNG, WebP or GIF, up to 10 MB. Location and camera "
                                                   "details are removed before it is kept."),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}))
    remove = forms.BooleanField(label=gettext_lazy("Remove the photo"), required=False)
    reason = forms.CharField(label=REASON_LABEL, max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("photo") and not data.get("remove"):
            self.add_error("photo", _("Choose a photo to upload, or tick “Remove the photo”."))
        return data


@require_http_methods(["GET", "POST"])
@login_required
def person_photo(request: HttpRequest, person: UUID) -> HttpResponse:
    record, reader = person_for(request, person, "registry.edit")
    shown = reader.show(record) or {}
    if "photo" not in shown:
        not_found()  # a photo raised above this editor's class is not theirs to replace
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data.get("remove"):
                actions.do_remove_photo(person=record, acting_user=request.user, reason=form.cleaned_data["reason"])
            else:
                upload = form.cleaned_data["photo"]
                actions.do_set_photo(person=record, upload=upload, size=upload.size, acting_user=request.user,
                                     reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The photo is saved.") if not form.cleaned_data.get("remove")
                             else _("The photo is removed."))
            return HttpResponseRedirect(reverse("registry:person_detail", kwargs={"person": record.uuid}))
    return render(request, "registry/photo_form.html", {
        "person": shown, "form": form, "has_photo": bool(shown.get("photo")),
    }, status=400 if request.method == "POST" else 200)


@require_safe
@login_required
def person_photo_image(request: HttpRequest, person: UUID) -> FileResponse:
    record, reader = person_for(request, person, "registry.view")
    shown = reader.show(record, ("photo",)) or {}
    path = photo_path(str(shown.get("photo") or ""))
    if path is None:
        not_found()
    return photo_response(path)  # type: ignore[no-any-return]
