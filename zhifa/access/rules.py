"""Rules of the access-request workflow (调阅申请) as pure functions: plain values in, findings out.

- REC-17 (S4 二(二)6; S2-R §9): access (调阅) requires an application and approval. Check:
  `access.request.approved_by and access.approved_at <= access.opened_at`.
- SEC-01 (S1 §4 para 2): query permissions per role and unit, and a query procedure: every query
  states a purpose and a case/inspection reference.
- SEC-02 (S1 §4 para 2; S4 二(二)6): every access — and every refused attempt — is logged with
  who, what, when, purpose and case reference (the services write the ledger entries).
- SEC-05 (S5 art. 43; PIPL arts. 6, 34): a clear purpose and the least-intrusive method: a request
  names its objects one by one and opens them for a bounded window only.

No database and no clock here: callers pass the moment (`at`, `now`) explicitly.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from zhifa.accounts.choices import STAFF_ROLES, Role

from .choices import DecisionOutcome, Exemption, ObjectType, RequestStatus

# SEC-01/SEC-05: a purpose must say something ("案件调查" is four characters).
PURPOSE_MIN_LENGTH = 4
PURPOSE_MAX_LENGTH = 1000
CASE_REFERENCE_MAX_LENGTH = 100
REASON_MIN_LENGTH = 2
# SEC-05 least intrusive: a request names at most this many objects and opens them for at most
# MAX_WINDOW. Neither number is statutory (the seeds set none); they are this platform's policy,
# documented in docs/access.md, and deliberately not a jurisdiction parameter.
MAX_OBJECTS_PER_REQUEST = 20
MAX_WINDOW = timedelta(days=30)
DEFAULT_WINDOW = timedelta(days=7)
# REC-17: access is approved before it happens; a window may not reach back (the tolerance covers
# the minutes between opening the form and submitting it) nor start more than MAX_LEAD ahead.
BACKDATE_TOLERANCE = timedelta(hours=1)
MAX_LEAD = timedelta(days=30)

# SEC-01: who may apply, per kind of object. Enterprise contacts never apply (they see only their
# own uploads, which they may open as uploader). Auditors (执法监督) may apply for evidence files —
# a request changes no enforcement record, it is the procedure that makes their read lawful — but
# never for unmasked personal data, which supervision does not need (SEC-03, SEC-05).
BUREAU_ROLES = frozenset(STAFF_ROLES) | {Role.SYSTEM_ADMIN}
REQUESTER_ROLES: dict[str, frozenset[str]] = {
    ObjectType.EVIDENCE_ITEM: BUREAU_ROLES | {Role.AUDITOR},
    ObjectType.PERSON_PERSONAL_DATA: BUREAU_ROLES,
    ObjectType.RECORDING: BUREAU_ROLES | {Role.AUDITOR},
}
# REC-17 (S4 二(二)6): approval by a section head / bureau leader; the system administrator is the
# unit's data-security officer under SEC-01. Never the requester.
APPROVER_ROLES = frozenset({Role.SUPERVISOR, Role.SYSTEM_ADMIN})


# --- request status --------------------------------------------------------------------------


def request_status(*, outcome: str | None, ends_at: datetime, at: datetime) -> RequestStatus:
    """The status of a request at `at`: a refusal or withdrawal is final; a pending or approved
    request whose window has ended (at >= ends_at) is EXPIRED."""
    if outcome in (DecisionOutcome.REFUSED, DecisionOutcome.WITHDRAWN):
        return RequestStatus(outcome)
    if at >= ends_at:
        return RequestStatus.EXPIRED
    if outcome == DecisionOutcome.APPROVED:
        return RequestStatus.APPROVED
    return RequestStatus.PENDING


# --- grants: does an approved request authorise this view now? (REC-17) ----------------------


@dataclass(frozen=True)
class Grant:
    """An access request as the gate sees it. `decided_at` is the approval time when
    `outcome` is APPROVED."""

    request_id: int
    requester_id: int
    outcome: str | None
    decided_at: datetime | None
    starts_at: datetime
    ends_at: datetime
    objects: frozenset[tuple[str, int]]


class Refusal(str, enum.Enum):
    """Why a grant does not authorise a view (most specific reason the user can act on)."""

    NO_REQUEST = "NO_REQUEST"
    OTHER_REQUESTER = "OTHER_REQUESTER"
    OBJECT_NOT_COVERED = "OBJECT_NOT_COVERED"
    NOT_APPROVED = "NOT_APPROVED"
    NOT_YET_OPEN = "NOT_YET_OPEN"
    WINDOW_ENDED = "WINDOW_ENDED"
    APPROVED_AFTER_OPENING = "APPROVED_AFTER_OPENING"


# Reasons that mean "an approval exists but not for this moment" (ACCESS_OUTSIDE_WINDOW).
OUTSIDE_WINDOW = frozenset({Refusal.NOT_YET_OPEN, Refusal.WINDOW_ENDED, Refusal.APPROVED_AFTER_OPENING})


def grant_refusal(grant: Grant, *, user_id: int, object_type: str, object_id: int, at: datetime) -> Refusal | None:
    """REC-17, SEC-01: None when `grant` authorises `user_id` to open (object_type, object_id) at
    `at`, otherwise the reason it does not.

    It authorises exactly when the grant is the user's own, names the object, is approved, `at`
    lies in the half-open window [starts_at, ends_at), and the approval came no later than the
    opening (`approved_at <= opened_at`).
    """
    if grant.requester_id != user_id:
        return Refusal.OTHER_REQUESTER
    if (object_type, object_id) not in grant.objects:
        return Refusal.OBJECT_NOT_COVERED
    if grant.outcome != DecisionOutcome.APPROVED or grant.decided_at is None:
        return Refusal.NOT_APPROVED
    if at < grant.starts_at:
        return Refusal.NOT_YET_OPEN
    if at >= grant.ends_at:
        return Refusal.WINDOW_ENDED
    if grant.decided_at > at:
        return Refusal.APPROVED_AFTER_OPENING
    return None


def grant_covers(grant: Grant, *, user_id: int, object_type: str, object_id: int, at: datetime) -> bool:
    """REC-17: whether `grant` authorises this view at `at` (see grant_refusal)."""
    return grant_refusal(grant, user_id=user_id, object_type=object_type, object_id=object_id, at=at) is None


# The reason reported when no grant covers: an approval that is merely outside its window tells
# the user more than a pending request, which tells more than no request at all.
_REFUSAL_RANK = {
    Refusal.WINDOW_ENDED: 0,
    Refusal.NOT_YET_OPEN: 1,
    Refusal.APPROVED_AFTER_OPENING: 2,
    Refusal.NOT_APPROVED: 3,
}


def authorising_grant(grants: Iterable[Grant], *, user_id: int, object_type: str, object_id: int, at: datetime) -> tuple[Grant | None, Refusal | None]:
    """REC-17: the grant that authorises this view (the lowest request id among those that
    cover), or (None, the most telling refusal). Grants of other users or objects do not count."""
    covering: list[Grant] = []
    refusals: list[tuple[Refusal, Grant]] = []
    for grant in grants:
        refusal = grant_refusal(grant, user_id=user_id, object_type=object_type, object_id=object_id, at=at)
        if refusal is None:
            covering.append(grant)
        elif refusal in _REFUSAL_RANK:
            refusals.append((refusal, grant))
    if covering:
        return min(covering, key=lambda g: g.request_id), None
    if not refusals:
        return None, Refusal.NO_REQUEST
    return None, min(refusals, key=lambda r: (_REFUSAL_RANK[r[0]], r[1].request_id))[0]


def exemption(*, object_type: str, is_uploader: bool) -> Exemption | None:
    """Views that need no request. Only one: the person who uploaded an evidence file may open
    that file again (they produced or received those very bytes, so opening them discloses nothing
    new — SEC-05 — and an enterprise contact could not otherwise see its own upload). Every other
    view of evidence bytes or unmasked personal data needs an approved request (REC-17), for every
    role, administrators included."""
    if object_type == ObjectType.EVIDENCE_ITEM and is_uploader:
        return Exemption.UPLOADER
    return None


# --- creating a request (SEC-01, SEC-05) ------------------------------------------------------


def requester_problem(*, role: str, is_active: bool, object_type: str) -> str | None:
    """SEC-01: whether this role may apply for this kind of object."""
    if not is_active:
        return "账号已停用，不能提交调阅申请"
    if role not in REQUESTER_ROLES.get(object_type, frozenset()):
        if object_type == ObjectType.PERSON_PERSONAL_DATA:
            return "您的角色不能申请查看未脱敏的个人信息（SEC-03、SEC-05）"
        return "您的角色不能提交调阅申请（SEC-01）"
    return None


def purpose_problem(purpose: str) -> str | None:
    """SEC-01, SEC-05: a clear purpose is required."""
    text = (purpose or "").strip()
    if len(text) < PURPOSE_MIN_LENGTH:
        return f"请写明调阅用途（至少{PURPOSE_MIN_LENGTH}个字，SEC-01、SEC-05）"
    if len(text) > PURPOSE_MAX_LENGTH:
        return f"调阅用途不得超过{PURPOSE_MAX_LENGTH}个字"
    return None


def case_reference_problem(reference: str) -> str | None:
    """SEC-01: every query names the case or inspection it serves."""
    text = (reference or "").strip()
    if not text:
        return "请填写关联的案件或检查编号（SEC-01）"
    if len(text) > CASE_REFERENCE_MAX_LENGTH:
        return f"案件或检查编号不得超过{CASE_REFERENCE_MAX_LENGTH}个字"
    return None


def window_problem(*, starts_at: datetime, ends_at: datetime, now: datetime, max_window: timedelta = MAX_WINDOW) -> tuple[str, str] | None:
    """REC-17, SEC-05: (field, message) when the requested window is not acceptable.

    The window is half-open, [starts_at, ends_at); it lasts at most `max_window`, may not reach
    back before the request (beyond BACKDATE_TOLERANCE), must not have ended already, and may
    start at most MAX_LEAD ahead.
    """
    if ends_at <= starts_at:
        return "ends_at", "调阅结束时间须晚于开始时间"
    if ends_at - starts_at > max_window:
        return "ends_at", f"调阅期限最长{max_window.days}天（SEC-05 最小必要）"
    if starts_at < now - BACKDATE_TOLERANCE:
        return "starts_at", "调阅开始时间不得早于申请时间（调阅须先批准后查看，REC-17）"
    if ends_at <= now:
        return "ends_at", "调阅期限已结束，请重新选择期限"
    if starts_at > now + MAX_LEAD:
        return "starts_at", f"调阅开始时间不得晚于申请后{MAX_LEAD.days}天"
    return None


# --- deciding (REC-17) --------------------------------------------------------------------------


class ApproverProblem(str, enum.Enum):
    IS_REQUESTER = "IS_REQUESTER"
    NOT_ALLOWED = "NOT_ALLOWED"


def approver_problem(
    *,
    approver_id: int,
    approver_role: str,
    approver_active: bool,
    approver_sees_everything: bool,
    approver_org_path: str | None,
    requester_id: int,
    request_org_path: str | None,
) -> tuple[ApproverProblem, str] | None:
    """REC-17, SEC-01: the approver is not the requester, is a supervisor or system administrator,
    and their organisation scope covers the requester's organisation (a supervisor approves for
    their own unit and its children; a system administrator for every unit)."""
    if approver_id == requester_id:
        return ApproverProblem.IS_REQUESTER, "审批人不得为申请人本人（REC-17）"
    if not approver_active or approver_role not in APPROVER_ROLES:
        return ApproverProblem.NOT_ALLOWED, "仅科室负责人/局领导或系统管理员可审批调阅申请（REC-17）"
    if approver_role == Role.SYSTEM_ADMIN or approver_sees_everything:
        return None
    if approver_org_path and request_org_path and request_org_path.startswith(approver_org_path):
        return None
    return ApproverProblem.NOT_ALLOWED, "申请人所在机构不在您的审批范围内（SEC-01）"


def decision_problem(status: str) -> tuple[str, str] | None:
    """REC-17: only a pending request whose window has not ended can be decided; a decision is
    final. Returns ("decided" | "expired", message)."""
    if status == RequestStatus.EXPIRED:
        return "expired", "该申请的调阅期限已过，不能再审批或撤回"
    if status != RequestStatus.PENDING:
        return "decided", "该申请已有最终结论，不能再次处理"
    return None


def refusal_reason_problem(outcome: str, reason: str) -> str | None:
    """A refusal states its reason (the requester must learn why, REC-17 supervision)."""
    if outcome == DecisionOutcome.REFUSED and len((reason or "").strip()) < REASON_MIN_LENGTH:
        return "不予批准须说明理由"
    return None
