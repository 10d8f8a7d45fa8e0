"""Admin pages of the clue app: read-only. Every change to a clue goes through the services
(timeline event + ledger entry in one transaction), so the admin offers no add, change or delete."""
from __future__ import annotations

from django.contrib import admin

from .models import Clue, ClueEvent, Complaint, DataQualityFinding, DetectionRun, Reminder, Scenario, Transfer, Trigger


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyAdmin):
    list_display = ("code", "version", "title", "status", "effective_from", "effective_to")
    list_filter = ("status",)


@admin.register(DetectionRun)
class DetectionRunAdmin(ReadOnlyAdmin):
    list_display = ("pk", "as_of", "origin", "status", "started_at", "duration_ms")
    list_filter = ("status", "origin")


@admin.register(Clue)
class ClueAdmin(ReadOnlyAdmin):
    list_display = ("pk", "rule_id", "title", "organisation", "category", "status", "transfer_due_on", "detected_at")
    list_filter = ("status", "category", "severity", "rule_id")
    search_fields = ("title", "enterprise__uscc", "dedup_key")
    raw_id_fields = ("enterprise", "organisation", "scenario", "trigger", "snapshot_evidence", "detection_run", "last_seen_run")


@admin.register(ClueEvent)
class ClueEventAdmin(ReadOnlyAdmin):
    list_display = ("clue", "kind", "at", "actor")
    list_filter = ("kind",)


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("pk", "clue", "sent_at", "correction_due_on", "status")
    list_filter = ("status",)


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ("pk", "clue", "kind", "reason", "due_on", "sent_at", "late")
    list_filter = ("kind", "late")


@admin.register(Trigger)
class TriggerAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "source", "external_ref", "enterprise", "occurred_at")
    list_filter = ("kind",)
    search_fields = ("external_ref", "subject_uscc")


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ("pk", "trigger", "verified_at", "substantiated", "closed_at")


@admin.register(DataQualityFinding)
class DataQualityFindingAdmin(ReadOnlyAdmin):
    list_display = ("code", "object_type", "object_id", "message", "is_open")
    list_filter = ("code", "is_open")
