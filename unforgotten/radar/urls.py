from __future__ import annotations

from django.urls import path

from unforgotten.radar import views

app_name = "radar"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/<int:case>/", views.case_detail, name="case"),
    path("cases/<int:case>/media/new/", views.media_create, name="media_create"),
    path("media/<uuid:mention>/edit/", views.media_edit, name="media_edit"),
]
