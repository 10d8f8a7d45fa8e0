"""Fixtures of the documents tests: an isolated blob store per test, users per role, an issue helper."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from zhifa.accounts.choices import Role
from zhifa.accounts.tests.factories import OfficerCredentialFactory
from zhifa.subjects.tests.factories import ContactAuthorisationFactory, EnterpriseFactory


@pytest.fixture(autouse=True)
def documents_dir(tmp_path, settings):
    """Every test writes PDFs (and any evidence) to its own directories, never to var/."""
    settings.ZHIFA_DOCUMENTS_DIR = tmp_path / "documents"
    settings.ZHIFA_EVIDENCE_DIR = tmp_path / "evidence"
    return tmp_path / "documents"


@pytest.fixture
def world(org_tree, make_user):
    """Putuo (普陀) staff, Jing'an (静安, a sibling) staff, city staff, auditor, admin, and two
    enterprises with one authorised contact each."""
    putuo, jingan = org_tree["putuo"], org_tree["jingan"]
    officer = make_user(Role.OFFICER, putuo, display_name="李明")
    OfficerCredentialFactory(user=officer)
    enterprise = EnterpriseFactory(organisation=putuo, name="上海申联化工贸易有限公司")
    other_enterprise = EnterpriseFactory(organisation=jingan, name="上海静安某某化工有限公司")
    contact = make_user(Role.ENTERPRISE_CONTACT, None, display_name="申联联系人")
    ContactAuthorisationFactory(enterprise=enterprise, user=contact)
    other_contact = make_user(Role.ENTERPRISE_CONTACT, None, display_name="静安联系人")
    ContactAuthorisationFactory(enterprise=other_enterprise, user=other_contact)
    return {
        **org_tree,
        "officer": officer,
        "street_officer": make_user(Role.OFFICER, org_tree["street"], display_name="长寿路执法"),
        "sibling_officer": make_user(Role.OFFICER, jingan, display_name="静安执法"),
        "city_supervisor": make_user(Role.SUPERVISOR, org_tree["city"], display_name="市局科长"),
        "auditor": make_user(Role.AUDITOR, org_tree["city"], display_name="执法监督"),
        "sysadmin": make_user(Role.SYSTEM_ADMIN, org_tree["city"], display_name="系统管理员"),
        "enterprise": enterprise,
        "other_enterprise": other_enterprise,
        "contact": contact,
        "other_contact": other_contact,
    }


@pytest.fixture
def issue(world):
    """issue(kind, **overrides) → IssuedDocument for Putuo with the kind's sample context."""
    from zhifa.documents.samples import sample_context
    from zhifa.documents.services import document_issue

    def _issue(kind="PENALTY_DECISION", *, organisation=None, actor=None, ref="cases.Case:1", enterprise_id=None, supersedes=None, **overrides):
        context = sample_context(kind)
        context.update(overrides)
        return document_issue(
            kind=kind,
            organisation=organisation or world["putuo"],
            context=context,
            actor=actor or world["officer"],
            ref=ref,
            enterprise_id=enterprise_id,
            supersedes=supersedes,
        )

    return _issue


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} (poppler-utils) is required for the document tests: apt-get install poppler-utils")
    return path


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc-text.pdf"
    path.write_bytes(data)
    return subprocess.run([_tool("pdftotext"), "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_fonts(data: bytes, tmp_path) -> list[dict[str, str]]:
    """Rows of `pdffonts`: name, type, emb (yes/no)."""
    path = tmp_path / "doc-fonts.pdf"
    path.write_bytes(data)
    out = subprocess.run([_tool("pdffonts"), str(path)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID: the last five columns are fixed.
        if len(parts) >= 7:
            rows.append({"name": parts[0], "type": " ".join(parts[1:-6]), "emb": parts[-5]})
    return rows


def compact(text: str) -> str:
    return "".join(text.split())
