from __future__ import annotations

from django.urls import path

from unforgotten.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:slug>/report/<str:month>.pdf", views.report, name="report"),
]
