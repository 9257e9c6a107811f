"""Organisations that already hold people when the statistics are installed are marked "never counted".

Their figures then show as lagging, and the ``stats.catch_up`` job (or
``unforgotten stats-rebuild``) counts them once; from then on the registry's
signals keep them in step.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def mark(apps: Any, schema_editor: Any) -> None:
    Person = apps.get_model("registry", "Person")
    Watermark = apps.get_model("stats", "Watermark")
    for org_id in Person.objects.order_by().values_list("organisation_id", flat=True).distinct():
        Watermark.objects.get_or_create(organisation_id=org_id, defaults={"bulk_seq": -1})


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial"), ("registry", "0001_initial")]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
