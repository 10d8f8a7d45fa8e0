"""Admin integration: writes made through Django admin pages append to the ledger too."""
from __future__ import annotations

from django.db import transaction
from django.forms.models import model_to_dict

from .services import ledger_append


class LedgeredAdminMixin:
    """ModelAdmin mixin: save and delete run in one transaction with a ledger entry (REC-16)."""

    def _object_type(self, obj) -> str:
        return f"{obj._meta.app_label}.{obj._meta.model_name}"

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changed = list(form.changed_data) if form is not None else []
            ledger_append(
                actor=request.user,
                action="admin.change" if change else "admin.add",
                object_type=self._object_type(obj),
                object_id=obj.pk,
                payload={"fields": changed, "values": {k: v for k, v in model_to_dict(obj, fields=changed).items() if _plain(v)}},
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            ledger_append(actor=request.user, action="admin.delete", object_type=self._object_type(obj), object_id=obj.pk, payload={"repr": str(obj)})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                ledger_append(actor=request.user, action="admin.delete", object_type=self._object_type(obj), object_id=obj.pk, payload={"repr": str(obj)})
            super().delete_queryset(request, queryset)


def _plain(value) -> bool:
    return value is None or isinstance(value, (str, int, float, bool)) or hasattr(value, "isoformat")
