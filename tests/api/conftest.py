"""Fixtures of the API tests: a small city with one "own" and one "foreign" object per endpoint
and one user per role.

Own objects belong to 长寿路街道 (a child of 普陀区), so Putuo staff see them through the
organisation subtree; foreign objects belong to 静安区. The enterprise contact is authorised for
the own enterprise only (SUB-17).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhifa.accounts.choices import Role
from zhifa.accounts.tests.factories import UserFactory
from zhifa.subjects.choices import ApplicationKind, ChangeField, PersonRole, ReportKind
from zhifa.subjects.models import (
    EmergencyPlanFiling,
    EnterprisePerson,
    LicenceApplication,
    MajorHazardSource,
    PrecursorAnnualReport,
    RegistrationChange,
    ReportObligation,
)
from zhifa.subjects.tests.factories import (
    ActivitySignalFactory,
    ContactAuthorisationFactory,
    EnterpriseFactory,
    LicenceFactory,
    PersonFactory,
)

ROLES = {
    "officer": Role.OFFICER,
    "supervisor": Role.SUPERVISOR,
    "legal_reviewer": Role.LEGAL_REVIEWER,
    "device_admin": Role.DEVICE_ADMIN,
    "enterprise_contact": Role.ENTERPRISE_CONTACT,
    "auditor": Role.AUDITOR,
    "system_admin": Role.SYSTEM_ADMIN,
}


@dataclass
class World:
    orgs: dict
    own: dict = field(default_factory=dict)
    foreign: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


def build_register(enterprise, tag: str) -> dict:
    """One object of every register endpoint for `enterprise`; returns {endpoint: object}."""
    contact = PersonFactory()
    EnterprisePerson.objects.create(enterprise=enterprise, person=contact, role=PersonRole.CONTACT)
    licence = LicenceFactory(enterprise=enterprise, valid_from=date(2017, 1, 1), valid_to=date(2020, 12, 31))
    application = LicenceApplication.objects.create(licence=licence, kind=ApplicationKind.EXTENSION, submitted_on=date(2020, 9, 1))
    change = RegistrationChange.objects.create(
        enterprise=enterprise, field=ChangeField.PRINCIPAL, old_value="旧负责人", new_value="新负责人", changed_on=date(2025, 3, 3)
    )
    plan = EmergencyPlanFiling.objects.create(enterprise=enterprise, plan_title=f"综合应急预案{tag}", published_on=date(2025, 1, 6))
    hazard = MajorHazardSource.objects.create(enterprise=enterprise, code=f"MHS-{tag}", name="储罐区", grade=3, identified_on=date(2024, 5, 1))
    report = ReportObligation.objects.create(enterprise=enterprise, kind=ReportKind.SAFETY_STATS, period="2026-Q1", due_on=date(2026, 4, 15))
    precursor = PrecursorAnnualReport.objects.create(enterprise=enterprise, year=2025)
    activity = ActivitySignalFactory(enterprise=enterprise)
    return {
        "enterprises": enterprise,
        "licences": licence,
        "licence-applications": application,
        "registration-changes": change,
        "plan-filings": plan,
        "hazard-sources": hazard,
        "report-obligations": report,
        "precursor-reports": precursor,
        "activities": activity,
        "persons": enterprise.principal,
        "contact_person": contact,
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; API tests only need a hasher, not its cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(org_tree) -> World:
    w = World(orgs=org_tree)
    own_enterprise = EnterpriseFactory(organisation=org_tree["street"], name="上海长寿化工有限公司")
    foreign_enterprise = EnterpriseFactory(organisation=org_tree["jingan"], name="上海静安贸易有限公司")
    w.own = build_register(own_enterprise, "own")
    w.foreign = build_register(foreign_enterprise, "foreign")
    w.own["organisations"] = org_tree["street"]
    w.foreign["organisations"] = org_tree["jingan"]
    for name, role in ROLES.items():
        organisation = None
        if role in {Role.OFFICER, Role.SUPERVISOR, Role.LEGAL_REVIEWER, Role.DEVICE_ADMIN}:
            organisation = org_tree["putuo"]
        elif role in {Role.AUDITOR, Role.SYSTEM_ADMIN}:
            organisation = org_tree["city"]
        w.users[name] = UserFactory(username=f"api_{name}", role=role, organisation=organisation, phone="13912345678")
    ContactAuthorisationFactory(enterprise=own_enterprise, user=w.users["enterprise_contact"])
    return w


@pytest.fixture
def client_for():
    """An API client authenticated with a real token (TokenAuthentication, as an integrator would)."""

    def _client(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _client
