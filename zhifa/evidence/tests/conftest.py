"""Fixtures of the evidence tests: an isolated store per test, users per role, a register helper."""
from __future__ import annotations

from datetime import date

import pytest

from zhifa.accounts.choices import Role
from zhifa.accounts.tests.factories import OfficerCredentialFactory
from zhifa.evidence.storage import LocalEvidenceStorage
from zhifa.subjects.tests.factories import ContactAuthorisationFactory, EnterpriseFactory

from .samples import chunked, jpeg_bytes, metadata


@pytest.fixture(autouse=True)
def evidence_store(tmp_path, settings) -> LocalEvidenceStorage:
    """Every test writes blobs to its own directory, never to var/."""
    root = tmp_path / "evidence-store"
    settings.ZHIFA_EVIDENCE_DIR = root
    return LocalEvidenceStorage(root)


@pytest.fixture
def users(org_tree, make_user):
    """One user per role in Putuo (普陀), a legal reviewer in Jing'an (静安), an enterprise contact."""
    putuo = org_tree["putuo"]
    officer = make_user(Role.OFFICER, putuo, display_name="李执法")
    OfficerCredentialFactory(user=officer)
    officer2 = make_user(Role.OFFICER, org_tree["street"], display_name="王执法")
    OfficerCredentialFactory(user=officer2)
    uncredentialled = make_user(Role.OFFICER, putuo, display_name="赵无证")
    expired = make_user(Role.OFFICER, putuo, display_name="钱过期")
    OfficerCredentialFactory(user=expired, valid_from=date(2018, 1, 1), valid_to=date(2020, 12, 31))
    enterprise = EnterpriseFactory(organisation=putuo)
    contact = make_user(Role.ENTERPRISE_CONTACT, None, display_name="企业联系人")
    ContactAuthorisationFactory(enterprise=enterprise, user=contact)
    return {
        "officer": officer,
        "officer2": officer2,
        "uncredentialled": uncredentialled,
        "expired": expired,
        "reviewer": make_user(Role.LEGAL_REVIEWER, putuo, display_name="周法审"),
        "supervisor": make_user(Role.SUPERVISOR, putuo, display_name="吴科长"),
        "device_admin": make_user(Role.DEVICE_ADMIN, putuo, display_name="郑信息"),
        "foreign_reviewer": make_user(Role.LEGAL_REVIEWER, org_tree["jingan"], display_name="静安法审"),
        "city_officer": make_user(Role.OFFICER, org_tree["city"], display_name="市局执法"),
        "auditor": make_user(Role.AUDITOR, org_tree["city"], display_name="审计"),
        "sysadmin": make_user(Role.SYSTEM_ADMIN, org_tree["city"], display_name="系统管理"),
        "contact": contact,
        "enterprise": enterprise,
        "other_enterprise": EnterpriseFactory(organisation=org_tree["jingan"]),
    }


@pytest.fixture
def register():
    """register(actor, data=bytes, filename=..., content_type=..., **metadata) → EvidenceItem."""
    from zhifa.evidence.services import evidence_register

    def _register(actor, data: bytes | None = None, filename: str = "photo.jpg", content_type: str = "image/jpeg", seed: int = 0, **overrides):
        payload = jpeg_bytes(seed=seed) if data is None else data
        return evidence_register(
            actor=actor, chunks=chunked(payload), original_filename=filename, declared_content_type=content_type, **metadata(**overrides)
        )

    return _register
