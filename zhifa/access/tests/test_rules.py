"""Pure rules of the access workflow: REC-17 (approval before access, half-open window),
SEC-01 (who may apply and approve, purpose and case reference), SEC-05 (bounded windows)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.access import rules
from zhifa.access.choices import DecisionOutcome, Exemption, ObjectType, RequestStatus
from zhifa.access.rules import ApproverProblem, Grant, Refusal
from zhifa.accounts.choices import Role

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
US = timedelta(microseconds=1)
EVIDENCE = ObjectType.EVIDENCE_ITEM.value
PERSON = ObjectType.PERSON_PERSONAL_DATA.value


def grant(*, request_id=1, requester_id=7, outcome=DecisionOutcome.APPROVED, decided_at=T0, starts_at=T0, ends_at=T0 + timedelta(days=1), objects=None):
    return Grant(
        request_id=request_id,
        requester_id=requester_id,
        outcome=outcome,
        decided_at=decided_at,
        starts_at=starts_at,
        ends_at=ends_at,
        objects=frozenset(objects or {(EVIDENCE, 42)}),
    )


def refusal(g: Grant, at: datetime, *, user_id=7, object_type=EVIDENCE, object_id=42):
    return rules.grant_refusal(g, user_id=user_id, object_type=object_type, object_id=object_id, at=at)


# --- the window and the approval time (REC-17) -------------------------------------------------


def test_rec_17__the_first_instant_of_the_window_is_covered():
    # given a grant approved at the start of its window / when opened at that very instant
    # then it is covered (the window is closed at its start)
    assert refusal(grant(), T0) is None


def test_rec_17__the_end_instant_is_outside_the_window():
    # given a window [T0, T0+1d) / when opened exactly at its end / then it has ended
    assert refusal(grant(), T0 + timedelta(days=1)) == Refusal.WINDOW_ENDED


def test_rec_17__one_microsecond_before_the_end_is_covered():
    assert refusal(grant(), T0 + timedelta(days=1) - US) is None


def test_rec_17__before_the_window_is_not_yet_open():
    # given a grant whose window starts tomorrow (approved today) / when opened now
    g = grant(starts_at=T0 + timedelta(days=1), ends_at=T0 + timedelta(days=2), decided_at=T0)
    # then it is not yet open
    assert refusal(g, T0 + timedelta(hours=3)) == Refusal.NOT_YET_OPEN


def test_rec_17__approval_after_the_opening_does_not_authorise_it():
    # given a grant approved one microsecond after the moment of opening (REC-17 check:
    # access.approved_at <= access.opened_at)
    g = grant(decided_at=T0 + timedelta(hours=1) + US)
    # when the opening is checked / then it is refused as approved after opening
    assert refusal(g, T0 + timedelta(hours=1)) == Refusal.APPROVED_AFTER_OPENING
    # and the same opening one microsecond later is fine
    assert refusal(g, T0 + timedelta(hours=1) + US) is None


@pytest.mark.parametrize("outcome", [None, DecisionOutcome.REFUSED, DecisionOutcome.WITHDRAWN])
def test_rec_17__only_an_approved_request_authorises(outcome):
    # given a pending, refused or withdrawn request inside its window / then it never covers
    assert refusal(grant(outcome=outcome, decided_at=None if outcome is None else T0), T0 + timedelta(hours=1)) == Refusal.NOT_APPROVED


def test_rec_17__approved_without_a_decision_time_is_not_approved():
    assert refusal(grant(decided_at=None), T0 + timedelta(hours=1)) == Refusal.NOT_APPROVED


def test_sec_01__another_users_grant_does_not_authorise():
    # given officer 7's grant / when officer 8 opens the same object / then refused
    assert refusal(grant(), T0, user_id=8) == Refusal.OTHER_REQUESTER


@pytest.mark.parametrize(("object_type", "object_id"), [(EVIDENCE, 43), (PERSON, 42)])
def test_sec_01__a_grant_covers_only_the_objects_it_names(object_type, object_id):
    # given a grant for evidence 42 / when another object (or the same number of another kind)
    # is opened / then it is not covered
    assert refusal(grant(), T0, object_type=object_type, object_id=object_id) == Refusal.OBJECT_NOT_COVERED


offsets = st.integers(min_value=-(10**11), max_value=10**11)  # microseconds, about ±28 hours


@given(start=offsets, length=st.integers(min_value=1, max_value=10**11), decided=offsets, at=offsets)
def test_rec_17__property_covers_exactly_inside_the_window_after_approval(start, length, decided, at):
    # given any window [start, start+length), approval time and moment of opening
    starts_at = T0 + start * US
    ends_at = starts_at + length * US
    decided_at = T0 + decided * US
    opened_at = T0 + at * US
    g = grant(starts_at=starts_at, ends_at=ends_at, decided_at=decided_at)
    # when the gate decides
    covered = rules.grant_covers(g, user_id=7, object_type=EVIDENCE, object_id=42, at=opened_at)
    # then it covers exactly when the opening is inside the window and not before the approval
    assert covered == (starts_at <= opened_at < ends_at and decided_at <= opened_at)


@given(start=offsets, length=st.integers(min_value=1, max_value=10**11), lead=st.integers(min_value=0, max_value=10**9))
def test_rec_17__property_window_edges(start, length, lead):
    # given a grant approved `lead` microseconds before its window opens
    starts_at = T0 + start * US
    ends_at = starts_at + length * US
    g = grant(starts_at=starts_at, ends_at=ends_at, decided_at=starts_at - lead * US)
    # then the first and the last microsecond are covered, the ones just outside are not
    assert refusal(g, starts_at) is None
    assert refusal(g, ends_at - US) is None
    assert refusal(g, starts_at - US) == Refusal.NOT_YET_OPEN
    assert refusal(g, ends_at) == Refusal.WINDOW_ENDED


# --- choosing among a user's requests -----------------------------------------------------------


def test_rec_17__authorising_grant_picks_a_covering_grant():
    ended = grant(request_id=1, starts_at=T0 - timedelta(days=3), ends_at=T0 - timedelta(days=1), decided_at=T0 - timedelta(days=3))
    current = grant(request_id=2)
    found, why = rules.authorising_grant([ended, current], user_id=7, object_type=EVIDENCE, object_id=42, at=T0 + timedelta(hours=1))
    assert found == current and why is None


def test_rec_17__authorising_grant_reports_the_most_telling_refusal():
    # given one pending request and one approved request whose window has ended
    pending = grant(request_id=1, outcome=None, decided_at=None)
    ended = grant(request_id=2, starts_at=T0 - timedelta(days=3), ends_at=T0 - timedelta(days=1), decided_at=T0 - timedelta(days=3))
    # when nothing covers / then the ended approval is the reason given (it explains more)
    assert rules.authorising_grant([pending, ended], user_id=7, object_type=EVIDENCE, object_id=42, at=T0) == (None, Refusal.WINDOW_ENDED)
    assert rules.authorising_grant([pending], user_id=7, object_type=EVIDENCE, object_id=42, at=T0) == (None, Refusal.NOT_APPROVED)


def test_sec_01__authorising_grant_without_own_requests_is_no_request():
    # given only another user's grant and none at all / then the reason is "no request"
    assert rules.authorising_grant([], user_id=7, object_type=EVIDENCE, object_id=42, at=T0) == (None, Refusal.NO_REQUEST)
    assert rules.authorising_grant([grant(requester_id=8)], user_id=7, object_type=EVIDENCE, object_id=42, at=T0) == (None, Refusal.NO_REQUEST)


grants_strategy = st.lists(
    st.builds(
        lambda rid, uid, approved, s, length, d: grant(
            request_id=rid,
            requester_id=uid,
            outcome=DecisionOutcome.APPROVED if approved else None,
            decided_at=T0 + d * US if approved else None,
            starts_at=T0 + s * US,
            ends_at=T0 + (s + length) * US,
        ),
        st.integers(min_value=1, max_value=50),
        st.sampled_from([7, 8]),
        st.booleans(),
        offsets,
        st.integers(min_value=1, max_value=10**11),
        offsets,
    ),
    max_size=6,
)


@given(grants=grants_strategy, at=offsets)
def test_rec_17__property_authorising_grant_agrees_with_grant_covers(grants, at):
    # given any set of requests / when the gate chooses
    moment = T0 + at * US
    found, why = rules.authorising_grant(grants, user_id=7, object_type=EVIDENCE, object_id=42, at=moment)
    covering = [g for g in grants if rules.grant_covers(g, user_id=7, object_type=EVIDENCE, object_id=42, at=moment)]
    # then it authorises exactly when one of them covers, citing the lowest request id
    if covering:
        assert why is None and found.request_id == min(g.request_id for g in covering)
    else:
        assert found is None and why is not None


# --- status -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "at", "expected"),
    [
        (None, T0, RequestStatus.PENDING),
        (None, T0 + timedelta(days=1), RequestStatus.EXPIRED),
        (DecisionOutcome.APPROVED, T0 + timedelta(days=1) - US, RequestStatus.APPROVED),
        (DecisionOutcome.APPROVED, T0 + timedelta(days=1), RequestStatus.EXPIRED),
        (DecisionOutcome.REFUSED, T0 + timedelta(days=9), RequestStatus.REFUSED),
        (DecisionOutcome.WITHDRAWN, T0 + timedelta(days=9), RequestStatus.WITHDRAWN),
    ],
)
def test_rec_17__request_status(outcome, at, expected):
    # given a request ending at T0+1d with this decision / when its status is computed at `at`
    assert rules.request_status(outcome=outcome, ends_at=T0 + timedelta(days=1), at=at) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (RequestStatus.PENDING, None),
        (RequestStatus.EXPIRED, "expired"),
        (RequestStatus.APPROVED, "decided"),
        (RequestStatus.REFUSED, "decided"),
        (RequestStatus.WITHDRAWN, "decided"),
    ],
)
def test_rec_17__only_pending_requests_can_be_decided(status, expected):
    found = rules.decision_problem(status)
    assert (found[0] if found else None) == expected


def test_rec_17__a_refusal_needs_a_reason_an_approval_does_not():
    assert rules.refusal_reason_problem(DecisionOutcome.REFUSED, " ") is not None
    assert rules.refusal_reason_problem(DecisionOutcome.REFUSED, "无关") is None
    assert rules.refusal_reason_problem(DecisionOutcome.APPROVED, "") is None


# --- exemptions ---------------------------------------------------------------------------------


def test_sec_05__the_uploader_opens_their_own_evidence_file_without_a_request():
    assert rules.exemption(object_type=EVIDENCE, is_uploader=True) == Exemption.UPLOADER
    assert rules.exemption(object_type=EVIDENCE, is_uploader=False) is None


def test_rec_17__nobody_is_exempt_for_unmasked_personal_data():
    assert rules.exemption(object_type=PERSON, is_uploader=True) is None


# --- applying (SEC-01, SEC-05) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "object_type", "allowed"),
    [
        (Role.OFFICER, EVIDENCE, True),
        (Role.SUPERVISOR, PERSON, True),
        (Role.LEGAL_REVIEWER, EVIDENCE, True),
        (Role.DEVICE_ADMIN, PERSON, True),
        (Role.SYSTEM_ADMIN, EVIDENCE, True),
        (Role.AUDITOR, EVIDENCE, True),
        (Role.AUDITOR, PERSON, False),
        (Role.ENTERPRISE_CONTACT, EVIDENCE, False),
        (Role.ENTERPRISE_CONTACT, PERSON, False),
    ],
)
def test_sec_01__who_may_apply_for_what(role, object_type, allowed):
    assert (rules.requester_problem(role=role, is_active=True, object_type=object_type) is None) == allowed


def test_sec_01__an_inactive_account_may_not_apply():
    assert rules.requester_problem(role=Role.OFFICER, is_active=False, object_type=EVIDENCE) is not None


@pytest.mark.parametrize(("purpose", "ok"), [("", False), ("  核查  ", False), ("案件调查", True), ("调" * 1000, True), ("调" * 1001, False)])
def test_sec_01__a_purpose_of_at_least_four_characters(purpose, ok):
    assert (rules.purpose_problem(purpose) is None) == ok


@pytest.mark.parametrize(("reference", "ok"), [("", False), ("   ", False), ("2026-001", True), ("号" * 101, False)])
def test_sec_01__a_case_or_inspection_reference_is_required(reference, ok):
    assert (rules.case_reference_problem(reference) is None) == ok


@pytest.mark.parametrize(
    ("starts", "ends", "field"),
    [
        (T0, T0 + rules.MAX_WINDOW, None),
        (T0, T0 + rules.MAX_WINDOW + US, "ends_at"),
        (T0, T0, "ends_at"),
        (T0, T0 - US, "ends_at"),
        (T0 - rules.BACKDATE_TOLERANCE, T0 + timedelta(days=1), None),
        (T0 - rules.BACKDATE_TOLERANCE - US, T0 + timedelta(days=1), "starts_at"),
        (T0 - timedelta(minutes=30), T0, "ends_at"),
        (T0 + rules.MAX_LEAD, T0 + rules.MAX_LEAD + timedelta(days=1), None),
        (T0 + rules.MAX_LEAD + US, T0 + rules.MAX_LEAD + timedelta(days=1), "starts_at"),
    ],
)
def test_sec_05__window_is_bounded_and_not_backdated(starts, ends, field):
    # given a request made at T0 for [starts, ends) / then only the expected field is faulted
    found = rules.window_problem(starts_at=starts, ends_at=ends, now=T0)
    assert (found[0] if found else None) == field


# --- approving (REC-17, SEC-01) -----------------------------------------------------------------

PUTUO, STREET, JINGAN = "/1/2/", "/1/2/3/", "/1/4/"


def approver(**overrides):
    values = {
        "approver_id": 1,
        "approver_role": Role.SUPERVISOR,
        "approver_active": True,
        "approver_sees_everything": False,
        "approver_org_path": PUTUO,
        "requester_id": 2,
        "request_org_path": STREET,
    }
    values.update(overrides)
    found = rules.approver_problem(**values)
    return found[0] if found else None


def test_rec_17__the_requester_never_approves_their_own_request():
    assert approver(requester_id=1) == ApproverProblem.IS_REQUESTER
    assert approver(requester_id=1, approver_role=Role.SYSTEM_ADMIN, approver_sees_everything=True) == ApproverProblem.IS_REQUESTER


def test_rec_17__a_supervisor_approves_for_their_unit_and_its_children():
    assert approver() is None
    assert approver(request_org_path=PUTUO) is None


@pytest.mark.parametrize("request_org_path", [JINGAN, "/1/", None])
def test_sec_01__a_supervisor_does_not_approve_outside_their_scope(request_org_path):
    # given a requester of a sibling district, of the parent city, or of no organisation
    assert approver(request_org_path=request_org_path) == ApproverProblem.NOT_ALLOWED


def test_sec_01__a_sibling_path_prefix_is_not_a_subtree():
    # given /1/2/ and /1/22/: a string prefix without the trailing slash would match wrongly
    assert approver(approver_org_path="/1/2/", request_org_path="/1/22/") == ApproverProblem.NOT_ALLOWED


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LEGAL_REVIEWER, Role.DEVICE_ADMIN, Role.AUDITOR, Role.ENTERPRISE_CONTACT])
def test_rec_17__only_supervisors_and_system_admins_approve(role):
    assert approver(approver_role=role, approver_sees_everything=role == Role.AUDITOR) == ApproverProblem.NOT_ALLOWED


def test_sec_01__a_system_admin_approves_for_every_unit():
    assert approver(approver_role=Role.SYSTEM_ADMIN, approver_sees_everything=True, approver_org_path=None, request_org_path=None) is None


def test_rec_17__an_inactive_supervisor_does_not_approve():
    assert approver(approver_active=False) == ApproverProblem.NOT_ALLOWED
