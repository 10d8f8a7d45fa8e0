"""Reads of the subject register, always scoped to what the user may see."""
from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhifa.accounts.access import sees_everything
from zhifa.accounts.choices import STAFF_ROLES, Role
from zhifa.accounts.models import Organisation
from zhifa.common.timeutil import today

from .choices import LicenceStatus
from .models import ContactAuthorisation, Enterprise, EnterprisePerson, Licence, Person

EXPIRING_WITHIN_DAYS = 90


def organisation_subtree_ids(org: Organisation) -> list[int]:
    """Primary keys of an organisation and its descendants (one indexed prefix query on `path`)."""
    return list(Organisation.objects.filter(path__startswith=org.path).values_list("pk", flat=True))


def _staff_org_ids(user) -> list[int] | None:
    """The organisation ids a staff member's scope covers, or None when it covers every organisation."""
    ids = organisation_subtree_ids(user.organisation)
    return None if len(ids) >= Organisation.objects.count() else ids


def contact_enterprise_ids(user, on: date | None = None) -> list[int]:
    """SUB-17: the enterprises an enterprise contact is currently authorised for (none for others)."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.ENTERPRISE_CONTACT:
        return []
    day = on or today()
    return list(ContactAuthorisation.objects.filter(user=user, valid_from__lte=day, valid_to__gte=day).values_list("enterprise_id", flat=True))


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    """Per-object access: staff see their organisation subtree; an enterprise contact sees only
    the enterprises it holds a current authorisation for (SUB-17); auditors and admins see all.

    Phrased for registers of a million enterprises: the (small) list of organisation ids, or of
    authorised enterprises, is resolved first, so the filter is `organisation_id IN (...)` on the
    enterprise index instead of a join on every row, and a scope covering every organisation
    needs no filter at all. Tests compare it with the plain path-prefix definition.
    """
    qs = Enterprise.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if sees_everything(user):
        return qs
    if user.role == Role.ENTERPRISE_CONTACT:
        return qs.filter(pk__in=contact_enterprise_ids(user))
    if user.role in STAFF_ROLES and user.organisation_id:
        ids = _staff_org_ids(user)
        return qs if ids is None else qs.filter(organisation_id__in=ids)
    return qs.none()


def licences_visible_to(user) -> QuerySet[Licence]:
    """Licences of the enterprises the user may see."""
    if user.is_authenticated and user.role in STAFF_ROLES and user.organisation_id and not sees_everything(user):
        ids = _staff_org_ids(user)
        return Licence.objects.all() if ids is None else Licence.objects.filter(enterprise__organisation_id__in=ids)
    if user.is_authenticated and sees_everything(user):
        return Licence.objects.all()
    return Licence.objects.filter(enterprise__in=enterprises_visible_to(user))


def scoped_to_visible_enterprises(qs: QuerySet, user, enterprise_field: str = "enterprise") -> QuerySet:
    """Restrict `qs` to rows whose enterprise the user may see (per-object access)."""
    if sees_everything(user):
        return qs
    return qs.filter(**{f"{enterprise_field}__in": enterprises_visible_to(user).values("pk")})


def persons_visible_to(user) -> QuerySet[Person]:
    """Persons linked to a visible enterprise, as its principal or in one of its roles."""
    visible = enterprises_visible_to(user)
    return Person.objects.filter(
        Exists(visible.filter(principal=OuterRef("pk"))) | Exists(EnterprisePerson.objects.filter(person=OuterRef("pk"), enterprise__in=visible.values("pk")))
    )


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
