"""The pure resolver (JUR-01…JUR-03, RULES §12): strategies with the concrete examples of AMB-01,
AMB-02, AMB-05, AMB-08, warnings, and never a silent default."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.rulesets.choices import WarningCode as W
from zhifa.rulesets.errors import RuleConflict, RuleNotConfigured, RulesetErrorCode
from zhifa.rulesets.packs import PACKS_DIR, parse_pack
from zhifa.rulesets.rules import Rulebook, file_rulebook, resolve

from .helpers import mini_rulebook

D = date(2025, 6, 2)  # S1 pilot in force, MR-15 in force, Guangdong in force
AFTER_MR15 = date(2026, 3, 2)


@pytest.fixture(scope="module")
def book() -> Rulebook:
    return file_rulebook()


# --- AMB-01: publication deadlines -----------------------------------------------------------


@pytest.mark.parametrize("jur", ["CN", "CN-SH", "CN-SH-PUTUO", "CN-ZJ-YUYAO", "CN-GD"])
def test_amb_01__penalty_publication_is_7_wd_statute_everywhere(book, jur):
    # given any jurisdiction / when the penalty publication deadline is resolved
    r = book.resolve("pub.deadline_wd", jur, D, kind="PENALTY")
    # then it is the statutory 7 working days of WSL art. 78, cited from the statute
    assert (r.value, r.unit, r.strategy, r.jurisdiction_used, r.verification) == (7, "WD", "STATUTE_FLOOR", "CN", "L")
    assert "安全生产法第78条" in r.source


def test_amb_01__putuo_licensing_20_wd_is_not_applied_before_legal_signoff(book):
    # given Putuo's 20 working days for licensing flagged needs_legal_signoff without a sign-off
    r = book.resolve("pub.deadline_wd", "CN-SH-PUTUO", D, kind="LICENSING")
    # then the national AUTHORITY_STRICT 7 working days apply, with a warning naming the local rule
    assert (r.value, r.jurisdiction_used, r.strategy) == (7, "CN", "AUTHORITY_STRICT")
    assert W.OVERRIDE_NOT_APPROVED in r.warning_codes
    assert "20个工作日" in next(w.message for w in r.warnings if w.code == W.OVERRIDE_NOT_APPROVED)


def test_amb_01__putuo_licensing_20_wd_applies_once_signed_off():
    # given the Putuo pack with a recorded legal sign-off on the licensing override
    packs = {p.name: p for p in (PACKS_DIR).iterdir()}
    putuo_text = packs["cn-sh-putuo_2023-11-21.yaml"].read_text(encoding="utf-8").replace(
        "        flags: [needs_legal_signoff]\n",
        "        flags: [needs_legal_signoff]\n        legal_signoff: {by: 法律顾问张某, date: 2025-01-10, reference: 普应急法〔2025〕1号}\n",
    )
    others = [parse_pack(p.read_bytes(), n) for n, p in packs.items() if n != "cn-sh-putuo_2023-11-21.yaml" and n.endswith(".yaml")]
    rb = Rulebook([*others, parse_pack(putuo_text, "cn-sh-putuo_2023-11-21.yaml")])
    # when resolved / then the local override governs inside Putuo
    r = rb.resolve("pub.deadline_wd", "CN-SH-PUTUO", D, kind="LICENSING")
    assert (r.value, r.jurisdiction_used, r.strategy) == (20, "CN-SH-PUTUO", "LOCAL_OVERRIDE")
    assert not ({W.OVERRIDE_NOT_APPROVED, W.NEEDS_SIGNOFF} & r.warning_codes)
    # and the rest of Shanghai keeps 7
    assert rb.resolve("pub.deadline_wd", "CN-SH", D, kind="LICENSING").value == 7


def test_amb_01__yuyao_licensing_7_and_other_decisions_20(book):
    assert book.resolve("pub.deadline_wd", "CN-ZJ-YUYAO", D, kind="LICENSING").value == 7
    other = book.resolve("pub.deadline_wd", "CN-ZJ-YUYAO", D, kind="OTHER")
    assert (other.value, other.strategy, other.jurisdiction_used) == (20, "LOCAL_OVERRIDE", "CN-ZJ-YUYAO")


def test_amb_01__coercion_publication_putuo_20_equals_national_20(book):
    r = book.resolve("pub.deadline_wd", "CN-SH-PUTUO", D, kind="COERCION")
    assert (r.value, r.strategy, r.jurisdiction_used) == (20, "LOCAL_OVERRIDE", "CN-SH-PUTUO")
    assert book.resolve("pub.deadline_wd", "CN-SH", D, kind="COERCION").jurisdiction_used == "CN"


# --- AMB-02 / JUR-02: withdrawal after revocation --------------------------------------------


def test_amb_02__putuo_7_wd_withdrawal_loses_to_apl_3_wd_for_penalties(book):
    # given Putuo 7 working days vs APL art. 48 three working days
    r = book.resolve("pub.withdraw_wd", "CN-SH-PUTUO", D, kind="PENALTY")
    # then the statute wins for penalties, and the page can say why
    assert (r.value, r.unit, r.jurisdiction_used, r.strategy) == (3, "WD", "CN", "STATUTE_FLOOR")
    assert "行政处罚法第48条" in r.source
    assert W.STATUTE_FLOOR_APPLIED in r.warning_codes


def test_amb_02__putuo_7_wd_applies_to_other_decision_types(book):
    r = book.resolve("pub.withdraw_wd", "CN-SH-PUTUO", D, kind="OTHER")
    assert (r.value, r.jurisdiction_used, r.verification) == (7, "CN-SH-PUTUO", "S")


def test_amb_02__other_decision_withdrawal_outside_putuo_is_the_flagged_national_default(book):
    # given the national pack's design default for non-penalty withdrawals (AMB-02: 7 WD, unverified)
    r = book.resolve("pub.withdraw_wd", "CN-SH", D, kind="OTHER")
    # then Shanghai uses it, with the warning that the value is not verified
    assert (r.value, r.jurisdiction_used) == (7, "CN")
    assert W.UNVERIFIED in r.warning_codes


CN_WITHDRAW = """
pub.withdraw_wd:
  meaning: 撤下期限
  unit: WD
  rule_ids: [AMB-02]
  kinds:
    PENALTY: {value: 3, strategy: STATUTE_FLOOR, statute_bound: upper, source: "行政处罚法第48条", verification: L}
