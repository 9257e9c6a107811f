# Restricted fields encrypted at rest (evidence helper, issue 5; decision 0019).

import unforgotten.core.encrypted
from django.db import migrations

from unforgotten.core.encrypted import encrypt_existing_values

TARGETS = [('case', ('legal_strategy',)), ('historicalcase', ('legal_strategy',)), ('hearing', ('monitor_notes',)), ('historicalhearing', ('monitor_notes',)), ('detentionperiod', ('conditions_notes',)), ('historicaldetentionperiod', ('conditions_notes',)), ('relationship', ('notes',)), ('historicalrelationship', ('notes',))]


def encrypt_values(apps, schema_editor):
    # Values written before the field was encrypted are encrypted in place, under the KEK of
    # this installation (production requires it to start at all); a re-run skips tokens.
    for model_name, fields in TARGETS:
        encrypt_existing_values(apps.get_model('registry', model_name), *fields)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_outbox_and_schedule'),
        ('registry', '0006_person_merges'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='legal_strategy',
            field=unforgotten.core.encrypted.EncryptedTextField(blank=True, context='registry.case.legal_strategy', verbose_name='legal strategy'),
        ),
        migrations.AlterField(
            model_name='detentionperiod',
            name='conditions_notes',
            field=unforgotten.core.encrypted.EncryptedTextField(blank=True, context='registry.detentionperiod.conditions_notes', verbose_name='conditions and health notes'),
        ),
        migrations.AlterField(
            model_name='hearing',
            name='monitor_notes',
            field=unforgotten.core.encrypted.EncryptedTextField(blank=True, context='registry.hearing.monitor_notes', verbose_name='trial-monitor notes'),
        ),
        migrations.AlterField(
            model_name='historicalcase',
            name='legal_strategy',
            field=unforgotten.core.encrypted.EncryptedTextField(blank=True, context='registry.case.legal_strategy', verbose_name='legal strategy'),
        ),
        migrations.AlterField(
            model_name='historicaldetentionperiod',
            name='conditions_notes',
            field=unforgotten.core.encrypted.EncryptedTextField(blank=True, context='registry.detentionperiod.conditions_notes', verbose_name='conditions and health notes'),
        ),
        migrations.AlterField(
            model_name='historicalhearing',
            name='monitor_notes',
            field=unforgotten.core.encrypted.EncryptedTextField(blank=True, context='registry.hearing.monitor_notes', verbose_name='trial-monitor notes'),
        ),
        migrations.AlterField(
            model_name='historicalrelationship',
            name='notes',
            field=unforgotten.core.encrypted.EncryptedTextField(blank=True, context='registry.relationship.notes', verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='relationship',
            name='notes',
            field=unforgotten.core.encrypted.EncryptedTextField(blank=True, context='registry.relationship.notes', verbose_name='notes'),
        ),
        migrations.RunPython(encrypt_values, migrations.RunPython.noop),
    ]
