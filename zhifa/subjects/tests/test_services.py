"""Writes of the subject register: the logged personal-data reveal and registration changes."""
from __future__ import annotations

from datetime import date

import pytest

from zhifa.access.tests.factories import approved_grant
from zhifa.accounts.choices import Role
from zhifa.common.errors import ZhifaError
from zhifa.ledger.models import LedgerEntry
from zhifa.subjects.choices import Affiliation, ChangeField
from zhifa.subjects.errors import SubjectErrorCode
from zhifa.subjects.models import Person, RegistrationChange
from zhifa.subjects.services import person_reveal_field, registration_change_record
from zhifa.subjects.tests.factories import EnterpriseFactory, LicenceFactory, PersonFactory


@pytest.fixture
def person(org_tree):
    """The principal of a 普陀 enterprise, so that 普陀 staff may see (and apply to reveal) it."""
    principal = PersonFactory(name="王主任", id_number="31010719800101123X", phone="13812345678", address="上海市普陀区长寿路100弄1号101室")
    EnterpriseFactory(organisation=org_tree["putuo"], principal=principal)
    return principal


# --- person_reveal_field (SEC-02, SEC-03) ------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "expected"),
    [("id_number", "31010719800101123X"), ("phone", "13812345678"), ("address", "上海市普陀区长寿路100弄1号101室")],
)
def test_sec_02__staff_reveal_returns_value_and_appends_ledger(person, org_tree, make_user, field, expected):
    # given an officer / when a field is revealed with a purpose
    officer = make_user(Role.OFFICER, org_tree["putuo"])
    grant = approved_grant(officer, [person])  # REC-17: an approved access request for this person
    value = person_reveal_field(user=officer, person=person, field=field, purpose="  立案调查核实身份 ")
    # then the raw value is returned and one ledger entry records actor, object, field, trimmed
    # purpose and the access request it was opened under
    assert value == expected
    entry = LedgerEntry.objects.get(action="personal_data.reveal")
    assert (entry.actor_id, entry.object_type, entry.object_id) == (officer.pk, "subjects.person", str(person.pk))
    assert {k: entry.payload[k] for k in ("field", "purpose", "access_request")} == {"field": field, "purpose": "立案调查核实身份", "access_request": grant.pk}


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.LEGAL_REVIEWER, Role.DEVICE_ADMIN, Role.SYSTEM_ADMIN])
def test_sec_03__other_bureau_roles_may_reveal(person, org_tree, make_user, role):
    user = make_user(role, org_tree["putuo"])
    approved_grant(user, [person])
    assert person_reveal_field(user=user, person=person, field="phone", purpose="联系核查") == "13812345678"
    assert LedgerEntry.objects.filter(action="personal_data.reveal").count() == 1


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ENTERPRISE_CONTACT])
def test_sec_03__auditor_and_contact_may_not_reveal(person, make_user, role):
    # given a read-only or external role / when a reveal is attempted
    user = make_user(role, None)
    with pytest.raises(ZhifaError) as err:
        person_reveal_field(user=user, person=person, field="id_number", purpose="监督检查")
    # then it is refused with 403 and nothing is logged
    assert err.value.code == SubjectErrorCode.REVEAL_NOT_ALLOWED and err.value.status == 403
    assert not LedgerEntry.objects.exists()


def test_sec_03__inactive_officer_may_not_reveal(person, org_tree, make_user):
    officer = make_user(Role.OFFICER, org_tree["putuo"], is_active=False)
    with pytest.raises(ZhifaError):
        person_reveal_field(user=officer, person=person, field="phone", purpose="核查")
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("purpose", ["", " ", "查", None])
def test_sec_02__purpose_is_required(person, org_tree, make_user, purpose):
    officer = make_user(Role.OFFICER, org_tree["putuo"])
    with pytest.raises(ZhifaError) as err:
        person_reveal_field(user=officer, person=person, field="phone", purpose=purpose)
    assert err.value.code == SubjectErrorCode.REVEAL_PURPOSE_REQUIRED and err.value.field == "purpose"
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("field", ["name", "password", "id_number_masked", ""])
def test_sec_03__only_personal_data_fields_can_be_revealed(person, org_tree, make_user, field):
    officer = make_user(Role.OFFICER, org_tree["putuo"])
    with pytest.raises(ZhifaError):
        person_reveal_field(user=officer, person=person, field=field, purpose="核查身份")
    assert not LedgerEntry.objects.exists()


