"""Clue pages: inbox, detail and actions, triggers, complaints, statistics, 我的整改提醒.
Chinese pages, per-object access (a foreign clue is the 404 page), refused steps shown next to the
form with their status — never a 500."""
from __future__ import annotations

from datetime import timedelta

from django.test import Client

from zhifa.clues import services
from zhifa.clues.choices import Category, CloseReason, ClueStatus, ReminderStatus
from zhifa.clues.models import Clue, Complaint, Reminder, Transfer, Trigger
from zhifa.common.timeutil import today

from .factories import ClueFactory, ReminderFactory, ScenarioFactory, pdf_upload


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_clu_x02__inbox_lists_scoped_clues_with_counts_and_overdue_hint(w):
    # given a Putuo clue overdue for transfer and a Jing'an clue
    mine = ClueFactory(enterprise=w["enterprise"], category=Category.MAJOR_HAZARD, transfer_due_on=today() - timedelta(days=2))
    foreign = ClueFactory(enterprise=w["other_enterprise"], title="静安的线索")
    # when the Putuo officer opens the inbox
    response = login(w["officer"]).get("/clues/")
    # then only the own clue is listed, with the counts per scenario and the overdue hint
    html = response.content.decode()
    assert response.status_code == 200 and "线索收件箱" in html
    assert mine.title in html and foreign.title not in html
    assert 'id="overdue-transfers"><span class="stat-value">1<' in html
    assert "CLU-S07" in html and "已逾期" in html


def test_clu_x01__inbox_filters(w):
    ClueFactory(enterprise=w["enterprise"], title="待处置的线索")
    ClueFactory(enterprise=w["enterprise"], title="已办结的线索", status=ClueStatus.CLOSED, is_open=False)
    client = login(w["officer"])
    html = client.get("/clues/", {"status": "OPEN"}).content.decode()
    assert "待处置的线索" in html and "已办结的线索" not in html
    assert client.get("/clues/", {"status": "NOPE"}).status_code == 400
    ScenarioFactory(code="CLU-S01", title="未按规定报送安全生产数据")
    assert "待处置的线索" not in client.get("/clues/", {"scenario": "CLU-S01"}).content.decode()


def test_sub_17__contact_is_sent_to_its_reminders_and_cannot_open_clues(w):
    clue = ClueFactory(enterprise=w["enterprise"])
    client = login(w["contact"])
    response = client.get("/clues/")
    assert response.status_code == 302 and response["Location"].endswith("/clues/my/reminders/")
    assert client.get(f"/clues/{clue.pk}/").status_code == 404


def test_clu_x01__foreign_clue_is_404(w):
    foreign = ClueFactory(enterprise=w["other_enterprise"])
    response = login(w["officer"]).get(f"/clues/{foreign.pk}/")
    assert response.status_code == 404 and "不存在" in response.content.decode()
    assert login(w["officer"]).get("/clues/99999999999999999999/").status_code == 404


def test_clu_l04__reminder_answer_verify_through_the_pages(w):
    clue = ClueFactory(enterprise=w["enterprise"])
    officer = login(w["officer"])
    # the officer sends the reminder from the detail page
    detail = officer.get(f"/clues/{clue.pk}/").content.decode()
    assert "告知提醒（CLU-X01）" in detail and "首次或轻微违法" in detail
    response = officer.post(f"/clues/{clue.pk}/remind/", {"text": ""})
    assert response.status_code == 302
    reminder = Reminder.objects.get(clue=clue)
    # the contact sees it with the rule and deadline and answers with a file
    contact = login(w["contact"])
    page = contact.get("/clues/my/reminders/").content.decode()
    assert reminder.rule_citation in page and reminder.correction_due_on.isoformat() in page
    response = contact.post(f"/clues/my/reminders/{reminder.pk}/answer/", {f"r{reminder.pk}-text": "已换发许可证", f"r{reminder.pk}-files": [pdf_upload()]})
    assert response.status_code == 302, response.content.decode()[:2000]
    # the officer verifies
    response = officer.post(f"/clues/{clue.pk}/verify/", {"reminder": reminder.pk, "corrected": "yes", "education": "已告知许可证延续的规定并教育"})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.close_reason == CloseReason.CORRECTED
    html = officer.get(f"/clues/{clue.pk}/").content.decode()
    assert "已告知许可证延续的规定并教育" in html
    assert "整改答复附件：换发许可证.pdf" in html


