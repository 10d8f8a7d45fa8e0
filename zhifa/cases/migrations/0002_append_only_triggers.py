"""Database triggers refusing UPDATE and DELETE on the case records (EVI-09, REC-16, SEC-09)."""
from django.db import migrations

from zhifa.cases.apps import APPEND_ONLY_TABLES
from zhifa.ledger import dbguard


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0001_initial"),
    ]

    operations = [
        dbguard.install_operation(APPEND_ONLY_TABLES),
    ]
