"""Pure triage rules: what happens to a clue after detection (no database, no Django models).

Each function takes plain values (dates, numbers, strings, a WorkCalendar) and cites the rule it
implements; the services in `services.py` read the database and the rule sets, call these, and
write the result. Tests: tests/test_triage.py (names carry the rule IDs).

- CLU-X01 / CLU-L02: the reminder (告知提醒) and its correction deadline in working days;
- CLU-L01 / CLU-L02 / CLU-L04: correction in time, first-violation eligibility, education record;
- CLU-X02 / AMB-08: repeated non-correction (屡教不改) and the 5-day transfer deadline;
- CLU-X03: suspected crimes go to the judicial organs, never to an administrative penalty;
- CLU-T03: a complaint closes only with a written verification report and, where rectification is
  needed, the responsible leader's sign-off;
- DEC-03: the 一案双罚 hint when the facts point at the principal person's duties.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from zhifa.common.workdays import Deadline, PeriodUnit, WorkCalendar

from .rules import minus_months

# --- categories and the suggested next step (CLU-X01, CLU-X02, CLU-X03) --------------------------

# Category values (mirror of choices.Category; kept as plain strings so this module stays pure).
FIRST = "FIRST"
MINOR = "MINOR"
GENERAL = "GENERAL"
REPEATED = "REPEATED"
MAJOR_HAZARD = "MAJOR_HAZARD"
CRIME_SUSPECTED = "CRIME_SUSPECTED"

REMINDABLE_CATEGORIES = frozenset({FIRST, MINOR})
TRANSFER_WITH_DEADLINE_CATEGORIES = frozenset({MAJOR_HAZARD, REPEATED})


class TriageAction(enum.StrEnum):
    REMIND = "REMIND"
    TRANSFER = "TRANSFER"
    JUDICIAL_TRANSFER = "JUDICIAL_TRANSFER"


ACTION_LABELS = {
    TriageAction.REMIND: "告知提醒、督促改正（不立案）",
    TriageAction.TRANSFER: "移交执法机构",
    TriageAction.JUDICIAL_TRANSFER: "移送司法机关",
}


@dataclass(frozen=True)
class TriageSuggestion:
    """The next step the rules call for. `deadline_required`: the CLU-X02 transfer deadline applies."""

    action: TriageAction
    deadline_required: bool
    rule: str
    reason: str

    @property
    def label(self) -> str:
        return ACTION_LABELS[self.action]


def suggest_triage(*, category: str, crime_suspected: bool = False) -> TriageSuggestion:
    """The suggested handling of a clue by category.

    - CLU-X03 (APL arts. 27, 57(4), 82): a suspected crime is transferred to the judicial organs;
      an administrative penalty may not substitute for criminal liability.
    - CLU-X02 (S1 §4 para 3): a major accident hidden danger or repeated non-correction is
      transferred with facts and evidence to the enforcement body within the deadline.
    - CLU-X01 (S1 §4 para 3), CLU-L02 (S1 §3): first-time and minor suspected violations get a
      reminder and guidance from the supervision unit, without opening a case.
    - Anything else (a general violation) goes to the enforcement body for case filing (CLU-01:
      a clue leads to a penalty only through the general procedure); no statutory deadline.
    """
    if crime_suspected or category == CRIME_SUSPECTED:
        return TriageSuggestion(TriageAction.JUDICIAL_TRANSFER, False, "CLU-X03", "涉嫌犯罪，应移送司法机关，不得以行政处罚代替刑事处罚")
    if category in TRANSFER_WITH_DEADLINE_CATEGORIES:
        what = "存在重大事故隐患" if category == MAJOR_HAZARD else "屡教不改"
        return TriageSuggestion(TriageAction.TRANSFER, True, "CLU-X02", f"{what}，应在期限内将事实和证据移交执法机构")
    if category in REMINDABLE_CATEGORIES:
        return TriageSuggestion(TriageAction.REMIND, False, "CLU-X01", "首次或轻微违法，由监管机构告知提醒、督促改正，不予立案")
    return TriageSuggestion(TriageAction.TRANSFER, False, "CLU-01", "一般违法线索，移交执法机构依法立案调查")


def initial_category(*, severity: str, first_time: bool) -> str:
    """Category of a newly found clue (CLU-X01/X02): a major accident hidden danger is MAJOR_HAZARD;
    a LOW-severity finding is MINOR (APL art. 33 para 1 — 轻微); a first violation (CLU-L02) is
    FIRST; otherwise GENERAL."""
    if severity == "MAJOR":
        return MAJOR_HAZARD
    if severity == "LOW":
        return MINOR
    return FIRST if first_time else GENERAL


def may_remind(*, category: str, owner: str, crime_suspected: bool) -> str | None:
    """CLU-X01: the supervision unit reminds first-time and minor clues it holds. Returns the
    Chinese reason a reminder is not allowed, or None."""
    if crime_suspected or category == CRIME_SUSPECTED:
        return "涉嫌犯罪的线索应移送司法机关，不得以告知提醒代替（CLU-X03）"
    if owner != "SUPERVISION":
        return "线索已移交执法机构，不再由监管机构告知提醒（CLU-X01）"
    if category not in REMINDABLE_CATEGORIES:
        return "只有首次违法或轻微违法的线索可以告知提醒；重大事故隐患、屡教不改的线索应移交执法机构（CLU-X01、CLU-X02）"
    return None


# --- CLU-X01 / CLU-L02: the correction deadline of a reminder -----------------------------------


def correction_deadline(sent_on: date, period_wd: int, calendar: WorkCalendar) -> Deadline:
    """CLU-X01, CLU-L02: the enterprise corrects within the rule-set period (`clue.correction_wd`),
    counted in working days from the day after the reminder is sent (CAL-08 add_wd)."""
    if int(period_wd) < 1:
        raise ValueError("the correction period must be at least one working day")
    return calendar.add_working_days(sent_on, int(period_wd))


def corrected_in_time(*, due_on: date, answered_on: date | None, verified_on: date) -> bool:
    """CLU-L01/L02 (APL art. 33): "corrected in time" — the enterprise answered with its correction
    on or before the deadline, or the officer found it corrected on or before the deadline."""
    return verified_on <= due_on or (answered_on is not None and answered_on <= due_on)


def reminder_overdue(*, status: str, due_on: date, as_of: date) -> bool:
    """CLU-X01: a reminder still waiting for correction (no answer) after its deadline is overdue."""
    return status == "PENDING" and as_of > due_on


def not_corrected_on_for_overdue(due_on: date) -> date:
    """The day non-correction is established for an overdue reminder: the day after its deadline —
    the same whenever the daily job runs, so repeat counting (AMB-08) does not depend on it."""
    return due_on + timedelta(days=1)


# --- CLU-X02 / AMB-08: repeated non-correction and the transfer deadline -------------------------


@dataclass(frozen=True)
class RepeatCheck:
    """AMB-08: uncorrected reminders of one enterprise within the window ending on `on`."""

    on: date
    window_start: date  # exclusive
    in_window: int
    threshold: int
    window_months: int

    @property
    def reached(self) -> bool:
        return self.in_window >= self.threshold


def repeat_check(uncorrected_on: Iterable[date], *, on: date, count: int, window_months: int) -> RepeatCheck:
    """CLU-X02 / AMB-08: 屡教不改 when the enterprise left at least `repeat.count` reminders
    uncorrected within `repeat.window` months: count the non-correction dates d with
    on − window < d ≤ on (the same calendar day `window` months earlier is outside)."""
    if int(count) < 1 or int(window_months) < 1:
        raise ValueError("repeat.count and repeat.window must be positive")
    start = minus_months(on, int(window_months))
    n = sum(1 for d in uncorrected_on if start < d <= on)
    return RepeatCheck(on=on, window_start=start, in_window=n, threshold=int(count), window_months=int(window_months))


def repeat_reached_on(uncorrected_on: Iterable[date], *, count: int, window_months: int, since: date | None = None) -> date | None:
    """CLU-X02: the first non-correction date (on or after `since`) on which the repeat threshold
    was reached — the "repeat_threshold_reached_at" the transfer deadline runs from."""
    dates = sorted(uncorrected_on)
    for d in dates:
        if since is not None and d < since:
            continue
        if repeat_check(dates, on=d, count=count, window_months=window_months).reached:
            return d
    return None


def transfer_trigger_date(*, major_hazard_on: date | None, repeat_reached_on: date | None) -> date | None:
    """CLU-X02: `trigger_at = min(hazard.graded_major_at, repeat_threshold_reached_at)` over the
    dates that exist; None when neither applies (no statutory transfer deadline)."""
    dates = [d for d in (major_hazard_on, repeat_reached_on) if d is not None]
    return min(dates) if dates else None


def transfer_deadline(trigger_on: date, days: int, unit: str, calendar: WorkCalendar) -> Deadline:
    """CLU-X02 / AMB-08: transfer within `transfer.days` (5) in `transfer.unit` — CD by default
    (AUTHORITY_STRICT: the shorter reading binds the authority), an end on a rest day rolling to
    the next working day (CAL-10); WD counts working days (CAL-08)."""
    if int(days) < 0:
        raise ValueError("transfer.days must not be negative")
    return calendar.add_period(trigger_on, int(days), PeriodUnit(unit))


def transfer_is_late(*, sent_on: date, due_on: date | None) -> bool:
    """CLU-X02: `transfer.sent_at <= deadline` — a transfer after the deadline is flagged late."""
    return due_on is not None and sent_on > due_on


def transfer_overdue(*, due_on: date | None, transferred: bool, as_of: date) -> bool:
    """CLU-X02: the deadline has passed and the clue has not been transferred (dashboards)."""
    return due_on is not None and not transferred and as_of > due_on


# --- CLU-L02 / AMB-17: first violation ----------------------------------------------------------


@dataclass(frozen=True)
class FirstViolation:
    """Whether a violation counts as a first violation (首违) and why."""

    eligible: bool
    lookback_months: int | None
    earlier: tuple[date, ...]
    reason: str

    @property
    def lookback_configured(self) -> bool:
        return self.lookback_months is not None


def first_violation(*, earlier_on: Iterable[date], on: date, lookback_months: int | None) -> FirstViolation:
    """CLU-L02 (APL art. 33 para 1 sentence 2; AMB-17): a first violation has no earlier clue or
    case of the same enterprise under the same rule within `first_violation.lookback` months
    before `on`. Where the rule set does not configure the lookback (CN pack: missing, AMB-17),
    the strict fallback applies: any earlier clue or case ever disqualifies (docs/clues.md)."""
    earlier = tuple(sorted(d for d in earlier_on if d < on))
    if lookback_months is None:
        hits = earlier
        scope = "规则集未配置回溯期间（first_violation.lookback），按「该企业同一规则从未有过线索或案件」认定"
    else:
        start = minus_months(on, int(lookback_months))
        hits = tuple(d for d in earlier if d > start)
        scope = f"回溯{int(lookback_months)}个月（{start.isoformat()} 之后）"
    if hits:
        return FirstViolation(False, lookback_months, hits, f"{scope}：此前已有 {len(hits)} 条同类线索或案件，最近一次 {hits[-1].isoformat()}")
    return FirstViolation(True, lookback_months, hits, f"{scope}：此前没有同类线索或案件，属于初次违法")


# --- CLU-L04: the education record --------------------------------------------------------------


def education_text(*, enterprise: str, rule_citation: str, sent_on: date, due_on: date, how: str) -> str:
    """CLU-L04 (APL art. 33 para 3): no penalty without education, and the education is recorded.
    The default text an officer may edit; `how` says how the correction was established."""
    return (
        f"已于{sent_on.isoformat()}向{enterprise}发出告知提醒，指出其行为违反{rule_citation}，"
        f"责令于{due_on.isoformat()}前改正，并告知相关安全生产法律法规要求。{how}"
        "依据《中华人民共和国行政处罚法》第三十三条，对其不予行政处罚，已对当事人进行教育。"
    )


# --- CLU-T03: complaints ------------------------------------------------------------------------


def complaint_close_problems(*, verification_report: str, needs_rectification: bool, leader_signed_off: bool,
                             out_of_scope: bool, transferred_to: str) -> list[str]:
    """CLU-T03 (WSL art. 73): `complaint.closed → verification_report and (not needs_rectification
    or leader_signoff)`; `out_of_scope → transferred_to`. Returns the Chinese problems (empty = may close)."""
    problems: list[str] = []
    if out_of_scope:
        if not (transferred_to or "").strip():
            problems.append("不属于本部门职责的举报须写明移送的主管部门")
        return problems
    if not (verification_report or "").strip():
        problems.append("举报须经核查并形成书面核查报告后方可办结")
    if needs_rectification and not leader_signed_off:
        problems.append("需要整改的举报须经负责人签批后方可办结")
    return problems


# --- DEC-03: 一案双罚 hint ------------------------------------------------------------------------

# Scenarios whose violated duty is (also) one of the principal person's statutory duties under WSL
# art. 21, so non-site work reveals a possible failure of the principal person (S1 §8, WSL arts. 5,
# 21, 94). `facts_any`: the hint applies only when one of these values appears in the clue's facts
# (e.g. only hidden-danger and dual-prevention reports for CLU-S01); empty = always. Data, not code:
# a jurisdiction may extend it.
PRINCIPAL_DUTY_HINTS: tuple[Mapping[str, Any], ...] = (
    {
        "rule_id": "CLU-S01",
        "facts_any": ("HIDDEN_DANGER", "DUAL_PREVENTION"),
        "duty": "组织建立并落实安全风险分级管控和隐患排查治理双重预防工作机制，及时消除事故隐患（安全生产法第二十一条第五项）",
    },
    {
        "rule_id": "CLU-S02",
        "facts_any": (),
        "duty": "组织制定并实施本单位的生产安全事故应急救援预案（安全生产法第二十一条第六项）",
    },
    {
        "rule_id": "CLU-S12",
        "facts_any": (),
        "duty": "组织建立安全风险分级管控机制，对重大危险源登记建档、评估并备案（安全生产法第二十一条第五项、第四十条）",
    },
)


@dataclass(frozen=True)
class DualPenaltyHint:
    rule_id: str
    duty: str

    @property
    def text(self) -> str:
        return f"事实指向主要负责人未履行安全生产管理职责：{self.duty}。立案时应同时审查对单位和主要负责人的处罚（一案双罚，DEC-03）"


def _fact_values(value: Any) -> Iterable[str]:
    if isinstance(value, Mapping):
        for v in value.values():
            yield from _fact_values(v)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from _fact_values(v)
    elif value is not None:
        yield str(value)


def dual_penalty_hint(rule_id: str, facts: Mapping[str, Any] | None, table: Iterable[Mapping[str, Any]] = PRINCIPAL_DUTY_HINTS) -> DualPenaltyHint | None:
    """DEC-03 (S1 §8; WSL arts. 5, 21, 94): when the facts point at the principal person's duties,
    record the hint that the unit and the principal person are both to be penalised."""
    values = None
    for row in table:
        if row["rule_id"] != rule_id:
            continue
        wanted = tuple(row.get("facts_any") or ())
        if wanted:
            if values is None:
                values = set(_fact_values(facts or {}))
            if not values.intersection(wanted):
                continue
        return DualPenaltyHint(rule_id=rule_id, duty=row["duty"])
    return None


# --- statistics ---------------------------------------------------------------------------------

NON_SITE_CLOSE_REASONS = frozenset({"CORRECTED", "DISMISSED", "CONDITION_GONE"})


def handled_non_site(*, close_reason: str, transferred: bool) -> bool:
    """Issue 4 item 6 "share handled non-site": closed as corrected, dismissed or condition gone
    without any transfer (no visit, no case)."""
    return close_reason in NON_SITE_CLOSE_REASONS and not transferred


def share(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole
