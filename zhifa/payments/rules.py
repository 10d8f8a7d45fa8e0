"""Payment rules as pure functions (no database, no clock): each cites its RULES.md ID and article.

- PAY-01 (APL art. 67 para 3): pay within 15 days of receiving the decision (calendar days, CAL-10).
- PAY-02 (APL art. 67 paras 1–2): 罚缴分离 — the authority does not collect; bank or e-payment only.
- PAY-03 (APL arts. 68–71): on-the-spot collection only in the listed cases; hand-over periods.
- PAY-04 (S5 art. 39, Guangdong): non-tax e-payment with the unified fiscal electronic receipt.
- PAY-05 (APL arts. 66 para 2, 72 para 2): approved deferral / instalments move the due date.
- PAY-06 (APL art. 72(1); ACL art. 45): surcharge 3 % of the fine per day overdue, capped at the fine.
- PAY-07 (APL art. 73 para 3): days of reconsideration or litigation are not counted.
- PAY-08 (ACL arts. 45, 46, 53, 54; APL art. 72(4)): reminder first, then court application window.

Numbers (rate, cap, periods) are arguments: callers take them from the rule set
(`payment.*`, `enforcement.*`, `decision.*` keys), never from constants here.
Money is `Decimal` throughout; a `float` is refused because it cannot hold fen exactly.
"""
from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .choices import PLATFORM_CHANNELS, Channel

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
# Decimal(14, 2) columns: at most 12 digits before the point.
MAX_AMOUNT = Decimal("999999999999.99")


class AmountError(ValueError):
    """A money value that cannot be a fine or a payment; the message is the Chinese reason."""


def to_fen(value: Decimal) -> Decimal:
    """Round to the fen (0.01 yuan), half up — the way a payment notice states an amount."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def parse_amount(value: object, *, allow_zero: bool = False) -> Decimal:
    """A yuan amount from `Decimal`, `int` or text: finite, not negative, at most two decimals (fen).

    Refuses `float` (binary fractions cannot hold fen exactly) and `bool`.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise AmountError("金额须以文本或十进制数表示（不接受浮点数）")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "")
        if not text:
            raise AmountError("请填写金额")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise AmountError("金额格式不正确，应为数字，如 1000.00") from None
    else:
        raise AmountError("金额格式不正确，应为数字，如 1000.00")
    if not amount.is_finite():
        raise AmountError("金额格式不正确，应为数字，如 1000.00")
    if amount < 0:
        raise AmountError("金额不能为负数")
    if amount == 0 and not allow_zero:
        raise AmountError("金额必须大于零")
    if amount.as_tuple().exponent < -2:
        raise AmountError("金额最多保留两位小数（精确到分）")
    if amount > MAX_AMOUNT:
        raise AmountError("金额超出允许范围")
    return amount.quantize(FEN)


