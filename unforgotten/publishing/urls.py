from __future__ import annotations

from django.urls import path

from unforgotten.publishing import views

app_name = "publishing"

urlpatterns = [
    path("", views.profile_list, name="profile_list"),
    path("new/", views.profile_create, name="profile_create"),
    path("<uuid:profile>/", views.profile_edit, name="profile_edit"),
    path("<uuid:profile>/submit/", views.profile_submit, name="profile_submit"),
    path("<uuid:profile>/approve/", views.profile_approve, name="profile_approve"),
    path("<uuid:profile>/publish/", views.profile_publish, name="profile_publish"),
    path("<uuid:profile>/unpublish/", views.profile_unpublish, name="profile_unpublish"),
]
