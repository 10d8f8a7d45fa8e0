"""Case journeys of issue 5 in a real browser (Playwright + /usr/bin/chromium against the live server).

Every step is done on the real pages by the role that does it, each signing in through the login
page: the officer (李执法, with 王执法 assisting), the head (吴科长), the legal reviewer (周法审), the
hearing presider (陈主持) and the enterprise's contact (企业安全员) in its portal.

(a) clue → case → notice → statement → legal review → decision → e-service → payment → closure →
    archive (a 30,000 yuan fine under benchmark WSL101, below the hearing threshold);
(b) an 80,000 yuan fine, above Putuo's demo threshold of 50,000 yuan for a unit, so the notice
    states the hearing right: the hearing is requested in the portal, scheduled (HRG-05 refuses a
    date less than 7 working days ahead) and recorded by a presider who is not an investigator;
    the reviewer's AMEND opinion is disputed by the officer and the committee decides (LRV-09);
(c) a first violation with no penalty (CLU-L04: refused without the education record), no notice,
    no review, decided by the head, served directly and closed.

The story starts today (documents carry the real issue time); later days come from the working-day
calendar. `clock` moves `today` of the case modules like the `on_day` fixture of the case tests —
the live server is a thread of this process, so the pages see the same day. The same journeys are
done through the services in zhifa/cases/tests/test_services.py.
"""
from __future__ import annotations

import os
from datetime import date

import pytest

from zhifa.accounts.choices import Role
from zhifa.accounts.tests.factories import TEST_PASSWORD, OfficerCredentialFactory, UserFactory
from zhifa.common.calendar_store import get_calendar
from zhifa.common.timeutil import today
from zhifa.subjects.tests.factories import ContactAuthorisationFactory, EnterpriseFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENTERPRISE = "普陀示范化工有限公司"
ALL_PASS = {"TRUE": True, "CLEAR": True, "COMPLETE": True, "ACCURATE": True, "LAWFUL": True}
DIMENSIONS = ("RISK", "CIRCUMSTANCE_MANNER", "CONSEQUENCE_IMPACT", "FAULT", "CORRECTION", "COOPERATION")


def _shot(page, name: str) -> None:
    """Save a full-page screenshot when ZHIFA_SCREENSHOT_DIR is set (for looking at the pages)."""
    folder = os.environ.get("ZHIFA_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def wd(start: date, n: int) -> date:
    """The n-th working day after `start`."""
    return get_calendar().add_working_days(start, n).due_date


# --- the world ----------------------------------------------------------------------------------


@pytest.fixture
def scene(org_tree, loaded_rulesets, settings, tmp_path):
    """The Putuo bureau of the case tests (`world` in zhifa/cases/tests/conftest.py) with known user
    names: two credentialled officers, the head, a qualified legal reviewer, a qualified hearing
    presider, the enterprise with its principal and portal contact, one admissible evidence item."""
    from zhifa.evidence.services import evidence_register, evidence_review
    from zhifa.evidence.tests.samples import chunked, jpeg_bytes, metadata

    settings.ZHIFA_EVIDENCE_DIR = tmp_path / "evidence-store"
    putuo = org_tree["putuo"]

    def staff(username, role, name, **credential):
        user = UserFactory(username=username, role=role, organisation=putuo, display_name=name)
        OfficerCredentialFactory(user=user, **credential)
        return user

    officer = staff("case_officer", Role.OFFICER, "李执法")
    officer2 = staff("case_officer2", Role.OFFICER, "王执法")
    head = staff("case_head", Role.SUPERVISOR, "吴科长")
    reviewer = staff("case_reviewer", Role.LEGAL_REVIEWER, "周法审", legal_review_qualified=True)
    presider = staff("case_presider", Role.LEGAL_REVIEWER, "陈主持", hearing_host_qualified=True)
    enterprise = EnterpriseFactory(organisation=putuo, name=ENTERPRISE, principal=PersonFactory(name="赵总"))
    contact = UserFactory(username="case_contact", role=Role.ENTERPRISE_CONTACT, organisation=None, display_name="企业安全员")
    ContactAuthorisationFactory(enterprise=enterprise, user=contact)
    item = evidence_register(actor=officer, chunks=chunked(jpeg_bytes(seed=5)), original_filename="site.jpg", declared_content_type="image/jpeg",
                             **metadata(enterprise=enterprise, title="隐患排查记录缺失现场照片"))
    evidence_review(actor=reviewer, item=item, criteria=ALL_PASS, opinion="符合要求")
    return {"officer": officer, "officer2": officer2, "head": head, "reviewer": reviewer, "presider": presider, "contact": contact,
            "enterprise": enterprise, "evidence": item}


@pytest.fixture
def clock(monkeypatch):
    """clock(day): `today` (Asia/Shanghai) of the case services, selectors, documents and pages."""
    from zhifa.cases import casedocs, selectors, services, views

    def _set(day: date) -> None:
        for module in (services, selectors, casedocs, views):
            monkeypatch.setattr(module, "today", lambda d=day: d)

    return _set


@pytest.fixture
def switch(page, login, logout):
    """Sign out whoever is signed in and sign in as `username` through the login page."""
    signed_in = []

    def _switch(username: str) -> None:
        if signed_in:
            page.goto("/")  # e.g. from the payment platform's page, which is not ours
            logout()
        login(username)
        signed_in[:] = [username]

    return _switch


# --- page helpers ---------------------------------------------------------------------------------


def submit(page, form, *, status: int = 200):
    """Press the form's submit button; the step must answer `status` (a refusal re-renders the page)."""
    with page.expect_navigation() as nav:
        form.locator("button[type=submit]").click()
    answer = nav.value
    if answer.status != status:
        errors = page.locator("#action-errors, .form-errors").all_inner_texts()
        pytest.fail(f"{form} answered {answer.status}, expected {status}: {errors}")
    return answer


def step(page, action: str, *, status: int = 200):
    """A button-only step of the 办理 section (#form-<action>)."""
    return submit(page, page.locator(f"#form-{action}"), status=status)


def state(page) -> str:
    return page.locator("#case-state").inner_text()


def message(page) -> str:
    return " ".join(page.locator(".messages").all_inner_texts())


def open_case(page, case_id: int) -> None:
    page.goto(f"/cases/{case_id}/")


def case_id_from(page) -> int:
    return int(page.url.split("/cases/")[1].split("/")[0])


def new_case_by_hand(page, scene, *, title: str, facts: str, origin: str = "INSPECTION", benchmark: str = "WSL101") -> int:
    """The officer proposes a case (拟立案) on /cases/new/ with 王执法 assisting."""
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="案件").click()
    page.wait_for_url("**/cases/")
    page.get_by_role("link", name="拟立案").click()
    page.wait_for_url("**/cases/new/")
    form = page.locator("#case-new")
    form.locator("[name=enterprise]").fill(str(scene["enterprise"].pk))
    form.locator("[name=title]").fill(title)
    form.locator("[name=facts]").fill(facts)
    form.locator("[name=origin]").select_option(origin)
    form.locator("[name=benchmark_code]").fill(benchmark)
    form.locator(f"input[name=officers][value='{scene['officer2'].pk}']").check()
    submit(page, form)
    assert state(page) == "待立案审批"
    return case_id_from(page)


def file_case(page, case_id: int) -> None:
    """The head approves filing (CAS-02) on the case page."""
    open_case(page, case_id)
    assert state(page) == "待立案审批"
    step(page, "file")
    assert "已批准立案" in message(page) and state(page) == "调查取证"


def link_evidence(page, scene, proves: str) -> None:
    page.get_by_text("关联证据", exact=True).click()
    form = page.locator("#form-evidence")
    form.locator("[name=item]").fill(str(scene["evidence"].pk))
    form.locator("[name=proves]").fill(proves)
    submit(page, form)
    assert scene["evidence"].title in page.locator("#case-evidence").inner_text()


