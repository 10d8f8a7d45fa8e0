"""REST API of the evidence store under /api/v1/evidence/ (issue 3 item 6).

- GET  evidence/                      list (filters: kind, source, review_status, enterprise, all_versions)
- POST evidence/                      multipart upload → 201 only after the file is fsynced and the rows committed
- GET  evidence/{id}/                 detail with reviews, custody and versions (logged: SEC-02)
- POST evidence/{id}/reviews/         review against the EVI-06 criteria
- POST evidence/{id}/corrections/     a correction = a new version (EVI-09), optional new file
- GET  evidence/{id}/download/        the file, as an attachment (logged: SEC-02)

Access is per object (`evidence_visible_to`): a foreign item answers 404 like a missing one.
Every error is the structured `{"error": {...}}` body of zhifa.common.api.
"""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from zhifa.accounts.choices import Role
from zhifa.common.api_views import ZhifaAPIMixin
from zhifa.common.errors import CommonErrorCode, ZhifaError
from zhifa.common.pagination import ZhifaPageNumberPagination
from zhifa.subjects.models import Enterprise
from zhifa.subjects.selectors import enterprises_visible_to

from . import selectors, services
from .choices import AdmissibilityStatus, CopyMethod, EvidenceKind, EvidenceSource
from .models import CustodyEvent, EvidenceFile, EvidenceItem, EvidenceReview
from .rules import admissibility
from .views import MAX_ID, attachment_response

TAG = "证据"


# --- serializers ------------------------------------------------------------------------------


class EvidenceFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceFile
        fields = ["sha256", "size", "detected_content_type", "declared_content_type", "category", "original_filename", "uploaded_at"]


class AdmissibilitySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AdmissibilityStatus.choices, help_text="UNREVIEWED / ADMISSIBLE / REJECTED / SUPERSEDED")
    usable = serializers.BooleanField(help_text="可否作为定案依据（EVI-05、EVI-06）")
    label = serializers.CharField()
    reason = serializers.CharField()


class EvidenceItemSerializer(serializers.ModelSerializer):
    file = EvidenceFileSerializer(read_only=True)
    admissibility = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceItem
        fields = [
            "id",
            "chain_id",
            "version_no",
            "previous_version",
            "correction_reason",
            "kind",
            "title",
            "description",
            "production_method",
            "produced_at",
            "producer",
            "object_proven",
            "source",
            "is_original_carrier",
            "copy_method",
            "organisation",
            "enterprise",
            "file",
            "created_by",
            "created_at",
            "admissibility",
        ]

    @extend_schema_field(AdmissibilitySerializer)
    def get_admissibility(self, obj: EvidenceItem) -> dict:
        if hasattr(obj, "is_superseded") and hasattr(obj, "latest_result"):
            verdict = admissibility(latest_review_result=obj.latest_result, superseded=obj.is_superseded)
        else:
            verdict = selectors.admissibility_of(obj)
        return {"status": verdict.status.value, "usable": verdict.usable, "label": verdict.label, "reason": verdict.reason}


class EvidenceReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceReview
        fields = [
            "id",
            "reviewer",
            "reviewed_at",
            "true_ok",
            "true_reason",
            "clear_ok",
            "clear_reason",
            "complete_ok",
            "complete_reason",
            "accurate_ok",
            "accurate_reason",
            "lawful_ok",
            "lawful_reason",
            "result",
            "opinion",
        ]


class CustodyEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustodyEvent
        fields = ["action", "actor", "occurred_at", "purpose", "ledger_index"]


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceItem
        fields = ["id", "version_no", "created_by", "created_at", "correction_reason"]


class EvidenceDetailSerializer(EvidenceItemSerializer):
    reviews = serializers.SerializerMethodField()
    custody = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()

    class Meta(EvidenceItemSerializer.Meta):
        fields = [*EvidenceItemSerializer.Meta.fields, "reviews", "custody", "versions"]

    @extend_schema_field(EvidenceReviewSerializer(many=True))
    def get_reviews(self, obj: EvidenceItem) -> list:
        return EvidenceReviewSerializer(obj.reviews.order_by("-reviewed_at", "-pk"), many=True).data

    @extend_schema_field(CustodyEventSerializer(many=True))
    def get_custody(self, obj: EvidenceItem) -> list:
        return CustodyEventSerializer(selectors.custody_timeline(obj), many=True).data

    @extend_schema_field(VersionSerializer(many=True))
    def get_versions(self, obj: EvidenceItem) -> list:
        return VersionSerializer(selectors.versions_of(obj), many=True).data


class EvidenceMetadataInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvidenceKind.choices, help_text="证据种类（EVI-01）")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    production_method = serializers.CharField(max_length=200, help_text="制作方法（EVI-03）")
    produced_at = serializers.DateTimeField(help_text="制作时间（EVI-03），ISO 8601，含时区")
    producer = serializers.CharField(max_length=100, help_text="制作人（EVI-03）")
    object_proven = serializers.CharField(max_length=5000, help_text="证明对象（EVI-03）")
    is_original_carrier = serializers.BooleanField(default=True, help_text="是否原始载体（EVI-04）")
    copy_method = serializers.ChoiceField(choices=CopyMethod.choices, required=False, allow_blank=True, default="", help_text="非原始载体的复制/固定方式（EVI-04）")


