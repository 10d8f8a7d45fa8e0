"""Pure rules of publicity: deadlines across the 2025/2026 holidays for every item kind, display
periods, credit repair, masking and the PII guard (RULES §8, SEC-03, AMB-01…AMB-03, AMB-20)."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.common.ids import make_id_number, make_uscc
from zhifa.common.workdays import package_calendar
from zhifa.publicity import rules
from zhifa.publicity.choices import DECISION_KINDS, ItemKind, Trigger

CAL = package_calendar()


def due(kind, trigger, event_on, value):
    return rules.compute_due(rules.due_rule(kind, trigger), event_on, value, CAL).due_date


# --- every kind has a deadline rule --------------------------------------------------------------

# The trigger that first creates each kind of item (services): decisions, catalogue, plans, devices …
FIRST_TRIGGER = {
    **{k: Trigger.DECISION_MADE for k in DECISION_KINDS},
    ItemKind.POWER_ITEM: Trigger.CATALOGUE, ItemKind.SERVICE_GUIDE: Trigger.CATALOGUE, ItemKind.RANDOM_CHECK_LIST: Trigger.CATALOGUE,
    ItemKind.OFFICER_CREDENTIAL: Trigger.CATALOGUE, ItemKind.PENALTY_BASIS: Trigger.CATALOGUE, ItemKind.DISCRETION_BENCHMARK: Trigger.CATALOGUE,
    ItemKind.ANNUAL_PLAN: Trigger.PLAN_APPROVED, ItemKind.MONTHLY_TARGETS: Trigger.MONTHLY_TARGETS, ItemKind.DEVICE_SITE: Trigger.DEVICE_APPROVED,
    ItemKind.ENTRUSTMENT: Trigger.ENTRUSTED, ItemKind.ANNUAL_STATISTICS: Trigger.ANNUAL,
}


def test_pub_01__every_item_kind_has_a_first_publication_deadline_rule():
    # given every kind of publication item / then each has the rule of the event that creates it
    assert set(FIRST_TRIGGER) == set(ItemKind.values)
    for kind, trigger in FIRST_TRIGGER.items():
        rule = rules.due_rule(kind, trigger)
        assert rule.rule.startswith(("PUB-", "AMB-", "DEV-")), kind


@pytest.mark.parametrize("trigger", [Trigger.LAW_CHANGED, Trigger.ORG_CHANGED, Trigger.CREDENTIAL_CHANGED, Trigger.DECISION_CHANGED, Trigger.CORRECTION])
def test_pub_20__every_kind_has_an_update_and_correction_rule(trigger):
    for kind in ItemKind.values:
        assert rules.due_rule(kind, trigger).key in ("pub.update_wd", "pub.correct_prompt")


def test_pub_01__an_impossible_pair_is_an_error_not_a_guess():
    with pytest.raises(ValueError):
        rules.due_rule(ItemKind.PENALTY, Trigger.PLAN_APPROVED)


# --- decisions: PUB-11, PUB-12, AMB-01, AMB-28 -------------------------------------------------------

@pytest.mark.parametrize(("decided_on", "expected"), [
    (date(2026, 9, 30), date(2026, 10, 15)),  # National Day: 1–7 Oct off, Sat 10 Oct worked
    (date(2026, 2, 13), date(2026, 3, 2)),    # Spring Festival: Sat 14 Feb and Sat 28 Feb worked
    (date(2025, 12, 31), date(2026, 1, 12)),  # New Year: Sun 4 Jan 2026 worked
    (date(2026, 11, 20), date(2026, 12, 1)),  # an ordinary Friday
])
def test_pub_11__penalty_due_7_working_days_after_the_decision(decided_on, expected):
    assert due(ItemKind.PENALTY, Trigger.DECISION_MADE, decided_on, 7) == expected


def test_pub_12__licensing_coercion_and_other_decisions_use_their_own_parameter_kind():
    assert rules.due_rule(ItemKind.LICENSING, Trigger.DECISION_MADE).param_kind == "LICENSING"
    assert rules.due_rule(ItemKind.COERCION, Trigger.DECISION_MADE).param_kind == "COERCION"
    assert rules.due_rule(ItemKind.NO_PENALTY, Trigger.DECISION_MADE).param_kind == "OTHER"
    assert rules.due_rule(ItemKind.INSPECTION_RESULT, Trigger.DECISION_MADE).param_kind == "OTHER"
    # Putuo's 20 WD for coercion across National Day
    assert due(ItemKind.COERCION, Trigger.DECISION_MADE, date(2026, 9, 30), 20) == date(2026, 11, 3)


# --- updates, corrections, withdrawals -------------------------------------------------------------

def test_pub_22__credential_change_update_due_in_20_working_days_across_national_day():
    assert due(ItemKind.OFFICER_CREDENTIAL, Trigger.CREDENTIAL_CHANGED, date(2026, 9, 30), 20) == date(2026, 11, 3)


def test_pub_24__correction_found_by_the_bureau_due_next_working_day_after_a_holiday():
    assert due(ItemKind.PENALTY, Trigger.CORRECTION, date(2026, 9, 30), 1) == date(2026, 10, 8)


def test_pub_25__correction_request_due_5_working_days_after_receipt():
    rule = rules.correction_request_rule()
    assert rule.rule == "PUB-25" and rule.key == "pub.correction_request_wd"
    assert rules.compute_due(rule, date(2026, 9, 30), 5, CAL).due_date == date(2026, 10, 13)


def test_pub_14__penalty_withdrawal_due_3_working_days_after_revocation_across_labour_day():
    rule = rules.withdrawal_rule(ItemKind.PENALTY)
    assert (rule.rule, rule.param_kind) == ("PUB-14", "PENALTY")
    assert rules.compute_due(rule, date(2026, 4, 30), 3, CAL).due_date == date(2026, 5, 8)


def test_pub_26__other_decisions_withdraw_under_the_other_kind():
    rule = rules.withdrawal_rule(ItemKind.COERCION)
    assert (rule.rule, rule.param_kind) == ("PUB-26", "OTHER")
    assert rules.compute_due(rule, date(2026, 9, 30), 7, CAL).due_date == date(2026, 10, 15)


# --- fixed-date deadlines --------------------------------------------------------------------------

def test_pub_08__annual_plan_before_the_plan_year_and_targets_by_the_last_working_day():
    assert due(ItemKind.ANNUAL_PLAN, Trigger.PLAN_APPROVED, date(2027, 1, 1), None) == date(2026, 12, 31)
    # targets for October 2026: the last working day of September is Wed 30 Sep
    assert due(ItemKind.MONTHLY_TARGETS, Trigger.MONTHLY_TARGETS, date(2026, 10, 15), "LAST_WORKING_DAY") == date(2026, 9, 30)
    # targets for March 2026: 28 Feb 2026 is a worked Saturday
    assert due(ItemKind.MONTHLY_TARGETS, Trigger.MONTHLY_TARGETS, date(2026, 3, 1), "LAST_WORKING_DAY") == date(2026, 2, 28)
    with pytest.raises(ValueError):
        due(ItemKind.MONTHLY_TARGETS, Trigger.MONTHLY_TARGETS, date(2026, 3, 1), "FIFTH_DAY")


def test_pub_28__annual_data_by_31_january_of_the_next_year():
    assert due(ItemKind.ANNUAL_STATISTICS, Trigger.ANNUAL, date(2026, 12, 31), "01-31") == date(2027, 1, 31)


def test_dev_08__device_site_published_lead_days_before_use():
    assert due(ItemKind.DEVICE_SITE, Trigger.DEVICE_APPROVED, date(2026, 12, 1), 30) == date(2026, 11, 1)
    assert due(ItemKind.DEVICE_SITE, Trigger.DEVICE_APPROVED, date(2026, 12, 1), 0) == date(2026, 12, 1)


def test_pub_09__entrustment_published_before_the_entrusted_body_acts():
    assert due(ItemKind.ENTRUSTMENT, Trigger.ENTRUSTED, date(2026, 12, 1), None) == date(2026, 12, 1)


def test_amb_32__first_catalogue_entry_uses_the_ogi_20_working_days():
    assert rules.due_rule(ItemKind.POWER_ITEM, Trigger.CATALOGUE).key == "ogi.proactive_wd"
    assert due(ItemKind.POWER_ITEM, Trigger.CATALOGUE, date(2026, 9, 30), 20) == date(2026, 11, 3)


def test_pub_11__a_bad_rule_value_is_an_error():
    with pytest.raises(ValueError):
        due(ItemKind.PENALTY, Trigger.DECISION_MADE, date(2026, 9, 30), -1)
    with pytest.raises(ValueError):
        due(ItemKind.PENALTY, Trigger.DECISION_MADE, date(2026, 9, 30), True)


# --- display period: PUB-17, PUB-18, AMB-03 -----------------------------------------------------------

def test_pub_17__display_ends_after_the_maximum_and_minor_cases_keep_the_minimum():
    assert rules.display_end(date(2026, 11, 22), max_months=36, minor=False, min_months_minor=12) == date(2029, 11, 21)
    assert rules.display_end(date(2026, 11, 22), max_months=60, minor=False, min_months_minor=12) == date(2031, 11, 21)
    assert rules.display_end(date(2026, 11, 22), max_months=36, minor=True, min_months_minor=12) == date(2027, 11, 21)
    # never longer than the maximum even for a minor case
    assert rules.display_end(date(2026, 11, 22), max_months=6, minor=True, min_months_minor=12) == date(2027, 5, 21)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)), st.integers(12, 60))
def test_pub_17__minor_display_never_shorter_than_the_minimum_nor_longer_than_the_maximum(published, max_months):
    end_minor = rules.display_end(published, max_months=max_months, minor=True, min_months_minor=12)
    end_full = rules.display_end(published, max_months=max_months, minor=False, min_months_minor=12)
    from datetime import timedelta

    assert end_minor == rules.add_months(published, 12) - timedelta(days=1)
    assert end_full == rules.add_months(published, max_months) - timedelta(days=1)
    assert published < end_minor <= end_full


def test_pub_18__credit_repair_ends_display_not_before_the_minimum_period():
    # repaired after 4 months: display still runs to the 12-month minimum
    assert rules.credit_repair_end(date(2026, 1, 10), date(2026, 5, 10), min_months=12) == date(2027, 1, 10)
    # repaired after 14 months: ends on the repair date
    assert rules.credit_repair_end(date(2026, 1, 10), date(2027, 3, 10), min_months=12) == date(2027, 3, 10)


# --- masking: SEC-03, PUB-13, AMB-20 ---------------------------------------------------------------------

def _facts(**kw) -> rules.DecisionFacts:
    base = {"unit": "普陀区应急管理局", "party_name": "上海示例化工有限公司", "party_code": make_uscc("310107", 5), "individual": False,
            "category": "行政处罚（罚款）", "conclusion": "罚款人民币30,000.00元", "basis": "《安全生产法》第一百零一条", "decided_on": date(2026, 11, 20),
            "document_number": "沪普应急罚决〔2026〕1号"}
    return rules.DecisionFacts(**{**base, **kw})


def test_pub_13__decision_content_has_unit_object_category_conclusion_and_basis():
    content = rules.decision_content(_facts(), individual_policy="PUBLISH_MASKED")
    assert {"unit", "object", "object_code", "category", "conclusion", "basis"} <= set(content)
    assert content["object"] == "上海示例化工有限公司" and content["object_code"].startswith("91310107")


@pytest.mark.parametrize(("policy", "expected"), [("PUBLISH", "赵大海"), ("PUBLISH_MASKED", "赵**"), ("NOT_PUBLISH", None)])
def test_amb_20__individual_in_dual_penalty_follows_the_policy(policy, expected):
    content = rules.decision_content(_facts(party_name="赵大海", individual=True, party_code="ignored"), individual_policy=policy)
    if expected is None:
        assert content is None
    else:
        assert content["object"] == expected and content["object_code"] == ""


def test_amb_20__an_unknown_policy_is_an_error():
    with pytest.raises(ValueError):
        rules.public_party_name("赵大海", individual=True, policy="MAYBE")


def test_sec_03__identifiers_in_free_text_are_masked_before_publication():
    import random

    idno = make_id_number(random.Random(4))
    text = f"当事人身份证{idno}，电话13812345678，账户6222020200112233445"
    content = rules.decision_content(_facts(basis=text, conclusion="罚款，联系13912345678"), individual_policy="PUBLISH")
    assert rules.find_pii(str(content)) == []
    assert idno not in content["basis"] and "13812345678" not in content["basis"] and "6222020200112233445" not in content["basis"]
    assert "5678" in content["basis"]  # masked, not dropped: the reader sees something was there


def test_sec_03__find_pii_finds_ids_mobiles_and_accounts_but_not_uscc_or_masked_values():
    import random

    idno = make_id_number(random.Random(9))
    assert rules.find_pii(f" {idno} ") == [idno]
    assert rules.find_pii("电话 13912345678。") == ["13912345678"]
    assert rules.find_pii("账号 6222020200112233445") == ["6222020200112233445"]
    assert rules.find_pii(make_uscc("310107", 123)) == []
    assert rules.find_pii("3101************3X 139****5678 ***************3445") == []
    # an 18-digit run whose check character is wrong is not an ID number
    bad = idno[:17] + ("0" if idno[17] != "0" else "1")
    assert idno not in rules.find_pii(f" {bad} ")


def test_sec_03__assert_no_pii_refuses_content_with_an_identifier():
    with pytest.raises(rules.PersonalDataLeft):
        rules.assert_no_pii({"basis": "联系人电话13812345678"})


def test_pub_13__conclusion_is_built_from_structured_fields_only():
    from decimal import Decimal

    assert rules.fine_conclusion(["警告", "罚款"], Decimal("30000"), Decimal("0")) == "警告；罚款人民币30,000.00元"
    assert rules.fine_conclusion(["没收违法所得", "罚款"], Decimal("5000"), Decimal("1200")) == "没收违法所得人民币1,200.00元；罚款人民币5,000.00元"
    assert rules.fine_conclusion([], Decimal("0"), Decimal("0")) == "给予行政处罚"
