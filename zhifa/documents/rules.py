"""Pure rules of the documents app: context validation, statutory text, numbers (文号).

No database access; everything takes plain values. Errors are ZhifaErrors with a Chinese
message naming the field (kinds.py holds the labels).
"""
from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from zhifa.common.errors import ZhifaError

from .errors import DocumentErrorCode, document_error
from .formatting import to_amount
from .kinds import RESERVED_KEYS, Field, FieldType, KindSpec, StatutoryText

MAX_TEXT = 20_000
MAX_ITEMS = 500
MAX_AMOUNT = Decimal("100000000000")  # 1e11 yuan: above any statutory fine (DEC-10 × 5)
MAX_PREFIX = 20


# --- context validation -----------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return len(value) == 0
    return False


def _missing(spec: KindSpec, label: str, path: str) -> ZhifaError:
    return document_error(DocumentErrorCode.FIELD_MISSING, f"{spec.title}缺少必填内容：{label}", field=path)


def _invalid(spec: KindSpec, label: str, path: str, why: str) -> ZhifaError:
    return document_error(DocumentErrorCode.FIELD_INVALID, f"{spec.title}的“{label}”{why}", field=path)


def plain(value: Any, *, spec: KindSpec, label: str, path: str) -> Any:
    """A JSON-safe copy of an extra (undeclared) value: dates become ISO strings, Decimals strings."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v, spec=spec, label=label, path=f"{path}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, spec=spec, label=label, path=f"{path}[{i}]") for i, v in enumerate(value)]
    raise _invalid(spec, label, path, f"的数据类型（{type(value).__name__}）不能写入文书")


def _clean_text(spec: KindSpec, f: Field, value: Any, label: str, path: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise _invalid(spec, label, path, "应为文字")
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise _invalid(spec, label, path, f"超过{MAX_TEXT}字")
    return text


def _clean_record(spec: KindSpec, f: Field, value: Any, label: str, path: str) -> dict:
    if not isinstance(value, Mapping):
        raise _invalid(spec, label, path, "应为键值对")
    out = {str(k): plain(v, spec=spec, label=label, path=f"{path}.{k}") for k, v in value.items() if str(k) not in {p.key for p in f.parts}}
    for part in f.parts:
        part_label = f"{label}的{part.label}"
        part_path = f"{path}.{part.key}"
        item = value.get(part.key)
        if _empty(item):
            if part.required:
                raise _missing(spec, part_label, part_path)
            out[part.key] = ""
            continue
        out[part.key] = clean_value(spec, part, item, label=part_label, path=part_path)
    return out


def clean_value(spec: KindSpec, f: Field, value: Any, *, label: str | None = None, path: str | None = None) -> Any:
    """Check one non-empty value against its field and return its JSON-safe form."""
    label = label or f.label
    path = path or f.key
    kind = f.type
    if kind == FieldType.TEXT:
        return _clean_text(spec, f, value, label, path)
    if kind == FieldType.BOOL:
        if not isinstance(value, bool):
            raise _invalid(spec, label, path, "应为“是”或“否”")
        return value
    if kind == FieldType.DATE:
        if isinstance(value, datetime):
            raise _invalid(spec, label, path, "应为日期（不含时间）")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        raise _invalid(spec, label, path, "不是有效日期（格式 YYYY-MM-DD）")
    if kind == FieldType.MONEY:
        if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
            raise _invalid(spec, label, path, "应为金额")
        amount = to_amount(value)
        if amount is None:
            raise _invalid(spec, label, path, "不是有效金额")
        if amount < 0:
            raise _invalid(spec, label, path, "不得为负数")
        if amount > MAX_AMOUNT:
            raise _invalid(spec, label, path, "超出可开具的金额上限")
        if Decimal(str(value)) != amount:
            raise _invalid(spec, label, path, "最多保留两位小数（分）")
        return f"{amount:.2f}"
    if kind == FieldType.INT:
        if isinstance(value, bool):
            raise _invalid(spec, label, path, "应为整数")
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int):
            raise _invalid(spec, label, path, "应为整数")
        if f.min_value is not None and value < f.min_value:
            raise document_error(
                DocumentErrorCode.FIELD_INVALID, f"{spec.title}的“{label}”不得少于{f.min_value}", field=path, rule=f.rule or None
            )
        if f.max_value is not None and value > f.max_value:
            raise document_error(
                DocumentErrorCode.FIELD_INVALID, f"{spec.title}的“{label}”不得超过{f.max_value}", field=path, rule=f.rule or None
            )
        return value
    if kind == FieldType.RECORD:
        return _clean_record(spec, f, value, label, path)
    if kind in (FieldType.TEXT_LIST, FieldType.RECORDS):
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise _invalid(spec, label, path, "应为列表")
        if len(value) > MAX_ITEMS:
            raise _invalid(spec, label, path, f"超过{MAX_ITEMS}项")
        items = []
        for index, item in enumerate(value):
            item_label = f"{label}第{index + 1}项"
            item_path = f"{path}[{index}]"
            if _empty(item):
                raise _missing(spec, item_label, item_path)
            if kind == FieldType.TEXT_LIST:
                items.append(_clean_text(spec, f, item, item_label, item_path))
            else:
                items.append(_clean_record(spec, f, item, item_label, item_path))
        if len(items) < f.min_items:
            raise document_error(
                DocumentErrorCode.FIELD_INVALID,
                f"{spec.title}的“{label}”至少需要{f.min_items}项（现有{len(items)}项）",
                field=path,
                rule=f.rule or None,
            )
        return items
    raise _invalid(spec, label, path, "类型未知")


def _empty_value(f: Field) -> Any:
    if f.type in (FieldType.TEXT_LIST, FieldType.RECORDS):
        return []
    if f.type == FieldType.RECORD:
        return {}
    if f.type in (FieldType.BOOL,):
        return False
    if f.type in (FieldType.DATE, FieldType.MONEY, FieldType.INT):
        return None
    return ""


def validate_context(spec: KindSpec, context: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """Check `context` against the kind's contract and return the normalised (JSON-safe) copy.

    - a required key that is absent or empty raises DOCUMENT_FIELD_MISSING naming its Chinese
      label (nested keys too: "询问笔录缺少必填内容：执法人员第2项的执法证号");
    - a key of the wrong type or out of range raises DOCUMENT_FIELD_INVALID;
    - conditional keys (`required_if`) are required when their switch is true (HRG-04: the
      hearing deadline when the notice grants the hearing right);
    - optional absent keys become empty values, so templates can test them; `issued_on`
      defaults to `today` (the year of the number is the year of this date);
    - undeclared keys are kept (an edited template may use them) if they are JSON-safe;
    - keys the service sets itself (the number, the title, …) are refused.
    """
    if not isinstance(context, Mapping):
        raise document_error(DocumentErrorCode.FIELD_INVALID, f"{spec.title}的内容须为键值对（dict）")
    reserved = sorted(RESERVED_KEYS & {str(k) for k in context})
    if reserved:
        raise document_error(
            DocumentErrorCode.FIELD_INVALID, f"{spec.title}的内容不得包含由系统生成的字段：{'、'.join(reserved)}", field=reserved[0]
        )
    declared = {f.key for f in spec.fields}
    out: dict[str, Any] = {}
    for key, value in context.items():
        if str(key) not in declared:
            out[str(key)] = plain(value, spec=spec, label=str(key), path=str(key))
    for f in spec.fields:
        value = context.get(f.key)
        if _empty(value):
            if f.key == "issued_on":
                out[f.key] = today.isoformat()
                continue
            if f.default is not None:
                out[f.key] = f.default
                continue
            required = bool(context.get(f.required_if)) if f.required_if else f.required
            if required:
                raise document_error(
                    DocumentErrorCode.FIELD_MISSING, f"{spec.title}缺少必填内容：{f.label}", field=f.key, rule=f.rule or None
                )
            out[f.key] = _empty_value(f)
            continue
        out[f.key] = clean_value(spec, f, value)
    return out


def document_year(context: Mapping[str, Any]) -> int:
    """The year of the number (文号): the year of the document's date (validated ISO string)."""
    return date.fromisoformat(context["issued_on"]).year


