"""REST API of the notifications app under /api/v1/.

- POST notifications/delivery-reports/   a gateway's delivery report (SMS, or an e-mail relay's DSN),
                                         authenticated by `X-Zhifa-Signature: sha256=<HMAC-SHA256 of
                                         the body with ZHIFA_SMS_REPORT_SECRET>` (docs/notifications.md)
- GET  notifications/messages/           messages in the caller's scope, with derived status (staff)
- GET  notifications/messages/{id}/      one message with its delivery events and service date (SRV-03)

Errors are the structured `{"error": {...}}` body; a bad signature is 403, an unknown
provider_ref 404, a replayed report 200 with `duplicate: true`.
"""
from __future__ import annotations

import json
from datetime import datetime

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifa.common.api_views import ZhifaAPIMixin
from zhifa.common.openapi import ErrorResponseSerializer, ZhifaAutoSchema
from zhifa.common.pagination import ZhifaPageNumberPagination
from zhifa.common.text import clean_text

from . import rules, selectors, services
from .choices import DeliveryKind, ReportStatus
from .errors import NotificationErrorCode, not_found, notify_error
from .models import Delivery, Message
from .signing import SIGNATURE_HEADER, signature_valid

TAG = "通知与电子送达"
MAX_REPORT_BYTES = 16 * 1024
MAX_ID = 2**63 - 1


class DeliveryReportInputSerializer(serializers.Serializer):
    provider_ref = serializers.CharField(max_length=200, help_text="发送时通道返回的编号（如 sms-12-3f9a…）")
    status = serializers.ChoiceField(choices=ReportStatus.choices, help_text="DELIVERED 已送达 / FAILED 送达失败")
    arrived_at = serializers.CharField(
        required=False, allow_null=True, max_length=40, help_text="到达受送达人指定系统的时间，ISO 8601 且带时区，如 2026-05-01T00:01:00+08:00（SRV-03）"
    )
    detail = serializers.CharField(required=False, allow_blank=True, max_length=500, help_text="网关说明")


class DeliveryReportResultSerializer(serializers.Serializer):
    message = serializers.IntegerField(help_text="消息ID")
    kind = serializers.ChoiceField(choices=DeliveryKind.choices)
    occurred_at = serializers.DateTimeField()
    duplicate = serializers.BooleanField(help_text="重复推送的回执（未新增记录）")


class DeliveryEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = ["kind", "occurred_at", "recorded_at", "source", "provider_ref", "detail"]


class MessageSerializer(serializers.ModelSerializer):
    address_masked = serializers.SerializerMethodField(help_text="脱敏显示的接收地址")
    status = serializers.SerializerMethodField()
    arrived_at = serializers.SerializerMethodField(help_text="到达受送达人指定系统的时间（SRV-03）")
    service_date = serializers.SerializerMethodField(help_text="电子送达日期 = 到达日期（SRV-03）")

    class Meta:
        model = Message
        fields = [
            "id", "channel", "address_masked", "enterprise", "recipient", "organisation", "subject", "attachments", "ref",
            "is_eservice", "consent", "created_by", "created_at", "status", "arrived_at", "service_date",
        ]

    def get_address_masked(self, obj: Message) -> str:
        return rules.mask_address_for(obj.channel, obj.address)

    def get_status(self, obj: Message) -> str:
        return selectors.annotated_status(obj).value if hasattr(obj, "has_sent") else selectors.message_status(obj).value

    def get_arrived_at(self, obj: Message) -> datetime | None:
        return getattr(obj, "arrived_at", None) if hasattr(obj, "has_sent") else selectors.message_arrived_at(obj)

    def get_service_date(self, obj: Message) -> str | None:
        day = rules.service_date(self.get_arrived_at(obj))
        return day.isoformat() if day else None


class MessageDetailSerializer(MessageSerializer):
    events = serializers.SerializerMethodField()

    class Meta(MessageSerializer.Meta):
        fields = [*MessageSerializer.Meta.fields, "body", "events"]

    def get_events(self, obj: Message) -> list[dict]:
        return DeliveryEventSerializer(selectors.message_events(obj), many=True).data


def _parse_moment(value: str | None) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise notify_error(NotificationErrorCode.INVALID_INPUT, "到达时间格式无效，应为 ISO 8601（如 2026-05-01T00:01:00+08:00）", field="arrived_at") from None


