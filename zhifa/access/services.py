"""Writes of the access-request workflow, and the gate every view of protected data goes through.

- `access_request_create`, `access_request_decide`, `access_request_withdraw`: one transaction
  each, with a ledger entry (REC-16, SEC-02).
- `access_authorise`: called by the services that open evidence bytes or reveal unmasked personal
  data, before they open anything. It returns the Authorisation to put into their own ledger entry
  (who/what/when/purpose + request id, SEC-02), or logs the refused attempt to the ledger and
  raises a 403 `ZhifaError` (REC-17). Call it outside any enclosing transaction, so that the
  refusal's entry commits although the caller fails.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.accounts.access import sees_everything
from zhifa.common.errors import CommonErrorCode, ZhifaError
from zhifa.ledger.services import ledger_append

from . import clock, objects, rules
from .choices import LEDGER_OBJECT_TYPES, DecisionOutcome, ObjectType
from .errors import AccessErrorCode
from .models import AccessDecision, AccessRequest, AccessRequestItem
from .objects import ObjectRef
from .selectors import decision_of, status_of

OBJECT_TYPE = "access.accessrequest"


def _clean(value: str | None, max_length: int) -> str:
    """Printable characters only (PostgreSQL refuses NUL), stripped, bounded."""
    return "".join(ch for ch in (value or "") if ch.isprintable() or ch in "\n\t").strip()[:max_length]


def _require_user(actor) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise ZhifaError(CommonErrorCode.NOT_AUTHENTICATED, "请先登录", status=401)


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# --- the gate (REC-17, SEC-01, SEC-02) ------------------------------------------------------------


@dataclass(frozen=True)
class Authorisation:
    """Why a view of protected data is allowed: an approved request, or an exemption."""

    object_type: str
    object_id: int
    opened_at: datetime
    request_id: int | None = None
    purpose: str = ""
    case_reference: str = ""
    approved_by_id: int | None = None
    approved_at: datetime | None = None
    ends_at: datetime | None = None
    exemption: str | None = None

    def ledger_payload(self) -> dict[str, Any]:
        """What the caller adds to its own ledger entry for the view (SEC-02, REC-17)."""
        if self.exemption:
            return {"access_exemption": self.exemption}
        return {
            "access_request": self.request_id,
            "access_purpose": self.purpose,
            "case_reference": self.case_reference,
            "access_approved_by": self.approved_by_id,
            "access_approved_at": self.approved_at,
            "access_opened_at": self.opened_at,
        }


def _grant(request: AccessRequest, decision: AccessDecision | None, object_type: str, object_id: int) -> rules.Grant:
    return rules.Grant(
        request_id=request.pk,
        requester_id=request.requester_id,
        outcome=decision.outcome if decision else None,
        decided_at=decision.decided_at if decision else None,
        starts_at=request.starts_at,
        ends_at=request.ends_at,
        # the query selected requests naming this object
        objects=frozenset({(object_type, object_id)}),
    )


def _refusal_error(refusal: rules.Refusal, grant_request: AccessRequest | None, object_type: str, object_id: int) -> ZhifaError:
    label = ObjectType(object_type).label
    details = {"object_type": object_type, "object_id": object_id, "reason": refusal.value}
    if refusal == rules.Refusal.WINDOW_ENDED and grant_request is not None:
        message = f"您对该{label}的调阅批准已于 {_local(grant_request.ends_at)} 到期，不能再查看；如仍需查看，请重新提交调阅申请（REC-17）"
    elif refusal == rules.Refusal.NOT_YET_OPEN and grant_request is not None:
        message = f"您对该{label}的调阅期限自 {_local(grant_request.starts_at)} 开始，目前尚不能查看（REC-17）"
    elif refusal in rules.OUTSIDE_WINDOW:
        message = f"调阅批准时间晚于查看时间，不能查看该{label}（REC-17）"
    elif refusal == rules.Refusal.NOT_APPROVED:
        message = f"您对该{label}的调阅申请尚未获批准（待审批、不予批准或已撤回），不能查看（REC-17）"
    else:
        message = f"查看该{label}须先提交调阅申请，经审批后在批准的期限内查看（REC-17）"
    code = AccessErrorCode.OUTSIDE_WINDOW if refusal in rules.OUTSIDE_WINDOW else AccessErrorCode.NOT_GRANTED
    if grant_request is not None:
        details["access_request"] = grant_request.pk
    return ZhifaError(code, message, rule="REC-17", details=details, status=403)


def access_authorise(*, actor, object_type: str, object_id: int, uploaded_by_id: int | None = None, at: datetime | None = None) -> Authorisation:
    """REC-17, SEC-01: may `actor` open this object now? Returns the Authorisation (approved
    request or exemption) or logs the refusal (`access.refused`) and raises a 403 ZhifaError.

    `uploaded_by_id` is the uploader of an evidence file (rules.exemption). Scope (may the user
    see the object at all) is the caller's check and comes first: a foreign object stays a 404.
    """
    _require_user(actor)
    at = at or clock.now()
    object_id = int(object_id)
    exempt = rules.exemption(object_type=object_type, is_uploader=uploaded_by_id is not None and uploaded_by_id == actor.pk)
    if exempt is not None:
        return Authorisation(object_type=object_type, object_id=object_id, opened_at=at, exemption=exempt.value)
    candidates = list(
        AccessRequest.objects.filter(requester=actor, items__object_type=object_type, items__object_id=object_id)
        .select_related("decision")
        .distinct()
        .order_by("pk")
    )
    by_id = {r.pk: r for r in candidates}
    grants = [_grant(r, decision_of(r), object_type, object_id) for r in candidates]
    grant, refusal = rules.authorising_grant(grants, user_id=actor.pk, object_type=object_type, object_id=object_id, at=at)
    if grant is not None:
        request = by_id[grant.request_id]
        decision = request.decision
        return Authorisation(
            object_type=object_type,
            object_id=object_id,
            opened_at=at,
            request_id=request.pk,
            purpose=request.purpose,
            case_reference=request.case_reference,
            approved_by_id=decision.decided_by_id,
            approved_at=decision.decided_at,
            ends_at=request.ends_at,
        )
    # the request the refusal is about (for the message): the most telling one among the candidates
    telling = None
    if refusal in rules.OUTSIDE_WINDOW or refusal == rules.Refusal.NOT_APPROVED:
        telling = next(
            (by_id[g.request_id] for g in grants
             if rules.grant_refusal(g, user_id=actor.pk, object_type=object_type, object_id=object_id, at=at) == refusal),
            None,
        )
    with transaction.atomic():
        ledger_append(
            actor=actor,
            action="access.refused",
            object_type=LEDGER_OBJECT_TYPES.get(object_type, object_type),
            object_id=object_id,
            payload={
                "object_type": object_type,
                "reason": refusal.value,
                "at": at,
                "requests": [r.pk for r in candidates],
            },
        )
    raise _refusal_error(refusal, telling, object_type, object_id)


# --- creating, deciding, withdrawing --------------------------------------------------------------


def _refs(items: Iterable) -> list[ObjectRef]:
    """Normalise (object_type, object_id) pairs or ObjectRefs; refuse malformed ones."""
    refs: list[ObjectRef] = []
    seen: set[tuple[str, int]] = set()
    for item in items:
        if isinstance(item, ObjectRef):
            object_type, object_id = item.object_type, item.object_id
        else:
            try:
                object_type, object_id = item
                object_id = int(object_id)
            except (TypeError, ValueError) as exc:
                raise ZhifaError(AccessErrorCode.OBJECTS_INVALID, "调阅对象格式有误", field="items") from exc
        if object_type not in ObjectType.values or not 1 <= object_id <= objects.MAX_OBJECT_ID:
            raise ZhifaError(AccessErrorCode.OBJECTS_INVALID, "调阅对象类型或编号无效", field="items")
        if (object_type, object_id) not in seen:
            seen.add((object_type, object_id))
            refs.append(ObjectRef(object_type, object_id))
    if not refs:
        raise ZhifaError(AccessErrorCode.OBJECTS_INVALID, "请至少选择一个调阅对象", field="items")
    if len(refs) > rules.MAX_OBJECTS_PER_REQUEST:
        raise ZhifaError(AccessErrorCode.OBJECTS_INVALID, f"一次申请最多调阅{rules.MAX_OBJECTS_PER_REQUEST}个对象（SEC-05）", field="items")
    return refs


def access_request_create(
    *, actor, purpose: str, case_reference: str, starts_at: datetime, ends_at: datetime, items: Iterable
) -> AccessRequest:
    """Apply to open the named objects for [starts_at, ends_at) (REC-17, SEC-01, SEC-05).

    `items` are (object_type, object_id) pairs. The requester must be allowed to apply for each
    kind, must see each object (the owning app's scope), and must state a purpose and a case or
    inspection reference; the window is bounded (rules.window_problem).
    """
    _require_user(actor)
    refs = _refs(items)
    for kind in dict.fromkeys(ref.object_type for ref in refs):
        problem = rules.requester_problem(role=actor.role, is_active=actor.is_active, object_type=kind)
        if problem:
            raise ZhifaError(AccessErrorCode.ROLE_NOT_ALLOWED, problem, rule="SEC-01", status=403)
    purpose = _clean(purpose, rules.PURPOSE_MAX_LENGTH + 1)
    problem = rules.purpose_problem(purpose)
    if problem:
        raise ZhifaError(AccessErrorCode.PURPOSE_REQUIRED, problem, field="purpose", rule="SEC-01")
    case_reference = _clean(case_reference, rules.CASE_REFERENCE_MAX_LENGTH + 1)
    problem = rules.case_reference_problem(case_reference)
    if problem:
        raise ZhifaError(AccessErrorCode.CASE_REFERENCE_REQUIRED, problem, field="case_reference", rule="SEC-01")
    if starts_at is None or ends_at is None or timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ZhifaError(AccessErrorCode.WINDOW_INVALID, "请填写带时区的调阅开始和结束时间", field="starts_at")
    found = rules.window_problem(starts_at=starts_at, ends_at=ends_at, now=clock.now())
    if found:
        raise ZhifaError(AccessErrorCode.WINDOW_INVALID, found[1], field=found[0], rule="REC-17")
    resolved = []
    for ref in refs:
        if not objects.is_enabled(ref.object_type):
            raise ZhifaError(AccessErrorCode.KIND_NOT_ENABLED, f"暂不支持调阅“{ref.type_label}”", field="items")
        obj = objects.visible_object(actor, ref)
        if obj is None:
            raise ZhifaError(AccessErrorCode.OBJECT_NOT_FOUND, f"{ref.type_label} #{ref.object_id} 不存在或不在您的可见范围内", field="items")
        resolved.append(obj)
    with transaction.atomic():
        request = AccessRequest.objects.create(
            requester=actor,
            organisation_id=actor.organisation_id,
            purpose=purpose,
            case_reference=case_reference,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        AccessRequestItem.objects.bulk_create(
            [AccessRequestItem(request=request, object_type=o.ref.object_type, object_id=o.ref.object_id, object_label=o.label) for o in resolved]
        )
        ledger_append(
            actor=actor,
            action="access.request.create",
            object_type=OBJECT_TYPE,
            object_id=request.pk,
            payload={
                "purpose": purpose,
                "case_reference": case_reference,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "organisation": actor.organisation_id,
                "objects": [[o.ref.object_type, o.ref.object_id] for o in resolved],
            },
        )
    return request


def _objects_payload(request: AccessRequest) -> list[list]:
    return [[i.object_type, i.object_id] for i in request.items.order_by("pk")]


def _record_decision(*, actor, request: AccessRequest, outcome: str, reason: str, action: str) -> AccessDecision:
    found = rules.decision_problem(status_of(request))
    if found:
        code = AccessErrorCode.REQUEST_EXPIRED if found[0] == "expired" else AccessErrorCode.ALREADY_DECIDED
        raise ZhifaError(code, found[1], status=409, rule="REC-17")
    try:
        with transaction.atomic():
            decision = AccessDecision.objects.create(request=request, outcome=outcome, decided_by=actor, decided_at=clock.now(), reason=reason)
            ledger_append(
                actor=actor,
                action=action,
                object_type=OBJECT_TYPE,
                object_id=request.pk,
                payload={
                    "outcome": outcome,
                    "reason": reason,
                    "requester": request.requester_id,
                    "decided_at": decision.decided_at,
                    "objects": _objects_payload(request),
                },
            )
    except IntegrityError as exc:
        # Two decisions raced; the one-to-one row let only the first in (decisions are final).
        raise ZhifaError(AccessErrorCode.ALREADY_DECIDED, "该申请已有最终结论，不能再次处理", status=409, rule="REC-17") from exc
    return decision


def approver_problem_for(user, access_request: AccessRequest):
    """REC-17/SEC-01 (rules.approver_problem) for this user and request: None when the user may
    decide it, else (problem, Chinese reason). Pages use it to show or hide the decision form."""
    return rules.approver_problem(
        approver_id=user.pk,
        approver_role=user.role,
        approver_active=user.is_active,
        approver_sees_everything=sees_everything(user),
        approver_org_path=user.organisation.path if user.organisation_id else None,
        requester_id=access_request.requester_id,
        request_org_path=access_request.organisation.path if access_request.organisation_id else None,
    )


def access_request_decide(*, actor, request: AccessRequest, outcome: str, reason: str = "") -> AccessDecision:
    """Approve or refuse a pending request (REC-17). The approver is not the requester, is a
    supervisor or system administrator, and covers the requester's organisation (SEC-01); a
    refusal gives its reason; the decision is final."""
    _require_user(actor)
    if outcome not in (DecisionOutcome.APPROVED, DecisionOutcome.REFUSED):
        raise ZhifaError(AccessErrorCode.INVALID_INPUT, "审批结论只能是批准或不予批准", field="outcome")
    found = approver_problem_for(actor, request)
    if found:
        code = AccessErrorCode.APPROVER_IS_REQUESTER if found[0] == rules.ApproverProblem.IS_REQUESTER else AccessErrorCode.APPROVER_NOT_ALLOWED
        raise ZhifaError(code, found[1], status=403, rule="REC-17")
    reason = _clean(reason, 2000)
    problem = rules.refusal_reason_problem(outcome, reason)
    if problem:
        raise ZhifaError(AccessErrorCode.REASON_REQUIRED, problem, field="reason", rule="REC-17")
    action = "access.request.approve" if outcome == DecisionOutcome.APPROVED else "access.request.refuse"
    return _record_decision(actor=actor, request=request, outcome=outcome, reason=reason, action=action)


def access_request_withdraw(*, actor, request: AccessRequest, reason: str = "") -> AccessDecision:
    """The requester withdraws their own pending request (a final decision, like the others)."""
    _require_user(actor)
    if request.requester_id != actor.pk:
        raise ZhifaError(AccessErrorCode.NOT_REQUESTER, "只能撤回本人提交的调阅申请", status=403)
    return _record_decision(actor=actor, request=request, outcome=DecisionOutcome.WITHDRAWN, reason=_clean(reason, 2000), action="access.request.withdraw")


__all__ = [
    "Authorisation",
    "access_authorise",
    "access_request_create",
    "access_request_decide",
    "access_request_withdraw",
]
