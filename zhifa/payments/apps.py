"""Payment notices to the non-tax payment platform behind one interface, with a local simulator (罚缴分离, PAY-02)."""
from django.apps import AppConfig

# Notices and their events are append-only (REC-16); migration 0002 installs the triggers.
APPEND_ONLY_TABLES = ("payments_paymentnotice", "payments_paymentevent")


class PaymentsConfig(AppConfig):
    name = "zhifa.payments"
    label = "payments"
    verbose_name = "罚没款缴纳"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhifa.ledger import dbguard

        dbguard.register_tables(APPEND_ONLY_TABLES)