"""


def _local_withdraw(value: int) -> str:
    return f"""
pub.withdraw_wd:
  unit: WD
  rule_ids: [AMB-02]
  kinds:
    PENALTY: {{value: {value}, strategy: LOCAL_OVERRIDE, source: "地方文件", verification: S}}
"""


def test_jur_02__statute_floor_beats_looser_local_value():
    rb = mini_rulebook(CN_WITHDRAW, ("CN-XX", "[CN]", _local_withdraw(10)))
    r = rb.resolve("pub.withdraw_wd", "CN-XX", D, kind="PENALTY")
    assert (r.value, r.jurisdiction_used) == (3, "CN")
    assert W.STATUTE_FLOOR_APPLIED in r.warning_codes


def test_jur_02__stricter_local_value_is_used():
    rb = mini_rulebook(CN_WITHDRAW, ("CN-XX", "[CN]", _local_withdraw(2)))
    r = rb.resolve("pub.withdraw_wd", "CN-XX", D, kind="PENALTY")
    assert (r.value, r.jurisdiction_used, r.strategy) == (2, "CN-XX", "STATUTE_FLOOR")
    assert W.STATUTE_FLOOR_APPLIED not in r.warning_codes


@settings(max_examples=60, deadline=None)
@given(statute=st.integers(min_value=1, max_value=30), local=st.integers(min_value=0, max_value=60))
def test_jur_02__statute_floor_upper_bound_never_exceeded(statute, local):
    # property: for authority deadlines the result is min(local, statute)
    cn = CN_WITHDRAW.replace("value: 3", f"value: {statute}")
    rb = mini_rulebook(cn, ("CN-XX", "[CN]", _local_withdraw(local)))
    r = rb.resolve("pub.withdraw_wd", "CN-XX", D, kind="PENALTY")
    assert r.value == min(local, statute)
    assert (W.STATUTE_FLOOR_APPLIED in r.warning_codes) == (local > statute)


# --- AMB-05: hearing request and statement window --------------------------------------------


def test_amb_05__hearing_request_is_5_wd_statute_floor(book):
    r = book.resolve("hearing.request_wd", "CN-ZJ-YUYAO", D)
    assert (r.value, r.unit, r.strategy, r.verification) == (5, "WD", "STATUTE_FLOOR", "L")


CN_HEARING = """
hearing.request_wd:
  meaning: 听证申请期限
  value: 5
  unit: WD
  strategy: STATUTE_FLOOR
  statute_bound: lower
  source: "行政处罚法第64条"
  verification: L
  rule_ids: [HRG-04]
