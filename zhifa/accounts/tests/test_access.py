"""Access matrix: role × page × own/foreign object (ARCHITECTURE house style).

"own" is an enterprise inside a 普陀 staff member's subtree and the one the enterprise contact
is authorised for; "foreign" is an enterprise of 静安. Out-of-scope objects answer 404 (their
existence is not leaked); read-only and external roles get 403 on writes.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from zhifa.access.tests.factories import approved_grant
from zhifa.accounts.choices import Role
from zhifa.common.timeutil import today
from zhifa.ledger.models import LedgerEntry
from zhifa.subjects.tests.factories import ContactAuthorisationFactory, EnterpriseFactory, LicenceFactory, PersonFactory

ROLES = ["ANONYMOUS", *[r.value for r in Role]]

# page → expected status per role. "own"/"foreign" pages use the object of that kind.
OK, NOT_FOUND, FORBIDDEN, LOGIN, ADMIN_LOGIN, NOT_ALLOWED = 200, 404, 403, "login", "admin-login", 405
STAFF = {Role.OFFICER, Role.SUPERVISOR, Role.LEGAL_REVIEWER, Role.DEVICE_ADMIN}


def expected(page: str, role: str):
    if role == "ANONYMOUS":
        if page == "admin":
            return ADMIN_LOGIN
        return NOT_ALLOWED if page == "logout_get" else LOGIN
    if page in {"home", "list", "detail_own"}:
        return OK
    if page == "logout_get":
        return NOT_ALLOWED
    if page == "detail_foreign":
        return OK if role in {Role.AUDITOR, Role.SYSTEM_ADMIN} else NOT_FOUND
    if page == "reveal_own":
        return OK if role in STAFF | {Role.SYSTEM_ADMIN} else FORBIDDEN
    if page == "reveal_foreign":
        if role == Role.SYSTEM_ADMIN:
            return OK
        return FORBIDDEN if role == Role.AUDITOR else NOT_FOUND
    if page == "admin":
        return OK if role == Role.SYSTEM_ADMIN else ADMIN_LOGIN
    raise AssertionError(page)


PAGES = ["home", "list", "detail_own", "detail_foreign", "reveal_own", "reveal_foreign", "admin", "logout_get"]


@pytest.fixture
def objects(org_tree):
    own = EnterpriseFactory(name="普陀本辖区企业", organisation=org_tree["street"], principal=PersonFactory(phone="13800000001"))
    foreign = EnterpriseFactory(name="静安外辖区企业", organisation=org_tree["jingan"], principal=PersonFactory(phone="13800000002"))
    LicenceFactory(enterprise=own, valid_to=today() - timedelta(days=1))
    LicenceFactory(enterprise=foreign, valid_to=today() - timedelta(days=1))
    return {"own": own, "foreign": foreign}


def _user_for(role: str, org_tree, make_user, objects):
    if role == "ANONYMOUS":
        return None
    if role == Role.ENTERPRISE_CONTACT:
        user = make_user(role, None)
        ContactAuthorisationFactory(enterprise=objects["own"], user=user, valid_from=today() - timedelta(days=1), valid_to=today() + timedelta(days=30))
        return user
    if role in STAFF:
        return make_user(role, org_tree["putuo"])
    # auditor, system admin: no organisation; the system admin runs the admin site
    return make_user(role, None, is_staff=role == Role.SYSTEM_ADMIN)


def _request(client, page: str, objects):
    own, foreign = objects["own"], objects["foreign"]
    if page == "home":
        return client.get(reverse("home"))
    if page == "list":
        return client.get(reverse("subjects:enterprise_list"))
    if page == "detail_own":
        return client.get(reverse("subjects:enterprise_detail", args=[own.pk]))
    if page == "detail_foreign":
        return client.get(reverse("subjects:enterprise_detail", args=[foreign.pk]))
    if page in {"reveal_own", "reveal_foreign"}:
        ent = own if page == "reveal_own" else foreign
        return client.post(reverse("subjects:person_reveal", args=[ent.pk, ent.principal_id]), {"field": "phone", "purpose": "访问矩阵测试"})
    if page == "admin":
        return client.get("/admin/")
    if page == "logout_get":
        return client.get(reverse("accounts:logout"))
    raise AssertionError(page)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, org_tree, make_user, objects, role, page):
    # given a user of this role (or nobody) and an own and a foreign enterprise
    user = _user_for(role, org_tree, make_user, objects)
    if user is not None:
        client.force_login(user)
    want = expected(page, role)
    if page.startswith("reveal") and want == OK:
        # REC-17: without an approved access request the reveal is refused (and nothing revealed);
        # with one, it goes through
        assert _request(client, page, objects).status_code == FORBIDDEN
        approved_grant(user, [objects["own" if page == "reveal_own" else "foreign"].principal])
    # when the page is requested
    response = _request(client, page, objects)
    # then the outcome is the one the matrix prescribes
    if want == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), response
    elif want == ADMIN_LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), response
    else:
        assert response.status_code == want, (role, page, response.status_code)
    # and a reveal is logged exactly when it succeeded
    if page.startswith("reveal"):
        assert LedgerEntry.objects.filter(action="personal_data.reveal").exists() == (want == OK)


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_access_matrix__list_never_shows_foreign_to_scoped_roles(client, org_tree, make_user, objects, role):
    user = _user_for(role, org_tree, make_user, objects)
    client.force_login(user)
    body = client.get(reverse("subjects:enterprise_list")).content.decode()
    assert "普陀本辖区企业" in body
    assert ("静安外辖区企业" in body) == (role in {Role.AUDITOR, Role.SYSTEM_ADMIN})


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_access_matrix__home_counts_never_include_foreign(client, org_tree, make_user, objects, role):
    user = _user_for(role, org_tree, make_user, objects)
    client.force_login(user)
    ctx = client.get(reverse("home")).context
    sees_all = role in {Role.AUDITOR, Role.SYSTEM_ADMIN}
    if role == Role.ENTERPRISE_CONTACT:
        assert [e.name for e in ctx["enterprises"]] == ["普陀本辖区企业"]
    else:
        assert ctx["enterprise_count"] == (2 if sees_all else 1)
        assert ctx["expired_count"] == (2 if sees_all else 1)


def test_access__auditor_writes_nothing_anywhere(client, org_tree, make_user, objects):
    # given an auditor with admin access and every permission
    from django.contrib.auth.models import Permission

    auditor = make_user(Role.AUDITOR, None, is_staff=True)
    auditor.user_permissions.set(Permission.objects.all())
    client.force_login(auditor)
    before = LedgerEntry.objects.count()
    # when it tries the reveal and admin writes
    client.post(reverse("subjects:person_reveal", args=[objects["own"].pk, objects["own"].principal_id]), {"field": "phone", "purpose": "监督"})
    client.post(reverse("admin:subjects_enterprise_change", args=[objects["own"].pk]), {"name": "被改名"})
    client.post(reverse("admin:accounts_organisation_change", args=[org_tree["street"].pk]), {"name": "被改名"})
    # then nothing changed and nothing was appended
    objects["own"].refresh_from_db()
    org_tree["street"].refresh_from_db()
    assert objects["own"].name == "普陀本辖区企业" and org_tree["street"].name == "长寿路街道"
    assert LedgerEntry.objects.count() == before
