"""Fixtures of the publicity tests: Putuo's bureau with a collector (officer), a reviewer (legal
reviewer) and a publisher (supervisor), an enterprise, the rule sets loaded, and `publish_item()`
that makes a published penalty item through the services (item_create → review → publish)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from zhifa.accounts.choices import Role
from zhifa.publicity import services
from zhifa.publicity.choices import ItemKind, Trigger
from zhifa.subjects.tests.factories import EnterpriseFactory


@pytest.fixture(autouse=True)
def _stores(tmp_path, settings):
    settings.ZHIFA_EVIDENCE_DIR = tmp_path / "evidence-store"


@dataclass
class Pub:
    org: object
    collector: object
    reviewer: object
    publisher: object
    auditor: object
    foreign: object
    enterprise: object

    def item(self, *, kind: str = ItemKind.PENALTY, event_on: date | None = None, name: str | None = None, **content):
        from zhifa.common.timeutil import today

        e = self.enterprise
        body = {"unit": "普陀区应急管理局", "object": name or e.name, "object_code": e.uscc, "category": "行政处罚（罚款）",
                "conclusion": "罚款人民币30,000.00元", "basis": "《安全生产法》第一百零一条", "decided_on": (event_on or today()).isoformat(),
                "document_number": "沪普应急罚决〔2026〕9号", **content}
        return services.item_create(kind=kind, organisation=self.org, title=f"{body['object']} 行政处罚（罚款）", content=body,
                                    trigger=Trigger.DECISION_MADE, event_on=event_on or today(), subject_name=body["object"],
                                    subject_code=e.uscc, actor=self.collector)

    def publish_item(self, **kwargs):
        item = self.item(**kwargs)
        services.item_review(actor=self.reviewer, item=item, approve=True)
        return services.item_publish(actor=self.publisher, item=item)


@pytest.fixture
def pub(org_tree, make_user, loaded_rulesets) -> Pub:
    putuo = org_tree["putuo"]
    return Pub(
        org=putuo,
        collector=make_user(Role.OFFICER, putuo, display_name="李采集"),
        reviewer=make_user(Role.LEGAL_REVIEWER, putuo, display_name="周审核"),
        publisher=make_user(Role.SUPERVISOR, putuo, display_name="吴科长"),
        auditor=make_user(Role.AUDITOR, None, display_name="审计"),
        foreign=make_user(Role.SUPERVISOR, org_tree["jingan"], display_name="静安科长"),
        enterprise=EnterpriseFactory(organisation=putuo, name="普陀示范化工有限公司"),
    )
