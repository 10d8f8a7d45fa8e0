"""Admin pages for organisations, users and enforcement credentials.

Every admin write appends to the ledger (LedgeredAdminMixin, REC-16). Auditors may be given
admin access to read, but never to change anything.
"""
from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction

from zhifa.ledger.admin_mixins import LedgeredAdminMixin
from zhifa.ledger.services import ledger_append

from .access import can_write
from .choices import Role
from .forms import OfficerCredentialAdminForm, OrganisationAdminForm, ZhifaUserChangeForm, ZhifaUserCreationForm
from .models import OfficerCredential, Organisation, User


def is_system_admin(user) -> bool:
    """System administrators manage accounts and organisations."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.SYSTEM_ADMIN))


class ZhifaAdminMixin(LedgeredAdminMixin):
    """Writes only for active system administrators who hold the Django permission; reads as Django decides.

    An auditor reads everything and changes nothing, whatever permissions a group grants.
    """

    def _may_write(self, request) -> bool:
        return can_write(request.user) and is_system_admin(request.user)

    def has_add_permission(self, request, *args):
        return self._may_write(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request) and super().has_delete_permission(request, obj)


@admin.register(Organisation)
class OrganisationAdmin(ZhifaAdminMixin, admin.ModelAdmin):
    """The organisation tree 市 → 区 → 街镇/园区. `path` is maintained by the model and shown read-only."""

    form = OrganisationAdminForm
    list_display = ("tree_name", "code", "kind", "parent", "is_enforcement_body", "jurisdiction", "path")
    list_filter = ("kind", "is_enforcement_body")
    search_fields = ("name", "code", "division_code")
    readonly_fields = ("path", "effective_jurisdiction_display", "created_at", "updated_at")
    autocomplete_fields = ("parent",)
    ordering = ("path",)
    list_per_page = 100
    fieldsets = (
        (None, {"fields": ("name", "code", "kind", "parent", "path")}),
        ("执法与规则集", {"fields": ("is_enforcement_body", "enforcement_body_name", "division_code", "jurisdiction", "effective_jurisdiction_display")}),
        ("记录", {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description="名称（按层级缩进）", ordering="path")
    def tree_name(self, obj: Organisation) -> str:
        depth = max(obj.path.count("/") - 2, 0)
        return "\u3000" * depth + ("└ " if depth else "") + obj.name

    @admin.display(description="实际适用规则集辖区")
    def effective_jurisdiction_display(self, obj: Organisation) -> str:
        return obj.effective_jurisdiction if obj.pk else "—"

    def save_model(self, request, obj, form, change):
        """Moving a node re-roots the materialised paths of its whole subtree in the same transaction."""
        old_path = Organisation.objects.filter(pk=obj.pk).values_list("path", flat=True).first() if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if old_path and old_path != obj.path:
                descendants = list(Organisation.objects.filter(path__startswith=old_path).exclude(pk=obj.pk))
                for node in descendants:
                    node.path = obj.path + node.path[len(old_path):]
                Organisation.objects.bulk_update(descendants, ["path"])
                ledger_append(
                    actor=request.user,
                    action="accounts.organisation.move",
                    object_type="accounts.organisation",
                    object_id=obj.pk,
                    payload={"old_path": old_path, "new_path": obj.path, "descendants": len(descendants)},
                )


class CredentialInline(admin.TabularInline):
    """Read-only overview of a user's credentials; they are edited on the credential page (ledgered)."""

    model = OfficerCredential
    fk_name = "user"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("number", "issuing_body", "enforcement_body", "valid_from", "valid_to", "revoked_on", "legal_review_qualified")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(ZhifaAdminMixin, DjangoUserAdmin):
    """Users with role and organisation; passwords are hashed with argon2 (settings.PASSWORD_HASHERS)."""

    form = ZhifaUserChangeForm
    add_form = ZhifaUserCreationForm
    list_display = ("username", "display_name", "role", "organisation", "is_active", "is_staff", "last_login")
    list_filter = ("role", "is_active", "is_staff", "is_superuser")
    list_select_related = ("organisation",)
    search_fields = ("username", "display_name", "email")
    autocomplete_fields = ("organisation",)
    inlines = (CredentialInline,)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("display_name", "email", "phone")}),
        ("角色与机构", {"fields": ("role", "organisation")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        ("角色与机构", {"classes": ("wide",), "fields": ("display_name", "role", "organisation")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_inlines(self, request, obj):
        # A new user has no credentials yet; they are added on the credential page.
        return self.inlines if obj is not None else ()

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only a superuser may create another superuser or grant single permissions.
            fields += ("is_superuser", "user_permissions")
        return fields

    def user_change_password(self, request, id, form_url=""):
        """Password changes bypass save_model, so they are logged here (never the password itself)."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302 and self._may_write(request):
                ledger_append(actor=request.user, action="admin.password_change", object_type="accounts.user", object_id=id, payload={})
        return response


@admin.register(OfficerCredential)
class OfficerCredentialAdmin(ZhifaAdminMixin, admin.ModelAdmin):
    """Enforcement credentials (执法证). A changed credential is entered as a new row; old rows stay."""

    form = OfficerCredentialAdminForm
    list_display = ("number", "user", "enforcement_body", "issuing_body", "valid_from", "valid_to", "revoked_on", "legal_review_qualified")
    list_filter = ("legal_review_qualified", "hearing_host_qualified", "device_review_qualified")
    list_select_related = ("user", "enforcement_body")
    search_fields = ("number", "user__username", "user__display_name")
    autocomplete_fields = ("user", "enforcement_body")
    date_hierarchy = "valid_to"
