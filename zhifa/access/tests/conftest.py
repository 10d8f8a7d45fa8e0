"""Fixtures of the access tests: users per role in 普陀/长寿路街道/静安, evidence items and persons
inside and outside their scope, an isolated evidence store, and a movable clock."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from zhifa.accounts.choices import Role
from zhifa.accounts.tests.factories import OfficerCredentialFactory
from zhifa.evidence.storage import LocalEvidenceStorage
from zhifa.subjects.tests.factories import ContactAuthorisationFactory, EnterpriseFactory, PersonFactory


@pytest.fixture(autouse=True)
def evidence_store(tmp_path, settings) -> LocalEvidenceStorage:
    """Every test writes blobs to its own directory, never to var/."""
    root = tmp_path / "evidence-store"
    settings.ZHIFA_EVIDENCE_DIR = root
    return LocalEvidenceStorage(root)


class MovableClock:
    """Replaces zhifa.access.clock.now; `advance` moves it forward without sleeping."""

    def __init__(self, start: datetime):
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


@pytest.fixture
def clock(monkeypatch):
    from django.utils import timezone

    fake = MovableClock(timezone.now())
    monkeypatch.setattr("zhifa.access.clock.now", fake)
    return fake


@dataclass
class World:
    orgs: dict
    users: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)
    persons: dict = field(default_factory=dict)
    enterprises: dict = field(default_factory=dict)


def register_item(actor, seed: int, **overrides):
    from zhifa.evidence.services import evidence_register
    from zhifa.evidence.tests.samples import chunked, jpeg_bytes, metadata

    return evidence_register(
        actor=actor, chunks=chunked(jpeg_bytes(seed=seed)), original_filename="photo.jpg", declared_content_type="image/jpeg", **metadata(**overrides)
    )


@pytest.fixture
def world(org_tree, make_user) -> World:
    """普陀 staff (one per role), a 长寿路街道 officer who uploads, a 静安 officer and supervisor,
    city-level auditor and system admin, an enterprise contact; one evidence item and one person
    in 普陀's subtree ("own") and one in 静安 ("foreign")."""
    putuo, street, jingan, city = org_tree["putuo"], org_tree["street"], org_tree["jingan"], org_tree["city"]
    w = World(orgs=org_tree)
    uploader = make_user(Role.OFFICER, street, display_name="上传执法")
    OfficerCredentialFactory(user=uploader)
    foreign_uploader = make_user(Role.OFFICER, jingan, display_name="静安执法")
    w.users = {
        "uploader": uploader,
        "officer": make_user(Role.OFFICER, putuo, display_name="李执法"),
        "officer2": make_user(Role.OFFICER, putuo, display_name="王执法"),
        "supervisor": make_user(Role.SUPERVISOR, putuo, display_name="吴科长"),
        "street_supervisor": make_user(Role.SUPERVISOR, street, display_name="街道负责人"),
        "legal_reviewer": make_user(Role.LEGAL_REVIEWER, putuo, display_name="周法审"),
        "device_admin": make_user(Role.DEVICE_ADMIN, putuo, display_name="郑信息"),
        "foreign_officer": foreign_uploader,
        "foreign_supervisor": make_user(Role.SUPERVISOR, jingan, display_name="静安科长"),
        "city_supervisor": make_user(Role.SUPERVISOR, city, display_name="市局领导"),
        "auditor": make_user(Role.AUDITOR, city, display_name="执法监督"),
        "system_admin": make_user(Role.SYSTEM_ADMIN, city, display_name="系统管理"),
        "contact": make_user(Role.ENTERPRISE_CONTACT, None, display_name="企业联系人"),
    }
    own_enterprise = EnterpriseFactory(organisation=street, principal=PersonFactory(name="张主要", phone="13812345678"))
    foreign_enterprise = EnterpriseFactory(organisation=jingan, principal=PersonFactory(name="赵外区", phone="13987654321"))
    ContactAuthorisationFactory(enterprise=own_enterprise, user=w.users["contact"])
    w.items = {
        "own": register_item(uploader, seed=1, title="长寿路仓库照片"),
        "foreign": register_item(foreign_uploader, seed=2, title="静安仓库照片"),
    }
    w.persons = {"own": own_enterprise.principal, "foreign": foreign_enterprise.principal}
    w.enterprises = {"own": own_enterprise, "foreign": foreign_enterprise}
    return w
