from __future__ import annotations

from django.urls import path

from unforgotten.advocacy import views

app_name = "advocacy"

urlpatterns = [
    path("", views.home, name="home"),
    path("laws/", views.laws, name="laws"),
    path("stakeholders/", views.stakeholder_list, name="stakeholder_list"),
    path("stakeholders/new/", views.stakeholder_create, name="stakeholder_create"),
    path("stakeholders/<uuid:stakeholder>/", views.stakeholder_detail, name="stakeholder_detail"),
    path("stakeholders/<uuid:stakeholder>/edit/", views.stakeholder_edit, name="stakeholder_edit"),
    path("stakeholders/<uuid:stakeholder>/write/", views.stakeholder_write, name="stakeholder_write"),
    path("people/<uuid:person>/", views.person, name="person"),
    path("people/<uuid:person>/dossier/", views.dossier_view, name="dossier"),
    path("people/<uuid:person>/adoptions/new/", views.adoption_create, name="adoption_create"),
    path("cases/<int:case>/brief/", views.brief, name="brief"),
    path("cases/<int:case>/interventions/new/", views.intervention_create, name="intervention_create"),
    path("cases/<int:case>/cadence/new/", views.cadence_create, name="cadence_create"),
    path("cases/<int:case>/legal-actions/new/", views.legal_action_create, name="legal_action_create"),
    path("cases/<int:case>/un/new/", views.un_create, name="un_create"),
    path("cases/<int:case>/wgad/", views.wgad_draft, name="wgad"),
    path("cases/<int:case>/wgad/export/", views.wgad_export, name="wgad_export"),
    path("interventions/<uuid:intervention>/edit/", views.intervention_edit, name="intervention_edit"),
    path("cadence/<int:rule>/", views.cadence_edit, name="cadence_edit"),
    path("adoptions/<uuid:adoption>/", views.adoption_edit, name="adoption_edit"),
    path("adoptions/<uuid:adoption>/activities/new/", views.activity_create, name="activity_create"),
    path("adoptions/<uuid:adoption>/toolkit/", views.toolkit_view, name="toolkit"),
    path("lawyers/", views.lawyer_list, name="lawyer_list"),
    path("lawyers/new/", views.lawyer_create, name="lawyer_create"),
    path("lawyers/<uuid:lawyer>/reveal/", views.lawyer_reveal, name="lawyer_reveal"),
    path("legal-actions/<uuid:action>/edit/", views.legal_action_edit, name="legal_action_edit"),
    path("un/<uuid:communication>/edit/", views.un_edit, name="un_edit"),
]
