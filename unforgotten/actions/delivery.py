"""The delivered petition: its text, the count and the chosen comments, as a PDF (``core/pdf.py``).

Built from the PUBLIC projection of the petition, its text and its targets. No
signer's address, name or country is in it; comments appear without a name, and
only those a campaigner chose.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from unforgotten.actions.models import Petition, Signature
from unforgotten.core.pdf import render_pdf
from unforgotten.policy.projection import PUBLIC, project


def context(petition: Petition, language: str) -> dict[str, object]:
    text = petition.text_for(language)
    shown = project(text, PUBLIC, ("language", "title", "summary", "body")) if text else {}
    targets = [project(t, PUBLIC, ("name", "title", "institution", "country")) for t in petition.targets.all()]
    comments = list(Signature.objects.filter(petition=petition, comment_chosen=True, counted=True)
                    .exclude(comment="").order_by("signed_at", "id").values_list("comment", flat=True)[:500])
    return {"text": shown, "targets": targets, "count": petition.count_shown, "comments": comments,
            "goal": petition.goal, "as_of": petition.count_as_of or timezone.now(), "lang": language,
            "dir": "rtl" if translation.get_language_bidi() else "ltr"}


def render(petition: Petition, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string("actions/delivery.html", context(petition, language))
    return render_pdf(html)
