from __future__ import annotations

from django.urls import path

from unforgotten.events import views

app_name = "events"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:org>/new/", views.create, name="create"),
    path("<slug:org>/sync-hearings/", views.sync, name="sync"),
    path("<slug:org>/seed-action-days/", views.seed, name="seed"),
    path("e/<uuid:event>/", views.detail, name="detail"),
    path("e/<uuid:event>/edit/", views.edit, name="edit"),
    path("e/<uuid:event>/text/<str:language>/", views.text, name="text"),
    path("e/<uuid:event>/submit/", views.submit, name="submit"),
    path("e/<uuid:event>/publish/", views.publish, name="publish"),
    path("e/<uuid:event>/unpublish/", views.unpublish, name="unpublish"),
    path("e/<uuid:event>/cancel/", views.cancel, name="cancel"),
]
