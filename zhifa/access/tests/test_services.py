"""Services of the access workflow: applying, deciding, withdrawing, and the gate (REC-17, SEC-01,
SEC-02), each write with its ledger entry and nothing half-written on refusal."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from zhifa.access import services
from zhifa.access.choices import DecisionOutcome, ObjectType
from zhifa.access.errors import AccessErrorCode
from zhifa.access.models import AccessDecision, AccessRequest, AccessRequestItem
from zhifa.access.selectors import status_of
from zhifa.access.tests.factories import approved_grant, make_approver, pending_request, refused_request
from zhifa.common.errors import ZhifaError
from zhifa.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db

EVIDENCE = ObjectType.EVIDENCE_ITEM
PERSON = ObjectType.PERSON_PERSONAL_DATA


def _raises(code, fn, *args, **kwargs) -> ZhifaError:
    with pytest.raises(ZhifaError) as exc:
        fn(*args, **kwargs)
    assert exc.value.code == code, exc.value
    return exc.value


def _create(actor, items, clock_now, **overrides):
    values = {
        "purpose": "核查仓库超量储存事实",
        "case_reference": "2026-普应急-001",
        "starts_at": clock_now,
        "ends_at": clock_now + timedelta(days=3),
        "items": items,
    }
    values.update(overrides)
    return services.access_request_create(actor=actor, **values)


# --- applying -------------------------------------------------------------------------------------


def test_sec_02__a_request_is_stored_with_its_objects_and_ledgered(world, clock):
    # given an officer who sees an evidence item and a person of the street
    officer = world.users["officer"]
    # when it applies for both
    request = _create(officer, [(EVIDENCE, world.items["own"].pk), (PERSON, world.persons["own"].pk)], clock.current)
    # then the request, its two objects (with the labels seen) and one ledger entry exist
    assert request.organisation == officer.organisation and request.requester == officer
    labels = dict(AccessRequestItem.objects.filter(request=request).values_list("object_type", "object_label"))
    assert labels == {EVIDENCE: "长寿路仓库照片（第1版）", PERSON: "张主要"}
    entry = LedgerEntry.objects.get(action="access.request.create", object_id=str(request.pk))
    assert entry.actor_id == officer.pk
    assert entry.payload["purpose"] == "核查仓库超量储存事实" and entry.payload["case_reference"] == "2026-普应急-001"
    assert sorted(map(tuple, entry.payload["objects"])) == sorted([(EVIDENCE.value, world.items["own"].pk), (PERSON.value, world.persons["own"].pk)])
    assert status_of(request) == "PENDING"


def test_sec_01__duplicate_objects_are_named_once(world, clock):
    ref = (EVIDENCE, world.items["own"].pk)
    request = _create(world.users["officer"], [ref, ref], clock.current)
    assert request.items.count() == 1


def test_sec_01__an_object_outside_the_requesters_scope_is_refused_and_nothing_written(world, clock):
    # given a 普陀 officer and an evidence item of 静安
    before = LedgerEntry.objects.count()
    # when it applies for it (together with one it may see)
    err = _raises(
        AccessErrorCode.OBJECT_NOT_FOUND,
        _create,
        world.users["officer"],
        [(EVIDENCE, world.items["own"].pk), (EVIDENCE, world.items["foreign"].pk)],
        clock.current,
    )
    # then it is told the object is not found, and nothing at all was written
    assert err.status == 400 and err.field == "items"
    assert not AccessRequest.objects.exists() and LedgerEntry.objects.count() == before


def test_sec_01__unknown_ids_and_recordings_are_refused(world, clock):
    _raises(AccessErrorCode.OBJECT_NOT_FOUND, _create, world.users["officer"], [(EVIDENCE, 10**12)], clock.current)
    _raises(AccessErrorCode.KIND_NOT_ENABLED, _create, world.users["officer"], [(ObjectType.RECORDING, 1)], clock.current)
    _raises(AccessErrorCode.OBJECTS_INVALID, _create, world.users["officer"], [("cases.case", 1)], clock.current)
    _raises(AccessErrorCode.OBJECTS_INVALID, _create, world.users["officer"], [], clock.current)
    _raises(AccessErrorCode.OBJECTS_INVALID, _create, world.users["officer"], [(EVIDENCE, 0)], clock.current)
    _raises(AccessErrorCode.OBJECTS_INVALID, _create, world.users["officer"], [(EVIDENCE, n) for n in range(1, 22)], clock.current)


@pytest.mark.parametrize(("who", "kind", "code"), [("contact", EVIDENCE, AccessErrorCode.ROLE_NOT_ALLOWED), ("auditor", PERSON, AccessErrorCode.ROLE_NOT_ALLOWED)])
def test_sec_01__roles_that_may_not_apply_are_refused(world, clock, who, kind, code):
    target = world.items["own"].pk if kind == EVIDENCE else world.persons["own"].pk
    err = _raises(code, _create, world.users[who], [(kind, target)], clock.current)
    assert err.status == 403 and not AccessRequest.objects.exists()


def test_sec_01__an_auditor_may_apply_for_any_evidence_file(world, clock):
    request = _create(world.users["auditor"], [(EVIDENCE, world.items["foreign"].pk)], clock.current)
    assert request.organisation == world.orgs["city"]


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"purpose": "看看"}, AccessErrorCode.PURPOSE_REQUIRED, "purpose"),
        ({"purpose": "\x00\x01 \t"}, AccessErrorCode.PURPOSE_REQUIRED, "purpose"),
        ({"case_reference": "  "}, AccessErrorCode.CASE_REFERENCE_REQUIRED, "case_reference"),
        ({"ends_at_days": 31}, AccessErrorCode.WINDOW_INVALID, "ends_at"),
        ({"starts_at_days": -1}, AccessErrorCode.WINDOW_INVALID, "starts_at"),
    ],
)
def test_sec_05__bad_purpose_reference_or_window_is_refused(world, clock, overrides, code, field):
    overrides = dict(overrides)
    if "ends_at_days" in overrides:
        overrides["ends_at"] = clock.current + timedelta(days=overrides.pop("ends_at_days"))
    if "starts_at_days" in overrides:
        overrides["starts_at"] = clock.current + timedelta(days=overrides.pop("starts_at_days"))
    err = _raises(code, _create, world.users["officer"], [(EVIDENCE, world.items["own"].pk)], clock.current, **overrides)
    assert err.field == field and not AccessRequest.objects.exists()


def test_sec_05__a_naive_window_is_refused(world, clock):
    naive = clock.current.replace(tzinfo=None)
    _raises(AccessErrorCode.WINDOW_INVALID, _create, world.users["officer"], [(EVIDENCE, world.items["own"].pk)], clock.current, starts_at=naive)


# --- deciding -------------------------------------------------------------------------------------


def test_rec_17__a_supervisor_approves_and_the_decision_is_ledgered(world, clock):
    # given a pending request of a 普陀 officer
    request = pending_request(world.users["officer"], [world.items["own"]])
    # when the 普陀 supervisor approves it
    decision = services.access_request_decide(actor=world.users["supervisor"], request=request, outcome=DecisionOutcome.APPROVED, reason="同意")
    # then the decision is stored with the clock's time, the request is approved, and the ledger has it
    assert decision.decided_at == clock.current and decision.decided_by == world.users["supervisor"]
    assert status_of(AccessRequest.objects.get(pk=request.pk)) == "APPROVED"
    entry = LedgerEntry.objects.get(action="access.request.approve")
    assert entry.object_id == str(request.pk) and entry.payload["requester"] == world.users["officer"].pk


def test_rec_17__the_requester_cannot_approve_their_own_request(world):
    request = pending_request(world.users["supervisor"], [world.items["own"]])
    err = _raises(AccessErrorCode.APPROVER_IS_REQUESTER, services.access_request_decide, actor=world.users["supervisor"], request=request, outcome="APPROVED")
    assert err.status == 403 and not AccessDecision.objects.exists()


@pytest.mark.parametrize("who", ["officer2", "legal_reviewer", "device_admin", "auditor", "foreign_supervisor", "street_supervisor"])
def test_sec_01__only_a_supervisor_covering_the_requesters_unit_or_a_system_admin_approves(world, who):
    # given a 普陀 officer's request / when a non-approver, a 静安 supervisor or a supervisor of a
    # child unit tries to approve / then refused
    request = pending_request(world.users["officer"], [world.items["own"]])
    _raises(AccessErrorCode.APPROVER_NOT_ALLOWED, services.access_request_decide, actor=world.users[who], request=request, outcome="APPROVED")
    assert not AccessDecision.objects.exists()


@pytest.mark.parametrize("who", ["city_supervisor", "system_admin"])
def test_sec_01__a_parent_units_supervisor_or_a_system_admin_approves(world, who):
    request = pending_request(world.users["officer"], [world.items["own"]])
    services.access_request_decide(actor=world.users[who], request=request, outcome="APPROVED")
    assert AccessDecision.objects.get().outcome == "APPROVED"


def test_rec_17__a_refusal_needs_a_reason_and_is_final(world):
    request = pending_request(world.users["officer"], [world.items["own"]])
    _raises(AccessErrorCode.REASON_REQUIRED, services.access_request_decide, actor=world.users["supervisor"], request=request, outcome="REFUSED")
    services.access_request_decide(actor=world.users["supervisor"], request=request, outcome="REFUSED", reason="与案件无关")
    # when anyone tries to decide again / then it is final
    err = _raises(AccessErrorCode.ALREADY_DECIDED, services.access_request_decide, actor=world.users["system_admin"], request=request, outcome="APPROVED")
    assert err.status == 409
    assert AccessDecision.objects.count() == 1 and LedgerEntry.objects.filter(action="access.request.refuse").count() == 1


def test_rec_17__an_unknown_outcome_is_refused(world):
    request = pending_request(world.users["officer"], [world.items["own"]])
    _raises(AccessErrorCode.INVALID_INPUT, services.access_request_decide, actor=world.users["supervisor"], request=request, outcome="WITHDRAWN")


def test_rec_17__a_pending_request_whose_window_ended_can_no_longer_be_decided(world, clock):
    request = pending_request(world.users["officer"], [world.items["own"]], ends_at=clock.current + timedelta(hours=2))
    clock.advance(timedelta(hours=2))
    assert status_of(request) == "EXPIRED"
    err = _raises(AccessErrorCode.REQUEST_EXPIRED, services.access_request_decide, actor=world.users["supervisor"], request=request, outcome="APPROVED")
    assert err.status == 409


def test_rec_17__two_racing_approvals_leave_one_decision(world):
    # given two approvers holding the same pending request, loaded before either decided
    request = pending_request(world.users["officer"], [world.items["own"]])
    stale = AccessRequest.objects.get(pk=request.pk)
    assert status_of(stale) == "PENDING"  # caches "no decision" on the stale instance
    services.access_request_decide(actor=world.users["supervisor"], request=AccessRequest.objects.get(pk=request.pk), outcome="APPROVED")
    # when the second one decides on its stale copy
    err = _raises(AccessErrorCode.ALREADY_DECIDED, services.access_request_decide, actor=world.users["system_admin"], request=stale, outcome="REFUSED", reason="重复")
    # then the database kept only the first decision and one ledger entry
    assert err.status == 409
    assert AccessDecision.objects.get().outcome == "APPROVED"
    assert LedgerEntry.objects.filter(action__startswith="access.request.").exclude(action="access.request.create").count() == 1


def test_rec_17__the_requester_withdraws_a_pending_request(world):
    request = pending_request(world.users["officer"], [world.items["own"]])
    _raises(AccessErrorCode.NOT_REQUESTER, services.access_request_withdraw, actor=world.users["supervisor"], request=request)
    services.access_request_withdraw(actor=world.users["officer"], request=request, reason="案件已结")
    assert status_of(AccessRequest.objects.get(pk=request.pk)) == "WITHDRAWN"
    assert LedgerEntry.objects.filter(action="access.request.withdraw", object_id=str(request.pk)).exists()
    _raises(AccessErrorCode.ALREADY_DECIDED, services.access_request_withdraw, actor=world.users["officer"], request=request)


# --- the gate ---------------------------------------------------------------------------------------


def _authorise(user, kind, obj, **kwargs):
    return services.access_authorise(actor=user, object_type=kind, object_id=obj.pk, **kwargs)


def test_rec_17__without_a_request_the_view_is_refused_and_the_refusal_logged(world):
    # given an officer with no request / when it tries to open an evidence file
    err = _raises(AccessErrorCode.NOT_GRANTED, _authorise, world.users["officer"], EVIDENCE, world.items["own"])
    # then 403 with the object named, and the refusal is in the ledger under the object
    assert err.status == 403 and err.rule == "REC-17" and err.details["reason"] == "NO_REQUEST"
    entry = LedgerEntry.objects.get(action="access.refused")
    assert (entry.object_type, entry.object_id, entry.actor_id) == ("evidence.evidenceitem", str(world.items["own"].pk), world.users["officer"].pk)
    assert entry.payload["reason"] == "NO_REQUEST" and entry.payload["requests"] == []


def test_rec_17__a_pending_or_refused_request_does_not_open_anything(world):
    pending = pending_request(world.users["officer"], [world.items["own"]])
    err = _raises(AccessErrorCode.NOT_GRANTED, _authorise, world.users["officer"], EVIDENCE, world.items["own"])
    assert err.details == {"object_type": EVIDENCE.value, "object_id": world.items["own"].pk, "reason": "NOT_APPROVED", "access_request": pending.pk}
    refused_request(world.users["officer2"], [world.persons["own"]])
    _raises(AccessErrorCode.NOT_GRANTED, _authorise, world.users["officer2"], PERSON, world.persons["own"])
    assert LedgerEntry.objects.filter(action="access.refused").count() == 2


def test_rec_17__an_approved_request_opens_its_objects_within_the_window(world, clock):
    # given an approved request for one evidence item
    grant = approved_grant(world.users["officer"], [world.items["own"]], approver=world.users["supervisor"])
    # when the officer opens it an hour later
    clock.advance(timedelta(hours=1))
    authorisation = _authorise(world.users["officer"], EVIDENCE, world.items["own"])
    # then it is authorised by that request, with what the caller must log (SEC-02)
    assert authorisation.request_id == grant.pk and authorisation.opened_at == clock.current
    payload = authorisation.ledger_payload()
    assert payload["access_request"] == grant.pk and payload["access_approved_by"] == world.users["supervisor"].pk
    assert payload["access_purpose"] == grant.purpose and payload["case_reference"] == grant.case_reference
    assert not LedgerEntry.objects.filter(action="access.refused").exists()


def test_sec_01__a_grant_opens_neither_other_objects_nor_for_other_users(world):
    approved_grant(world.users["officer"], [world.persons["own"]])
    # another object of another kind, and the same object for a colleague, stay closed
    _raises(AccessErrorCode.NOT_GRANTED, _authorise, world.users["officer"], EVIDENCE, world.items["own"])
    _raises(AccessErrorCode.NOT_GRANTED, _authorise, world.users["officer2"], PERSON, world.persons["own"])
    assert _authorise(world.users["officer"], PERSON, world.persons["own"]).request_id is not None


def test_rec_17__after_the_window_the_view_is_refused_as_outside_the_window(world, clock):
    # given an approved request for [now, now+2h)
    grant = approved_grant(world.users["officer"], [world.items["own"]], ends_at=clock.current + timedelta(hours=2))
    assert _authorise(world.users["officer"], EVIDENCE, world.items["own"]).request_id == grant.pk
    # when the clock reaches the end of the window
    clock.advance(timedelta(hours=2))
    err = _raises(AccessErrorCode.OUTSIDE_WINDOW, _authorise, world.users["officer"], EVIDENCE, world.items["own"])
    # then it is refused with the end time named, and logged
    assert "到期" in err.message and err.details["reason"] == "WINDOW_ENDED" and err.details["access_request"] == grant.pk
    assert LedgerEntry.objects.get(action="access.refused").payload["requests"] == [grant.pk]


def test_rec_17__before_the_window_opens_the_view_is_refused(world, clock):
    approved_grant(world.users["officer"], [world.items["own"]], starts_at=clock.current + timedelta(days=1), ends_at=clock.current + timedelta(days=2))
    err = _raises(AccessErrorCode.OUTSIDE_WINDOW, _authorise, world.users["officer"], EVIDENCE, world.items["own"])
    assert err.details["reason"] == "NOT_YET_OPEN" and "开始" in err.message


def test_rec_17__an_opening_checked_before_the_approval_time_is_refused(world, clock):
    # given a request approved now / when an opening an hour ago is checked (REC-17:
    # approved_at <= opened_at) / then it is refused
    approved_grant(world.users["officer"], [world.items["own"]], starts_at=clock.current - timedelta(minutes=30))
    err = _raises(AccessErrorCode.OUTSIDE_WINDOW, _authorise, world.users["officer"], EVIDENCE, world.items["own"], at=clock.current - timedelta(minutes=10))
    assert err.details["reason"] == "APPROVED_AFTER_OPENING"


def test_sec_05__the_uploader_opens_their_own_file_without_a_request(world):
    authorisation = _authorise(world.users["uploader"], EVIDENCE, world.items["own"], uploaded_by_id=world.items["own"].file.uploaded_by_id)
    assert authorisation.exemption == "UPLOADER" and authorisation.ledger_payload() == {"access_exemption": "UPLOADER"}


@pytest.mark.parametrize("who", ["system_admin", "auditor", "supervisor"])
def test_rec_17__administrators_auditors_and_supervisors_are_not_exempt(world, who):
    _raises(AccessErrorCode.NOT_GRANTED, _authorise, world.users[who], EVIDENCE, world.items["own"], uploaded_by_id=world.items["own"].file.uploaded_by_id)


# --- append-only (REC-16) ---------------------------------------------------------------------------


def test_rec_17__requests_and_decisions_cannot_be_changed_or_deleted(world):
    grant = approved_grant(world.users["officer"], [world.items["own"]], approver=make_approver())
    with pytest.raises(PermissionError):
        grant.save()
    with pytest.raises(PermissionError):
        grant.decision.delete()
    with pytest.raises(PermissionError):
        AccessRequestItem.objects.filter(request=grant).update(object_id=1)
    # and the database itself refuses a raw UPDATE
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE access_accessdecision SET outcome = 'REFUSED' WHERE id = %s", [grant.decision.pk])
    assert AccessDecision.objects.get(pk=grant.decision.pk).outcome == "APPROVED"
