"""Enforcement documents (执法文书): admin-editable templates, numbering (文号) and PDF rendering."""
from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "zhifa.documents"
    label = "documents"
    verbose_name = "执法文书"
    default_auto_field = "django.db.models.BigAutoField"
