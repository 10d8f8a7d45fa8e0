"""Base classes of zhifa's REST API views: one place for authentication, role permissions,
pagination and the OpenAPI inspector, so every endpoint behaves the same way."""
from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import IsAuthenticated

from .openapi import ZhifaAutoSchema
from .pagination import ZhifaPageNumberPagination
from .permissions import ReadOnlyRolesCannotWrite

# Ids in URLs: at most 18 digits, so every id that matches fits a 64-bit integer column (a
# longer number would make SQLite raise OverflowError, i.e. a 500); longer ones are a plain 404.
ID_PATH_REGEX = r"[0-9]{1,18}"


class ZhifaAPIMixin:
    """Token first, so an anonymous caller gets 401 with `WWW-Authenticate: Token`; then the
    browser session (CSRF-protected for unsafe methods)."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, ReadOnlyRolesCannotWrite]
    schema = ZhifaAutoSchema()


class ZhifaReadOnlyViewSet(ZhifaAPIMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve only. Writes are not routed: 405 with a structured error for everyone
    allowed to write, 403 `COMMON_READ_ONLY_ROLE` for auditors."""

    pagination_class = ZhifaPageNumberPagination
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = ID_PATH_REGEX
