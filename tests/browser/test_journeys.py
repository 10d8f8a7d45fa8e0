"""User journeys in a real browser (Playwright + /usr/bin/chromium against the live server).

(a) an officer finds an enterprise with an expired licence through the licence-status filter
    and sees the 已过期 badge on its page;
(b) an enterprise contact sees only its own enterprise; another enterprise's page is the
    Chinese 404 page.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from zhifa.accounts.choices import Role
from zhifa.accounts.tests.factories import UserFactory
from zhifa.common.timeutil import today
from zhifa.subjects.tests.factories import ContactAuthorisationFactory, EnterpriseFactory, LicenceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



@pytest.fixture
def district(org_tree):
    day = today()
    expired = EnterpriseFactory(name="普陀过期证照化工有限公司", organisation=org_tree["street"])
    LicenceFactory(enterprise=expired, number="沪普经〔2020〕0101", valid_from=day - timedelta(days=1200), valid_to=day - timedelta(days=20))
    fine = EnterpriseFactory(name="普陀证照齐全贸易有限公司", organisation=org_tree["putuo"])
    LicenceFactory(enterprise=fine, number="沪普经〔2025〕0202", valid_from=day - timedelta(days=100), valid_to=day + timedelta(days=900))
    foreign = EnterpriseFactory(name="静安过期证照仓储有限公司", organisation=org_tree["jingan"])
    LicenceFactory(enterprise=foreign, number="沪静经〔2020〕0303", valid_from=day - timedelta(days=1200), valid_to=day - timedelta(days=3))
    return {"expired": expired, "fine": fine, "foreign": foreign}


def test_officer_finds_enterprise_with_expired_licence(page, login, org_tree, district):
    # given an officer of 普陀 with one expired-licence enterprise in the district (and one in 静安)
    UserFactory(username="officer_pw", role=Role.OFFICER, organisation=org_tree["putuo"], display_name="李执法")
    # when the officer signs in and opens the enterprise list from the navigation
    login("officer_pw")
    assert page.get_by_role("heading", name="首页").is_visible()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="企业名录").click()
    page.wait_for_url("**/enterprises/")
    # and filters by licence status "有已过期证照"
    page.get_by_label("证照状态").select_option("EXPIRED")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**licence=EXPIRED**")
    # then only the district's expired-licence enterprise is listed
    table = page.locator("table.enterprise-table")
    assert table.get_by_role("link", name="普陀过期证照化工有限公司").is_visible()
    assert table.get_by_role("link").count() == 1
    assert "静安过期证照仓储有限公司" not in page.content()
    # when the officer opens it
    table.get_by_role("link", name="普陀过期证照化工有限公司").click()
    page.wait_for_url(f"**/enterprises/{district['expired'].pk}/")
    # then the licence shows the 已过期 badge
    assert page.get_by_role("heading", name="普陀过期证照化工有限公司").is_visible()
    row = page.locator("#licences tr", has_text="沪普经〔2020〕0101")
    assert row.locator(".badge-expired").inner_text() == "已过期"


def test_enterprise_contact_cannot_see_another_enterprise(page, login, org_tree, district):
    # given a contact authorised only for the expired-licence enterprise
    contact = UserFactory(username="contact_pw", role=Role.ENTERPRISE_CONTACT, organisation=None, display_name="企业联系人")
    ContactAuthorisationFactory(enterprise=district["expired"], user=contact, valid_from=today() - timedelta(days=1), valid_to=today() + timedelta(days=365))
    # when the contact signs in and opens the enterprise list
    login("contact_pw")
    page.goto("/enterprises/")
    # then the list shows exactly its own enterprise
    table = page.locator("table.enterprise-table")
    assert table.get_by_role("link").all_inner_texts() == ["普陀过期证照化工有限公司"]
    assert "普陀证照齐全贸易有限公司" not in page.content()
    # when it opens another enterprise's page by URL
    response = page.goto(f"/enterprises/{district['fine'].pk}/")
    # then it gets the Chinese 404 page and nothing of that enterprise
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", name="页面不存在").is_visible()
    assert "普陀证照齐全贸易有限公司" not in page.content()
    # and its own enterprise still opens
    assert page.goto(f"/enterprises/{district['expired'].pk}/").status == 200
