"""Database triggers refusing UPDATE and DELETE on the clue timeline (REC-16, SEC-09).

Per-vendor SQL from zhifa.ledger.dbguard. On SQLite a later migration that rebuilds this table
drops its triggers with the old table; such a migration must re-install them.
"""
from django.db import migrations

from zhifa.ledger import dbguard

TABLES = ("clues_clueevent",)


class Migration(migrations.Migration):

    dependencies = [
        ("clues", "0001_initial"),
    ]

    operations = [
        dbguard.install_operation(TABLES),
    ]
