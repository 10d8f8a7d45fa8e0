"""The evaluator contract shared by every scenario (issue 4 item 1).

An evaluator answers the same question twice:
- `candidates()` — set-based SQL over the whole register (one query per rule, using indexes): the
  (enterprise, key) pairs that meet the data condition;
- `evaluate()` — the pure condition for one enterprise's records, returning hits with their facts.
The engine runs the SQL, loads the records of the hit enterprises in batches and keeps the hits on
which both agree; property tests check they agree on random data.
"""
from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from django.db.models import Q

from zhifa.common.workdays import WorkCalendar

from ..records import EnterpriseRecord
from ..rules import latest_start_past_deadline


@dataclass(frozen=True)
class Hit:
    """One violation found for one enterprise. `key` identifies the ongoing violation within the
    scenario (e.g. "licence:42"), so the same violation keeps one open clue across runs."""

    key: str
    enterprise_id: int
    title: str
    facts: dict[str, Any]
    violation_on: date | None
    ongoing: bool = True


@dataclass
class Context:
    """What an evaluator may know besides the register: the detection day, the working-day
    calendar, the rule-set values resolved for the partition's jurisdiction (JUR-01) and the
    organisations of the partition."""

    as_of: date
    calendar: WorkCalendar
    params: Mapping[str, Any]
    organisation_ids: tuple[int, ...] | None = None
    reference: Mapping[str, Any] = field(default_factory=dict)
    _thresholds: dict[tuple[int, str], date] = field(default_factory=dict)

    def param(self, key: str) -> Any:
        return self.params[key]

    def threshold(self, n: int, unit: str) -> date:
        """Latest event date whose n-unit period ended before as_of (rules.latest_start_past_deadline)."""
        cache_key = (int(n), unit)
        if cache_key not in self._thresholds:
            self._thresholds[cache_key] = latest_start_past_deadline(self.as_of, int(n), unit, self.calendar)
        return self._thresholds[cache_key]

    def scope(self, queryset, enterprise_path: str = "enterprise"):
        """Restrict to the partition's organisations; `enterprise_path` leads from the queried model
        to the enterprise ("" when the queryset is of enterprises)."""
        if self.organisation_ids is None:
            return queryset
        lookup = f"{enterprise_path}__organisation_id__in" if enterprise_path else "organisation_id__in"
        return queryset.filter(**{lookup: self.organisation_ids})


class Evaluator(abc.ABC):
    """Base class; subclasses set `name` and implement the three abstract methods."""

    name: ClassVar[str] = ""
    # True when the SQL may return a few extra candidates that only the pure condition can rule
    # out exactly (a working-day period between two stored dates); such extras are not counted as
    # disagreements.
    sql_is_superset: ClassVar[bool] = False

    def rs_keys(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        """Rule-set keys this evaluator needs for the given scenario parameters."""
        return ()

    @abc.abstractmethod
    def candidates(self, ctx: Context, params: Mapping[str, Any]) -> Iterable[tuple[int, str]]:
        """(enterprise id, key) for every violation, by one set-based query."""

    @abc.abstractmethod
    def bare_scan(self, ctx: Context, params: Mapping[str, Any]) -> int:
        """The plainest count over the same tables and predicates (benchmark baseline)."""

    def evaluate(self, record: EnterpriseRecord, ctx: Context, params: Mapping[str, Any]) -> list[Hit]:
        """The pure condition for one enterprise, with the facts that prove each hit, judged on the
        register as it stood on the detection day (`EnterpriseRecord.as_stood_on`)."""
        return self.check(record.as_stood_on(ctx.as_of), ctx, params)

    @abc.abstractmethod
    def check(self, record: EnterpriseRecord, ctx: Context, params: Mapping[str, Any]) -> list[Hit]:
        """The condition itself, on a record that holds nothing dated after `ctx.as_of`."""


REGISTRY: dict[str, Evaluator] = {}


def register(cls: type[Evaluator]) -> type[Evaluator]:
    REGISTRY[cls.name] = cls()
    return cls


def get_evaluator(name: str) -> Evaluator:
    try:
        return REGISTRY[name]
    except KeyError as exc:
        raise LookupError(f"未登记的判定器：{name}") from exc


def done_by(field: str, day: date) -> Q:
    """SQL for "`field` (a completion date) had happened by `day`"; see EnterpriseRecord.as_stood_on."""
    return Q(**{f"{field}__lte": day})


def not_done_by(field: str, day: date) -> Q:
    """SQL for "`field` was still empty on `day`" (null, or dated later)."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gt": day})


def iter_pairs(rows: Iterable[tuple[int, Any]], prefix: str) -> Iterator[tuple[int, str]]:
    for enterprise_id, object_id in rows:
        yield enterprise_id, f"{prefix}:{object_id}"
