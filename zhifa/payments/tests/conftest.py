"""Fixtures of the payments tests: a small world with one user per role, an own enterprise under
普陀区/长寿路街道 (its contact authorised) and a foreign one in 静安区 (its own contact)."""
from __future__ import annotations

from datetime import date

import pytest

from zhifa.accounts.choices import Role
from zhifa.accounts.tests.factories import UserFactory
from zhifa.subjects.tests.factories import ContactAuthorisationFactory, EnterpriseFactory

from .helpers import PayWorld


@pytest.fixture
def w(org_tree) -> PayWorld:
    world = PayWorld(orgs=org_tree)
    putuo, jingan = org_tree["putuo"], org_tree["jingan"]
    for key, role, org in [
        ("officer", Role.OFFICER, putuo),
        ("supervisor", Role.SUPERVISOR, putuo),
        ("legal_reviewer", Role.LEGAL_REVIEWER, putuo),
        ("device_admin", Role.DEVICE_ADMIN, putuo),
        ("street_officer", Role.OFFICER, org_tree["street"]),
        ("foreign_officer", Role.OFFICER, jingan),
        ("foreign_supervisor", Role.SUPERVISOR, jingan),
        ("auditor", Role.AUDITOR, org_tree["city"]),
        ("system_admin", Role.SYSTEM_ADMIN, org_tree["city"]),
        ("contact", Role.ENTERPRISE_CONTACT, None),
        ("foreign_contact", Role.ENTERPRISE_CONTACT, None),
    ]:
        world.users[key] = UserFactory(role=role, organisation=org, username=f"pay_{key}")
    world.enterprise = EnterpriseFactory(organisation=org_tree["street"], name="上海普陀测试化工有限公司")
    world.other_enterprise = EnterpriseFactory(organisation=jingan, name="上海静安测试贸易有限公司")
    ContactAuthorisationFactory(enterprise=world.enterprise, user=world.users["contact"], valid_from=date(2024, 1, 1), valid_to=date(2099, 12, 31))
    ContactAuthorisationFactory(enterprise=world.other_enterprise, user=world.users["foreign_contact"], valid_from=date(2024, 1, 1), valid_to=date(2099, 12, 31))
    return world


@pytest.fixture
def settled_signals():
    """Collect `payment_settled` signals sent during a test."""
    from zhifa.payments.signals import payment_settled

    received: list[dict] = []

    def receiver(sender, **kwargs):
        received.append({"sender": sender, **kwargs})

    payment_settled.connect(receiver, weak=False, dispatch_uid="payments-test-receiver")
    yield received
    payment_settled.disconnect(dispatch_uid="payments-test-receiver")
