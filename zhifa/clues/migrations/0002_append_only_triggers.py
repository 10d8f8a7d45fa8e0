"""Database triggers refusing UPDATE and DELETE on the clue timeline (REC-16, SEC-09).

Per-vendor SQL from zhifa.ledger.dbguard. On SQLite a later migration that rebuilds this table
drops its triggers with the old table; such a migration must re-install them.
"""
from django.db import migrations

from zhifa.ledger import dbguard

TABLES = ("clues_clueevent",)


def install_triggers(apps, schema_editor):
    for table in TABLES:
        for sql in dbguard.install_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for table in TABLES:
        for sql in dbguard.drop_sql(schema_editor.connection.vendor, table):
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("clues", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install_triggers, drop_triggers),
    ]
