"""Reads of the access-request workflow, always scoped to what the user may see.

- a requester sees their own requests;
- a supervisor also sees the requests of their organisation subtree (to approve them);
- auditors (access supervision, REC-17) and system administrators see every request.
"""
from __future__ import annotations

from datetime import datetime

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from zhifa.accounts.access import sees_everything
from zhifa.accounts.choices import Role

from . import clock
from .choices import DecisionOutcome, RequestStatus
from .models import AccessRequest
from .rules import APPROVER_ROLES, request_status


def requests_visible_to(user) -> QuerySet[AccessRequest]:
    qs = AccessRequest.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if sees_everything(user):
        return qs
    scope = Q(requester=user)
    if user.role == Role.SUPERVISOR and user.organisation_id:
        scope |= Q(organisation__path__startswith=user.organisation.path)
    return qs.filter(scope)


def with_status(qs: QuerySet[AccessRequest], at: datetime | None = None) -> QuerySet[AccessRequest]:
    """Annotate `status`, the SQL mirror of rules.request_status (a test keeps the two in step)."""
    at = at or clock.now()
    return qs.annotate(
        status=Case(
            When(decision__outcome__in=[DecisionOutcome.REFUSED, DecisionOutcome.WITHDRAWN], then=F("decision__outcome")),
            When(ends_at__lte=at, then=Value(RequestStatus.EXPIRED.value)),
            When(decision__outcome=DecisionOutcome.APPROVED, then=Value(RequestStatus.APPROVED.value)),
            default=Value(RequestStatus.PENDING.value),
            output_field=CharField(),
        )
    )


def status_of(request: AccessRequest, at: datetime | None = None) -> RequestStatus:
    decision = decision_of(request)
    return request_status(outcome=decision.outcome if decision else None, ends_at=request.ends_at, at=at or clock.now())


def _has_decision(request: AccessRequest) -> bool:
    try:
        request.decision  # noqa: B018 - the reverse one-to-one raises when there is none
    except AccessRequest.decision.RelatedObjectDoesNotExist:
        return False
    return True


def decision_of(request: AccessRequest):
    return request.decision if _has_decision(request) else None


def approval_queue(user, at: datetime | None = None) -> QuerySet[AccessRequest]:
    """Pending requests (window not ended) that `user` may decide: not their own, and from an
    organisation their scope covers (rules.approver_problem)."""
    at = at or clock.now()
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.role not in APPROVER_ROLES:
        return AccessRequest.objects.none()
    qs = AccessRequest.objects.filter(decision__isnull=True, ends_at__gt=at).exclude(requester=user)
    if user.role != Role.SYSTEM_ADMIN and not sees_everything(user):
        if not user.organisation_id:
            return AccessRequest.objects.none()
        qs = qs.filter(organisation__path__startswith=user.organisation.path)
    return qs


def decided_by(user) -> QuerySet[AccessRequest]:
    """Requests `user` approved or refused, latest first (for the approver's page)."""
    return (
        AccessRequest.objects.filter(decision__decided_by=user, decision__outcome__in=[DecisionOutcome.APPROVED, DecisionOutcome.REFUSED])
        .order_by("-decision__decided_at", "-pk")
    )
