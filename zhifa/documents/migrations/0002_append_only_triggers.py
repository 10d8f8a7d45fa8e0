"""Database triggers refusing UPDATE and DELETE on issued documents (REC-16, SEC-09).

Per-vendor SQL from zhifa.ledger.dbguard. On SQLite a later migration that rebuilds this table
drops its triggers with the old table; such a migration must re-install them.
"""
from django.db import migrations

from zhifa.ledger import dbguard

TABLES = ("documents_issueddocument",)


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0001_initial"),
    ]

    operations = [
        dbguard.install_operation(TABLES),
    ]