class DeliveryReportView(APIView):
    """Gateways are not users: no session or token, the shared-secret HMAC of the body authenticates."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    schema = ZhifaAutoSchema()

    @extend_schema(
        tags=[TAG],
        summary="接收网关送达回执（SRV-03）",
        description="网关以共享密钥对请求体计算 HMAC-SHA256，放在请求头 X-Zhifa-Signature: sha256=<十六进制>。"
        "DELIVERED 登记“已到达”，其 arrived_at 即电子送达日期的依据；重复推送同一回执返回 200（duplicate=true）。",
        parameters=[OpenApiParameter(SIGNATURE_HEADER, type=str, location=OpenApiParameter.HEADER, required=True, description="sha256=<HMAC-SHA256(secret, body) 的十六进制>")],
        request=DeliveryReportInputSerializer,
        responses={
            201: DeliveryReportResultSerializer,
            200: DeliveryReportResultSerializer,
            400: ErrorResponseSerializer,
            403: OpenApiResponse(ErrorResponseSerializer, description="签名无效（NOTIFY_REPORT_SIGNATURE_INVALID）"),
            404: OpenApiResponse(ErrorResponseSerializer, description="没有以该编号发出的消息（NOTIFY_UNKNOWN_PROVIDER_REF）"),
            409: OpenApiResponse(ErrorResponseSerializer, description="与已登记的到达时间矛盾（NOTIFY_REPORT_CONFLICT）"),
        },
    )
    def post(self, request):
        body = request.body
        if len(body) > MAX_REPORT_BYTES:
            raise notify_error(NotificationErrorCode.INVALID_INPUT, "回执内容过大")
        secret = getattr(settings, "ZHIFA_SMS_REPORT_SECRET", "")
        if not signature_valid(secret, body, request.headers.get(SIGNATURE_HEADER)):
            raise notify_error(NotificationErrorCode.SIGNATURE_INVALID, "回执签名无效，未予登记", status=403)
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise notify_error(NotificationErrorCode.INVALID_INPUT, "回执内容应为 UTF-8 编码的 JSON") from None
        if not isinstance(data, dict):
            raise notify_error(NotificationErrorCode.INVALID_INPUT, "回执内容应为 JSON 对象")
        serializer = DeliveryReportInputSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        v = serializer.validated_data
        outcome = services.delivery_report_record(
            provider_ref=v["provider_ref"], arrived_at=_parse_moment(v.get("arrived_at")), status=v["status"], detail=v.get("detail", "")
        )
        result = {"message": outcome.message.pk, "kind": outcome.delivery.kind, "occurred_at": outcome.delivery.occurred_at, "duplicate": not outcome.created}
        return Response(DeliveryReportResultSerializer(result).data, status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK)


class MessageListView(ZhifaAPIMixin, generics.GenericAPIView):
    pagination_class = ZhifaPageNumberPagination
    serializer_class = MessageSerializer

    def get_queryset(self):
        return selectors.with_delivery_state(selectors.messages_for_staff(self.request.user)).order_by("-created_at", "-pk")

    @extend_schema(
        tags=[TAG],
        summary="消息列表（本机构范围）",
        parameters=[OpenApiParameter("ref", str, description="关联对象，如 cases.Case:12"), OpenApiParameter("channel", str)],
        responses=MessageSerializer(many=True),
    )
    def get(self, request):
        qs = self.get_queryset()
        # Filters are plain text: clean_text drops NUL and other control characters (PostgreSQL
        # refuses NUL in text, which would be a 500).
        ref = clean_text(request.query_params.get("ref"), 64)
        if ref:
            qs = qs.filter(ref=ref)
        channel = clean_text(request.query_params.get("channel"), 16)
        if channel:
            qs = qs.filter(channel=channel)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(MessageSerializer(page, many=True).data)


class MessageDetailView(ZhifaAPIMixin, generics.GenericAPIView):
    serializer_class = MessageDetailSerializer

    @extend_schema(tags=[TAG], summary="消息详情：送达事件与送达日期（SRV-03）", responses=MessageDetailSerializer)
    def get(self, request, pk: int):
        pk = int(pk)
        message = selectors.with_delivery_state(selectors.messages_for_staff(request.user)).filter(pk=pk).first() if pk <= MAX_ID else None
        if message is None:
            raise not_found()
        return Response(MessageDetailSerializer(message).data)
