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


class Migration(migrations.Migration):

    dependencies = [
        ("access", "0001_initial"),
    ]

    operations = [
        dbguard.install_operation(TABLES),
    ]
