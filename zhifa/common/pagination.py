"""API pagination that never turns bad input into a 404 or a 500.

A page number outside the result set, a garbage page number or a garbage cursor is a client
error: it gets the structured 400 of `zhifa.common.api` (issue 2, "Bad input").
"""
from __future__ import annotations

import base64

from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, PageNumberPagination

from .errors import CommonErrorCode, ZhifaError

# Positions and ids are 64-bit integers in both SQLite and PostgreSQL.
_INT64_MAX = 2**63 - 1


class ZhifaPageNumberPagination(PageNumberPagination):
    """`?page=N&page_size=M` (M ≤ 200); an invalid or too large page is a 400, never a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = "每页条数（1–200，默认 50）"
    page_query_description = "页码（从 1 开始）"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise ZhifaError(CommonErrorCode.INVALID_INPUT, "页码无效或超出范围", field=self.page_query_param) from None


class IdCursorPagination(CursorPagination):
    """Cursor pagination by descending id for large append-only tables (no COUNT, stable under inserts)."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = "每页条数（1–200，默认 50）"
    cursor_query_description = "分页游标（取自上一页响应中的 next / previous 链接）"
    max_page_size = 200

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded:
            # DRF's decoder silently drops non-base64 characters, turning garbage into "first page".
            try:
                base64.b64decode(encoded.encode("ascii"), validate=True)
            except ValueError:
                raise self._invalid() from None
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise self._invalid() from None
        if cursor is not None and cursor.position is not None:
            # The position is compared with the integer id column: anything but a 64-bit integer
            # would make the database raise (a 500) instead of a client error.
            try:
                position = int(cursor.position)
            except (TypeError, ValueError):
                raise self._invalid() from None
            if not -_INT64_MAX <= position <= _INT64_MAX:
                raise self._invalid()
        return cursor

    def _invalid(self) -> ZhifaError:
        return ZhifaError(CommonErrorCode.INVALID_INPUT, "分页游标无效", field=self.cursor_query_param)
