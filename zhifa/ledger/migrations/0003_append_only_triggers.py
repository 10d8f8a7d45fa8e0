"""Database triggers refusing UPDATE and DELETE on ledger tables (REC-16, SEC-09).

RunPython rather than RunSQL because the SQL differs per vendor (schema_editor.connection.vendor).
Note for future migrations: on SQLite, a migration that rebuilds one of these tables (e.g. altering
a column) drops its triggers with the old table; re-run `dbguard.install` afterwards.
`ledger_verify` reports missing triggers.
"""
from django.db import migrations

from zhifa.ledger import dbguard


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0002_checkpoint"),
    ]

    operations = [
        dbguard.install_operation(dbguard.LEDGER_TABLES),
    ]