# --- statutory text ---------------------------------------------------------------------------------

_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")


def visible_text(markup: str) -> str:
    """The text a reader sees in rendered HTML, with all white space removed (for phrase checks)."""
    return _SPACE.sub("", html.unescape(_TAGS.sub(" ", markup)))


def missing_statutory_text(spec: KindSpec, context: Mapping[str, Any], markup: str) -> list[StatutoryText]:
    """The statutory statements a rendered document lacks (DEC-01 remedies, PAY-06 late fee,
    RTS-01/RTS-05 rights, CRC-05 item list, SRV-02/SRV-03 e-service terms…). Checked on every
    render, so a template edited in the admin cannot silently drop them."""
    text = visible_text(markup)
    return [s for s in spec.statutory if (s.when is None or context.get(s.when)) and not all(p in text for p in s.phrases)]


def check_statutory_text(spec: KindSpec, context: Mapping[str, Any], markup: str) -> None:
    missing = missing_statutory_text(spec, context, markup)
    if missing:
        first = missing[0]
        labels = "；".join(f"{s.label}（{s.rule}）" for s in missing)
        raise document_error(
            DocumentErrorCode.STATUTORY_TEXT_MISSING,
            f"{spec.title}模板缺少法定告知内容：{labels}。请在文书模板中补充后再出具。",
            rule=first.rule,
        )


