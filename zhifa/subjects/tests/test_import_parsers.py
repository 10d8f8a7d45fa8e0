"""Cell parsers, row rules and template definitions of the import (pure, no database)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from zhifa.common.ids import make_uscc
from zhifa.subjects.choices import ApplicationKind, ChangeField, LicenceType
from zhifa.subjects.importing.parsers import (
    Boolean,
    CasNumber,
    CellError,
    Choice,
    ChoiceList,
    DecimalNumber,
    IdNumber,
    Integer,
    Period,
    Phone,
    Text,
    UncalculatedFormula,
    Uscc,
    parse_date,
)
from zhifa.subjects.importing.reading import HEADER_INDEX, _detect_kind, normalize_header
from zhifa.subjects.importing.spec import (
    HAZARD_CLASS,
    KINDS,
    LICENCE_TYPE,
    rule_sub_03_affiliation_change,
    rule_sub_03_principal_identity,
    rule_sub_04_application,
    rule_sub_04_licence_validity,
    rule_sub_08_registration_particulars,
    rule_sub_09_hazard_dates,
    rule_sub_10_filing_after_publication,
    rule_sub_17_person_validity,
)

from .test_import_support import id_number


def _message(parser, value) -> str:
    with pytest.raises(CellError) as info:
        parser.parse(value)
    return info.value.message


@pytest.mark.parametrize(
    "raw",
    ["2026-01-31", "2026/1/31", "2026年1月31日", "2026.1.31", "20260131", " 2026-01-31 ", "２０２６－０１－３１", "2026-01-31 00:00:00",
     datetime(2026, 1, 31, 0, 0), date(2026, 1, 31), 46053, 46053.0, 20260131],
)
def test_parse_date__accepts_the_documented_formats(raw):
    # given a date written in one of the documented ways (or an Excel date cell / serial number)
    # when it is parsed
    # then it is 31 January 2026
    assert parse_date(raw) == date(2026, 1, 31)


@pytest.mark.parametrize("raw", ["2026-02-30", "2026年2月29日", "2025/13/01", "20260431"])
def test_parse_date__impossible_dates_are_named(raw):
    # given a well-formed but impossible date; when parsed; then the message says the date does not exist
    message = _message(type("P", (), {"parse": staticmethod(parse_date)}), raw)
    assert message.startswith("日期不存在")


@pytest.mark.parametrize("raw", ["31.01.2026", "明天", "2026-1", "1/31/2026", True])
def test_parse_date__malformed_dates_explain_the_format(raw):
    message = _message(type("P", (), {"parse": staticmethod(parse_date)}), raw)
    assert "日期格式无效" in message and "2026年1月31日" in message


def test_parse_date__implausible_years_are_rejected():
    # given the number 2026 typed into a date cell (Excel reads it as a serial day in 1905)
    # when parsed; then it is rejected as out of range rather than imported as 1905-07-18
    message = _message(type("P", (), {"parse": staticmethod(parse_date)}), 2026)
    assert "超出合理范围" in message


def test_uscc__valid_code_is_normalised():
    code = make_uscc("310107", 42)
    assert Uscc().parse(f" {code.lower()} ") == code


def test_uscc__wrong_check_character_is_explained():
    code = make_uscc("310107", 42)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert "校验位" in _message(Uscc(), wrong)


def test_uscc__number_cells_lost_precision_hint():
    # given an all-digit code stored as a number by Excel (float, 15 significant digits)
    # then the message tells the user to format the column as text
    assert "文本" in _message(Uscc(), 9.13101070000001e17)


def test_id_number_and_phone__invalid_values_are_explained():
    assert IdNumber().parse(id_number(5)) == id_number(5)
    assert "校验位" in _message(IdNumber(), id_number(5)[:-1] + ("0" if id_number(5)[-1] != "0" else "1"))
    assert "出生日期" in _message(IdNumber(), "310107198002301234")
    assert Phone().parse("139 1234 5678") == "13912345678"
    assert Phone().parse(13912345678) == "13912345678"
    assert "电话号码格式无效" in _message(Phone(), "12345")


def test_choice__label_or_code_case_insensitive():
    assert LICENCE_TYPE.parse("危险化学品经营许可证") == LicenceType.HC_OPERATION
    assert LICENCE_TYPE.parse("lic_hc_operation") == LicenceType.HC_OPERATION
    message = _message(LICENCE_TYPE, "营业执照")
    assert message.startswith("未知的证照类型“营业执照”") and "危险化学品安全生产许可证（LIC_SAFETY_PROD）" in message


def test_boolean__chinese_and_common_spellings():
    parser = Boolean()
    assert [parser.parse(v) for v in ("是", "否", "Y", "n", "1", 0, True, "√", "×")] == [True, False, True, False, True, False, True, True, False]
    assert "是" in _message(parser, "也许")


def test_decimal__rounds_to_three_places_and_rejects_negative_and_text():
    parser = DecimalNumber(14, 3)
    assert parser.parse("1,234.56789") == Decimal("1234.568")
    assert parser.parse(0.1 + 0.2) == Decimal("0.300")
    assert "不能小于0" in _message(parser, "-1")
    assert "应为数字" in _message(parser, "十")
    assert "数值过大" in _message(DecimalNumber(8, 3), "123456")


def test_integer_text_and_period():
    assert Integer(2000, 2100).parse(2025.0) == 2025
    assert "之间" in _message(Integer(2000, 2100), "1999")
    assert "超过上限" in _message(Text(5), "一二三四五六")
    assert [Period().parse(v) for v in ("2026", "2026-q3", "2026-3", "2026/H1")] == ["2026", "2026-Q3", "2026-03", "2026-H1"]
    assert "报送期间格式无效" in _message(Period(), "第三季度")


def test_formula_without_value_and_excel_errors_are_reported():
    assert "公式" in _message(Text(), UncalculatedFormula("=A1"))
    assert "#DIV/0!" in _message(DecimalNumber(), "#DIV/0!")


# --- row rules -----------------------------------------------------------------------------


def test_sub_04__licence_without_expiry_is_rejected_except_precursor_filing():
    # given a licence row without 有效期至
    rec = {"licence_type": LicenceType.HC_OPERATION, "valid_from": date(2024, 1, 1), "valid_to": None}
    # when the SUB-04 rule runs; then 有效期至 is required
    assert rule_sub_04_licence_validity(rec) == [("valid_to", "“危险化学品经营许可证”必须填写有效期至（SUB-04，仅易制毒化学品备案证明可不填）")]
    # and a precursor filing (open-ended) passes without it
    assert rule_sub_04_licence_validity({**rec, "licence_type": LicenceType.PRECURSOR_FILING}) == []


def test_sub_04__missing_expiry_column_is_rejected():
    rec = {"licence_type": LicenceType.SAFETY_PROD, "valid_from": date(2024, 1, 1)}
    assert rule_sub_04_licence_validity(rec)[0][0] == "valid_to"


def test_sub_04__valid_to_before_valid_from_is_rejected():
    rec = {"licence_type": LicenceType.HC_USE, "valid_from": date(2026, 1, 1), "valid_to": date(2025, 12, 31)}
    assert rule_sub_04_licence_validity(rec) == [("valid_to", "有效期至（2025-12-31）早于有效期自（2026-01-01）")]
    assert rule_sub_04_licence_validity({**rec, "valid_to": date(2026, 1, 1)}) == []


def test_sub_04__change_application_names_the_changed_particular():
    rec = {"kind": ApplicationKind.CHANGE, "change_field": "", "submitted_on": date(2026, 3, 1), "decided_on": date(2026, 2, 1)}
    findings = dict(rule_sub_04_application(rec))
    assert set(findings) == {"change_field", "decided_on"}
    assert rule_sub_04_application({**rec, "change_field": ChangeField.NAME, "decided_on": date(2026, 3, 2)}) == []


def test_sub_03__principal_id_without_name_is_rejected():
    assert rule_sub_03_principal_identity({"principal_name": "", "principal_id_number": id_number(1)})[0][0] == "principal_name"
    assert rule_sub_03_principal_identity({"principal_name": "张三", "principal_id_number": id_number(1)}) == []


def test_sub_03__affiliation_change_must_name_a_known_affiliation():
    assert rule_sub_03_affiliation_change({"field": ChangeField.AFFILIATION, "new_value": "区属", "old_value": "PRIVATE"}) == []
    assert rule_sub_03_affiliation_change({"field": ChangeField.AFFILIATION, "new_value": "外资"})[0][0] == "new_value"
    assert rule_sub_03_affiliation_change({"field": ChangeField.NAME, "new_value": "外资"}) == []


def test_sub_10__filing_before_publication_is_rejected():
    assert rule_sub_10_filing_after_publication({"published_on": date(2026, 1, 10), "filed_on": date(2026, 1, 9)})[0][0] == "filed_on"
    assert rule_sub_10_filing_after_publication({"published_on": date(2026, 1, 10), "filed_on": date(2026, 1, 10)}) == []


def test_sub_09__hazard_source_dates_in_order():
    findings = rule_sub_09_hazard_dates(
        {"assessment_report_on": date(2025, 2, 1), "filed_on": date(2025, 1, 1), "no_longer_major_since": date(2026, 1, 1), "cancellation_applied_on": date(2025, 1, 1)}
    )
    assert [f[0] for f in findings] == ["filed_on", "cancellation_applied_on"]


def test_sub_17__person_role_end_before_start_is_rejected():
    assert rule_sub_17_person_validity({"valid_from": date(2026, 1, 1), "valid_to": date(2025, 1, 1)})[0][0] == "valid_to"
    assert rule_sub_17_person_validity({"valid_from": date(2026, 1, 1), "valid_to": None}) == []


# --- the templates as data ---------------------------------------------------------------------


def test_spec__headers_are_unique_within_each_kind():
    for kind in KINDS:
        names = [normalize_header(n) for c in kind.columns for n in (c.header, c.key, *c.aliases)]
        owners = {}
        for column in kind.columns:
            for name in (column.header, column.key, *column.aliases):
                owners.setdefault(normalize_header(name), set()).add(column.key)
        assert all(len(keys) == 1 for keys in owners.values()), kind.key
        assert len(HEADER_INDEX[kind.key]) == len(set(names))


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_spec__each_template_header_is_recognised_as_its_kind(kind):
    # given the full header row, or only its required columns
    full = [normalize_header(c.header) for c in kind.columns]
    required = [normalize_header(c.header) for c in kind.columns if c.required]
    # then detection picks this kind in both cases
    assert _detect_kind(full, None)[0] is kind
    assert _detect_kind(required, None)[0] is kind


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.key)
def test_spec__template_examples_parse(kind):
    # the example row of every template is itself valid input
    for column in kind.columns:
        if column.example:
            column.parser.parse(column.example)


def test_spec__choice_columns_list_allowed_values():
    choice_columns = [c for k in KINDS for c in k.columns if isinstance(c.parser, Choice)]
    assert choice_columns and all(c.parser.allowed_values() for c in choice_columns)


# --- CLU-S05 / CLU-S09 columns ---------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["108-88-3", "7732-18-5", " 64-17-5 ", "１０８－８８－３", "68476-85-7"])
def test_parsers__cas_number_accepts_valid_numbers(raw):
    assert CasNumber().parse(raw) in {"108-88-3", "7732-18-5", "64-17-5", "68476-85-7"}


@pytest.mark.parametrize(("raw", "message"), [("108-88-4", "校验位不正确"), ("10888-3", "格式无效"), ("1-88-3", "格式无效"), ("abc", "格式无效")])
def test_parsers__cas_number_rejects_bad_numbers(raw, message):
    with pytest.raises(CellError, match=message):
        CasNumber().parse(raw)


def test_parsers__hazard_class_by_code_name_or_excel_number():
    assert HAZARD_CLASS.parse("5.1") == "5.1"
    assert HAZARD_CLASS.parse(5.1) == "5.1"
    assert HAZARD_CLASS.parse(3) == "3"
    assert HAZARD_CLASS.parse("易燃液体") == "3"
    with pytest.raises(CellError, match="未知的危险类别"):
        HAZARD_CLASS.parse("3.5")


def test_parsers__choice_list_splits_dedupes_and_sorts():
    parser = ChoiceList(HAZARD_CLASS)
    assert parser.parse("6.1、3，易燃液体; 8.1") == ("3", "6.1", "8.1")
    assert parser.parse(3) == ("3",)
    with pytest.raises(CellError, match="未知的危险类别"):
        parser.parse("3、9.9")
    with pytest.raises(CellError):
        parser.parse("、，")


def test_sub_08__registration_particulars_rule():
    # Given consistent particulars / Then nothing; a date without its number, or an application without a change / Then a finding
    assert rule_sub_08_registration_particulars({"registration_number": "31", "registered_on": date(2024, 1, 1)}) == []
    assert rule_sub_08_registration_particulars({"registration_number": "", "registered_on": None}) == []
    assert [k for k, _ in rule_sub_08_registration_particulars({"registration_number": "", "registered_on": date(2024, 1, 1)})] == ["registration_number"]
    assert [k for k, _ in rule_sub_08_registration_particulars({"change_applied_on": date(2026, 1, 1), "properties_changed_on": None})] == [
        "properties_changed_on"]
