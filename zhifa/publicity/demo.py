"""Demo publicity for `make run`, made through the services exactly as the bureau would:

- Putuo's pre-enforcement catalogue and officers' credentials (PUB-04…PUB-07), reviewed by the
  legal reviewer and published by the section head (PUB-02);
- a few simple-procedure penalty decisions on demo enterprises (PUB-11), published;
- the demo cases' decisions, where one exists (the no-penalty one is published in Putuo, whose rule
  set says so);
- one decision revoked on reconsideration and withdrawn with its explanation (PUB-14);
- one open correction request from a member of the public (PUB-25).
"""
from __future__ import annotations

from django.db import transaction

from zhifa.accounts.models import User
from zhifa.common.timeutil import today

from . import services
from .choices import ItemStatus, RequesterKind
from .models import PublicationItem

SIMPLE_FACTS = (
    ("未在有较大危险因素的设备上设置明显的安全警示标志", "《中华人民共和国安全生产法》第九十九条第一项", "2000"),
    ("未如实记录安全生产教育和培训情况", "《中华人民共和国安全生产法》第九十七条第四项", "1500"),
    ("特种作业人员未按照规定经专门的安全作业培训并取得相应资格上岗作业", "《中华人民共和国安全生产法》第九十七条第七项", "3000"),
)


def _publish_open(reviewer, publisher, items) -> int:
    n = 0
    for item in items:
        item.refresh_from_db()
        if item.status == ItemStatus.PENDING:
            services.item_review(actor=reviewer, item=item, approve=True)
            item.refresh_from_db()
        if item.status == ItemStatus.APPROVED:
            services.item_publish(actor=publisher, item=item)
            n += 1
    return n


def demo_publicity_create() -> int:
    """Create the demo publications once (nothing happens when any item exists or users are missing)."""
    if PublicationItem.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=["officer1", "officer2", "supervisor", "legal"])}
    if len(users) < 4:
        return 0
    officer, officer2, head, legal = users["officer1"], users["officer2"], users["supervisor"], users["legal"]
    body = officer.organisation
    while body is not None and not body.is_enforcement_body:
        body = body.parent
    if body is None:
        return 0
    from zhifa.cases.choices import ChangeAuthority, DecisionChangeKind
    from zhifa.cases.services import case_decide_simple, case_decision_change
    from zhifa.subjects.selectors import enterprises_visible_to

    with transaction.atomic():
        services.catalogue_load(actor=officer, organisation=body)
        enterprises = list(enterprises_visible_to(officer).filter(organisation__path__startswith=body.path).order_by("id")[:len(SIMPLE_FACTS)])
        decisions = []
        for enterprise, (facts, law, fine) in zip(enterprises, SIMPLE_FACTS, strict=False):
            decisions.append(case_decide_simple(actor=officer, enterprise=enterprise, officers=[officer2], facts=facts, law=law,
                                                place=enterprise.business_address or enterprise.registered_address, penalty_types=["FINE"], fine=fine))
        open_items = list(PublicationItem.objects.filter(status=ItemStatus.PENDING))
        published = _publish_open(legal, head, open_items)
        if decisions:
            change = case_decision_change(actor=head, decision=decisions[-1], kind=DecisionChangeKind.REVOKED, authority=ChangeAuthority.RECONSIDERATION,
                                          occurred_on=today(), reference="普府复决〔2026〕演示1号", reason="行政复议机关认定事实不清，决定撤销原处罚决定")
            item = PublicationItem.objects.get(source_type="cases.decision", source_id=change.decision_id)
            services.item_withdraw(actor=head, item=item, explanation=item.withdrawal_reason)
        first = PublicationItem.objects.filter(status=ItemStatus.PUBLISHED, kind="PENALTY").order_by("id").first()
        if first is not None:
            services.correction_request_submit(item=first, requester_kind=RequesterKind.LEGAL_PERSON, requester_name=first.subject_name,
                                               requester_contact="safety@example.com", what_is_wrong="处罚决定书文号有误，请核实更正",
                                               evidence_text="处罚决定书复印件（演示）")
    return published
