"""The read-only rule-set pages and admin (JUR-01, JUR-03, AMB-18): who may see them, what they show,
and clear Chinese errors for bad input."""
from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.accounts.choices import Role
from zhifa.accounts.tests.factories import UserFactory
from zhifa.rulesets import views
from zhifa.rulesets.models import RuleSet
from zhifa.rulesets.rules import Rulebook


@pytest.fixture
def officer_client(client, org_tree, make_user):
    client.force_login(make_user(Role.OFFICER, org_tree["street"]))
    return client


def test_jur_01__pages_require_login(client, loaded_rulesets):
    for url in (reverse("rulesets:index"), reverse("rulesets:jurisdiction", args=["CN"])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_jur_01__enterprise_contact_cannot_see_rule_sets(client, loaded_rulesets, org_tree, make_user):
    client.force_login(make_user(Role.ENTERPRISE_CONTACT, None))
    assert client.get(reverse("rulesets:index")).status_code == 403
    assert client.get(reverse("rulesets:jurisdiction", args=["CN"])).status_code == 403


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LEGAL_REVIEWER, Role.AUDITOR, Role.SYSTEM_ADMIN])
def test_jur_01__staff_auditor_and_admin_see_the_versions(client, loaded_rulesets, org_tree, make_user, role):
    client.force_login(make_user(role, org_tree["putuo"]))
    response = client.get(reverse("rulesets:index"), {"on": "2025-06-02"})
    html = response.content.decode()
    assert response.status_code == 200
    for code in ("CN-SH-PUTUO", "CN-ZJ-YUYAO", "CN-GD", "cn-sh_2023-12-01.yaml"):
        assert code in html
    assert "现行" in html and "本机构适用的规则集辖区" in html


def test_jur_03__index_shows_guangdong_not_yet_in_force_before_2025_05_01(officer_client, loaded_rulesets):
    html = officer_client.get(reverse("rulesets:index"), {"on": "2025-04-30"}).content.decode()
    assert "尚未生效" in html and "该日期无生效版本" in html


def test_jur_01__jurisdiction_page_lists_resolved_parameters_with_sources(officer_client, loaded_rulesets):
    response = officer_client.get(reverse("rulesets:jurisdiction", args=["CN-SH-PUTUO"]), {"on": "2025-06-02"})
    html = response.content.decode()
    assert response.status_code == 200
    # the statute wins the penalty withdrawal (AMB-02) and the page says so
    assert 'id="p-pub.withdraw_wd-PENALTY"' in html and "行政处罚法第48条第2款" in html and "依上位法优先适用法定值" in html
    # unknown values are shown as not configured, highlighted (AMB-19)
    row = html[html.index('id="p-filing.max_days"') - 40:]
    assert 'class="row-missing"' in row[:80] and "未配置" in row[:2000]
    # unverified values are highlighted with the standard warning
    row = html[html.index('id="p-mhs.filing_days"') - 40:]
    assert 'class="row-warn"' in row[:80] and "未核实，仅作提示" in row[:3000]


def test_jur_03__jurisdiction_page_highlights_expired_pilot_rules(officer_client, loaded_rulesets):
    html = officer_client.get(reverse("rulesets:jurisdiction", args=["CN-SH"]), {"on": "2025-12-01", "q": "transfer.days"}).content.decode()
    assert 'id="p-transfer.days"' in html
    assert "已过期" in html and "是否延期未核实（JUR-03）" in html
    assert 'id="p-payment.days"' not in html  # filtered out by q


def test_jur_01__filter_by_rule_id_and_warnings_only(officer_client, loaded_rulesets):
    html = officer_client.get(reverse("rulesets:jurisdiction", args=["CN-SH-PUTUO"]), {"q": "AMB-02"}).content.decode()
    assert 'id="p-pub.withdraw_wd-OTHER"' in html and 'id="p-payment.days"' not in html
    html = officer_client.get(reverse("rulesets:jurisdiction", args=["CN"]), {"warnings": "1", "on": "2025-06-02"}).content.decode()
    assert 'id="p-payment.days"' not in html and 'id="p-mhs.filing_days"' in html


def test_jur_01__bad_date_is_a_chinese_error_not_a_500(officer_client, loaded_rulesets):
    for url in (reverse("rulesets:index"), reverse("rulesets:jurisdiction", args=["CN"])):
        response = officer_client.get(url, {"on": "2025-02-30"})
        assert response.status_code == 400
        assert "格式不正确，请按 YYYY-MM-DD 填写" in response.content.decode()


def test_jur_01__unknown_jurisdiction_is_404(officer_client, loaded_rulesets):
    assert officer_client.get(reverse("rulesets:jurisdiction", args=["CN-XX"])).status_code == 404


def test_jur_01__index_without_loaded_rule_sets_explains_how_to_load(officer_client, monkeypatch):
    # given nothing loaded / then the page says how to load, rather than an empty table
    monkeypatch.setattr(views, "loaded_rulebook", lambda: Rulebook([]))
    monkeypatch.setattr(views, "ruleset_versions", lambda: RuleSet.objects.none())
    html = officer_client.get(reverse("rulesets:index")).content.decode()
    assert "尚未载入任何规则集" in html and "load_rulesets" in html


def test_jur_01__admin_shows_loaded_packs_read_only(client, loaded_rulesets, db):
    admin = UserFactory(role=Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    ruleset = RuleSet.objects.get(jurisdiction="CN-SH-PUTUO")
    assert client.get(reverse("admin:rulesets_ruleset_changelist")).status_code == 200
    assert client.get(reverse("admin:rulesets_ruleset_change", args=[ruleset.pk])).status_code == 200
    assert client.get(reverse("admin:rulesets_ruleparameter_changelist"), {"q": "pub.withdraw_wd"}).status_code == 200
    assert client.get(reverse("admin:rulesets_ruleset_add")).status_code == 403
    response = client.post(reverse("admin:rulesets_ruleset_delete", args=[ruleset.pk]), {"post": "yes"})
    assert response.status_code == 403 and RuleSet.objects.filter(pk=ruleset.pk).exists()
