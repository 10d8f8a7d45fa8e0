"""Login, logout, lockout (django-axes), session expiry and the accounts admin pages."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from zhifa.accounts.choices import OrgKind, Role
from zhifa.accounts.models import OfficerCredential, Organisation, User
from zhifa.accounts.tests.factories import TEST_PASSWORD, OfficerCredentialFactory, OrganisationFactory, UserFactory
from zhifa.ledger.models import LedgerEntry

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"


@pytest.fixture
def officer(org_tree, make_user):
    return make_user(Role.OFFICER, org_tree["putuo"], username="officer1")


def _fail(client, username, n=1):
    response = None
    for _ in range(n):
        response = client.post(LOGIN, {"username": username, "password": "wrong-password"})
    return response


# --- login / logout --------------------------------------------------------------------------


@pytest.mark.django_db
def test_login__page_is_chinese(client):
    # given an anonymous visitor / when the login page is opened
    response = client.get(LOGIN)
    # then it is a Simplified Chinese page with labelled fields
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in body
    assert "登录" in body and "用户名" in body and "密码" in body
    assert 'for="id_username"' in body and 'for="id_password"' in body


def test_login__valid_credentials_lead_home(client, officer):
    # given an officer / when the correct password is posted
    response = client.post(LOGIN, {"username": "officer1", "password": TEST_PASSWORD})
    # then the officer lands on the home page, signed in
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_login__next_parameter_is_followed(client, officer):
    response = client.post(LOGIN + "?next=/enterprises/", {"username": "officer1", "password": TEST_PASSWORD, "next": "/enterprises/"})
    assert response["Location"] == "/enterprises/"


def test_login__foreign_next_is_ignored(client, officer):
    # given a next URL on another host (open redirect) / then it is not followed
    response = client.post(LOGIN, {"username": "officer1", "password": TEST_PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_login__wrong_password_shows_chinese_error(client, officer):
    response = _fail(client, "officer1")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login__inactive_user_cannot_sign_in(client, officer):
    officer.is_active = False
    officer.save()
    response = client.post(LOGIN, {"username": "officer1", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login__signed_in_user_is_sent_home(client, officer):
    client.force_login(officer)
    response = client.get(LOGIN)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_logout__post_signs_out(client, officer):
    # given a signed-in officer / when logout is posted
    client.force_login(officer)
    response = client.post(LOGOUT)
    # then the session is gone and the login page says so
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert "您已安全退出" in client.get(response["Location"]).content.decode()


def test_logout__get_is_refused(client, officer):
    client.force_login(officer)
    assert client.get(LOGOUT).status_code == 405
    assert "_auth_user_id" in client.session


def test_base__navigation_depends_on_role(client, org_tree, make_user):
    # given an officer and a device admin
    officer = make_user(Role.OFFICER, org_tree["putuo"])
    device_admin = make_user(Role.DEVICE_ADMIN, org_tree["putuo"])
    client.force_login(officer)
    body = client.get(reverse("home")).content.decode()
    # then only the device admin sees 数据导入, nobody but admins sees 系统管理; the logout is a POST form
    assert "企业名录" in body and "数据导入" not in body and "系统管理" not in body
    assert 'action="/accounts/logout/"' in body and 'method="post"' in body
    assert "执法人员" in body  # role label from the context processor
    client.force_login(device_admin)
    assert 'href="/import/"' in client.get(reverse("home")).content.decode()


# --- lockout (django-axes) ---------------------------------------------------------------------


def test_lockout__five_failures_lock_the_account(client, officer, settings):
    # given the configured limit of 5 failures
    assert settings.AXES_FAILURE_LIMIT == 5
    # when four wrong passwords are posted the form still answers normally
    assert _fail(client, "officer1", 4).status_code == 200
    # and the fifth failure locks the username from this address
    locked = _fail(client, "officer1")
    assert locked.status_code == 429
    assert "账户已暂时锁定" in locked.content.decode()
    assert "30 分钟" in locked.content.decode()
    # then even the correct password is refused during the cool-off
    again = client.post(LOGIN, {"username": "officer1", "password": TEST_PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout__other_users_are_not_affected(client, officer, make_user, org_tree):
    make_user(Role.OFFICER, org_tree["putuo"], username="officer2")
    _fail(client, "officer1", 5)
    response = client.post(LOGIN, {"username": "officer2", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_lockout__success_before_limit_resets_the_count(client, officer):
    # given four failures, then a success (AXES_RESET_ON_SUCCESS)
    _fail(client, "officer1", 4)
    assert client.post(LOGIN, {"username": "officer1", "password": TEST_PASSWORD}).status_code == 302
    client.post(LOGOUT)
    # when four more failures follow, the account is still not locked
    assert _fail(client, "officer1", 4).status_code == 200
    assert client.post(LOGIN, {"username": "officer1", "password": TEST_PASSWORD}).status_code == 302


def test_lockout__expires_after_cool_off(client, officer):
    # given a locked account
    _fail(client, "officer1", 5)
    from axes.models import AccessAttempt

    # when the failures are older than the 30-minute cool-off
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    # then the correct password works again
    assert client.post(LOGIN, {"username": "officer1", "password": TEST_PASSWORD}).status_code == 302


# --- sessions ----------------------------------------------------------------------------------


def test_session__cookie_ends_with_the_browser(client, officer, settings):
    # given SESSION_EXPIRE_AT_BROWSER_CLOSE / when signing in
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    response = client.post(LOGIN, {"username": "officer1", "password": TEST_PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # then the session cookie carries no expiry (a browser-session cookie) and is HttpOnly
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"]


def test_session__server_side_expiry_is_session_cookie_age(client, officer, settings):
    client.post(LOGIN, {"username": "officer1", "password": TEST_PASSWORD})
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < remaining <= settings.SESSION_COOKIE_AGE


def test_session__expired_session_redirects_to_login(client, officer):
    # given a signed-in officer whose session has passed its expiry date
    client.post(LOGIN, {"username": "officer1", "password": TEST_PASSWORD})
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    # when a page is requested
    response = client.get("/enterprises/")
    # then the officer is sent to the login page, which explains why
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert "登录已超时" in client.get(response["Location"]).content.decode()


def test_session__activity_extends_the_session(client, officer, settings):
    # given SESSION_SAVE_EVERY_REQUEST and a session about to expire
    client.post(LOGIN, {"username": "officer1", "password": TEST_PASSWORD})
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=30))
    # when the user keeps working
    assert client.get(reverse("home")).status_code == 200
    # then the expiry moves a full SESSION_COOKIE_AGE ahead
    expire = Session.objects.get(session_key=client.session.session_key).expire_date
    assert (expire - timezone.now()).total_seconds() > settings.SESSION_COOKIE_AGE - 60


def test_session__shorter_configured_age_applies(client, officer, settings):
    settings.SESSION_COOKIE_AGE = 120
    client.post(LOGIN, {"username": "officer1", "password": TEST_PASSWORD})
    session = Session.objects.get(session_key=client.session.session_key)
    assert (session.expire_date - timezone.now()).total_seconds() <= 120


# --- admin pages -------------------------------------------------------------------------------


@pytest.fixture
def sysadmin(make_user):
    return make_user(Role.SYSTEM_ADMIN, None, username="sysadmin", is_staff=True, is_superuser=True)


def test_admin__organisation_change_is_ledgered(client, sysadmin, org_tree):
    # given a system admin / when an organisation is renamed in the admin
    street = org_tree["street"]
    client.force_login(sysadmin)
    url = reverse("admin:accounts_organisation_change", args=[street.pk])
    assert "层级路径" in client.get(url).content.decode()
    response = client.post(
        url,
        {"name": "长寿路街道办事处", "code": street.code, "kind": OrgKind.TOWN, "parent": org_tree["putuo"].pk, "division_code": "", "jurisdiction": ""},
    )
    # then it is saved and a ledger entry names the change
    assert response.status_code == 302, response.content.decode()[:2000]
    street.refresh_from_db()
    assert street.name == "长寿路街道办事处"
    entry = LedgerEntry.objects.get(action="admin.change", object_type="accounts.organisation", object_id=str(street.pk))
    assert "name" in entry.payload["fields"]


def test_admin__moving_an_organisation_moves_its_subtree(client, sysadmin, org_tree):
    # given 长寿路街道 under 普陀 with a child park
    park = OrganisationFactory(name="园区", code="SH-PT-CS-P", kind=OrgKind.PARK, parent=org_tree["street"])
    street = org_tree["street"]
    client.force_login(sysadmin)
    # when the street is moved under 静安
    response = client.post(
        reverse("admin:accounts_organisation_change", args=[street.pk]),
        {"name": street.name, "code": street.code, "kind": OrgKind.TOWN, "parent": org_tree["jingan"].pk, "division_code": "", "jurisdiction": ""},
    )
    assert response.status_code == 302
    # then the materialised paths of the street and its child follow
    street.refresh_from_db()
    park.refresh_from_db()
    assert street.path == f"{org_tree['jingan'].path}{street.pk}/"
    assert park.path == f"{street.path}{park.pk}/"
    assert LedgerEntry.objects.filter(action="accounts.organisation.move", object_id=str(street.pk)).exists()


def test_admin__organisation_cannot_become_its_own_descendant(client, sysadmin, org_tree):
    putuo = org_tree["putuo"]
    client.force_login(sysadmin)
    response = client.post(
        reverse("admin:accounts_organisation_change", args=[putuo.pk]),
        {"name": putuo.name, "code": putuo.code, "kind": OrgKind.DISTRICT, "parent": org_tree["street"].pk, "division_code": "", "jurisdiction": ""},
    )
    assert response.status_code == 200
    assert "上级机构不能是本机构或其下级机构" in response.content.decode()
    putuo.refresh_from_db()
    assert putuo.parent_id == org_tree["city"].pk


def test_admin__staff_user_needs_an_organisation(client, sysadmin):
    # given the add-user form / when an officer is added without organisation
    client.force_login(sysadmin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {"username": "newofficer", "usable_password": "true", "password1": "Zhifa-New-2026!x", "password2": "Zhifa-New-2026!x", "role": Role.OFFICER, "display_name": "新人"},
    )
    # then the form refuses in Chinese and nothing is created
    assert response.status_code == 200
    assert "必须选择所属机构" in response.content.decode()
    assert not User.objects.filter(username="newofficer").exists()


def test_admin__adding_a_user_is_ledgered_without_password(client, sysadmin, org_tree):
    client.force_login(sysadmin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newofficer",
            "usable_password": "true",
            "password1": "Zhifa-New-2026!x",
            "password2": "Zhifa-New-2026!x",
            "role": Role.OFFICER,
            "organisation": org_tree["putuo"].pk,
            "display_name": "新人",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="newofficer")
    assert user.role == Role.OFFICER and user.organisation == org_tree["putuo"]
    entry = LedgerEntry.objects.get(action="admin.add", object_type="accounts.user", object_id=str(user.pk))
    assert "Zhifa-New-2026!x" not in str(entry.payload)
    assert not any("password" in key for key in entry.payload["values"])


def test_admin__password_change_is_ledgered(client, sysadmin, officer):
    client.force_login(sysadmin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[officer.pk]),
        {"usable_password": "true", "password1": "Zhifa-Changed-2026!", "password2": "Zhifa-Changed-2026!"},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("Zhifa-Changed-2026!")
    assert LedgerEntry.objects.filter(action="admin.password_change", object_id=str(officer.pk)).exists()


def test_admin__auditor_reads_but_cannot_change(client, org_tree, make_user):
    # given an auditor with admin access and every permission a group could grant
    from django.contrib.auth.models import Permission

    auditor = make_user(Role.AUDITOR, None, is_staff=True)
    auditor.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    client.force_login(auditor)
    # when the auditor opens and posts the organisation page
    url = reverse("admin:accounts_organisation_change", args=[org_tree["street"].pk])
    assert client.get(reverse("admin:accounts_organisation_changelist")).status_code == 200
    response = client.post(url, {"name": "改名", "code": "X", "kind": OrgKind.TOWN})
    # then nothing changes
    assert response.status_code == 403
    assert Organisation.objects.get(pk=org_tree["street"].pk).name == "长寿路街道"
    assert client.get(reverse("admin:accounts_organisation_add")).status_code == 403


def test_admin__credential_dates_and_body_are_checked(client, sysadmin, officer, org_tree):
    client.force_login(sysadmin)
    response = client.post(
        reverse("admin:accounts_officercredential_add"),
        {
            "user": officer.pk,
            "number": "31010726999999",
            "issuing_body": "上海市人民政府",
            "enforcement_body": org_tree["street"].pk,
            "valid_from": "2026-01-01",
            "valid_to": "2025-01-01",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "有效期至不能早于有效期自" in body and "所选机构不是执法主体" in body
    assert not OfficerCredential.objects.filter(number="31010726999999").exists()


def test_admin__credential_add_is_ledgered(client, sysadmin, officer, org_tree):
    client.force_login(sysadmin)
    response = client.post(
        reverse("admin:accounts_officercredential_add"),
        {
            "user": officer.pk,
            "number": "31010726999998",
            "issuing_body": "上海市人民政府",
            "enforcement_body": org_tree["putuo"].pk,
            "valid_from": "2026-01-01",
            "valid_to": "2030-12-31",
            "legal_review_qualified": "on",
        },
    )
    assert response.status_code == 302
    cred = OfficerCredential.objects.get(number="31010726999998")
    assert cred.legal_review_qualified and cred.is_valid_on(date(2027, 1, 1))
    assert LedgerEntry.objects.filter(action="admin.add", object_type="accounts.officercredential", object_id=str(cred.pk)).exists()


def test_admin__user_page_lists_credentials(client, sysadmin, officer):
    OfficerCredentialFactory(user=officer, number="31010726000777")
    client.force_login(sysadmin)
    assert "31010726000777" in client.get(reverse("admin:accounts_user_change", args=[officer.pk])).content.decode()


def test_admin__non_superuser_admin_cannot_grant_superuser(client, make_user):
    admin_user = make_user(Role.SYSTEM_ADMIN, None, is_staff=True)
    from django.contrib.auth.models import Permission

    admin_user.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    target = UserFactory(role=Role.AUDITOR, organisation=None)
    client.force_login(admin_user)
    body = client.get(reverse("admin:accounts_user_change", args=[target.pk])).content.decode()
    assert 'name="is_superuser"' not in body


@pytest.mark.parametrize("model_name", ["organisation", "user", "officercredential"])
def test_admin__every_accounts_page_opens(client, sysadmin, officer, model_name):
    from django.apps import apps

    OfficerCredentialFactory(user=officer)
    client.force_login(sysadmin)
    obj = apps.get_model("accounts", model_name).objects.first()
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse(f"admin:accounts_{model_name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:accounts_{model_name}_change", args=[obj.pk])).status_code == 200
    assert client.get(reverse(f"admin:accounts_{model_name}_add")).status_code == 200
