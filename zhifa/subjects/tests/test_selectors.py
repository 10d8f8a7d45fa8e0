"""Scoped reads of the subject register: visibility per role, licence states, filters and search."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef

from zhifa.accounts.choices import STAFF_ROLES, Role
from zhifa.common.timeutil import today
from zhifa.subjects.choices import LicenceStatus, LicenceType
from zhifa.subjects.models import ContactAuthorisation, Enterprise, Licence
from zhifa.subjects.selectors import (
    EXPIRING_WITHIN_DAYS,
    enterprises_visible_to,
    filter_by_licence_state,
    licence_state,
    licences_visible_to,
    search_enterprises,
)
from zhifa.subjects.tests.factories import ContactAuthorisationFactory, EnterpriseFactory, LicenceFactory
from zhifa.subjects.views import _prefix_upper_bound


@pytest.fixture
def ents(org_tree):
    return {
        "city": EnterpriseFactory(name="市属重点化工", organisation=org_tree["city"]),
        "putuo": EnterpriseFactory(name="普陀区属化工", organisation=org_tree["putuo"]),
        "street": EnterpriseFactory(name="长寿路小化工", organisation=org_tree["street"]),
        "jingan": EnterpriseFactory(name="静安仓储", organisation=org_tree["jingan"]),
    }


def _names(qs) -> set[str]:
    return set(qs.values_list("name", flat=True))


# --- enterprises_visible_to --------------------------------------------------------------------


def test_visible__anonymous_sees_nothing(ents):
    assert not enterprises_visible_to(AnonymousUser()).exists()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.LEGAL_REVIEWER, Role.DEVICE_ADMIN])
def test_visible__staff_see_their_subtree(ents, org_tree, make_user, role):
    # given a 普陀 staff member / then 普陀 and its street are visible, the city and 静安 are not
    user = make_user(role, org_tree["putuo"])
    assert _names(enterprises_visible_to(user)) == {"普陀区属化工", "长寿路小化工"}


def test_visible__street_officer_sees_only_the_street(ents, org_tree, make_user):
    assert _names(enterprises_visible_to(make_user(Role.OFFICER, org_tree["street"]))) == {"长寿路小化工"}


def test_visible__city_officer_sees_the_whole_city(ents, org_tree, make_user):
    assert len(enterprises_visible_to(make_user(Role.OFFICER, org_tree["city"]))) == 4


def test_visible__officer_without_organisation_sees_nothing(ents, make_user):
    assert not enterprises_visible_to(make_user(Role.OFFICER, None)).exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SYSTEM_ADMIN])
def test_visible__auditor_and_system_admin_see_everything(ents, make_user, role):
    assert len(enterprises_visible_to(make_user(role, None))) == 4


def test_visible__superuser_sees_everything(ents, make_user):
    assert len(enterprises_visible_to(make_user(Role.OFFICER, None, is_superuser=True))) == 4


def test_sub_17__contact_sees_only_authorised_enterprise(ents, make_user):
    # given a contact authorised for the street enterprise from yesterday for a year
    contact = make_user(Role.ENTERPRISE_CONTACT, None)
    ContactAuthorisationFactory(enterprise=ents["street"], user=contact, valid_from=today() - timedelta(days=1), valid_to=today() + timedelta(days=365))
    # then exactly that enterprise is visible
    assert _names(enterprises_visible_to(contact)) == {"长寿路小化工"}


def test_sub_17__contact_authorisation_validity_is_inclusive(ents, make_user):
    contact = make_user(Role.ENTERPRISE_CONTACT, None)
    ContactAuthorisationFactory(enterprise=ents["street"], user=contact, valid_from=today(), valid_to=today())
    assert enterprises_visible_to(contact).count() == 1


@pytest.mark.parametrize(("start", "end"), [(-30, -1), (1, 30)])
def test_sub_17__contact_outside_authorisation_period_sees_nothing(ents, make_user, start, end):
    # given an authorisation that lapsed yesterday or starts tomorrow
    contact = make_user(Role.ENTERPRISE_CONTACT, None)
    ContactAuthorisationFactory(enterprise=ents["street"], user=contact, valid_from=today() + timedelta(days=start), valid_to=today() + timedelta(days=end))
    # then nothing is visible
    assert not enterprises_visible_to(contact).exists()


def test_sub_17__contact_with_an_organisation_still_sees_only_authorised(ents, org_tree, make_user):
    # a contact wrongly given an organisation must not inherit the staff subtree
    contact = make_user(Role.ENTERPRISE_CONTACT, org_tree["city"])
    assert not enterprises_visible_to(contact).exists()


def test_visible__licences_follow_enterprise_visibility(ents, org_tree, make_user):
    LicenceFactory(enterprise=ents["street"], number="A-1")
    LicenceFactory(enterprise=ents["jingan"], number="B-1")
    officer = make_user(Role.OFFICER, org_tree["putuo"])
    assert set(licences_visible_to(officer).values_list("number", flat=True)) == {"A-1"}


def _reference_scope(user):
    """The access rule stated plainly (path-prefix join, correlated EXISTS), to check the fast selector."""
    day = today()
    if user.is_superuser or user.role in {Role.AUDITOR, Role.SYSTEM_ADMIN}:
        return Enterprise.objects.all()
    if user.role == Role.ENTERPRISE_CONTACT:
        return Enterprise.objects.filter(
            Exists(ContactAuthorisation.objects.filter(enterprise=OuterRef("pk"), user=user, valid_from__lte=day, valid_to__gte=day))
        )
    if user.role in STAFF_ROLES and user.organisation_id:
        return Enterprise.objects.filter(organisation__path__startswith=user.organisation.path)
    return Enterprise.objects.none()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AUDITOR, Role.ENTERPRISE_CONTACT, Role.SYSTEM_ADMIN, Role.DEVICE_ADMIN])
def test_visible__licence_scope_equals_reference_definition(ents, org_tree, make_user, role):
    # given licences everywhere / then the fast licence scope equals the plain definition
    for i, ent in enumerate(ents.values()):
        LicenceFactory(enterprise=ent, number=f"L-{i}")
    org = org_tree["putuo"] if role in {Role.OFFICER, Role.DEVICE_ADMIN} else None
    user = make_user(role, org)
    if role == Role.ENTERPRISE_CONTACT:
        ContactAuthorisationFactory(enterprise=ents["jingan"], user=user)
    assert set(licences_visible_to(user).values_list("pk", flat=True)) == set(
        Licence.objects.filter(enterprise__in=_reference_scope(user)).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("org_key", ["city", "putuo", "street", None])
def test_visible__enterprise_scope_equals_reference_definition(ents, org_tree, make_user, role, org_key):
    # given any role at any level (or none) / then the fast scope returns the plain definition's rows
    user = make_user(role, org_tree[org_key] if org_key else None)
    if role == Role.ENTERPRISE_CONTACT:
        ContactAuthorisationFactory(enterprise=ents["putuo"], user=user)
    assert set(enterprises_visible_to(user).values_list("pk", flat=True)) == set(_reference_scope(user).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("prefix", "bound"),
    [("913101", "913102"), ("91310Y", "91310Z"), ("9131Z", "9132"), ("9ZZ", "A"), ("ZZZ", None), ("9", "A")],
)
def test_search__uscc_prefix_upper_bound(prefix, bound):
    assert _prefix_upper_bound(prefix) == bound


# --- licence_state -----------------------------------------------------------------------------


def _lic(valid_to_offset: int | None, status=LicenceStatus.VALID) -> Licence:
    day = today()
    return Licence(
        licence_type=LicenceType.HC_OPERATION,
        status=status,
        valid_from=day - timedelta(days=1000),
        valid_to=None if valid_to_offset is None else day + timedelta(days=valid_to_offset),
    )


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (-1, "EXPIRED"),
        (-400, "EXPIRED"),
        (0, "EXPIRING"),  # valid through its last day
        (EXPIRING_WITHIN_DAYS, "EXPIRING"),
        (EXPIRING_WITHIN_DAYS + 1, "VALID"),
        (None, "VALID"),  # open-ended precursor filings
    ],
)
def test_licence_state__boundaries(offset, expected):
    assert licence_state(_lic(offset)) == expected


@pytest.mark.parametrize("status", [LicenceStatus.SUSPENDED, LicenceStatus.REVOKED, LicenceStatus.CANCELLED])
def test_licence_state__not_valid_status_is_inactive(status):
    assert licence_state(_lic(-10, status)) == "INACTIVE"
    assert licence_state(_lic(500, status)) == "INACTIVE"


def test_licence_state__explicit_day():
    lic = _lic(10)
    assert licence_state(lic, on=lic.valid_to + timedelta(days=1)) == "EXPIRED"


# --- filter_by_licence_state -------------------------------------------------------------------


@pytest.fixture
def mixed(org_tree):
    day = today()
    both = EnterpriseFactory(name="一过期一有效", organisation=org_tree["putuo"])
    LicenceFactory(enterprise=both, number="E-1", valid_to=day - timedelta(days=1))
    LicenceFactory(enterprise=both, number="V-1", valid_to=day + timedelta(days=500))
    soon = EnterpriseFactory(name="即将到期", organisation=org_tree["putuo"])
    LicenceFactory(enterprise=soon, number="S-1", valid_to=day + timedelta(days=5))
    good = EnterpriseFactory(name="全部有效", organisation=org_tree["putuo"])
    LicenceFactory(enterprise=good, number="G-1", valid_to=day + timedelta(days=500))
    LicenceFactory(enterprise=good, number="G-2", licence_type=LicenceType.PRECURSOR_FILING, valid_to=None)
    revoked = EnterpriseFactory(name="仅有吊销证", organisation=org_tree["putuo"])
    LicenceFactory(enterprise=revoked, number="R-1", status=LicenceStatus.REVOKED, valid_to=day - timedelta(days=50))
    EnterpriseFactory(name="无证", organisation=org_tree["putuo"])
    return Enterprise.objects.all()


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("EXPIRED", {"一过期一有效"}),
        ("EXPIRING", {"即将到期"}),
        ("VALID", {"全部有效"}),
        ("NONE", {"无证"}),
        ("", {"一过期一有效", "即将到期", "全部有效", "仅有吊销证", "无证"}),
        ("BOGUS", {"一过期一有效", "即将到期", "全部有效", "仅有吊销证", "无证"}),
    ],
)
def test_filter_by_licence_state(mixed, state, expected):
    assert _names(filter_by_licence_state(mixed, state)) == expected


def test_filter_by_licence_state__respects_the_given_day(mixed):
    # ten days later the "即将到期" licence (5 days left today) is expired
    later = today() + timedelta(days=10)
    assert "即将到期" in _names(filter_by_licence_state(mixed, "EXPIRED", on=later))


# --- search_enterprises ------------------------------------------------------------------------


def test_search__blank_returns_everything(ents):
    assert search_enterprises(Enterprise.objects.all(), "  ").count() == 4


def test_search__name_substring(ents):
    assert _names(search_enterprises(Enterprise.objects.all(), "化工")) == {"市属重点化工", "普陀区属化工", "长寿路小化工"}


def test_search__uscc_prefix_any_case_and_spaces(ents):
    uscc = ents["jingan"].uscc
    assert _names(search_enterprises(Enterprise.objects.all(), f"  {uscc[:16].lower()} ")) >= {"静安仓储"}
    assert _names(search_enterprises(Enterprise.objects.all(), uscc)) == {"静安仓储"}


def test_search__uscc_infix_does_not_match(ents):
    uscc = ents["jingan"].uscc
    assert "静安仓储" not in _names(search_enterprises(Enterprise.objects.all(), uscc[5:15]))
