"""REST API of the access-request workflow (调阅申请) under /api/v1/access-requests/.

- GET  access-requests/                 requests the user may see (own; supervisors: their subtree;
                                        auditors and system admins: all). Filters: status, mine
- POST access-requests/                 apply: purpose, case_reference, starts_at, ends_at, items
- GET  access-requests/queue/           pending requests the user may decide
- GET  access-requests/{id}/            one request with its objects and decision
- POST access-requests/{id}/decision/   approve or refuse (supervisor / system admin, not the requester)
- POST access-requests/{id}/withdraw/   the requester withdraws a pending request

A request outside the user's scope answers 404 like a missing one. Every error is the structured
`{"error": {...}}` body of zhifa.common.api; the gate's refusals elsewhere (evidence download,
personal-data reveal) are 403 `ACCESS_NOT_GRANTED` / `ACCESS_OUTSIDE_WINDOW`.
"""
from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from zhifa.common.api_views import ZhifaAPIMixin
from zhifa.common.errors import CommonErrorCode, ZhifaError
from zhifa.common.pagination import ZhifaPageNumberPagination

from . import clock, rules, selectors, services
from .choices import DecisionOutcome, ObjectType, RequestStatus
from .models import AccessDecision, AccessRequest, AccessRequestItem

TAG = "调阅申请"
MAX_ID = 2**63 - 1


# --- serializers ------------------------------------------------------------------------------


class AccessRequestItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessRequestItem
        fields = ["object_type", "object_id", "object_label"]


class AccessDecisionSerializer(serializers.ModelSerializer):
    decided_by_name = serializers.CharField(source="decided_by.__str__", read_only=True)

    class Meta:
        model = AccessDecision
        fields = ["outcome", "decided_by", "decided_by_name", "decided_at", "reason"]


class AccessRequestSerializer(serializers.ModelSerializer):
    requester_name = serializers.CharField(source="requester.__str__", read_only=True)
    status = serializers.SerializerMethodField()
    items = AccessRequestItemSerializer(many=True, read_only=True)
    decision = serializers.SerializerMethodField()

    class Meta:
        model = AccessRequest
        fields = [
            "id",
            "requester",
            "requester_name",
            "organisation",
            "purpose",
            "case_reference",
            "starts_at",
            "ends_at",
            "created_at",
            "status",
            "items",
            "decision",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=RequestStatus.choices))
    def get_status(self, obj: AccessRequest) -> str:
        annotated = getattr(obj, "status", None)
        return annotated if annotated else selectors.status_of(obj).value

    @extend_schema_field(AccessDecisionSerializer(allow_null=True))
    def get_decision(self, obj: AccessRequest):
        decision = selectors.decision_of(obj)
        return AccessDecisionSerializer(decision).data if decision else None


class ObjectInputSerializer(serializers.Serializer):
    object_type = serializers.ChoiceField(choices=ObjectType.choices, help_text="evidence_item（证据文件）或 person_personal_data（个人信息）")
    object_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class AccessRequestCreateSerializer(serializers.Serializer):
    purpose = serializers.CharField(max_length=rules.PURPOSE_MAX_LENGTH, help_text=f"调阅用途，至少{rules.PURPOSE_MIN_LENGTH}个字（SEC-01、SEC-05）")
    case_reference = serializers.CharField(max_length=rules.CASE_REFERENCE_MAX_LENGTH, help_text="关联的案件或检查编号（SEC-01）")
    starts_at = serializers.DateTimeField(help_text="调阅开始时间（含），ISO 8601，含时区")
    ends_at = serializers.DateTimeField(help_text=f"调阅结束时间（不含），与开始时间相差最长{rules.MAX_WINDOW.days}天")
    items = ObjectInputSerializer(many=True, help_text=f"调阅对象，1至{rules.MAX_OBJECTS_PER_REQUEST}个")

    def validate_items(self, value):
        if not 1 <= len(value) <= rules.MAX_OBJECTS_PER_REQUEST:
            raise serializers.ValidationError(f"调阅对象须为1至{rules.MAX_OBJECTS_PER_REQUEST}个")
        return value


class DecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[(DecisionOutcome.APPROVED.value, "批准"), (DecisionOutcome.REFUSED.value, "不予批准")])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, help_text="不予批准时必填")


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AccessRequestFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RequestStatus.choices, required=False)
    mine = serializers.BooleanField(required=False, default=False, help_text="只看本人提交的申请")


# --- views ------------------------------------------------------------------------------------


class AccessRequestMixin(ZhifaAPIMixin):
    def get_queryset(self):
        return selectors.requests_visible_to(self.request.user).select_related("requester", "decision", "decision__decided_by", "organisation")

    def get_request_object(self) -> AccessRequest:
        pk = self.kwargs["pk"]
        found = self.get_queryset().filter(pk=pk).first() if pk <= MAX_ID else None
        if found is None:
            raise ZhifaError(CommonErrorCode.NOT_FOUND, "调阅申请不存在或无权查看", status=404)
        return found


