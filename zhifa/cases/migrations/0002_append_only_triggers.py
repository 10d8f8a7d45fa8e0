"""Database triggers refusing UPDATE and DELETE on the case records (EVI-09, REC-16, SEC-09)."""
from django.db import migrations

from zhifa.ledger import dbguard

# The tables of 0001, frozen here: tables added later install their triggers in their own migration.
APPEND_ONLY_TABLES = (
    "cases_caseevent", "cases_investigationact", "cases_caseevidence", "cases_proposal", "cases_notice", "cases_statement",
    "cases_statementreply", "cases_committeedecision", "cases_decision", "cases_service",
)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0001_initial"),
    ]

    operations = [
        dbguard.install_operation(APPEND_ONLY_TABLES),
    ]
