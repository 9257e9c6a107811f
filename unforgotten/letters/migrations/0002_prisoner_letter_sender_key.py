"""A keyed digest of a letter sender's address, so that their "my data" link finds their letters (decision 0029).

Letters written before this migration get theirs from the encrypted address (decrypted here, in the
migration's own model, whose field carries its encryption context).
"""

from typing import Any

from django.db import migrations

import unforgotten.core.encrypted


def backfill(apps: Any, schema_editor: Any) -> None:
    from unforgotten.actions.supporters import email_key

    PrisonerLetter = apps.get_model("letters", "PrisonerLetter")
    for letter in PrisonerLetter.objects.exclude(sender_email="").filter(sender_email_key__isnull=True).iterator():
        address = str(letter.sender_email or "")
        if address:
            PrisonerLetter.objects.filter(pk=letter.pk).update(sender_email_key=email_key(address))


class Migration(migrations.Migration):

    dependencies = [
        ('letters', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='prisonerletter',
            name='sender_email_key',
            field=unforgotten.core.encrypted.DigestField(blank=True, db_index=True, max_length=64, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
