from __future__ import annotations

from django.urls import path

from unforgotten.actions import views

app_name = "actions"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:org>/targets/", views.target_list, name="target_list"),
    path("<slug:org>/targets/new/", views.target_create, name="target_create"),
    path("targets/<uuid:target>/", views.target_edit, name="target_edit"),
    path("<slug:org>/petitions/new/", views.petition_create, name="petition_create"),
    path("petitions/<uuid:petition>/", views.petition_detail, name="petition_detail"),
    path("petitions/<uuid:petition>/edit/", views.petition_edit, name="petition_edit"),
    path("petitions/<uuid:petition>/text/<str:language>/", views.petition_text, name="petition_text"),
    path("petitions/<uuid:petition>/status/", views.petition_status, name="petition_status"),
    path("petitions/<uuid:petition>/quarantine/", views.quarantine, name="quarantine"),
    path("petitions/<uuid:petition>/invalidate/", views.invalidate, name="invalidate"),
    path("petitions/<uuid:petition>/comments/", views.comments, name="comments"),
    path("petitions/<uuid:petition>/deliver/", views.deliver, name="deliver"),
    path("deliveries/<int:delivery>.pdf", views.delivery_pdf, name="delivery_pdf"),
    path("petitions/<uuid:petition>/signers.csv", views.export_signers, name="export_signers"),
]
