"""Writes of the clue triage: reminders, answers, verification, transfers, dismissal, triggers and
complaints. Each service checks permission and input before writing anything, then writes its
rows, a `ClueEvent` (the clue's append-only timeline) and a ledger entry in one transaction
(REC-16). The rules themselves are pure functions in `triage.py`; rule-set values come from
`zhifa.rulesets.selectors.rs` (never a constant here), deadlines from the working-day calendar.

Who may do what (docs/clues.md "处置流程"):
- officers and supervisors of the clue's organisation subtree handle clues (remind, verify,
  transfer, mark a major hazard, dismiss) and complaints (verify, transfer out, close);
- only a supervisor (科室负责人/局领导) signs off a complaint's rectification (CLU-T03) and
  transfers a clue to the judicial organs (CLU-X03);
- an enterprise contact answers the reminders of the enterprises it is authorised for (SUB-17);
- staff and device/data admins post triggers (CLU-T01/T02); auditors write nothing.
"""
from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.accounts.access import can_write
from zhifa.accounts.access import require_writer as _require_writer
from zhifa.accounts.choices import STAFF_ROLES, Role
from zhifa.accounts.models import Organisation
from zhifa.common.calendar_store import get_calendar
from zhifa.common.ids import InvalidIdentifier, validate_uscc
from zhifa.common.text import clean_text
from zhifa.common.timeutil import local_date, today
from zhifa.evidence.choices import EvidenceKind, EvidenceSource
from zhifa.evidence.models import EvidenceItem
from zhifa.evidence.selectors import evidence_visible_to
from zhifa.ledger.services import ledger_append
from zhifa.rulesets.errors import RuleNotConfigured
from zhifa.rulesets.selectors import rs
from zhifa.subjects.models import ContactAuthorisation, Enterprise
from zhifa.subjects.selectors import enterprises_visible_to

from . import selectors, triage
from .choices import (
    WARNING_TRIGGERS,
    Category,
    Channel,
    CloseReason,
    ClueStatus,
    EventKind,
    Owner,
    QualityCode,
    ReminderStatus,
    Severity,
    TransferKind,
    TransferReason,
    TriggerKind,
)
from .engine import first_violation_lookback
from .errors import ClueErrorCode, clue_error, not_found
from .models import Clue, ClueEvent, Complaint, DataQualityFinding, DetectionRun, Reminder, ReminderAnswer, Transfer, Trigger
from .rules import canonical_json, snapshot_hash

log = logging.getLogger(__name__)

HANDLER_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})
TRIGGER_ROLES = frozenset({*STAFF_ROLES, Role.SYSTEM_ADMIN})
MAX_PAYLOAD_BYTES = 64 * 1024
FUTURE_TOLERANCE = timedelta(minutes=10)
MIN_TEXT = 4


# --- helpers ------------------------------------------------------------------------------------


def is_handler(user) -> bool:
    """Officers and supervisors handle clues (offer the action forms)."""
    return bool(getattr(user, "is_authenticated", False) and can_write(user) and (user.role in HANDLER_ROLES) and user.organisation_id)


def is_supervisor(user) -> bool:
    return is_handler(user) and user.role == Role.SUPERVISOR


def _require_handler(actor, clue: Clue, *, supervisor: bool = False) -> None:
    _require_writer(actor)
    if not selectors.clues_for_staff(actor).filter(pk=clue.pk).exists():
        raise not_found()
    if actor.role not in HANDLER_ROLES:
        raise clue_error(ClueErrorCode.PERMISSION_DENIED, "只有执法人员或科室负责人可以处置线索", status=403)
    if supervisor and actor.role != Role.SUPERVISOR:
        raise clue_error(ClueErrorCode.PERMISSION_DENIED, "该操作须由科室负责人/局领导办理", status=403)


def _event(clue: Clue, kind: str, *, actor=None, note: str = "", payload: Mapping[str, Any] | None = None, run: DetectionRun | None = None) -> ClueEvent:
    # Dates and decimals become strings, exactly as the ledger stores them.
    data = json.loads(canonical_json(dict(payload or {})))
    return ClueEvent.objects.create(clue=clue, kind=kind, actor=actor, note=note, payload=data, run=run)


def _ledger(actor, action: str, obj, payload: Mapping[str, Any]) -> None:
    ledger_append(actor=actor, action=action, object_type=f"clues.{obj._meta.model_name}", object_id=obj.pk, payload=dict(payload))


def _resolved(key: str, organisation: Organisation, on: date):
    return rs(key, organisation=organisation, on=on)


def _warnings(resolved) -> list[str]:
    return [w.message for w in resolved.warnings]


def _reload(clue: Clue) -> Clue:
    """The clue row locked for the rest of the transaction (PostgreSQL; SQLite serialises writers)."""
    return Clue.objects.select_for_update().get(pk=clue.pk)


def _close(clue: Clue, *, reason: str, note: str, actor=None, run: DetectionRun | None = None) -> None:
    clue.status = ClueStatus.CLOSED
    clue.is_open = False
    clue.close_reason = reason
    clue.close_note = note
    clue.closed_at = timezone.now()
    clue.closed_by = actor
    clue.save(update_fields=["status", "is_open", "close_reason", "close_note", "closed_at", "closed_by", "updated_at"])
    _event(clue, EventKind.CLOSED, actor=actor, note=f"{CloseReason(reason).label}：{note}"[:2000], payload={"reason": reason}, run=run)


def rule_citation(clue: Clue) -> str:
    """"CLU-S03「…」；依据：…" — the rule broken as the enterprise reads it in the reminder."""
    parts = [clue.rule_id]
    basis: list[str] = []
    if clue.scenario_id:
        parts.append(f"「{clue.scenario.title}」")
        for item in clue.scenario.legal_basis or []:
            if isinstance(item, Mapping):
                text = item.get("citation") or item.get("title") or item.get("text") or "，".join(str(v) for v in item.values() if v)
            else:
                text = str(item)
            if text:
                basis.append(str(text))
    citation = "".join(parts)
    if basis:
        citation += "；依据：" + "、".join(basis)
    return citation[:300]


# --- transfer deadline (CLU-X02) ------------------------------------------------------------------


def _apply_transfer_deadline(clue: Clue) -> dict[str, Any]:
    """Recompute `transfer_due_on` from min(major_hazard_on, repeat_reached_on) (CLU-X02), with the
    rule-set values in force on the trigger date. Raises RuleNotConfigured when they are missing."""
    trigger_on = triage.transfer_trigger_date(major_hazard_on=clue.major_hazard_on, repeat_reached_on=clue.repeat_reached_on)
    if trigger_on is None:
        clue.transfer_due_on = None
        clue.transfer_due_provisional = False
        return {}
    days = _resolved("transfer.days", clue.organisation, trigger_on)
    unit = _resolved("transfer.unit", clue.organisation, trigger_on)
    deadline = triage.transfer_deadline(trigger_on, int(days.value), str(unit.value), get_calendar())
    clue.transfer_due_on = deadline.due_date
    clue.transfer_due_provisional = deadline.provisional
    return {
        "trigger_on": trigger_on,
        "due_on": deadline.due_date,
        "days": days.value,
        "unit": unit.value,
        "provisional": deadline.provisional,
        "ruleset": {"transfer.days": days.version, "transfer.unit": unit.version},
        "warnings": _warnings(days) + _warnings(unit),
    }


