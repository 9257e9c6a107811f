# Restricted fields encrypted at rest (evidence helper, issue 5; decision 0019).

import unforgotten.core.encrypted
from django.db import migrations

from unforgotten.core.encrypted import encrypt_existing_values

TARGETS = [('intervention', ('notes',)), ('lawyer', ('notes',)), ('legalaction', ('arguments',)), ('uncommunication', ('notes',)), ('wgaddraft', ('id_document', 'residence'))]


def encrypt_values(apps, schema_editor):
    # Values written before the field was encrypted are encrypted in place, under the KEK of
    # this installation (production requires it to start at all); a re-run skips tokens.
    for model_name, fields in TARGETS:
        encrypt_existing_values(apps.get_model('advocacy', model_name), *fields)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_outbox_and_schedule'),
        ('advocacy', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='intervention',
            name='notes',
            field=unforgotten.core.encrypted.EncryptedTextField(blank=True, context='advocacy.intervention.notes', verbose_name='strategy notes'),
        ),
        migrations.AlterField(
            model_name='lawyer',
            name='notes',
            field=unforgotten.core.encrypted.EncryptedTextField(blank=True, context='advocacy.lawyer.notes', verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='legalaction',
            name='arguments',
            field=unforgotten.core.encrypted.EncryptedTextField(blank=True, context='advocacy.legalaction.arguments', verbose_name='arguments and strategy'),
        ),
        migrations.AlterField(
            model_name='uncommunication',
            name='notes',
            field=unforgotten.core.encrypted.EncryptedTextField(blank=True, context='advocacy.uncommunication.notes', verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='wgaddraft',
            name='id_document',
            field=unforgotten.core.encrypted.EncryptedTextField(blank=True, context='advocacy.wgaddraft.id_document', verbose_name='identity document (type, issuing authority, date, number)'),
        ),
        migrations.AlterField(
            model_name='wgaddraft',
            name='residence',
            field=unforgotten.core.encrypted.EncryptedTextField(blank=True, context='advocacy.wgaddraft.residence', verbose_name='address of usual residence'),
        ),
        migrations.RunPython(encrypt_values, migrations.RunPython.noop),
    ]
