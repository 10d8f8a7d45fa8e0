"""REST API of the subject register under /api/v1/ (read-only; issue 2 item 9).

Access is per object: every queryset starts from `enterprises_visible_to(user)` (staff: their
organisation subtree; enterprise contacts: their authorised enterprises, SUB-17; auditors and
system admins: everything), so a foreign object answers 404 `COMMON_NOT_FOUND` exactly like a
missing one. Register writes happen through the import endpoint and the admin site; here every
unsafe method is a structured 405 (403 `COMMON_READ_ONLY_ROLE` for auditors).
"""
from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from zhifa.common.api_views import ID_PATH_REGEX, ZhifaAPIMixin, ZhifaReadOnlyViewSet
from zhifa.common.errors import ZhifaError
from zhifa.common.ids import InvalidIdentifier, validate_uscc
from zhifa.common.pagination import IdCursorPagination

from . import filters, serializers
from .errors import SubjectErrorCode
from .models import (
    ActivitySignal,
    EmergencyPlanFiling,
    EnterprisePerson,
    Licence,
    LicenceApplication,
    MajorHazardSource,
    PrecursorAnnualReport,
    RegistrationChange,
    ReportObligation,
)
from .selectors import enterprises_visible_to, persons_visible_to, scoped_to_visible_enterprises
from .services import REVEALABLE_FIELDS, person_reveal_field

SCOPE_NOTE = (
    "可见范围：执法人员、科室负责人、法制审核人员、设备/数据管理员为本机构及下级机构；"
    "企业联系人为其在授权有效期内的企业；执法监督与系统管理员为全部。范围外的对象按不存在处理（404）。"
)


class RegisterViewSet(ZhifaReadOnlyViewSet):
    """Filters apply to lists only; a detail URL ignores query parameters."""

    enterprise_field = "enterprise"
    base_queryset: QuerySet

    def get_queryset(self):
        return scoped_to_visible_enterprises(self.base_queryset.all(), self.request.user, self.enterprise_field)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


def _list_doc(summary: str, description: str, tag: str):
    return extend_schema(summary=summary, description=f"{description}\n\n{SCOPE_NOTE}", tags=[tag])


def _detail_doc(summary: str, tag: str):
    return extend_schema(summary=summary, description=f"按ID查看。{SCOPE_NOTE}", tags=[tag])


@extend_schema_view(
    list=_list_doc("企业列表", "按名称关键字或统一社会信用代码、机构（含下级）、行业、证照状态、重点单位筛选；分页。", "企业"),
    retrieve=extend_schema(
        summary="企业详情",
        description=f"含主要负责人（脱敏）、企业人员（脱敏）和全部证照及其审查中的申请。{SCOPE_NOTE}",
        tags=["企业"],
    ),
    by_uscc=extend_schema(
        summary="按统一社会信用代码查看企业",
        description=f"代码按 GB 32100-2015 校验（含校验位），格式无效返回 400 SUBJECTS_INVALID_USCC。{SCOPE_NOTE}",
        tags=["企业"],
        parameters=[OpenApiParameter("uscc", OpenApiTypes.STR, OpenApiParameter.PATH, description="18 位统一社会信用代码")],
    ),
)
class EnterpriseViewSet(RegisterViewSet):
    filterset_class = filters.EnterpriseFilter

    def get_queryset(self):
        qs = enterprises_visible_to(self.request.user).select_related("organisation").order_by("name", "id")
        if self.action != "list":
            licences = Licence.objects.order_by(F("valid_to").asc(nulls_last=True), "id").prefetch_related("applications")
            qs = qs.select_related("principal").prefetch_related(
                Prefetch("people", queryset=EnterprisePerson.objects.select_related("person").order_by("role", "id")),
                Prefetch("licences", queryset=licences),
            )
        return qs

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.EnterpriseSerializer
        return serializers.EnterpriseDetailSerializer

    @action(detail=False, methods=["get"], url_path=r"by-uscc/(?P<uscc>[^/]+)")
    def by_uscc(self, request, uscc: str = ""):
        try:
            code = validate_uscc(uscc)
        except InvalidIdentifier as exc:
            raise ZhifaError(SubjectErrorCode.INVALID_USCC, exc.reason, field="uscc", rule="SUB-01") from None
        enterprise = get_object_or_404(self.get_queryset(), uscc=code)
        return Response(self.get_serializer(enterprise).data)


@extend_schema_view(
    list=_list_doc("证照列表", "按证照类型、有效状态（以今日计算：已过期/90 日内到期/有效/暂扣吊销注销）、企业、有效期至区间筛选；分页。", "证照"),
    retrieve=_detail_doc("证照详情（含延期/变更申请）", "证照"),
)
class LicenceViewSet(RegisterViewSet):
    base_queryset = Licence.objects.select_related("enterprise").order_by(F("valid_to").asc(nulls_last=True), "id")
    filterset_class = filters.LicenceFilter

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action != "list":
            qs = qs.prefetch_related(Prefetch("applications", queryset=LicenceApplication.objects.order_by("-submitted_on", "-id")))
        return qs

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.LicenceSerializer
        return serializers.LicenceDetailSerializer


