from __future__ import annotations

from django.urls import path

from unforgotten.registry.views import decisions, duplicates, people, photo, records, reveal, team
from unforgotten.registry.views import (
    erasure as erasure_views,  # erasure (issue 5, helper "backup")
)

app_name = "registry"

urlpatterns = [
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<uuid:person>/", people.person_detail, name="person_detail"),
    path("people/<uuid:person>/edit/", people.person_edit, name="person_edit"),
    path("people/<uuid:person>/names/", people.person_names, name="person_names"),
    path("people/<uuid:person>/cases/new/", records.case_create, name="case_create"),
    path("people/<uuid:person>/cases/<int:case>/edit/", records.case_edit, name="case_edit"),
    path("people/<uuid:person>/charges/new/", records.charge_create, name="charge_create"),
    path("people/<uuid:person>/charges/<int:charge>/edit/", records.charge_edit, name="charge_edit"),
    path("people/<uuid:person>/hearings/new/", records.hearing_create, name="hearing_create"),
    path("people/<uuid:person>/hearings/<int:hearing>/edit/", records.hearing_edit, name="hearing_edit"),
    path("people/<uuid:person>/sentences/new/", records.sentence_create, name="sentence_create"),
    path("people/<uuid:person>/sentences/<int:sentence>/edit/", records.sentence_edit, name="sentence_edit"),
    path("people/<uuid:person>/team/", team.case_team, name="case_team"),
    path("people/<uuid:person>/photo/", photo.person_photo, name="person_photo"),
    path("people/<uuid:person>/photo/image/", photo.person_photo_image, name="person_photo_image"),
    path("people/<uuid:person>/detentions/new/", records.detention_create, name="detention_create"),
    path("people/<uuid:person>/detentions/<int:detention>/edit/", records.detention_edit, name="detention_edit"),
    path("people/<uuid:person>/status/new/", records.status_create, name="status_create"),
    path("people/<uuid:person>/relationships/new/", records.relationship_create, name="relationship_create"),
    path("people/<uuid:person>/relationships/<uuid:relationship>/reveal/", reveal.relationship_reveal,
         name="relationship_reveal"),
    path("people/<uuid:person>/consents/new/", records.consent_create, name="consent_create"),
    path("people/<uuid:person>/consents/<int:consent>/withdraw/", records.consent_withdraw, name="consent_withdraw"),
    path("people/<uuid:person>/sources/new/", records.source_create, name="source_create"),
    path("people/<uuid:person>/sources/<uuid:source>/reveal/", reveal.source_reveal, name="source_reveal"),
    path("people/<uuid:person>/decisions/new/", decisions.decision_create, name="decision_create"),
    # --- deduplication (issue 4, helper "names") ---
    path("duplicates/", duplicates.duplicate_list, name="duplicate_list"),
    path("duplicates/<int:candidate>/", duplicates.duplicate_review, name="duplicate_review"),
    path("merges/<int:merge>/undo/", duplicates.merge_undo, name="merge_undo"),
    # --- end deduplication ---
    # --- erasure (issue 5, helper "backup") ---
    path("people/<uuid:person>/cases/<int:case>/erase/", erasure_views.case_erase, name="case_erase"),
    path("people/<uuid:person>/sources/<uuid:source>/erase/", erasure_views.source_erase, name="source_erase"),
    path("people/<uuid:person>/erase/", erasure_views.person_erase, name="person_erase"),  # evidence, issue 5
    path("people/<uuid:person>/retention/", erasure_views.person_retention, name="person_retention"),  # evidence, issue 5
    # --- end erasure ---
]
