"""Read-only admin pages: evidence is written only through the services (EVI-09, REC-16)."""
from django.contrib import admin

from .models import CustodyEvent, EvidenceFile, EvidenceItem, EvidenceLink, EvidenceReview


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nothing can be added, changed or deleted here; the rows are append-only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvidenceItem)
class EvidenceItemAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "kind", "source", "version_no", "organisation", "enterprise", "created_by", "created_at"]
    list_filter = ["kind", "source"]
    search_fields = ["title", "file__sha256"]
    list_select_related = ["organisation", "enterprise", "created_by"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnlyAdmin):
    list_display = ["id", "sha256", "size", "detected_content_type", "original_filename", "uploaded_by", "uploaded_at"]
    search_fields = ["sha256", "original_filename"]


@admin.register(EvidenceReview)
class EvidenceReviewAdmin(ReadOnlyAdmin):
    list_display = ["id", "item", "reviewer", "result", "reviewed_at"]
    list_filter = ["result"]


@admin.register(EvidenceLink)
class EvidenceLinkAdmin(ReadOnlyAdmin):
    list_display = ["id", "item", "object_type", "object_id", "linked_by", "linked_at"]


@admin.register(CustodyEvent)
class CustodyEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "item", "action", "actor", "occurred_at", "ledger_index"]
    list_filter = ["action"]
