"""REST API of issued documents under /api/v1/documents/.

- GET documents/{id}/      metadata (kind, number, organisation, template version, SHA-256, …)
- GET documents/{id}/pdf   the PDF (verified against its SHA-256; every download is logged, SEC-02)

Access is per object (`documents_visible_to`): a foreign document answers 404 like a missing one.
Documents are issued by other apps' services (cases), never through this API.
"""
from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, renderers, serializers
from rest_framework.response import Response

from zhifa.common.api_views import ZhifaAPIMixin
from zhifa.common.errors import CommonErrorCode, ZhifaError

from . import selectors, services
from .models import IssuedDocument
from .views import pdf_response

TAG = "执法文书"


class IssuedDocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    template_version = serializers.IntegerField(source="template.version", read_only=True)
    superseded_by = serializers.SerializerMethodField(help_text="更正本文书的新文书 id（无则为 null）")
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = IssuedDocument
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "number",
            "organisation",
            "organisation_name",
            "year",
            "serial",
            "ref",
            "enterprise_id",
            "template_version",
            "sha256",
            "size",
            "issued_by",
            "issued_at",
            "supersedes",
            "superseded_by",
            "pdf_url",
        ]

    @extend_schema_field(OpenApiTypes.INT)
    def get_superseded_by(self, obj: IssuedDocument) -> int | None:
        return IssuedDocument.objects.filter(supersedes=obj).values_list("pk", flat=True).first()

    @extend_schema_field(OpenApiTypes.STR)
    def get_pdf_url(self, obj: IssuedDocument) -> str:
        return reverse("documents_api:pdf", kwargs={"pk": obj.pk})


class DocumentObjectMixin(ZhifaAPIMixin):
    """Per-object access: every lookup starts from documents_visible_to (foreign = 404)."""

    def get_queryset(self):
        return selectors.documents_visible_to(self.request.user).select_related("organisation", "template")

    def get_document(self) -> IssuedDocument:
        doc = self.get_queryset().filter(pk=int(self.kwargs["pk"])).first()
        if doc is None:
            raise ZhifaError(CommonErrorCode.NOT_FOUND, "文书不存在或无权查看", status=404)
        return doc


class DocumentDetailView(DocumentObjectMixin, generics.GenericAPIView):
    """已出具文书的元数据。"""

    serializer_class = IssuedDocumentSerializer

    @extend_schema(tags=[TAG], summary="文书元数据", responses=IssuedDocumentSerializer)
    def get(self, request, pk: str):
        return Response(IssuedDocumentSerializer(self.get_document()).data)


class PDFRenderer(renderers.BaseRenderer):
    """Lets a client ask for application/pdf; the view returns the bytes itself."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class DocumentPdfView(DocumentObjectMixin, generics.GenericAPIView):
    """下载文书 PDF（校验 SHA-256；每次下载记入账本）。"""

    renderer_classes = [renderers.JSONRenderer, PDFRenderer]
    serializer_class = None

    def handle_exception(self, exc):
        # Errors are always JSON, even when the client asked for application/pdf.
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)

    @extend_schema(
        tags=[TAG],
        summary="下载文书 PDF（下载将记入账本）",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF 文件，响应头 X-Document-SHA256 为其 SHA-256"),
            404: OpenApiResponse(description="文书不存在或无权查看"),
            410: OpenApiResponse(description="文书文件缺失（DOCUMENT_FILE_MISSING）"),
        },
    )
    def get(self, request, pk: str):
        doc = self.get_document()
        data = services.document_download(actor=request.user, doc=doc)
        return pdf_response(data, doc)
