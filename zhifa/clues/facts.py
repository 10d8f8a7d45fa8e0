"""A clue's facts for people: the facts dictionary flattened into labelled rows (Chinese labels,
ID and phone numbers scrubbed). Used by the clue page and by a case opened from a clue."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhifa.common.masking import scrub_text

FACT_LABELS = {
    "licence": "证照",
    "number": "编号",
    "valid_to": "有效期至",
    "valid_from": "有效期自",
    "activity": "活动记录",
    "kind": "类型",
    "on": "日期",
    "trigger": "触发事件",
    "source": "来源",
    "external_ref": "来源编号",
    "occurred_at": "发生时间",
    "summary": "摘要",
    "enterprise": "企业",
    "name": "名称",
    "uscc": "统一社会信用代码",
    "obligation": "报送义务",
    "period": "期间",
    "due_on": "应报送日期",
    "plan": "应急预案",
    "hazard_source": "重大危险源",
    "change": "登记变更",
    "id": "编号(ID)",
    "type": "类型",
    "title": "名称",
    "applications": "延续/变更申请",
    "extension_apply_by": "应申请延续的最后日期",
    "count": "记录数",
    "first": "最早",
    "last": "最近",
    "published_on": "公布日期",
    "filed_on": "备案日期",
    "authority_level": "备案部门层级",
    "defects": "问题",
    "year": "年度",
    "changed_on": "变更日期",
    "field": "事项",
    "old_value": "原值",
    "new_value": "新值",
    "submitted_on": "报送日期",
}


def flatten_facts(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Facts dictionary → (label path, value) rows for the facts table; ID and phone numbers masked."""
    rows: list[tuple[str, str]] = []
    if isinstance(value, Mapping):
        for key, inner in value.items():
            label = FACT_LABELS.get(str(key), str(key))
            rows.extend(flatten_facts(inner, f"{prefix} › {label}" if prefix else label))
    elif isinstance(value, (list, tuple)):
        if all(not isinstance(v, (Mapping, list, tuple)) for v in value):
            rows.append((prefix, "、".join(scrub_text(str(v)) for v in value) or "—"))
        else:
            for i, inner in enumerate(value, 1):
                rows.extend(flatten_facts(inner, f"{prefix} #{i}"))
    else:
        rows.append((prefix, "—" if value in (None, "") else scrub_text(str(value))))
    return rows
