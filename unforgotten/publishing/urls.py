from __future__ import annotations

from django.urls import path

from unforgotten.publishing import views, views_items

app_name = "publishing"

urlpatterns = [
    path("", views.profile_list, name="profile_list"),
    path("new/", views.profile_create, name="profile_create"),
    path("<uuid:profile>/", views.profile_edit, name="profile_edit"),
    path("<uuid:profile>/submit/", views.profile_submit, name="profile_submit"),
    path("<uuid:profile>/approve/", views.profile_approve, name="profile_approve"),
    path("<uuid:profile>/publish/", views.profile_publish, name="profile_publish"),
    path("<uuid:profile>/unpublish/", views.profile_unpublish, name="profile_unpublish"),
    # issue 6 (decision 0017): stories, campaigns, resources, videos, story series
    path("series/", views_items.series_list, name="series_list"),
    path("videos/<uuid:item>/captions/", views_items.video_captions, name="video_captions"),
    path("<str:kind>/", views_items.item_list, name="item_list"),
    path("<str:kind>/new/", views_items.item_create, name="item_create"),
    path("<str:kind>/<uuid:item>/", views_items.item_edit, name="item_edit"),
    path("<str:kind>/<uuid:item>/file/", views_items.item_file, name="item_file"),
    path("<str:kind>/<uuid:item>/submit/", views_items.item_submit, name="item_submit"),
    path("<str:kind>/<uuid:item>/approve/", views_items.item_approve, name="item_approve"),
    path("<str:kind>/<uuid:item>/publish/", views_items.item_publish, name="item_publish"),
    path("<str:kind>/<uuid:item>/unpublish/", views_items.item_unpublish, name="item_unpublish"),
]
