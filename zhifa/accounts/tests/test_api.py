"""API of accounts: token sign-in with django-axes lockout, /me/, the visible organisation tree."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhifa.accounts.choices import Role
from zhifa.accounts.tests.factories import TEST_PASSWORD, OfficerCredentialFactory, UserFactory
from zhifa.common.ids import MOBILE_RE
from zhifa.common.timeutil import today

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def officer(org_tree):
    return UserFactory(username="wang.officer", role=Role.OFFICER, organisation=org_tree["putuo"], phone="13812345678")


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


# --- POST /api/v1/auth/token/ ---------------------------------------------------------


def test_token__valid_credentials_return_a_token_that_authenticates(officer):
    # given an officer with a password
    client = APIClient()
    # when it exchanges username and password
    response = client.post(TOKEN_URL, {"username": "wang.officer", "password": TEST_PASSWORD}, format="json")
    # then it gets its token and its profile, and the token opens the API
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token"] == Token.objects.get(user=officer).key
    assert body["user"]["username"] == "wang.officer"
    follow = APIClient()
    follow.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert follow.get("/api/v1/me/").json()["username"] == "wang.officer"


def test_token__second_exchange_returns_the_same_token(officer):
    # given a token was issued already
    first = APIClient().post(TOKEN_URL, {"username": "wang.officer", "password": TEST_PASSWORD}, format="json").json()["token"]
    # when the user signs in again
    second = APIClient().post(TOKEN_URL, {"username": "wang.officer", "password": TEST_PASSWORD}, format="json").json()["token"]
    # then there is still exactly one token
    assert first == second
    assert Token.objects.filter(user=officer).count() == 1


def test_token__wrong_password_is_a_structured_error_and_counted_by_axes(officer):
    # given a wrong password
    client = APIClient()
    # when it is submitted
    response = client.post(TOKEN_URL, {"username": "wang.officer", "password": "wrong-password"}, format="json")
    # then the error is structured and Chinese, no token exists, and axes counted the failure
    assert response.status_code == 400
    assert response.json()["error"] == {"code": "COMMON_NOT_AUTHENTICATED", "message": "用户名或密码错误"}
    assert not Token.objects.filter(user=officer).exists()
    assert AccessAttempt.objects.get(username="wang.officer").failures_since_start == 1


def test_token__inactive_user_gets_no_token(officer):
    # given a deactivated account
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    # when it signs in with the right password
    response = APIClient().post(TOKEN_URL, {"username": "wang.officer", "password": TEST_PASSWORD}, format="json")
    # then it is refused
    assert response.status_code == 400
    assert not Token.objects.filter(user=officer).exists()


def test_token__missing_fields_name_each_field(db):
    # given an empty body
    # when it is submitted
    response = APIClient().post(TOKEN_URL, {}, format="json")
    # then each missing field is named
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "COMMON_INVALID_INPUT"
    assert set(error["fields"]) == {"username", "password"}


def test_token__lockout_after_repeated_failures_is_429_in_chinese(officer, settings):
    # given the failure limit of the login page
    limit = settings.AXES_FAILURE_LIMIT
    client = APIClient()
    statuses = [
        client.post(TOKEN_URL, {"username": "wang.officer", "password": f"wrong-{i}"}, format="json").status_code for i in range(limit)
    ]
    # when the right password is tried after `limit` failures
    response = client.post(TOKEN_URL, {"username": "wang.officer", "password": TEST_PASSWORD}, format="json")
    # then the account is locked: the limit-th failure and every later attempt answer 429
    assert statuses == [400] * (limit - 1) + [429]
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "COMMON_RATE_LIMITED"
    assert "锁定" in error["message"]
    assert error["details"]["cooloff_minutes"] == 30
    assert not Token.objects.filter(user=officer).exists()


def test_token__get_is_not_allowed(db):
    # when the token URL is read
    response = APIClient().get(TOKEN_URL)
    # then the method is refused with a structured 405
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "COMMON_INVALID_INPUT"


# --- GET /api/v1/me/ ----------------------------------------------------------------------


def test_me__officer_sees_role_organisation_and_credentials(officer, org_tree):
    # given an officer with one valid and one expired credential
    OfficerCredentialFactory(user=officer, number="31010726000001", valid_from=date(2024, 1, 1), valid_to=today() + timedelta(days=365))
    OfficerCredentialFactory(user=officer, number="31010726000002", valid_from=date(2015, 1, 1), valid_to=date(2020, 1, 1))
    # when it asks who it is
    body = token_client(officer).get("/api/v1/me/").json()
    # then role, organisation and credentials are there; its phone is masked
    assert body["role"] == "OFFICER"
    assert body["role_display"] == "执法人员"
    assert body["organisation"]["id"] == org_tree["putuo"].pk
    validity = {c["number"]: c["is_valid_today"] for c in body["credentials"]}
    assert validity == {"31010726000001": True, "31010726000002": False}
    assert body["phone_masked"] == "138****5678"
    assert body["permissions"] == {"sees_everything": False, "can_write": True, "can_write_register": False}
    assert not MOBILE_RE.search(str(body))


def test_me__auditor_is_read_only(org_tree):
    # given an auditor
    auditor = UserFactory(role=Role.AUDITOR, organisation=org_tree["city"])
    # when it asks who it is
    body = token_client(auditor).get("/api/v1/me/").json()
    # then it sees everything and writes nothing
    assert body["permissions"] == {"sees_everything": True, "can_write": False, "can_write_register": False}


def test_me__session_authentication_works_too(officer):
    # given a browser session
    client = APIClient()
    client.force_login(officer)
    # when the API is called with the session cookie
    response = client.get("/api/v1/me/")
    # then the user is recognised
    assert response.status_code == 200
    assert response.json()["username"] == "wang.officer"


def test_me__invalid_token_is_401(db):
    # given a made-up token
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    # when it is used
    response = client.get("/api/v1/me/")
    # then the error is structured
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "COMMON_NOT_AUTHENTICATED"


# --- /api/v1/organisations/ -----------------------------------------------------------------


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_organisations__officer_sees_its_subtree_only(officer, org_tree):
    # given a Putuo officer
    client = token_client(officer)
    # when it lists organisations
    ids = _ids(client.get("/api/v1/organisations/"))
    # then it sees Putuo and its street, not the city above nor the sibling district
    assert ids == {org_tree["putuo"].pk, org_tree["street"].pk}
    assert client.get(f"/api/v1/organisations/{org_tree['jingan'].pk}/").status_code == 404
    assert client.get(f"/api/v1/organisations/{org_tree['city'].pk}/").json()["error"]["code"] == "COMMON_NOT_FOUND"


def test_organisations__tree_shape_is_reconstructible(officer, org_tree):
    # when the street is read
    body = token_client(officer).get(f"/api/v1/organisations/{org_tree['street'].pk}/").json()
    # then parent and depth place it under Putuo, two levels below the city
    assert body["parent"] == org_tree["putuo"].pk
    assert body["depth"] == 2
    assert body["kind_display"] == "街道/镇"


def test_organisations__auditor_sees_the_whole_tree(org_tree):
    auditor = UserFactory(role=Role.AUDITOR, organisation=org_tree["city"])
    assert _ids(token_client(auditor).get("/api/v1/organisations/")) == {o.pk for o in org_tree.values()}


def test_organisations__enterprise_contact_sees_none(org_tree):
    contact = UserFactory(role=Role.ENTERPRISE_CONTACT, organisation=None)
    assert _ids(token_client(contact).get("/api/v1/organisations/")) == set()


def test_organisations__filter_by_kind_and_reject_unknown_kind(officer, org_tree):
    client = token_client(officer)
    # given a kind filter, when it is valid, then only that kind is listed
    assert _ids(client.get("/api/v1/organisations/", {"kind": "TOWN"})) == {org_tree["street"].pk}
    # when it is unknown, then a structured 400 names the parameter
    response = client.get("/api/v1/organisations/", {"kind": "PROVINCE"})
    assert response.status_code == 400
    assert "kind" in response.json()["error"]["fields"]
