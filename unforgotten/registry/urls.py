from __future__ import annotations

from django.urls import path

from unforgotten.registry.views import decisions, people, records, reveal, team

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
]
