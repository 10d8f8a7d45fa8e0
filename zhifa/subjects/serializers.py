"""API representations of the subject register (read-only).

Natural persons are never serialised unmasked (SEC-03): `PersonMaskedSerializer` exposes only
masked ID number, phone and address; the raw values are available solely through
`POST /api/v1/persons/{id}/reveal/`, which logs the view (SEC-02). Free-text fields that could
carry personal data typed by a clerk are scrubbed as defence in depth.
"""
from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhifa.accounts.serializers import OrganisationBriefSerializer
from zhifa.common.masking import scrub_text

from .choices import ApplicationStatus
from .models import (
    ActivitySignal,
    EmergencyPlanFiling,
    Enterprise,
    EnterprisePerson,
    Licence,
    LicenceApplication,
    MajorHazardSource,
    Person,
    PrecursorAnnualReport,
    RegistrationChange,
    ReportObligation,
)
from .selectors import licence_state
from .services import REVEALABLE_FIELDS

LICENCE_STATE_CHOICES = [("EXPIRED", "已过期"), ("EXPIRING", "即将到期"), ("VALID", "有效"), ("INACTIVE", "暂扣/吊销/注销")]


class ScrubbedCharField(serializers.CharField):
    """Free text with any ID number or mobile number masked (SEC-03 defence in depth)."""

    def to_representation(self, value):
        return scrub_text(super().to_representation(value))


class PersonMaskedSerializer(serializers.ModelSerializer):
    """A natural person, masked. Use the reveal endpoint (logged) for a raw value."""

    id_number_masked = serializers.CharField(read_only=True, help_text="身份证号码（脱敏）")
    phone_masked = serializers.CharField(read_only=True, help_text="联系电话（脱敏）")
    address_masked = serializers.CharField(read_only=True, help_text="住址（脱敏）")

    class Meta:
        model = Person
        fields = ["id", "name", "id_number_masked", "phone_masked", "address_masked"]
        read_only_fields = fields


class EnterpriseBriefSerializer(serializers.ModelSerializer):
    """An enterprise as a reference inside other objects."""

    class Meta:
        model = Enterprise
        fields = ["id", "uscc", "name"]
        read_only_fields = fields


class EnterprisePersonSerializer(serializers.ModelSerializer):
    person = PersonMaskedSerializer(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True, help_text="职务（中文）")

    class Meta:
        model = EnterprisePerson
        fields = ["id", "role", "role_display", "person", "valid_from", "valid_to"]
        read_only_fields = fields


class LicenceApplicationSerializer(serializers.ModelSerializer):
    licence = serializers.PrimaryKeyRelatedField(read_only=True, help_text="证照ID")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = LicenceApplication
        fields = ["id", "licence", "kind", "kind_display", "change_field", "submitted_on", "status", "status_display", "decided_on", "new_valid_to"]
        read_only_fields = fields


class LicenceSerializer(serializers.ModelSerializer):
    """A licence or certificate (SUB-04) with its state today (EXPIRED / EXPIRING / VALID / INACTIVE)."""

    enterprise = EnterpriseBriefSerializer(read_only=True)
    licence_type_display = serializers.CharField(source="get_licence_type_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    state = serializers.SerializerMethodField(help_text="以今日（北京时间）计算的有效状态；即将到期指 90 日内到期")
    scope = ScrubbedCharField(read_only=True)

    class Meta:
        model = Licence
        fields = [
            "id",
            "enterprise",
            "licence_type",
            "licence_type_display",
            "number",
            "issuing_authority",
            "valid_from",
            "valid_to",
            "status",
            "status_display",
            "state",
            "scope",
            "recorded_name",
            "recorded_address",
            "recorded_principal",
            "recorded_affiliation",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=LICENCE_STATE_CHOICES))
    def get_state(self, obj: Licence) -> str:
        return licence_state(obj)


class LicenceDetailSerializer(LicenceSerializer):
    applications = LicenceApplicationSerializer(many=True, read_only=True)

    class Meta(LicenceSerializer.Meta):
        fields = [*LicenceSerializer.Meta.fields, "applications"]
        read_only_fields = fields


