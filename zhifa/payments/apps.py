"""Payment notices to the non-tax payment platform behind one interface, with a local simulator (罚缴分离, PAY-02)."""
from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "zhifa.payments"
    label = "payments"
    verbose_name = "罚没款缴纳"
    default_auto_field = "django.db.models.BigAutoField"
