"""API plumbing: one structured error shape for every endpoint (never a bare 500)."""
from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import CommonErrorCode, ZhifaError

log = logging.getLogger(__name__)

_DRF_CODES = {
    exceptions.NotAuthenticated: (CommonErrorCode.NOT_AUTHENTICATED, "未登录或登录已过期"),
    exceptions.AuthenticationFailed: (CommonErrorCode.NOT_AUTHENTICATED, "身份认证失败"),
    exceptions.PermissionDenied: (CommonErrorCode.PERMISSION_DENIED, "无权执行此操作"),
    exceptions.NotFound: (CommonErrorCode.NOT_FOUND, "对象不存在或无权查看"),
    exceptions.Throttled: (CommonErrorCode.RATE_LIMITED, "请求过于频繁，请稍后再试"),
    exceptions.MethodNotAllowed: (CommonErrorCode.INVALID_INPUT, "不支持该请求方法"),
    exceptions.ParseError: (CommonErrorCode.INVALID_INPUT, "请求内容无法解析"),
    exceptions.UnsupportedMediaType: (CommonErrorCode.INVALID_INPUT, "不支持的内容类型"),
    exceptions.NotAcceptable: (CommonErrorCode.INVALID_INPUT, "无法提供所请求的格式"),
}


def error_response(err: ZhifaError) -> Response:
    return Response({"error": err.as_dict()}, status=err.status)


def exception_handler(exc, context):
    """Map every exception to `{"error": {...}}`; unexpected ones become a logged 500 with a code."""
    if isinstance(exc, ZhifaError):
        return error_response(exc)
    if isinstance(exc, DjangoValidationError):
        return error_response(ZhifaError(CommonErrorCode.INVALID_INPUT, "；".join(exc.messages)))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        log.exception("unhandled API error", exc_info=exc)
        return Response(
            {"error": {"code": CommonErrorCode.SERVER_ERROR.value, "message": "服务器内部错误，已记录"}},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        body = {"code": CommonErrorCode.INVALID_INPUT.value, "message": "输入数据有误", "fields": response.data}
    else:
        code, message = next(
            ((c, m) for cls, (c, m) in _DRF_CODES.items() if isinstance(exc, cls)),
            (CommonErrorCode.INVALID_INPUT, str(getattr(exc, "detail", "请求无效"))),
        )
        body = {"code": code.value, "message": message}
    response.data = {"error": body}
    return response