def _apply_repeat_check(clue: Clue, on: date, *, actor=None, run: DetectionRun | None = None) -> triage.RepeatCheck:
    """AMB-08: after a non-correction on `on`, count the enterprise's uncorrected reminders within
    the window; at the threshold the clue becomes REPEATED with a transfer deadline (CLU-X02)."""
    count = _resolved("repeat.count", clue.organisation, on)
    window = _resolved("repeat.window", clue.organisation, on)
    dates = list(
        Reminder.objects.filter(clue__enterprise_id=clue.enterprise_id, status=ReminderStatus.NOT_CORRECTED, not_corrected_on__isnull=False)
        .values_list("not_corrected_on", flat=True)
    )
    check = triage.repeat_check(dates, on=on, count=int(count.value), window_months=int(window.value))
    if check.reached and clue.category not in (Category.CRIME_SUSPECTED,):
        clue.category = Category.REPEATED
        clue.repeat_reached_on = clue.repeat_reached_on or on
        deadline = _apply_transfer_deadline(clue)
        clue.save(update_fields=["category", "repeat_reached_on", "transfer_due_on", "transfer_due_provisional", "updated_at"])
        payload = {
            "in_window": check.in_window,
            "threshold": check.threshold,
            "window_months": check.window_months,
            "window_start": check.window_start,
            "transfer": deadline,
            "warnings": _warnings(count) + _warnings(window),
        }
        _event(
            clue,
            EventKind.REPEAT_THRESHOLD_REACHED,
            actor=actor,
            run=run,
            note=f"{check.window_months}个月内提醒后未改正 {check.in_window} 次（标准 {check.threshold} 次），认定屡教不改，应于 {clue.transfer_due_on} 前移交执法机构（CLU-X02）",
            payload=payload,
        )
        _ledger(actor, "clues.clue.repeat_reached", clue, payload)
    return check


# --- DEC-03: 一案双罚 hint -------------------------------------------------------------------------


def clue_note_dual_penalty_hint(clue: Clue, *, actor=None, run: DetectionRun | None = None) -> bool:
    """DEC-03: record the 一案双罚 hint once when the clue's rule and facts point at the principal
    person's duties (triage.PRINCIPAL_DUTY_HINTS). Idempotent; returns whether a hint applies.
    Callers hold a transaction (the engine on detection, the triage services)."""
    hint = triage.dual_penalty_hint(clue.rule_id, clue.facts)
    if hint is None:
        return False
    if clue.dual_penalty_hint:
        return True
    with transaction.atomic():
        clue.dual_penalty_hint = True
        clue.save(update_fields=["dual_penalty_hint", "updated_at"])
        _event(clue, EventKind.DUAL_PENALTY_HINT, actor=actor, run=run, note=hint.text, payload={"rule_id": hint.rule_id, "duty": hint.duty})
        _ledger(actor, "clues.clue.dual_penalty_hint", clue, {"rule_id": hint.rule_id, "duty": hint.duty})
    return True


# --- reminders (CLU-X01, CLU-L01/L02/L04) ---------------------------------------------------------


def reminder_send(*, actor, clue: Clue, text: str = "", on: date | None = None) -> Reminder:
    """告知提醒 (CLU-X01; S1 §3 before first-violation leniency, CLU-L02): only for a FIRST or
    MINOR clue the supervision unit holds, with no reminder pending. The correction deadline is
    `clue.correction_wd` working days (rule set in force on the sending day) after sending."""
    _require_handler(actor, clue)
    with transaction.atomic():
        clue = _reload(clue)
        if not clue.is_open or clue.status != ClueStatus.OPEN:
            raise clue_error(ClueErrorCode.WRONG_STATE, f"线索当前状态为「{clue.get_status_display()}」，不能发出告知提醒", rule="CLU-X01", status=409)
        problem = triage.may_remind(category=clue.category, owner=clue.owner, crime_suspected=clue.crime_suspected)
        if problem:
            raise clue_error(ClueErrorCode.NOT_REMINDABLE, problem, rule="CLU-X01", status=409)
        sent_on = on or today()
        period = _resolved("clue.correction_wd", clue.organisation, sent_on)
        deadline = triage.correction_deadline(sent_on, int(period.value), get_calendar())
        citation = rule_citation(clue)
        body = clean_text(text, 5000) or (
            f"经数据比对，发现贵单位存在以下情况：{clue.title}。该行为涉嫌违反{citation}。"
            f"请于{deadline.due_date.isoformat()}前改正，并通过本平台「我的整改提醒」答复改正情况、上传证明材料（如换发的许可证）。"
            "逾期未改正的，将依法移交执法机构处理。"
        )
        reminder = Reminder.objects.create(
            clue=clue,
            sent_at=timezone.now(),
            sent_by=actor,
            text=body,
            rule_citation=citation,
            correction_due_on=deadline.due_date,
            correction_due_provisional=deadline.provisional,
            correction_period_wd=int(period.value),
        )
        clue.status = ClueStatus.REMINDED
        clue.save(update_fields=["status", "updated_at"])
        payload = {
            "reminder": reminder.pk,
            "due_on": deadline.due_date,
            "period_wd": int(period.value),
            "provisional": deadline.provisional,
            "ruleset": {"clue.correction_wd": period.version, "jurisdiction": period.jurisdiction_used},
            "warnings": _warnings(period),
        }
        _event(clue, EventKind.REMINDER_SENT, actor=actor, note=f"告知提醒，改正期限 {deadline.due_date.isoformat()}（{int(period.value)}个工作日）", payload=payload)
        _ledger(actor, "clues.reminder.send", reminder, {"clue": clue.pk, **payload})
        clue_note_dual_penalty_hint(clue, actor=actor)
    return reminder


def _contact_authorised(actor, enterprise_id: int) -> bool:
    day = today()
    return ContactAuthorisation.objects.filter(user=actor, enterprise_id=enterprise_id, valid_from__lte=day, valid_to__gte=day).exists()


