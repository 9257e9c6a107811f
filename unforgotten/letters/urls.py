from __future__ import annotations

from django.urls import path

from unforgotten.letters import views

app_name = "letters"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:org>/queue/", views.queue, name="queue"),
    path("letters/<uuid:letter>/", views.letter_detail, name="letter"),
    path("letters/<uuid:letter>/delivery/", views.letter_delivery, name="letter_delivery"),
    path("people/<uuid:person>/", views.person, name="person"),
    path("people/<uuid:person>/box/", views.letter_box, name="box"),
    path("people/<uuid:person>/batches/", views.compile_batch, name="compile_batch"),
    path("people/<uuid:person>/family.pdf", views.family_view, name="family_view"),
    path("batches/<uuid:batch>.pdf", views.batch_pdf, name="batch_pdf"),
    path("batches/<uuid:batch>/status/", views.batch_status, name="batch_status"),
    path("<slug:org>/campaigns/new/", views.campaign_create, name="campaign_create"),
    path("<slug:org>/hand-over/", views.hand_over, name="hand_over"),
    path("campaigns/<uuid:campaign>/", views.campaign, name="campaign"),
    path("campaigns/<uuid:campaign>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<uuid:campaign>/letter/<str:language>/", views.campaign_template, name="campaign_template"),
    path("campaigns/<uuid:campaign>/status/", views.campaign_status, name="campaign_status"),
    path("campaigns/<uuid:campaign>/post/", views.compile_post, name="compile_post"),
    path("post/<uuid:batch>.pdf", views.post_pdf, name="post_pdf"),
    path("outreach/<int:outreach>/reply/", views.reply, name="reply"),
]
