"""Store ledger payloads as canonical JSON (the hashed bytes) so verification can hash them as-is.

On SQLite, AlterField rebuilds the table, which drops its triggers with the old table: the
append-only triggers are installed again right after (REC-16; see dbguard and ADR 0003).
"""

import zhifa.ledger.leaf
from django.db import migrations, models

from zhifa.ledger import dbguard


def reinstall_triggers(apps, schema_editor):
    for table in dbguard.LEDGER_TABLES:
        for sql in dbguard.install_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(sql, None)


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0003_append_only_triggers'),
    ]

    operations = [
        migrations.AlterField(
            model_name='ledgerentry',
            name='payload',
            field=models.JSONField(default=dict, encoder=zhifa.ledger.leaf.CanonicalJSONEncoder, verbose_name='内容'),
        ),
        migrations.RunPython(reinstall_triggers, migrations.RunPython.noop),
    ]
