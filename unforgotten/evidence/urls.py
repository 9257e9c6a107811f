from __future__ import annotations

from django.urls import path

from unforgotten.evidence import views

app_name = "evidence"

urlpatterns = [
    path("people/<uuid:person>/", views.person_items, name="person_items"),
    path("people/<uuid:person>/add/", views.upload, name="upload"),
    path("items/<uuid:item>/", views.item, name="item"),
    path("items/<uuid:item>/download/", views.download, name="download"),
    path("items/<uuid:item>/derive/", views.derive, name="derive"),
    path("items/<uuid:item>/publishable/", views.set_publishable, name="set_publishable"),
]
