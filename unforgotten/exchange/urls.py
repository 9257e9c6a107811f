from __future__ import annotations

from django.urls import path

from unforgotten.exchange import views

app_name = "exchange"

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/<uuid:run>/", views.import_detail, name="import_detail"),
    path("imports/<uuid:run>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<uuid:run>/discard/", views.import_discard, name="import_discard"),
    path("imports/<uuid:run>/errors.csv", views.import_errors, name="import_errors"),
    path("export/people.<str:fmt>", views.export_people, name="export_people"),
]
