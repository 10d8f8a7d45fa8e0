"""Database triggers refusing UPDATE and DELETE on messages, delivery events, consents and their
revocations (REC-16, SEC-09). Per-vendor SQL from zhifa.ledger.dbguard. On SQLite a later
migration that rebuilds one of these tables drops its triggers with the old table; such a
migration must re-install them.
"""
from django.db import migrations

from zhifa.ledger import dbguard

TABLES = (
    "notifications_message",
    "notifications_delivery",
    "notifications_eserviceconsent",
    "notifications_eserviceconsentrevocation",
)


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        dbguard.install_operation(TABLES),
    ]
