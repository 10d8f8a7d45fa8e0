"""API representations of organisations, the signed-in user and officers' credentials.

A user's own phone number is personal data too: it is shown masked (SEC-03).
"""
from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhifa.common.masking import mask_phone
from zhifa.common.timeutil import today

from .access import can_write, can_write_register, sees_everything
from .models import OfficerCredential, Organisation, User


class OrganisationBriefSerializer(serializers.ModelSerializer):
    """An organisation as a reference inside other objects."""

    class Meta:
        model = Organisation
        fields = ["id", "name", "code", "kind"]
        read_only_fields = fields


class OrganisationSerializer(serializers.ModelSerializer):
    """A node of the organisation tree; `parent` and `depth` let a client rebuild the tree."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True, help_text="层级（中文）")
    depth = serializers.SerializerMethodField(help_text="在机构树中的深度，市级为 0")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "code",
            "kind",
            "kind_display",
            "parent",
            "path",
            "depth",
            "division_code",
            "jurisdiction",
            "is_enforcement_body",
            "enforcement_body_name",
        ]
        read_only_fields = fields

    def get_depth(self, obj: Organisation) -> int:
        return max(obj.path.strip("/").count("/"), 0)


class OfficerCredentialSerializer(serializers.ModelSerializer):
    """An enforcement credential (执法证) with its validity today."""

    enforcement_body = OrganisationBriefSerializer(read_only=True)
    is_valid_today = serializers.SerializerMethodField(help_text="今日是否在有效期内且未注销")

    class Meta:
        model = OfficerCredential
        fields = [
            "id",
            "number",
            "issuing_body",
            "enforcement_body",
            "enforcement_area",
            "valid_from",
            "valid_to",
            "revoked_on",
            "is_valid_today",
            "legal_review_qualified",
            "hearing_host_qualified",
            "device_review_qualified",
        ]
        read_only_fields = fields

    def get_is_valid_today(self, obj: OfficerCredential) -> bool:
        return obj.is_valid_on(today())


class PermissionsSerializer(serializers.Serializer):
    sees_everything = serializers.BooleanField(help_text="可查看全部机构的数据（执法监督、系统管理员）")
    can_write = serializers.BooleanField(help_text="可进行写操作（执法监督为只读）")
    can_write_register = serializers.BooleanField(help_text="可写入企业登记数据（导入、管理）")


class MeSerializer(serializers.ModelSerializer):
    """The signed-in user: role, organisation, credentials and what the role may do."""

    role_display = serializers.CharField(source="get_role_display", read_only=True, help_text="角色（中文）")
    organisation = OrganisationBriefSerializer(read_only=True, allow_null=True)
    phone_masked = serializers.SerializerMethodField(help_text="联系电话（脱敏）")
    credentials = OfficerCredentialSerializer(many=True, read_only=True)
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "role", "role_display", "organisation", "phone_masked", "credentials", "permissions"]
        read_only_fields = fields

    def get_phone_masked(self, obj: User) -> str:
        return mask_phone(obj.phone)

    @extend_schema_field(PermissionsSerializer)
    def get_permissions(self, obj: User) -> dict:
        return {"sees_everything": sees_everything(obj), "can_write": can_write(obj), "can_write_register": can_write_register(obj)}


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text="用户名")
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"}, help_text="密码")


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="令牌；请求时放入请求头 Authorization: Token <令牌>")
    user = MeSerializer()