def propose(page, *, kind: str, facts: str, law: str, fine: str = "", benchmark: str = "", scores: dict | None = None,
            discretion: str = "", correction: str = "", education: str = "", status: int = 200):
    """The officer's proposal with its discretion sheet (all six dimensions) for the (only) party."""
    page.get_by_text("提出/修改处理意见（裁量）").first.click()
    form = page.locator("form[id^='form-propose-']").first
    form.locator("[name=kind]").select_option(kind)
    if fine:
        form.locator("input[name=penalty_types][value=FINE]").check()
        form.locator("[name=fine]").fill(fine)
    if benchmark:
        form.locator("[name=benchmark_code]").fill(benchmark)
    for dimension in DIMENSIONS:
        form.locator(f"[name={dimension}]").select_option((scores or {}).get(dimension, "NORMAL"))
    form.locator("[name=facts]").fill(facts)
    form.locator("[name=law]").fill(law)
    form.locator("[name=discretion_text]").fill(discretion)
    form.locator("[name=correction_order]").fill(correction)
    form.locator("[name=education]").fill(education)
    return submit(page, form, status=status)


def document_number(page, kind_label: str) -> str:
    row = page.locator("#case-documents tbody tr").filter(has=page.get_by_role("cell", name=kind_label, exact=True))
    return row.locator("td.mono").inner_text()


def serve(page, number: str, *, method: str, served_on: date | None = None, channel: str = ""):
    """Serve the document numbered `number` on the party from the 文书 table."""
    row = page.locator("#case-documents tbody tr", has_text=number)
    row.get_by_text(f"向{ENTERPRISE}送达").click()
    form = row.locator("form[id^='form-serve-']")
    form.locator("[name=method]").select_option(method)
    if served_on:
        form.locator("[name=served_on]").fill(served_on.isoformat())
        form.locator("[name=recipient]").fill("王安全")
        form.locator("[name=recipient_role]").fill("安全员")
    if channel:
        form.locator("[name=channel]").select_option(channel)
    return submit(page, form)


def review(page, *, opinion: str, text: str) -> None:
    """The legal reviewer opens the case from the queue and fills the checklist item by item."""
    page.goto("/cases/reviews/")
    page.locator("#review-queue").get_by_role("link").first.click()
    form = page.locator("#form-review_complete")
    items = form.locator("select[name^='item_']")
    assert items.count() >= 10  # LRV-04's ten items (+ LRV-05's for a non-site case)
    for i in range(items.count()):
        items.nth(i).select_option("PASS")
    form.locator("[name=opinion]").select_option(opinion)
    form.locator("[name=opinion_text]").fill(text)
    submit(page, form)
    assert "已出具法制审核意见" in message(page)


def contact_opens_case(page, number: str) -> None:
    """The contact finds the case in 我的案件 of its portal."""
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的案件").click()
    page.wait_for_url("**/cases/mine/")
    page.locator("#my-cases").get_by_role("link", name=number).click()
    page.wait_for_url("**/cases/*/")


def post_from_page(page, path: str):
    """POST to `path` from the current page with its CSRF token — what a stale page or a crafted
    request sends for a step the page does not offer."""
    with page.expect_navigation() as nav:
        page.evaluate(
            """(path) => {
                const form = document.createElement('form');
                form.method = 'post';
                form.action = path;
                form.appendChild(document.querySelector('input[name=csrfmiddlewaretoken]').cloneNode());
                document.body.appendChild(form);
                form.submit();
            }""",
            path,
        )
    return nav.value


