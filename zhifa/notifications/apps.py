"""Notification channels (in-app, e-mail over SMTP, SMS) behind one interface, delivery receipts and e-service consent."""
from django.apps import AppConfig

# Messages, their delivery events and the consents with their revocations are append-only
# (REC-16); migration 0002 installs the refusing triggers.
APPEND_ONLY_TABLES = (
    "notifications_message",
    "notifications_delivery",
    "notifications_eserviceconsent",
    "notifications_eserviceconsentrevocation",
)


class NotificationsConfig(AppConfig):
    name = "zhifa.notifications"
    label = "notifications"
    verbose_name = "通知与电子送达"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhifa.ledger import dbguard

        dbguard.register_tables(APPEND_ONLY_TABLES)
