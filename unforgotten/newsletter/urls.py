from __future__ import annotations

app_name = "newsletter"
urlpatterns: list = []