def reminder_answer_submit(*, actor, reminder: Reminder, text: str, files: Iterable[Any] = ()) -> ReminderAnswer:
    """The enterprise answers a reminder (e.g. "licence renewed", with the new licence attached).

    Only an enterprise contact currently authorised for the clue's enterprise (SUB-17); anybody
    else gets "not found". Each file becomes an evidence item with source ENTERPRISE_UPLOAD via
    zhifa.evidence.services (sniffed, stored write-once, fsynced, ledgered) before the answer row
    commits; a refused file stops the answer with the evidence store's message.
    """
    from zhifa.evidence.services import evidence_register

    _require_writer(actor)
    clue = reminder.clue
    if actor.role != Role.ENTERPRISE_CONTACT or not _contact_authorised(actor, clue.enterprise_id):
        raise not_found("告知提醒")
    if reminder.status not in (ReminderStatus.PENDING, ReminderStatus.ANSWERED) or not clue.is_open:
        raise clue_error(ClueErrorCode.WRONG_STATE, f"该提醒已{reminder.get_status_display()}，不能再答复", status=409)
    body = clean_text(text, 5000)
    if len(body) < MIN_TEXT:
        raise clue_error(ClueErrorCode.INVALID_INPUT, "请填写答复内容（改正情况说明）", field="text")
    files = list(files or [])
    items: list[EvidenceItem] = []
    enterprise = clue.enterprise
    now = timezone.now()
    for upload in files:
        name = getattr(upload, "name", "") or "附件"
        items.append(
            evidence_register(
                actor=actor,
                chunks=upload.chunks(),
                original_filename=name,
                declared_content_type=getattr(upload, "content_type", "") or "",
                size_hint=getattr(upload, "size", None),
                kind=EvidenceKind.DOCUMENTARY,
                title=clean_text(f"整改答复附件：{name}", 200),
                production_method="企业联系人通过平台上传",
                produced_at=now,
                producer=clean_text(f"{enterprise.name}（{actor}）", 100),
                object_proven=f"线索 {clue.number} 的改正情况（告知提醒 #{reminder.pk}）",
                source=EvidenceSource.ENTERPRISE_UPLOAD,
                enterprise=enterprise,
            )
        )
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().get(pk=reminder.pk)
        if reminder.status not in (ReminderStatus.PENDING, ReminderStatus.ANSWERED):
            raise clue_error(ClueErrorCode.WRONG_STATE, f"该提醒已{reminder.get_status_display()}，不能再答复", status=409)
        answer = ReminderAnswer.objects.create(reminder=reminder, submitted_by=actor, submitted_at=timezone.now(), text=body)
        if items:
            answer.evidence_items.add(*items)
        reminder.status = ReminderStatus.ANSWERED
        reminder.save(update_fields=["status", "updated_at"])
        clue = _reload(clue)
        if clue.status == ClueStatus.REMINDED:
            clue.status = ClueStatus.ANSWERED
            clue.save(update_fields=["status", "updated_at"])
        payload = {"reminder": reminder.pk, "answer": answer.pk, "evidence": [i.pk for i in items], "sha256": [i.file.sha256 for i in items]}
        _event(clue, EventKind.ANSWER_RECEIVED, actor=actor, note=body[:500], payload=payload)
        _ledger(actor, "clues.reminder.answer", answer, payload)
    return answer


def reminder_verify(*, actor, reminder: Reminder, corrected: bool, note: str = "", education: str = "") -> Reminder:
    """The officer verifies the correction (CLU-L01/L02/L04).

    Corrected in time → the clue closes as CORRECTED without penalty and the education given is
    recorded (CLU-L04; required). Not corrected → the reminder is NOT_CORRECTED, the clue goes back
    to 待处置, and if the enterprise reached the repeat threshold (AMB-08) it becomes REPEATED with
    a transfer deadline (CLU-X02).
    """
    clue = reminder.clue
    _require_handler(actor, clue)
    note = clean_text(note, 2000)
    education = clean_text(education, 5000)
    verified_on = today()
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().get(pk=reminder.pk)
        clue = _reload(clue)
        if reminder.status not in (ReminderStatus.PENDING, ReminderStatus.ANSWERED) or not clue.is_open:
            raise clue_error(ClueErrorCode.WRONG_STATE, f"该提醒已{reminder.get_status_display()}，不能重复核实", status=409)
        first_answer = reminder.answers.order_by("submitted_at").first()
        answered_on = local_date(first_answer.submitted_at) if first_answer else None
        reminder.verified_at = timezone.now()
        reminder.verified_by = actor
        reminder.verification_note = note
        if corrected:
            if not triage.corrected_in_time(due_on=reminder.correction_due_on, answered_on=answered_on, verified_on=verified_on):
                raise clue_error(
                    ClueErrorCode.NOT_CORRECTED_IN_TIME,
                    f"改正期限 {reminder.correction_due_on} 已过，企业未在期限内答复改正，不能按及时改正不予处罚办结（CLU-L01、CLU-L02），请核实为未改正",
                    rule="CLU-L02",
                    status=409,
                )
            if len(education) < MIN_TEXT:
                raise clue_error(ClueErrorCode.EDUCATION_REQUIRED, "不予处罚的，须记录对当事人的教育情况（CLU-L04）", field="education", rule="CLU-L04")
            reminder.status = ReminderStatus.CORRECTED
            reminder.education_record = education
            reminder.save(update_fields=["status", "verified_at", "verified_by", "verification_note", "education_record", "updated_at"])
            payload = {"reminder": reminder.pk, "corrected": True, "answered_on": answered_on, "verified_on": verified_on, "education": education}
            _event(clue, EventKind.CORRECTION_VERIFIED, actor=actor, note=note or "核实已在期限内改正", payload=payload)
            _close(clue, reason=CloseReason.CORRECTED, note=education, actor=actor)
            _ledger(actor, "clues.reminder.verify", reminder, {"clue": clue.pk, **payload})
            return reminder
        reminder.status = ReminderStatus.NOT_CORRECTED
        reminder.not_corrected_on = verified_on
        reminder.save(update_fields=["status", "verified_at", "verified_by", "verification_note", "not_corrected_on", "updated_at"])
        clue.status = ClueStatus.OPEN
        clue.save(update_fields=["status", "updated_at"])
        payload = {"reminder": reminder.pk, "corrected": False, "not_corrected_on": verified_on}
        _event(clue, EventKind.CORRECTION_REJECTED, actor=actor, note=note or "核实未改正", payload=payload)
        _ledger(actor, "clues.reminder.verify", reminder, {"clue": clue.pk, **payload})
        _apply_repeat_check(clue, verified_on, actor=actor)
    return reminder


def reminders_mark_overdue(as_of: date | None = None, *, actor=None) -> list[Reminder]:
    """Daily: a reminder with no answer after its deadline is not corrected (CLU-X01); its date of
    non-correction is the day after the deadline (triage.not_corrected_on_for_overdue); the clue
    goes back to 待处置 and the repeat threshold is checked (AMB-08, CLU-X02). Answered reminders
    wait for the officer's verification. One transaction per reminder."""
    as_of = as_of or today()
    done: list[Reminder] = []
    for reminder_id in list(selectors.reminders_overdue(as_of).order_by("correction_due_on", "pk").values_list("pk", flat=True)):
        with transaction.atomic():
            reminder = Reminder.objects.select_for_update().select_related("clue").get(pk=reminder_id)
            if not triage.reminder_overdue(status=reminder.status, due_on=reminder.correction_due_on, as_of=as_of):
                continue
            clue = _reload(reminder.clue)
            day = triage.not_corrected_on_for_overdue(reminder.correction_due_on)
            reminder.status = ReminderStatus.NOT_CORRECTED
            reminder.not_corrected_on = day
            reminder.save(update_fields=["status", "not_corrected_on", "updated_at"])
            if clue.status in (ClueStatus.REMINDED, ClueStatus.ANSWERED):
                clue.status = ClueStatus.OPEN
                clue.save(update_fields=["status", "updated_at"])
            payload = {"reminder": reminder.pk, "due_on": reminder.correction_due_on, "not_corrected_on": day, "as_of": as_of}
            _event(clue, EventKind.REMINDER_OVERDUE, actor=actor, note=f"改正期限 {reminder.correction_due_on} 已过，企业未答复改正", payload=payload)
            _ledger(actor, "clues.reminder.overdue", reminder, {"clue": clue.pk, **payload})
            try:
                _apply_repeat_check(clue, day, actor=actor)
            except RuleNotConfigured:
                log.warning("repeat.count/window not configured for clue %s; repeat check skipped", clue.pk)
            done.append(reminder)
    return done


