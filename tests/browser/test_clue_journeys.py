"""Clue journeys in a real browser (Playwright + /usr/bin/chromium against the live server).

(a) detection (CLU-S07: operation licence expired, sales continue) → the officer sends a reminder
    → the enterprise contact answers with the renewed licence as a PDF → the officer verifies →
    the clue is closed as corrected without penalty, with the education record (CLU-L04);
(b) detection → the officer marks a major accident hidden danger → the 5-day transfer deadline is
    shown → transfer with facts → the clue is with the enforcement body (CLU-X02).
"Detection" is the real engine: `zhifa.clues.engine.detection_run` after loading the rule sets and
the scenario pack.
"""
from __future__ import annotations

import os
from datetime import timedelta

import pytest

from zhifa.accounts.choices import Role
from zhifa.accounts.tests.factories import UserFactory
from zhifa.clues.choices import CloseReason, ClueStatus, Owner
from zhifa.clues.models import Clue
from zhifa.common.calendar_store import get_calendar
from zhifa.common.timeutil import today
from zhifa.subjects.choices import ActivityKind, LicenceType
from zhifa.subjects.tests.factories import ActivitySignalFactory, ContactAuthorisationFactory, EnterpriseFactory, LicenceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% renewed licence\ntrailer<</Root 1 0 R>>\n%%EOF\n"



def _shot(page, name: str) -> None:
    """Save a full-page screenshot when ZHIFA_SCREENSHOT_DIR is set (for looking at the pages)."""
    folder = os.environ.get("ZHIFA_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)



@pytest.fixture
def detected(org_tree, settings, tmp_path):
    """The rule sets and scenario pack loaded, one enterprise violating CLU-S07, detection run."""
    from zhifa.clues.engine import detection_run
    from zhifa.clues.packs import scenario_pack_sync
    from zhifa.rulesets.selectors import clear_rulebook_cache
    from zhifa.rulesets.services import ruleset_load_packs

    settings.ZHIFA_EVIDENCE_DIR = tmp_path / "evidence-store"
    clear_rulebook_cache()
    ruleset_load_packs()
    scenario_pack_sync()
    day = today()
    enterprise = EnterpriseFactory(organisation=org_tree["street"], name="上海长寿危险品经营有限公司")
    LicenceFactory(enterprise=enterprise, licence_type=LicenceType.HC_OPERATION, number="沪普危化经〔2023〕0088",
                   valid_from=day - timedelta(days=3 * 365), valid_to=day - timedelta(days=60))
    ActivitySignalFactory(enterprise=enterprise, kind=ActivityKind.SALE, occurred_on=day - timedelta(days=10))
    officer = UserFactory(username="officer_clue", role=Role.OFFICER, organisation=org_tree["putuo"], display_name="李执法")
    contact = UserFactory(username="contact_clue", role=Role.ENTERPRISE_CONTACT, organisation=None, display_name="长寿联系人")
    ContactAuthorisationFactory(enterprise=enterprise, user=contact, valid_from=day - timedelta(days=1), valid_to=day + timedelta(days=365))
    detection_run(as_of=day, only_rule="CLU-S07")
    clue = Clue.objects.get(enterprise=enterprise, rule_id="CLU-S07")
    yield {"clue": clue, "enterprise": enterprise, "officer": officer, "contact": contact}
    clear_rulebook_cache()


def _open_clue_from_inbox(page, clue) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="线索").click()
    page.wait_for_url("**/clues/")
    page.locator("table.clue-table").get_by_role("link", name=clue.title).click()
    page.wait_for_url(f"**/clues/{clue.pk}/")


def test_clue_journey__reminder_answer_verified_closure(page, login, logout, detected, tmp_path):
    clue = detected["clue"]
    # given the officer finds the detected clue in the inbox
    login("officer_clue")
    _open_clue_from_inbox(page, clue)
    assert page.locator("#suggestion").inner_text() == "告知提醒、督促改正（不立案）"
    # when the officer sends the reminder
    page.locator("#form-remind").get_by_role("button", name="发出告知提醒").click()
    page.wait_for_url(f"**/clues/{clue.pk}/")
    due = get_calendar().add_working_days(today(), 10).due_date.isoformat()
    assert page.locator(".reminder-due").first.inner_text() == due
    logout()
    # and the enterprise contact answers with the renewed licence
    login("contact_clue")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的整改提醒").click()
    page.wait_for_url("**/clues/my/reminders/")
    card = page.locator("article.reminder").first
    assert card.locator(".reminder-due").inner_text() == due and "CLU-S07" in card.inner_text()
    card.get_by_label("改正情况说明").fill("已取得换发的危险化学品经营许可证，见附件")
    licence_pdf = tmp_path / "换发许可证.pdf"
    licence_pdf.write_bytes(PDF)
    card.get_by_label("证明材料").set_input_files(str(licence_pdf))
    card.get_by_role("button", name="提交答复").click()
    page.wait_for_url("**/clues/my/reminders/")
    assert page.locator(".reminder-status").first.inner_text() == "企业已答复"
    _shot(page, "my-reminders")
    logout()
    # and the officer verifies the correction with an education record
    login("officer_clue")
    page.goto(f"/clues/{clue.pk}/")
    assert page.get_by_text("整改答复附件：换发许可证.pdf").is_visible()
    form = page.locator("#form-verify")
    form.get_by_label("已在期限内改正").check()
    form.get_by_label("教育记录（CLU-L04）").fill("已向企业讲解许可证期满前3个月申请延续的规定，企业已改正")
    form.get_by_role("button", name="提交核实结论").click()
    page.wait_for_url(f"**/clues/{clue.pk}/")
    # then the clue is closed as corrected without penalty, the education on record
    assert page.locator("#close-reason").inner_text() == "已改正，不予处罚并已教育"
    _shot(page, "clue-closed")
    assert page.get_by_text("已向企业讲解许可证期满前3个月申请延续的规定").first.is_visible()
    clue.refresh_from_db()
    assert (clue.status, clue.close_reason) == (ClueStatus.CLOSED, CloseReason.CORRECTED)


def test_clue_journey__major_hazard_transfer_with_deadline(page, login, detected):
    clue = detected["clue"]
    # given the officer opens the detected clue
    login("officer_clue")
    _open_clue_from_inbox(page, clue)
    # when the officer marks it a major accident hidden danger
    page.locator("#form-major-hazard").get_by_role("button", name="认定重大事故隐患").click()
    page.wait_for_url(f"**/clues/{clue.pk}/")
    # then the 5-day deadline (transfer.days in transfer.unit, CN-SH) is shown
    due = get_calendar().add_period(today(), 5, "CD").due_date.isoformat()
    assert due in page.locator("#transfer-deadline").inner_text()
    assert page.locator("#category").inner_text() == "重大事故隐患"
    _shot(page, "clue-major-hazard")
    # when the officer transfers it with the facts
    form = page.locator("#form-transfer")
    form.get_by_label("移交事实").fill("危险化学品经营许可证已过期60日仍持续销售，经认定构成重大事故隐患")
    form.get_by_role("button", name="移交执法机构").click()
    page.wait_for_url(f"**/clues/{clue.pk}/")
    # then the transfer is recorded on time with its deadline, and the clue is with the enforcement body
    transfer = page.locator("article.transfer").first
    assert due in transfer.inner_text() and "按期移交" in transfer.inner_text()
    clue.refresh_from_db()
    assert (clue.status, clue.owner) == (ClueStatus.TRANSFERRED, Owner.ENFORCEMENT)
