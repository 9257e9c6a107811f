"""The import form: a file, a mapping (typed or uploaded) and the name of the source."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from unforgotten.exchange.mapping import MappingError, load_mapping
from unforgotten.exchange.readers import ReadError, detect_format

# Larger lists go through the command line (`unforgotten import-people`), which streams from disk.
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_MAPPING_BYTES = 200_000


class ImportForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Import for"), coerce=int)
    file = forms.FileField(label=_("List to import"), help_text=_("CSV (UTF-8), JSON Lines or XLSX."))
    source_name = forms.CharField(label=_("Source"), max_length=60,
                                  help_text=_('The name of the list, e.g. "cpj". Importing the same source again '
                                              "updates the people it brought in, never duplicates them."))
    mapping = forms.CharField(label=_("Mapping (TOML)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "dir": "ltr"}))
    mapping_file = forms.FileField(label=_("…or a mapping file"), required=False)

    def __init__(self, *args: Any, organisations: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = list(organisations)
        self.fields["organisation"].choices = choices  # type: ignore[attr-defined]
        self.only_choice = choices[0][0] if len(choices) == 1 else None
        if self.only_choice is not None:
            # One organisation: nothing to choose, so nothing to ask (or to get wrong).
            self.fields["organisation"].required = False
            self.fields["organisation"].widget = forms.HiddenInput()

    def clean_organisation(self) -> int:
        if self.only_choice is not None:
            return int(self.only_choice)
        return int(self.cleaned_data["organisation"])

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            self.file_format = detect_format(upload.name)
        except ReadError as exc:
            raise forms.ValidationError(str(exc)) from None
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 200 MB: import it with the command line."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = (data.get("mapping") or "").strip()
        upload = data.get("mapping_file")
        if text and upload:
            raise forms.ValidationError(_("Give the mapping once: typed or as a file, not both."))
        if upload:
            if upload.size > MAX_MAPPING_BYTES:
                self.add_error("mapping_file", _("A mapping is a short text file; this one is too large."))
                return data
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("mapping_file", _("The mapping file is not UTF-8 text."))
                return data
        if not text:
            self.add_error("mapping", _("Give the mapping: which column holds which field."))
            return data
        try:
            load_mapping(text)
        except MappingError as exc:
            self.add_error("mapping_file" if upload else "mapping", str(exc))
        data["mapping_text"] = text
        return data