def clue_close_corrected_by_data(clue: Clue, run: DetectionRun) -> Clue:
    """Called by the detection engine when a REMINDED/ANSWERED clue's data condition no longer holds
    (e.g. the licence was renewed): the correction is established from data (CLU-L04).

    In time (answered or run on/before the deadline, triage.corrected_in_time): the open reminder
    becomes CORRECTED, its education record is kept or created (triage.education_text), and the
    clue closes as CORRECTED without penalty. Late: the reminder counts as not corrected (AMB-08)
    and the clue closes as CONDITION_GONE — no first/minor leniency for a late correction.
    Writes events with the run, one ledger entry; the caller's transaction is joined if any.
    """
    with transaction.atomic():
        clue = _reload(clue)
        if not clue.is_open:
            return clue
        clue.condition_holds = False
        clue.save(update_fields=["condition_holds", "updated_at"])
        reminder = selectors.latest_open_reminder(clue)
        if reminder is None:
            _close(clue, reason=CloseReason.CONDITION_GONE, note=f"检测运行 #{run.pk}（基准日 {run.as_of}）数据条件不再成立", run=run)
            _ledger(None, "clues.clue.close_by_data", clue, {"run": run.pk, "reason": CloseReason.CONDITION_GONE})
            return clue
        first_answer = reminder.answers.order_by("submitted_at").first()
        answered_on = local_date(first_answer.submitted_at) if first_answer else None
        in_time = triage.corrected_in_time(due_on=reminder.correction_due_on, answered_on=answered_on, verified_on=run.as_of)
        reminder.verified_at = timezone.now()
        reminder.verification_note = f"检测运行 #{run.pk}（基准日 {run.as_of}）数据比对显示违法状态已消除"
        if in_time:
            education = reminder.education_record or triage.education_text(
                enterprise=clue.enterprise.name,
                rule_citation=reminder.rule_citation,
                sent_on=local_date(reminder.sent_at),
                due_on=reminder.correction_due_on,
                how=f"经{run.as_of.isoformat()}数据比对核实，违法状态已在期限内消除。",
            )
            reminder.status = ReminderStatus.CORRECTED
            reminder.education_record = education
            reminder.save(update_fields=["status", "verified_at", "verification_note", "education_record", "updated_at"])
            payload = {"run": run.pk, "reminder": reminder.pk, "in_time": True, "education": education}
            _event(clue, EventKind.CORRECTION_VERIFIED, note=reminder.verification_note, payload=payload, run=run)
            _close(clue, reason=CloseReason.CORRECTED, note=education, run=run)
        else:
            reminder.status = ReminderStatus.NOT_CORRECTED
            reminder.not_corrected_on = triage.not_corrected_on_for_overdue(reminder.correction_due_on)
            reminder.save(update_fields=["status", "verified_at", "verification_note", "not_corrected_on", "updated_at"])
            payload = {"run": run.pk, "reminder": reminder.pk, "in_time": False}
            _event(clue, EventKind.CORRECTION_REJECTED, note=f"改正期限 {reminder.correction_due_on} 后才改正，不属于及时改正", payload=payload, run=run)
            _close(clue, reason=CloseReason.CONDITION_GONE, note=f"{reminder.verification_note}；逾期改正，不适用及时改正不予处罚", run=run)
        _ledger(None, "clues.clue.close_by_data", clue, {**payload, "reason": clue.close_reason})
    return clue


# --- escalation and transfer (CLU-X02, CLU-X03) -----------------------------------------------------


def clue_mark_major_hazard(*, actor, clue: Clue, graded_on: date | None = None, note: str = "") -> Clue:
    """认定重大事故隐患 (CLU-X02): category MAJOR_HAZARD, severity MAJOR, and the transfer deadline
    from the grading date (transfer.days in transfer.unit, rule set in force on that date)."""
    _require_handler(actor, clue)
    graded_on = graded_on or today()
    if graded_on > today():
        raise clue_error(ClueErrorCode.INVALID_INPUT, "认定日期不能晚于今天", field="graded_on")
    note = clean_text(note, 2000)
    with transaction.atomic():
        clue = _reload(clue)
        if not clue.is_open or clue.status not in selectors.UNTRANSFERRED_STATUSES:
            raise clue_error(ClueErrorCode.WRONG_STATE, f"线索当前状态为「{clue.get_status_display()}」，不能再认定重大事故隐患", status=409)
        if clue.crime_suspected:
            raise clue_error(ClueErrorCode.JUDICIAL_REQUIRED, "线索涉嫌犯罪，应移送司法机关（CLU-X03）", rule="CLU-X03", status=409)
        clue.category = Category.MAJOR_HAZARD
        clue.severity = Severity.MAJOR
        clue.major_hazard_on = graded_on
        if clue.status in (ClueStatus.REMINDED, ClueStatus.ANSWERED):
            clue.status = ClueStatus.OPEN  # a major hazard is transferred, not corrected on a reminder
        deadline = _apply_transfer_deadline(clue)
        clue.save(update_fields=["category", "severity", "major_hazard_on", "status", "transfer_due_on", "transfer_due_provisional", "updated_at"])
        payload = {"graded_on": graded_on, "transfer": deadline}
        _event(clue, EventKind.MAJOR_HAZARD_MARKED, actor=actor, note=note or f"认定为重大事故隐患，应于 {clue.transfer_due_on} 前移交执法机构（CLU-X02）", payload=payload)
        _ledger(actor, "clues.clue.major_hazard", clue, payload)
        clue_note_dual_penalty_hint(clue, actor=actor)
    return clue


def enforcement_body_for(organisation: Organisation) -> Organisation | None:
    """The enforcement body of the same department: the organisation itself or its nearest
    ancestor flagged as an enforcement body (S1 §4: 同一部门的执法机构)."""
    ids = [int(p) for p in organisation.path.strip("/").split("/") if p]
    bodies = {o.pk: o for o in Organisation.objects.filter(pk__in=ids, is_enforcement_body=True)}
    for pk in reversed(ids):
        if pk in bodies:
            return bodies[pk]
    return None