def test_sub_17__contact_of_another_enterprise_gets_404_on_answer(w):
    clue = ClueFactory(enterprise=w["enterprise"], status=ClueStatus.REMINDED)
    reminder = ReminderFactory(clue=clue, sent_by=w["officer"])
    response = login(w["other_contact"]).post(f"/clues/my/reminders/{reminder.pk}/answer/", {f"r{reminder.pk}-text": "已整改"})
    assert response.status_code == 404
    assert not reminder.answers.exists()
    assert "目前没有整改提醒" in login(w["other_contact"]).get("/clues/my/reminders/").content.decode()


def test_clu_l04__missing_education_is_shown_next_to_the_form(w):
    clue = ClueFactory(enterprise=w["enterprise"], status=ClueStatus.REMINDED)
    reminder = ReminderFactory(clue=clue, sent_by=w["officer"])
    response = login(w["officer"]).post(f"/clues/{clue.pk}/verify/", {"reminder": reminder.pk, "corrected": "yes", "education": ""})
    assert response.status_code == 400
    assert "CLU-L04" in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.PENDING


def test_clu_x02__major_hazard_then_transfer_shows_the_deadline(w):
    clue = ClueFactory(enterprise=w["enterprise"])
    officer = login(w["officer"])
    assert officer.post(f"/clues/{clue.pk}/major-hazard/", {"graded_on": "", "note": "储罐区报警失效"}).status_code == 302
    clue.refresh_from_db()
    html = officer.get(f"/clues/{clue.pk}/").content.decode()
    assert f"移交期限：<strong>{clue.transfer_due_on:%Y-%m-%d}</strong>" in html
    # a transfer without facts is refused with the reason, nothing written
    response = officer.post(f"/clues/{clue.pk}/transfer/", {"facts_summary": "太短"})
    assert response.status_code == 400 and "移交须写明违法事实" in response.content.decode()
    assert not Transfer.objects.exists()
    assert officer.post(f"/clues/{clue.pk}/transfer/", {"facts_summary": "储罐区可燃气体报警装置失效，构成重大事故隐患"}).status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.TRANSFERRED
    assert "按期移交" in officer.get(f"/clues/{clue.pk}/").content.decode()


def test_clu_x01__refused_reminder_shows_the_rule(w):
    clue = ClueFactory(enterprise=w["enterprise"], category=Category.REPEATED)
    response = login(w["officer"]).post(f"/clues/{clue.pk}/remind/", {"text": ""})
    assert response.status_code == 409 and "CLU-X02" in response.content.decode()


def test_clu_x03__judicial_form_only_for_supervisors(w):
    clue = ClueFactory(enterprise=w["enterprise"])
    assert "移送司法机关（CLU-X03）" not in login(w["officer"]).get(f"/clues/{clue.pk}/").content.decode()
    assert login(w["officer"]).post(f"/clues/{clue.pk}/judicial/", {"facts_summary": "涉嫌非法经营危险化学品", "to_body": "公安分局"}).status_code == 403
    supervisor = login(w["supervisor"])
    assert "移送司法机关（CLU-X03）" in supervisor.get(f"/clues/{clue.pk}/").content.decode()
    assert supervisor.post(f"/clues/{clue.pk}/judicial/", {"facts_summary": "涉嫌非法经营危险化学品", "to_body": "上海市公安局普陀分局"}).status_code == 302


def test_auditor_reads_but_sees_no_actions(w):
    clue = ClueFactory(enterprise=w["enterprise"])
    client = login(w["auditor"])
    html = client.get(f"/clues/{clue.pk}/").content.decode()
    assert client.get(f"/clues/{clue.pk}/").status_code == 200 and 'id="form-remind"' not in html
    assert client.post(f"/clues/{clue.pk}/dismiss/", {"reason": "审计试图排除"}).status_code == 403
    clue.refresh_from_db()
    assert clue.is_open


