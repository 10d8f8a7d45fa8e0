"""Per-object access helpers (ARCHITECTURE: access is decided per object, not per page).

- staff (officer, supervisor, legal reviewer, device admin) see objects of their organisation
  and its children;
- an enterprise contact sees only the enterprises it is authorised for (subjects selectors);
- an auditor and a system admin read everything; an auditor writes nothing.
"""
from __future__ import annotations

from django.db.models import Q

from zhifa.common.errors import CommonErrorCode, ZhifaError

from .choices import REGISTER_WRITER_ROLES, STAFF_ROLES, Role
from .models import Organisation, User


def sees_everything(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in {Role.AUDITOR, Role.SYSTEM_ADMIN})


def org_scope_q(user: User, field: str = "organisation") -> Q:
    """A filter selecting objects whose `field` organisation lies in the user's subtree.

    Returns a Q that matches nothing for users without an organisation or outside staff roles.
    """
    if sees_everything(user):
        return Q()
    if user.role in STAFF_ROLES and user.organisation_id:
        return Q(**{f"{field}__path__startswith": user.organisation.path})
    return Q(pk__in=[])


def can_see_organisation(user: User, org: Organisation) -> bool:
    if sees_everything(user):
        return True
    return bool(user.role in STAFF_ROLES and user.organisation_id and org.path.startswith(user.organisation.path))


def can_write(user: User) -> bool:
    """Any write at all: auditors (and inactive users) never write."""
    return user.is_authenticated and user.is_active and user.role != Role.AUDITOR


def can_write_register(user: User) -> bool:
    """Register data (enterprises, licences, filings) is written through import or by admin roles."""
    return can_write(user) and (user.is_superuser or user.role in REGISTER_WRITER_ROLES)


def require_writer(actor) -> None:
    """Services start here: a signed-in, active user whose role may write at all (auditors never)."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise ZhifaError(CommonErrorCode.NOT_AUTHENTICATED, "请先登录", status=401)
    if not can_write(actor):
        raise ZhifaError(CommonErrorCode.READ_ONLY_ROLE, "您的角色只能查看，不能修改任何记录", status=403)
