from __future__ import annotations

from django.urls import path

from unforgotten.accounts import views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("org/<slug:slug>/", views.organisation, name="organisation"),
    path("org/<slug:slug>/members/add/", views.add_member, name="add_member"),
    path("org/<slug:slug>/members/<int:member_id>/roles/", views.change_roles, name="change_roles"),
    path("org/<slug:slug>/members/<int:member_id>/deactivate/", views.deactivate_member, name="deactivate_member"),
]
