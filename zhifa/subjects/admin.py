"""Admin pages of the subject register: read-mostly.

Register data is written through the import (validated, all-or-nothing, ledgered). In the admin
only a system administrator who is also a superuser may correct a record; everyone else reads,
and only within the enterprises they may see. Contact authorisations (SUB-17) are account
management and may be kept by any system administrator. Every admin write is ledgered.
Natural persons' ID numbers, phones and addresses are shown masked only and are not editable
here (SEC-03): the unmasked value is available solely through the logged reveal on the
enterprise page.
"""
from __future__ import annotations

from django import forms
from django.contrib import admin

from zhifa.accounts.access import can_write, sees_everything
from zhifa.accounts.admin import is_system_admin
from zhifa.accounts.choices import Role
from zhifa.ledger.admin_mixins import LedgeredAdminMixin

from .models import (
    ActivitySignal,
    ChemicalProduct,
    ContactAuthorisation,
    EmergencyPlanFiling,
    Enterprise,
    EnterprisePerson,
    HazardClassIncompatibility,
    Licence,
    LicenceApplication,
    MajorHazardSource,
    PermittedChemical,
    Person,
    PrecursorAnnualReport,
    RegistrationChange,
    ReportObligation,
    StorageItem,
    StorageZone,
    StorageZoneClass,
)
from .selectors import enterprises_visible_to


def may_correct_register(user) -> bool:
    """Register corrections in the admin: active, writing system administrators who are superusers."""
    return bool(can_write(user) and user.is_superuser and user.role == Role.SYSTEM_ADMIN)


