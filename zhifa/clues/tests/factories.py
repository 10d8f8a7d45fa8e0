"""factory_boy factories and small helpers for the clue triage tests (shared by tests/api and
tests/browser as well)."""
from __future__ import annotations

import hashlib
from datetime import date, timedelta

import factory
from django.utils import timezone

from zhifa.accounts.tests.factories import UserFactory
from zhifa.clues.choices import Category, Channel, ClueStatus, Owner, ReminderStatus, ScenarioStatus, Severity, TriggerKind
from zhifa.clues.models import Clue, DetectionRun, Reminder, Scenario, Trigger
from zhifa.clues.rules import snapshot_hash
from zhifa.common.timeutil import today
from zhifa.subjects.tests.factories import EnterpriseFactory


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scenario
        django_get_or_create = ("code", "version")

    code = "CLU-S07"
    version = 1
    title = "危险化学品经营许可证过期未延期仍经营"
    evaluator = "licence_expired_activity"
    params = factory.LazyFunction(dict)
    condition = "经营许可证过期且未延期，过期后仍有销售出库记录"
    legal_basis = factory.LazyFunction(lambda: ["危险化学品安全管理条例第七十七条第三款"])
    default_severity = Severity.GENERAL
    jurisdictions = factory.LazyFunction(lambda: ["CN-SH"])
    effective_from = date(2023, 12, 1)
    status = ScenarioStatus.ACTIVE
    approved_by = "上海市应急管理局"
    approved_on = date(2023, 11, 20)
    source_sha256 = "0" * 64


def _facts(o) -> dict:
    return {"licence": {"number": f"沪危化经〔2021〕{o.enterprise.pk:04d}", "valid_to": "2026-01-31"}, "activity": {"kind": "SALE", "on": "2026-03-02"}}


class ClueFactory(factory.django.DjangoModelFactory):
    """A data-comparison clue of a FIRST-time violation held by the supervision unit."""

    class Meta:
        model = Clue

    channel = Channel.DATA_COMPARISON
    scenario = factory.SubFactory(ScenarioFactory)
    rule_id = factory.LazyAttribute(lambda o: o.scenario.code if o.scenario else "CLU-S07")
    rule_version = 1
    enterprise = factory.SubFactory(EnterpriseFactory)
    organisation = factory.LazyAttribute(lambda o: o.enterprise.organisation)
    dedup_key = factory.Sequence(lambda n: f"test:licence:{n}")
    title = factory.LazyAttribute(lambda o: f"{o.enterprise.name}：危险化学品经营许可证过期后仍有销售")
    facts = factory.LazyAttribute(_facts)
    snapshot_sha256 = factory.LazyAttribute(lambda o: snapshot_hash(o.facts))
    detected_at = factory.LazyFunction(timezone.now)
    violation_on = date(2026, 2, 1)
    severity = Severity.GENERAL
    category = Category.FIRST
    owner = Owner.SUPERVISION
    status = ClueStatus.OPEN


class ReminderFactory(factory.django.DjangoModelFactory):
    """A pending reminder (the clue should be REMINDED: pass clue=ClueFactory(status=REMINDED))."""

    class Meta:
        model = Reminder

    clue = factory.SubFactory(ClueFactory, status=ClueStatus.REMINDED)
    sent_at = factory.LazyFunction(timezone.now)
    sent_by = factory.SubFactory(UserFactory)
    text = "请于期限内改正并答复"
    rule_citation = "CLU-S07「危险化学品经营许可证过期未延期仍经营」"
    correction_due_on = factory.LazyFunction(lambda: today() + timedelta(days=14))
    status = ReminderStatus.PENDING


class TriggerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trigger

    kind = TriggerKind.RISK_ALARM
    source = "iot-platform"
    external_ref = factory.Sequence(lambda n: f"ALARM-{n:06d}")
    enterprise = factory.SubFactory(EnterpriseFactory)
    subject_uscc = factory.LazyAttribute(lambda o: o.enterprise.uscc if o.enterprise else "")
    occurred_at = factory.LazyFunction(timezone.now)
    summary = "储罐区可燃气体浓度超限报警"
    payload = factory.LazyFunction(dict)
    payload_sha256 = hashlib.sha256(b"{}").hexdigest()
    organisation = factory.LazyAttribute(lambda o: o.enterprise.organisation if o.enterprise else None)


class DetectionRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DetectionRun

    as_of = factory.LazyFunction(today)


# --- shared set-ups (plain functions; each test module wraps them in fixtures) -------------------


def triage_world(org_tree) -> dict:
    """Users and enterprises around one Putuo clue: an officer and a supervisor of 普陀区, an
    officer of 静安区, an auditor, a device admin, the enterprise (长寿路街道) with its authorised
    contact, and a 静安 enterprise with its own contact."""
    from zhifa.accounts.choices import Role
    from zhifa.subjects.tests.factories import ContactAuthorisationFactory

    enterprise = EnterpriseFactory(organisation=org_tree["street"], name="上海长寿危险品经营有限公司")
    other = EnterpriseFactory(organisation=org_tree["jingan"], name="上海静安化学品贸易有限公司")
    contact = UserFactory(role=Role.ENTERPRISE_CONTACT, organisation=None, display_name="长寿联系人")
    other_contact = UserFactory(role=Role.ENTERPRISE_CONTACT, organisation=None, display_name="静安联系人")
    ContactAuthorisationFactory(enterprise=enterprise, user=contact)
    ContactAuthorisationFactory(enterprise=other, user=other_contact)
    return {
        "enterprise": enterprise,
        "other_enterprise": other,
        "officer": UserFactory(role=Role.OFFICER, organisation=org_tree["putuo"], display_name="李执法"),
        "supervisor": UserFactory(role=Role.SUPERVISOR, organisation=org_tree["putuo"], display_name="吴科长"),
        "legal_reviewer": UserFactory(role=Role.LEGAL_REVIEWER, organisation=org_tree["putuo"], display_name="周法审"),
        "device_admin": UserFactory(role=Role.DEVICE_ADMIN, organisation=org_tree["putuo"], display_name="郑信息"),
        "jingan_officer": UserFactory(role=Role.OFFICER, organisation=org_tree["jingan"], display_name="静安执法"),
        "auditor": UserFactory(role=Role.AUDITOR, organisation=org_tree["city"], display_name="审计"),
        "system_admin": UserFactory(role=Role.SYSTEM_ADMIN, organisation=org_tree["city"], display_name="系统管理"),
        "contact": contact,
        "other_contact": other_contact,
    }


def pdf_upload(name: str = "换发许可证.pdf", text: str = "renewed licence"):
    """A small valid PDF as an uploaded file (the evidence store sniffs the content)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = f"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n% {text}\ntrailer<</Root 1 0 R>>\n%%EOF\n".encode()
    return SimpleUploadedFile(name, body, content_type="application/pdf")
