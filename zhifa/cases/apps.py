"""Case handling (案件办理): the legal procedure from filing to archive, with its guards and deadlines."""
from django.apps import AppConfig

# Records of the procedure are never changed (EVI-09, REC-16); migration 0002 installs the triggers.
APPEND_ONLY_TABLES = (
    "cases_caseevent", "cases_investigationact", "cases_caseevidence", "cases_proposal", "cases_notice", "cases_statement",
    "cases_statementreply", "cases_committeedecision", "cases_decision", "cases_service", "cases_decisionchange",
)


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = "案件办理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhifa.ledger import dbguard
        from zhifa.payments.signals import payment_settled

        dbguard.register_tables(APPEND_ONLY_TABLES)
        payment_settled.connect(_on_payment_settled, dispatch_uid="cases.payment_settled")


def _on_payment_settled(sender, notice, **kwargs) -> None:
    from .services import on_payment_settled

    on_payment_settled(notice)