def _transfer_evidence(actor, clue: Clue, evidence_items: Iterable[EvidenceItem] | None) -> list[EvidenceItem]:
    """The clue's snapshot, the evidence the enterprise sent with its answers, and any chosen item
    the actor may see (a foreign item is refused as not found)."""
    chosen = list(evidence_items or [])
    visible = set(evidence_visible_to(actor).filter(pk__in=[i.pk for i in chosen]).values_list("pk", flat=True))
    for item in chosen:
        if item.pk not in visible:
            raise clue_error(ClueErrorCode.NOT_FOUND, f"证据 #{item.pk} 不存在或无权查看", field="evidence", status=404)
    items: dict[int, EvidenceItem] = {i.pk: i for i in chosen}
    if clue.snapshot_evidence_id:
        items.setdefault(clue.snapshot_evidence_id, clue.snapshot_evidence)
    for item in EvidenceItem.objects.filter(pk__in=ReminderAnswer.evidence_items.through.objects.filter(reminderanswer__reminder__clue=clue).values("evidenceitem_id")):
        items.setdefault(item.pk, item)
    return list(items.values())


def _require_facts(facts_summary: str) -> str:
    facts = clean_text(facts_summary, 10000)
    if len(facts) < 10:
        raise clue_error(ClueErrorCode.FACTS_REQUIRED, "移交须写明违法事实（不少于10个字），并随附证据（CLU-X02）", field="facts_summary", rule="CLU-X02")
    return facts


def clue_transfer(*, actor, clue: Clue, facts_summary: str, evidence_items: Iterable[EvidenceItem] | None = None, note: str = "") -> Transfer:
    """Hand the clue's facts and evidence to the enforcement body of the same department (CLU-X02).

    The deadline (for MAJOR_HAZARD / REPEATED clues) was computed when the trigger occurred; a
    transfer after it is stored and flagged `late`. A suspected crime is refused here: it goes to
    the judicial organs (CLU-X03). General clues may be transferred for case filing (CLU-01).
    """
    _require_handler(actor, clue)
    facts = _require_facts(facts_summary)
    evidence = _transfer_evidence(actor, clue, evidence_items)
    with transaction.atomic():
        clue = _reload(clue)
        if not clue.is_open or clue.status not in selectors.UNTRANSFERRED_STATUSES or clue.owner != Owner.SUPERVISION:
            raise clue_error(ClueErrorCode.WRONG_STATE, f"线索当前状态为「{clue.get_status_display()}」，不能移交", status=409)
        if clue.crime_suspected or clue.category == Category.CRIME_SUSPECTED:
            raise clue_error(ClueErrorCode.JUDICIAL_REQUIRED, "线索涉嫌犯罪，应移送司法机关，不得以行政处罚代替（CLU-X03）", rule="CLU-X03", status=409)
        body = enforcement_body_for(clue.organisation)
        if body is None:
            raise clue_error(ClueErrorCode.NO_ENFORCEMENT_BODY, "未找到负责机构所属的执法主体，请管理员在机构设置中标明执法主体", status=409)
        sent_at = timezone.now()
        sent_on = local_date(sent_at)
        reason = {Category.MAJOR_HAZARD: TransferReason.MAJOR_HAZARD, Category.REPEATED: TransferReason.REPEATED}.get(clue.category, TransferReason.OTHER)
        trigger_on = triage.transfer_trigger_date(major_hazard_on=clue.major_hazard_on, repeat_reached_on=clue.repeat_reached_on) or sent_on
        late = triage.transfer_is_late(sent_on=sent_on, due_on=clue.transfer_due_on)
        transfer = Transfer.objects.create(
            clue=clue,
            kind=TransferKind.ENFORCEMENT,
            reason=reason,
            triggered_on=trigger_on,
            due_on=clue.transfer_due_on,
            sent_at=sent_at,
            sent_by=actor,
            to_organisation=body,
            to_body=body.enforcement_body_name or body.name,
            facts_summary=facts,
            late=late,
        )
        if evidence:
            transfer.evidence_items.add(*evidence)
        clue.status = ClueStatus.TRANSFERRED
        clue.owner = Owner.ENFORCEMENT
        clue.save(update_fields=["status", "owner", "updated_at"])
        payload = {
            "transfer": transfer.pk,
            "to": body.pk,
            "reason": reason,
            "due_on": clue.transfer_due_on,
            "late": late,
            "evidence": [i.pk for i in evidence],
            "facts_sha256": hashlib.sha256(facts.encode()).hexdigest(),
        }
        when = f"，期限 {clue.transfer_due_on}" if clue.transfer_due_on else ""
        _event(clue, EventKind.TRANSFERRED, actor=actor, note=(f"移交{transfer.to_body}{when}" + ("（逾期移交）" if late else "") + (f"；{clean_text(note, 500)}" if note else "")), payload=payload)
        _ledger(actor, "clues.clue.transfer", transfer, {"clue": clue.pk, **payload})
        clue_note_dual_penalty_hint(clue, actor=actor)
    return transfer


def clue_transfer_judicial(*, actor, clue: Clue, facts_summary: str, to_body: str, evidence_items: Iterable[EvidenceItem] | None = None) -> Transfer:
    """CLU-X03 (APL arts. 27, 57(4), 82): a suspected crime is transferred to the judicial organs;
    an administrative penalty may not substitute. Decided by a supervisor (科室负责人/局领导);
    possible while the clue is with the supervision unit or, after transfer, the enforcement body."""
    _require_handler(actor, clue, supervisor=True)
    facts = _require_facts(facts_summary)
    to_body = clean_text(to_body, 100)
    if len(to_body) < 2:
        raise clue_error(ClueErrorCode.INVALID_INPUT, "请填写接收移送的司法机关（如公安机关）", field="to_body", rule="CLU-X03")
    evidence = _transfer_evidence(actor, clue, evidence_items)
    with transaction.atomic():
        clue = _reload(clue)
        if not clue.is_open or clue.status not in (*selectors.UNTRANSFERRED_STATUSES, ClueStatus.TRANSFERRED):
            raise clue_error(ClueErrorCode.WRONG_STATE, f"线索当前状态为「{clue.get_status_display()}」，不能移送司法机关", status=409)
        sent_at = timezone.now()
        transfer = Transfer.objects.create(
            clue=clue,
            kind=TransferKind.JUDICIAL,
            reason=TransferReason.CRIME_SUSPECTED,
            triggered_on=local_date(sent_at),
            due_on=None,
            sent_at=sent_at,
            sent_by=actor,
            to_body=to_body,
            facts_summary=facts,
        )
        if evidence:
            transfer.evidence_items.add(*evidence)
        clue.crime_suspected = True
        clue.category = Category.CRIME_SUSPECTED
        clue.status = ClueStatus.JUDICIAL
        clue.save(update_fields=["crime_suspected", "category", "status", "updated_at"])
        payload = {"transfer": transfer.pk, "to_body": to_body, "evidence": [i.pk for i in evidence], "facts_sha256": hashlib.sha256(facts.encode()).hexdigest()}
        _event(clue, EventKind.JUDICIAL_TRANSFER, actor=actor, note=f"涉嫌犯罪，移送{to_body}（CLU-X03）", payload=payload)
        _ledger(actor, "clues.clue.transfer_judicial", transfer, {"clue": clue.pk, **payload})
    return transfer