def penalty_case_noticed(page, switch, scene, *, case_id: int, fine: str, scores: dict, served: date) -> str:
    """Filed case → evidence → proposal → end of investigation → notice served directly; returns
    the notice's number."""
    switch("case_head")
    file_case(page, case_id)
    switch("case_officer")
    open_case(page, case_id)
    link_evidence(page, scene, "未如实记录隐患排查治理情况")
    propose(page, kind="PENALTY", fine=fine, benchmark="WSL101", scores=scores, facts="经查，该公司2026年第一季度未如实记录隐患排查治理情况",
            law="《中华人民共和国安全生产法》第一百零一条第五项", discretion="按裁量基准WSL101综合六项情节确定罚款数额",
            correction="责令于十个工作日内改正，如实记录隐患排查治理情况")
    assert f"罚款 {fine}.00 元" in page.locator(".proposal").inner_text()
    step(page, "close_investigation")
    assert state(page) == "调查终结（拟处理）"
    step(page, "notice")
    assert state(page) == "已告知（陈述申辩期）"
    notice = document_number(page, "行政处罚告知书")
    serve(page, notice, method="DIRECT", served_on=served)
    assert f"送达日期 {served:%Y-%m-%d}" in message(page)
    return notice


# --- (a) ------------------------------------------------------------------------------------------