def test_sec_02__reveal_of_empty_field_is_still_logged(org_tree, make_user):
    bare = PersonFactory(name="无电话", phone="")
    EnterpriseFactory(organisation=org_tree["putuo"], principal=bare)
    officer = make_user(Role.OFFICER, org_tree["putuo"])
    approved_grant(officer, [bare])
    assert person_reveal_field(user=officer, person=bare, field="phone", purpose="联系核查") == ""
    assert LedgerEntry.objects.filter(action="personal_data.reveal").count() == 1


# --- registration_change_record ----------------------------------------------------------------


@pytest.fixture
def enterprise(org_tree):
    return EnterpriseFactory(name="旧名称化工有限公司", registered_address="上海市普陀区旧路1号", organisation=org_tree["putuo"], affiliation=Affiliation.PRIVATE)


def test_clu_s04__name_change_updates_master_record_and_keeps_licence_particulars(enterprise, make_user, org_tree):
    # given an enterprise with a licence recorded under its old name
    licence = LicenceFactory(enterprise=enterprise)
    actor = make_user(Role.DEVICE_ADMIN, org_tree["putuo"])
    # when the business registration records a new name
    change = registration_change_record(actor=actor, enterprise=enterprise, field=ChangeField.NAME, new_value="新名称化工有限公司", changed_on=date(2026, 3, 2), source="import")
    # then the master record follows, the old value is kept on the change, and the licence still says the old name
    enterprise.refresh_from_db()
    licence.refresh_from_db()
    assert enterprise.name == "新名称化工有限公司"
    assert (change.old_value, change.new_value, change.source) == ("旧名称化工有限公司", "新名称化工有限公司", "import")
    assert licence.recorded_name == "旧名称化工有限公司"
    entry = LedgerEntry.objects.get(action="subjects.registration_change.record")
    assert entry.payload == {"field": "name", "old": "旧名称化工有限公司", "new": "新名称化工有限公司", "changed_on": "2026-03-02"}


def test_registration_change__is_idempotent(enterprise, make_user, org_tree):
    actor = make_user(Role.DEVICE_ADMIN, org_tree["putuo"])
    kwargs = {"actor": actor, "enterprise": enterprise, "field": ChangeField.REG_ADDRESS, "new_value": "上海市普陀区新路2号", "changed_on": date(2026, 4, 1)}
    first = registration_change_record(**kwargs)
    second = registration_change_record(**kwargs)
    assert first.pk == second.pk
    assert RegistrationChange.objects.count() == 1
    assert LedgerEntry.objects.count() == 1


def test_registration_change__principal_change_creates_a_new_person(enterprise, make_user, org_tree):
    old_principal = enterprise.principal
    actor = make_user(Role.DEVICE_ADMIN, org_tree["putuo"])
    change = registration_change_record(actor=actor, enterprise=enterprise, field=ChangeField.PRINCIPAL, new_value="钱新任", changed_on=date(2026, 5, 6))
    enterprise.refresh_from_db()
    assert enterprise.principal.name == "钱新任" and enterprise.principal_id != old_principal.pk
    assert change.old_value == old_principal.name
    assert Person.objects.filter(pk=old_principal.pk).exists()


def test_registration_change__affiliation(enterprise, make_user, org_tree):
    actor = make_user(Role.DEVICE_ADMIN, org_tree["putuo"])
    registration_change_record(actor=actor, enterprise=enterprise, field=ChangeField.AFFILIATION, new_value=Affiliation.DISTRICT, changed_on=date(2026, 1, 5))
    enterprise.refresh_from_db()
    assert enterprise.affiliation == Affiliation.DISTRICT


def test_registration_change__unknown_field_writes_nothing(enterprise, make_user, org_tree):
    actor = make_user(Role.DEVICE_ADMIN, org_tree["putuo"])
    with pytest.raises(ZhifaError):
        registration_change_record(actor=actor, enterprise=enterprise, field="scale", new_value="LARGE", changed_on=date(2026, 1, 5))
    assert not RegistrationChange.objects.exists()
    assert not LedgerEntry.objects.exists()