def clue_dismiss(*, actor, clue: Clue, reason: str) -> Clue:
    """排除: the clue is found not to be a violation (data error, already lawful); reason required."""
    _require_handler(actor, clue)
    reason = clean_text(reason, 2000)
    if len(reason) < MIN_TEXT:
        raise clue_error(ClueErrorCode.REASON_REQUIRED, "排除线索须写明理由（不少于4个字）", field="reason")
    with transaction.atomic():
        clue = _reload(clue)
        if not clue.is_open or clue.status not in (*selectors.UNTRANSFERRED_STATUSES, ClueStatus.TRANSFERRED):
            raise clue_error(ClueErrorCode.WRONG_STATE, f"线索当前状态为「{clue.get_status_display()}」，不能排除", status=409)
        _event(clue, EventKind.DISMISSED, actor=actor, note=reason)
        _close(clue, reason=CloseReason.DISMISSED, note=reason, actor=actor)
        _ledger(actor, "clues.clue.dismiss", clue, {"reason": reason})
    return clue


# --- triggers (CLU-T01, CLU-T02) ---------------------------------------------------------------------

TRIGGER_CHANNEL = {
    **{k: Channel.WARNING for k in WARNING_TRIGGERS},
    TriggerKind.COMPLAINT: Channel.COMPLAINT,
    TriggerKind.TRANSFER: Channel.TRANSFER,
    TriggerKind.ASSIGNMENT: Channel.TRANSFER,
}


def trigger_rule_id(kind: str) -> str:
    return "CLU-T01" if kind in WARNING_TRIGGERS else "CLU-T02"


@dataclass
class TriggerResult:
    """What `trigger_receive` did: the trigger, whether it is new, the clue it opened (if any) and
    the data-quality finding for an unknown subject (if any)."""

    trigger: Trigger
    created: bool
    clue: Clue | None
    finding: DataQualityFinding | None
    complaint: Complaint | None = None

    @property
    def duplicate(self) -> bool:
        return not self.created


def _existing_result(trigger: Trigger) -> TriggerResult:
    finding = DataQualityFinding.objects.filter(code=QualityCode.UNKNOWN_SUBJECT, object_type="clues.trigger", object_id=str(trigger.pk)).order_by("-pk").first()
    complaint = Complaint.objects.filter(trigger=trigger).first()
    return TriggerResult(trigger=trigger, created=False, clue=trigger.clues.order_by("pk").first(), finding=finding, complaint=complaint)