class RegisterAdmin(LedgeredAdminMixin, admin.ModelAdmin):
    """Base for register models: scoped reads, writes only for `may_correct_register` users."""

    # Path from the model to Enterprise ("" for Enterprise itself) used to scope the change list.
    enterprise_path = "enterprise"
    show_full_result_count = False
    list_per_page = 50

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if sees_everything(request.user):
            return qs
        visible = enterprises_visible_to(request.user).values("pk")
        return qs.filter(**{f"{self.enterprise_path or 'pk'}__in": visible})

    def has_add_permission(self, request, *args):
        return may_correct_register(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return may_correct_register(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return may_correct_register(request.user) and super().has_delete_permission(request, obj)


class PersonAdminForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ("name",)


@admin.register(Person)
class PersonAdmin(RegisterAdmin):
    """Natural persons: masked personal data only; the name may be corrected."""

    form = PersonAdminForm
    list_display = ("name", "id_number_masked_display", "phone_masked_display")
    search_fields = ("name",)
    fields = ("name", "id_number_masked_display", "phone_masked_display", "address_masked_display", "created_at", "updated_at")
    readonly_fields = ("id_number_masked_display", "phone_masked_display", "address_masked_display", "created_at", "updated_at")

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if sees_everything(request.user):
            return qs
        visible = enterprises_visible_to(request.user).values("pk")
        return qs.filter(pk__in=EnterprisePerson.objects.filter(enterprise__in=visible).values("person_id")) | qs.filter(
            pk__in=Enterprise.objects.filter(pk__in=visible).values("principal_id")
        )

    def has_add_permission(self, request, *args):
        # People are created by the import together with their enterprise.
        return False

    @admin.display(description="身份证号码（脱敏）")
    def id_number_masked_display(self, obj: Person) -> str:
        return obj.id_number_masked or "—"

    @admin.display(description="联系电话（脱敏）")
    def phone_masked_display(self, obj: Person) -> str:
        return obj.phone_masked or "—"

    @admin.display(description="住址（脱敏）")
    def address_masked_display(self, obj: Person) -> str:
        return obj.address_masked or "—"


@admin.register(Enterprise)
class EnterpriseAdmin(RegisterAdmin):
    enterprise_path = ""
    list_display = ("name", "uscc", "industry", "organisation", "enforcement_level", "is_key_unit", "status")
    list_filter = ("industry", "enforcement_level", "is_key_unit", "status", "scale")
    list_select_related = ("organisation",)
    search_fields = ("^uscc", "name")
    raw_id_fields = ("organisation", "principal")
    readonly_fields = ("created_at", "updated_at")


@admin.register(EnterprisePerson)
class EnterprisePersonAdmin(RegisterAdmin):
    list_display = ("enterprise", "person", "role", "valid_from", "valid_to")
    list_filter = ("role",)
    list_select_related = ("enterprise", "person")
    search_fields = ("^enterprise__uscc", "enterprise__name", "person__name")
    raw_id_fields = ("enterprise", "person")


class ContactAuthorisationAdminForm(forms.ModelForm):
    class Meta:
        model = ContactAuthorisation
        fields = ("enterprise", "user", "authorised_by", "valid_from", "valid_to")

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user")
        if user is not None and user.role != Role.ENTERPRISE_CONTACT:
            self.add_error("user", "只能授权角色为“企业联系人”的账户。")
        valid_from, valid_to = cleaned.get("valid_from"), cleaned.get("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            self.add_error("valid_to", "授权截止不能早于授权起始。")
        return cleaned


@admin.register(ContactAuthorisation)
class ContactAuthorisationAdmin(RegisterAdmin):
    """SUB-17: which platform account may act for which enterprise, and until when."""

    form = ContactAuthorisationAdminForm
    list_display = ("enterprise", "user", "authorised_by", "valid_from", "valid_to")
    list_select_related = ("enterprise", "user")
    search_fields = ("^enterprise__uscc", "enterprise__name", "user__username", "user__display_name")
    raw_id_fields = ("enterprise",)
    autocomplete_fields = ("user",)

    def _may_write(self, request) -> bool:
        return can_write(request.user) and is_system_admin(request.user)

    def has_add_permission(self, request, *args):
        return self._may_write(request) and admin.ModelAdmin.has_add_permission(self, request)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request) and admin.ModelAdmin.has_change_permission(self, request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request) and admin.ModelAdmin.has_delete_permission(self, request, obj)


class LicenceApplicationInline(admin.TabularInline):
    """Applications shown on the licence page (read-only; they have their own ledgered page)."""

    model = LicenceApplication
    extra = 0
    can_delete = False
    fields = ("kind", "change_field", "submitted_on", "status", "decided_on", "new_valid_to")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Licence)
class LicenceAdmin(RegisterAdmin):
    list_display = ("number", "licence_type", "enterprise", "valid_from", "valid_to", "status")
    list_filter = ("licence_type", "status")
    list_select_related = ("enterprise",)
    search_fields = ("number", "^enterprise__uscc", "enterprise__name")
    raw_id_fields = ("enterprise",)
    inlines = (LicenceApplicationInline,)


@admin.register(LicenceApplication)
class LicenceApplicationAdmin(RegisterAdmin):
    enterprise_path = "licence__enterprise"
    list_display = ("licence", "kind", "change_field", "submitted_on", "status", "decided_on")
    list_filter = ("kind", "status")
    list_select_related = ("licence",)
    search_fields = ("licence__number",)
    raw_id_fields = ("licence",)


@admin.register(RegistrationChange)
class RegistrationChangeAdmin(RegisterAdmin):
    list_display = ("enterprise", "field", "old_value", "new_value", "changed_on", "source")
    list_filter = ("field",)
    list_select_related = ("enterprise",)
    search_fields = ("^enterprise__uscc", "enterprise__name")
    raw_id_fields = ("enterprise",)


@admin.register(EmergencyPlanFiling)
class EmergencyPlanFilingAdmin(RegisterAdmin):
    list_display = ("plan_title", "enterprise", "published_on", "filed_on", "authority_level")
    list_filter = ("authority_level",)
    list_select_related = ("enterprise",)
    search_fields = ("plan_title", "^enterprise__uscc", "enterprise__name")
    raw_id_fields = ("enterprise",)


@admin.register(MajorHazardSource)
class MajorHazardSourceAdmin(RegisterAdmin):
    list_display = ("code", "name", "enterprise", "grade", "filed_on", "no_longer_major_since", "cancellation_applied_on")
    list_filter = ("grade",)
    list_select_related = ("enterprise",)
    search_fields = ("code", "name", "^enterprise__uscc")
    raw_id_fields = ("enterprise",)


@admin.register(ReportObligation)
class ReportObligationAdmin(RegisterAdmin):
    list_display = ("enterprise", "kind", "period", "due_on", "submitted_on", "validation_passed")
    list_filter = ("kind",)
    list_select_related = ("enterprise",)
    search_fields = ("^enterprise__uscc", "enterprise__name", "period")
    raw_id_fields = ("enterprise",)


@admin.register(PrecursorAnnualReport)
class PrecursorAnnualReportAdmin(RegisterAdmin):
    list_display = ("enterprise", "year", "submitted_on", "closing_kg")
    list_filter = ("year",)
    list_select_related = ("enterprise",)
    search_fields = ("^enterprise__uscc", "enterprise__name")
    raw_id_fields = ("enterprise",)


@admin.register(ActivitySignal)
class ActivitySignalAdmin(RegisterAdmin):
    list_display = ("enterprise", "kind", "occurred_on", "quantity", "unit", "source", "reference")
    list_filter = ("kind",)
    list_select_related = ("enterprise",)
    search_fields = ("reference", "^enterprise__uscc")
    raw_id_fields = ("enterprise",)
    readonly_fields = ("recorded_at",)


@admin.register(ChemicalProduct)
class ChemicalProductAdmin(RegisterAdmin):
    """SUB-08 / CLU-S05: produced or imported chemicals and their registration."""

    list_display = ("name", "cas_number", "enterprise", "role", "in_catalogue", "registration_number", "hazard_class",
                    "properties_changed_on", "change_applied_on")
    list_filter = ("role", "in_catalogue", "hazard_class")
    list_select_related = ("enterprise",)
    search_fields = ("name", "cas_number", "registration_number", "^enterprise__uscc", "enterprise__name")
    raw_id_fields = ("enterprise",)
    readonly_fields = ("created_at", "updated_at")


class StorageZoneClassInline(admin.TabularInline):
    """Allowed classes shown on the zone page (read-only: inline edits would bypass the ledger;
    corrections go through the storage-zone import)."""

    model = StorageZoneClass
    extra = 0
    can_delete = False
    fields = ("hazard_class",)
    readonly_fields = fields
    max_num = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StorageItemInline(admin.TabularInline):
    """Stock lines shown on the zone page (read-only; newest stock-taking first)."""

    model = StorageItem
    extra = 0
    can_delete = False
    fields = ("recorded_on", "chemical_name", "cas_number", "hazard_class", "quantity_t", "source", "reference")
    readonly_fields = fields
    show_change_link = True
    max_num = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StorageZone)
