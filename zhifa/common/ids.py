"""Identifier validation: unified social credit code (GB 32100-2015) and resident ID number (GB 11643-1999).

Pure functions, no Django imports. Used by the subject register (SUB-01: one record per USCC)
and by masking/PII detection.
"""
from __future__ import annotations

import random
import re
from datetime import date

# GB 32100-2015: 31 characters, the letters I, O, Z, S, V are never used.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# First character: registration management department; second: organisation type within it.
USCC_DEPARTMENTS = {
    "1": "1239",  # 机构编制
    "2": "19",  # 外交
    "3": "1234589",  # 司法行政 etc.
    "4": "19",  # 文化
    "5": "1239",  # 民政
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商 (市场监管): 1 企业, 2 个体工商户, 3 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业
    "Y": "1",  # 其他
}
# GB 11714-1997 organisation code (positions 9–17 of the USCC) has its own check character.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CODE_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_USCC_RE = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$")


class InvalidIdentifier(ValueError):
    """An identifier failed validation; `reason` is a short Chinese explanation for users."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def uscc_check_char(first17: str) -> str:
    """Check character of a USCC from its first 17 characters (GB 32100-2015 §5)."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """Check character of an organisation code (GB 11714-1997); 10 → 'X', 11 → '0'."""
    total = sum(ORG_CODE_CHARSET.index(c) * w for c, w in zip(first8, ORG_CODE_WEIGHTS))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def normalize_uscc(raw: str) -> str:
    """Upper-case, strip spaces and full-width characters commonly pasted from documents."""
    text = (raw or "").strip().upper()
    text = text.translate({0xFF10 + i: ord("0") + i for i in range(10)})
    text = text.translate({0xFF21 + i: ord("A") + i for i in range(26)})
    return text.replace(" ", "").replace("\u3000", "")


def validate_uscc(raw: str) -> str:
    """Return the normalised USCC or raise InvalidIdentifier with the reason (SUB-01, GB 32100-2015)."""
    code = normalize_uscc(raw)
    if len(code) != 18:
        raise InvalidIdentifier(f"统一社会信用代码应为18位，实际为{len(code)}位")
    if not _USCC_RE.match(code):
        raise InvalidIdentifier("统一社会信用代码含有不允许的字符（不使用I、O、Z、S、V）")
    dept, kind = code[0], code[1]
    if dept not in USCC_DEPARTMENTS or kind not in USCC_DEPARTMENTS[dept]:
        raise InvalidIdentifier("统一社会信用代码的登记管理部门或机构类别代码无效")
    if uscc_check_char(code[:17]) != code[17]:
        raise InvalidIdentifier("统一社会信用代码校验位错误")
    body = code[8:17]
    if all(c in ORG_CODE_CHARSET for c in body[:8]) and org_code_check_char(body[:8]) != body[8]:
        raise InvalidIdentifier("统一社会信用代码中的组织机构代码校验位错误")
    return code


def is_valid_uscc(raw: str) -> bool:
    try:
        validate_uscc(raw)
    except InvalidIdentifier:
        return False
    return True


def make_uscc(region: str, serial: int, *, dept: str = "9", kind: str = "1") -> str:
    """Build a valid enterprise USCC for demo/test data from a 6-digit region code and a serial (< 961,000,000)."""
    head = serial // 1_000_000
    org8 = USCC_CHARSET[head // 31 % 31] + USCC_CHARSET[head % 31] + f"{serial % 1_000_000:06d}"
    first17 = f"{dept}{kind}{region}{org8}{org_code_check_char(org8)}"
    return first17 + uscc_check_char(first17)


# --- Resident identity card number (GB 11643-1999) --------------------------------
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def validate_id_number(raw: str) -> str:
    """Return the normalised 18-digit ID number or raise InvalidIdentifier."""
    code = (raw or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", code):
        raise InvalidIdentifier("身份证号码应为18位（最后一位可为X）")
    try:
        date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        raise InvalidIdentifier("身份证号码中的出生日期无效") from None
    if id_check_char(code[:17]) != code[17]:
        raise InvalidIdentifier("身份证号码校验位错误")
    return code


def make_id_number(rng: random.Random, region: str = "310107") -> str:
    """A valid-looking (checksum-correct) ID number for demo data; never a real person's on purpose."""
    born = date(1960, 1, 1).toordinal() + rng.randrange(0, 16000)
    first17 = f"{region}{date.fromordinal(born):%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + id_check_char(first17)


MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def validate_mobile(raw: str) -> str:
    code = re.sub(r"[\s-]", "", raw or "")
    if code.startswith("+86"):
        code = code[3:]
    if re.fullmatch(r"1[3-9]\d{9}", code) or re.fullmatch(r"0\d{2,3}\d{7,8}", code):
        return code
    raise InvalidIdentifier("电话号码格式无效（手机号11位，或区号加固定电话）")
