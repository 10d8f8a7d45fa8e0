"""Reads of the subject register, always scoped to what the user may see."""
from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhifa.accounts.access import org_scope_q, sees_everything
from zhifa.accounts.choices import Role
from zhifa.common.timeutil import today

from .choices import LicenceStatus
from .models import ContactAuthorisation, Enterprise, Licence

EXPIRING_WITHIN_DAYS = 90


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    """Per-object access: staff see their organisation subtree; an enterprise contact sees only
    the enterprises it holds a current authorisation for (SUB-17); auditors and admins see all."""
    qs = Enterprise.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if sees_everything(user):
        return qs
    if user.role == Role.ENTERPRISE_CONTACT:
        day = today()
        return qs.filter(
            Exists(ContactAuthorisation.objects.filter(enterprise=OuterRef("pk"), user=user, valid_from__lte=day, valid_to__gte=day))
        )
    return qs.filter(org_scope_q(user))


def licences_visible_to(user) -> QuerySet[Licence]:
    return Licence.objects.filter(enterprise__in=enterprises_visible_to(user))


def licence_state(licence: Licence, on: date | None = None) -> str:
    """EXPIRED / EXPIRING / VALID / INACTIVE for display and filtering."""
    on = on or today()
    if licence.status != LicenceStatus.VALID:
        return "INACTIVE"
    if licence.valid_to is None:
        return "VALID"
    if licence.valid_to < on:
        return "EXPIRED"
    if licence.valid_to <= on + timedelta(days=EXPIRING_WITHIN_DAYS):
        return "EXPIRING"
    return "VALID"


def filter_by_licence_state(qs: QuerySet[Enterprise], state: str, on: date | None = None) -> QuerySet[Enterprise]:
    """Enterprises having at least one licence in `state` (EXPIRED, EXPIRING), all valid (VALID), or none (NONE)."""
    on = on or today()
    valid = Licence.objects.filter(enterprise=OuterRef("pk"), status=LicenceStatus.VALID)
    expired = valid.filter(valid_to__lt=on)
    expiring = valid.filter(valid_to__gte=on, valid_to__lte=on + timedelta(days=EXPIRING_WITHIN_DAYS))
    if state == "EXPIRED":
        return qs.filter(Exists(expired))
    if state == "EXPIRING":
        return qs.filter(Exists(expiring))
    if state == "VALID":
        return qs.filter(Exists(valid)).exclude(Exists(expired)).exclude(Exists(expiring))
    if state == "NONE":
        return qs.exclude(Exists(Licence.objects.filter(enterprise=OuterRef("pk"))))
    return qs


def search_enterprises(qs: QuerySet[Enterprise], text: str) -> QuerySet[Enterprise]:
    """Name substring or USCC prefix."""
    text = (text or "").strip()
    if not text:
        return qs
    return qs.filter(Q(name__contains=text) | Q(uscc__startswith=text.upper()))
