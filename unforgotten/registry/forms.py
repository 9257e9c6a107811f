"""Forms of the registry workspace: they validate and say what to fix; the action functions save.

Model forms are used for their validation only (field rules and each model's
``clean``, run on a fresh unsaved instance): none is ever given a stored record
as ``instance`` and none is ever saved. Edit forms are filled from the
projection (``initial``), so a form never shows a value its reader may not see,
and fields above the reader's ceiling are left out of edit forms altogether.
Create forms keep every field: typing a restricted or sealed value is not
reading one.
"""

from __future__ import annotations

import copy
import functools
import itertools
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import signals as models_signals
from django.utils import timezone, translation
from django.utils.choices import BaseChoiceIterator, normalize_choices
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from unforgotten.core.countries import UnknownCountry, country_choices, normalize_country
from unforgotten.core.widgets import QuickSelect
from unforgotten.registry import vocabularies as v
from unforgotten.registry.models import (
    Case,
    Charge,
    Consent,
    DetentionPeriod,
    Facility,
    Hearing,
    LawArticle,
    Person,
    RecognitionDecision,
    Sentence,
    Source,
    StatusChange,
)

REASON_LABEL = _("Reason for the change (kept in the audit trail)")

# ISO 15924 codes offered for names; empty means "work it out from the text".
SCRIPTS = [
    ("", _("Detect from the text")),
    ("Latn", _("Latin")),
    ("Cyrl", _("Cyrillic")),
    ("Arab", _("Arabic")),
    ("Hebr", _("Hebrew")),
    ("Grek", _("Greek")),
    ("Armn", _("Armenian")),
    ("Geor", _("Georgian")),
    ("Hani", _("Han (Chinese)")),
    ("Jpan", _("Japanese")),
    ("Hang", _("Hangul (Korean)")),
    ("Deva", _("Devanagari")),
    ("Thai", _("Thai")),
    ("Beng", _("Bengali")),
    ("Ethi", _("Ethiopic")),
    ("Taml", _("Tamil")),
]

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _any(choices: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    return [("", _("Any")), *choices]


class CountryField(forms.CharField):
    """A country as an ISO code or a name ("BY", "by", "Belarus", "Беларусь"), cleaned to the code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("help_text", _("An ISO 3166 code such as BY, or the country's name."))
        kwargs.setdefault("widget", forms.TextInput(attrs={"list": "countries", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        try:
            return normalize_country(text)
        except UnknownCountry:
            raise ValidationError(
                _("“%(value)s” is not a country we know: give an ISO 3166 code such as BY, or the country's name."),
                code="unknown_country", params={"value": text},
            ) from None


class CountriesField(forms.CharField):
    """Several countries, separated by commas: "BY, RU"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("ISO 3166 codes or names, separated by commas: BY, RU."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return ", ".join(str(x) for x in value)
        return value

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        codes: list[str] = []
        bad: list[str] = []
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            try:
                codes.append(normalize_country(part))
            except UnknownCountry:
                bad.append(part)
        if bad:
            raise ValidationError(
                _("Not countries we know: %(bad)s. Give ISO 3166 codes such as BY, or country names."),
                code="unknown_country", params={"bad": ", ".join(f"“{b}”" for b in bad)},
            )
        return sorted(set(codes))


def countries_datalist(form: forms.BaseForm | None = None) -> str:
    """The ``<datalist id="countries">`` suggestions for country inputs, in the reader's language.

    Empty when ``form`` asks for no country. Rendered once per language and
    kept: some 250 options through the template engine cost more than a page query.
    """
    if form is not None and not any(isinstance(f, CountryField) for f in form.fields.values()):
        return ""
    return _countries_html(translation.get_language() or "en")


@functools.lru_cache(maxsize=16)
def _countries_html(language: str) -> str:
    options = "".join(format_html('<option value="{}">{}</option>', code, name)
                      for code, name in country_choices(language))
    return mark_safe(f'<datalist id="countries">{options}</datalist>')  # noqa: S308  (built with format_html)


def filter_fields_html(form: PersonFilterForm) -> str:
    """The filter form's fields as HTML, kept per language and submitted values.

    A dozen fields through Django's field templates cost more than the page's
    queries; the same filters are asked for again and again (every "more"
    link, every return to the list). Only a form without errors is kept, and
    the key holds the catalogues' versions, so a new law article or place shows at once.
    """
    if form.is_bound and form.errors:
        return _render_filter_fields(form)
    catalogues = tuple(_catalogue_key(f) for f in form.fields.values() if isinstance(f, CatalogueFilterField))
    values = tuple(sorted((k, tuple(form.data.getlist(k)) if hasattr(form.data, "getlist") else (form.data[k],))
                          for k in form.data if k in form.fields))
    key = (translation.get_language() or "", values, catalogues)
    cached = _FILTER_HTML.get(key)
    if cached is None:
        cached = _render_filter_fields(form)
        if len(_FILTER_HTML) >= 256:
            _FILTER_HTML.clear()  # a crude bound: the common keys come back within a request or two
        _FILTER_HTML[key] = cached
    return cached


_FILTER_HTML: dict[tuple[Any, ...], str] = {}


def _catalogue_key(field: forms.ChoiceField) -> Any:
    # A catalogue read from the database is known by its version (a number never reused); choices set
    # any other way by their contents.
    choices = field.choices
    return choices.version if isinstance(choices, CatalogueChoices) else tuple(choices)  # type: ignore[arg-type]


def _render_filter_fields(form: forms.BaseForm) -> str:
    from django.template.loader import render_to_string

    return mark_safe(render_to_string("registry/_filter_fields.html", {"form": form}))  # noqa: S308  (a template's output)


class CatalogueChoices(BaseChoiceIterator):
    """A catalogue's choices ("any", then its rows), normalised once per reading of the catalogue.

    Django normalises choices whenever they are set, on the field and again on
    its widget: for two catalogues of a few hundred entries that was every list
    page's work, for choices that change when someone adds a law article or a
    place. As a ``BaseChoiceIterator`` they are taken as they are. Immutable:
    forms share one, and a form that wants other choices assigns new ones.
    ``version`` tells one reading from another (the filter fields' HTML is kept under it).
    """

    def __init__(self, rows: Iterable[tuple[int, str]]) -> None:
        self._items: tuple[tuple[Any, Any], ...] = tuple(normalize_choices(_any(rows)))
        self.version = next(_CATALOGUE_VERSIONS)

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


_CATALOGUE_VERSIONS = itertools.count(1)


class CatalogueFilterField(forms.TypedChoiceField):
    """A filter on a shared catalogue (law articles, places): "any" or one entry's id.

    The choices are read as plain (id, label) rows (one small query, no model
    instances, kept for a short while: ``_catalogue_choices``) and rendered by
    ``QuickSelect``: a catalogue of a few hundred entries must not cost the list
    more than its own page query.
    """

    widget = QuickSelect

    def __init__(self, *, rows: Any, **kwargs: Any) -> None:
        self._rows = rows
        super().__init__(coerce=int, empty_value=None, required=False, **kwargs)

    def load(self) -> None:
        """Read the catalogue once for this form (validation and rendering share it)."""
        self.choices = _catalogue_choices(self._rows)


# Catalogue rows kept per process for a short while. Catalogues change rarely
# (someone adds a law article or a prison) and every list page shows them: a
# change made in this process clears the copy at once (signals below); another
# worker process shows the new entry within CATALOGUE_SECONDS.
CATALOGUE_SECONDS = 30.0
_CATALOGUES: dict[Any, tuple[float, CatalogueChoices]] = {}


def _catalogue_choices(rows: Any) -> CatalogueChoices:
    import time

    now = time.monotonic()
    kept = _CATALOGUES.get(rows)
    if kept is None or now - kept[0] > CATALOGUE_SECONDS:
        kept = _CATALOGUES[rows] = (now, CatalogueChoices(rows()))
    return kept[1]


def _forget_catalogues(**_: Any) -> None:
    _CATALOGUES.clear()


for _model in (LawArticle, Facility):
    models_signals.post_save.connect(_forget_catalogues, sender=_model, dispatch_uid=f"catalogue-{_model.__name__}")
    models_signals.post_delete.connect(_forget_catalogues, sender=_model,
                                       dispatch_uid=f"catalogue-del-{_model.__name__}")


class RegistryForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.widget.template_name == "django/forms/widgets/select.html":
                # The same <select>, without one template include per option: a
                # list of 200 places of detention renders ten times faster.
                field.widget.template_name = "registry/widgets/select.html"


class ReasonMixin(RegistryForm):
    reason = forms.CharField(label=REASON_LABEL, max_length=500, required=False)


class RegistryModelForm(ReasonMixin, forms.ModelForm):  # type: ignore[type-arg]
    """A model form for validation only (never saved; see the module docstring)."""

    def _update_errors(self, errors: ValidationError) -> None:
        # A field the form has already refused ("XY" is not a country) is not
        # refused a second time by the model's own clean(): one message per problem.
        if hasattr(errors, "error_dict"):
            fresh = {name: e for name, e in errors.error_dict.items() if name not in self.errors}
            if not fresh:
                return
            errors = ValidationError(fresh)
        # BaseModelForm._update_errors, next in the MRO.
        super()._update_errors(errors)  # type: ignore[misc]


def keep_only(form: forms.BaseForm, allowed: Iterable[str], model_fields: Iterable[str]) -> None:
    """Drop the model fields the reader may not see (edit forms show only what the projection gives)."""
    allowed = set(allowed)
    for name in list(form.fields):
        if name in model_fields and name not in allowed:
            del form.fields[name]


def model_data(form: forms.BaseForm, names: Iterable[str]) -> dict[str, Any]:
    """The cleaned values of the model fields still on the form, for an action's ``data``."""
    return {name: form.cleaned_data[name] for name in names if name in form.fields and name in form.cleaned_data}


# --- people -------------------------------------------------------------------------------------


class PersonForm(RegistryModelForm):
    country = CountryField(label=_("Country of the case"))
    citizenships = CountriesField(label=_("Citizenships"))

    MODEL_FIELDS = ("gender", "birth_date", "birth_place", "citizenships", "country", "occupation",
                    "occupation_detail", "affiliations", "ethnicity", "religion", "death_date",
                    "death_circumstances", "public_summary", "internal_notes")

    class Meta:
        model = Person
        fields = ("gender", "birth_date", "birth_place", "citizenships", "country", "occupation",
                  "occupation_detail", "affiliations", "ethnicity", "religion", "death_date",
                  "death_circumstances", "public_summary", "internal_notes")
        widgets = {"affiliations": forms.Textarea(attrs={"rows": 2}),
                   "public_summary": forms.Textarea(attrs={"rows": 3}),
                   "internal_notes": forms.Textarea(attrs={"rows": 3})}

    field_order = ["country", "gender", "birth_date", "birth_place", "citizenships", "occupation",
                   "occupation_detail", "affiliations", "ethnicity", "religion", "death_date",
                   "death_circumstances", "public_summary", "internal_notes", "reason"]


class OrganisationChoiceForm(RegistryForm):
    """Shown only to people who record for more than one organisation."""

    organisation = forms.TypedChoiceField(label=_("Recorded by"), coerce=int)

    def __init__(self, *args: Any, organisations: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = list(organisations)  # type: ignore[attr-defined]


class NameForm(RegistryForm):
    text = forms.CharField(max_length=300, required=False)
    script = forms.ChoiceField(choices=SCRIPTS, required=False)
    language = forms.CharField(max_length=12, required=False,
                               help_text=_("A language tag such as be, ru, ar or fa-Latn."))
    # Not required: an empty row is skipped, and a named row without a kind is a legal name.
    kind = forms.ChoiceField(choices=v.NameKind.choices, initial=v.NameKind.LEGAL, required=False)
    is_primary = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each row gets labels of its own ("Name (row 2)", "Script (row 2)"), so a
        # screen reader, and a test finding fields by label, can tell the rows
        # apart; no label contains another, so a substring match finds one field.
        number = self._row_number()
        self.fields["text"].label = _("Name (row %(n)s)") % {"n": number}
        self.fields["script"].label = _("Script (row %(n)s)") % {"n": number}
        self.fields["language"].label = _("Language (row %(n)s)") % {"n": number}
        self.fields["kind"].label = _("Kind (row %(n)s)") % {"n": number}
        self.fields["is_primary"].label = _("Row %(n)s is the primary name") % {"n": number}
        self.fields["is_primary"].label_suffix = ""
        self.fields["text"].widget.attrs.update({"dir": "auto"})

    def _row_number(self) -> int:
        try:
            return int(str(self.prefix).rsplit("-", 1)[1]) + 1
        except (IndexError, ValueError):
            return 1

    def clean_language(self) -> str:
        value = (self.cleaned_data.get("language") or "").strip()
        if value and not all(part.isalnum() for part in value.split("-")):
            raise ValidationError(_("Use a language tag such as be, ru or fa-Latn (letters and hyphens)."))
        return value


class BaseNameFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        if any(self.errors):
            return
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data.get("text", "").strip()]
        if not rows:
            raise ValidationError(_("Give at least one name."))
        if sum(1 for r in rows if r.get("is_primary")) > 1:
            raise ValidationError(_("Mark only one name as the primary name."))

    def names(self) -> list[dict[str, Any]]:
        return [f.cleaned_data for f in self.forms if f.cleaned_data.get("text", "").strip()]


NameFormSet = forms.formset_factory(NameForm, formset=BaseNameFormSet, extra=3, max_num=20, validate_max=True)
NameEditFormSet = forms.formset_factory(NameForm, formset=BaseNameFormSet, extra=2, max_num=20, validate_max=True)


class NamesReasonForm(ReasonMixin):
    pass


# --- filters of the person list --------------------------------------------------------------------


class PersonFilterForm(RegistryForm):
    SORTS = [("name", _("Name")), ("status_date", _("Status date, newest first")), ("country", _("Country"))]
    DATE_FIELDS = [("status", _("Status since")), ("detention", _("Start of a detention"))]

    q = forms.CharField(label=_("Name"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search", "dir": "auto"}))
    country = CountryField(label=_("Country"), required=False, help_text="")
    status = forms.ChoiceField(label=_("Status"), choices=_any(v.Status.choices), required=False)
    occupation = forms.ChoiceField(label=_("Occupation"), choices=_any(v.Occupation.choices), required=False)
    theme = forms.ChoiceField(label=_("Theme of a case"), choices=_any(v.Theme.choices), required=False)
    article = CatalogueFilterField(label=_("Law article charged"), rows=LawArticle.choice_rows)
    facility = CatalogueFilterField(label=_("Place of detention"), rows=Facility.choice_rows)
    recognition = forms.ChoiceField(label=_("Recognition"), choices=_any(v.RecognitionOutcome.choices),
                                    required=False)
    date_field = forms.ChoiceField(label=_("Date to filter on"), choices=DATE_FIELDS, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DATE_INPUT)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, CatalogueFilterField):
                field.load()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("“Until” (%(end)s) is before “From” (%(start)s).") % {"end": end, "start": start})
        return data



class _FieldsCopiedShallow(dict[str, forms.Field]):
    """A form's ``base_fields`` whose per-form copy is one copy of each field and its widget.

    Django deep-copies every field for every form (choices, validators, error
    messages, widget attributes), which was a tenth of the person list's
    time. The filter form changes nothing of a field in place: it only assigns
    (a catalogue's ``choices``, a widget's template), and a copied field and
    widget take such assignments for themselves. What they share (choice lists,
    validators, messages) is never modified; the widget's attributes are copied.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        fields: dict[str, forms.Field] = {}
        for name, field in self.items():
            fields[name] = clone = _copy(field)
            clone.widget = _copy(field.widget)
            clone.widget.attrs = dict(field.widget.attrs)  # a dict some code may update in place
        return fields


def _copy(obj: Any) -> Any:
    """``copy.copy(obj)``; for an object whose whole state is its ``__dict__``, without the copy protocol.

    ``copy.copy`` asks the class for ``__copy__`` and ``__reduce_ex__`` and rebuilds the object from
    the reduction: a few thousand instructions, 24 times a list page. For a class that customises none
    of it (Django's fields and widgets, ours) the result is the same: a new instance sharing the values.
    """
    cls: Any = type(obj)
    if not _copied_by_dict(cls):
        return copy.copy(obj)
    clone = cls.__new__(cls)
    clone.__dict__.update(obj.__dict__)
    return clone


@functools.cache
def _copied_by_dict(cls: Any) -> bool:
    # What copy.copy does for such a class is __new__, then the instance dict (object.__reduce_ex__ and
    # object.__getstate__ give exactly that); anything else goes through copy.copy itself.
    base: Any = object
    return (not hasattr(cls, "__copy__") and not hasattr(cls, "__slots__") and not hasattr(cls, "__setstate__")
            and cls.__reduce_ex__ is base.__reduce_ex__ and cls.__reduce__ is base.__reduce__
            and cls.__getstate__ is base.__getstate__ and cls.__new__ is base.__new__)


def _prepared_filter_fields(base: Mapping[str, forms.Field]) -> _FieldsCopiedShallow:
    fields = _FieldsCopiedShallow(base)
    for field in fields.values():
        if isinstance(field, forms.ChoiceField) and not isinstance(field, CatalogueFilterField):
            # Set once on the class's fields: every form's copy gets it.
            field.widget = QuickSelect(choices=field.choices)  # type: ignore[arg-type]
    return fields


PersonFilterForm.base_fields = _prepared_filter_fields(PersonFilterForm.base_fields)

# --- cases and what hangs off them ------------------------------------------------------------------


class CaseChoiceMixin(forms.Form):
    """A choice among the person's cases, labelled from the projection (``case_choices``)."""

    def set_cases(self, choices: Iterable[tuple[int, str]], *, required: bool) -> None:
        field = self.fields["case"]
        choices = list(choices)
        field.choices = [("", _("Choose a case") if required else _("No particular case")), *choices]  # type: ignore[attr-defined]
        field.required = required
        if len(choices) == 1 and not self.initial.get("case"):
            # Most people have one prosecution: preselect it rather than make everyone pick it.
            self.initial["case"] = choices[0][0]

    def clean_case(self) -> int | None:
        value = self.cleaned_data.get("case")
        return int(value) if value else None


class CaseForm(RegistryModelForm):
    jurisdiction = CountryField(label=_("Jurisdiction"))
    MODEL_FIELDS = ("jurisdiction", "case_number", "opened_on", "investigating_agency", "theme", "case_group",
                    "impugned_activity", "procedural_stage", "legal_strategy")

    class Meta:
        model = Case
        fields = ("jurisdiction", "case_number", "opened_on", "investigating_agency", "theme", "case_group",
                  "impugned_activity", "procedural_stage", "legal_strategy")
        widgets = {"impugned_activity": forms.Textarea(attrs={"rows": 3}),
                   "legal_strategy": forms.Textarea(attrs={"rows": 3})}


class ChargeForm(CaseChoiceMixin, RegistryModelForm):
    case = forms.ChoiceField(label=_("Case"), error_messages={"required": _("Choose the case this charge belongs to.")})
    law_article = forms.ModelChoiceField(label=_("Law article"), queryset=LawArticle.objects.all(), required=False,
                                         empty_label=_("Not in the list: describe it below"))
    new_article_country = CountryField(label=_("Country of the new article"), required=False)
    new_article_code = forms.CharField(label=_("Code of the new article"), max_length=100, required=False,
                                       help_text=_("e.g. Criminal Code"))
    new_article_article = forms.CharField(label=_("Article number"), max_length=30, required=False)
    new_article_part = forms.CharField(label=_("Part of the article"), max_length=30, required=False)
    new_article_title = forms.CharField(label=_("Title of the article"), max_length=300, required=False)
    MODEL_FIELDS = ("wording", "brought_on", "status")

    class Meta:
        model = Charge
        fields = ("wording", "brought_on", "status")
        widgets = {"wording": forms.Textarea(attrs={"rows": 2})}

    field_order = ["case", "law_article", "new_article_country", "new_article_code", "new_article_article",
                   "new_article_part", "new_article_title", "wording", "brought_on", "status", "reason"]

    NEW = ("new_article_country", "new_article_code", "new_article_article", "new_article_part", "new_article_title")
    new_article: dict[str, Any] | None = None  # set by clean() when a new article is described

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "law_article" not in self.fields:
            return data  # editing a charge whose article the reader may not see: it stays
        described = any(data.get(name) for name in self.NEW)
        if data.get("law_article") is not None:
            if described:
                self.add_error("law_article", _("Choose an article from the list or describe a new one, not both."))
            return data
        if not described:
            if "law_article" not in self.errors:
                self.add_error("law_article", _("Choose the article charged, or describe a new one below."))
            return data
        article = LawArticle(country=data.get("new_article_country") or "", code=data.get("new_article_code") or "",
                             article=data.get("new_article_article") or "", part=data.get("new_article_part") or "",
                             title=data.get("new_article_title") or "")
        existing = LawArticle.objects.filter(country=article.country, code=article.code, article=article.article,
                                             part=article.part).first()
        if existing is not None:
            data["law_article"] = existing
            return data
        try:
            article.full_clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(f"new_article_{field}" if f"new_article_{field}" in self.fields else None, messages)
        else:
            self.new_article = {k: getattr(article, k) for k in ("country", "code", "article", "part", "title")}
        return data


class HearingForm(CaseChoiceMixin, RegistryModelForm):
    case = forms.ChoiceField(label=_("Case"), error_messages={"required": _("Choose the case this hearing belongs to.")})
    judges = forms.MultipleChoiceField(label=_("Judges"), required=False, widget=forms.CheckboxSelectMultiple)
    new_judge = forms.CharField(label=_("Another judge, not in the list"), max_length=300, required=False,
                                help_text=_("The name is recorded as an official of your organisation's records."))
    MODEL_FIELDS = ("court", "court_kind", "held_on", "is_open", "defence_access", "outcome", "in_absentia",
                    "monitor_notes")

    class Meta:
        model = Hearing
        fields = ("court", "court_kind", "held_on", "is_open", "defence_access", "outcome", "in_absentia",
                  "monitor_notes")
        widgets = {"monitor_notes": forms.Textarea(attrs={"rows": 3})}

    field_order = ["case", "court", "court_kind", "held_on", "judges", "new_judge", "is_open", "defence_access",
                   "outcome", "in_absentia", "monitor_notes", "reason"]

    def set_judges(self, choices: Iterable[tuple[int, str]]) -> None:
        self.fields["judges"].choices = list(choices)  # type: ignore[attr-defined]

    def clean_judges(self) -> list[int]:
        return [int(x) for x in self.cleaned_data.get("judges") or []]


class SentenceForm(CaseChoiceMixin, RegistryModelForm):
    case = forms.ChoiceField(label=_("Case"),
                             error_messages={"required": _("Choose the case in which this sentence was handed down.")})
    MODEL_FIELDS = ("sentence_type", "handed_down_on", "years", "months", "days", "regime", "appeal_status",
                    "counts_from")

    class Meta:
        model = Sentence
        fields = ("sentence_type", "handed_down_on", "years", "months", "days", "regime", "appeal_status",
                  "counts_from")

    field_order = ["case", "sentence_type", "handed_down_on", "years", "months", "days", "regime", "counts_from",
                   "appeal_status", "reason"]


class DetentionForm(CaseChoiceMixin, RegistryModelForm):
    case = forms.ChoiceField(label=_("Case"), required=False)
    facility = forms.ModelChoiceField(label=_("Place of detention"), queryset=Facility.objects.all(), required=False,
                                      empty_label=_("Unknown, or not in the list"))
    new_facility_name = forms.CharField(label=_("Name of a new place of detention"), max_length=300, required=False)
    new_facility_kind = forms.ChoiceField(label=_("Kind of the new place"), choices=v.FacilityKind.choices,
                                          required=False)
    new_facility_country = CountryField(label=_("Country of the new place"), required=False)
    new_facility_place = forms.CharField(label=_("Town or region of the new place"), max_length=200, required=False)
    new_facility_postal_address = forms.CharField(label=_("Postal address for letters"), required=False,
                                                  widget=forms.Textarea(attrs={"rows": 2}))
    MODEL_FIELDS = ("kind", "start", "end", "whereabouts", "incommunicado", "conditions_notes")

    class Meta:
        model = DetentionPeriod
        fields = ("kind", "start", "end", "whereabouts", "incommunicado", "conditions_notes")
        widgets = {"conditions_notes": forms.Textarea(attrs={"rows": 3})}

    field_order = ["case", "kind", "start", "end", "facility", "new_facility_name", "new_facility_kind",
                   "new_facility_country", "new_facility_place", "new_facility_postal_address", "whereabouts",
                   "incommunicado", "conditions_notes", "reason"]

    NEW = ("new_facility_name", "new_facility_country", "new_facility_place", "new_facility_postal_address")
    new_facility: dict[str, Any] | None = None  # set by clean() when a new place is described

    def drop_new_facility(self) -> None:
        for name in (*self.NEW, "new_facility_kind"):
            self.fields.pop(name, None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        described = any(data.get(name) for name in self.NEW if name in self.fields)
        if not described:
            return data
        if data.get("facility") is not None:
            self.add_error("facility", _("Choose a place from the list or describe a new one, not both."))
            return data
        facility = Facility(name=data.get("new_facility_name") or "",
                            kind=data.get("new_facility_kind") or v.FacilityKind.PRISON,
                            country=data.get("new_facility_country") or "", place=data.get("new_facility_place") or "",
                            postal_address=data.get("new_facility_postal_address") or "")
        try:
            facility.full_clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(f"new_facility_{field}" if f"new_facility_{field}" in self.fields else None, messages)
        else:
            self.new_facility = {k: getattr(facility, k) for k in ("name", "kind", "country", "place", "postal_address")}
        return data


class StatusForm(RegistryModelForm):
    MODEL_FIELDS = ("status", "effective", "note")

    class Meta:
        model = StatusChange
        fields = ("status", "effective", "note")
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class RelationshipForm(ReasonMixin):
    kind = forms.ChoiceField(label=_("Relationship"), choices=v.RelationshipKind.choices)
    name = forms.CharField(label=_("Their name (sealed)"), max_length=300, required=False,
                           widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
                           help_text=_("Encrypted before it is stored; only the case team can reveal it."))
    contact = forms.CharField(label=_("How to reach them (sealed)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2, "dir": "auto", "autocomplete": "off"}),
                              help_text=_("Encrypted before it is stored; only the case team can reveal it."))
    related_person = forms.UUIDField(label=_("Their record in the registry (optional)"), required=False,
                                     help_text=_("The identifier at the end of their page's address."))
    notes = forms.CharField(label=_("Notes (case team only)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["kind", "name", "contact", "related_person", "notes", "reason"]


class ConsentForm(RegistryModelForm):
    MODEL_FIELDS = ("scope", "given_by", "given_on", "note")

    class Meta:
        model = Consent
        fields = ("scope", "given_by", "given_on", "note")
        widgets = {"given_on": DATE_INPUT, "note": forms.Textarea(attrs={"rows": 2})}


class WithdrawConsentForm(ReasonMixin):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DATE_INPUT)

    def __init__(self, *args: Any, given_on: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.given_on = given_on
        self.fields["withdrawn_on"].initial = timezone.localdate()

    def clean_withdrawn_on(self) -> date:
        value: date = self.cleaned_data["withdrawn_on"]
        if value > timezone.localdate():
            raise ValidationError(_("%(date)s is in the future.") % {"date": value})
        if self.given_on is not None and value < self.given_on:
            raise ValidationError(_("Consent was given on %(given)s; it cannot be withdrawn before that.")
                                  % {"given": self.given_on})
        return value


class SourceForm(RegistryModelForm):
    identity = forms.CharField(label=_("Who the source is (sealed)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2, "dir": "auto", "autocomplete": "off"}),
                               help_text=_("Encrypted before it is stored; only the case team can reveal it."))
    MODEL_FIELDS = ("label", "connection", "reliability", "credibility", "url", "obtained_on")

    class Meta:
        model = Source
        fields = ("label", "connection", "reliability", "credibility", "url", "obtained_on")
        widgets = {"obtained_on": DATE_INPUT}

    field_order = ["label", "identity", "connection", "reliability", "credibility", "url", "obtained_on", "reason"]

    def clean_obtained_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("obtained_on")
        if value is not None and value > timezone.localdate():
            raise ValidationError(_("%(date)s is in the future.") % {"date": value})
        return value


class RevealForm(RegistryForm):
    reason = forms.CharField(label=_("Why do you need to see this? (kept in the audit trail)"), max_length=500,
                             error_messages={"required": _("Say why you need to see this.")})


# --- recognition ------------------------------------------------------------------------------------


class FrameworkForm(RegistryForm):
    framework = forms.ChoiceField(label=_("Framework"), choices=v.Framework.choices,
                                  error_messages={"required": _("Choose the framework the decision applies.")})


NOT_ASSESSED = ""
RESULT_CHOICES = [(NOT_ASSESSED, _("Not assessed")), *v.CriterionResult.choices]


class DecisionForm(CaseChoiceMixin, RegistryModelForm):
    """The checklist of one framework: every criterion and exclusion check, each with a result and rationale."""

    case = forms.ChoiceField(label=_("Case"), required=False)
    reviewers = forms.MultipleChoiceField(label=_("Reviewers"), required=False, widget=forms.CheckboxSelectMultiple)
    MODEL_FIELDS = ("outcome", "decided_on", "co_signing", "public_rationale", "deliberations", "statement_url")

    class Meta:
        model = RecognitionDecision
        fields = ("outcome", "decided_on", "co_signing", "public_rationale", "deliberations", "statement_url")
        widgets = {"decided_on": DATE_INPUT, "public_rationale": forms.Textarea(attrs={"rows": 3}),
                   "deliberations": forms.Textarea(attrs={"rows": 3}), "co_signing": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, framework: str, reviewer_choices: Iterable[tuple[int, str]] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.fields["reviewers"].choices = list(reviewer_choices)  # type: ignore[attr-defined]
        self.criteria: list[tuple[str, Any, bool]] = [
            (code, label, False) for code, label in v.CRITERIA.get(framework, [])
        ] + [(code, label, True) for code, label in v.EXCLUSIONS]
        for code, _label, is_exclusion in self.criteria:
            kind = _("Exclusion check") if is_exclusion else _("Criterion")
            self.fields[self.result_name(code, is_exclusion)] = forms.ChoiceField(
                label=_("%(kind)s %(code)s — result") % {"kind": kind, "code": code},
                choices=RESULT_CHOICES, required=False,
            )
            self.fields[self.rationale_name(code, is_exclusion)] = forms.CharField(
                label=_("%(kind)s %(code)s — rationale") % {"kind": kind, "code": code},
                required=False, widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def result_name(code: str, is_exclusion: bool) -> str:
        return f"{'exclusion' if is_exclusion else 'criterion'}_{code}"

    @staticmethod
    def rationale_name(code: str, is_exclusion: bool) -> str:
        return f"{'exclusion' if is_exclusion else 'criterion'}_{code}_rationale"

    def checklist(self) -> list[dict[str, Any]]:
        """For the template: one entry per criterion with its bound fields."""
        return [{"code": code, "label": label, "is_exclusion": is_exclusion,
                 "result": self[self.result_name(code, is_exclusion)],
                 "rationale": self[self.rationale_name(code, is_exclusion)]}
                for code, label, is_exclusion in self.criteria]

    def clean_decided_on(self) -> date:
        value: date = self.cleaned_data["decided_on"]
        if value > timezone.localdate():
            raise ValidationError(_("%(date)s is in the future.") % {"date": value})
        return value

    def clean_reviewers(self) -> list[int]:
        return [int(x) for x in self.cleaned_data.get("reviewers") or []]

    def assessments(self) -> list[dict[str, Any]]:
        out = []
        for code, _label, is_exclusion in self.criteria:
            result = self.cleaned_data.get(self.result_name(code, is_exclusion)) or NOT_ASSESSED
            rationale = self.cleaned_data.get(self.rationale_name(code, is_exclusion)) or ""
            if result == NOT_ASSESSED:
                if rationale.strip():
                    self.add_error(self.result_name(code, is_exclusion),
                                   _("Give a result for %(code)s, or leave its rationale empty.") % {"code": code})
                continue
            out.append({"code": code, "result": result, "rationale": rationale, "is_exclusion": is_exclusion})
        return out


def errors_to_form(form: forms.BaseForm, exc: ValidationError, aliases: Mapping[str, str] | None = None) -> None:
    """Put an action's ValidationError next to the fields it names; the rest at the top of the form."""
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, messages)

