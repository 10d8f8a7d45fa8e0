"""Cell parsers of the import templates: pure functions over raw cell values, no database.

A raw value is what a reader produced: `str` for CSV cells; `str`, `int`, `float`, `bool`,
`datetime` or `None` for .xlsx cells (openpyxl turns date-formatted cells into datetimes). Each
parser returns the Python value stored in the register or raises `CellError` with a Chinese
message that the error report shows next to the row number and the column header.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from zhifa.common.ids import InvalidIdentifier, validate_id_number, validate_mobile, validate_uscc

# Full-width digits, letters and punctuation commonly pasted from Chinese documents.
_FULLWIDTH = {0xFF01 + i: 0x21 + i for i in range(94)}
_FULLWIDTH[0x3000] = 0x20

# Excel's 1900 date system counts days from 1899-12-30 (the 1900 leap-year bug is irrelevant after March 1900).
_EXCEL_EPOCH = date(1899, 12, 30)
# Dates outside this window are almost certainly typing or format mistakes (e.g. "2026" read as a serial).
DATE_MIN = date(1950, 1, 1)
DATE_MAX = date(2100, 12, 31)

_EXCEL_ERRORS = frozenset({"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"})

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
DATE_FORMAT_HELP = "日期，如 2026-01-31、2026/1/31、2026年1月31日，或 Excel 日期单元格"


class CellError(ValueError):
    """A cell value that cannot be imported; `message` is shown to the user in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class UncalculatedFormula:
    """Marker for a formula cell whose workbook stores no computed value (never opened in Excel/WPS)."""

    formula: str

    def __str__(self) -> str:
        return self.formula


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if value.__class__ is str:
        # str.strip() also removes the ideographic space U+3000 and NBSP.
        return not value.strip()
    return False


