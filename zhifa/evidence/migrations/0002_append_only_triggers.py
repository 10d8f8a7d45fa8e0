"""Database triggers refusing UPDATE and DELETE on every evidence table (EVI-09, REC-16, SEC-09).

Uses the project's shared append-only guard (zhifa.ledger.dbguard): per-vendor SQL, hence
RunPython. On SQLite a later migration that rebuilds one of these tables drops its triggers with
the old table; such a migration must re-install them.
"""
from django.db import migrations

from zhifa.ledger import dbguard

TABLES = (
    "evidence_evidencefile",
    "evidence_evidenceitem",
    "evidence_evidencereview",
    "evidence_evidencelink",
    "evidence_custodyevent",
)


class Migration(migrations.Migration):

    dependencies = [
        ("evidence", "0001_initial"),
    ]

    operations = [
        dbguard.install_operation(TABLES),
    ]
