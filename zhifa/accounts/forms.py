"""Forms of the accounts app: the Chinese login form and the admin forms for users,
organisations and enforcement credentials."""
from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, UserChangeForm

from .choices import STAFF_ROLES, Role
from .models import OfficerCredential, Organisation, User


class LoginForm(AuthenticationForm):
    """Django's authentication form with Chinese labels and messages.

    The view passes the request, which django-axes needs to count failures per username and address.
    """

    error_messages = {
        "invalid_login": "用户名或密码不正确。请注意密码区分大小写。",
        "inactive": "该账户已停用，请联系系统管理员。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].label = "密码"
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


def _check_role_organisation(cleaned_data: dict) -> None:
    """Bureau staff see objects of their organisation subtree, so they must belong to one;
    an enterprise contact is linked to enterprises by authorisation (SUB-17), never by organisation."""
    role = cleaned_data.get("role")
    organisation = cleaned_data.get("organisation")
    if role in STAFF_ROLES and organisation is None:
        raise forms.ValidationError({"organisation": "执法人员、科室负责人、法制审核人员和设备/数据管理员必须选择所属机构。"})
    if role == Role.ENTERPRISE_CONTACT and organisation is not None:
        raise forms.ValidationError({"organisation": "企业联系人不属于执法机构，请留空，并在“企业联系人授权”中授权其所属企业。"})


class ZhifaUserCreationForm(AdminUserCreationForm):
    """Admin form for a new user: username, password, role and organisation."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "role", "organisation")

    def clean(self):
        cleaned = super().clean()
        _check_role_organisation(cleaned)
        return cleaned


class ZhifaUserChangeForm(UserChangeForm):
    """Admin form for an existing user."""

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        _check_role_organisation(cleaned)
        return cleaned


class OrganisationAdminForm(forms.ModelForm):
    """Organisation tree node; the parent may not be the node itself or one of its descendants."""

    class Meta:
        model = Organisation
        fields = ("name", "code", "kind", "parent", "division_code", "jurisdiction", "is_enforcement_body", "enforcement_body_name")

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk:
            if parent.pk == self.instance.pk or parent.path.startswith(self.instance.path):
                raise forms.ValidationError("上级机构不能是本机构或其下级机构。")
        return parent

    def clean_division_code(self):
        code = (self.cleaned_data.get("division_code") or "").strip()
        if code and not (len(code) == 6 and code.isdigit()):
            raise forms.ValidationError("行政区划代码应为6位数字。")
        return code


class OfficerCredentialAdminForm(forms.ModelForm):
    """Enforcement credential (执法证) with a consistent validity period."""

    class Meta:
        model = OfficerCredential
        fields = (
            "user",
            "number",
            "issuing_body",
            "enforcement_body",
            "enforcement_area",
            "valid_from",
            "valid_to",
            "revoked_on",
            "legal_review_qualified",
            "hearing_host_qualified",
            "device_review_qualified",
        )

    def clean(self):
        cleaned = super().clean()
        valid_from, valid_to, revoked_on = cleaned.get("valid_from"), cleaned.get("valid_to"), cleaned.get("revoked_on")
        if valid_from and valid_to and valid_to < valid_from:
            self.add_error("valid_to", "有效期至不能早于有效期自。")
        if valid_from and revoked_on and revoked_on < valid_from:
            self.add_error("revoked_on", "注销日期不能早于有效期自。")
        body = cleaned.get("enforcement_body")
        if body is not None and not body.is_enforcement_body:
            self.add_error("enforcement_body", "所选机构不是执法主体。")
        user = cleaned.get("user")
        if user is not None and user.role in {Role.ENTERPRISE_CONTACT, Role.AUDITOR}:
            self.add_error("user", "企业联系人和执法监督/审计账户不能持有执法证。")
        return cleaned