"""


def _local_hearing(value: int, unit: str = "WD") -> str:
    return f"""
hearing.request_wd:
  value: {value}
  unit: {unit}
  strategy: LOCAL_OVERRIDE
  source: "MR-15（据报3日）"
  verification: U
  rule_ids: [HRG-04]
"""


def test_amb_05__local_3_day_hearing_request_loses_to_apl_5_wd():
    # given a local rule granting the party only 3 days (MR-15 reading)
    rb = mini_rulebook(CN_HEARING, ("CN-XX", "[CN]", _local_hearing(3)))
    r = rb.resolve("hearing.request_wd", "CN-XX", D)
    # then the statute's longer period protects the party
    assert (r.value, r.jurisdiction_used) == (5, "CN")
    assert W.STATUTE_FLOOR_APPLIED in r.warning_codes


def test_amb_05__more_generous_local_hearing_period_is_allowed():
    rb = mini_rulebook(CN_HEARING, ("CN-XX", "[CN]", _local_hearing(10)))
    r = rb.resolve("hearing.request_wd", "CN-XX", D)
    assert (r.value, r.jurisdiction_used) == (10, "CN-XX")


def test_amb_05__statement_window_is_3_wd_party_favourable(book):
    # given Yuyao's 3 days (unit unspecified) and MR-15's 3 days / then 3 working days
    yuyao = book.resolve("statement.days", "CN-ZJ-YUYAO", D)
    assert (yuyao.value, yuyao.unit, yuyao.strategy, yuyao.jurisdiction_used, yuyao.verification) == (3, "WD", "PARTY_FAVOURABLE", "CN-ZJ-YUYAO", "S")
    national = book.resolve("statement.days", "CN", D)
    assert (national.value, national.unit) == (3, "WD")
    assert W.UNVERIFIED in national.warning_codes
    assert "未核实，仅作提示" in [w.message for w in national.warnings]


CN_STATEMENT = """
statement.days:
  meaning: 陈述申辩期限
  value: 3
  unit: WD
  strategy: PARTY_FAVOURABLE
  source: "MR-15"
  verification: U
  rule_ids: [AMB-05]
"""


@pytest.mark.parametrize(("local", "expected", "used"), [(2, 3, "CN"), (5, 5, "CN-XX"), (3, 3, "CN-XX")])
def test_amb_05__party_favourable_takes_the_longer_period(local, expected, used):
    rb = mini_rulebook(CN_STATEMENT, ("CN-XX", "[CN]", CN_STATEMENT.replace("value: 3", f"value: {local}").replace("verification: U", "verification: S")))
    r = rb.resolve("statement.days", "CN-XX", D)
    assert (r.value, r.jurisdiction_used) == (expected, used)


def test_amb_05__party_favourable_prefers_working_days_over_calendar_days():
    rb = mini_rulebook(CN_STATEMENT.replace("unit: WD", "unit: CD"), ("CN-XX", "[CN]", CN_STATEMENT.replace("verification: U", "verification: S")))
    r = rb.resolve("statement.days", "CN-XX", D)
    assert (r.value, r.unit) == (3, "WD")


def test_amb_05__statement_window_after_mr15_superseded_warns(book):
    # given the last day of MR-15 and a date after it was replaced by 18号令 (text not retrieved)
    last = book.resolve("statement.days", "CN-SH-PUTUO", date(2026, 1, 31))
    r = book.resolve("statement.days", "CN-SH-PUTUO", AFTER_MR15)
    # then MR-15's value applies up to its last day, and afterwards the successor period: the
    # party-favourable default 3 WD (RTS-04), flagged unverified and a design default, never
    # silently presented as 18号令's figure
    assert (last.value, last.unit, last.effective_to) == (3, "WD", date(2026, 1, 31))
    assert W.EXPIRED not in last.warning_codes
    assert (r.value, r.unit, r.effective_from, r.effective_to) == (3, "WD", date(2026, 2, 1), None)
    assert {W.UNVERIFIED, W.DESIGN_CHOICE} <= r.warning_codes and W.EXPIRED not in r.warning_codes
    assert "应急管理部令第18号" in r.source and "文本未取得" in r.source
    assert r.has_serious_warning


# --- AMB-08: transfer within 5 days, repeated non-correction ----------------------------------


def test_amb_08__transfer_is_5_calendar_days_authority_strict(book):
    days = book.resolve("transfer.days", "CN-SH-PUTUO", D)
    unit = book.resolve("transfer.unit", "CN-SH-PUTUO", D)
    assert (days.value, days.unit, days.strategy, days.jurisdiction_used) == (5, "CD", "AUTHORITY_STRICT", "CN-SH")
    assert (unit.value, unit.strategy) == ("CD", "AUTHORITY_STRICT")


def test_amb_08__cal_13_alias_resolves_to_transfer_unit(book):
    r = resolve("transfer.major_hazard.unit", "CN-SH", D, rulebook=book)
    assert (r.key, r.value) == ("transfer.unit", "CD")


SH_TRANSFER = """
transfer.days:
  meaning: 移交期限
  value: 5
  unit: CD
  strategy: AUTHORITY_STRICT
  source: "S1 第四条"
  verification: S
  rule_ids: [AMB-08]
