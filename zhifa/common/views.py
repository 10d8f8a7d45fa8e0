"""Error pages in Chinese; JSON for API paths (the same codes as zhifa.common.errors)."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .errors import CommonErrorCode

_PAGES = {
    400: (CommonErrorCode.INVALID_INPUT, "请求无效", "请求的内容有误，请检查后重试。"),
    403: (CommonErrorCode.PERMISSION_DENIED, "无权访问", "您没有查看此页面或对象的权限。"),
    404: (CommonErrorCode.NOT_FOUND, "页面不存在", "您访问的页面或对象不存在，或您无权查看。"),
    500: (CommonErrorCode.SERVER_ERROR, "服务器错误", "服务器处理请求时出错，错误已记录。请稍后再试。"),
}


def _error(request: HttpRequest, status: int) -> HttpResponse:
    code, title, text = _PAGES[status]
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": code.value, "message": title}}, status=status)
    return render(request, "error.html", {"title": title, "text": text, "code": code.value}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400)


def permission_denied(request, exception=None):
    return _error(request, 403)


def page_not_found(request, exception=None):
    return _error(request, 404)


def server_error(request):
    return _error(request, 500)
