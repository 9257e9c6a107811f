from __future__ import annotations

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "unforgotten.exchange"
    label = "exchange"
    verbose_name = "Imports and exports of lists"
