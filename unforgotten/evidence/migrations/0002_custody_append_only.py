"""Custody events refuse UPDATE and DELETE, like audit events (audit/0002) and the log's leaves (audit/0004)."""

from __future__ import annotations

from django.db import migrations

from unforgotten.core import append_only


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial"), ("audit", "0002_append_only")]
    operations = [append_only.operation(["evidence_custodyevent"], "custody events are append-only")]