def _validate_trigger(kind: str, source: str, external_ref: str, summary: str, occurred_at, payload) -> tuple[str, str, str, dict]:
    if kind not in TriggerKind.values:
        raise clue_error(ClueErrorCode.INVALID_INPUT, "触发类型无效", field="kind")
    source = clean_text(source, 64)
    external_ref = clean_text(external_ref, 100)
    if not source:
        raise clue_error(ClueErrorCode.INVALID_INPUT, "请填写来源系统", field="source")
    if not external_ref:
        raise clue_error(ClueErrorCode.INVALID_INPUT, "请填写来源编号（同一来源内唯一，用于去重）", field="external_ref")
    summary = clean_text(summary, 500)
    if len(summary) < MIN_TEXT:
        raise clue_error(ClueErrorCode.INVALID_INPUT, "请填写事件摘要（不少于4个字）", field="summary")
    if not isinstance(occurred_at, datetime) or timezone.is_naive(occurred_at):
        raise clue_error(ClueErrorCode.INVALID_INPUT, "发生时间须为含时区的日期时间", field="occurred_at")
    if occurred_at > timezone.now() + FUTURE_TOLERANCE:
        raise clue_error(ClueErrorCode.INVALID_INPUT, "发生时间晚于当前时间", field="occurred_at")
    payload = {} if payload is None else payload
    if not isinstance(payload, Mapping):
        raise clue_error(ClueErrorCode.INVALID_INPUT, "原始内容须为 JSON 对象", field="payload")
    try:
        raw = json.dumps(_json_safe(payload), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise clue_error(ClueErrorCode.INVALID_INPUT, "原始内容无法保存为 JSON", field="payload") from exc
    if len(raw.encode()) > MAX_PAYLOAD_BYTES:
        raise clue_error(ClueErrorCode.INVALID_INPUT, f"原始内容过大（上限 {MAX_PAYLOAD_BYTES // 1024} KB）", field="payload")
    return source, external_ref, summary, json.loads(raw)


def _json_safe(value: Any, depth: int = 0) -> Any:
    """A payload both JSON stores keep unchanged: no NUL in text (PostgreSQL refuses it), string
    keys, bounded nesting; NaN/infinity are refused by the caller (allow_nan=False)."""
    if depth > 32:
        raise ValueError("payload nested too deeply")
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, Mapping):
        return {str(k).replace("\x00", "\ufffd"): _json_safe(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v, depth + 1) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    raise TypeError(f"unsupported payload value {type(value).__name__}")


def first_violation_of(clue: Clue) -> triage.FirstViolation:
    """CLU-L02: earlier clues of the same enterprise under the same rule (dismissed ones were no
    violation and do not count), with the rule set's lookback or the documented fallback."""
    on = local_date(clue.detected_at)
    earlier = (
        Clue.objects.filter(enterprise_id=clue.enterprise_id, rule_id=clue.rule_id, detected_at__lt=clue.detected_at)
        .exclude(pk=clue.pk)
        .exclude(close_reason=CloseReason.DISMISSED)
        .values_list("detected_at", flat=True)
    )
    return triage.first_violation(earlier_on=[local_date(d) for d in earlier], on=on, lookback_months=first_violation_lookback(clue.organisation.effective_jurisdiction, on))


def _receive(*, actor, kind: str, source: str, external_ref: str, uscc: str, occurred_at, summary: str, payload, complaint: Mapping[str, Any] | None = None) -> TriggerResult:
    _require_writer(actor)
    if not (actor.is_superuser or actor.role in TRIGGER_ROLES):
        raise clue_error(ClueErrorCode.PERMISSION_DENIED, "您的角色无权登记触发事件", status=403)
    source, external_ref, summary, payload = _validate_trigger(kind, source, external_ref, summary, occurred_at, payload)
    existing = Trigger.objects.filter(source=source, external_ref=external_ref).first()
    if existing is not None:
        return _existing_result(existing)
    uscc_text = clean_text(uscc, 32)
    enterprise = None
    if uscc_text:
        try:
            uscc_text = validate_uscc(uscc_text)
        except InvalidIdentifier as exc:
            raise clue_error(ClueErrorCode.INVALID_INPUT, f"统一社会信用代码无效：{exc}", field="uscc") from exc
        enterprise = Enterprise.objects.filter(uscc=uscc_text).select_related("organisation").first()
        if enterprise is not None and not enterprises_visible_to(actor).filter(pk=enterprise.pk).exists():
            raise clue_error(ClueErrorCode.SUBJECT_OUT_OF_SCOPE, "该企业不在您的管辖范围内，请由其属地机构登记", field="uscc", status=403)
    elif kind != TriggerKind.COMPLAINT:
        raise clue_error(ClueErrorCode.INVALID_INPUT, "请填写涉及企业的统一社会信用代码", field="uscc")
    organisation = enterprise.organisation if enterprise else actor.organisation
    if organisation is None:
        raise clue_error(ClueErrorCode.INVALID_INPUT, "未知企业的触发事件须由所属机构的人员登记", field="uscc")
    try:
        with transaction.atomic():
            trigger = Trigger.objects.create(
                kind=kind,
                source=source,
                external_ref=external_ref,
                enterprise=enterprise,
                subject_uscc=uscc_text,
                occurred_at=occurred_at,
                summary=summary,
                payload=payload,
                payload_sha256=hashlib.sha256(canonical_json(payload)).hexdigest(),
                received_by=actor,
                organisation=organisation,
            )
            complaint_row = None
            if kind == TriggerKind.COMPLAINT:
                data = dict(complaint or {})
                complaint_row = Complaint.objects.create(
                    trigger=trigger,
                    complainant_name=clean_text(data.get("complainant_name"), 50),
                    complainant_phone=clean_text(data.get("complainant_phone"), 20),
                    anonymous=bool(data.get("anonymous", not data.get("complainant_name"))),
                    content=clean_text(data.get("content") or summary, 10000),
                )
            finding = None
            clue = None
            trigger_payload = {"kind": kind, "source": source, "external_ref": external_ref, "uscc": uscc_text, "payload_sha256": trigger.payload_sha256}
            if enterprise is None and uscc_text:
                finding = DataQualityFinding.objects.create(
                    code=QualityCode.UNKNOWN_SUBJECT,
                    object_type="clues.trigger",
                    object_id=str(trigger.pk),
                    message=f"触发事件 {source}/{external_ref} 的统一社会信用代码 {uscc_text} 不在主体库中，未生成线索"[:300],
                )
            if enterprise is not None:
                clue = _open_trigger_clue(actor, trigger, enterprise)
            _ledger(actor, "clues.trigger.receive", trigger, {**trigger_payload, "clue": clue.pk if clue else None, "finding": finding.pk if finding else None})
    except IntegrityError:
        # A concurrent post of the same (source, external_ref) won the race: return that one.
        existing = Trigger.objects.filter(source=source, external_ref=external_ref).first()
        if existing is None:
            raise
        return _existing_result(existing)
    return TriggerResult(trigger=trigger, created=True, clue=clue, finding=finding, complaint=complaint_row)


def _open_trigger_clue(actor, trigger: Trigger, enterprise: Enterprise) -> Clue:
    """CLU-T01/T02: a warning- or event-triggered clue that records its trigger and reference."""
    now = timezone.now()
    rule_id = trigger_rule_id(trigger.kind)
    facts = {
        "trigger": {
            "kind": trigger.kind,
            "kind_label": TriggerKind(trigger.kind).label,
            "source": trigger.source,
            "external_ref": trigger.external_ref,
            "occurred_at": trigger.occurred_at.isoformat(),
            "summary": trigger.summary,
            "payload_sha256": trigger.payload_sha256,
        },
        "enterprise": {"id": enterprise.pk, "uscc": enterprise.uscc, "name": enterprise.name},
    }
    earlier = Clue.objects.filter(enterprise=enterprise, rule_id=rule_id).exclude(close_reason=CloseReason.DISMISSED).values_list("detected_at", flat=True)
    on = local_date(now)
    first = triage.first_violation(earlier_on=[local_date(d) for d in earlier], on=on, lookback_months=first_violation_lookback(enterprise.organisation.effective_jurisdiction, on))
    clue = Clue.objects.create(
        channel=TRIGGER_CHANNEL[trigger.kind],
        rule_id=rule_id,
        rule_version=1,
        trigger=trigger,
        enterprise=enterprise,
        organisation=enterprise.organisation,
        dedup_key=f"trigger:{trigger.source}:{trigger.external_ref}"[:120],
        title=f"{TriggerKind(trigger.kind).label}：{trigger.summary}"[:300],
        facts=facts,
        snapshot_sha256=snapshot_hash(facts),
        detected_at=now,
        violation_on=local_date(trigger.occurred_at),
        severity=Severity.GENERAL,
        category=triage.initial_category(severity=Severity.GENERAL, first_time=first.eligible),
    )
    _event(clue, EventKind.TRIGGER_RECEIVED, actor=actor, note=f"{TriggerKind(trigger.kind).label}（{trigger.source}/{trigger.external_ref}）：{trigger.summary}", payload={"trigger": trigger.pk, "first_violation": first.eligible, "first_violation_reason": first.reason})
    return clue


def trigger_receive(*, kind: str, source: str, external_ref: str, uscc: str, occurred_at, summary: str, payload: Mapping[str, Any] | None = None, actor) -> TriggerResult:
    """Receive an alarm, overdue approval/filing, patrol finding, complaint, transfer or assignment
    (CLU-T01/T02). Idempotent on (source, external_ref): posting the same event twice returns the
    first trigger with `created=False` and writes nothing. A USCC not in the register records the
    trigger and a DataQualityFinding (UNKNOWN_SUBJECT) and opens no clue; a known subject opens a
    clue (channel WARNING for T01 kinds, COMPLAINT/TRANSFER for T02) whose dedup key is
    `trigger:{source}:{external_ref}`."""
    return _receive(actor=actor, kind=kind, source=source, external_ref=external_ref, uscc=uscc, occurred_at=occurred_at, summary=summary, payload=payload)


# --- complaints (CLU-T03) ----------------------------------------------------------------------------


def complaint_register(*, actor, content: str, summary: str = "", uscc: str = "", occurred_at=None, source: str = "举报投诉登记",
                       external_ref: str = "", complainant_name: str = "", complainant_phone: str = "", anonymous: bool = False) -> TriggerResult:
    """Register a complaint/report (举报投诉, WSL art. 73; CLU-T02/T03): a COMPLAINT trigger, the
    complaint record and — when the subject is in the register — an event-triggered clue. Without
    `external_ref` a unique reference is generated (pages pass one per form so a double submit is
    one complaint)."""
    content = clean_text(content, 10000)
    if len(content) < MIN_TEXT:
        raise clue_error(ClueErrorCode.INVALID_INPUT, "请填写举报内容", field="content")
    summary = clean_text(summary, 500) or content[:120]
    return _receive(
        actor=actor,
        kind=TriggerKind.COMPLAINT,
        source=source,
        external_ref=external_ref or f"JB-{uuid.uuid4().hex[:16].upper()}",
        uscc=uscc,
        occurred_at=occurred_at or timezone.now(),
        summary=summary,
        payload={},
        complaint={"content": content, "complainant_name": complainant_name, "complainant_phone": complainant_phone, "anonymous": anonymous or not complainant_name},
    )


def _require_complaint_handler(actor, complaint: Complaint, *, supervisor: bool = False) -> None:
    _require_writer(actor)
    if not selectors.complaints_visible_to(actor).filter(pk=complaint.pk).exists():
        raise not_found("举报")
    if actor.role not in HANDLER_ROLES:
        raise clue_error(ClueErrorCode.PERMISSION_DENIED, "只有执法人员或科室负责人可以办理举报", status=403)
    if supervisor and actor.role != Role.SUPERVISOR:
        raise clue_error(ClueErrorCode.SIGNOFF_NOT_ALLOWED, "整改事项须由负责人（科室负责人/局领导）签批（CLU-T03）", rule="CLU-T03", status=403)


def _complaint_clue(complaint: Complaint) -> Clue | None:
    return complaint.trigger.clues.order_by("pk").first()


def _complaint_step(actor, complaint: Complaint, kind: str, note: str, payload: dict, action: str) -> None:
    clue = _complaint_clue(complaint)
    if clue is not None:
        _event(clue, kind, actor=actor, note=note[:2000], payload={"complaint": complaint.pk, **payload})
    _ledger(actor, action, complaint, payload)


def _lock_complaint(complaint: Complaint) -> Complaint:
    locked = Complaint.objects.select_for_update().select_related("trigger").get(pk=complaint.pk)
    if locked.closed_at is not None:
        raise clue_error(ClueErrorCode.WRONG_STATE, "该举报已办结", status=409)
    return locked


def complaint_verify(*, actor, complaint: Complaint, report: str, substantiated: bool, needs_rectification: bool) -> Complaint:
    """CLU-T03: verify the complaint and document it in a written verification report (required)."""
    _require_complaint_handler(actor, complaint)
    report = clean_text(report, 20000)
    if len(report) < 10:
        raise clue_error(ClueErrorCode.REPORT_REQUIRED, "请填写书面核查报告（不少于10个字，CLU-T03）", field="report", rule="CLU-T03")
    with transaction.atomic():
        complaint = _lock_complaint(complaint)
        complaint.verification_report = report
        complaint.verified_at = timezone.now()
        complaint.verified_by = actor
        complaint.substantiated = bool(substantiated)
        complaint.needs_rectification = bool(substantiated and needs_rectification)
        complaint.save(update_fields=["verification_report", "verified_at", "verified_by", "substantiated", "needs_rectification", "updated_at"])
        payload = {"substantiated": complaint.substantiated, "needs_rectification": complaint.needs_rectification, "report_sha256": hashlib.sha256(report.encode()).hexdigest()}
        verdict = "属实" if complaint.substantiated else "不属实"
        _complaint_step(actor, complaint, EventKind.COMPLAINT_VERIFIED, f"举报核查：{verdict}" + ("，需要整改" if complaint.needs_rectification else ""), payload, "clues.complaint.verify")
    return complaint


def complaint_leader_signoff(*, actor, complaint: Complaint, note: str = "") -> Complaint:
    """CLU-T03: matters requiring rectification are signed off by the responsible leader (a supervisor)."""
    _require_complaint_handler(actor, complaint, supervisor=True)
    with transaction.atomic():
        complaint = _lock_complaint(complaint)
        if complaint.verified_at is None:
            raise clue_error(ClueErrorCode.REPORT_REQUIRED, "举报尚未核查并形成书面核查报告，不能签批（CLU-T03）", rule="CLU-T03", status=409)
        if not complaint.needs_rectification:
            raise clue_error(ClueErrorCode.WRONG_STATE, "该举报核查后无需整改，不需要负责人签批", status=409)
        if complaint.leader_signoff_at is not None:
            raise clue_error(ClueErrorCode.WRONG_STATE, "该举报已经负责人签批", status=409)
        complaint.leader_signoff_by = actor
        complaint.leader_signoff_at = timezone.now()
        complaint.save(update_fields=["leader_signoff_by", "leader_signoff_at", "updated_at"])
        _complaint_step(actor, complaint, EventKind.COMPLAINT_SIGNED_OFF, f"负责人签批整改{('：' + clean_text(note, 500)) if note else ''}", {"note": clean_text(note, 500)}, "clues.complaint.signoff")
    return complaint


def complaint_transfer_out(*, actor, complaint: Complaint, transferred_to: str, note: str = "") -> Complaint:
    """CLU-T03: a matter outside the department's remit is passed to the competent department; an
    open clue of it is handed over (Transfer OTHER_DEPARTMENT) and closed."""
    _require_complaint_handler(actor, complaint)
    transferred_to = clean_text(transferred_to, 100)
    if len(transferred_to) < 2:
        raise clue_error(ClueErrorCode.INVALID_INPUT, "请填写移送的主管部门", field="transferred_to", rule="CLU-T03")
    note = clean_text(note, 2000)
    with transaction.atomic():
        complaint = _lock_complaint(complaint)
        complaint.out_of_scope = True
        complaint.transferred_to = transferred_to
        complaint.save(update_fields=["out_of_scope", "transferred_to", "updated_at"])
        clue = _complaint_clue(complaint)
        if clue is not None and clue.is_open and clue.status in selectors.UNTRANSFERRED_STATUSES:
            clue = _reload(clue)
            sent_at = timezone.now()
            Transfer.objects.create(
                clue=clue,
                kind=TransferKind.OTHER_DEPARTMENT,
                reason=TransferReason.OUT_OF_SCOPE,
                triggered_on=local_date(sent_at),
                sent_at=sent_at,
                sent_by=actor,
                to_body=transferred_to,
                facts_summary=complaint.content,
            )
            _close(clue, reason=CloseReason.TRANSFERRED_OUT, note=f"不属于本部门职责，已移送{transferred_to}", actor=actor)
        _complaint_step(actor, complaint, EventKind.COMPLAINT_TRANSFERRED_OUT, f"不属于本部门职责，移送{transferred_to}" + (f"：{note}" if note else ""), {"transferred_to": transferred_to}, "clues.complaint.transfer_out")
    return complaint


def complaint_close(*, actor, complaint: Complaint, note: str = "") -> Complaint:
    """CLU-T03: close only with the written verification report and, where rectification is
    needed, the leader's sign-off (out-of-remit complaints: with the receiving department). A
    complaint found unsubstantiated dismisses its open clue."""
    _require_complaint_handler(actor, complaint)
    note = clean_text(note, 2000)
    with transaction.atomic():
        complaint = _lock_complaint(complaint)
        problems = triage.complaint_close_problems(
            verification_report=complaint.verification_report,
            needs_rectification=complaint.needs_rectification,
            leader_signed_off=complaint.leader_signoff_at is not None,
            out_of_scope=complaint.out_of_scope,
            transferred_to=complaint.transferred_to,
        )
        if problems:
            raise clue_error(ClueErrorCode.COMPLAINT_NOT_CLOSABLE, "；".join(problems) + "（CLU-T03）", rule="CLU-T03", status=409, problems=problems)
        complaint.closed_at = timezone.now()
        complaint.save(update_fields=["closed_at", "updated_at"])
        clue = _complaint_clue(complaint)
        if clue is not None and clue.is_open and complaint.substantiated is False and clue.status in selectors.UNTRANSFERRED_STATUSES:
            clue = _reload(clue)
            _event(clue, EventKind.DISMISSED, actor=actor, note="举报经核查不属实")
            _close(clue, reason=CloseReason.DISMISSED, note="举报经核查不属实：" + complaint.verification_report[:500], actor=actor)
        _complaint_step(actor, complaint, EventKind.COMPLAINT_CLOSED, "举报办结" + (f"：{note}" if note else ""), {"note": note}, "clues.complaint.close")
    return complaint
