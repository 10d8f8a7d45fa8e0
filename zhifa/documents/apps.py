"""Enforcement documents (执法文书): admin-editable templates, numbering (文号) and PDF rendering."""
from django.apps import AppConfig

# Issued documents are append-only (REC-16); migration 0002 installs the triggers.
APPEND_ONLY_TABLES = ("documents_issueddocument",)


class DocumentsConfig(AppConfig):
    name = "zhifa.documents"
    label = "documents"
    verbose_name = "执法文书"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhifa.ledger import dbguard

        dbguard.register_tables(APPEND_ONLY_TABLES)