def test_case_journey_a__clue_to_archive_with_statement_review_eservice_and_payment(page, switch, scene, clock):
    from zhifa.clues.tests.factories import ClueFactory, ScenarioFactory

    day0 = today()
    clock(day0)
    scenario = ScenarioFactory(code="CLU-S01", title="未按规定报送安全生产数据", evaluator="report_overdue",
                               condition="存在报送义务，截止日后仍未报送")
    clue = ClueFactory(enterprise=scene["enterprise"], scenario=scenario, title=f"{ENTERPRISE}：2026年第一季度隐患排查治理情况逾期未报送",
                       facts={"report": "2026年第一季度隐患排查治理情况", "status": "逾期未报送"})
    # given an open clue, the officer opens a case from the clue's page, 王执法 assisting
    switch("case_officer")
    page.goto(f"/clues/{clue.pk}/")
    page.locator("#open-case").click()
    page.wait_for_url(f"**/cases/new/?clue={clue.pk}")
    form = page.locator("#case-new")
    form.locator(f"input[name=officers][value='{scene['officer2'].pk}']").check()
    submit(page, form)
    case_id = case_id_from(page)
    assert state(page) == "待立案审批" and "待机关负责人审批" in message(page)
    assert page.locator("#case-number").inner_text().endswith("号")
    number = page.locator("#case-number").inner_text()
    # when the head approves filing and the officer investigates, proposes 30,000 yuan and serves the notice
    notice = penalty_case_noticed(page, switch, scene, case_id=case_id, fine="30000", scores={}, served=day0)
    party = page.locator("section.party").first
    assert "建议档次 一般：30000.00–70000.00 元" in party.inner_text()  # DSC-01: all six dimensions 一般
    statement_end = wd(day0, 3)
    assert party.locator(".statement-end").inner_text() == statement_end.isoformat()
    assert party.locator(".hearing-end").count() == 0  # 30,000 yuan: no hearing right (HRG-01)
    # then the enterprise contact sees the notice in its portal and states its defence
    switch("case_contact")
    contact_opens_case(page, number)
    assert state(page) == "已告知（陈述申辩期）" and notice in page.locator("section.party").inner_text()
    form = page.locator("form[id^='form-statement-']")
    form.locator("[name=text]").fill("我公司已补记全部隐患排查治理情况，请求从轻处罚")
    submit(page, form)
    assert "陈述申辩已提交" in message(page)
    _shot(page, "case-a-portal-statement")
    # and the officer answers it (RTS-03)
    switch("case_officer")
    open_case(page, case_id)
    form = page.locator("form[id^='form-reply-']")
    form.locator("[name=result]").select_option("PARTLY")
    form.locator("[name=reasons]").fill("整改属实，已在裁量中考虑；罚款数额在一般档次内")
    submit(page, form)
    assert "部分采纳" in page.locator(".statement").inner_text()
    # when the statement window has run out (RTS-04), the officer submits for legal review
    clock(wd(day0, 4))
    open_case(page, case_id)
    page.get_by_text("提交法制审核", exact=True).first.click()
    page.locator("#form-review_submit [name=materials]").fill("立案审批表、证据、告知书及送达回证、陈述申辩及复核意见")
    submit(page, page.locator("#form-review_submit"))
    assert state(page) == "法制审核"
    # and the reviewer passes it item by item, the officer agrees, the head decides
    switch("case_reviewer")
    review(page, opinion="PASS", text="事实清楚，证据确凿，程序合法，裁量适当")
    switch("case_officer")
    open_case(page, case_id)
    form = page.locator("#form-review_respond")
    form.locator("[name=agrees]").select_option("1")
    submit(page, form)
    assert state(page) == "待决定"
    switch("case_head")
    open_case(page, case_id)
    step(page, "decide")
    assert state(page) == "已作出决定"
    decision = page.locator(".decision")
    assert "罚款 30000.00 元" in decision.inner_text()
    decision_number = decision.get_by_role("link").inner_text()
    # when the contact signs the e-service consent (SRV-02) in the portal
    switch("case_contact")
    page.goto("/notifications/consent/")
    form = page.get_by_role("form", name="签署确认书")
    form.locator("[name=use_in_app]").check()
    form.locator("[name=agree]").check()
    form.locator("[name=password]").fill(TEST_PASSWORD)
    with page.expect_navigation():
        form.get_by_role("button", name="签署确认书").click()
    assert "送达地址确认书已签署" in message(page)
    # and the officer serves the decision electronically in the portal (SRV-03: dated by arrival)
    switch("case_officer")
    open_case(page, case_id)
    serve(page, decision_number, method="ELECTRONIC", channel="IN_APP")
    assert "已发出电子送达" in message(page)
    open_case(page, case_id)
    assert state(page) == "已送达（履行中）"
    assert f"{today():%Y-%m-%d} 送达" in page.locator(".decision").inner_text()
    payment_code = page.locator(".payment .mono").inner_text()
    assert not page.locator("#deadlines").get_by_text("送达决定书").count()  # SRV-01 deadline met
    # and closing is refused while the fine is unpaid (CLS-01, PAY-02)
    step(page, "close", status=409)
    assert "CLS-01" in page.locator("#action-errors").inner_text()
    # then the contact finds the decision in 我的消息, sees the payment notice and pays on the platform's page
    switch("case_contact")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的消息").click()
    page.wait_for_url("**/notifications/inbox/")
    assert f"{decision_number} 电子送达" in page.locator("main").inner_text()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="罚款缴纳").click()
    page.wait_for_url("**/payments/mine/")
    card = page.locator("article.pay-card", has_text=payment_code)
    assert decision_number in card.inner_text() and "30000.00 元" in card.locator(".pay-amount-due").inner_text()
    card.locator("a.pay-go").click()
    page.wait_for_url(f"**/payments/sim/{payment_code}/")
    with page.expect_navigation():
        page.get_by_role("button", name="确认缴款").click()
    assert "缴款成功" in message(page)
    # and the officer sees the payment on the timeline, closes and archives the case
    switch("case_officer")
    open_case(page, case_id)
    assert "罚款已缴清" in page.locator("#timeline").inner_text()
    step(page, "close")
    assert state(page) == "已结案" and page.locator("#closure-reason").inner_text() == "罚款已缴清/已履行"
    step(page, "archive")
    assert state(page) == "已归档"
    _shot(page, "case-a-archived")
    kinds = page.locator("#case-documents").inner_text()
    for kind in ("立案审批表", "行政处罚告知书", "法制审核意见书", "行政处罚决定书", "结案报告"):
        assert kind in kinds


# --- (b) ------------------------------------------------------------------------------------------