# --- numbers (文号) -----------------------------------------------------------------------------------

PROVINCE_BY_DIVISION = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑", "31": "沪", "32": "苏",
    "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫", "42": "鄂", "43": "湘", "44": "粤", "45": "桂",
    "46": "琼", "50": "渝", "51": "川", "52": "黔", "53": "滇", "54": "藏", "61": "陕", "62": "甘", "63": "青", "64": "宁",
    "65": "新",
}  # fmt: skip
# ISO 3166-2:CN subdivision codes as used in jurisdiction codes ("CN-SH-PUTUO").
PROVINCE_BY_ISO = {
    "BJ": "京", "TJ": "津", "HE": "冀", "SX": "晋", "NM": "蒙", "LN": "辽", "JL": "吉", "HL": "黑", "SH": "沪", "JS": "苏",
    "ZJ": "浙", "AH": "皖", "FJ": "闽", "JX": "赣", "SD": "鲁", "HA": "豫", "HB": "鄂", "HN": "湘", "GD": "粤", "GX": "桂",
    "HI": "琼", "CQ": "渝", "SC": "川", "GZ": "黔", "YN": "滇", "XZ": "藏", "SN": "陕", "GS": "甘", "QH": "青", "NX": "宁",
    "XJ": "新",
}  # fmt: skip
_PLACE = re.compile(r"^(.+?(?:省|自治区|市|区|县|旗))")


def place_name(name: str) -> str:
    """The place part of an organisation's name: 上海市应急管理局 → 上海市, 普陀区应急管理局 → 普陀区."""
    match = _PLACE.match(name or "")
    return match.group(1) if match else ""


def province_abbreviation(*, jurisdiction: str = "", division_code: str = "") -> str:
    if division_code[:2] in PROVINCE_BY_DIVISION:
        return PROVINCE_BY_DIVISION[division_code[:2]]
    parts = (jurisdiction or "").upper().split("-")
    if len(parts) >= 2 and parts[0] == "CN":
        return PROVINCE_BY_ISO.get(parts[1], "")
    return ""


def derive_doc_prefix(name: str, *, ancestor_names: list[str], jurisdiction: str = "", division_code: str = "") -> str:
    """The agency part of a number when no prefix is configured (sensible fallback, editable):
    province abbreviation + first character of the locality (below the top of the tree) + 应急.

    上海市应急管理局 → 沪应急; 普陀区应急管理局 (under 上海市…) → 沪普应急.
    """
    own = name or ""
    for ancestor in ancestor_names:
        place = place_name(ancestor)
        if place and own.startswith(place):
            own = own[len(place) :]
    province = province_abbreviation(jurisdiction=jurisdiction, division_code=division_code)
    locality = own[:1] if ancestor_names and place_name(own) else ""
    department = "应急" if "应急" in own else ""
    prefix = f"{province}{locality}{department}"
    if not department:
        prefix = f"{province}{own[:2]}"
    return prefix[:MAX_PREFIX] or (name or "")[:4]


def derive_header_name(name: str, *, ancestor_names: list[str]) -> str:
    """The full name printed in the red header and on the seal: the places of the ancestors the
    name does not already contain, then the name (普陀区应急管理局 → 上海市普陀区应急管理局)."""
    places = ""
    for ancestor in ancestor_names:
        place = place_name(ancestor)
        if place and place not in name and place not in places:
            places += place
    return f"{places}{name}"


def validate_prefix(prefix: str) -> str:
    prefix = (prefix or "").strip()
    if not prefix or len(prefix) > MAX_PREFIX or any(c in prefix for c in "〔〕[]（）() \t\n"):
        raise document_error(
            DocumentErrorCode.FIELD_INVALID, f"文号前缀须为1至{MAX_PREFIX}个字符，且不含括号或空格", field="doc_prefix"
        )
    return prefix


def format_number(prefix: str, word: str, year: int, serial: int) -> str:
    """沪普应急 + 罚告 + 〔2026〕 + 12 + 号 (GB/T 9704 style: year in 六角括号, serial without leading zeros)."""
    if serial < 1 or year < 1:
        raise ValueError("serial and year must be positive")
    return f"{prefix}{word}〔{year}〕{serial}号"


_REF = re.compile(r"^[a-z][a-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*:[0-9A-Za-z_-]{1,40}$")


def valid_ref(ref: str) -> bool:
    """A generic object reference "<app_label>.<Model>:<pk>", e.g. "cases.Case:12"."""
    return isinstance(ref, str) and len(ref) <= 100 and bool(_REF.match(ref))
