"""Query filters of the subject-register API (django-filter).

Every filter validates its value: an unknown choice, a malformed date or an out-of-range id is a
structured 400 (`COMMON_INVALID_INPUT` with per-parameter messages), never a 500 and never
silently ignored. Filters only narrow the caller's visible queryset; they never widen it.
"""
from __future__ import annotations

from datetime import timedelta

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema_field

from zhifa.accounts.models import Organisation
from zhifa.common.timeutil import today

from .choices import (
    ActivityKind,
    ApplicationKind,
    ApplicationStatus,
    ChangeField,
    EnterpriseStatus,
    Industry,
    LicenceStatus,
    LicenceType,
    ReportKind,
)
from .models import (
    ActivitySignal,
    EmergencyPlanFiling,
    Enterprise,
    Licence,
    LicenceApplication,
    MajorHazardSource,
    PrecursorAnnualReport,
    RegistrationChange,
    ReportObligation,
)
from .selectors import EXPIRING_WITHIN_DAYS, filter_by_licence_state, search_enterprises

INT64_MAX = 2**63 - 1

ENTERPRISE_LICENCE_STATES = [
    ("EXPIRED", "有证照已过期"),
    ("EXPIRING", "有证照即将到期（90日内）"),
    ("VALID", "证照均在有效期内"),
    ("NONE", "无任何证照"),
]
LICENCE_STATES = [
    ("EXPIRED", "已过期"),
    ("EXPIRING", "即将到期（90日内）"),
    ("VALID", "有效"),
    ("INACTIVE", "暂扣/吊销/注销"),
]
BOOLEAN_CHOICES = [("true", "是"), ("false", "否")]


@extend_schema_field({"type": "integer"})
class IntegerFilter(filters.NumberFilter):
    """A whole number (the default NumberFilter would accept decimals)."""

    field_class = forms.IntegerField


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 1, "maximum": INT64_MAX})
class IdFilter(IntegerFilter):
    """A database id: a positive 64-bit integer (a larger number would overflow the database)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", INT64_MAX)
        super().__init__(*args, **kwargs)


class StrictBooleanFilter(filters.ChoiceFilter):
    """`true` / `false` only (anything else is a 400 rather than "no filter"). Used with a
    filter method, which receives the string and compares it with "true"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", BOOLEAN_CHOICES)
        super().__init__(*args, **kwargs)


class DateFilter(filters.DateFilter):
    """An ISO date (YYYY-MM-DD)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(*args, **kwargs)


def licence_state_q(state: str, prefix: str = "") -> Q:
    """The selector's `licence_state` (EXPIRED/EXPIRING/VALID/INACTIVE) as a database filter."""
    day = today()
    horizon = day + timedelta(days=EXPIRING_WITHIN_DAYS)
    valid = Q(**{f"{prefix}status": LicenceStatus.VALID})
    if state == "EXPIRED":
        return valid & Q(**{f"{prefix}valid_to__lt": day})
    if state == "EXPIRING":
        return valid & Q(**{f"{prefix}valid_to__gte": day, f"{prefix}valid_to__lte": horizon})
    if state == "VALID":
        return valid & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": horizon}))
    return ~valid


class EnterpriseFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", max_length=100, label="名称关键字或统一社会信用代码前缀")
    organisation = IdFilter(method="filter_organisation", label="属地/负责机构ID（含下级机构）")
    industry = filters.ChoiceFilter(choices=Industry.choices, label="行业领域")
    status = filters.ChoiceFilter(choices=EnterpriseStatus.choices, label="经营状态")
    licence_state = filters.ChoiceFilter(choices=ENTERPRISE_LICENCE_STATES, method="filter_licence_state", label="证照状态")
    is_key_unit = StrictBooleanFilter(method="filter_is_key_unit", label="是否重点单位（true/false）")

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return search_enterprises(qs, value)

    def filter_organisation(self, qs: QuerySet, name: str, value: int) -> QuerySet:
        path = Organisation.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return qs.none()
        return qs.filter(organisation__path__startswith=path)

    def filter_licence_state(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return filter_by_licence_state(qs, value)

    def filter_is_key_unit(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(is_key_unit=value == "true")


class LicenceFilter(filters.FilterSet):
    type = filters.ChoiceFilter(field_name="licence_type", choices=LicenceType.choices, label="证照类型")
    state = filters.ChoiceFilter(choices=LICENCE_STATES, method="filter_state", label="有效状态（以今日计算）")
    status = filters.ChoiceFilter(choices=LicenceStatus.choices, label="登记状态")
    enterprise = IdFilter(field_name="enterprise_id", label="持证单位ID")
    valid_to_after = DateFilter(field_name="valid_to", lookup_expr="gte", label="有效期至不早于（YYYY-MM-DD）")
    valid_to_before = DateFilter(field_name="valid_to", lookup_expr="lte", label="有效期至不晚于（YYYY-MM-DD）")

    class Meta:
        model = Licence
        fields: list[str] = []

    def filter_state(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(licence_state_q(value))


class LicenceApplicationFilter(filters.FilterSet):
    licence = IdFilter(field_name="licence_id", label="证照ID")
    enterprise = IdFilter(field_name="licence__enterprise_id", label="企业ID")
    kind = filters.ChoiceFilter(choices=ApplicationKind.choices, label="申请类型")
    status = filters.ChoiceFilter(choices=ApplicationStatus.choices, label="审查状态")

    class Meta:
        model = LicenceApplication
        fields: list[str] = []


class RegistrationChangeFilter(filters.FilterSet):
    enterprise = IdFilter(field_name="enterprise_id", label="企业ID")
    field = filters.ChoiceFilter(choices=ChangeField.choices, label="变更事项")
    changed_after = DateFilter(field_name="changed_on", lookup_expr="gte", label="变更日期不早于（YYYY-MM-DD）")
    changed_before = DateFilter(field_name="changed_on", lookup_expr="lte", label="变更日期不晚于（YYYY-MM-DD）")

    class Meta:
        model = RegistrationChange
        fields: list[str] = []


class PlanFilingFilter(filters.FilterSet):
    enterprise = IdFilter(field_name="enterprise_id", label="企业ID")
    filed = StrictBooleanFilter(method="filter_filed", label="是否已备案（true/false）")

    class Meta:
        model = EmergencyPlanFiling
        fields: list[str] = []

    def filter_filed(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(filed_on__isnull=value != "true")


class HazardSourceFilter(filters.FilterSet):
    enterprise = IdFilter(field_name="enterprise_id", label="企业ID")
    grade = filters.ChoiceFilter(choices=[(1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")], label="等级")
    filed = StrictBooleanFilter(method="filter_filed", label="是否已备案（true/false）")

    class Meta:
        model = MajorHazardSource
        fields: list[str] = []

    def filter_filed(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(filed_on__isnull=value != "true")


class ReportObligationFilter(filters.FilterSet):
    enterprise = IdFilter(field_name="enterprise_id", label="企业ID")
    kind = filters.ChoiceFilter(choices=ReportKind.choices, label="报送事项")
    period = filters.CharFilter(max_length=16, label="报送期间，如 2026-Q3")
    submitted = StrictBooleanFilter(method="filter_submitted", label="是否已报送（true/false）")
    due_after = DateFilter(field_name="due_on", lookup_expr="gte", label="截止日期不早于（YYYY-MM-DD）")
    due_before = DateFilter(field_name="due_on", lookup_expr="lte", label="截止日期不晚于（YYYY-MM-DD）")

    class Meta:
        model = ReportObligation
        fields: list[str] = []

    def filter_submitted(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(submitted_on__isnull=value != "true")


class PrecursorReportFilter(filters.FilterSet):
    enterprise = IdFilter(field_name="enterprise_id", label="企业ID")
    year = IntegerFilter(field_name="year", min_value=1900, max_value=9999, label="报告年度")

    class Meta:
        model = PrecursorAnnualReport
        fields: list[str] = []


class ActivityFilter(filters.FilterSet):
    enterprise = IdFilter(field_name="enterprise_id", label="企业ID")
    kind = filters.ChoiceFilter(choices=ActivityKind.choices, label="类型")
    occurred_after = DateFilter(field_name="occurred_on", lookup_expr="gte", label="发生日期不早于（YYYY-MM-DD）")
    occurred_before = DateFilter(field_name="occurred_on", lookup_expr="lte", label="发生日期不晚于（YYYY-MM-DD）")

    class Meta:
        model = ActivitySignal
        fields: list[str] = []
