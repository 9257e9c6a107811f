from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from unforgotten.api.api import api, openapi_schema
from unforgotten.core import views as core_views
from unforgotten.publishing import public_views
from unforgotten.stats import public_views as stats_public_views  # stats (issue 9)

# The admin is for platform administrators only, and logs in through the same
# throttled, second-factor login as everyone else: never a second login form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Unforgotten platform administration"

urlpatterns = [
    # publishing (issue 6): the bare address offers the languages; the public site lives under /<language>/
    path("", public_views.root, name="landing"),
    path("healthz", core_views.healthz, name="healthz"),
    path("sitemap.xml", public_views.sitemap, name="sitemap"),  # publishing (issue 6): every public page, hreflang
    path("accounts/", include("allauth.urls")),
    path("work/", include("unforgotten.accounts.urls")),
    path("work/", include("unforgotten.audit.urls")),
    path("work/", include("unforgotten.api.urls")),
    path("work/registry/", include("unforgotten.registry.urls")),
    path("work/exchange/", include("unforgotten.exchange.urls")),  # imports and exports of lists
    path("work/evidence/", include("unforgotten.evidence.urls")),  # evidence files and custody (issue 5)
    path("work/advocacy/", include("unforgotten.advocacy.urls")),  # advocacy (issue 8)
    path("work/radar/", include("unforgotten.radar.urls")),  # radar (issue 9)
    path("work/alerts/", include("unforgotten.alerts.urls")),  # alerts (issue 9 items 1, 5, 6): urgent alerts
    path("work/monitoring/", include("unforgotten.monitoring.urls")),  # alerts (issue 9 item 2): monitoring
    path("api/v1/openapi.json", openapi_schema, name="openapi"),
    path("api/v1/", api.urls),
    path("platform-admin/", admin.site.urls),
    path("work/publishing/", include("unforgotten.publishing.urls")),  # publishing (issue 6)
]
# --- publishing (issue 6): public pages, every language under its own prefix (/en/, /ar/, /zh-hans/) ---
urlpatterns += i18n_patterns(path("", include("unforgotten.publishing.public_urls")), prefix_default_language=True)
# --- end publishing ---
# --- stats (issue 9): public statistics per language, open data, the members' dashboard ---
urlpatterns += i18n_patterns(path("statistics/", include("unforgotten.stats.public_urls")),
                             prefix_default_language=True)
urlpatterns += [
    path("open-data/statistics/<slug:name>.<slug:fmt>", stats_public_views.open_data, name="stats_open_data"),
    path("work/stats/", include("unforgotten.stats.urls")),
]
# --- end stats ---
# alerts (issue 9 item 1): public urgent actions per language
urlpatterns += i18n_patterns(path("urgent/", include("unforgotten.alerts.public_urls")), prefix_default_language=True)

urlpatterns += i18n_patterns(path("suggest/", include("unforgotten.intake.public_urls")),  # intake (issue 6)
                             path("newsletter/", include("unforgotten.newsletter.public_urls")),  # intake (issue 6)
                             prefix_default_language=True)  # intake (issue 6)
urlpatterns += [path("work/intake/", include("unforgotten.intake.urls")),  # intake (issue 6): the intake queue
                path("work/newsletter/", include("unforgotten.newsletter.urls"))]  # intake (issue 6)

# --- actions (issue 7): public petition pages and the supporter's own data, per language; the workspace ---
urlpatterns += i18n_patterns(path("petitions/", include("unforgotten.actions.public_urls")),  # actions (issue 7)
                             path("supporters/", include("unforgotten.actions.supporter_urls")),  # actions (issue 7)
                             prefix_default_language=True)  # actions (issue 7)
urlpatterns += [path("work/actions/", include("unforgotten.actions.urls"))]  # actions (issue 7)
# --- end actions ---
# --- letters (issue 7 items 4, 5): public letter forms per language; the workspace ---
urlpatterns += i18n_patterns(path("letters/", include("unforgotten.letters.public_urls")),  # letters (issue 7)
                             prefix_default_language=True)  # letters (issue 7)
urlpatterns += [path("work/letters/", include("unforgotten.letters.urls"))]  # letters (issue 7)
# --- end letters ---
# --- events (issue 7 item 6): public events and calendars per language; the workspace ---
urlpatterns += i18n_patterns(path("events/", include("unforgotten.events.public_urls")),  # events (issue 7)
                             prefix_default_language=True)  # events (issue 7)
urlpatterns += [path("work/events/", include("unforgotten.events.urls"))]  # events (issue 7)
# --- end events ---

handler400 = "unforgotten.core.views.bad_request"
handler403 = "unforgotten.core.views.permission_denied"
handler404 = "unforgotten.core.views.page_not_found"
handler500 = "unforgotten.core.views.server_error"
