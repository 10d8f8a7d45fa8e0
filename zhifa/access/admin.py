"""Read-only admin pages: requests and decisions are written only through the services (REC-16, REC-17)."""
from django.contrib import admin

from .models import AccessDecision, AccessRequest, AccessRequestItem


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nothing can be added, changed or deleted here; the rows are append-only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ItemInline(admin.TabularInline):
    model = AccessRequestItem
    extra = 0
    can_delete = False
    fields = ["object_type", "object_id", "object_label"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "requester", "organisation", "case_reference", "starts_at", "ends_at", "created_at"]
    search_fields = ["case_reference", "purpose"]
    list_select_related = ["requester", "organisation"]
    inlines = [ItemInline]


@admin.register(AccessDecision)
class AccessDecisionAdmin(ReadOnlyAdmin):
    list_display = ["id", "request", "outcome", "decided_by", "decided_at"]
    list_filter = ["outcome"]
    list_select_related = ["request", "decided_by"]