def test_clu_t01__manual_trigger_twice_is_one_trigger(w):
    client = login(w["officer"])
    data = {"kind": "PATROL_FINDING", "source": "人工登记", "external_ref": "XC-2026-001", "uscc": w["enterprise"].uscc,
            "occurred_at": (today() - timedelta(days=1)).strftime("%Y-%m-%dT09:00"), "summary": "督查发现消防通道堵塞"}
    first = client.post("/clues/triggers/new/", data)
    assert first.status_code == 302
    second = client.post("/clues/triggers/new/", data, follow=True)
    assert "此前已登记" in second.content.decode()
    assert Trigger.objects.count() == 1 and Clue.objects.count() == 1


def test_clu_t01__unknown_subject_on_the_page(w):
    from zhifa.common.ids import make_uscc

    client = login(w["officer"])
    data = {"kind": "RISK_ALARM", "source": "人工登记", "external_ref": "BJ-1", "uscc": make_uscc("310107", 888_888),
            "occurred_at": today().strftime("%Y-%m-%dT08:00"), "summary": "可燃气体报警"}
    html = client.post("/clues/triggers/new/", data, follow=True).content.decode()
    assert "不在主体库中" in html and not Clue.objects.exists()
    bad = client.post("/clues/triggers/new/", {**data, "external_ref": "BJ-2", "uscc": "123"})
    assert bad.status_code == 400 and "统一社会信用代码无效" in bad.content.decode()


def test_clu_t03__complaint_page_refuses_closing_without_report(w):
    client = login(w["officer"])
    response = client.post("/clues/complaints/new/", {"external_ref": "JB-T1", "uscc": w["enterprise"].uscc, "content": "举报夜间违规装卸", "complainant_name": "王先生", "complainant_phone": "13912345678"})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    page = client.get(f"/clues/complaints/{complaint.pk}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page
    refused = client.post(f"/clues/complaints/{complaint.pk}/close/", {"note": ""})
    assert refused.status_code == 409 and "书面核查报告" in refused.content.decode()
    assert client.post(f"/clues/complaints/{complaint.pk}/verify/", {"report": "经调取视频核查，举报不属实，未见夜间作业", "substantiated": "no"}).status_code == 302
    assert client.post(f"/clues/complaints/{complaint.pk}/close/", {"note": ""}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.closed_at is not None
    assert client.post(f"/clues/complaints/{complaint.pk}/unknown-step/", {}).status_code == 404


def test_clu_x02__statistics_page(w):
    ClueFactory(enterprise=w["enterprise"])
    services.clue_dismiss(actor=w["officer"], clue=ClueFactory(enterprise=w["enterprise"]), reason="数据错误，已排除")
    client = login(w["officer"])
    html = client.get("/clues/stats/").content.decode()
    assert "线索统计" in html and "普陀区应急管理局" in html and 'id="share-non-site">100%' in html
    assert client.get("/clues/stats/", {"date_from": "2026-12-01", "date_to": "2026-01-01"}).status_code == 400


def test_nav_links_by_role(w):
    assert 'href="/clues/"' in login(w["officer"]).get("/").content.decode()
    html = login(w["contact"]).get("/clues/my/reminders/").content.decode()
    assert "我的整改提醒" in html and 'href="/clues/"' not in html
    assert login(w["officer"]).get("/clues/my/reminders/").status_code == 404


def test_overdue_reminder_flag_in_my_reminders(w):
    clue = ClueFactory(enterprise=w["enterprise"], status=ClueStatus.REMINDED)
    ReminderFactory(clue=clue, sent_by=w["officer"], correction_due_on=today() - timedelta(days=1))
    assert "已过期限" in login(w["contact"]).get("/clues/my/reminders/").content.decode()
    assert Clue.objects.filter(pk=clue.pk, status=ClueStatus.REMINDED).exists()