def _require_decimal(name: str, value: object) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise TypeError(f"{name} must be a finite Decimal, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return value


# --- PAY-01: the payment period ------------------------------------------------------------------


def payment_due_on(served_on: date, *, calendar, days: int):
    """PAY-01 (APL art. 67 para 3): the last day to pay is `days` calendar days after the decision was
    received; an end on a rest day rolls forward to the next working day (CAL-10).

    Returns the calendar's `Deadline` (with `rolled_from` and the provisional years). The surcharge
    rules below take the *rolled* date: rolling is this function's job, not theirs.
    """
    return calendar.add_calendar_days_rolled(served_on, days)


# --- PAY-06 / PAY-07: the surcharge --------------------------------------------------------------


def _merged(periods: Iterable[tuple[date, date]], first: date, last: date) -> list[tuple[date, date]]:
    """The union of inclusive date periods, clipped to [first, last]."""
    clipped = []
    for start, end in periods:
        if start > end:
            raise ValueError(f"excluded period starts after it ends: {start} > {end}")
        lo, hi = max(start, first), min(end, last)
        if lo <= hi:
            clipped.append((lo, hi))
    clipped.sort()
    merged: list[tuple[date, date]] = []
    for lo, hi in clipped:
        if merged and lo <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def overdue_days(due_on: date, until: date, excluded: Sequence[tuple[date, date]] = ()) -> int:
    """PAY-06/PAY-07: calendar days after `due_on` up to and including `until`, minus the days that
    fall inside a reconsideration or litigation period (inclusive `(start, end)` pairs; overlapping
    periods are counted once). Paying on the due date itself is on time (0 days).
    """
    if until <= due_on:
        return 0
    first = due_on + timedelta(days=1)
    gross = (until - due_on).days
    paused = sum((hi - lo).days + 1 for lo, hi in _merged(excluded, first, until))
    return gross - paused


def late_fee(
    fine: Decimal,
    due_on: date,
    until: date,
    *,
    rate: Decimal,
    cap_ratio: Decimal,
    excluded: Sequence[tuple[date, date]] = (),
) -> Decimal:
    """PAY-06 (APL art. 72(1); ACL art. 45): 加处罚款 = fine × rate × overdue days, never more than
    fine × cap_ratio (the statute: 3 % per day, not above the fine itself); PAY-07 (APL art. 73
    para 3): days of reconsideration/litigation are not counted. Rounded to the fen.

    `due_on` must already be the rolled due date (see `payment_due_on`); `until` is the payment date
    or the day of the computation. The base is the fine as decided (APL art. 72 「按罚款数额」), also
    after a partial payment (docs/payments.md "部分缴纳").
    """
    _require_decimal("fine", fine)
    _require_decimal("rate", rate)
    _require_decimal("cap_ratio", cap_ratio)
    days = overdue_days(due_on, until, excluded)
    fee = fine * rate * days
    cap = fine * cap_ratio
    return to_fen(min(fee, cap))


def amount_due(*, fine: Decimal, late_fee: Decimal, paid_total: Decimal) -> Decimal:
    """PAY-06: what is still to pay — fine plus surcharge minus what was paid, never below zero."""
    _require_decimal("fine", fine)
    _require_decimal("late_fee", late_fee)
    _require_decimal("paid_total", paid_total)
    return to_fen(max(ZERO, fine + late_fee - paid_total))


def settled_on(
    fine: Decimal,
    due_on: date,
    payments: Sequence[tuple[date, Decimal]],
    *,
    rate: Decimal,
    cap_ratio: Decimal,
    excluded: Sequence[tuple[date, date]] = (),
) -> date | None:
    """PAY-06: the day the obligation was met — the first payment date on which the cumulative
    payments reach the fine plus the surcharge accrued up to that day; None while it is not met.
    Payments are `(paid_on, amount)` in any order."""
    total = ZERO
    for paid_on, amount in sorted(payments, key=lambda p: p[0]):
        total += amount
        fee = late_fee(fine, due_on, paid_on, rate=rate, cap_ratio=cap_ratio, excluded=excluded)
        if total >= fine + fee:
            return paid_on
    return None


# --- PAY-05: deferral and instalments ------------------------------------------------------------


def effective_due_on(original_due_on: date, deferred_to: Sequence[date] = ()) -> date:
    """PAY-05 (APL art. 66 para 2): after an approved deferral or instalment plan the payment is due
    at the end of the approved period; with several approvals the latest end applies."""
    return max([original_due_on, *deferred_to])


def deferral_problems(*, current_due_on: date, new_due_on: date, applied_on: date, approved_on: date) -> list[str]:
    """PAY-05: the reasons an approval of deferral/instalments cannot be recorded ([] when it can).

    The new due date must be later than the current one (a deferral that shortens the period is not
    a deferral); the party's application comes before its approval.
    """
    problems = []
    if new_due_on <= current_due_on:
        problems.append(f"延期后的缴款期限须晚于当前缴款期限（{current_due_on.isoformat()}）（PAY-05）")
    if applied_on > approved_on:
        problems.append("当事人申请日期不能晚于批准日期（PAY-05）")
    return problems


def instalment_plan_problems(*, outstanding: Decimal, new_due_on: date, instalments: Sequence[tuple[date, Decimal]]) -> list[str]:
    """PAY-05: an instalment plan lists positive amounts on strictly increasing dates that add up to
    the outstanding fine, the last one on the approved end date ([] when the plan is sound)."""
    problems = []
    if not instalments:
        return ["分期计划至少须有一期"]
    dates = [d for d, _ in instalments]
    if any(b <= a for a, b in zip(dates, dates[1:], strict=False)):
        problems.append("各期缴款日期须依次递增")
    if any(amount <= 0 for _, amount in instalments):
        problems.append("每期金额必须大于零")
    total = sum((amount for _, amount in instalments), ZERO)
    if total != outstanding:
        problems.append(f"各期金额合计 {total} 元，应等于尚未缴纳的罚款 {outstanding} 元")
    if dates[-1] != new_due_on:
        problems.append(f"最后一期的日期须为批准的缴款期限 {new_due_on.isoformat()}")
    return problems


# --- PAY-02 / PAY-03 / PAY-04: collection --------------------------------------------------------


def on_spot_collection_allowed(
    *,
    simple_procedure: bool,
    fine: Decimal,
    hard_to_enforce: bool,
    remote_area_request: bool,
    max_fine: Decimal,
) -> list[str]:
    """PAY-03: the Chinese reasons on-the-spot collection is NOT allowed; `[]` means it is allowed.

    APL art. 68: a decision made on the spot under the simple procedure (art. 51) may be collected
    on the spot when the fine is at most `max_fine` (100 yuan) or later enforcement would be hard.
    APL art. 69: in remote, water or poorly connected areas, on the party's request, also for
    general-procedure decisions.
    """
    _require_decimal("fine", fine)
    _require_decimal("max_fine", max_fine)
    if remote_area_request:
        return []
    if not simple_procedure:
        return ["非简易程序作出的罚款决定不得当场收缴，应由当事人到指定银行或通过电子支付系统缴纳（行政处罚法第六十七条、第六十八条）；"
                "边远、水上、交通不便地区经当事人提出的除外（第六十九条）"]
    if fine <= max_fine or hard_to_enforce:
        return []
    return [f"简易程序罚款超过 {max_fine} 元且不属于事后难以执行的情形，不得当场收缴（行政处罚法第六十八条）"]


def collection_channel_allowed(channel: str, *, on_spot_refusals: Sequence[str] | None = None) -> bool:
    """PAY-02 (APL art. 67): 罚缴分离 — money reaches the treasury through the designated bank (its
    counter or online banking) or the electronic payment system. On-the-spot collection is allowed
    only when the PAY-03 check was made and found no reason against it (`on_spot_refusals == []`).
    Any other channel — above all the authority or an officer taking the money — is refused."""
    if channel in {c.value for c in PLATFORM_CHANNELS}:
        return True
    if channel == Channel.ON_SPOT.value:
        return on_spot_refusals is not None and len(on_spot_refusals) == 0
    return False


def on_spot_handover_due(collected_on: date, *, calendar, handover_wd: int, landed_on: date | None = None):
    """PAY-03 (APL art. 71): an officer hands cash collected on the spot to the authority within
    `handover_wd` working days (2), counted from landing for collections on water (CAL-08)."""
    return calendar.add_working_days(landed_on or collected_on, handover_wd)


def bank_deposit_due(handed_over_on: date, *, calendar, deposit_wd: int):
    """PAY-03 (APL art. 71): the authority pays the cash into the designated bank within
    `deposit_wd` working days (2) of receiving it (CAL-08)."""
    return calendar.add_working_days(handed_over_on, deposit_wd)


def fiscal_receipt_required(jurisdiction: str) -> bool:
    """PAY-04 (S5 art. 39): in Guangdong payments go through the non-tax e-payment platform and each
    carries the unified fiscal electronic receipt (财政电子票据). Mirrors the rule-set key
    `payment.e_pay_required` of CN-GD (a test keeps the two in step)."""
    return jurisdiction == "CN-GD" or jurisdiction.startswith("CN-GD-")


# --- PAY-08: reminder and enforcement ------------------------------------------------------------


def add_months(day: date, n: int) -> date:
    """The same day `n` months later; a day the month lacks becomes its last day (Jan 31 + 1 → Feb 28/29)."""
    month_index = day.month - 1 + n
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class CourtWindow:
    """PAY-08: when the authority may apply to the court for enforcement (both days inclusive)."""

    earliest: date
    latest: date
    reconsideration_deadline: date
    litigation_deadline: date

    @property
    def problems(self) -> list[str]:
        if self.earliest > self.latest:
            return ["催告期满时申请法院强制执行的期限已过（行政强制法第五十三条）"]
        return []


def court_application_window(
    *,
    decision_served_on: date,
    reminder_served_on: date,
    calendar,
    after_reminder_wd: int,
    apply_months: int,
    reconsideration_days: int,
    litigation_months: int,
    deferral_end: date | None = None,
) -> CourtWindow:
    """PAY-08 (ACL arts. 53, 54; APL art. 72(4)): apply to the court no earlier than
    `after_reminder_wd` (10) working days after the reminder was served (CAL-09), and within
    `apply_months` (3) months after the later of the reconsideration deadline (served + 60 calendar
    days, rolled, ARL art. 20) and the litigation deadline (served + 6 months, ALL art. 46).
    PAY-05: after an approved deferral/instalment plan the period runs from its end when later.
    """
    earliest = calendar.add_working_days(reminder_served_on, after_reminder_wd).due_date
    reconsideration = calendar.add_calendar_days_rolled(decision_served_on, reconsideration_days).due_date
    litigation = calendar.next_working_day(add_months(decision_served_on, litigation_months)).due_date
    start = max(reconsideration, litigation, deferral_end or reconsideration)
    latest = calendar.next_working_day(add_months(start, apply_months)).due_date
    return CourtWindow(earliest=earliest, latest=latest, reconsideration_deadline=reconsideration, litigation_deadline=litigation)


def authority_enforcement_problems(*, overdue_days: int, surcharge_days: int, reminder_served: bool, reminder_expired: bool) -> list[str]:
    """PAY-08 (ACL arts. 45–46): an authority that has enforcement power itself may enforce only
    after the surcharge has run for more than `surcharge_days` (30) days and a served reminder has
    gone unanswered ([] when it may)."""
    problems = []
    if overdue_days <= surcharge_days:
        problems.append(f"加处罚款已计 {overdue_days} 日，须超过 {surcharge_days} 日方可强制执行（行政强制法第四十六条）")
    if not reminder_served:
        problems.append("尚未送达催告书（行政强制法第三十五条）")
    elif not reminder_expired:
        problems.append("催告期限尚未届满（行政强制法第三十七条）")
    return problems
