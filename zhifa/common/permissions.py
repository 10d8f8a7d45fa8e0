"""DRF permission classes shared by the API of every app.

Object-level access itself is queryset scoping (each view's `get_queryset` starts from a
`*_visible_to(user)` selector), so a foreign object is simply not found: 404, no existence leak.
The classes here add the role rules that apply before any object is looked at. They rely only
on attributes of the user object, so `common` keeps importing no app above it.
"""
from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .errors import CommonErrorCode, ZhifaError


class ReadOnlyRolesCannotWrite(BasePermission):
    """Auditors (执法监督) read everything and change nothing (ARCHITECTURE "Who uses it").

    An unsafe method from a read-only role is refused with a structured 403
    (`COMMON_READ_ONLY_ROLE`) before routing decides anything else, so an auditor learns
    "you may not write" rather than "this method does not exist".
    """

    message = "您的角色为只读角色，不能修改数据"

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if user is not None and user.is_authenticated and getattr(user, "is_read_only", False):
            raise ZhifaError(CommonErrorCode.READ_ONLY_ROLE, self.message, status=403)
        return True
