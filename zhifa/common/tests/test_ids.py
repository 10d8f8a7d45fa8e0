"""Identifier validation (SUB-01: one record per USCC, GB 32100-2015; SUB-03: principal person's
ID number, GB 11643-1999)."""
from __future__ import annotations

import random

import pytest

from zhifa.common.ids import (
    USCC_CHARSET,
    InvalidIdentifier,
    id_check_char,
    is_valid_uscc,
    make_id_number,
    make_uscc,
    normalize_uscc,
    org_code_check_char,
    uscc_check_char,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)

# Published codes of real enterprises (public business-registration data).
REAL_USCCS = ["91350100M000100Y43", "914403001922038216", "91330100716105852F"]


@pytest.mark.parametrize("code", REAL_USCCS)
def test_sub_01__real_codes_validate(code):
    # given a USCC printed on a real business licence
    # when validated
    # then it is accepted unchanged
    assert validate_uscc(code) == code
    assert is_valid_uscc(code)


def test_sub_01__check_character_of_real_code():
    # given the first 17 characters of 91350100M000100Y43
    # then the GB 32100 check character is 3 and the organisation-code check is 4
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert org_code_check_char("M000100Y") == "4"


@pytest.mark.parametrize("last", [c for c in USCC_CHARSET if c != "3"])
def test_sub_01__every_wrong_check_character_is_rejected(last):
    # given the real code with any other last character
    code = "91350100M000100Y4" + last
    # then it fails with the check-character reason
    with pytest.raises(InvalidIdentifier) as info:
        validate_uscc(code)
    assert info.value.reason == "统一社会信用代码校验位错误"


def test_sub_01__transposed_characters_are_rejected():
    # given two adjacent body characters swapped
    # then the checksum catches it
    assert not is_valid_uscc("91350100M001000Y43")


def test_sub_01__wrong_organisation_code_check_is_rejected_even_with_valid_outer_check():
    # given an organisation code whose own check character is wrong but whose outer check is recomputed
    first17 = "91350100M000100Y5"
    code = first17 + uscc_check_char(first17)
    # then the inner GB 11714 check rejects it
    with pytest.raises(InvalidIdentifier, match="组织机构代码校验位错误"):
        validate_uscc(code)


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_sub_01__forbidden_letters_are_rejected(letter):
    # given a code containing a letter GB 32100 never uses
    code = "91350100M000100" + letter + "43"
    # then the reason names the forbidden letters
    with pytest.raises(InvalidIdentifier, match="不使用I、O、Z、S、V"):
        validate_uscc(code)


@pytest.mark.parametrize("raw", ["９１３５０１００Ｍ０００１００Ｙ４３", " 91350100m000100y43 ", "9135 0100 M000 100Y 43", "91350100M000100Y43\u3000"])
def test_sub_01__full_width_lower_case_and_spaces_are_normalised(raw):
    # given the real code pasted with full-width characters, lower case or spaces
    # when validated
    # then the normalised half-width upper-case code is returned
    assert validate_uscc(raw) == "91350100M000100Y43"
    assert normalize_uscc(raw) == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "应为18位，实际为0位"),
        ("91350100M000100Y4", "实际为17位"),
        ("91350100M000100Y433", "实际为19位"),
        ("94350100M000100Y43", "登记管理部门或机构类别代码无效"),
        ("B1350100M000100Y43", "登记管理部门或机构类别代码无效"),
        ("913501A0M000100Y43", "不允许的字符"),  # region code must be digits
    ],
)
def test_sub_01__malformed_codes_give_chinese_reasons(raw, reason):
    # given a malformed code
    # then the Chinese reason explains what is wrong
    with pytest.raises(InvalidIdentifier) as info:
        validate_uscc(raw)
    assert reason in info.value.reason


@pytest.mark.parametrize("serial", [0, 1, 12345, 999_999, 1_000_000, 123_456_789, 960_999_999])
def test_sub_01__generated_codes_are_valid(serial):
    # given a demo serial number
    # when a USCC is generated for a Putuo enterprise
    code = make_uscc("310107", serial)
    # then it validates and keeps the region code
    assert validate_uscc(code) == code
    assert code[2:8] == "310107"


def test_sub_01__generated_codes_are_unique_per_serial():
    # given many serials
    # then no two codes collide (SUB-01 keys on the USCC)
    codes = {make_uscc("310107", s) for s in range(0, 5_000_000, 997)}
    assert len(codes) == len(range(0, 5_000_000, 997))


# --- resident ID numbers ---------------------------------------------------------------------------


def test_sub_03__valid_id_number_with_x_check():
    # given the GB 11643 example number ending in X (lower case accepted)
    # then it validates and is upper-cased
    assert validate_id_number("11010519491231002X") == "11010519491231002X"
    assert validate_id_number("11010519491231002x") == "11010519491231002X"
    assert id_check_char("11010519491231002") == "X"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("110105194912310021", "校验位错误"),
        ("11010519491331002X", "出生日期无效"),
        ("11010519490229002X", "出生日期无效"),  # 1949 is not a leap year
        ("1101051949123100", "应为18位"),
        ("11010519491231002Y", "应为18位"),
    ],
)
def test_sub_03__invalid_id_numbers_give_chinese_reasons(raw, reason):
    # given a wrong ID number
    # then the reason says why
    with pytest.raises(InvalidIdentifier) as info:
        validate_id_number(raw)
    assert reason in info.value.reason


def test_sub_03__generated_id_numbers_are_valid_and_reproducible():
    # given two generators with the same seed
    a = [make_id_number(random.Random(7)) for _ in range(3)]
    b = [make_id_number(random.Random(7)) for _ in range(3)]
    # then the numbers validate and repeat
    assert a == b
    assert all(validate_id_number(x) == x for x in a)


@pytest.mark.parametrize(("raw", "expected"), [("13812345678", "13812345678"), ("+86 138-1234-5678", "13812345678"), ("021-62345678", "02162345678")])
def test_sub_03__phone_numbers_are_normalised(raw, expected):
    # given mobile and landline numbers in common spellings
    # then they normalise to digits
    assert validate_mobile(raw) == expected


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "abc"])
def test_sub_03__bad_phone_numbers_are_rejected(raw):
    # given an impossible number
    # then it is refused in Chinese
    with pytest.raises(InvalidIdentifier, match="电话号码格式无效"):
        validate_mobile(raw)