@extend_schema_view(
    list=_list_doc("证照延期/变更申请列表", "按证照、企业、申请类型、审查状态筛选；分页。", "证照"),
    retrieve=_detail_doc("证照延期/变更申请详情", "证照"),
)
class LicenceApplicationViewSet(RegisterViewSet):
    base_queryset = LicenceApplication.objects.order_by("-submitted_on", "-id")
    enterprise_field = "licence__enterprise"
    filterset_class = filters.LicenceApplicationFilter
    serializer_class = serializers.LicenceApplicationSerializer


@extend_schema_view(
    list=_list_doc("工商登记变更列表", "主要负责人、名称、注册地址、隶属关系的变更记录；按企业、变更事项、变更日期区间筛选；分页。", "登记与备案"),
    retrieve=_detail_doc("工商登记变更详情", "登记与备案"),
)
class RegistrationChangeViewSet(RegisterViewSet):
    base_queryset = RegistrationChange.objects.select_related("enterprise").order_by("-changed_on", "-id")
    filterset_class = filters.RegistrationChangeFilter
    serializer_class = serializers.RegistrationChangeSerializer


@extend_schema_view(
    list=_list_doc("应急预案备案列表", "按企业、是否已备案筛选；分页（SUB-10）。", "登记与备案"),
    retrieve=_detail_doc("应急预案备案详情", "登记与备案"),
)
class PlanFilingViewSet(RegisterViewSet):
    base_queryset = EmergencyPlanFiling.objects.select_related("enterprise").order_by("-published_on", "-id")
    filterset_class = filters.PlanFilingFilter
    serializer_class = serializers.EmergencyPlanFilingSerializer


@extend_schema_view(
    list=_list_doc("重大危险源列表", "按企业、等级、是否已备案筛选；分页（SUB-09）。", "登记与备案"),
    retrieve=_detail_doc("重大危险源详情", "登记与备案"),
)
class HazardSourceViewSet(RegisterViewSet):
    base_queryset = MajorHazardSource.objects.select_related("enterprise").order_by("code", "id")
    filterset_class = filters.HazardSourceFilter
    serializer_class = serializers.MajorHazardSourceSerializer


@extend_schema_view(
    list=_list_doc("数据报送义务列表", "按企业、报送事项、期间、是否已报送、截止日期区间筛选；分页（CLU-S01）。", "登记与备案"),
    retrieve=_detail_doc("数据报送义务详情", "登记与备案"),
)
class ReportObligationViewSet(RegisterViewSet):
    base_queryset = ReportObligation.objects.select_related("enterprise").order_by("-due_on", "-id")
    filterset_class = filters.ReportObligationFilter
    serializer_class = serializers.ReportObligationSerializer


@extend_schema_view(
    list=_list_doc("易制毒化学品年度报告列表", "按企业、报告年度筛选；分页（SUB-11）。", "登记与备案"),
    retrieve=_detail_doc("易制毒化学品年度报告详情", "登记与备案"),
)
class PrecursorReportViewSet(RegisterViewSet):
    base_queryset = PrecursorAnnualReport.objects.select_related("enterprise").order_by("-year", "-id")
    filterset_class = filters.PrecursorReportFilter
    serializer_class = serializers.PrecursorAnnualReportSerializer


@extend_schema_view(
    list=_list_doc(
        "经营活动记录列表",
        "生产、销售、使用、储存记录（证明企业仍在经营）。按企业、类型、发生日期区间筛选。"
        "此表数据量大，按ID倒序游标分页：请沿响应中的 next 链接翻页，无效游标返回 400。",
        "经营活动",
    ),
    retrieve=_detail_doc("经营活动记录详情", "经营活动"),
)
class ActivityViewSet(RegisterViewSet):
    base_queryset = ActivitySignal.objects.all()
    filterset_class = filters.ActivityFilter
    serializer_class = serializers.ActivitySignalSerializer
    pagination_class = IdCursorPagination


class PersonRevealViewSet(ZhifaAPIMixin, viewsets.GenericViewSet):
    """The only way to see a natural person's raw ID number, phone or address (SEC-02, SEC-03)."""

    serializer_class = serializers.RevealRequestSerializer
    lookup_value_regex = ID_PATH_REGEX
    # Revealing is a logged read, not a write: the service itself refuses auditors with the
    # SEC-03 reason, so the read-only-role guard is not applied here.
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return persons_visible_to(self.request.user)

    @extend_schema(
        summary="查看未脱敏的个人信息",
        description=(
            "仅限本局工作人员（执法人员、科室负责人、法制审核人员、设备/数据管理员、系统管理员），须填写用途；"
            "每次查看记入账本（动作 personal_data.reveal，SEC-02、SEC-03）。执法监督与企业联系人返回 403 SUBJECTS_REVEAL_NOT_ALLOWED；"
            "未填写用途返回 400 SUBJECTS_REVEAL_PURPOSE_REQUIRED。只能查看与可见企业相关的人员，其他人员按不存在处理（404）。"
        ),
        tags=["个人信息"],
        request=serializers.RevealRequestSerializer,
        responses={200: serializers.RevealResponseSerializer},
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        person = self.get_object()
        data = self._validated(request)
        value = person_reveal_field(user=request.user, person=person, field=data["field"], purpose=data["purpose"])
        response = Response({"person": person.pk, "field": data["field"], "field_label": REVEALABLE_FIELDS[data["field"]], "value": value})
        response["Cache-Control"] = "no-store"
        return response

    def _validated(self, request) -> dict:
        serializer = serializers.RevealRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
