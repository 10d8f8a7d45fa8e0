"""Services of publicity: duties created by events, review and publication, withdrawal, corrections,
expiry, catalogue and annual data — on a real database with the shipped rule sets (RULES §8)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from zhifa.accounts.tests.factories import OfficerCredentialFactory
from zhifa.common.calendar_store import get_calendar
from zhifa.common.errors import ZhifaError
from zhifa.common.timeutil import today
from zhifa.ledger.models import LedgerEntry
from zhifa.publicity import selectors, services
from zhifa.publicity.choices import ItemKind, ItemStatus, RequesterKind, RequestStatus, Trigger
from zhifa.publicity.models import PublicationItem, PublicationRevision


def refused(call) -> ZhifaError:
    with pytest.raises(ZhifaError) as exc:
        call()
    return exc.value


def wd(start: date, n: int) -> date:
    return get_calendar().add_working_days(start, n).due_date


@pytest.fixture
def on_day(monkeypatch):
    def _set(day: date) -> None:
        monkeypatch.setattr(services, "today", lambda d=day: d)
        monkeypatch.setattr(selectors, "today", lambda d=day: d)
    return _set


@pytest.fixture
def simple_decision(pub):
    """A simple-procedure penalty decision by two credentialled officers of Putuo (CAS-03)."""
    from zhifa.accounts.choices import Role
    from zhifa.cases.services import case_decide_simple

    def _make(fine: str = "2000"):
        officer2 = pub.org.users.filter(role=Role.OFFICER).exclude(pk=pub.collector.pk).first()
        if officer2 is None:
            from zhifa.accounts.tests.factories import UserFactory

            officer2 = UserFactory(role=Role.OFFICER, organisation=pub.org, display_name="王执法")
            OfficerCredentialFactory(user=officer2)
            OfficerCredentialFactory(user=pub.collector)
        return case_decide_simple(actor=pub.collector, enterprise=pub.enterprise, officers=[officer2], facts="未设置安全警示标志",
                                  law="《中华人民共和国安全生产法》第九十九条第一项", place="厂区", penalty_types=["FINE"], fine=fine)
    return _make


# --- PUB-01, PUB-11: a decision creates its duty ---------------------------------------------------------

def test_pub_11__a_penalty_decision_creates_a_masked_duty_due_7_working_days_later(pub, simple_decision):
    # given a penalty decided by Putuo's officers
    decision = simple_decision()
    # then a publication duty exists, owned by the deciding unit (PUB-01), due 7 WD after the decision (AMB-28)
    item = PublicationItem.objects.get(source_type="cases.decision", source_id=decision.pk)
    assert item.kind == ItemKind.PENALTY and item.status == ItemStatus.PENDING
    assert item.organisation == decision.party.case.organisation
    assert item.due_on == wd(decision.decided_on, 7) and item.due_rule == "PUB-11 pub.deadline_wd[PENALTY]"
    assert item.content["object_code"] == pub.enterprise.uscc and item.content["conclusion"] == "罚款人民币2,000.00元"
    assert item.content["document_number"] == decision.document.number
    # and nothing of the case file beyond the PUB-13 fields is in it
    assert set(item.content) == {"unit", "object", "object_code", "category", "conclusion", "basis", "decided_on", "document_number"}
    assert LedgerEntry.objects.filter(action="publicity.create", object_id=str(item.pk)).exists()


# --- PUB-02: review and publication --------------------------------------------------------------------------

def test_pub_02__the_collector_may_neither_review_nor_publish_and_review_comes_first(pub):
    item = pub.item()
    assert refused(lambda: services.item_publish(actor=pub.publisher, item=item)).rule == "PUB-02"
    collector_as_reviewer = pub.collector
    collector_as_reviewer.role = "SUPERVISOR"
    collector_as_reviewer.save()
    assert refused(lambda: services.item_review(actor=collector_as_reviewer, item=item, approve=True)).rule == "PUB-02"
    services.item_review(actor=pub.reviewer, item=item, approve=True)
    assert refused(lambda: services.item_publish(actor=collector_as_reviewer, item=item)).rule == "PUB-02"
    item = services.item_publish(actor=pub.publisher, item=item)
    assert item.status == ItemStatus.PUBLISHED and item.reviewed_by == pub.reviewer and item.published_by == pub.publisher


def test_pub_02__returning_needs_a_reason_and_the_collector_edits_before_a_new_review(pub):
    item = pub.item()
    assert refused(lambda: services.item_review(actor=pub.reviewer, item=item, approve=False)).field == "note"
    services.item_review(actor=pub.reviewer, item=item, approve=False, note="结论表述不准确")
    item = services.item_edit(actor=pub.collector, item=item, changes={"conclusion": "罚款人民币30,000.00元（已缴清）"})
    assert item.status == ItemStatus.PENDING and item.revisions.count() == 2


def test_pub_02__auditors_and_other_districts_cannot_act(pub):
    item = pub.item()
    assert refused(lambda: services.item_review(actor=pub.auditor, item=item, approve=True)).status == 403
    assert refused(lambda: services.item_review(actor=pub.foreign, item=item, approve=True)).status == 404


def test_pub_03__publication_records_the_required_channels(pub):
    item = pub.publish_item()
    assert {"DISTRICT_PORTAL", "CREDIT_SHANGHAI", "WECHAT"} <= set(item.channels)


# --- SEC-03, SEC-07 ------------------------------------------------------------------------------------------

def test_sec_03__content_with_an_unmasked_identifier_is_refused_and_nothing_is_written(pub):
    before = PublicationItem.objects.count()
    err = refused(lambda: pub.item(basis="联系人手机13812345678"))
    assert err.rule == "SEC-03" and PublicationItem.objects.count() == before


def test_sec_03__an_edit_masks_identifiers_typed_by_the_collector(pub):
    item = services.item_edit(actor=pub.collector, item=pub.item(), changes={"basis": "依据说明，举报人电话13912345678"})
    assert "13912345678" not in item.content["basis"] and "139****5678" in item.content["basis"]


def test_sec_07__an_exempt_item_is_never_published(pub):
    item = services.item_exempt(actor=pub.reviewer, item=pub.item(), reason="STATE_SECRET", note="涉及国家秘密的储存设施")
    assert item.status == ItemStatus.EXEMPT
    assert refused(lambda: services.item_publish(actor=pub.publisher, item=item)).status == 409
    assert not selectors.public_items().filter(pk=item.pk).exists()


# --- PUB-17, PUB-18: display period ----------------------------------------------------------------------------

def test_pub_17__published_decision_displays_until_its_end_and_is_then_gone(pub, on_day):
    item = pub.publish_item()
    from zhifa.publicity.rules import add_months

    assert item.expires_on == add_months(item.published_on, 36) - timedelta(days=1)  # pub.max_months for Putuo (national default)
    # the portal hides it the day after its end, before the daily task has run
    on_day(item.expires_on + timedelta(days=1))
    assert not selectors.public_items().filter(pk=item.pk).exists()
    assert services.expire_due() == 1
    item.refresh_from_db()
    assert item.status == ItemStatus.EXPIRED and item.end_reason == "EXPIRED"


def test_pub_17__a_minor_corrected_case_displays_for_the_shorter_minimum(pub):
    item = pub.item()
    PublicationItem.objects.filter(pk=item.pk).update(minor=True)
    item.refresh_from_db()
    services.item_review(actor=pub.reviewer, item=item, approve=True)
    item = services.item_publish(actor=pub.publisher, item=item)
    from zhifa.publicity.rules import add_months

    assert item.expires_on == add_months(item.published_on, 12) - timedelta(days=1)


def test_pub_18__credit_repair_ends_display_no_earlier_than_the_minimum_period(pub, on_day):
    item = pub.publish_item()
    from zhifa.publicity.rules import add_months

    # repaired after 2 months: the display is shortened to the 12-month minimum, still shown
    on_day(add_months(item.published_on, 2))
    item = services.item_end_after_credit_repair(actor=pub.reviewer, item=item, repair_approved_on=add_months(item.published_on, 2))
    assert item.status == ItemStatus.PUBLISHED and item.expires_on == add_months(item.published_on, 12)
    # a later request after the minimum ends it at once
    on_day(add_months(item.published_on, 13))
    item = services.item_end_after_credit_repair(actor=pub.reviewer, item=item, repair_approved_on=add_months(item.published_on, 13))
    assert item.status == ItemStatus.TERMINATED and item.end_reason == "CREDIT_REPAIR"


# --- PUB-14, PUB-23, PUB-26: decision changes and withdrawal ------------------------------------------------------

def _publish_decision_item(pub, decision):
    item = PublicationItem.objects.get(source_type="cases.decision", source_id=decision.pk)
    services.item_review(actor=pub.reviewer, item=item, approve=True)
    return services.item_publish(actor=pub.publisher, item=item)


def test_pub_14__a_revoked_penalty_must_come_down_within_3_working_days_with_an_explanation(pub, simple_decision):
    from zhifa.cases.services import case_decision_change

    decision = simple_decision()
    item = _publish_decision_item(pub, decision)
    # when the reconsideration body revokes the decision (Putuo's 7 WD yields to the statute's 3)
    case_decision_change(actor=pub.publisher, decision=decision, kind="REVOKED", authority="RECONSIDERATION", occurred_on=today(),
                         reference="普府复决〔2026〕1号", reason="认定事实不清")
    item.refresh_from_db()
    assert item.withdrawal_due_on == wd(today(), 3) and item.withdrawal_due_rule == "PUB-14 pub.withdraw_wd[PENALTY]"
    assert "认定事实不清" in item.withdrawal_reason and item.change_event == "REVOKED"
    assert selectors.queue(pub.publisher, "withdrawal").filter(pk=item.pk).exists()
    # then withdrawing needs an explanation (the prefilled one is used when none is typed) and it shows on the public list
    item = services.item_withdraw(actor=pub.publisher, item=item, explanation="")
    assert item.status == ItemStatus.WITHDRAWN and "认定事实不清" in item.withdrawal_reason
    assert selectors.public_withdrawn().items == [item]
    assert not selectors.public_items().filter(pk=item.pk).exists()


def test_pub_14__withdrawing_without_any_explanation_is_refused(pub):
    item = pub.publish_item()
    assert refused(lambda: services.item_withdraw(actor=pub.publisher, item=item, explanation="  ")).rule == "PUB-14"


def test_pub_23__a_changed_decision_is_withdrawn_and_republished_as_an_update(pub, simple_decision):
    from zhifa.cases.services import case_decision_change

    decision = simple_decision()
    item = _publish_decision_item(pub, decision)
    case_decision_change(actor=pub.publisher, decision=decision, kind="CHANGED", authority="SELF", occurred_on=today(),
                         reference="沪普应急变〔2026〕1号", reason="罚款金额计算有误，依法变更")
    update = PublicationItem.objects.get(replaces=item)
    assert update.trigger == Trigger.DECISION_CHANGED and update.due_on == wd(today(), 20) and update.due_rule.startswith("PUB-23")
    item.refresh_from_db()
    assert item.withdrawal_due_on == wd(today(), 3)


def test_pub_26__a_duty_not_yet_published_lapses_when_the_decision_is_revoked(pub, simple_decision):
    from zhifa.cases.services import case_decision_change

    decision = simple_decision()
    case_decision_change(actor=pub.publisher, decision=decision, kind="CONFIRMED_VOID", authority="COURT", occurred_on=today(),
                         reference="(2026)沪0107行初1号", reason="确认无效")
    item = PublicationItem.objects.get(source_type="cases.decision", source_id=decision.pk)
    assert item.status == ItemStatus.WITHDRAWN and item.published_on is None
    assert selectors.public_withdrawn().items == []  # never public, so not on the public withdrawal list


# --- PUB-20, PUB-22: updates ------------------------------------------------------------------------------------------

def test_pub_22__a_changed_credential_opens_an_update_duty_and_publishing_it_supersedes_the_old(pub):
    cred = OfficerCredentialFactory(user=pub.collector, enforcement_body=pub.org)
    (first,) = services.credential_duties_sync(organisation=pub.org)
    assert first.trigger == Trigger.CATALOGUE and set(first.content) == {"name", "credential_number", "unit", "area", "valid", "state"}
    services.item_review(actor=pub.reviewer, item=first, approve=True)
    services.item_publish(actor=pub.publisher, item=first)
    assert services.credential_duties_sync(organisation=pub.org) == []  # nothing changed, nothing new
    cred.revoked_on = today()
    cred.save()
    (update,) = services.credential_duties_sync(organisation=pub.org)
    assert update.trigger == Trigger.CREDENTIAL_CHANGED and update.due_on == wd(today(), 20) and update.content["state"] == "已注销"
    services.item_review(actor=pub.reviewer, item=update, approve=True)
    services.item_publish(actor=pub.publisher, item=update)
    first.refresh_from_db()
    assert first.status == ItemStatus.SUPERSEDED


def test_pub_20__a_repealed_law_opens_update_duties_for_the_items_citing_it(pub):
    services.catalogue_load(actor=pub.collector, organisation=pub.org)
    for item in PublicationItem.objects.filter(status=ItemStatus.PENDING):
        services.item_review(actor=pub.reviewer, item=item, approve=True)
        services.item_publish(actor=pub.publisher, item=item)
    event, duties = services.update_event_record(actor=pub.collector, organisation=pub.org, trigger=Trigger.LAW_CHANGED,
                                                 title="危险化学品安全管理条例", event_on=today())
    assert duties and all(d.replaces and "危险化学品安全管理条例" in str(d.replaces.content) for d in duties)
    assert all(d.due_on == wd(today(), 20) and d.due_rule.startswith("PUB-20") for d in duties)
    cited = [i for i in PublicationItem.objects.filter(status=ItemStatus.PUBLISHED) if "危险化学品安全管理条例" in str(i.content)]
    assert len(duties) == len([i for i in cited if i.kind != ItemKind.OFFICER_CREDENTIAL])


def test_pub_21__an_institutional_change_needs_a_title_and_a_past_date(pub):
    assert refused(lambda: services.update_event_record(actor=pub.collector, organisation=pub.org, trigger=Trigger.ORG_CHANGED, title="",
                                                        event_on=today())).field == "title"
    assert refused(lambda: services.update_event_record(actor=pub.collector, organisation=pub.org, trigger=Trigger.ORG_CHANGED, title="三定方案",
                                                        event_on=today() + timedelta(days=3))).field == "event_on"


# --- PUB-24, PUB-25: corrections -------------------------------------------------------------------------------------

def test_pub_25__a_correction_request_is_due_in_5_working_days_and_its_answer_reaches_the_requester(pub):
    item = pub.publish_item()
    req = services.correction_request_submit(item=item, requester_kind=RequesterKind.LEGAL_PERSON, requester_name="普陀示范化工有限公司",
                                              requester_contact="13812345678", what_is_wrong="文号错误", evidence_chunks=[b"%PDF-1.4 demo"],
                                              evidence_filename="决定书.pdf")
    assert req.due_on == wd(today(), 5) and len(req.code) == 12 and req.evidence_sha256
    assert selectors.correction_request_by_code(req.code.lower()) == req
    assert selectors.requester_contact_masked(req) == "138****5678"
    # rejecting needs a reason (the answer)
    assert refused(lambda: services.correction_request_handle(actor=pub.reviewer, request=req, corrected=False, answer="")).rule == "PUB-25"
    req = services.correction_request_handle(actor=pub.reviewer, request=req, corrected=True, answer="经核实，已更正文号",
                                             changes={"conclusion": "罚款人民币30,000.00元（文号已更正）"})
    assert req.status == RequestStatus.CORRECTED and req.handled_by == pub.reviewer
    item.refresh_from_db()
    assert "文号已更正" in item.content["conclusion"]
    assert list(item.revisions.values_list("reason", flat=True)) == ["INITIAL", "CORRECTION"]
    assert refused(lambda: services.correction_request_handle(actor=pub.reviewer, request=req, corrected=False, answer="再次")).status == 409


def test_pub_25__requests_with_missing_fields_or_on_unpublished_items_are_refused(pub):
    item = pub.publish_item()
    assert refused(lambda: services.correction_request_submit(item=item, requester_kind="ALIEN", requester_name="x", requester_contact="y",
                                                              what_is_wrong="z")).field == "requester_kind"
    assert refused(lambda: services.correction_request_submit(item=item, requester_kind="CITIZEN", requester_name="张三", requester_contact="",
                                                              what_is_wrong="z")).field == "requester_contact"
    assert refused(lambda: services.correction_request_submit(item=pub.item(), requester_kind="CITIZEN", requester_name="张三",
                                                              requester_contact="a@b.cn", what_is_wrong="z")).status == 404


def test_pub_24__a_correction_keeps_the_previous_version_and_revisions_cannot_be_changed(pub):
    item = services.item_correct(actor=pub.reviewer, item=pub.publish_item(), changes={"basis": "《安全生产法》第一百零一条第一项"}, note="条款项有误")
    first = item.revisions.order_by("number").first()
    assert first.content["basis"] == "《安全生产法》第一百零一条" and item.content["basis"].endswith("第一项")
    with pytest.raises(PermissionError):
        with transaction.atomic():
            PublicationRevision.objects.filter(pk=first.pk).update(note="篡改")
    with pytest.raises(IntegrityError if connection.vendor == "postgresql" else DatabaseError):
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("UPDATE publicity_publicationrevision SET note = 'x' WHERE id = %s", [first.pk])


# --- PUB-04, PUB-27, PUB-28 -----------------------------------------------------------------------------------------

def test_pub_04__the_catalogue_covers_every_required_kind_once(pub):
    OfficerCredentialFactory(user=pub.collector, enforcement_body=pub.org)
    made = services.catalogue_load(actor=pub.collector, organisation=pub.org)
    assert {i.kind for i in made} >= set(selectors.REQUIRED_CATALOGUE)
    assert all(i.due_rule.startswith(("AMB-32", "PUB-")) for i in made)
    assert services.catalogue_load(actor=pub.collector, organisation=pub.org) == []  # idempotent
    assert len(selectors.catalogue_gaps(selectors.items_for(pub.publisher))) == len(selectors.REQUIRED_CATALOGUE)
    for item in made:
        services.item_review(actor=pub.reviewer, item=item, approve=True)
        services.item_publish(actor=pub.publisher, item=item)
    assert selectors.catalogue_gaps(selectors.items_for(pub.publisher)) == ()


def test_pub_07__each_discretion_benchmark_of_the_rule_set_is_published(pub):
    from zhifa.rulesets.selectors import rs

    codes = {b["code"] for b in rs("discretion.benchmarks", organisation=pub.org).value}
    services.catalogue_load(actor=pub.collector, organisation=pub.org)
    published = {i.content["code"] for i in PublicationItem.objects.filter(kind=ItemKind.DISCRETION_BENCHMARK)}
    assert published == codes


def test_pub_27__overdue_and_late_items_are_counted_for_supervision(pub, on_day):
    late = pub.item()
    pub.item()
    on_day(late.due_on + timedelta(days=1))
    c = selectors.compliance(pub.publisher)
    assert c.overdue_open == 2 and c.published_late == 0
    services.item_review(actor=pub.reviewer, item=late, approve=True)
    services.item_publish(actor=pub.publisher, item=late)
    c = selectors.compliance(pub.publisher)
    assert c.overdue_open == 1 and c.published_late == 1
    assert selectors.queue(pub.publisher, "overdue").count() == 1


def test_pub_28__annual_data_are_generated_from_the_records_and_due_31_january(pub, simple_decision, on_day):
    simple_decision(fine="2000")
    year = today().year
    on_day(date(year + 1, 1, 5))
    item = services.annual_statistics_build(actor=pub.collector, organisation=pub.org, year=year)
    assert item.due_on == date(year + 1, 1, 31) and item.due_rule == "PUB-28 pub.annual_data_due"
    assert item.content["行政处罚决定数（件）"] == "1" and item.content["罚款金额（元）"] == "2,000.00"
    assert refused(lambda: services.annual_statistics_build(actor=pub.collector, organisation=pub.org, year=year + 1)).field == "year"


def test_pub_27__overdue_duties_are_reported_to_the_sections_heads_and_reviewers(pub, on_day):
    from zhifa.notifications.models import Message

    item = pub.item()
    assert services.overdue_reminders_send(on=item.due_on) == 0
    # when the deadline has passed, the reviewer and the head of Putuo get an in-app message; nobody elsewhere
    assert services.overdue_reminders_send(on=item.due_on + timedelta(days=1)) == 2
    addresses = set(Message.objects.filter(subject__contains="执法公示").values_list("address", flat=True))
    assert addresses == {f"user:{pub.reviewer.pk}", f"user:{pub.publisher.pk}"}


def test_pub_25__an_email_requester_receives_the_answer_by_email(pub):
    from zhifa.notifications.models import Message

    req = services.correction_request_submit(item=pub.publish_item(), requester_kind=RequesterKind.CITIZEN, requester_name="张三",
                                              requester_contact="zhang@example.com", what_is_wrong="名称错误")
    services.correction_request_handle(actor=pub.reviewer, request=req, corrected=False, answer="经核实，公示内容与决定书一致，不予更正")
    msg = Message.objects.get(channel="EMAIL", address="zhang@example.com")
    assert req.code in msg.subject and "不予更正" in msg.body
