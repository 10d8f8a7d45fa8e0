"""Pure rules: context validation, statutory text, numbers, formatting (no database)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhifa.common.errors import ZhifaError
from zhifa.documents import formatting, rules
from zhifa.documents.choices import DocumentKind
from zhifa.documents.defaults import default_source, default_source_path
from zhifa.documents.kinds import KINDS, get_kind
from zhifa.documents.samples import sample_context

TODAY = date(2026, 3, 18)


def _validate(kind, context):
    return rules.validate_context(get_kind(kind), context, today=TODAY)


def test_kinds__every_kind_has_a_contract_a_default_template_and_a_valid_sample():
    # given every document kind, then it has a spec with a Chinese title and number word,
    # a shipped template file, and a sample context that passes its own contract
    for kind in DocumentKind:
        spec = KINDS[kind.value]
        assert spec.title == kind.label and spec.number_word
        assert default_source_path(kind.value).is_file()
        assert spec.required_fields, kind
        assert all(label and not label.isascii() for label in spec.required_fields.values())
        _validate(kind.value, sample_context(kind.value))


def test_validate__missing_required_field_names_it_in_chinese():
    # given a penalty decision context without the facts, when validated, then the error names 违法事实
    context = sample_context("PENALTY_DECISION")
    del context["facts"]
    with pytest.raises(ZhifaError) as err:
        _validate("PENALTY_DECISION", context)
    assert err.value.code_value == "DOCUMENT_FIELD_MISSING"
    assert err.value.message == "行政处罚决定书缺少必填内容：违法事实"
    assert err.value.field == "facts"


def test_validate__blank_nested_value_is_missing_with_its_path():
    # given an inquiry record whose second officer has no credential number
    context = sample_context("INQUIRY_RECORD")
    context["officers"][1]["credential_no"] = "  "
    with pytest.raises(ZhifaError) as err:
        _validate("INQUIRY_RECORD", context)
    assert err.value.message == "询问笔录缺少必填内容：执法人员第2项的执法证号"
    assert err.value.field == "officers[1].credential_no"


def test_dsc_05__decision_needs_all_four_reasons():
    # given a decision whose reasoning lacks the answer to the party's statements (情理, RTS-06)
    context = sample_context("PENALTY_DECISION")
    context["reasoning"]["statements_response"] = ""
    with pytest.raises(ZhifaError) as err:
        _validate("PENALTY_DECISION", context)
    assert "情理" in err.value.message


def test_cas_04__one_officer_is_refused_on_an_inquiry_record():
    # given an inquiry record signed by one officer, when validated, then CAS-04 refuses it
    context = sample_context("INQUIRY_RECORD")
    context["officers"] = context["officers"][:1]
    with pytest.raises(ZhifaError) as err:
        _validate("INQUIRY_RECORD", context)
    assert err.value.code_value == "DOCUMENT_FIELD_INVALID" and err.value.rule == "CAS-04"
    assert "至少需要2项" in err.value.message


def test_hrg_04__hearing_deadline_required_only_when_the_hearing_right_is_granted():
    # given a notice granting the hearing right without a deadline, then it is refused;
    context = sample_context("PRE_DECISION_NOTICE")
    del context["hearing_deadline"]
    with pytest.raises(ZhifaError) as err:
        _validate("PRE_DECISION_NOTICE", context)
    assert err.value.field == "hearing_deadline" and "听证申请截止日期" in err.value.message
    # when the hearing right does not apply, then no deadline is needed
    context["hearing_right"] = False
    assert _validate("PRE_DECISION_NOTICE", context)["hearing_deadline"] is None


def test_crc_06__sealing_period_over_30_days_is_refused():
    # given a sealing decision of 31 days, then CRC-06 refuses it; 30 days pass
    context = sample_context("SEALING_DECISION")
    context["period_days"] = 31
    with pytest.raises(ZhifaError) as err:
        _validate("SEALING_DECISION", context)
    assert err.value.rule == "CRC-06" and "不得超过30" in err.value.message
    context["period_days"] = 30
    assert _validate("SEALING_DECISION", context)["period_days"] == 30


def test_pay_01__payment_period_shorter_than_15_days_is_refused_and_defaults_to_15():
    context = sample_context("PENALTY_DECISION")
    context["payment_due_days"] = 10
    with pytest.raises(ZhifaError) as err:
        _validate("PENALTY_DECISION", context)
    assert err.value.rule == "PAY-01"
    del context["payment_due_days"]
    assert _validate("PENALTY_DECISION", context)["payment_due_days"] == 15


@pytest.mark.parametrize(
    ("value", "why"),
    [("-1", "不得为负数"), ("abc", "不是有效金额"), ("1.005", "两位小数"), (True, "应为金额"), ("1e12", "上限")],
)
def test_validate__bad_amounts_are_refused(value, why):
    context = sample_context("PAYMENT_NOTICE")
    context["fine_amount"] = value
    with pytest.raises(ZhifaError) as err:
        _validate("PAYMENT_NOTICE", context)
    assert why in err.value.message


def test_validate__types_are_normalised_to_json_values():
    # given dates and Decimals, when validated, then they are stored as ISO strings and "0.00" amounts
    context = sample_context("PENALTY_DECISION")
    context.update(decided_on=date(2026, 4, 15), fine_amount=Decimal("120000"), issued_on=None, extra_note={"at": date(2026, 1, 2)})
    cleaned = _validate("PENALTY_DECISION", context)
    assert cleaned["decided_on"] == "2026-04-15"
    assert cleaned["fine_amount"] == "120000.00"
    assert cleaned["issued_on"] == TODAY.isoformat()  # defaults to today
    assert cleaned["extra_note"] == {"at": "2026-01-02"}  # undeclared keys are kept, JSON-safe


def test_validate__bad_date_and_wrong_types_are_refused():
    for key, value, why in [("decided_on", "2026-13-01", "不是有效日期"), ("evidence", "一份证据", "应为列表"), ("reasoning", "说理", "应为键值对")]:
        context = sample_context("PENALTY_DECISION")
        context[key] = value
        with pytest.raises(ZhifaError) as err:
            _validate("PENALTY_DECISION", context)
        assert why in err.value.message, key


def test_validate__system_keys_cannot_be_supplied():
    context = sample_context("PENALTY_DECISION")
    context["document_number"] = "伪造〔2026〕1号"
    with pytest.raises(ZhifaError) as err:
        _validate("PENALTY_DECISION", context)
    assert "document_number" in err.value.message


def _markup(kind, context=None):
    from zhifa.documents.render import render_html

    cleaned = _validate(kind, context or sample_context(kind))
    full = {**cleaned, "document_number": "沪普应急罚决〔2026〕1号", "document_title": get_kind(kind).title, "seal_name": "测试", "font_urls": {}}
    return cleaned, render_html(default_source(kind), full)


def test_pay_06__penalty_decision_states_the_3_percent_late_fee_and_a_template_without_it_is_refused():
    # given the shipped decision template, then its text states the 3% per day surcharge
    cleaned, markup = _markup("PENALTY_DECISION")
    assert "每日按罚款数额的3%加处罚款" in rules.visible_text(markup)
    rules.check_statutory_text(get_kind("PENALTY_DECISION"), cleaned, markup)
    # when an edited template drops the sentence, then the check refuses it naming PAY-06
    with pytest.raises(ZhifaError) as err:
        rules.check_statutory_text(get_kind("PENALTY_DECISION"), cleaned, markup.replace("3%", "三个百分点"))
    assert err.value.rule == "PAY-06" and err.value.code_value == "DOCUMENT_STATUTORY_TEXT_MISSING"


def test_pay_06__a_warning_without_fine_needs_no_late_fee_text():
    context = sample_context("PENALTY_DECISION")
    context.update(penalty="警告", fine_amount=None)
    cleaned, markup = _markup("PENALTY_DECISION", context)
    assert "3%" not in markup
    rules.check_statutory_text(get_kind("PENALTY_DECISION"), cleaned, markup)


def test_dec_01__decision_states_60_days_reconsideration_and_6_months_litigation():
    cleaned, markup = _markup("PENALTY_DECISION")
    text = rules.visible_text(markup)
    assert "60日内向上海市普陀区人民政府申请行政复议" in text and "6个月内依法向上海铁路运输法院提起行政诉讼" in text
    for item in ("上海申联化工贸易有限公司", "上海市普陀区真南路1288号3幢201室", "没收违法所得", "2026年4月15日"):
        assert item in text
    with pytest.raises(ZhifaError) as err:
        rules.check_statutory_text(get_kind("PENALTY_DECISION"), cleaned, markup.replace("6个月", "半年"))
    assert err.value.rule == "DEC-01"


def test_rts_05__inquiry_record_tells_the_five_rights_and_duties():
    # given the first-contact document (inquiry record), then statement, defence, hearing,
    # recusal and the duty to cooperate are all stated
    cleaned, markup = _markup("INQUIRY_RECORD")
    text = rules.visible_text(markup)
    for phrase in ("陈述", "申辩", "听证", "回避", "配合调查"):
        assert phrase in text
    assert rules.missing_statutory_text(get_kind("INQUIRY_RECORD"), cleaned, markup) == []
    assert rules.missing_statutory_text(get_kind("INQUIRY_RECORD"), cleaned, markup.replace("回避", "")) != []


def test_rts_01__notice_states_rights_channels_and_hearing_when_granted():
    cleaned, markup = _markup("PRE_DECISION_NOTICE")
    text = rules.visible_text(markup)
    for item in ("拟作出的行政处罚", "陈述、申辩", "要求举行听证", "2026年3月25日", "登录zhifa企业端在线提交陈述申辩意见"):
        assert item in text, item
    context = sample_context("PRE_DECISION_NOTICE")
    context["hearing_right"] = False
    cleaned, markup = _markup("PRE_DECISION_NOTICE", context)
    assert "要求举行听证" not in rules.visible_text(markup)


def test_format_number__agency_word_year_and_serial():
    assert rules.format_number("沪普应急", "罚告", 2026, 12) == "沪普应急罚告〔2026〕12号"
    with pytest.raises(ValueError):
        rules.format_number("沪普应急", "罚告", 2026, 0)


@pytest.mark.parametrize(
    ("name", "ancestors", "jurisdiction", "expected"),
    [
        ("上海市应急管理局", [], "CN-SH", "沪应急"),
        ("普陀区应急管理局", ["上海市应急管理局"], "CN-SH-PUTUO", "沪普应急"),
        ("上海市静安区应急管理局", ["上海市应急管理局"], "CN-SH", "沪静应急"),
        ("杭州市西湖区应急管理局", ["浙江省应急管理厅", "杭州市应急管理局"], "CN-ZJ-HZ", "浙西应急"),
        ("长寿路街道", ["上海市应急管理局", "普陀区应急管理局"], "CN-SH", "沪长寿"),
    ],
)
def test_derive_doc_prefix__from_the_organisation_tree(name, ancestors, jurisdiction, expected):
    assert rules.derive_doc_prefix(name, ancestor_names=ancestors, jurisdiction=jurisdiction) == expected


def test_derive_header_name__prepends_missing_places():
    assert rules.derive_header_name("普陀区应急管理局", ancestor_names=["上海市应急管理局"]) == "上海市普陀区应急管理局"
    assert rules.derive_header_name("上海市应急管理局", ancestor_names=[]) == "上海市应急管理局"


def test_validate_prefix__refuses_brackets_and_blank():
    assert rules.validate_prefix(" 沪普应急 ") == "沪普应急"
    for bad in ("", "沪〔普", "x" * 21):
        with pytest.raises(ZhifaError):
            rules.validate_prefix(bad)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("120000", "壹拾贰万元整"),
        ("50000", "伍万元整"),
        ("1005.50", "壹仟零伍元伍角整"),
        ("20300", "贰万零叁佰元整"),
        ("100000001", "壹亿零壹元整"),
        ("0.05", "伍分"),
        ("3.07", "叁元零柒分"),
        ("0", "零元整"),
    ],
)
def test_rmb_upper__golden(amount, expected):
    assert formatting.rmb_upper(amount) == expected


def test_formatting__dates_amounts_and_seal_escaping():
    assert formatting.cn_date("2026-03-05") == "2026年3月5日"
    assert formatting.yuan("120000") == "120,000.00"
    svg = formatting.seal_svg("<b>局</b>")
    assert "&lt;" in svg and "<b>" not in svg
    assert svg.count("<text") == len("<b>局</b>")


def test_valid_ref__app_model_pk():
    assert rules.valid_ref("cases.Case:12")
    for bad in ("", "Case:12", "cases.Case", "cases.Case:12; DROP", "x" * 101):
        assert not rules.valid_ref(bad)


def test_docs__the_contract_in_docs_lists_every_kind_and_key():
    # given docs/documents.md (the contract callers build contexts from), then it names every
    # kind and every context key declared in kinds.py, so the two cannot drift apart
    from pathlib import Path

    from django.conf import settings

    text = (Path(settings.BASE_DIR) / "docs" / "documents.md").read_text(encoding="utf-8")
    for code, spec in KINDS.items():
        assert f"### {code} — {spec.title}（{spec.number_word}）" in text, code
        for f in spec.fields:
            assert f"`{f.key}`" in text, (code, f.key)
