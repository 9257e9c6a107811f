"""One rate-limit row per subject holding its burst and sustained windows (decision 0025, third stage).

Rows are counters kept at most 24 hours. Those of the old shape are carried over
as they are (start, hits) into a window that never rolls, not dropped: among them
are the single-use rows of proof-of-work challenges spent in the last hours,
whose digest is unchanged, so a challenge spent before the upgrade stays spent.
The old windows' digests are no longer asked for; they age out with the purge.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


def carry_over(apps: Any, schema_editor: Any) -> None:
    table = "core_ratewindow"
    if schema_editor.connection.vendor == "postgresql":
        seconds = "floor(extract(epoch FROM window_start))::bigint"
    else:
        seconds = "CAST(strftime('%s', window_start) AS INTEGER)"
    # No parameters (None): the statement is sent as written, its '%s' is strftime's, not a placeholder.
    sql = f"UPDATE {table} SET burst_start = {seconds}, burst_hits = hits, sustained_start = 0, sustained_hits = hits"  # noqa: S608  (fixed names)
    schema_editor.execute(sql, None)


def forget_counters(apps: Any, schema_editor: Any) -> None:
    # Going back: the old shape's window_start has no default, so its column can only come back to an empty table;
    # counters are worth nothing that a day would not forget anyway.
    apps.get_model("core", "RateWindow").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_rate_window"),
    ]

    operations = [
        migrations.AddField(
            model_name="ratewindow",
            name="burst_start",
            field=models.BigIntegerField(db_index=True, default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="ratewindow",
            name="burst_hits",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ratewindow",
            name="sustained_start",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ratewindow",
            name="sustained_hits",
            field=models.IntegerField(default=0),
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="ratewindow",
            name="hits",
        ),
        migrations.RemoveField(
            model_name="ratewindow",
            name="window_start",
        ),
        migrations.RunPython(migrations.RunPython.noop, forget_counters),
    ]
