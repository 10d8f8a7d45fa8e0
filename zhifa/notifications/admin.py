"""Admin pages of the notifications app: read-only. Messages, delivery events and consents are
append-only and written through the services (ledgered), so the admin offers no add, change or delete."""
from __future__ import annotations

from django.contrib import admin

from .models import Delivery, EServiceConsent, EServiceConsentRevocation, Message


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("pk", "channel", "subject", "enterprise", "ref", "is_eservice", "created_at")
    list_filter = ("channel", "is_eservice")
    search_fields = ("subject", "ref")
    raw_id_fields = ("recipient", "enterprise", "organisation", "consent", "created_by")
    exclude = ("address",)  # personal data (phones, e-mail) is shown masked on the staff pages only


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("message", "kind", "occurred_at", "recorded_at", "source", "provider_ref")
    list_filter = ("kind", "source")
    search_fields = ("provider_ref",)
    raw_id_fields = ("message", "actor")


@admin.register(EServiceConsent)
class EServiceConsentAdmin(ReadOnlyAdmin):
    list_display = ("pk", "enterprise", "party_name", "method", "signed_at")
    list_filter = ("method",)
    raw_id_fields = ("enterprise", "signed_by")
    exclude = ("channels",)


@admin.register(EServiceConsentRevocation)
class EServiceConsentRevocationAdmin(ReadOnlyAdmin):
    list_display = ("consent", "revoked_at", "revoked_by")
    raw_id_fields = ("consent", "revoked_by")
