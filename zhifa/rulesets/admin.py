"""Admin pages for loaded rule sets: read-only. Packs change only through their YAML files and
`python manage.py load_rulesets` (a changed file becomes a new revision; docs/rulesets.md), so no
admin write path exists that would need LedgeredAdminMixin."""
from __future__ import annotations

from django.contrib import admin

from .models import RuleParameter, RuleSet


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RuleParameterInline(admin.TabularInline):
    model = RuleParameter
    fields = ("key", "kind", "value", "missing", "unit", "strategy", "verification", "source", "effective_from", "effective_to", "flags")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = ("jurisdiction", "name", "version", "revision", "effective_from", "effective_to", "file_name", "loaded_at")
    list_filter = ("jurisdiction",)
    search_fields = ("jurisdiction", "name", "version", "file_name", "sha256")
    readonly_fields = (
        "jurisdiction", "name", "version", "revision", "effective_from", "effective_to", "inherits", "sources",
        "notes", "file_name", "sha256", "loaded_at", "loaded_by",
    )
    inlines = [RuleParameterInline]


@admin.register(RuleParameter)
class RuleParameterAdmin(ReadOnlyAdmin):
    list_display = ("key", "kind", "ruleset", "value", "unit", "strategy", "verification", "effective_from", "effective_to")
    list_filter = ("verification", "strategy", "ruleset__jurisdiction", "missing")
    search_fields = ("key", "kind", "source", "meaning")
    list_select_related = ("ruleset",)
    readonly_fields = (
        "ruleset", "key", "kind", "value", "missing", "unit", "strategy", "statute_bound", "source", "verification",
        "rule_ids", "effective_from", "effective_to", "flags", "meaning", "notes", "superseded_by", "aliases",
        "legal_signoff", "position",
    )
