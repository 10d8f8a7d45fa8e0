"""Case handling (案件办理): the legal procedure from filing to archive, with its guards and deadlines."""
from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = "案件办理"
    default_auto_field = "django.db.models.BigAutoField"
