"""Public pages, mounted under a language prefix (/en/, /ar/, …) by the root URLconf."""

from __future__ import annotations

from django.urls import path

from unforgotten.publishing import public_views

app_name = "public"

urlpatterns = [
    path("", public_views.home, name="home"),
    path("prisoners/<slug:slug>/", public_views.profile, name="profile"),
    path("prisoners/<slug:slug>/photo.jpg", public_views.photo, name="photo"),
    # decision 0028: share cards, portraits in several widths, and the counters partner sites embed
    path("share.png", public_views.site_image, name="site_image"),
    path("prisoners/<slug:slug>/share.png", public_views.profile_image, name="profile_image"),
    path("prisoners/<slug:slug>/photo-<int:width>.jpg", public_views.photo_sized, name="photo_sized"),
    path("prisoners/<slug:slug>/counter/", public_views.counter, {"subject": "profile", "kind": "html"},
         name="profile_counter"),
    path("prisoners/<slug:slug>/counter.svg", public_views.counter, {"subject": "profile", "kind": "svg"},
         name="profile_counter_svg"),
    path("prisoners/<slug:slug>/counter.png", public_views.counter, {"subject": "profile", "kind": "png"},
         name="profile_counter_png"),
    path("stories/<slug:slug>/photo-<int:width>.jpg", public_views.story_photo_sized, name="story_photo_sized"),
    path("campaigns/<slug:slug>/counter/", public_views.counter, {"subject": "campaign", "kind": "html"},
         name="campaign_counter"),
    path("campaigns/<slug:slug>/counter.svg", public_views.counter, {"subject": "campaign", "kind": "svg"},
         name="campaign_counter_svg"),
    path("campaigns/<slug:slug>/counter.png", public_views.counter, {"subject": "campaign", "kind": "png"},
         name="campaign_counter_png"),
    path("countries/<str:code>/", public_views.country, name="country"),
    # issue 6, decision 0017: family stories, series, campaigns, the resource hub, video stories, feeds
    path("stories/", public_views.stories, name="stories"),
    path("stories/<slug:slug>/", public_views.story, name="story"),
    path("stories/<slug:slug>/photo.jpg", public_views.story_photo, name="story_photo"),
    path("series/<slug:slug>/", public_views.series, name="series"),
    path("campaigns/", public_views.campaigns, name="campaigns"),
    path("campaigns/<slug:slug>/", public_views.campaign, name="campaign"),
    path("campaigns/<slug:slug>/share.png", public_views.campaign_image, name="campaign_image"),
    path("resources/", public_views.resources, name="resources"),
    path("resources/<slug:slug>/", public_views.resource, name="resource"),
    path("resources/<slug:slug>/file", public_views.resource_file, name="resource_file"),
    path("videos/", public_views.videos, name="videos"),
    path("videos/<slug:slug>/", public_views.video, name="video"),
    path("videos/<slug:slug>/video", public_views.video_file, name="video_file"),
    path("videos/<slug:slug>/captions/<str:caption>.vtt", public_views.video_captions, name="video_captions"),
    path("feeds/stories.atom", public_views.story_feed, name="story_feed"),
    path("feeds/campaigns.atom", public_views.campaign_feed, name="campaign_feed"),
    # decision 0022: a prisoner's, a country's and the urgent actions' feeds
    path("prisoners/<slug:slug>/feed.atom", public_views.prisoner_feed, name="prisoner_feed"),
    path("countries/<str:code>/feed.atom", public_views.country_feed, name="country_feed"),
    path("feeds/urgent.atom", public_views.urgent_feed, name="urgent_feed"),
]
