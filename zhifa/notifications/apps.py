"""Notification channels (in-app, e-mail over SMTP, SMS) behind one interface, delivery receipts and e-service consent."""
from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "zhifa.notifications"
    label = "notifications"
    verbose_name = "通知与电子送达"
    default_auto_field = "django.db.models.BigAutoField"