class StorageZoneAdmin(RegisterAdmin):
    """CLU-S09: storage zones with their allowed classes and stock."""

    list_display = ("code", "name", "enterprise", "max_quantity_t")
    list_select_related = ("enterprise",)
    search_fields = ("code", "name", "^enterprise__uscc", "enterprise__name")
    raw_id_fields = ("enterprise",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (StorageZoneClassInline, StorageItemInline)


@admin.register(StorageItem)
class StorageItemAdmin(RegisterAdmin):
    enterprise_path = "zone__enterprise"
    list_display = ("chemical_name", "cas_number", "hazard_class", "quantity_t", "recorded_on", "zone")
    list_filter = ("hazard_class",)
    list_select_related = ("zone",)
    search_fields = ("chemical_name", "cas_number", "reference", "^zone__enterprise__uscc")
    raw_id_fields = ("zone",)


@admin.register(PermittedChemical)
class PermittedChemicalAdmin(RegisterAdmin):
    list_display = ("cas_number", "name", "enterprise")
    list_select_related = ("enterprise",)
    search_fields = ("cas_number", "name", "^enterprise__uscc", "enterprise__name")
    raw_id_fields = ("enterprise",)
    readonly_fields = ("created_at", "updated_at")


@admin.register(HazardClassIncompatibility)
class HazardClassIncompatibilityAdmin(LedgeredAdminMixin, admin.ModelAdmin):
    """Reference table (CLU-S09 禁配类别): readable by every staff user of the admin, corrected only by
    those who may correct the register; not scoped to enterprises."""

    list_display = ("class_a", "class_b", "reason")
    search_fields = ("class_a", "class_b", "reason")
    readonly_fields = ("created_at", "updated_at")

    def has_add_permission(self, request):
        return may_correct_register(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return may_correct_register(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return may_correct_register(request.user) and super().has_delete_permission(request, obj)
