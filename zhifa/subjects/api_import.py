"""REST API of register imports: POST /api/v1/imports/ and GET /api/v1/imports/{id}/.

The POST validates and imports synchronously and answers 201 with the job summary, or 400
`SUBJECTS_IMPORT_INVALID` with the first 100 errors (row, Chinese column header, value,
message); nothing is written in that case. `background=true` answers 202 at once and the job
is polled with GET. Only register writers (device/data admins, system admins) may import.
"""
from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifa.accounts.access import sees_everything
from zhifa.common.api_views import ZhifaAPIMixin
from zhifa.common.errors import ZhifaError
from zhifa.common.openapi import ErrorResponseSerializer

from .errors import SubjectErrorCode
from .importing import runner
from .importing.spec import KIND_CHOICES
from .models import ImportJob

API_ERRORS_SHOWN = 100
CREATE_DESCRIPTION = (
    "上传 .xlsx 或 .csv 文件（按导入模板填写，可含多个工作表），逐行校验后在一个事务中导入："
    "全部成功（201，返回导入任务摘要）或一行也不导入（400 SUBJECTS_IMPORT_INVALID，details.errors 列出前100处错误："
    "工作表、行号、中文列名、值、说明）。按唯一键更新已有记录，重复导入不会重复新增；每个文件记一条账本。"
    "background=true 时立即返回 202，随后用 GET /api/v1/imports/{id}/ 查询进度。仅设备/数据管理员和系统管理员可以导入。"
)
DETAIL_DESCRIPTION = "导入任务的状态、进度（运行中）、按类型的新增/更新/未变化数和账本序号；校验失败时含前100处错误。仅导入人本人、系统管理员和执法监督可查看。"
_TRUE = {"1", "true", "yes", "on"}


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Excel（.xlsx）或 CSV（UTF-8/GBK）文件，按导入模板填写")
    kind = serializers.ChoiceField(choices=KIND_CHOICES, required=False, allow_blank=True, help_text="数据类型；省略时按表头自动识别")
    background = serializers.BooleanField(required=False, default=False, help_text="为 true 时立即返回 202，随后用 GET 查询进度")


class ImportIssueSerializer(serializers.Serializer):
    sheet = serializers.CharField(help_text="工作表名称（CSV 为空）")
    row = serializers.IntegerField(allow_null=True, help_text="表格中的行号（第1行为表头）")
    column = serializers.CharField(help_text="中文列名")
    value = serializers.CharField(help_text="单元格内容")
    message = serializers.CharField(help_text="中文错误说明")


class ImportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    file_name = serializers.CharField()
    file_sha256 = serializers.CharField()
    file_size = serializers.IntegerField()
    kind = serializers.CharField(help_text="识别出的数据类型代码，多个工作表时以逗号分隔")
    kind_label = serializers.CharField()
    status = serializers.ChoiceField(choices=ImportJob.Status.choices)
    status_label = serializers.CharField()
    finished = serializers.BooleanField()
    phase = serializers.CharField(allow_null=True)
    phase_label = serializers.CharField()
    total_rows = serializers.IntegerField()
    processed_rows = serializers.IntegerField()
    percent = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error_count = serializers.IntegerField()
    counts = serializers.DictField(help_text="按数据类型的新增/更新/未变化条数")
    message = serializers.CharField()
    ledger_index = serializers.IntegerField(allow_null=True, help_text="本次导入的账本条目序号")
    created_at = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    stale = serializers.BooleanField()
    errors = ImportIssueSerializer(many=True, required=False)
    errors_truncated = serializers.BooleanField(required=False)


def _job_errors(job: ImportJob) -> ZhifaError:
    data = runner.job_status(job, error_limit=API_ERRORS_SHOWN)
    return ZhifaError(
        SubjectErrorCode.IMPORT_INVALID,
        job.message or "导入未通过校验，未写入任何数据",
        field="file",
        details={"job": job.pk, "error_count": job.error_count, "errors": data.get("errors", []), "errors_truncated": data.get("errors_truncated", False)},
    )


class ImportCreateView(ZhifaAPIMixin, APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="导入企业、证照、备案和经营活动数据",
        description=CREATE_DESCRIPTION,
        tags=["导入"],
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            201: ImportJobSerializer,
            202: ImportJobSerializer,
            400: OpenApiResponse(ErrorResponseSerializer, description="SUBJECTS_IMPORT_INVALID：文件或数据有误，details.errors 列出前100处错误，未写入任何数据"),
            503: OpenApiResponse(ErrorResponseSerializer, description="数据库繁忙，导入已撤销"),
        },
    )
    def post(self, request):
        runner.check_permission(request.user)
        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise ZhifaError(SubjectErrorCode.IMPORT_INVALID, "请以 multipart/form-data 上传文件（字段名 file）", field="file")
        background = str(request.data.get("background", "")).strip().lower() in _TRUE
        job = runner.submit_upload(
            user=request.user,
            uploaded=uploaded,
            requested_kind=str(request.data.get("kind", "") or ""),
            source=ImportJob.Source.API,
            background=background,
        )
        if background:
            return Response(runner.job_status(job), status=status.HTTP_202_ACCEPTED)
        if job.status == ImportJob.Status.FAILED:
            raise _job_errors(job)
        if job.status == ImportJob.Status.ERROR:
            raise ZhifaError(SubjectErrorCode.IMPORT_INVALID, job.message, details={"job": job.pk}, status=503)
        return Response(runner.job_status(job), status=status.HTTP_201_CREATED)


class ImportDetailView(ZhifaAPIMixin, APIView):
    @extend_schema(summary="查询导入任务的状态与结果", description=DETAIL_DESCRIPTION, tags=["导入"], responses={200: ImportJobSerializer})
    def get(self, request, pk: str):
        job = ImportJob.objects.filter(pk=int(pk)).first()
        user = request.user
        if job is None or (job.user_id != user.pk and not (user.is_superuser or sees_everything(user))):
            raise Http404
        return Response(runner.job_status(job, error_limit=API_ERRORS_SHOWN))