transfer.unit:
  meaning: 移交期限单位
  value: CD
  strategy: AUTHORITY_STRICT
  source: "S1 第四条"
  verification: U
  rule_ids: [AMB-08]
"""


def _district_transfer(days: int, unit: str, reading: str) -> str:
    return f"""
transfer.days:
  value: {days}
  unit: {unit}
  strategy: AUTHORITY_STRICT
  source: "区文件"
  verification: S
  rule_ids: [AMB-08]
transfer.unit:
  value: {reading}
  strategy: AUTHORITY_STRICT
  source: "区文件"
  verification: S
  rule_ids: [AMB-08]
"""


def _transfer_book(days: int, unit: str, reading: str) -> Rulebook:
    return mini_rulebook("{}", ("CN-SH", "[CN]", SH_TRANSFER), ("CN-SH-YY", "[CN, CN-SH]", _district_transfer(days, unit, reading)))


def test_amb_08__authority_strict_reads_5_days_as_calendar_days_over_working_days():
    rb = _transfer_book(5, "WD", "WD")
    assert rb.resolve("transfer.unit", "CN-SH-YY", D).value == "CD"
    days = rb.resolve("transfer.days", "CN-SH-YY", D)
    assert (days.value, days.unit, days.jurisdiction_used) == (5, "CD", "CN-SH")


@pytest.mark.parametrize(("local", "expected", "used"), [(7, 5, "CN-SH"), (3, 3, "CN-SH-YY")])
def test_amb_08__authority_strict_takes_the_shorter_period(local, expected, used):
    r = _transfer_book(local, "CD", "CD").resolve("transfer.days", "CN-SH-YY", D)
    assert (r.value, r.jurisdiction_used) == (expected, used)


def test_amb_08__incomparable_periods_are_a_configuration_conflict():
    # given 3 working days against 5 calendar days: neither is shorter in every calendar
    with pytest.raises(RuleConflict) as exc:
        _transfer_book(3, "WD", "CD").resolve("transfer.days", "CN-SH-YY", D)
    assert exc.value.code_value == RulesetErrorCode.CONFLICT.value and "无法判断长短" in exc.value.message


def test_amb_08__repeat_count_and_window_are_flagged_local_policy(book):
    count = book.resolve("repeat.count", "CN-SH-PUTUO", D)
    window = book.resolve("repeat.window", "CN-SH", D)
    assert (count.value, window.value, window.unit) == (2, 12, "months")
    for r in (count, window):
        assert {W.LOCAL_POLICY, W.NEEDS_SIGNOFF, W.UNVERIFIED} <= r.warning_codes
    with pytest.raises(RuleNotConfigured):
        book.resolve("repeat.count", "CN-GD", D)


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.integers(min_value=1, max_value=40), min_size=2, max_size=3))
def test_amb_08__authority_strict_is_min_and_party_favourable_is_max(values):
    # property over a chain CN → CN-XX → CN-XX-YY with one value per level
    def level(v: int, strategy: str, meaning: bool) -> str:
        return (f"demo.days:\n  value: {v}\n  unit: CD\n  strategy: {strategy}\n  source: \"x\"\n  verification: S\n"
                f"  rule_ids: [AMB-08]\n" + ("  meaning: 演示\n" if meaning else ""))

    for strategy, pick in (("AUTHORITY_STRICT", min), ("PARTY_FAVOURABLE", max)):
        chain = [("CN-XX", "[CN]"), ("CN-XX-YY", "[CN, CN-XX]")][: len(values) - 1]
        rb = mini_rulebook(level(values[0], strategy, True), *[(j, inh, level(v, strategy, False)) for (j, inh), v in zip(chain, values[1:])])
        assert rb.resolve("demo.days", chain[-1][0], D).value == pick(values)


# --- AMB-12 / AMB-19: lists and unknown thresholds ------------------------------------------


def test_amb_12__mandatory_recording_is_the_union_of_all_levels(book):
    r = book.resolve("av.mandatory_activities", "CN-SH-PUTUO", D)
    assert {"CASE_HANDLING_PREMISES", "HEARING", "SERVICE_PUBLIC", "COERCION"} <= set(r.value)
    assert len(r.value) == len(set(r.value))
    assert r.jurisdiction_used == "CN-SH-PUTUO、CN"


@pytest.mark.parametrize("jur", ["CN", "CN-SH", "CN-ZJ-YUYAO", "CN-GD"])
def test_amb_19__large_fine_hearing_threshold_is_not_configured(book, jur):
    # given thresholds nobody has verified / then the resolver refuses instead of inventing a number
    with pytest.raises(RuleNotConfigured) as exc:
        book.resolve("hearing.large_fine", jur, D, kind="ORG")
    assert "未配置" in exc.value.message and "不推测数值" in exc.value.message
    assert exc.value.details["key"] == "hearing.large_fine"


def test_amb_19__putuo_demo_thresholds_are_flagged_as_unverified_local_values(book):
    # given the Putuo pack's demonstration thresholds / then they resolve only there, flagged for replacement
    r = book.resolve("hearing.large_fine", "CN-SH-PUTUO", D, kind="ORG")
    assert r.jurisdiction_used == "CN-SH-PUTUO" and r.verification == "U"
    assert {W.UNVERIFIED, W.LOCAL_POLICY} <= r.warning_codes


# --- JUR-01: unknown keys, kinds, jurisdictions and dates -----------------------------------


def test_jur_01__unknown_parameter_raises_rule_not_configured(book):
    with pytest.raises(RuleNotConfigured) as exc:
        book.resolve("no.such.parameter", "CN-SH-PUTUO", D)
    assert "系统不使用默认值" in exc.value.message


def test_jur_01__kinded_parameter_requires_a_kind(book):
    with pytest.raises(RuleNotConfigured) as exc:
        book.resolve("pub.deadline_wd", "CN", D)
    assert "须指定 kind" in exc.value.message
    with pytest.raises(RuleNotConfigured):
        book.resolve("payment.days", "CN", D, kind="PENALTY")


def test_jur_01__date_before_the_national_pack_is_not_configured(book):
    # the 2021 APL revision is the start of the national pack (older law is not modelled)
    with pytest.raises(RuleNotConfigured):
        book.resolve("hearing.request_wd", "CN", date(2020, 1, 1))


def test_jur_01__district_without_pack_uses_its_city_with_a_warning(book):
    r = book.resolve("transfer.days", "CN-SH-JINGAN", D)
    assert (r.value, r.jurisdiction_used) == (5, "CN-SH")
    assert W.JURISDICTION_FALLBACK in r.warning_codes


def test_jur_01__unknown_jurisdiction_is_an_error(book):
    with pytest.raises(RuleNotConfigured) as exc:
        book.resolve("payment.days", "US-CA", D)
    assert exc.value.code_value == RulesetErrorCode.UNKNOWN_JURISDICTION.value


def test_jur_01__newer_version_replaces_older_from_its_effective_date():
    # given two versions of a city pack, the second from 2025-01-01
    param = 'demo.days:\n  value: {v}\n  unit: CD\n  strategy: LOCAL_OVERRIDE\n  source: "x"\n  verification: S\n  rule_ids: [JUR-01]\n  meaning: 演示\n'
    rb = mini_rulebook(
        "{}",
        ("CN-XX", "[CN]", param.format(v=10), "v1", "2022-01-01"),
        ("CN-XX", "[CN]", param.format(v=20), "v2", "2025-01-01"),
    )
    # then each date sees the version in force
    assert rb.resolve("demo.days", "CN-XX", date(2024, 12, 31)).value == 10
    later = rb.resolve("demo.days", "CN-XX", date(2025, 1, 1))
    assert (later.value, later.version) == (20, "v2")


# --- JUR-03 / AMB-18: temporal validity and warnings ------------------------------------------


def test_jur_03__s1_transfer_in_force_during_the_pilot_has_no_expiry_warning(book):
    r = book.resolve("transfer.days", "CN-SH", date(2025, 11, 30))
    assert not ({W.EXPIRED, W.EXTENSION_UNVERIFIED} & r.warning_codes)


def test_jur_03__s1_transfer_after_2025_11_30_warns_extension_unverified(book):
    r = book.resolve("transfer.days", "CN-SH", date(2025, 12, 1))
    assert r.value == 5
    assert {W.EXPIRED, W.EXTENSION_UNVERIFIED} <= r.warning_codes
    assert any("2025-11-30" in w.message for w in r.warnings)


def test_jur_03__guangdong_device_lead_time_only_from_2025_05_01(book):
    before = book.resolve("dev.publish_lead_days", "CN-GD", date(2025, 4, 30))
    after = book.resolve("dev.publish_lead_days", "CN-GD", date(2025, 5, 1))
    assert (before.value, before.jurisdiction_used) == (0, "CN")
    assert (after.value, after.jurisdiction_used, after.unit) == (30, "CN-GD", "CD")
    assert book.resolve("dev.publish_lead_days", "CN-SH", date(2025, 5, 1)).value == 0  # AMB-09: 0 elsewhere


def test_jur_03__mr15_decision_limit_ends_2026_01_31(book):
    on_last_day = book.resolve("decision.limit_days", "CN-SH-PUTUO", date(2026, 1, 31))
    assert on_last_day.value == 30 and W.EXPIRED not in on_last_day.warning_codes
    after = book.resolve("decision.limit_days", "CN-SH-PUTUO", date(2026, 2, 1))
    assert {W.EXPIRED, W.SUPERSEDED} <= after.warning_codes
    assert any("18号" in w.message for w in after.warnings)


def test_jur_03__hazardous_chemical_penalties_superseded_from_2026_05_01(book):
    assert W.SUPERSEDED not in book.resolve("penalty.hcr77_3", "CN", date(2026, 4, 30)).warning_codes
    r = book.resolve("penalty.hcr77_3", "CN", date(2026, 5, 1))
    assert r.value == {"min": 100000, "max": 200000} and W.SUPERSEDED in r.warning_codes


def test_cal_03__statutory_holidays_11_before_2025_and_13_from_2025(book):
    assert book.resolve("calendar.statutory_holiday_days", "CN", date(2024, 12, 31)).value == 11
    r = book.resolve("calendar.statutory_holiday_days", "CN", date(2025, 1, 1))
    assert r.value == 13 and not r.warnings


def test_cal_10__calendar_roll_forward_is_flagged_as_analogy(book):
    r = book.resolve("period.calendar_roll_forward", "CN", D)
    assert r.value is True and W.ANALOGY in r.warning_codes and "analogy" in r.flags


def test_amb_18__yuyao_publication_maximum_possibly_superseded(book):
    r = book.resolve("pub.max_months", "CN-ZJ-YUYAO", D)
    assert (r.value, r.unit) == (60, "months") and W.POSSIBLY_SUPERSEDED in r.warning_codes


def test_jur_01__every_parameter_of_every_jurisdiction_resolves_or_reports_not_configured(book):
    # given each jurisdiction on two dates / then every declared parameter yields a value or a clear error
    for jur in book.jurisdictions:
        for day in (D, AFTER_MR15):
            for key, kind, result in book.resolve_all(jur, day):
                if isinstance(result, RuleNotConfigured):
                    assert "未配置" in result.message, (jur, key, kind)
                else:
                    assert result.source and result.verification in "LWSU" and result.rule_ids, (jur, key, kind)
