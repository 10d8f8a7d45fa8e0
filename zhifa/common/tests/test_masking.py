"""Masking of personal data on display (SEC-03, PIPL art. 6)."""
from __future__ import annotations

import pytest

from zhifa.common.masking import mask_address, mask_bank_account, mask_id_number, mask_person_name, mask_phone, scrub_text


@pytest.mark.parametrize(
    ("raw", "masked"),
    [("31010719800101123X", "3101************3X"), ("11010519491231002X", "1101************2X"), ("1234", "****"), ("", ""), (None, "")],
)
def test_sec_03__id_number_keeps_first_four_and_last_two(raw, masked):
    # given an ID number (or nothing)
    # then only the first 4 and last 2 characters stay visible
    assert mask_id_number(raw) == masked


@pytest.mark.parametrize(("raw", "masked"), [("13812345678", "138****5678"), ("138 1234 5678", "138****5678"), ("021-62345678", "021*******78"), ("110", "***"), ("", "")])
def test_sec_03__phone_keeps_prefix_and_tail(raw, masked):
    # given a mobile or landline number
    # then the middle digits are hidden
    assert mask_phone(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("上海市普陀区长寿路100弄5号", "上海市普陀区****"),
        ("广东省广州市天河区体育西路1号", "广东省广州市天河区****"),
        # no 区/县/旗 in the address (county-level city): only the first third stays visible
        ("浙江省宁波市余姚市阳明街道1号", "浙江省宁波****"),
        # the address is only a district: it is not shown whole
        ("北京市朝阳区", "北京****"),
        ("", ""),
    ],
)
def test_sec_03__address_keeps_only_the_district_prefix(raw, masked):
    # given a natural person's address
    # when masked
    # then at most the district-level prefix remains, never the street or house number
    assert mask_address(raw) == masked


def test_sec_03__bank_account_keeps_last_four():
    # given a bank account with spaces
    # then only the last 4 digits remain
    assert mask_bank_account("6222 0210 0112 3456 789") == "*" * 15 + "6789"
    assert mask_bank_account("123") == "****123"


@pytest.mark.parametrize(("raw", "masked"), [("张三丰", "张**"), ("李四", "李*"), ("王", "*"), ("", "")])
def test_sec_03__person_name_keeps_surname(raw, masked):
    # given a third party's name
    # then only the first character remains
    assert mask_person_name(raw) == masked


def test_sec_03__free_text_scrubs_id_numbers_and_mobiles():
    # given a note containing an ID number and a mobile number
    text = "当事人身份证11010519491231002X，联系电话13812345678，案号2026001。"
    # when scrubbed
    result = scrub_text(text)
    # then both are masked and the rest of the text (including the case number) is untouched
    assert result == "当事人身份证1101************2X，联系电话138****5678，案号2026001。"


def test_sec_03__scrub_leaves_longer_digit_runs_alone():
    # given a 19-digit number (not an ID number) and a 12-digit number
    text = "账号6222021001123456789，编号138123456789"
    # then nothing is masked by the ID/mobile patterns
    assert scrub_text(text) == text