class EvidenceUploadSerializer(EvidenceMetadataInputSerializer):
    file = serializers.FileField(help_text="证据文件；格式按内容识别，须与扩展名和声明类型一致")
    source = serializers.ChoiceField(choices=EvidenceSource.choices, help_text="来源；企业联系人只能为 ENTERPRISE_UPLOAD")
    enterprise_uscc = serializers.CharField(required=False, allow_blank=True, default="", max_length=18, help_text="涉及企业的统一社会信用代码")


class EvidenceCorrectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="更正理由（EVI-09）")
    file = serializers.FileField(required=False, help_text="更正后的文件；不更换文件可省略")
    kind = serializers.ChoiceField(choices=EvidenceKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    production_method = serializers.CharField(max_length=200, required=False)
    produced_at = serializers.DateTimeField(required=False)
    producer = serializers.CharField(max_length=100, required=False)
    object_proven = serializers.CharField(max_length=5000, required=False)
    is_original_carrier = serializers.BooleanField(required=False)
    copy_method = serializers.ChoiceField(choices=CopyMethod.choices, required=False, allow_blank=True)

    def get_fields(self):
        fields = super().get_fields()
        # An omitted checkbox in form data must mean "unchanged", not False.
        fields["is_original_carrier"].default_empty_html = serializers.empty
        return fields


class ReviewInputSerializer(serializers.Serializer):
    """EVI-06: every criterion is decided explicitly; a failed one needs its reason."""

    true = serializers.BooleanField(help_text="真实")
    true_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    clear = serializers.BooleanField(help_text="清晰")
    clear_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    complete = serializers.BooleanField(help_text="完整")
    complete_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    accurate = serializers.BooleanField(help_text="准确")
    accurate_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    lawful = serializers.BooleanField(help_text="合法")
    lawful_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    opinion = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)

    def get_fields(self):
        fields = super().get_fields()
        for name in ("true", "clear", "complete", "accurate", "lawful"):
            fields[name].default_empty_html = serializers.empty  # omitted in form data = missing, not False
        return fields

    def criteria(self) -> dict[str, bool]:
        return {name.upper(): self.validated_data[name] for name in ("true", "clear", "complete", "accurate", "lawful")}

    def reasons(self) -> dict[str, str]:
        return {name.upper(): self.validated_data[f"{name}_reason"] for name in ("true", "clear", "complete", "accurate", "lawful")}


class EvidenceFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvidenceKind.choices, required=False)
    source = serializers.ChoiceField(choices=EvidenceSource.choices, required=False)
    review_status = serializers.ChoiceField(choices=AdmissibilityStatus.choices, required=False)
    enterprise = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="企业ID")
    all_versions = serializers.BooleanField(required=False, default=False, help_text="包含已被更正的旧版本")


# --- views ------------------------------------------------------------------------------------


def _resolve_enterprise(user, uscc: str) -> Enterprise | None:
    uscc = (uscc or "").strip().upper()
    if not uscc:
        return None
    if user.role == Role.ENTERPRISE_CONTACT:
        found = Enterprise.objects.filter(uscc=uscc).first()
    else:
        found = enterprises_visible_to(user).filter(uscc=uscc).first()
    if found is None:
        raise ZhifaError(CommonErrorCode.INVALID_INPUT, "未找到该统一社会信用代码对应的企业，或该企业不在您的管辖范围内", field="enterprise_uscc")
    return found


class EvidenceObjectMixin(ZhifaAPIMixin):
    """Per-object access: every lookup starts from evidence_visible_to (foreign = 404)."""

    def get_queryset(self):
        return selectors.evidence_visible_to(self.request.user).select_related("file")

    def get_item(self) -> EvidenceItem:
        pk = self.kwargs["pk"]
        item = self.get_queryset().filter(pk=pk).first() if pk <= MAX_ID else None
        if item is None:
            raise ZhifaError(CommonErrorCode.NOT_FOUND, "证据不存在或无权查看", status=404)
        return item


