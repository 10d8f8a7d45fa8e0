"""OpenAPI description of zhifa's API conventions (drf-spectacular).

Every endpoint answers errors with the same body, `{"error": {...}}` (see `zhifa.common.api`).
`ZhifaAutoSchema` documents that body for each error status an operation can return, so clients
and the schemathesis tests know every possible answer.
"""
from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

ERROR_DESCRIPTIONS = {
    "400": "请求参数或内容有误（COMMON_INVALID_INPUT 或业务错误码）",
    "401": "未登录或令牌无效（COMMON_NOT_AUTHENTICATED）",
    "403": "无权执行此操作（COMMON_PERMISSION_DENIED；只读角色写入时为 COMMON_READ_ONLY_ROLE）",
    "404": "对象不存在或不在您的可见范围内（COMMON_NOT_FOUND）",
    "429": "登录失败次数过多，已被临时锁定（COMMON_RATE_LIMITED）",
}


class ErrorBodySerializer(serializers.Serializer):
    """The inner object of every error response."""

    code = serializers.CharField(help_text="稳定的错误码，如 COMMON_NOT_FOUND、SUBJECTS_INVALID_USCC")
    message = serializers.CharField(help_text="中文错误说明")
    field = serializers.CharField(required=False, help_text="出错的字段或参数名")
    rule = serializers.CharField(required=False, help_text="相关规则编号（RULES.md），如 SEC-03")
    details = serializers.DictField(required=False, help_text="补充信息")
    fields = serializers.DictField(required=False, help_text="逐字段的校验错误（字段名 → 错误列表）")


@extend_schema_serializer(many=False)
class ErrorResponseSerializer(serializers.Serializer):
    """`{"error": {...}}`; never paginated, never a list."""

    error = ErrorBodySerializer()


class ZhifaAutoSchema(AutoSchema):
    """AutoSchema that adds the structured error responses an operation can produce.

    - authenticated endpoints: 401 and 403;
    - operations with path parameters: 404 (missing, or outside the caller's scope);
    - list operations (filters, pagination) and request bodies: 400.
    Statuses an operation declares itself (e.g. 429 on the token endpoint) are kept.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = []
        if self._is_list_view() or self.method in {"POST", "PUT", "PATCH"}:
            codes.append("400")
        if getattr(self.view, "authentication_classes", None):
            codes += ["401", "403"]
        if "{" in self.path:
            codes.append("404")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorResponseSerializer, code, direction=direction)
        for code, response in responses.items():
            if not response.get("description"):
                response["description"] = ERROR_DESCRIPTIONS.get(code, "成功" if code.startswith("2") else "")
        return responses