def test_case_journey_b__major_fine_hearing_review_disagreement_and_committee(page, switch, scene, clock):
    day0 = today()
    clock(day0)
    # given a case opened by hand, filed, investigated and an 80,000 yuan fine proposed (two
    # aggravating circumstances: the 从重 band of WSL101, 70,000–100,000 yuan)
    switch("case_officer")
    case_id = new_case_by_hand(page, scene, title="未如实记录隐患排查治理情况（重大事故隐患未记录）",
                               facts="检查发现2026年第一季度隐患排查治理记录缺失，涉及重大事故隐患")
    number = page.locator("#case-number").inner_text()
    penalty_case_noticed(page, switch, scene, case_id=case_id, fine="80000", scores={"RISK": "HEAVIER", "CONSEQUENCE_IMPACT": "HEAVIER"}, served=day0)
    assert "建议档次 从重：70000.00–100000.00 元" in page.locator(".proposal").inner_text()
    # then the notice states the hearing right: 80,000 is above the threshold of 50,000 yuan (HRG-01)
    assert page.locator(".hearing-end").inner_text() == wd(day0, 5).isoformat()
    # when the contact requests a hearing in the portal
    switch("case_contact")
    contact_opens_case(page, number)
    form = page.locator("form[id^='form-hearing_request-']")
    form.locator("[name=agents]").fill("钱律师")
    submit(page, form)
    assert "听证申请已提交" in message(page) and state(page) == "听证"
    # and the head schedules it less than 7 working days ahead: refused with HRG-05
    switch("case_head")
    open_case(page, case_id)
    form = page.locator("form[id^='form-hearing_schedule-']")
    options = form.locator("[name=presider] option").all_inner_texts()
    assert "陈主持" in options and "李执法" not in options and "王执法" not in options  # HRG-08: not an investigator
    form.locator("[name=presider]").select_option(str(scene["presider"].pk))
    form.locator("[name=scheduled_on]").fill(wd(day0, 6).isoformat())
    form.locator("[name=place]").fill("普陀区应急管理局听证室")
    submit(page, form, status=409)
    errors = page.locator("#action-errors").inner_text()
    assert "七个工作日前通知当事人" in errors and f"最早可定于 {wd(day0, 7):%Y-%m-%d}" in errors and "HRG-05" in errors
    # the refused form is shown again with the names of the possible presiders
    form = page.locator("form[id^='form-hearing_schedule-']")
    assert "陈主持" in form.locator("[name=presider] option").all_inner_texts()
    # then on the 7th working day it is accepted
    hearing_day = wd(day0, 7)
    form.locator("[name=presider]").select_option(str(scene["presider"].pk))
    form.locator("[name=scheduled_on]").fill(hearing_day.isoformat())
    form.locator("[name=place]").fill("普陀区应急管理局听证室")
    submit(page, form)
    assert "已制作听证通知书" in message(page)
    assert f"{hearing_day:%Y-%m-%d} 于 普陀区应急管理局听证室 举行" in page.locator(".hearing").inner_text()
    # when the head tries to decide before the hearing was held (after the statement window)
    clock(wd(day0, 6))
    open_case(page, case_id)
    assert page.locator("#form-decide").count() == 0  # the page does not offer it
    answer = post_from_page(page, f"/cases/{case_id}/decide/")
    # then the decision is refused with the rule that forbids it (HRG-10) and nothing changes
    errors = page.locator("#action-errors").inner_text()
    assert answer.status == 409 and "已申请听证，须依听证笔录作出决定" in errors and "HRG-10" in errors
    assert state(page) == "听证"
    # when the presider holds the hearing and records it, signed by the party
    clock(hearing_day)
    switch("case_presider")
    open_case(page, case_id)
    form = page.locator("form[id^='form-hearing_record-']")
    form.locator("[name=outcome]").select_option("HELD")
    form.locator("[name=summary]").fill("当事人对违法事实无异议，请求减轻罚款；调查人员出示证据，当事人质证")
    form.locator("[name=party_signed]").check()
    submit(page, form)
    assert "已制作听证笔录" in message(page) and "听证已举行" in page.locator(".hearing").inner_text()
    # and the officer submits for legal review; the reviewer returns an AMEND opinion
    switch("case_officer")
    open_case(page, case_id)
    page.get_by_text("提交法制审核", exact=True).first.click()
    page.locator("#form-review_submit [name=materials]").fill("全部案卷材料及听证笔录")
    submit(page, page.locator("#form-review_submit"))
    assert state(page) == "法制审核"
    switch("case_reviewer")
    review(page, opinion="AMEND", text="建议综合整改情况将罚款调整为六万元")
    # and the officer disagrees: the case goes to the committee (LRV-09)
    switch("case_officer")
    open_case(page, case_id)
    assert "修改后通过" in page.locator("#review-respond").inner_text()
    form = page.locator("#form-review_respond")
    form.locator("[name=agrees]").select_option("0")
    form.locator("[name=note]").fill("涉及重大事故隐患，从重情节成立，维持八万元")
    submit(page, form)
    assert state(page) == "集体讨论"
    # then the head records the committee's collective decision and decides
    switch("case_head")
    open_case(page, case_id)
    form = page.locator("#form-committee")
    form.locator("[name=held_on]").fill(hearing_day.isoformat())
    form.locator("[name=members]").fill("吴科长，周法审，李执法，王执法，局长")
    form.locator("[name=conclusion]").select_option("HANDLER")
    form.locator("[name=text]").fill("经集体讨论，从重情节成立，维持罚款八万元的处理意见")
    submit(page, form)
    assert state(page) == "待决定"
    step(page, "decide")
    assert state(page) == "已作出决定"
    assert "罚款 80000.00 元" in page.locator(".decision").inner_text()
    _shot(page, "case-b-decided")
    timeline = page.locator("#timeline").inner_text()
    for entry in ("申请听证", "听证笔录", "修改后通过", "提交案审会", "案审会集体讨论"):
        assert entry in timeline