class EvidenceListCreateView(EvidenceObjectMixin, generics.GenericAPIView):
    """证据列表（按可见范围）与上传登记。"""

    pagination_class = ZhifaPageNumberPagination
    parser_classes = [MultiPartParser, FormParser]
    serializer_class = EvidenceItemSerializer

    @extend_schema(tags=[TAG], summary="证据列表", parameters=[EvidenceFilterSerializer], responses=EvidenceItemSerializer(many=True))
    def get(self, request):
        params = EvidenceFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        f = params.validated_data
        qs = selectors.filter_evidence(
            self.get_queryset(),
            kind=f.get("kind", ""),
            source=f.get("source", ""),
            review_status=f.get("review_status", ""),
            enterprise_id=f.get("enterprise"),
            current_only=not f.get("all_versions", False),
        ).order_by("-created_at", "-pk")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(EvidenceItemSerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="上传并登记证据",
        description="文件流式写入内容寻址存储，文件与目录落盘（fsync）且数据库记录提交后才返回 201。",
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceDetailSerializer},
    )
    def post(self, request):
        data = EvidenceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        upload = v["file"]
        item = services.evidence_register(
            actor=request.user,
            chunks=upload.chunks(),
            original_filename=upload.name,
            declared_content_type=upload.content_type or "",
            size_hint=upload.size,
            kind=v["kind"],
            title=v["title"],
            description=v["description"],
            production_method=v["production_method"],
            produced_at=v["produced_at"],
            producer=v["producer"],
            object_proven=v["object_proven"],
            source=v["source"],
            is_original_carrier=v["is_original_carrier"],
            copy_method=v["copy_method"],
            enterprise=_resolve_enterprise(request.user, v["enterprise_uscc"]),
        )
        return Response(EvidenceDetailSerializer(item).data, status=status.HTTP_201_CREATED)


class EvidenceDetailView(EvidenceObjectMixin, generics.GenericAPIView):
    """证据详情：元数据、哈希、审核记录、保管链和版本。每次查看记入保管链和账本（SEC-02）。"""

    serializer_class = EvidenceDetailSerializer

    @extend_schema(tags=[TAG], summary="证据详情（查看将记入保管链和账本）", responses=EvidenceDetailSerializer)
    def get(self, request, pk: int):
        item = self.get_item()
        services.evidence_view(actor=request.user, item=item, purpose=(request.query_params.get("purpose") or "")[:200])
        return Response(EvidenceDetailSerializer(item).data)


class EvidenceReviewView(EvidenceObjectMixin, generics.GenericAPIView):
    """按真实、清晰、完整、准确、合法逐项审核（EVI-06）；审核人不得为登记人（EVI-05）。"""

    parser_classes = [JSONParser, FormParser, MultiPartParser]
    serializer_class = ReviewInputSerializer

    @extend_schema(tags=[TAG], summary="审核证据（EVI-05、EVI-06）", request=ReviewInputSerializer, responses={201: EvidenceReviewSerializer})
    def post(self, request, pk: int):
        item = self.get_item()
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.evidence_review(
            actor=request.user, item=item, criteria=data.criteria(), reasons=data.reasons(), opinion=data.validated_data["opinion"]
        )
        return Response(EvidenceReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class EvidenceCorrectionView(EvidenceObjectMixin, generics.GenericAPIView):
    """更正证据：生成与原版本关联的新版本，原版本不变（EVI-09）。"""

    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = EvidenceCorrectionSerializer

    @extend_schema(
        tags=[TAG],
        summary="更正证据（生成新版本，EVI-09）",
        request={"multipart/form-data": EvidenceCorrectionSerializer, "application/json": EvidenceCorrectionSerializer},
        responses={201: EvidenceDetailSerializer},
    )
    def post(self, request, pk: int):
        item = self.get_item()
        data = EvidenceCorrectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        upload = v.pop("file", None)
        reason = v.pop("reason")
        file_kwargs = {}
        if upload is not None:
            file_kwargs = {
                "chunks": upload.chunks(),
                "original_filename": upload.name,
                "declared_content_type": upload.content_type or "",
                "size_hint": upload.size,
            }
        new = services.evidence_correct(actor=request.user, previous=item, reason=reason, **file_kwargs, **v)
        return Response(EvidenceDetailSerializer(new).data, status=status.HTTP_201_CREATED)


class EvidenceDownloadView(EvidenceObjectMixin, generics.GenericAPIView):
    """下载证据文件（附件形式，nosniff）。须持有已批准且在期限内的调阅申请（REC-17），上传人本人除外；
    每次下载记入保管链和账本（SEC-02），被拒绝的下载也记入账本。"""

    @extend_schema(
        tags=[TAG],
        summary="下载证据文件（须经调阅审批；下载将记入保管链和账本）",
        description=(
            "须持有覆盖该证据、已批准且当前时刻在调阅期限内的调阅申请（/api/v1/access-requests/，REC-17），"
            "上传该文件的用户本人除外。否则返回 403 ACCESS_NOT_GRANTED（无申请、待审批、不予批准或已撤回）"
            "或 ACCESS_OUTSIDE_WINDOW（已批准但不在期限内），拒绝也记入账本（access.refused）。"
        ),
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="文件内容，Content-Type 为识别出的类型"),
            403: OpenApiResponse(description="未获调阅批准或不在调阅期限内（ACCESS_NOT_GRANTED / ACCESS_OUTSIDE_WINDOW）"),
        },
    )
    def get(self, request, pk: int):
        item = self.get_item()
        handle, evidence_file = services.evidence_open_for_download(
            actor=request.user, item=item, purpose=(request.query_params.get("purpose") or "")[:200]
        )
        return attachment_response(handle, evidence_file, item)
