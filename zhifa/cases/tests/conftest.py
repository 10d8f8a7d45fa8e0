"""Fixtures of the case tests: a Putuo bureau with two credentialled officers, a head, a qualified
legal reviewer, a hearing presider, an enterprise (with its principal person and portal contact),
one admissible evidence item, the rule sets loaded and each test's own evidence/document store."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from zhifa.accounts.choices import Role
from zhifa.accounts.tests.factories import OfficerCredentialFactory
from zhifa.subjects.tests.factories import ContactAuthorisationFactory, EnterpriseFactory, PersonFactory

ALL_PASS = {"TRUE": True, "CLEAR": True, "COMPLETE": True, "ACCURATE": True, "LAWFUL": True}


@pytest.fixture(autouse=True)
def _stores(tmp_path, settings):
    """Evidence and documents go to the test's own store, never to var/."""
    settings.ZHIFA_EVIDENCE_DIR = tmp_path / "evidence-store"


@dataclass
class World:
    org: object
    officer: object
    officer2: object
    officer3: object
    head: object
    reviewer: object
    presider: object
    contact: object
    auditor: object
    foreign_officer: object
    enterprise: object
    evidence: object


@pytest.fixture
def world(org_tree, make_user, loaded_rulesets) -> World:
    from zhifa.evidence.services import evidence_register, evidence_review
    from zhifa.evidence.tests.samples import chunked, jpeg_bytes, metadata

    putuo = org_tree["putuo"]
    officer = make_user(Role.OFFICER, putuo, display_name="李执法")
    officer2 = make_user(Role.OFFICER, putuo, display_name="王执法")
    officer3 = make_user(Role.OFFICER, putuo, display_name="张执法")
    for u in (officer, officer2, officer3):
        OfficerCredentialFactory(user=u)
    head = make_user(Role.SUPERVISOR, putuo, display_name="吴科长")
    OfficerCredentialFactory(user=head)
    reviewer = make_user(Role.LEGAL_REVIEWER, putuo, display_name="周法审")
    OfficerCredentialFactory(user=reviewer, legal_review_qualified=True)
    presider = make_user(Role.LEGAL_REVIEWER, putuo, display_name="陈主持")
    OfficerCredentialFactory(user=presider, hearing_host_qualified=True)
    principal = PersonFactory(name="赵总")
    enterprise = EnterpriseFactory(organisation=putuo, name="普陀示范化工有限公司", principal=principal)
    contact = make_user(Role.ENTERPRISE_CONTACT, None, display_name="企业安全员")
    ContactAuthorisationFactory(enterprise=enterprise, user=contact)
    item = evidence_register(actor=officer, chunks=chunked(jpeg_bytes(seed=3)), original_filename="site.jpg", declared_content_type="image/jpeg",
                             **metadata(enterprise=enterprise, title="现场照片"))
    evidence_review(actor=reviewer, item=item, criteria=ALL_PASS, opinion="符合要求")
    return World(org=putuo, officer=officer, officer2=officer2, officer3=officer3, head=head, reviewer=reviewer, presider=presider, contact=contact,
                 auditor=make_user(Role.AUDITOR, org_tree["city"]), foreign_officer=make_user(Role.OFFICER, org_tree["jingan"]),
                 enterprise=enterprise, evidence=item)


@pytest.fixture
def on_day(monkeypatch):
    """Move 'today' (Asia/Shanghai) for the case services and selectors: on_day(date)."""
    from zhifa.cases import casedocs, selectors, services

    def _set(day: date) -> None:
        for module in (services, selectors, casedocs):
            monkeypatch.setattr(module, "today", lambda d=day: d)

    return _set