class AccessRequestListCreateView(AccessRequestMixin, generics.GenericAPIView):
    """调阅申请列表与提交。"""

    pagination_class = ZhifaPageNumberPagination
    parser_classes = [JSONParser, FormParser]
    serializer_class = AccessRequestSerializer
    # Applying is not a change to any enforcement record: auditors (read-only) may apply for
    # evidence files too; the service checks each role against each kind of object (SEC-01).
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="调阅申请列表", parameters=[AccessRequestFilterSerializer], responses=AccessRequestSerializer(many=True))
    def get(self, request):
        params = AccessRequestFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        qs = selectors.with_status(self.get_queryset(), clock.now()).prefetch_related("items")
        if params.validated_data.get("status"):
            qs = qs.filter(status=params.validated_data["status"])
        if params.validated_data.get("mine"):
            qs = qs.filter(requester=request.user)
        page = self.paginate_queryset(qs.order_by("-created_at", "-pk"))
        return self.get_paginated_response(AccessRequestSerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="提交调阅申请（REC-17）",
        description=(
            "写明用途、案件/检查编号、调阅期限（左闭右开，最长"
            f"{rules.MAX_WINDOW.days}天）和调阅对象。对象须在申请人的可见范围内。"
            "企业联系人不能申请；执法监督只能申请证据文件。提交记入账本（access.request.create）。"
        ),
        request=AccessRequestCreateSerializer,
        responses={201: AccessRequestSerializer},
    )
    def post(self, request):
        data = AccessRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        created = services.access_request_create(
            actor=request.user,
            purpose=v["purpose"],
            case_reference=v["case_reference"],
            starts_at=v["starts_at"],
            ends_at=v["ends_at"],
            items=[(i["object_type"], i["object_id"]) for i in v["items"]],
        )
        return Response(AccessRequestSerializer(self.get_queryset().get(pk=created.pk)).data, status=status.HTTP_201_CREATED)


class AccessQueueView(AccessRequestMixin, generics.GenericAPIView):
    """待本人审批的调阅申请。"""

    pagination_class = ZhifaPageNumberPagination
    serializer_class = AccessRequestSerializer

    @extend_schema(tags=[TAG], summary="待审批的调阅申请", responses=AccessRequestSerializer(many=True))
    def get(self, request):
        qs = selectors.approval_queue(request.user).select_related("requester", "organisation").prefetch_related("items")
        page = self.paginate_queryset(qs.order_by("created_at", "pk"))
        return self.get_paginated_response(AccessRequestSerializer(page, many=True).data)


class AccessRequestDetailView(AccessRequestMixin, generics.GenericAPIView):
    """一项调阅申请：对象、期限、状态和审批结论。"""

    serializer_class = AccessRequestSerializer

    @extend_schema(tags=[TAG], summary="调阅申请详情", responses=AccessRequestSerializer)
    def get(self, request, pk: int):
        return Response(AccessRequestSerializer(self.get_request_object()).data)


class AccessDecisionView(AccessRequestMixin, generics.GenericAPIView):
    """审批调阅申请（批准或不予批准，结论为最终结论）。"""

    parser_classes = [JSONParser, FormParser]
    serializer_class = DecisionInputSerializer

    @extend_schema(
        tags=[TAG],
        summary="审批调阅申请（REC-17）",
        description=(
            "仅科室负责人/局领导或系统管理员，且申请人所在机构在其管辖范围内；审批人不得为申请人本人。"
            "只能审批待审批且期限未过的申请；结论不可更改。记入账本（access.request.approve / refuse）。"
        ),
        request=DecisionInputSerializer,
        responses={201: AccessRequestSerializer},
    )
    def post(self, request, pk: int):
        target = self.get_request_object()
        data = DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.access_request_decide(actor=request.user, request=target, outcome=data.validated_data["outcome"], reason=data.validated_data["reason"])
        return Response(AccessRequestSerializer(self.get_queryset().get(pk=target.pk)).data, status=status.HTTP_201_CREATED)


class AccessWithdrawView(AccessRequestMixin, generics.GenericAPIView):
    """申请人撤回待审批的调阅申请。"""

    parser_classes = [JSONParser, FormParser]
    serializer_class = WithdrawInputSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], summary="撤回调阅申请", request=WithdrawInputSerializer, responses={201: AccessRequestSerializer})
    def post(self, request, pk: int):
        target = self.get_request_object()
        data = WithdrawInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.access_request_withdraw(actor=request.user, request=target, reason=data.validated_data["reason"])
        return Response(AccessRequestSerializer(self.get_queryset().get(pk=target.pk)).data, status=status.HTTP_201_CREATED)


__all__ = ["AccessDecisionView", "AccessQueueView", "AccessRequestDetailView", "AccessRequestListCreateView", "AccessWithdrawView"]
