"""Home page, enterprise list and detail, personal-data reveal and the subject admin pages."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse

from zhifa.access.tests.factories import approved_grant
from zhifa.accounts.choices import Role
from zhifa.accounts.models import Organisation, User
from zhifa.common.timeutil import today
from zhifa.ledger.models import LedgerEntry
from zhifa.subjects import views
from zhifa.subjects.choices import (
    ActivityKind,
    ApplicationKind,
    AuthorityLevel,
    ChangeField,
    Industry,
    LicenceStatus,
    LicenceType,
    PersonRole,
    ReportKind,
)
from zhifa.subjects.models import (
    EmergencyPlanFiling,
    Enterprise,
    EnterprisePerson,
    LicenceApplication,
    MajorHazardSource,
    Person,
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

LIST = "/enterprises/"


@dataclass
class World:
    """Two districts: 普陀 (with 长寿路街道) holds the "own" enterprises, 静安 the "foreign" one."""

    orgs: dict[str, Organisation]
    street_ent: Enterprise  # 普陀/长寿路街道, expired + valid licence, principal with personal data
    putuo_ent: Enterprise  # 普陀, expiring licence, key unit, chemical industry
    bare_ent: Enterprise  # 普陀, no licence
    foreign_ent: Enterprise  # 静安, expired licence
    principal: Person
    contact: User


def build_world(org_tree) -> World:
    day = today()
    principal = PersonFactory(name="王主任", id_number="31010719800101123X", phone="13812345678", address="上海市普陀区长寿路100弄1号101室")
    street_ent = EnterpriseFactory(name="上海长寿化工有限公司", organisation=org_tree["street"], principal=principal, industry=Industry.HAZCHEM)
    LicenceFactory(enterprise=street_ent, licence_type=LicenceType.HC_OPERATION, number="沪普经〔2021〕001", valid_from=day - timedelta(days=1100), valid_to=day - timedelta(days=10))
    LicenceFactory(enterprise=street_ent, licence_type=LicenceType.HC_REGISTRATION, number="登记〔2024〕001", valid_from=day - timedelta(days=100), valid_to=day + timedelta(days=900))
    putuo_ent = EnterpriseFactory(name="普陀精细化工有限公司", organisation=org_tree["putuo"], is_key_unit=True, industry=Industry.CHEMICAL)
    LicenceFactory(enterprise=putuo_ent, licence_type=LicenceType.SAFETY_PROD, number="安许〔2023〕009", valid_from=day - timedelta(days=1000), valid_to=day + timedelta(days=30))
    bare_ent = EnterpriseFactory(name="普陀商贸有限公司", organisation=org_tree["putuo"], industry=Industry.TRADE)
    foreign_ent = EnterpriseFactory(name="静安危险品储运有限公司", organisation=org_tree["jingan"], industry=Industry.HAZCHEM)
    LicenceFactory(enterprise=foreign_ent, licence_type=LicenceType.HC_OPERATION, number="沪静经〔2020〕777", valid_from=day - timedelta(days=1200), valid_to=day - timedelta(days=5))
    contact = User.objects.create_user(username="contact1", password="x-Contact-2026!", role=Role.ENTERPRISE_CONTACT, display_name="企业联系人甲")
    ContactAuthorisationFactory(enterprise=street_ent, user=contact, valid_from=day - timedelta(days=30), valid_to=day + timedelta(days=300))
    return World(org_tree, street_ent, putuo_ent, bare_ent, foreign_ent, principal, contact)


@pytest.fixture
def world(org_tree) -> World:
    return build_world(org_tree)


@pytest.fixture
def officer(world, make_user):
    return make_user(Role.OFFICER, world.orgs["putuo"], display_name="李执法")


@pytest.fixture
def auditor(make_user):
    return make_user(Role.AUDITOR, None)


def _body(response) -> str:
    return response.content.decode()


def _names(response) -> set[str]:
    return {row.name for row in response.context["rows"]}


# --- home --------------------------------------------------------------------------------------


def test_home__officer_sees_figures_of_own_scope(client, world, officer):
    # given an officer of 普陀 / when the home page is opened
    client.force_login(officer)
    response = client.get("/")
    ctx = response.context
    # then counts cover 普陀 and its street only (3 enterprises, 1 expired, 1 expiring licence)
    assert response.status_code == 200
    assert ctx["mode"] == "staff"
    assert ctx["enterprise_count"] == 3
    assert ctx["expired_count"] == 1
    assert ctx["expiring_count"] == 1
    # and the soonest-expiring list starts with the expiring licence and excludes 静安's
    numbers = [lic.number for lic in ctx["soonest"]]
    assert numbers == ["安许〔2023〕009", "登记〔2024〕001"]
    assert "静安危险品储运有限公司" not in _body(response)
    assert "即将到期" in _body(response)


@pytest.mark.parametrize("small_scope", [0, 10**9])
def test_home__soonest_list_is_the_same_for_both_query_plans(client, world, officer, monkeypatch, small_scope):
    # given more expiring licences of several types than the list shows
    day = today()
    for i, licence_type in enumerate(LicenceType.values * 3):
        LicenceFactory(enterprise=world.bare_ent, licence_type=licence_type, number=f"多-{i}", valid_to=day + timedelta(days=200 - i))
    monkeypatch.setattr(views, "SMALL_SCOPE", small_scope)
    client.force_login(officer)
    soonest = client.get("/").context["soonest"]
    # then both the per-type and the single-query plan give the ten soonest, in date order
    assert len(soonest) == 10
    assert [lic.valid_to for lic in soonest] == sorted(lic.valid_to for lic in soonest)
    assert soonest[0].number == "安许〔2023〕009"
    assert [lic.number for lic in soonest[1:]] == [f"多-{i}" for i in range(17, 8, -1)]


def test_home__street_officer_sees_only_the_street(client, world, make_user):
    officer = make_user(Role.OFFICER, world.orgs["street"])
    client.force_login(officer)
    ctx = client.get("/").context
    assert ctx["enterprise_count"] == 1 and ctx["expired_count"] == 1 and ctx["expiring_count"] == 0


def test_home__officer_without_organisation_sees_nothing(client, world, make_user):
    officer = make_user(Role.OFFICER, None)
    client.force_login(officer)
    response = client.get("/")
    assert response.context["enterprise_count"] == 0
    assert "尚未关联所属机构" in _body(response)


def test_home__contact_sees_own_enterprise_and_licences(client, world):
    # given an authorised enterprise contact
    client.force_login(world.contact)
    response = client.get("/")
    body = _body(response)
    # then only its enterprise and its licences appear, with state badges
    assert response.context["mode"] == "contact"
    assert [e.pk for e in response.context["enterprises"]] == [world.street_ent.pk]
    assert "上海长寿化工有限公司" in body and "沪普经〔2021〕001" in body and "已过期" in body
    assert "普陀精细化工有限公司" not in body and "静安危险品储运有限公司" not in body


def test_home__contact_with_lapsed_authorisation_sees_nothing(client, world):
    # SUB-17: the authorisation has a validity; outside it the contact sees no enterprise
    world.contact.contact_authorisations.update(valid_to=today() - timedelta(days=1))
    client.force_login(world.contact)
    response = client.get("/")
    assert response.context["enterprises"] == []
    assert "没有有效的企业联系人授权" in _body(response)


def test_home__auditor_sees_totals(client, world, auditor):
    client.force_login(auditor)
    ctx = client.get("/").context
    assert ctx["mode"] == "auditor"
    assert ctx["enterprise_count"] == 4
    assert ctx["licence_count"] == 4
    assert ctx["expired_count"] == 2
    assert ctx["expiring_count"] == 1


def test_home__inactive_licences_are_not_counted_as_expired(client, world, officer):
    LicenceFactory(enterprise=world.bare_ent, number="吊销-1", status=LicenceStatus.REVOKED, valid_to=today() - timedelta(days=3))
    client.force_login(officer)
    assert client.get("/").context["expired_count"] == 1


def test_home__anonymous_is_sent_to_login(client, world):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- list --------------------------------------------------------------------------------------


def test_list__scoped_to_officer_subtree(client, world, officer):
    client.force_login(officer)
    response = client.get(LIST)
    assert response.status_code == 200
    assert _names(response) == {"上海长寿化工有限公司", "普陀精细化工有限公司", "普陀商贸有限公司"}
    assert "共 3 家企业" in _body(response)


def test_list__search_by_name_substring(client, world, officer):
    client.force_login(officer)
    assert _names(client.get(LIST, {"q": "精细"})) == {"普陀精细化工有限公司"}


def test_list__search_by_uscc_prefix(client, world, officer):
    client.force_login(officer)
    uscc = world.putuo_ent.uscc
    assert _names(client.get(LIST, {"q": uscc.lower()})) == {"普陀精细化工有限公司"}
    assert world.putuo_ent.name in _names(client.get(LIST, {"q": uscc[:12]}))


def test_list__code_like_text_falls_back_to_name_search(client, world, officer):
    # given an enterprise whose name holds letters that are no USCC prefix
    EnterpriseFactory(name="上海ABCDEF精细化学品有限公司", organisation=world.orgs["putuo"])
    client.force_login(officer)
    # when searching those letters / then the name matches
    assert _names(client.get(LIST, {"q": "ABCDEF"})) == {"上海ABCDEF精细化学品有限公司"}


def test_list__full_width_uscc_is_found(client, world, officer):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in world.putuo_ent.uscc)
    client.force_login(officer)
    assert _names(client.get(LIST, {"q": full_width})) == {"普陀精细化工有限公司"}


def test_list__name_search_counts_less(client, world, auditor, monkeypatch):
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 1)
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client.force_login(auditor)
    response = client.get(LIST, {"q": "有限公司", "page": "2"})
    assert response.context["count_capped"] is True
    assert response.context["paginator"].num_pages == 1
    assert "超过 1 家" in _body(response)


def test_list__search_never_reaches_outside_scope(client, world, officer):
    client.force_login(officer)
    response = client.get(LIST, {"q": "静安"})
    assert _names(response) == set()
    assert "没有符合条件的企业" in _body(response)


def test_list__filter_by_organisation_subtree(client, world, officer):
    client.force_login(officer)
    assert _names(client.get(LIST, {"organisation": world.orgs["street"].pk})) == {"上海长寿化工有限公司"}
    assert len(_names(client.get(LIST, {"organisation": world.orgs["putuo"].pk}))) == 3


def test_list__organisation_outside_scope_is_rejected(client, world, officer):
    # given a filter naming 静安 (not in the officer's subtree)
    client.force_login(officer)
    response = client.get(LIST, {"organisation": world.orgs["jingan"].pk})
    # then the filter is ignored with a message, and nothing of 静安 leaks
    assert response.status_code == 200
    assert "部分筛选条件无效" in _body(response)
    assert "静安危险品储运有限公司" not in _names(response)


def test_list__filter_by_industry(client, world, officer):
    client.force_login(officer)
    assert _names(client.get(LIST, {"industry": Industry.CHEMICAL})) == {"普陀精细化工有限公司"}


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("EXPIRED", {"上海长寿化工有限公司"}),
        ("EXPIRING", {"普陀精细化工有限公司"}),
        ("VALID", set()),
        ("NONE", {"普陀商贸有限公司"}),
    ],
)
def test_list__filter_by_licence_state(client, world, officer, state, expected):
    client.force_login(officer)
    assert _names(client.get(LIST, {"licence": state})) == expected


def test_list__valid_filter_finds_enterprise_whose_licences_are_all_valid(client, world, officer):
    LicenceFactory(enterprise=world.bare_ent, number="有效-1", valid_to=today() + timedelta(days=400))
    client.force_login(officer)
    assert _names(client.get(LIST, {"licence": "VALID"})) == {"普陀商贸有限公司"}


def test_list__filter_by_key_unit(client, world, officer):
    client.force_login(officer)
    assert _names(client.get(LIST, {"key_unit": "1"})) == {"普陀精细化工有限公司"}
    assert _names(client.get(LIST, {"key_unit": "0"})) == {"上海长寿化工有限公司", "普陀商贸有限公司"}


def test_list__rows_show_licence_badges(client, world, officer):
    client.force_login(officer)
    body = _body(client.get(LIST))
    assert "已过期 1" in body and "即将到期 1" in body and "有效 1" in body and "无证照" in body


def test_list__sorting(client, world, officer):
    client.force_login(officer)
    by_uscc = [row.uscc for row in client.get(LIST, {"sort": "uscc"}).context["rows"]]
    assert by_uscc == sorted(by_uscc)
    desc = [row.uscc for row in client.get(LIST, {"sort": "-uscc"}).context["rows"]]
    assert desc == sorted(by_uscc, reverse=True)


@pytest.mark.parametrize("params", [{"industry": "NOPE"}, {"licence": "<script>"}, {"sort": "password"}, {"key_unit": "2"}, {"q": "x" * 500}, {"q": "化工\x00"}, {"organisation": "1e9"}])
def test_list__garbage_filters_are_reported_not_500(client, world, officer, params):
    client.force_login(officer)
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert "部分筛选条件无效" in _body(response)


@pytest.mark.parametrize("page", ["abc", "-1", "0", "1.5", "", "%00", "\x00", "9" * 5000, "99999999999999999999"])
def test_list__garbage_page_numbers_never_fail(client, world, officer, page):
    client.force_login(officer)
    response = client.get(LIST, {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_list__page_beyond_the_end_shows_last_page(client, world, officer, monkeypatch):
    # given two rows per page
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(officer)
    # when page 999 is requested
    response = client.get(LIST, {"page": "999"})
    # then the last page (2 of 2) is shown with a clear message
    assert response.status_code == 200
    assert response.context["page"].number == 2
    assert "页码超出范围" in _body(response)
    assert len(response.context["rows"]) == 1


def test_list__pagination_links_keep_filters(client, world, officer, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client.force_login(officer)
    response = client.get(LIST, {"key_unit": "0", "sort": "uscc"})
    assert response.context["paginator"].num_pages == 2
    assert 'href="?key_unit=0&amp;sort=uscc&amp;page=2"' in _body(response)


def test_list__count_is_capped(client, world, auditor, monkeypatch):
    # given a cap of 2 rows with 4 visible enterprises
    monkeypatch.setattr(views, "LIST_COUNT_CAP", 2)
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client.force_login(auditor)
    response = client.get(LIST, {"page": "4"})
    # then the list says "more than 2" and offers only 2 pages
    assert response.context["count_capped"] is True
    assert "超过 2 家" in _body(response)
    assert response.context["paginator"].num_pages == 2
    assert response.context["page"].number == 2


def test_list__capped_count_is_reported_on_the_first_page(client, world, auditor, monkeypatch):
    monkeypatch.setattr(views, "LIST_COUNT_CAP", 2)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(auditor)
    response = client.get(LIST)
    assert response.context["count_capped"] is True
    assert "超过 2 家" in _body(response)


def test_list__name_search_cap_on_the_first_page(client, world, auditor, monkeypatch):
    # given a name search matching 4 enterprises and a search cap of 3
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 3)
    client.force_login(auditor)
    response = client.get(LIST, {"q": "有限公司"})
    # then three are offered, sorted by name, and the page says there are more
    names = [row.name for row in response.context["rows"]]
    assert len(names) == 3 and names == sorted(names)
    assert response.context["count_capped"] is True


def test_list__name_search_combines_with_filters(client, world, officer):
    client.force_login(officer)
    assert _names(client.get(LIST, {"q": "有限公司", "licence": "EXPIRED"})) == {"上海长寿化工有限公司"}
    assert _names(client.get(LIST, {"q": "普陀", "key_unit": "0", "sort": "-name"})) == {"普陀商贸有限公司"}


def test_list__contact_sees_only_own_enterprise(client, world):
    client.force_login(world.contact)
    response = client.get(LIST)
    assert _names(response) == {"上海长寿化工有限公司"}
    assert response.context["show_org_filter"] is False


# --- detail ------------------------------------------------------------------------------------


def _detail(pk: int) -> str:
    return reverse("subjects:enterprise_detail", args=[pk])


def test_detail__personal_data_is_masked(client, world, officer):
    # given the principal 王主任 with ID number, phone and address / when an officer opens the enterprise
    client.force_login(officer)
    body = _body(client.get(_detail(world.street_ent.pk)))
    # then only the masked forms appear (SEC-03)
    assert "王主任" in body
    assert "31010719800101123X" not in body and "3101************3X" in body
    assert "13812345678" not in body and "138****5678" in body
    assert "长寿路100弄" not in body and "上海市普陀区****" in body


def test_detail__contacts_are_masked_too(client, world, officer):
    person = PersonFactory(name="赵联络", phone="13900001111")
    EnterprisePerson.objects.create(enterprise=world.street_ent, person=person, role=PersonRole.CONTACT)
    client.force_login(officer)
    body = _body(client.get(_detail(world.street_ent.pk)))
    assert "赵联络" in body and "13900001111" not in body and "139****1111" in body


def test_detail__licence_badges_and_pending_applications(client, world, officer):
    expired = world.street_ent.licences.get(number="沪普经〔2021〕001")
    LicenceApplication.objects.create(licence=expired, kind=ApplicationKind.EXTENSION, submitted_on=today() - timedelta(days=120))
    client.force_login(officer)
    body = _body(client.get(_detail(world.street_ent.pk)))
    assert "已过期" in body and "有效" in body
    assert "延期申请审查中" in body
    assert "有 1 件延期/变更申请正在审查中" in body


def test_detail__inactive_licence_shows_its_status(client, world, officer):
    LicenceFactory(enterprise=world.bare_ent, number="暂扣-1", status=LicenceStatus.SUSPENDED, valid_to=today() + timedelta(days=300))
    client.force_login(officer)
    assert "暂扣" in _body(client.get(_detail(world.bare_ent.pk)))


def test_detail__changes_filings_and_activity(client, world, officer):
    ent = world.street_ent
    day = today()
    RegistrationChange.objects.create(enterprise=ent, field=ChangeField.NAME, old_value="旧名称", new_value=ent.name, changed_on=day - timedelta(days=40))
    EmergencyPlanFiling.objects.create(enterprise=ent, plan_title="综合应急预案2026版", published_on=day - timedelta(days=60), filed_on=None, authority_level=AuthorityLevel.DISTRICT)
    MajorHazardSource.objects.create(enterprise=ent, code="MHS-0001", name="储罐区", grade=2, identified_on=day - timedelta(days=500))
    ReportObligation.objects.create(enterprise=ent, kind=ReportKind.HIDDEN_DANGER, period="2026-Q1", due_on=day - timedelta(days=3))
    ActivitySignalFactory(enterprise=ent, kind=ActivityKind.SALE, occurred_on=day - timedelta(days=2), reference="OUT-778899")
    client.force_login(officer)
    body = _body(client.get(_detail(ent.pk)))
    for text in ("旧名称", "综合应急预案2026版", "未备案", "MHS-0001", "储罐区", "重大事故隐患排查治理情况", "未报送", "OUT-778899", "销售/出库"):
        assert text in body, text


def test_detail__reveal_button_only_for_staff(client, world, officer, auditor):
    client.force_login(officer)
    assert "查看完整信息" in _body(client.get(_detail(world.street_ent.pk)))
    client.force_login(auditor)
    assert "查看完整信息" not in _body(client.get(_detail(world.street_ent.pk)))
    client.force_login(world.contact)
    assert "查看完整信息" not in _body(client.get(_detail(world.street_ent.pk)))


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.LEGAL_REVIEWER, Role.DEVICE_ADMIN])
def test_detail__foreign_enterprise_is_404_for_every_staff_role(client, world, make_user, role):
    # given a 普陀 staff member / when the 静安 enterprise is opened by URL
    user = make_user(role, world.orgs["putuo"])
    client.force_login(user)
    response = client.get(_detail(world.foreign_ent.pk))
    # then it does not exist for them (404, not 403), in Chinese
    assert response.status_code == 404
    assert "页面不存在" in _body(response)


def test_detail__foreign_enterprise_is_404_for_contact(client, world):
    client.force_login(world.contact)
    assert client.get(_detail(world.putuo_ent.pk)).status_code == 404
    assert client.get(_detail(world.foreign_ent.pk)).status_code == 404


def test_detail__unknown_id_is_404(client, world, officer):
    client.force_login(officer)
    assert client.get(_detail(99999999)).status_code == 404


def test_detail__auditor_reads_every_enterprise(client, world, auditor):
    client.force_login(auditor)
    assert client.get(_detail(world.foreign_ent.pk)).status_code == 200


# --- reveal ------------------------------------------------------------------------------------


def _reveal_url(world: World, ent: Enterprise | None = None, person: Person | None = None) -> str:
    ent = ent or world.street_ent
    person = person or world.principal
    return reverse("subjects:person_reveal", args=[ent.pk, person.pk])


def test_sec_02__reveal_shows_value_once_and_logs_to_ledger(client, world, officer):
    # given an officer with an approved access request (REC-17) / when the ID number of the
    # principal is revealed with a purpose
    grant = approved_grant(officer, [world.principal])
    client.force_login(officer)
    response = client.post(_reveal_url(world), {"field": "id_number", "purpose": "案件调查需要核对身份"})
    # then the raw value is shown, the page is not cached, and the ledger records who, what and why
    assert response.status_code == 200
    assert "31010719800101123X" in _body(response)
    assert "no-store" in response["Cache-Control"]
    entry = LedgerEntry.objects.get(action="personal_data.reveal")
    assert entry.actor_id == officer.pk
    assert entry.object_type == "subjects.person" and entry.object_id == str(world.principal.pk)
    assert {k: entry.payload[k] for k in ("field", "purpose", "access_request")} == {
        "field": "id_number",
        "purpose": "案件调查需要核对身份",
        "access_request": grant.pk,
    }
    # and the detail page afterwards is masked again
    assert "31010719800101123X" not in _body(client.get(_detail(world.street_ent.pk)))


def test_sec_02__reveal_without_purpose_is_refused(client, world, officer):
    client.force_login(officer)
    response = client.post(_reveal_url(world), {"field": "phone", "purpose": " "}, follow=True)
    assert "须填写用途" in _body(response)
    assert "13812345678" not in _body(response)
    assert not LedgerEntry.objects.filter(action="personal_data.reveal").exists()


def test_sec_03__reveal_unknown_field_is_refused(client, world, officer):
    client.force_login(officer)
    response = client.post(_reveal_url(world), {"field": "name_secret", "purpose": "核查"}, follow=True)
    assert response.status_code == 200
    assert "请选择要查看的项目" in _body(response)
    assert not LedgerEntry.objects.exists()


def test_sec_03__auditor_cannot_reveal(client, world, auditor):
    # given an auditor (reads everything, writes nothing) / when a reveal is forced by POST
    client.force_login(auditor)
    response = client.post(_reveal_url(world), {"field": "id_number", "purpose": "监督检查"})
    # then it is refused in Chinese, nothing is shown and nothing is written
    assert response.status_code == 403
    assert "31010719800101123X" not in _body(response)
    assert "无权查看未脱敏的个人信息" in _body(response)
    assert not LedgerEntry.objects.exists()


def test_sec_03__contact_cannot_reveal(client, world):
    client.force_login(world.contact)
    response = client.post(_reveal_url(world), {"field": "phone", "purpose": "想看"})
    assert response.status_code == 403
    assert not LedgerEntry.objects.exists()


def test_sec_03__reveal_on_foreign_enterprise_is_404(client, world, officer):
    foreign_person = world.foreign_ent.principal
    client.force_login(officer)
    response = client.post(_reveal_url(world, world.foreign_ent, foreign_person), {"field": "phone", "purpose": "核查"})
    assert response.status_code == 404
    assert not LedgerEntry.objects.exists()


def test_sec_03__reveal_of_person_not_in_enterprise_is_404(client, world, officer):
    # given a person of 静安's enterprise, asked for through 普陀's enterprise URL
    client.force_login(officer)
    response = client.post(_reveal_url(world, world.street_ent, world.foreign_ent.principal), {"field": "phone", "purpose": "核查"})
    assert response.status_code == 404
    assert not LedgerEntry.objects.exists()


def test_sec_03__reveal_of_listed_contact_person(client, world, officer):
    person = PersonFactory(name="赵联络", phone="13900001111")
    EnterprisePerson.objects.create(enterprise=world.street_ent, person=person, role=PersonRole.CONTACT)
    approved_grant(officer, [person])
    client.force_login(officer)
    response = client.post(_reveal_url(world, person=person), {"field": "phone", "purpose": "联系整改"})
    assert response.status_code == 200 and "13900001111" in _body(response)


def test_reveal__get_is_not_allowed(client, world, officer):
    client.force_login(officer)
    assert client.get(_reveal_url(world)).status_code == 405


# --- subject admin -----------------------------------------------------------------------------


def test_admin__subject_pages_are_read_only_for_non_superuser_admin(client, world, make_user):
    from django.contrib.auth.models import Permission

    admin_user = make_user(Role.SYSTEM_ADMIN, None, is_staff=True)
    admin_user.user_permissions.set(Permission.objects.filter(content_type__app_label="subjects"))
    client.force_login(admin_user)
    url = reverse("admin:subjects_enterprise_change", args=[world.street_ent.pk])
    assert client.get(reverse("admin:subjects_enterprise_changelist")).status_code == 200
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "改名"}).status_code == 403
    assert client.get(reverse("admin:subjects_licence_add")).status_code == 403


def test_admin__superuser_system_admin_may_correct_and_is_ledgered(client, world, make_user):
    root = make_user(Role.SYSTEM_ADMIN, None, is_staff=True, is_superuser=True)
    client.force_login(root)
    person = world.principal
    response = client.post(reverse("admin:subjects_person_change", args=[person.pk]), {"name": "王主任（更正）"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "王主任（更正）" and person.id_number == "31010719800101123X"
    assert LedgerEntry.objects.filter(action="admin.change", object_type="subjects.person").exists()


def test_admin__person_page_shows_masked_values_only(client, world, make_user):
    root = make_user(Role.SYSTEM_ADMIN, None, is_staff=True, is_superuser=True)
    client.force_login(root)
    body = _body(client.get(reverse("admin:subjects_person_change", args=[world.principal.pk])))
    assert "3101************3X" in body and "31010719800101123X" not in body and "13812345678" not in body
    listing = _body(client.get(reverse("admin:subjects_person_changelist")))
    assert "31010719800101123X" not in listing


def test_admin__contact_authorisation_requires_contact_role(client, world, make_user):
    root = make_user(Role.SYSTEM_ADMIN, None, is_staff=True, is_superuser=True)
    client.force_login(root)
    officer = make_user(Role.OFFICER, world.orgs["putuo"])
    response = client.post(
        reverse("admin:subjects_contactauthorisation_add"),
        {"enterprise": world.bare_ent.pk, "user": officer.pk, "authorised_by": "王法人", "valid_from": "2026-01-01", "valid_to": "2026-12-31"},
    )
    assert response.status_code == 200
    assert "只能授权角色为“企业联系人”的账户" in _body(response)


def test_admin__staff_admin_list_is_scoped(client, world, make_user):
    from django.contrib.auth.models import Permission

    device_admin = make_user(Role.DEVICE_ADMIN, world.orgs["putuo"], is_staff=True)
    device_admin.user_permissions.set(Permission.objects.filter(content_type__app_label="subjects", codename__startswith="view_"))
    client.force_login(device_admin)
    body = _body(client.get(reverse("admin:subjects_enterprise_changelist")))
    assert "普陀精细化工有限公司" in body and "静安危险品储运有限公司" not in body
    assert client.get(reverse("admin:subjects_enterprise_change", args=[world.foreign_ent.pk])).status_code == 302


# --- error pages -------------------------------------------------------------------------------


def test_error_page__renders_without_session_or_user(rf):
    # given a request that never went through the session/auth middleware (e.g. the database is down)
    from zhifa.common.views import server_error

    request = rf.get("/enterprises/")
    # when the 500 handler renders templates/error.html
    response = server_error(request)
    # then it is a complete Chinese page with the error code
    body = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="zh-Hans">' in body and "服务器错误" in body and "COMMON_SERVER_ERROR" in body


def test_error_page__unknown_url_is_chinese_404(client, world, officer):
    client.force_login(officer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in _body(response)


def test_home__head_request_is_allowed(client, world, officer):
    client.force_login(officer)
    assert client.head("/").status_code == 200


@pytest.mark.parametrize(
    "model_name",
    [
        "person",
        "enterprise",
        "enterpriseperson",
        "contactauthorisation",
        "licence",
        "licenceapplication",
        "registrationchange",
        "emergencyplanfiling",
        "majorhazardsource",
        "reportobligation",
        "precursorannualreport",
        "activitysignal",
    ],
)
def test_admin__every_register_page_opens(client, world, make_user, model_name):
    # given one row of every register model and a superuser system admin
    from django.apps import apps

    from zhifa.subjects.models import PrecursorAnnualReport

    ent = world.street_ent
    EnterprisePerson.objects.create(enterprise=ent, person=world.principal, role=PersonRole.PRINCIPAL)
    LicenceApplication.objects.create(licence=ent.licences.first(), kind=ApplicationKind.EXTENSION, submitted_on=today())
    RegistrationChange.objects.create(enterprise=ent, field=ChangeField.NAME, new_value="新", changed_on=today())
    EmergencyPlanFiling.objects.create(enterprise=ent, plan_title="预案", published_on=today())
    MajorHazardSource.objects.create(enterprise=ent, code="M-1", name="罐区", grade=1, identified_on=today())
    ReportObligation.objects.create(enterprise=ent, kind=ReportKind.SAFETY_STATS, period="2026-10", due_on=today())
    PrecursorAnnualReport.objects.create(enterprise=ent, year=2025)
    ActivitySignalFactory(enterprise=ent)
    root = make_user(Role.SYSTEM_ADMIN, None, is_staff=True, is_superuser=True)
    client.force_login(root)
    obj = apps.get_model("subjects", model_name).objects.first()
    # then its list, add and change pages open
    assert client.get(reverse(f"admin:subjects_{model_name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:subjects_{model_name}_change", args=[obj.pk])).status_code == 200
    assert client.get(reverse(f"admin:subjects_{model_name}_add")).status_code == (403 if model_name == "person" else 200)


@pytest.mark.parametrize("pk", ["99999999999999999999999", "9223372036854775808", "0"])
def test_detail__out_of_range_ids_are_404(client, world, officer, pk):
    client.force_login(officer)
    assert client.get(f"/enterprises/{pk}/").status_code == 404
    response = client.post(f"/enterprises/{pk}/people/{pk}/reveal/", {"field": "phone", "purpose": "核查"})
    assert response.status_code == 404
