"""The evidence store: evidence items, files, reviews, admissibility and chain of custody."""
from django.apps import AppConfig

# Every evidence table is append-only (EVI-09, REC-16); migration 0002 installs the triggers.
APPEND_ONLY_TABLES = (
    "evidence_evidencefile",
    "evidence_evidenceitem",
    "evidence_evidencereview",
    "evidence_evidencelink",
    "evidence_custodyevent",
)


class EvidenceConfig(AppConfig):
    name = "zhifa.evidence"
    label = "evidence"
    verbose_name = "证据"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhifa.ledger import dbguard

        # Test databases are flushed between transactional tests; the ledger's flush command
        # suspends the triggers of registered tables for that (never outside tests).
        dbguard.register_tables(APPEND_ONLY_TABLES)