# --- (c) ------------------------------------------------------------------------------------------


def test_case_journey_c__first_violation_no_penalty_with_education(page, switch, scene, clock):
    day0 = today()
    clock(day0)
    # given a filed case of a first violation, corrected in time
    switch("case_officer")
    case_id = new_case_by_hand(page, scene, title="未按规定如实记录隐患排查治理情况（首违）", facts="首次发现隐患排查记录不全，企业当即补记")
    switch("case_head")
    file_case(page, case_id)
    # when the officer proposes no penalty for a first violation without the education record
    switch("case_officer")
    open_case(page, case_id)
    first_violation = {"kind": "NO_PENALTY_FIRST", "facts": "初次违法且危害后果轻微，并已及时改正",
                       "law": "《中华人民共和国行政处罚法》第三十三条第一款"}
    propose(page, **first_violation, status=409)
    # then it is refused with CLU-L04 shown on the page and nothing is saved
    errors = page.locator("#action-errors").inner_text()
    assert "应当对当事人进行教育并记录教育内容" in errors and "CLU-L04" in errors
    assert page.locator(".proposal").count() == 0
    # when the proposal carries the education given
    open_case(page, case_id)
    propose(page, **first_violation, education="约谈主要负责人赵总，讲解隐患排查治理制度，企业已补记并建立台账")
    assert "不予处罚（初次违法且危害后果轻微并及时改正）" in page.locator(".proposal").inner_text()
    step(page, "close_investigation")
    assert state(page) == "调查终结（拟处理）"
    # then no notice is offered (RTS-01: none for a no-penalty decision) and review may be skipped
    assert page.locator("#form-notice").count() == 0
    step(page, "skip_review")
    assert state(page) == "待决定"
    # when the head decides
    switch("case_head")
    open_case(page, case_id)
    step(page, "decide")
    assert state(page) == "已作出决定"
    decision_number = document_number(page, "不予行政处罚决定书")
    assert decision_number in page.locator(".decision").inner_text()
    assert page.locator(".payment").count() == 0
    # and the officer serves the decision directly and closes the case
    switch("case_officer")
    open_case(page, case_id)
    serve(page, decision_number, method="DIRECT", served_on=day0)
    assert state(page) == "已送达（履行中）"
    step(page, "close")
    # then the case is closed because the no-penalty decision was served
    assert state(page) == "已结案"
    assert page.locator("#closure-reason").inner_text().startswith("不予处罚决定已送达")
    assert "行政处罚告知书" not in page.locator("#case-documents").inner_text()
    _shot(page, "case-c-closed")