class EnterpriseLicenceSerializer(LicenceSerializer):
    """A licence inside an enterprise, with its pending extension/change applications."""

    pending_applications = serializers.SerializerMethodField(help_text="审查中的延期/变更/换证申请")

    class Meta(LicenceSerializer.Meta):
        fields = [f for f in LicenceSerializer.Meta.fields if f != "enterprise"] + ["pending_applications"]
        read_only_fields = fields

    @extend_schema_field(LicenceApplicationSerializer(many=True))
    def get_pending_applications(self, obj: Licence) -> list:
        pending = [a for a in obj.applications.all() if a.status == ApplicationStatus.PENDING]
        return LicenceApplicationSerializer(pending, many=True).data


class EnterpriseSerializer(serializers.ModelSerializer):
    """An enterprise in lists."""

    organisation = OrganisationBriefSerializer(read_only=True)
    industry_display = serializers.CharField(source="get_industry_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "uscc",
            "name",
            "registered_address",
            "industry",
            "industry_display",
            "scale",
            "affiliation",
            "enforcement_level",
            "organisation",
            "status",
            "status_display",
            "is_key_unit",
            "credit_grade",
        ]
        read_only_fields = fields


class EnterpriseDetailSerializer(EnterpriseSerializer):
    """An enterprise with its principal person (masked), people (masked) and licences."""

    principal = PersonMaskedSerializer(read_only=True, allow_null=True)
    people = EnterprisePersonSerializer(many=True, read_only=True)
    licences = EnterpriseLicenceSerializer(many=True, read_only=True)

    class Meta(EnterpriseSerializer.Meta):
        fields = [
            *EnterpriseSerializer.Meta.fields,
            "business_address",
            "is_chemical_enterprise",
            "hc_producer",
            "hc_operator",
            "hc_user",
            "hc_storage",
            "hc_importer",
            "hc_use_ratio",
            "precursor_role",
            "plan_filing_obliged",
            "data_sources",
            "principal",
            "people",
            "licences",
        ]
        read_only_fields = fields


class RegistrationChangeSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseBriefSerializer(read_only=True)
    field_display = serializers.CharField(source="get_field_display", read_only=True)
    old_value = ScrubbedCharField(read_only=True)
    new_value = ScrubbedCharField(read_only=True)

    class Meta:
        model = RegistrationChange
        fields = ["id", "enterprise", "field", "field_display", "old_value", "new_value", "changed_on", "source"]
        read_only_fields = fields


class EmergencyPlanFilingSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseBriefSerializer(read_only=True)

    class Meta:
        model = EmergencyPlanFiling
        fields = ["id", "enterprise", "plan_title", "published_on", "filed_on", "authority_level", "filing_number"]
        read_only_fields = fields


class MajorHazardSourceSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseBriefSerializer(read_only=True)

    class Meta:
        model = MajorHazardSource
        fields = [
            "id",
            "enterprise",
            "code",
            "name",
            "grade",
            "identified_on",
            "assessment_report_on",
            "filed_on",
            "filing_number",
            "reassessed_on",
            "refiled_on",
            "no_longer_major_since",
            "cancellation_applied_on",
        ]
        read_only_fields = fields


class ReportObligationSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseBriefSerializer(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ReportObligation
        fields = ["id", "enterprise", "kind", "kind_display", "period", "due_on", "submitted_on", "validation_passed"]
        read_only_fields = fields


class PrecursorAnnualReportSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseBriefSerializer(read_only=True)

    class Meta:
        model = PrecursorAnnualReport
        fields = ["id", "enterprise", "year", "submitted_on", "opening_kg", "produced_kg", "purchased_kg", "sold_kg", "used_kg", "closing_kg"]
        read_only_fields = fields


class ActivitySignalSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(read_only=True, help_text="企业ID")

    class Meta:
        model = ActivitySignal
        fields = ["id", "enterprise", "kind", "occurred_on", "quantity", "unit", "source", "reference", "recorded_at"]
        read_only_fields = fields


class RevealRequestSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=list(REVEALABLE_FIELDS.items()), help_text="要查看的字段：id_number 身份证号码，phone 联系电话，address 住址")
    purpose = serializers.CharField(max_length=200, allow_blank=True, help_text="查看用途（必填，至少 2 个字，记入账本，SEC-02）")


class RevealResponseSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text="自然人ID")
    field = serializers.CharField()
    field_label = serializers.CharField(help_text="字段名称（中文）")
    value = serializers.CharField(help_text="未脱敏的值（本次查看已记入账本）")