def display_value(value: Any) -> str:
    """The value as the user typed/saw it, for error reports."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def _check_excel_artifacts(value: Any) -> None:
    if value.__class__ is str and not value.startswith("#"):
        return
    if isinstance(value, UncalculatedFormula):
        raise CellError("公式单元格没有保存计算结果，请在 Excel/WPS 中打开并保存后重新导入，或将公式粘贴为数值")
    if isinstance(value, str) and value.strip() in _EXCEL_ERRORS:
        raise CellError(f"单元格是 Excel 错误值 {value.strip()}，请修正公式")


def as_text(value: Any) -> str:
    """Normalise a non-blank cell to text: numbers lose a spurious '.0', dates become ISO dates."""
    _check_excel_artifacts(value)
    if value.__class__ is str:
        return value.strip()
    return display_value(value).strip()


class Parser:
    """Base class: `parse` converts a non-blank raw value; `format_help` documents the format."""

    format_help = "文本"

    def parse(self, value: Any) -> Any:
        raise CellError("无法解析")

    def allowed_values(self) -> list[str]:
        return []


@dataclass(frozen=True)
class Text(Parser):
    max_length: int = 255

    @property
    def format_help(self) -> str:  # type: ignore[override]
        return f"文本，不超过{self.max_length}个字符"

    def parse(self, value: Any) -> str:
        text = as_text(value)
        if len(text) > self.max_length:
            raise CellError(f"长度为{len(text)}个字符，超过上限{self.max_length}个字符")
        return text


def _identifier_text(value: Any, what: str) -> str:
    _check_excel_artifacts(value)
    if isinstance(value, float) and not value.is_integer():
        raise CellError(f"{what}被保存为数值且已丢失精度，请将该列设置为“文本”格式后重新填写")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e15:
        raise CellError(f"{what}被保存为数值且已丢失精度，请将该列设置为“文本”格式后重新填写")
    return as_text(value).translate(_FULLWIDTH).replace(" ", "")


class Uscc(Parser):
    """SUB-01: one master record per unified social credit code, validated per GB 32100-2015."""

    format_help = "18位统一社会信用代码（GB 32100，含校验位），请使用文本格式"

    def parse(self, value: Any) -> str:
        try:
            return validate_uscc(_identifier_text(value, "统一社会信用代码"))
        except InvalidIdentifier as exc:
            raise CellError(exc.reason) from None


class IdNumber(Parser):
    format_help = "18位居民身份证号码（含校验位，末位可为X），请使用文本格式"

    def parse(self, value: Any) -> str:
        try:
            return validate_id_number(_identifier_text(value, "身份证号码"))
        except InvalidIdentifier as exc:
            raise CellError(exc.reason) from None


class Phone(Parser):
    format_help = "11位手机号，或区号加固定电话（如 021-62345678）"

    def parse(self, value: Any) -> str:
        try:
            return validate_mobile(_identifier_text(value, "电话号码"))
        except InvalidIdentifier as exc:
            raise CellError(exc.reason) from None


def parse_date(value: Any) -> date:
    """Accept Excel date cells, Excel serial numbers, 2026-01-31, 2026/1/31, 2026.1.31, 2026年1月31日, 20260131."""
    _check_excel_artifacts(value)
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, bool):
        raise CellError(f"日期格式无效，应为{DATE_FORMAT_HELP}")
    elif isinstance(value, (int, float)):
        if float(value).is_integer() and 19000101 <= value <= 21001231:
            result = _ymd(str(int(value))[:4], str(int(value))[4:6], str(int(value))[6:])
        elif float(value).is_integer() and 0 < value < 2958466:
            result = _EXCEL_EPOCH + timedelta(days=int(value))
        else:
            raise CellError(f"日期格式无效，应为{DATE_FORMAT_HELP}")
    else:
        text = as_text(value).translate(_FULLWIDTH).strip()
        for pattern in _DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                result = _ymd(*match.groups())
                break
        else:
            raise CellError(f"日期格式无效，应为{DATE_FORMAT_HELP}")
    if not DATE_MIN <= result <= DATE_MAX:
        raise CellError(f"日期 {result.isoformat()} 超出合理范围（{DATE_MIN.year}—{DATE_MAX.year}年）")
    return result


def _ymd(year: str, month: str, day: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(f"日期不存在：{int(year)}年{int(month)}月{int(day)}日") from None


class Date(Parser):
    format_help = DATE_FORMAT_HELP

    def parse(self, value: Any) -> date:
        return parse_date(value)


@dataclass(frozen=True)
class DecimalNumber(Parser):
    max_digits: int = 14
    decimal_places: int = 3
    minimum: Decimal | None = Decimal(0)

    @property
    def format_help(self) -> str:  # type: ignore[override]
        low = "" if self.minimum is None else f"，不小于{self.minimum}"
        return f"数字，最多保留{self.decimal_places}位小数（多余位数四舍五入）{low}"

    def parse(self, value: Any) -> Decimal:
        _check_excel_artifacts(value)
        if isinstance(value, bool):
            raise CellError("应为数字")
        if isinstance(value, float):
            number = Decimal(repr(value))
        elif isinstance(value, int):
            number = Decimal(value)
        else:
            text = as_text(value).translate(_FULLWIDTH).replace(",", "").replace(" ", "")
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise CellError("应为数字") from None
        if not number.is_finite():
            raise CellError("应为数字")
        number = number.quantize(Decimal(1).scaleb(-self.decimal_places), rounding=ROUND_HALF_UP)
        if self.minimum is not None and number < self.minimum:
            raise CellError(f"不能小于{self.minimum}")
        if abs(number) >= Decimal(10) ** (self.max_digits - self.decimal_places):
            raise CellError(f"数值过大（整数部分最多{self.max_digits - self.decimal_places}位）")
        return number


@dataclass(frozen=True)
class Integer(Parser):
    minimum: int = 0
    maximum: int = 2**31 - 1

    @property
    def format_help(self) -> str:  # type: ignore[override]
        return f"整数，{self.minimum}—{self.maximum}"

    def parse(self, value: Any) -> int:
        _check_excel_artifacts(value)
        if isinstance(value, bool):
            raise CellError("应为整数")
        if isinstance(value, float):
            if not value.is_integer():
                raise CellError("应为整数")
            number = int(value)
        elif isinstance(value, int):
            number = value
        else:
            text = as_text(value).translate(_FULLWIDTH).replace(" ", "")
            if not re.fullmatch(r"[+-]?\d{1,12}(?:\.0+)?", text):
                raise CellError("应为整数")
            number = int(text.split(".")[0])
        if not self.minimum <= number <= self.maximum:
            raise CellError(f"应在{self.minimum}—{self.maximum}之间")
        return number


_TRUE = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "有", "t", "对"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "×", "✗", "无", "f", "不是"})


class Boolean(Parser):
    format_help = "是 / 否（也接受 Y/N、1/0、TRUE/FALSE）"

    def parse(self, value: Any) -> bool:
        _check_excel_artifacts(value)
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        text = as_text(value).lower()
        if text not in _TRUE and text not in _FALSE:
            text = text.translate(_FULLWIDTH)
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise CellError("应填写“是”或“否”")

    def allowed_values(self) -> list[str]:
        return ["是", "否"]


_MISSING = object()


class Choice(Parser):
    """A closed vocabulary: the Chinese label or the code is accepted (codes case-insensitively)."""

    format_help = "从允许的取值中选择（填写中文名称或代码均可）"

    def __init__(self, choices, *, what: str = "取值"):
        self.pairs: tuple[tuple[Any, str], ...] = tuple((code, str(label)) for code, label in choices)
        self.what = what
        self._lookup: dict[str, Any] = {}
        for code, label in self.pairs:
            self._lookup[str(code)] = code
            self._lookup[label] = code
            self._lookup[str(code).lower()] = code
            self._lookup[label.lower()] = code
            self._lookup[label.translate(_FULLWIDTH).lower()] = code

    def parse(self, value: Any) -> Any:
        text = as_text(value)
        found = self._lookup.get(text, _MISSING)
        if found is _MISSING:
            found = self._lookup.get(text.translate(_FULLWIDTH).strip().lower(), _MISSING)
        if found is not _MISSING:
            return found
        raise CellError(f"未知的{self.what}“{as_text(value)}”，允许：{'、'.join(self.allowed_values())}")

    def allowed_values(self) -> list[str]:
        return [f"{label}（{code}）" if str(code) != label else label for code, label in self.pairs]

    def label_of(self, code: Any) -> str:
        return next((label for c, label in self.pairs if c == code), str(code))


_CAS_RE = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")


def cas_check_digit(body: str) -> int:
    """CAS registry number check digit: the digits before it, weighted 1, 2, 3… from the right, mod 10."""
    return sum(int(d) * weight for weight, d in enumerate(reversed(body), start=1)) % 10


class CasNumber(Parser):
    """A CAS registry number (e.g. 108-88-3), format and check digit verified."""

    format_help = "CAS号，如 108-88-3（含校验位）；混合物等无CAS号时留空"

    def parse(self, value: Any) -> str:
        text = _identifier_text(value, "CAS号").replace("－", "-").replace("—", "-")
        match = _CAS_RE.match(text)
        if not match:
            raise CellError("CAS号格式无效，应为“2—7位数字-2位数字-1位校验位”，如 108-88-3")
        first, second, check = match.groups()
        if cas_check_digit(first + second) != int(check):
            raise CellError(f"CAS号“{text}”校验位不正确")
        return text


class ChoiceList(Parser):
    """Several values of a closed vocabulary in one cell, separated by 、 , ， ; ； or spaces."""

    def __init__(self, choice: Choice):
        self.choice = choice

    @property
    def format_help(self) -> str:  # type: ignore[override]
        return "一项或多项，以顿号、逗号或分号分隔（填写中文名称或代码均可）"

    def parse(self, value: Any) -> tuple:
        parts = [p for p in re.split(r"[、,，;；\s]+", as_text(value).translate(_FULLWIDTH)) if p]
        if not parts:
            raise CellError("至少填写一项")
        codes = []
        for part in parts:
            code = self.choice.parse(part)
            if code not in codes:
                codes.append(code)
        return tuple(sorted(codes))

    def allowed_values(self) -> list[str]:
        return self.choice.allowed_values()


_PERIOD_RE = re.compile(r"^(\d{4})(?:[-/](Q[1-4]|H[12]|\d{1,2}))?$")


class Period(Parser):
    """A reporting period: a year, half-year, quarter or month."""

    format_help = "报送期间：2026（年）、2026-H1（半年）、2026-Q3（季度）或 2026-10（月）"

    def parse(self, value: Any) -> str:
        text = as_text(value).translate(_FULLWIDTH).replace(" ", "").upper()
        match = _PERIOD_RE.match(text)
        if not match:
            raise CellError("报送期间格式无效，应为 2026、2026-H1、2026-Q3 或 2026-10")
        year, part = match.groups()
        if not 1950 <= int(year) <= 2100:
            raise CellError("报送期间的年份超出合理范围")
        if part is None:
            return year
        if part[0] in "QH":
            return f"{year}-{part}"
        if not 1 <= int(part) <= 12:
            raise CellError("报送期间的月份应为1—12")
        return f"{year}-{int(part):02d}"


class OrganisationRef(Parser):
    """The responsible organisation (一企一层级, SUB-02) by its code; resolved against the database later."""

    format_help = "负责机构的机构代码（系统管理中“机构”的代码），也可填写机构全称"

    def parse(self, value: Any) -> str:
        text = as_text(value)
        if len(text) > 100:
            raise CellError("机构代码或名称过长")
        return text
