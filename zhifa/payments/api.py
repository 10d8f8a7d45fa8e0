"""REST API of the payments app under /api/v1/.

- POST payments/callback/          the payment platform's signed notification (no login; HMAC-SHA256
                                   signature in the `X-Zhifa-Signature` header, docs/payments.md)
- GET  payment-notices/            notices the user may see, with the status as of today
- GET  payment-notices/{id}/       one notice with its status and events

Access is per object (selectors.notices_visible_to): a foreign notice answers 404 like a missing
one. Every error is the structured `{"error": {...}}` body of zhifa.common.api.
"""
from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifa.common.api_views import ZhifaReadOnlyViewSet
from zhifa.common.openapi import ErrorResponseSerializer, ZhifaAutoSchema

from . import selectors, services
from .models import PaymentEvent, PaymentNotice
from .platform import SIGNATURE_HEADER

TAG = "缴款"


class PaymentEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentEvent
        fields = [
            "kind", "at", "amount", "paid_at", "channel", "transaction_id", "fiscal_receipt_no", "new_due_on", "applied_on",
            "instalments", "pause_kind", "period_start", "period_end", "served_on", "document_number", "note",
        ]


class NoticeStatusSerializer(serializers.Serializer):
    on = serializers.DateField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    fine = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    late_fee_due = serializers.DecimalField(max_digits=14, decimal_places=2)
    amount_due = serializers.DecimalField(max_digits=14, decimal_places=2)
    overpaid = serializers.DecimalField(max_digits=14, decimal_places=2)
    overdue_days = serializers.IntegerField()
    due_on = serializers.DateField()
    original_due_on = serializers.DateField()
    settled = serializers.BooleanField()
    settled_on = serializers.DateField(allow_null=True)
    cancelled = serializers.BooleanField()
    last_reminder_on = serializers.DateField(allow_null=True)


class PaymentNoticeSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = PaymentNotice
        fields = [
            "id", "ref", "organisation", "organisation_name", "enterprise", "payer_name", "payer_id_masked", "decision_number",
            "decision_served_on", "fine", "due_on", "late_fee_rate", "late_fee_cap_ratio", "payment_code", "platform_ref",
            "issued_at", "status",
        ]

    @extend_schema(responses=NoticeStatusSerializer)
    def get_status(self, obj: PaymentNotice) -> dict:
        return NoticeStatusSerializer(selectors.notice_status(obj)).data


class PaymentNoticeDetailSerializer(PaymentNoticeSerializer):
    events = PaymentEventSerializer(many=True, read_only=True)

    class Meta(PaymentNoticeSerializer.Meta):
        fields = [*PaymentNoticeSerializer.Meta.fields, "events"]


@extend_schema(tags=[TAG])
class PaymentNoticeViewSet(ZhifaReadOnlyViewSet):
    """缴款通知（只读）：执法人员看本机构及下级机构的，企业联系人看本企业的。"""

    filterset_fields = ["enterprise", "payment_code"]

    def get_queryset(self):
        return selectors.notices_visible_to(self.request.user).select_related("organisation").prefetch_related("events").order_by("-issued_at", "-pk")

    def get_serializer_class(self):
        return PaymentNoticeDetailSerializer if self.action == "retrieve" else PaymentNoticeSerializer


class CallbackResultSerializer(serializers.Serializer):
    duplicate = serializers.BooleanField(help_text="同一交易流水号已记录过（幂等重放）")
    kind = serializers.CharField(help_text="PAID（已缴清）或 PARTIAL（部分缴纳）")
    payment_code = serializers.CharField()
    transaction_id = serializers.CharField()
    settled = serializers.BooleanField()


class CallbackPayloadSerializer(serializers.Serializer):
    payment_code = serializers.CharField(help_text="缴款码")
    platform_ref = serializers.CharField(required=False, help_text="平台业务流水号")
    transaction_id = serializers.CharField(help_text="平台交易流水号（幂等键）")
    amount = serializers.CharField(help_text="缴款金额，文本，如 1030.00")
    paid_at = serializers.CharField(help_text="缴款时间，ISO 8601 带时区")
    channel = serializers.ChoiceField(choices=["BANK", "ONLINE_BANK", "E_PAY"], help_text="缴款渠道")
    fiscal_receipt_no = serializers.CharField(required=False, help_text="财政电子票据号")


class PaymentCallbackView(APIView):
    """The payment platform's notification of a payment (罚缴分离, PAY-02).

    No login: the request is authenticated by its HMAC-SHA256 signature over the canonical JSON body,
    sent as `X-Zhifa-Signature: sha256=<hex>`. Idempotent on `transaction_id`.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    schema = ZhifaAutoSchema()

    @extend_schema(
        tags=[TAG],
        operation_id="payments_callback",
        request=CallbackPayloadSerializer,
        parameters=[OpenApiParameter(SIGNATURE_HEADER, str, OpenApiParameter.HEADER, required=True, description="sha256=<HMAC-SHA256 十六进制>")],
        responses={
            200: CallbackResultSerializer,
            400: ErrorResponseSerializer,
            403: OpenApiResponse(ErrorResponseSerializer, description="签名校验失败（PAY_BAD_SIGNATURE）"),
            404: OpenApiResponse(ErrorResponseSerializer, description="缴款码不存在（PAY_UNKNOWN_PAYMENT_CODE）"),
            409: OpenApiResponse(ErrorResponseSerializer, description="同一交易流水号内容不一致（PAY_CALLBACK_CONFLICT）"),
        },
    )
    def post(self, request):
        signature = request.headers.get(SIGNATURE_HEADER, "")
        event = services.payment_callback_record(request.data, signature)
        notice = event.notice
        body = {
            "duplicate": bool(getattr(event, "duplicate", False)),
            "kind": event.kind,
            "payment_code": notice.payment_code,
            "transaction_id": event.transaction_id,
            "settled": selectors.notice_status(notice).settled,
        }
        return Response(body, status=status.HTTP_200_OK)
