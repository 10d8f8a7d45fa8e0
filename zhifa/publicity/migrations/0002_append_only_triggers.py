"""Database triggers refusing UPDATE and DELETE on content revisions and update events (PUB-24, REC-16)."""
from django.db import migrations

from zhifa.ledger import dbguard


class Migration(migrations.Migration):

    dependencies = [
        ("publicity", "0001_initial"),
    ]

    operations = [
        dbguard.install_operation(("publicity_publicationrevision", "publicity_updateevent")),
    ]
