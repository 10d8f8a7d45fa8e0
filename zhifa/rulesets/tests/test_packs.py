"""Pack parsing and validation (JUR-01, JUR-03): clear Chinese errors, nothing half-accepted."""
from __future__ import annotations

from datetime import date

import pytest

from zhifa.rulesets.choices import Flag
from zhifa.rulesets.errors import PackValidationError
from zhifa.rulesets.packs import PACKS_DIR, check_pack_set, parse_pack, read_pack_dir

GOOD = """
jurisdiction: CN-XX
name: 测试辖区
inherits: [CN]
version: "1"
effective_from: 2024-01-01
sources: [{code: T, title: 测试, verification: S}]
params:
  demo.days:
    meaning: 演示期限
    value: 5
    unit: WD
    strategy: AUTHORITY_STRICT
    source: "测试文件第1条"
    verification: S
    rule_ids: [JUR-01]
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(PackValidationError) as exc:
        parse_pack(text, "t.yaml")
    return exc.value.problems


def test_jur_01__a_well_formed_pack_parses_into_entries():
    # given a pack with one parameter / when parsed
    pack = parse_pack(GOOD, "t.yaml")
    # then the entry inherits the pack's effective_from and keeps its source and tag
    (entry,) = pack.entries
    assert (entry.key, entry.value, entry.unit, entry.verification) == ("demo.days", 5, "WD", "S")
    assert entry.effective_from == date(2024, 1, 1) and entry.effective_to is None
    assert len(pack.sha256) == 64


def test_jur_01__shipped_packs_validate_and_cover_every_jurisdiction():
    # given the packs in the repository / when read together
    packs = read_pack_dir(PACKS_DIR)
    # then all six jurisdictions are present, with the required inheritance chains
    chains = {p.jurisdiction: p.inherits for p in packs}
    assert chains == {
        "CN": (),
        "CN-SH": ("CN",),
        "CN-SH-PUTUO": ("CN", "CN-SH"),
        "CN-ZJ": ("CN",),
        "CN-ZJ-YUYAO": ("CN", "CN-ZJ"),
        "CN-GD": ("CN",),
    }
    assert all(e.source and e.rule_ids and e.effective_from for p in packs for e in p.entries)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("strategy: AUTHORITY_STRICT", "strategy: MOST_LENIENT", "未知的解决策略「MOST_LENIENT」"),
        ("verification: S\n    rule_ids", "verification: X\n    rule_ids", "未知的核实标记「X」"),
        ('source: "测试文件第1条"', 'source: ""', "缺少来源 source"),
        ("effective_from: 2024-01-01", "effective_from:", "缺少必填字段「effective_from」"),
        ("effective_from: 2024-01-01", "effective_from: 2024-13-01", "日期应为 YYYY-MM-DD"),
        ("effective_from: 2024-01-01", "effective_from: \"2024-02-30\"", "不是有效日期"),
        ("unit: WD", "unit: weeks", "未知的单位「weeks」"),
        ("rule_ids: [JUR-01]", "rule_ids: []", "缺少所服务的规则编号"),
        ("rule_ids: [JUR-01]", "rule_ids: [jur1]", "规则编号「jur1」格式不正确"),
        ("    value: 5\n", "", "缺少 value；数值未知时须写 missing: true"),
        ("    value: 5\n", "    value: 5\n    verfication: S\n", "未知字段「verfication」"),
        ("inherits: [CN]", "inherits: [CN-SH]", "必须以全国规则集 CN 为继承链起点"),
        ("jurisdiction: CN-XX", "jurisdiction: shanghai", "辖区代码「shanghai」格式不正确"),
        ("value: 5", "value: [1, 2]\n    statute_bound: upper", "statute_bound 只适用于 STATUTE_FLOOR"),
    ],
)
def test_jur_01__invalid_pack_is_rejected_with_a_chinese_message(old, new, expected):
    # given a valid pack with one defect / when parsed
    assert old in GOOD
    problems = _problems(GOOD.replace(old, new, 1))
    # then the problem is named in Chinese, with the file name
    assert any(expected in p and p.startswith("t.yaml") for p in problems), problems


def test_jur_01__statute_floor_needs_a_comparable_value():
    problems = _problems(GOOD.replace("value: 5", "value: fast").replace("AUTHORITY_STRICT", "STATUTE_FLOOR"))
    assert any("需要可比较的数值" in p for p in problems)


def test_jur_01__missing_value_is_declared_not_invented():
    # given a parameter whose number is unknown
    pack = parse_pack(GOOD.replace("    value: 5\n", "    missing: true\n"), "t.yaml")
    # then it is stored as missing, without a value
    assert pack.entries[0].missing and pack.entries[0].value is None
    # and giving both is an error
    assert any("不能同时给出 value" in p for p in _problems(GOOD.replace("    value: 5\n", "    value: 5\n    missing: true\n")))


def test_jur_01__overlapping_periods_are_rejected():
    text = GOOD.replace(
        "    value: 5\n",
        "    periods:\n      - {value: 5, effective_to: 2025-06-30}\n      - {value: 3, effective_from: 2025-06-01}\n",
    )
    assert any("时段重叠" in p for p in _problems(text))


def test_jur_01__all_problems_are_reported_at_once():
    text = GOOD.replace("strategy: AUTHORITY_STRICT", "strategy: NOPE").replace('source: "测试文件第1条"', 'source: ""')
    problems = _problems(text)
    assert len(problems) >= 2


def test_jur_01__yaml_syntax_error_names_the_line():
    problems = _problems("jurisdiction: CN\nparams: [unclosed\n")
    assert "YAML 格式错误" in problems[0] and "行" in problems[0]


def test_jur_01__inheritance_must_name_loaded_and_consistent_parents():
    # given a district pack whose city is not loaded
    cn = parse_pack(GOOD.replace("jurisdiction: CN-XX", "jurisdiction: CN").replace("inherits: [CN]", "inherits: []"), "cn.yaml")
    orphan = parse_pack(GOOD.replace("jurisdiction: CN-XX", "jurisdiction: CN-XX-YY").replace("inherits: [CN]", "inherits: [CN, CN-XX]"), "yy.yaml")
    # when checked together / then the missing parent is reported
    assert any("继承的辖区 CN-XX 没有规则集" in p for p in check_pack_set([cn, orphan]))
    # and a chain that skips the national level of its parent is inconsistent
    city = parse_pack(GOOD, "xx.yaml")
    bad = parse_pack(GOOD.replace("jurisdiction: CN-XX", "jurisdiction: CN-XX-YY").replace("inherits: [CN]", "inherits: [CN, CN-ZZ, CN-XX]"), "yy.yaml")
    assert any("继承链不一致" in p for p in check_pack_set([cn, city, bad]))


# Every parameter RULES.md reads through rs("…") (searched for `rs("` in RULES.md), plus the AMB names.
RULES_KEYS = [
    "hearing.large_fine", "transfer.major_hazard.unit", "lic.hc_operation.change_wd", "mhs.filing_days", "plan.filing_wd",
    "feed.max_gap", "clue.min_confidence", "ongoing.max_delay", "lic.safety_prod.change_wd", "use.window",
    "precursor.tolerance", "first_violation.lookback", "transfer.unit", "repeat.window", "repeat.count",
    "coord.min_per_quarter", "dev.eval_interval", "dev.notify_wd", "fallback.wd", "photo.min_angles", "filing.max_days",
    "av.key_segments_required", "statement.days", "hearing.large_confiscation", "hearing.notice_clear_days",
    "hearing.hold_within_days", "av.notice_window_s", "av.max_gap_s", "credit.min_pub_period", "pub.correct_prompt",
    "supervisory_spot.min", "bundle.window", "dishonest.min_inspections", "hf.threshold", "ratio.count_advisers",
    # named in §12 / §8
    "pub.deadline_wd", "pub.withdraw_wd", "pub.correction_request_wd", "pub.update_wd", "av.mandatory_activities",
    "av.non_archived_min_months", "pub.max_months", "pub.min_months_minor", "credit.min_months_work_safety",
    "decision.limit_days", "decision.excluded_periods", "dev.publish_lead_days", "dev.requires_provincial_approval",
    "pub.individual_policy", "monthly_targets.publish_by_day", "inquiry.av_may_replace_written", "recusal.decide_wd",
    "pub.required_channels",
    # deadlines of §6 and §8 later issues need
    "hearing.request_wd", "hearing.notice_wd", "service.absent_wd", "payment.days", "payment.late_fee_rate",
    "payment.late_fee_cap_ratio", "archive.wd", "lic.hc_reg.change_wd", "lic.hc_use.change_wd", "precursor.report_due",
    "dev.resume_publish_lead_days", "pub.annual_data_due", "preservation.decide_wd", "coercion.max_days",
]


def test_jur_01__every_parameter_named_in_rules_is_declared_in_some_pack():
    # given the packs / when collecting declared keys and aliases
    packs = read_pack_dir(PACKS_DIR)
    declared = {e.key for p in packs for e in p.entries} | {a for p in packs for e in p.entries for a in e.aliases}
    # then nothing RULES.md reads is absent (unknown numbers are declared `missing`, not omitted)
    assert sorted(set(RULES_KEYS) - declared) == []


def test_jur_03__shanghai_pilot_items_end_2025_11_30_with_extension_unverified():
    # given the Shanghai pack / then every S1-sourced value ends with the pilot and carries the flag
    (sh,) = [p for p in read_pack_dir(PACKS_DIR) if p.jurisdiction == "CN-SH"]
    s1 = [e for e in sh.entries if e.source.startswith("S1")]
    assert s1, "Shanghai pack must contain S1 items"
    assert all(e.effective_to == date(2025, 11, 30) and Flag.EXTENSION_UNVERIFIED in e.flags for e in s1)


def test_jur_03__mr15_items_end_2026_01_31_and_name_the_successor():
    packs = read_pack_dir(PACKS_DIR)
    mr15 = [e for p in packs for e in p.entries if "MR-15" in e.source or "安全生产违法行为行政处罚办法" in e.source]
    assert len(mr15) >= 5
    assert all(e.effective_to == date(2026, 1, 31) and "18号" in e.superseded_by for e in mr15)


def test_jur_03__hazardous_chemical_regulation_penalties_end_2026_04_30():
    packs = read_pack_dir(PACKS_DIR)
    hcr = [e for p in packs for e in p.entries if e.key.startswith("penalty.hcr")]
    assert hcr and all(e.effective_to == date(2026, 4, 30) and "危险化学品安全法" in e.superseded_by for e in hcr)


def test_jur_03__guangdong_and_holiday_revision_dates():
    packs = {p.jurisdiction: p for p in read_pack_dir(PACKS_DIR)}
    assert packs["CN-GD"].effective_from == date(2025, 5, 1)
    holidays = packs["CN"].entries_for("calendar.statutory_holiday_days")
    assert {(e.value, e.effective_from, e.effective_to) for e in holidays} == {
        (11, date(2021, 7, 15), date(2024, 12, 31)),
        (13, date(2025, 1, 1), None),
    }
