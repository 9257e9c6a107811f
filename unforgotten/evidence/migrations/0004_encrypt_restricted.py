# Restricted fields encrypted at rest (evidence helper, issue 5; decision 0019).

import unforgotten.core.encrypted
from django.db import migrations

from unforgotten.core.encrypted import encrypt_existing_values

TARGETS = [('evidenceitem', ('display_name', 'collected_url'))]


def encrypt_values(apps, schema_editor):
    # Values written before the field was encrypted are encrypted in place, under the KEK of
    # this installation (production requires it to start at all); a re-run skips tokens.
    for model_name, fields in TARGETS:
        encrypt_existing_values(apps.get_model('evidence', model_name), *fields)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_outbox_and_schedule'),
        ('evidence', '0003_item_erasure'),
    ]

    operations = [
        migrations.AlterField(
            model_name='evidenceitem',
            name='collected_url',
            field=unforgotten.core.encrypted.EncryptedTextField(blank=True, context='evidence.evidenceitem.collected_url', max_length=1000, verbose_name='collected from (URL)'),
        ),
        migrations.AlterField(
            model_name='evidenceitem',
            name='display_name',
            field=unforgotten.core.encrypted.EncryptedTextField(context='evidence.evidenceitem.display_name', max_length=220, verbose_name='file name'),
        ),
        migrations.RunPython(encrypt_values, migrations.RunPython.noop),
    ]
