"""Test helpers for access requests (调阅申请), shared by every app's tests.

They go through the real services, so a grant made here passed every rule a real one does:
the requester sees the objects, the window is bounded, the approver is not the requester.

    grant = approved_grant(officer, [item])          # an EvidenceItem, a Person, or (kind, id)
    request = pending_request(officer, [person])
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from zhifa.access import clock, services
from zhifa.access.choices import DecisionOutcome, ObjectType
from zhifa.access.models import AccessRequest
from zhifa.accounts.choices import Role

PURPOSE = "案件调查取证需要核实"
CASE_REFERENCE = "沪普应急罚〔2026〕12号"

# Models whose instances stand for an object kind (by app label and model name, so this module
# imports no app above access).
KIND_OF_MODEL = {
    "evidence.evidenceitem": ObjectType.EVIDENCE_ITEM,
    "subjects.person": ObjectType.PERSON_PERSONAL_DATA,
}


def as_ref(obj) -> tuple[str, int]:
    if isinstance(obj, tuple):
        return obj[0], int(obj[1])
    return KIND_OF_MODEL[obj._meta.label_lower], obj.pk


def make_approver(**kwargs):
    """A system administrator without organisation: covers every requester (rules.approver_problem)."""
    from zhifa.accounts.tests.factories import UserFactory

    return UserFactory(role=Role.SYSTEM_ADMIN, organisation=None, display_name="审批管理员", **kwargs)


def pending_request(
    requester,
    objects: Iterable,
    *,
    purpose: str = PURPOSE,
    case_reference: str = CASE_REFERENCE,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> AccessRequest:
    start = starts_at or clock.now()
    end = ends_at or start + timedelta(days=7)
    return services.access_request_create(
        actor=requester,
        purpose=purpose,
        case_reference=case_reference,
        starts_at=start,
        ends_at=end,
        items=[as_ref(o) for o in objects],
    )


def approved_grant(requester, objects: Iterable, *, approver=None, reason: str = "", **kwargs) -> AccessRequest:
    """An approved request of `requester` for `objects`, window [now, now + 7 days) by default."""
    request = pending_request(requester, objects, **kwargs)
    services.access_request_decide(actor=approver or make_approver(), request=request, outcome=DecisionOutcome.APPROVED, reason=reason)
    return AccessRequest.objects.select_related("decision").get(pk=request.pk)


def refused_request(requester, objects: Iterable, *, approver=None, reason: str = "与案件无关", **kwargs) -> AccessRequest:
    request = pending_request(requester, objects, **kwargs)
    services.access_request_decide(actor=approver or make_approver(), request=request, outcome=DecisionOutcome.REFUSED, reason=reason)
    return AccessRequest.objects.select_related("decision").get(pk=request.pk)
