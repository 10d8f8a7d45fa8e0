"""Pure rules of publicity (RULES §8, SEC-03, SEC-07, AMB-01…AMB-03, AMB-20, AMB-28, AMB-32).

No database here: callers read the numbers from the owning jurisdiction's rule set and pass them
in with the working-day calendar. Every function cites the rule it implements.
"""
from __future__ import annotations

import calendar as _calendar
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from zhifa.common.ids import ID_NUMBER_RE, MOBILE_RE, id_check_char, is_valid_uscc
from zhifa.common.masking import mask_bank_account, mask_id_number, mask_person_name, mask_phone
from zhifa.common.workdays import Deadline, PeriodUnit, WorkCalendar

from .choices import DECISION_KINDS, ItemKind, Trigger

# --- deadlines --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueRule:
    """Where an item's deadline comes from: a working-day parameter of the rule set (`key`, with
    its `param_kind`), or a fixed day computed from the event (`fixed`)."""

    rule: str
    key: str
    param_kind: str | None = None
    fixed: str = ""  # "", "BEFORE_YEAR", "MONTH_END", "ANNUAL", "LEAD_DAYS", "ON_EVENT"

    @property
    def label(self) -> str:
        name = self.key + (f"[{self.param_kind}]" if self.param_kind else "")
        return f"{self.rule} {name}".strip()


DECISION_PARAM_KIND = {
    ItemKind.PENALTY: "PENALTY",
    ItemKind.LICENSING: "LICENSING",
    ItemKind.COERCION: "COERCION",
    ItemKind.NO_PENALTY: "OTHER",
    ItemKind.INSPECTION_RESULT: "OTHER",
}
UPDATE_RULES = {
    Trigger.LAW_CHANGED: "PUB-20",
    Trigger.ORG_CHANGED: "PUB-21",
    Trigger.CREDENTIAL_CHANGED: "PUB-22",
    Trigger.DECISION_CHANGED: "PUB-23",
}


def due_rule(kind: str, trigger: str) -> DueRule:
    """The deadline rule of a publication duty. Every (kind, trigger) pair the services create
    has one; an impossible pair is a programming error, reported in Chinese.

    - PUB-11/PUB-12, AMB-01: decisions, `pub.deadline_wd[kind]` working days after the decision
      (AMB-28: from `decided_on`); penalties 7 (WSL art. 78 para 2), licensing 7 or 20, coercion
      and other decisions 20.
    - PUB-20…PUB-23: updates after a law, institutional, credential or decision change, `pub.update_wd`.
    - PUB-04…PUB-07, AMB-32: first entry of pre-enforcement information, `ogi.proactive_wd` (OGI art. 26).
    - PUB-08: the annual plan before the plan year starts; next month's targets by the day set in
      `monthly_targets.publish_by_day`.
    - DEV-08: device sites `dev.publish_lead_days` calendar days before use.
    - PUB-09: an entrustment before the entrusted body acts.
    - PUB-24: a correction found by the bureau, `pub.correct_prompt` working days.
    - PUB-28: the previous year's data by `pub.annual_data_due` (31 January).
    """
    if trigger == Trigger.DECISION_MADE and kind in DECISION_PARAM_KIND:
        rule = "PUB-11" if kind == ItemKind.PENALTY else "PUB-12"
        return DueRule(rule, "pub.deadline_wd", DECISION_PARAM_KIND[kind])
    if trigger in UPDATE_RULES:
        return DueRule(UPDATE_RULES[trigger], "pub.update_wd")
    if trigger == Trigger.CORRECTION:
        return DueRule("PUB-24", "pub.correct_prompt")
    if trigger == Trigger.CATALOGUE and kind not in DECISION_KINDS and kind != ItemKind.ANNUAL_STATISTICS:
        return DueRule("AMB-32", "ogi.proactive_wd")
    if trigger == Trigger.PLAN_APPROVED and kind == ItemKind.ANNUAL_PLAN:
        return DueRule("PUB-08", "", fixed="BEFORE_YEAR")
    if trigger == Trigger.MONTHLY_TARGETS and kind == ItemKind.MONTHLY_TARGETS:
        return DueRule("PUB-08", "monthly_targets.publish_by_day", fixed="MONTH_END")
    if trigger == Trigger.DEVICE_APPROVED and kind == ItemKind.DEVICE_SITE:
        return DueRule("DEV-08", "dev.publish_lead_days", fixed="LEAD_DAYS")
    if trigger == Trigger.ENTRUSTED and kind == ItemKind.ENTRUSTMENT:
        return DueRule("PUB-09", "", fixed="ON_EVENT")
    if trigger == Trigger.ANNUAL and kind == ItemKind.ANNUAL_STATISTICS:
        return DueRule("PUB-28", "pub.annual_data_due", fixed="ANNUAL")
    raise ValueError(f"公示类别 {kind} 没有因「{trigger}」产生公示义务的期限规则")


