"""Access requests (调阅申请): approval before any view of evidence bytes or unmasked personal data."""
from django.apps import AppConfig

# Requests, their objects and their decisions are append-only (REC-16, REC-17): a decision is final.
APPEND_ONLY_TABLES = (
    "access_accessrequest",
    "access_accessrequestitem",
    "access_accessdecision",
)


class AccessConfig(AppConfig):
    name = "zhifa.access"
    label = "access"
    verbose_name = "调阅申请"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhifa.ledger import dbguard

        # Test databases are flushed between transactional tests; the ledger's flush command
        # suspends the triggers of registered tables for that (never outside tests).
        dbguard.register_tables(APPEND_ONLY_TABLES)
