"""Database triggers refusing UPDATE and DELETE on every access table (REC-16, REC-17).

Uses the project's shared append-only guard (zhifa.ledger.dbguard): per-vendor SQL, hence
RunPython. On SQLite a later migration that rebuilds one of these tables drops its triggers with
the old table; such a migration must re-install them.
"""
from django.db import migrations

from zhifa.ledger import dbguard

TABLES = (
    "access_accessrequest",
    "access_accessrequestitem",
    "access_accessdecision",
)


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
        ("access", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install_triggers, drop_triggers),
    ]
