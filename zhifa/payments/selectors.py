"""Reads of the payments app: what a user may see, and a notice's status derived from its events."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from zhifa.accounts.access import org_scope_q, sees_everything
from zhifa.accounts.choices import STAFF_ROLES, Role
from zhifa.common.timeutil import local_date, today
from zhifa.subjects.selectors import enterprises_visible_to

from . import rules
from .choices import PAYMENT_KINDS, EventKind, NoticeState
from .models import PaymentEvent, PaymentNotice


def notices_visible_to(user) -> QuerySet[PaymentNotice]:
    """Per-object access: staff see the notices of their organisation subtree (org_scope_q); an
    enterprise contact sees the notices of the enterprises it is currently authorised for (SUB-17);
    auditors and system admins see all; anyone else nothing."""
    qs = PaymentNotice.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if sees_everything(user):
        return qs
    if user.role == Role.ENTERPRISE_CONTACT:
        ids = list(enterprises_visible_to(user).values_list("pk", flat=True))
        return qs.filter(enterprise_id__in=ids)
    if user.role in STAFF_ROLES:
        return qs.filter(org_scope_q(user))
    return qs.none()


def notice_by_payment_code(payment_code: str) -> PaymentNotice | None:
    """No access check: used by the platform callback, which is authenticated by its signature."""
    return PaymentNotice.objects.select_related("organisation").filter(payment_code=payment_code).first()


@dataclass(frozen=True)
class Pause:
    """A PAY-07 period; `end` None while the reconsideration/litigation is still running."""

    kind: str
    start: date
    end: date | None

    def closed_at(self, until: date) -> tuple[date, date] | None:
        last = self.end or until
        return (self.start, last) if self.start <= last else None


def pauses_of(events: Iterable[PaymentEvent]) -> list[Pause]:
    """PAY-07 periods from the events in order: a pause with an end is closed; one without stays open
    until a SURCHARGE_RESUMED event gives its end."""
    pauses: list[Pause] = []
    for e in events:
        if e.kind == EventKind.SURCHARGE_PAUSED:
            pauses.append(Pause(kind=e.pause_kind, start=e.period_start, end=e.period_end))
        elif e.kind == EventKind.SURCHARGE_RESUMED:
            for i, p in enumerate(pauses):
                if p.end is None:
                    pauses[i] = Pause(kind=p.kind, start=p.start, end=e.period_end)
                    break
    return pauses


def excluded_until(pauses: Sequence[Pause], until: date) -> list[tuple[date, date]]:
    return [period for p in pauses if (period := p.closed_at(until)) is not None]


@dataclass(frozen=True)
class NoticeStatus:
    """A notice as of `on`, derived from its events (PAY-05/06/07). Money in yuan, to the fen.

    `late_fee_due` stops growing on `settled_on`; `amount_due` is what the party still owes today;
    `overpaid` is anything paid beyond fine plus surcharge (refunded by the treasury, not here)."""

    on: date
    fine: Decimal
    paid_total: Decimal
    late_fee_due: Decimal
    amount_due: Decimal
    overdue_days: int
    due_on: date
    original_due_on: date
    settled: bool
    settled_on: date | None
    cancelled: bool
    state: str
    overpaid: Decimal
    last_reminder_on: date | None
    pauses: tuple[Pause, ...] = field(default_factory=tuple)
    instalments: tuple[tuple[date, Decimal], ...] = field(default_factory=tuple)

    @property
    def state_label(self) -> str:
        return NoticeState(self.state).label

    @property
    def open_pause(self) -> Pause | None:
        return next((p for p in self.pauses if p.end is None), None)

    @property
    def deferred(self) -> bool:
        return self.due_on != self.original_due_on

    @property
    def instalment_arrears(self) -> Decimal:
        """PAY-05: instalments that fell due before `on` and are not covered by the payments so far
        (shown to the party and the officer; the surcharge itself runs from the end of the plan)."""
        owed = sum((amount for day, amount in self.instalments if day < self.on), rules.ZERO)
        return rules.to_fen(max(rules.ZERO, owed - self.paid_total))


def _events(notice: PaymentNotice, events: Iterable[PaymentEvent] | None) -> list[PaymentEvent]:
    rows = list(notice.events.all() if events is None else events)
    rows.sort(key=lambda e: (e.at, e.pk or 0))
    return rows


def payments_of(events: Iterable[PaymentEvent], on: date | None = None) -> list[tuple[date, Decimal]]:
    rows = [(local_date(e.paid_at), e.amount) for e in events if e.kind in PAYMENT_KINDS]
    return [r for r in rows if on is None or r[0] <= on]


def notice_status(notice: PaymentNotice, on: date | None = None, *, events: Iterable[PaymentEvent] | None = None) -> NoticeStatus:
    """The status of `notice` on `on` (default today, Asia/Shanghai): payments up to that day, the
    surcharge accrued until the obligation was met or until `on` (PAY-06), without the paused days
    (PAY-07), from the due date as moved by approved deferrals (PAY-05)."""
    day = on or today()
    rows = _events(notice, events)
    due = rules.effective_due_on(notice.due_on, [e.new_due_on for e in rows if e.kind == EventKind.DEFERRED])
    pauses = pauses_of(rows)
    payments = payments_of(rows, day)
    rate, cap = notice.late_fee_rate, notice.late_fee_cap_ratio
    settled_day = rules.settled_on(notice.fine, due, payments, rate=rate, cap_ratio=cap, excluded=excluded_until(pauses, day))
    until = settled_day or day
    excluded = excluded_until(pauses, until)
    fee = rules.late_fee(notice.fine, due, until, rate=rate, cap_ratio=cap, excluded=excluded)
    paid = sum((amount for _, amount in payments), rules.ZERO)
    cancelled = any(e.kind == EventKind.CANCELLED for e in rows)
    if cancelled:
        state = NoticeState.CANCELLED
    elif settled_day is not None:
        state = NoticeState.SETTLED
    elif paid > 0:
        state = NoticeState.PARTIAL
    elif day > due:
        state = NoticeState.OVERDUE
    else:
        state = NoticeState.UNPAID
    reminders = [e.served_on for e in rows if e.kind == EventKind.REMINDED]
    deferral = next((e for e in reversed(rows) if e.kind == EventKind.DEFERRED), None)
    instalments = tuple((date.fromisoformat(d), Decimal(a)) for d, a in (deferral.instalments if deferral else []))
    return NoticeStatus(
        on=day,
        fine=notice.fine,
        paid_total=rules.to_fen(paid),
        late_fee_due=fee,
        amount_due=rules.ZERO if cancelled else rules.amount_due(fine=notice.fine, late_fee=fee, paid_total=paid),
        overdue_days=rules.overdue_days(due, until, excluded),
        due_on=due,
        original_due_on=notice.due_on,
        settled=settled_day is not None,
        settled_on=settled_day,
        cancelled=cancelled,
        state=state,
        overpaid=rules.to_fen(max(rules.ZERO, paid - notice.fine - fee)),
        last_reminder_on=max(reminders) if reminders else None,
        pauses=tuple(pauses),
        instalments=instalments,
    )


@dataclass(frozen=True)
class PaymentTerms:
    """The rule-set values a payment notice needs (PAY-01, PAY-06)."""

    days: int
    rate: Decimal
    cap_ratio: Decimal


def payment_terms(organisation, on: date | None = None) -> PaymentTerms:
    """`payment.days`, `payment.late_fee_rate` and `payment.late_fee_cap_ratio` for an organisation's
    jurisdiction on a day (raises RuleNotConfigured when the rule set lacks them)."""
    from zhifa.rulesets.selectors import rs

    day = on or today()

    def value(key: str):
        return rs(key, organisation=organisation, on=day).value

    return PaymentTerms(days=int(value("payment.days")), rate=Decimal(str(value("payment.late_fee_rate"))), cap_ratio=Decimal(str(value("payment.late_fee_cap_ratio"))))


def enforcement_window(notice: PaymentNotice, status: NoticeStatus, *, calendar=None) -> rules.CourtWindow | None:
    """PAY-08: the court-application window once a reminder was served and the decision's service
    date is known (None otherwise). Raises RuleNotConfigured / CalendarUnavailable like `rs` and
    the calendar do."""
    if status.last_reminder_on is None or notice.decision_served_on is None or status.settled or status.cancelled:
        return None
    from zhifa.common.calendar_store import get_calendar
    from zhifa.rulesets.selectors import rs

    cal = calendar or get_calendar()

    def value(key: str) -> int:
        return int(rs(key, organisation=notice.organisation, on=status.last_reminder_on).value)

    return rules.court_application_window(
        decision_served_on=notice.decision_served_on,
        reminder_served_on=status.last_reminder_on,
        calendar=cal,
        after_reminder_wd=value("enforcement.court_after_reminder_wd"),
        apply_months=value("enforcement.court_apply_months"),
        reconsideration_days=value("decision.reconsideration_days"),
        litigation_months=value("decision.litigation_months"),
        deferral_end=status.due_on if status.deferred else None,
    )
