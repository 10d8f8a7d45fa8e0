"""Database triggers refusing UPDATE and DELETE on payment notices and their events (REC-16, SEC-09).

Per-vendor SQL from zhifa.ledger.dbguard. On SQLite a later migration that rebuilds one of these
tables drops its triggers with the old table; such a migration must re-install them.
"""
from django.db import migrations

from zhifa.ledger import dbguard

TABLES = ("payments_paymentnotice", "payments_paymentevent")


class Migration(migrations.Migration):

    dependencies = [
        ("payments", "0001_initial"),
    ]

    operations = [
        dbguard.install_operation(TABLES),
    ]