def _count(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or int(value) != value or value < 0:
        raise ValueError(f"{what}必须是非负整数，实际为「{value}」")
    return int(value)


def last_working_day_of_month(year: int, month: int, cal: WorkCalendar) -> date:
    day = date(year, month, _calendar.monthrange(year, month)[1])
    while not cal.is_working_day(day):
        day -= timedelta(days=1)
    return day


def compute_due(rule: DueRule, event_on: date, value: Any, cal: WorkCalendar) -> Deadline:
    """The deadline of a duty (see `due_rule`). `value` is the resolved rule-set value (None for
    rules without a parameter). Working-day periods start the day after the event (CAL-10)."""
    if not rule.fixed:
        return replace(cal.add_working_days(event_on, _count(value, rule.label)), rule=rule.rule)
    if rule.fixed == "BEFORE_YEAR":  # PUB-08: event_on is 1 January of the plan year
        due = date(event_on.year, 1, 1) - timedelta(days=1)
    elif rule.fixed == "MONTH_END":  # PUB-08: event_on is any day of the target month
        if value != "LAST_WORKING_DAY":
            raise ValueError(f"monthly_targets.publish_by_day 的取值「{value}」无法识别")
        prev = date(event_on.year, event_on.month, 1) - timedelta(days=1)
        due = last_working_day_of_month(prev.year, prev.month, cal)
    elif rule.fixed == "LEAD_DAYS":  # DEV-08: event_on is the planned first day of use
        due = event_on - timedelta(days=_count(value, rule.label))
    elif rule.fixed == "ON_EVENT":  # PUB-09: event_on is the day the entrusted body starts
        due = event_on
    elif rule.fixed == "ANNUAL":  # PUB-28: event_on is any day of the data year
        month, day = (int(x) for x in str(value).split("-"))
        due = date(event_on.year + 1, month, day)
    else:
        raise ValueError(f"未知的期限类型 {rule.fixed}")
    return Deadline(due=due, unit=PeriodUnit.CD, start=event_on, n=0, rule=rule.rule)


def withdrawal_rule(kind: str) -> DueRule:
    """PUB-14 (APL art. 48 para 2): a penalty is withdrawn within 3 working days of the change,
    with a public explanation; PUB-26/AMB-02: other decisions within `pub.withdraw_wd[OTHER]` (7)."""
    if kind == ItemKind.PENALTY:
        return DueRule("PUB-14", "pub.withdraw_wd", "PENALTY")
    return DueRule("PUB-26", "pub.withdraw_wd", "OTHER")


def correction_request_rule() -> DueRule:
    """PUB-25: a written correction request is verified and handled within 5 working days."""
    return DueRule("PUB-25", "pub.correction_request_wd")


# --- display period -----------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def display_end(published_on: date, *, max_months: int, minor: bool, min_months_minor: int) -> date:
    """PUB-17, AMB-03: penalty information is shown at most `pub.max_months`; information on a
    minor, promptly corrected violation is shown for the shorter `pub.min_months_minor` (never
    less). Returns the last day of display."""
    max_months = _count(max_months, "pub.max_months")
    min_minor = _count(min_months_minor, "pub.min_months_minor")
    months = min(min_minor, max_months) if minor else max_months
    return add_months(published_on, months) - timedelta(days=1)


def credit_repair_end(published_on: date, repair_approved_on: date, *, min_months: int) -> date:
    """PUB-18, AMB-03: after a successful credit repair the display may end, but not before the
    minimum period (`credit.min_pub_period`, 12 months for work safety) has run."""
    return max(repair_approved_on, add_months(published_on, _count(min_months, "credit.min_pub_period")))


# --- masking and content (SEC-03, PUB-13, AMB-20, SEC-07) ------------------------------------------

BANK_ACCOUNT_RE = re.compile(r"(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])")


def _is_id_number(candidate: str) -> bool:
    return id_check_char(candidate[:17]) == candidate[17].upper()


def find_pii(text: str) -> list[str]:
    """Unmasked personal identifiers in `text`: ID numbers with a valid check character, mobile
    numbers (1[3-9] + 9 digits) and bank-account-like runs of 16–19 digits. Used as the last guard
    before publishing and by the crawler test."""
    found = [m.group(0) for m in ID_NUMBER_RE.finditer(text) if _is_id_number(m.group(0))]
    found += [m.group(0) for m in MOBILE_RE.finditer(text)]
    # An all-digit unified social credit code (USCC, GB 32100) is public by law, not a bank account.
    found += [m.group(0) for m in BANK_ACCOUNT_RE.finditer(text) if not is_valid_uscc(m.group(0)) and m.group(0) not in found]
    return found


def scrub_public(text: str) -> str:
    """Mask every ID number, mobile number and bank account found in free text (SEC-03)."""
    text = ID_NUMBER_RE.sub(lambda m: mask_id_number(m.group(0)), text or "")
    text = BANK_ACCOUNT_RE.sub(lambda m: m.group(0) if is_valid_uscc(m.group(0)) else mask_bank_account(m.group(0)), text)
    return MOBILE_RE.sub(lambda m: mask_phone(m.group(0)), text)


INDIVIDUAL_POLICIES = ("PUBLISH", "PUBLISH_MASKED", "NOT_PUBLISH")


def public_party_name(name: str, *, individual: bool, policy: str) -> str | None:
    """AMB-20 (`pub.individual_policy`): an individual penalised in 一案双罚 is published by name,
    masked (张**), or not at all (None). Organisations are always published by name (PUB-13)."""
    if not individual:
        return name
    if policy not in INDIVIDUAL_POLICIES:
        raise ValueError(f"pub.individual_policy 的取值「{policy}」无法识别")
    if policy == "NOT_PUBLISH":
        return None
    return name if policy == "PUBLISH" else mask_person_name(name)


@dataclass(frozen=True)
class DecisionFacts:
    """The fields of a decision that may be published (PUB-13): unit, object, category,
    conclusion and basis. Facts of the case, names of officers, witnesses and other persons,
    addresses and contact data are never passed in, so they cannot be published."""

    unit: str
    party_name: str
    party_code: str  # USCC of an organisation; never an individual's ID number
    individual: bool
    category: str
    conclusion: str
    basis: str
    decided_on: date
    document_number: str


def decision_content(facts: DecisionFacts, *, individual_policy: str) -> dict[str, str] | None:
    """The masked public content of a decision, or None when AMB-20 forbids publishing it.
    Free text is scrubbed (SEC-03) and checked: any identifier left is an error, never published."""
    name = public_party_name(facts.party_name, individual=facts.individual, policy=individual_policy)
    if name is None:
        return None
    content = {
        "unit": facts.unit,
        "object": name,
        "object_code": "" if facts.individual else facts.party_code,
        "category": facts.category,
        "conclusion": scrub_public(facts.conclusion),
        "basis": scrub_public(facts.basis),
        "decided_on": facts.decided_on.isoformat(),
        "document_number": facts.document_number,
    }
    assert_no_pii(content)
    return content


class PersonalDataLeft(ValueError):
    """Raised when public content still holds an unmasked identifier."""


def assert_no_pii(content: Mapping[str, Any]) -> None:
    """SEC-03: the last guard before anything becomes public content."""
    left = find_pii(json.dumps(content, ensure_ascii=False))
    if left:
        raise PersonalDataLeft(f"公示内容中仍含有未脱敏的个人信息（{len(left)} 处），已拒绝生成")


def content_hash(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def fine_conclusion(penalty_labels: list[str], fine: Decimal, confiscation: Decimal) -> str:
    """The conclusion line of a penalty decision, from structured fields only."""
    parts = []
    for label in penalty_labels:
        if label == "罚款" and fine:
            parts.append(f"罚款人民币{fine:,.2f}元")
        elif label.startswith("没收") and confiscation:
            parts.append(f"{label}人民币{confiscation:,.2f}元")
        else:
            parts.append(label)
    return "；".join(parts) or "给予行政处罚"
