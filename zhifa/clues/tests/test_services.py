"""Triage services: reminders, answers, verification, escalation, transfers, triggers, complaints.
Each write leaves a ClueEvent and a ledger entry; bad input leaves nothing half-written."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from zhifa.clues import services
from zhifa.clues.choices import (
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
)
from zhifa.clues.models import Clue, ClueEvent, Complaint, DataQualityFinding, Reminder, Transfer, Trigger
from zhifa.common.calendar_store import get_calendar
from zhifa.common.errors import ZhifaError
from zhifa.common.timeutil import today
from zhifa.evidence.choices import EvidenceSource
from zhifa.ledger.models import LedgerEntry

from .factories import ClueFactory, DetectionRunFactory, ReminderFactory, ScenarioFactory, pdf_upload


@pytest.fixture
def clue(w):
    return ClueFactory(enterprise=w["enterprise"])


def actions() -> list[str]:
    return list(LedgerEntry.objects.order_by("index").values_list("action", flat=True))


def kinds(clue) -> list[str]:
    return list(ClueEvent.objects.filter(clue=clue).order_by("pk").values_list("kind", flat=True))


# --- reminders ------------------------------------------------------------------------------------


def test_clu_x01__reminder_for_a_first_violation_with_a_working_day_deadline(w, clue):
    # given a FIRST clue held by the supervision unit
    # when the officer sends the reminder
    reminder = services.reminder_send(actor=w["officer"], clue=clue)
    # then the deadline is clue.correction_wd (10) working days after today (CN-SH pack)
    expected = get_calendar().add_working_days(today(), 10).due_date
    assert reminder.correction_due_on == expected and reminder.correction_period_wd == 10
    assert "CLU-S07" in reminder.rule_citation and "第七十七条" in reminder.rule_citation
    assert expected.isoformat() in reminder.text
    clue.refresh_from_db()
    assert clue.status == ClueStatus.REMINDED
    # and the step is on the timeline and in the ledger, with the rule-set warnings kept
    event = ClueEvent.objects.get(clue=clue, kind=EventKind.REMINDER_SENT)
    assert event.payload["period_wd"] == 10 and event.payload["ruleset"]["clue.correction_wd"] == "2023-12-01"
    assert "clues.reminder.send" in actions()


@pytest.mark.parametrize("category", [Category.MAJOR_HAZARD, Category.REPEATED, Category.GENERAL])
def test_clu_x01__no_reminder_for_other_categories(w, category):
    # given a clue that is not first/minor
    clue = ClueFactory(enterprise=w["enterprise"], category=category)
    # when a reminder is attempted / then it is refused and nothing is written
    with pytest.raises(ZhifaError) as exc:
        services.reminder_send(actor=w["officer"], clue=clue)
    assert exc.value.code_value == "CLUE_NOT_REMINDABLE"
    assert not Reminder.objects.exists() and not ClueEvent.objects.exists()


def test_clu_x03__no_reminder_for_a_suspected_crime(w):
    clue = ClueFactory(enterprise=w["enterprise"], crime_suspected=True)
    with pytest.raises(ZhifaError) as exc:
        services.reminder_send(actor=w["officer"], clue=clue)
    assert exc.value.rule == "CLU-X01" and "CLU-X03" in exc.value.message


def test_clu_x01__second_reminder_while_one_is_pending_is_refused(w, clue):
    services.reminder_send(actor=w["officer"], clue=clue)
    with pytest.raises(ZhifaError) as exc:
        services.reminder_send(actor=w["officer"], clue=clue)
    assert exc.value.status == 409


@pytest.mark.parametrize("who", ["jingan_officer", "auditor", "contact", "legal_reviewer", "device_admin"])
def test_clu_x01__only_handlers_in_scope_send_reminders(w, clue, who):
    with pytest.raises(ZhifaError) as exc:
        services.reminder_send(actor=w[who], clue=clue)
    assert exc.value.status in (403, 404)
    assert not Reminder.objects.exists()


def test_clu_x01__missing_rule_set_value_blocks_the_reminder(w, org_tree):
    # given a clue in a jurisdiction whose rule sets have no correction period (Guangdong)
    org_tree["jingan"].jurisdiction = "CN-GD"
    org_tree["jingan"].save()
    clue = ClueFactory(enterprise=w["other_enterprise"])
    # when the Jing'an officer reminds / then the missing value is an explicit error, not a guess
    with pytest.raises(ZhifaError) as exc:
        services.reminder_send(actor=w["jingan_officer"], clue=clue)
    assert exc.value.code_value == "RULESET_NOT_CONFIGURED" and "clue.correction_wd" in exc.value.message
    clue.refresh_from_db()
    assert clue.status == ClueStatus.OPEN and not Reminder.objects.exists()


# --- answers (SUB-17) -------------------------------------------------------------------------------


def test_sub_17__authorised_contact_answers_with_a_document(w, clue):
    # given a pending reminder
    reminder = services.reminder_send(actor=w["officer"], clue=clue)
    # when the enterprise's contact answers with the renewed licence
    answer = services.reminder_answer_submit(actor=w["contact"], reminder=reminder, text="已于本周取得换发的经营许可证", files=[pdf_upload()])
    # then the document is an evidence item uploaded by the enterprise, attached to the answer
    (item,) = answer.evidence_items.all()
    assert item.source == EvidenceSource.ENTERPRISE_UPLOAD and item.enterprise == w["enterprise"] and item.created_by == w["contact"]
    reminder.refresh_from_db()
    clue.refresh_from_db()
    assert reminder.status == ReminderStatus.ANSWERED and clue.status == ClueStatus.ANSWERED
    assert ClueEvent.objects.get(clue=clue, kind=EventKind.ANSWER_RECEIVED).payload["evidence"] == [item.pk]
    assert {"evidence.register", "clues.reminder.answer"} <= set(actions())


@pytest.mark.parametrize("who", ["other_contact", "officer", "auditor"])
def test_sub_17__nobody_else_answers(w, clue, who):
    # given a pending reminder of the 长寿 enterprise
    reminder = services.reminder_send(actor=w["officer"], clue=clue)
    # when the contact of another enterprise (or staff) answers / then it is not found (auditors: read-only)
    with pytest.raises(ZhifaError) as exc:
        services.reminder_answer_submit(actor=w[who], reminder=reminder, text="已整改完毕", files=[pdf_upload()])
    assert exc.value.status in (403, 404)
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.PENDING and not reminder.answers.exists()
    from zhifa.evidence.models import EvidenceItem

    assert not EvidenceItem.objects.exists()


def test_sub_17__answer_with_a_disguised_file_is_refused(w, clue):
    from django.core.files.uploadedfile import SimpleUploadedFile

    reminder = services.reminder_send(actor=w["officer"], clue=clue)
    bad = SimpleUploadedFile("licence.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with pytest.raises(ZhifaError):
        services.reminder_answer_submit(actor=w["contact"], reminder=reminder, text="已整改完毕", files=[bad])
    assert not reminder.answers.exists()


# --- verification (CLU-L01/L02/L04) -----------------------------------------------------------------


def test_clu_l04__verified_correction_closes_the_clue_with_the_education_record(w, clue):
    reminder = services.reminder_send(actor=w["officer"], clue=clue)
    services.reminder_answer_submit(actor=w["contact"], reminder=reminder, text="已取得换发的许可证", files=[])
    # when the officer verifies the correction with an education record
    services.reminder_verify(actor=w["officer"], reminder=reminder, corrected=True, note="核对许可证系统，已换发", education="已告知企业许可证到期前3个月申请延续的规定")
    # then the clue is closed as corrected without penalty and the education is recorded
    clue.refresh_from_db()
    reminder.refresh_from_db()
    assert (clue.status, clue.close_reason, clue.is_open) == (ClueStatus.CLOSED, CloseReason.CORRECTED, False)
    assert reminder.status == ReminderStatus.CORRECTED and "延续" in reminder.education_record
    assert clue.close_note == reminder.education_record
    assert kinds(clue)[-2:] == [EventKind.CORRECTION_VERIFIED, EventKind.CLOSED]
    assert "clues.reminder.verify" in actions()


def test_clu_l04__no_closure_without_education(w, clue):
    reminder = services.reminder_send(actor=w["officer"], clue=clue)
    with pytest.raises(ZhifaError) as exc:
        services.reminder_verify(actor=w["officer"], reminder=reminder, corrected=True, education="")
    assert exc.value.rule == "CLU-L04"
    clue.refresh_from_db()
    assert clue.is_open and clue.status == ClueStatus.REMINDED


def test_clu_l02__late_correction_is_not_closed_as_corrected(w):
    # given a reminder whose deadline passed without an answer
    clue = ClueFactory(enterprise=w["enterprise"], status=ClueStatus.REMINDED)
    reminder = ReminderFactory(clue=clue, correction_due_on=today() - timedelta(days=3), sent_by=w["officer"])
    # when the officer tries to close it as corrected / then it is refused
    with pytest.raises(ZhifaError) as exc:
        services.reminder_verify(actor=w["officer"], reminder=reminder, corrected=True, education="已教育")
    assert exc.value.code_value == "CLUE_NOT_CORRECTED_IN_TIME"


def test_amb_08__second_uncorrected_reminder_makes_the_clue_repeated(w):
    # given the enterprise already left one reminder uncorrected 40 days ago (another clue)
    earlier = ClueFactory(enterprise=w["enterprise"], status=ClueStatus.OPEN)
    ReminderFactory(clue=earlier, status=ReminderStatus.NOT_CORRECTED, not_corrected_on=today() - timedelta(days=40), sent_by=w["officer"])
    clue = ClueFactory(enterprise=w["enterprise"])
    reminder = services.reminder_send(actor=w["officer"], clue=clue)
    # when the officer finds this one not corrected either
    services.reminder_verify(actor=w["officer"], reminder=reminder, corrected=False, note="未见改正")
    # then 2 uncorrected reminders within 12 months (repeat.count/window) make it REPEATED with a 5-day deadline
    clue.refresh_from_db()
    assert clue.category == Category.REPEATED and clue.repeat_reached_on == today()
    assert clue.transfer_due_on == get_calendar().add_period(today(), 5, "CD").due_date
    assert clue.status == ClueStatus.OPEN
    event = ClueEvent.objects.get(clue=clue, kind=EventKind.REPEAT_THRESHOLD_REACHED)
    assert event.payload["in_window"] == 2 and event.payload["threshold"] == 2
    # and a further reminder is no longer allowed (CLU-X02: transfer)
    with pytest.raises(ZhifaError):
        services.reminder_send(actor=w["officer"], clue=clue)


def test_amb_08__single_uncorrected_reminder_allows_another_reminder(w, clue):
    reminder = services.reminder_send(actor=w["officer"], clue=clue)
    services.reminder_verify(actor=w["officer"], reminder=reminder, corrected=False)
    clue.refresh_from_db()
    assert clue.category == Category.FIRST and clue.transfer_due_on is None and clue.status == ClueStatus.OPEN
    assert services.reminder_send(actor=w["officer"], clue=clue).pk != reminder.pk


def test_clu_x01__overdue_reminders_are_marked_not_corrected(w):
    # given one overdue pending reminder, one answered overdue reminder and one still running
    overdue_clue = ClueFactory(enterprise=w["enterprise"], status=ClueStatus.REMINDED)
    overdue = ReminderFactory(clue=overdue_clue, correction_due_on=today() - timedelta(days=2), sent_by=w["officer"])
    answered = ReminderFactory(clue=ClueFactory(enterprise=w["enterprise"], status=ClueStatus.ANSWERED), status=ReminderStatus.ANSWERED,
                               correction_due_on=today() - timedelta(days=2), sent_by=w["officer"])
    running = ReminderFactory(clue=ClueFactory(enterprise=w["enterprise"], status=ClueStatus.REMINDED), sent_by=w["officer"])
    # when the daily job runs
    done = services.reminders_mark_overdue(today())
    # then only the unanswered overdue one is not corrected, dated the day after its deadline
    assert [r.pk for r in done] == [overdue.pk]
    overdue.refresh_from_db()
    assert overdue.status == ReminderStatus.NOT_CORRECTED and overdue.not_corrected_on == today() - timedelta(days=1)
    overdue_clue.refresh_from_db()
    assert overdue_clue.status == ClueStatus.OPEN
    answered.refresh_from_db()
    running.refresh_from_db()
    assert answered.status == ReminderStatus.ANSWERED and running.status == ReminderStatus.PENDING
    # and running it again changes nothing
    assert services.reminders_mark_overdue(today()) == []


# --- data-established correction (engine hook) ---------------------------------------------------------


def test_clu_l04__engine_hook_closes_reminded_clue_as_corrected(w, clue):
    reminder = services.reminder_send(actor=w["officer"], clue=clue)
    run = DetectionRunFactory(as_of=today())
    # when the engine finds the condition gone before the deadline
    services.clue_close_corrected_by_data(clue, run)
    # then the clue is closed CORRECTED with a created education record, the run on the timeline
    clue.refresh_from_db()
    reminder.refresh_from_db()
    assert (clue.close_reason, reminder.status, clue.condition_holds) == (CloseReason.CORRECTED, ReminderStatus.CORRECTED, False)
    assert "第三十三条" in reminder.education_record and clue.close_note == reminder.education_record
    assert ClueEvent.objects.filter(clue=clue, kind=EventKind.CLOSED, run=run).exists()
    assert "clues.clue.close_by_data" in actions()


def test_clu_l04__engine_hook_keeps_an_officer_education_record(w):
    clue = ClueFactory(enterprise=w["enterprise"], status=ClueStatus.ANSWERED)
    ReminderFactory(clue=clue, status=ReminderStatus.ANSWERED, education_record="已当面讲解许可证延续规定", sent_by=w["officer"])
    services.clue_close_corrected_by_data(clue, DetectionRunFactory())
    clue.refresh_from_db()
    assert clue.close_note == "已当面讲解许可证延续规定"


def test_clu_l02__engine_hook_after_the_deadline_is_not_leniency(w):
    clue = ClueFactory(enterprise=w["enterprise"], status=ClueStatus.REMINDED)
    reminder = ReminderFactory(clue=clue, correction_due_on=today() - timedelta(days=5), sent_by=w["officer"])
    services.clue_close_corrected_by_data(clue, DetectionRunFactory(as_of=today()))
    clue.refresh_from_db()
    reminder.refresh_from_db()
    assert clue.close_reason == CloseReason.CONDITION_GONE and reminder.status == ReminderStatus.NOT_CORRECTED


# --- escalation and transfer (CLU-X02/X03) -------------------------------------------------------------


def test_clu_x02__major_hazard_gets_a_five_day_deadline(w, clue):
    graded = today() - timedelta(days=1)
    services.clue_mark_major_hazard(actor=w["officer"], clue=clue, graded_on=graded)
    clue.refresh_from_db()
    assert (clue.category, clue.severity, clue.major_hazard_on) == (Category.MAJOR_HAZARD, Severity.MAJOR, graded)
    assert clue.transfer_due_on == get_calendar().add_period(graded, 5, "CD").due_date
    assert ClueEvent.objects.filter(clue=clue, kind=EventKind.MAJOR_HAZARD_MARKED).exists()


def test_clu_x02__transfer_with_facts_and_evidence(w, clue):
    services.clue_mark_major_hazard(actor=w["officer"], clue=clue)
    reminderless = Clue.objects.get(pk=clue.pk)
    transfer = services.clue_transfer(actor=w["officer"], clue=reminderless, facts_summary="储罐区可燃气体报警装置失效，构成重大事故隐患")
    clue.refresh_from_db()
    assert (clue.status, clue.owner) == (ClueStatus.TRANSFERRED, Owner.ENFORCEMENT)
    assert transfer.kind == TransferKind.ENFORCEMENT and transfer.to_organisation == w["enterprise"].organisation.parent  # 普陀区应急管理局
    assert transfer.due_on == clue.transfer_due_on and not transfer.late
    assert "clues.clue.transfer" in actions()


def test_clu_x02__late_transfer_is_flagged(w):
    clue = ClueFactory(enterprise=w["enterprise"], category=Category.MAJOR_HAZARD, major_hazard_on=today() - timedelta(days=20),
                       transfer_due_on=today() - timedelta(days=13))
    transfer = services.clue_transfer(actor=w["officer"], clue=clue, facts_summary="重大事故隐患，移交执法机构立案查处")
    assert transfer.late and transfer.triggered_on == today() - timedelta(days=20)


def test_clu_x02__transfer_without_facts_is_refused(w, clue):
    with pytest.raises(ZhifaError) as exc:
        services.clue_transfer(actor=w["officer"], clue=clue, facts_summary="  ")
    assert exc.value.code_value == "CLUE_FACTS_REQUIRED" and exc.value.field == "facts_summary"
    clue.refresh_from_db()
    assert clue.status == ClueStatus.OPEN and not Transfer.objects.exists() and not ClueEvent.objects.exists()


def test_clu_x03__suspected_crime_cannot_go_to_administrative_enforcement(w):
    clue = ClueFactory(enterprise=w["enterprise"], crime_suspected=True, category=Category.CRIME_SUSPECTED)
    with pytest.raises(ZhifaError) as exc:
        services.clue_transfer(actor=w["officer"], clue=clue, facts_summary="涉嫌非法经营危险化学品，数量巨大")
    assert exc.value.code_value == "CLUE_JUDICIAL_TRANSFER_REQUIRED"


def test_clu_x03__judicial_transfer_by_a_supervisor(w, clue):
    # an officer may not decide it
    with pytest.raises(ZhifaError) as exc:
        services.clue_transfer_judicial(actor=w["officer"], clue=clue, facts_summary="无证经营剧毒化学品，涉嫌犯罪", to_body="上海市公安局普陀分局")
    assert exc.value.status == 403
    # a supervisor may
    transfer = services.clue_transfer_judicial(actor=w["supervisor"], clue=clue, facts_summary="无证经营剧毒化学品，涉嫌犯罪", to_body="上海市公安局普陀分局")
    clue.refresh_from_db()
    assert (clue.status, clue.category, clue.crime_suspected) == (ClueStatus.JUDICIAL, Category.CRIME_SUSPECTED, True)
    assert transfer.kind == TransferKind.JUDICIAL and transfer.to_body == "上海市公安局普陀分局"


def test_clu_x02__dismiss_needs_a_reason(w, clue):
    with pytest.raises(ZhifaError) as exc:
        services.clue_dismiss(actor=w["officer"], clue=clue, reason="")
    assert exc.value.code_value == "CLUE_REASON_REQUIRED"
    services.clue_dismiss(actor=w["officer"], clue=clue, reason="许可证已于到期前延续，系统数据滞后")
    clue.refresh_from_db()
    assert (clue.status, clue.close_reason) == (ClueStatus.CLOSED, CloseReason.DISMISSED)
    with pytest.raises(ZhifaError):
        services.clue_dismiss(actor=w["officer"], clue=clue, reason="再次排除")


def test_dec_03__hint_recorded_for_hidden_danger_reporting(w):
    scenario = ScenarioFactory(code="CLU-S01", title="未按规定报送安全生产数据")
    clue = ClueFactory(enterprise=w["enterprise"], scenario=scenario, facts={"obligation": {"kind": "HIDDEN_DANGER", "period": "2026-Q3"}})
    services.reminder_send(actor=w["officer"], clue=clue)
    clue.refresh_from_db()
    assert clue.dual_penalty_hint
    assert ClueEvent.objects.filter(clue=clue, kind=EventKind.DUAL_PENALTY_HINT).count() == 1
    # idempotent
    assert services.clue_note_dual_penalty_hint(clue)
    assert ClueEvent.objects.filter(clue=clue, kind=EventKind.DUAL_PENALTY_HINT).count() == 1


# --- triggers (CLU-T01/T02) ----------------------------------------------------------------------------


def _alarm(w, **overrides):
    data = {
        "kind": "RISK_ALARM",
        "source": "iot-platform",
        "external_ref": "ALARM-0001",
        "uscc": w["enterprise"].uscc,
        "occurred_at": timezone.now() - timedelta(hours=1),
        "summary": "储罐区可燃气体浓度超限报警",
        "payload": {"sensor": "GT-101", "value": 35, "unit": "%LEL"},
        "actor": w["device_admin"],
    }
    data.update(overrides)
    return services.trigger_receive(**data)


def test_clu_t01__alarm_opens_a_warning_clue_with_its_reference(w):
    result = _alarm(w)
    assert result.created and result.finding is None
    clue = result.clue
    assert (clue.channel, clue.rule_id, clue.dedup_key) == (Channel.WARNING, "CLU-T01", "trigger:iot-platform:ALARM-0001")
    assert clue.trigger == result.trigger and clue.facts["trigger"]["external_ref"] == "ALARM-0001"
    assert clue.organisation == w["enterprise"].organisation and clue.category == Category.FIRST
    assert "clues.trigger.receive" in actions()


def test_clu_t01__alarm_posted_twice_is_one_trigger(w):
    first = _alarm(w)
    again = _alarm(w, summary="重复推送")
    assert again.duplicate and again.trigger.pk == first.trigger.pk and again.clue.pk == first.clue.pk
    assert Trigger.objects.count() == 1 and Clue.objects.count() == 1


def test_clu_t01__unknown_subject_is_a_data_quality_finding_not_a_clue(w):
    from zhifa.common.ids import make_uscc

    result = _alarm(w, uscc=make_uscc("310107", 999_999))
    assert result.created and result.clue is None
    assert result.finding.code == QualityCode.UNKNOWN_SUBJECT and result.trigger.organisation == w["device_admin"].organisation
    assert not Clue.objects.exists() and DataQualityFinding.objects.count() == 1
    assert _alarm(w, uscc=make_uscc("310107", 999_999)).finding.pk == result.finding.pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"uscc": "91310000ABC"}, "uscc"),
        ({"uscc": ""}, "uscc"),
        ({"kind": "EARTHQUAKE"}, "kind"),
        ({"external_ref": ""}, "external_ref"),
        ({"summary": ""}, "summary"),
        ({"occurred_at": timezone.now() + timedelta(days=2)}, "occurred_at"),
        ({"payload": ["not", "an", "object"]}, "payload"),
    ],
)
def test_clu_t01__bad_alarms_are_refused_with_the_field(w, overrides, field):
    with pytest.raises(ZhifaError) as exc:
        _alarm(w, **overrides)
    assert exc.value.field == field and exc.value.status == 400
    assert not Trigger.objects.exists()


def test_clu_t01__alarm_for_an_enterprise_out_of_scope_is_refused(w):
    with pytest.raises(ZhifaError) as exc:
        _alarm(w, uscc=w["other_enterprise"].uscc)
    assert exc.value.code_value == "CLUE_SUBJECT_OUT_OF_SCOPE"


@pytest.mark.parametrize("who", ["auditor", "contact"])
def test_clu_t01__auditors_and_contacts_post_no_triggers(w, who):
    with pytest.raises(ZhifaError) as exc:
        _alarm(w, actor=w[who])
    assert exc.value.status == 403


@pytest.mark.parametrize(("kind", "channel"), [("TRANSFER", Channel.TRANSFER), ("ASSIGNMENT", Channel.TRANSFER), ("PATROL_FINDING", Channel.WARNING)])
def test_clu_t02__event_triggers_open_clues_on_their_channel(w, kind, channel):
    result = _alarm(w, kind=kind, external_ref=f"REF-{kind}")
    assert result.clue.channel == channel
    assert result.clue.rule_id == ("CLU-T01" if kind == "PATROL_FINDING" else "CLU-T02")


# --- complaints (CLU-T03) -------------------------------------------------------------------------------


def _complaint(w, **kw):
    data = {"actor": w["officer"], "content": "举报该企业夜间违规装卸危险化学品", "uscc": w["enterprise"].uscc, "complainant_name": "王先生", "complainant_phone": "13912345678"}
    data.update(kw)
    return services.complaint_register(**data)


def test_clu_t03__complaint_cannot_close_without_report_or_signoff(w):
    result = _complaint(w)
    complaint = result.complaint
    assert result.clue.channel == Channel.COMPLAINT
    # closing without a written verification report is refused
    with pytest.raises(ZhifaError) as exc:
        services.complaint_close(actor=w["officer"], complaint=complaint)
    assert exc.value.code_value == "CLUE_COMPLAINT_NOT_CLOSABLE" and "核查报告" in exc.value.message
    # a report that needs rectification still needs the leader's sign-off
    services.complaint_verify(actor=w["officer"], complaint=complaint, report="经调取视频核查，举报属实，需整改装卸作业管理", substantiated=True, needs_rectification=True)
    with pytest.raises(ZhifaError) as exc:
        services.complaint_close(actor=w["officer"], complaint=complaint)
    assert "签批" in exc.value.message
    # only a supervisor signs off
    with pytest.raises(ZhifaError) as exc:
        services.complaint_leader_signoff(actor=w["officer"], complaint=complaint)
    assert exc.value.code_value == "CLUE_SIGNOFF_NOT_ALLOWED"
    services.complaint_leader_signoff(actor=w["supervisor"], complaint=complaint)
    services.complaint_close(actor=w["officer"], complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.closed_at is not None
    assert {EventKind.COMPLAINT_VERIFIED, EventKind.COMPLAINT_SIGNED_OFF, EventKind.COMPLAINT_CLOSED} <= set(kinds(result.clue))


def test_clu_t03__short_report_is_refused(w):
    complaint = _complaint(w).complaint
    with pytest.raises(ZhifaError) as exc:
        services.complaint_verify(actor=w["officer"], complaint=complaint, report="属实", substantiated=True, needs_rectification=False)
    assert exc.value.code_value == "CLUE_VERIFICATION_REPORT_REQUIRED"


def test_clu_t03__unsubstantiated_complaint_dismisses_its_clue(w):
    result = _complaint(w)
    services.complaint_verify(actor=w["officer"], complaint=result.complaint, report="经现场核查及视频调阅，未发现夜间装卸作业", substantiated=False, needs_rectification=True)
    services.complaint_close(actor=w["officer"], complaint=result.complaint)
    result.clue.refresh_from_db()
    assert result.clue.close_reason == CloseReason.DISMISSED
    assert not Complaint.objects.get(pk=result.complaint.pk).needs_rectification


def test_clu_t03__out_of_remit_complaint_is_passed_on(w):
    result = _complaint(w, content="举报该企业食堂食品卫生问题", external_ref="JB-0002")
    with pytest.raises(ZhifaError):
        services.complaint_transfer_out(actor=w["officer"], complaint=result.complaint, transferred_to="")
    services.complaint_transfer_out(actor=w["officer"], complaint=result.complaint, transferred_to="普陀区市场监督管理局")
    services.complaint_close(actor=w["officer"], complaint=result.complaint)
    result.clue.refresh_from_db()
    assert result.clue.close_reason == CloseReason.TRANSFERRED_OUT
    assert Transfer.objects.get(clue=result.clue).kind == TransferKind.OTHER_DEPARTMENT


def test_clu_t03__anonymous_complaint_without_subject_has_no_clue(w):
    result = services.complaint_register(actor=w["officer"], content="举报某无名小作坊私自储存汽油")
    assert result.complaint.anonymous and result.clue is None and result.finding is None
