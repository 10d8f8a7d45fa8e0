"""Pure rules of clue detection (no database): date thresholds, the plan-filing authority table,
limitation. Every function cites the rule it implements; tests are in tests/test_rules.py.
"""
from __future__ import annotations

import calendar as _calendar
import hashlib
import json
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from zhifa.common.workdays import PeriodUnit, WorkCalendar


def minus_months(day: date, months: int) -> date:
    """`day` moved back `months` months, clamped to the last day of the target month (31 May − 3
    months = 28/29 February). Used for the licences' "apply N months before expiry" periods
    (SUB-05…SUB-08, ext_ok in RULES §3.2); sqlfuncs.MinusMonths is the same thing in SQL."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def latest_start_past_deadline(as_of: date, n: int, unit: str, cal: WorkCalendar) -> date:
    """The last start date whose `n`-unit period has fully run out before `as_of`.

    RULES §3.2 writes conditions as `today() > add_wd(event, n)`. A period's end is monotone in its
    start, so the set of events whose deadline has passed is exactly `event <= T` with T returned
    here — which lets one SQL predicate per rule replace a per-row calendar computation (CAL-08
    working days; CAL-10 calendar days rolled past rest days). The scan goes back at most about
    twice the period (plus a long holiday), never over the whole calendar.
    """
    day = as_of - timedelta(days=1)
    while cal.add_period(day, n, PeriodUnit(unit)).due_date >= as_of:
        day -= timedelta(days=1)
    return day


def deadline_passed(start: date, n: int, unit: str, as_of: date, cal: WorkCalendar) -> bool:
    """`as_of > add_period(start, n)` — the direct form of the same test, used by the pure evaluators."""
    return as_of > cal.add_period(start, n, PeriodUnit(unit)).due_date


# --- CLU-S02 / SUB-10: which authority level a unit files its emergency plan with ---------------
#
# The sources leave the exact scheme to each jurisdiction (SUB-10 is [U]); this decision table is
# the demo city's documented convention (docs/clues.md): first matching row wins. It is data, read
# both by `expected_authority_level` and by the SQL CASE the CLU-S02 query builds, so the two
# cannot drift apart.
HIGH_RISK_INDUSTRIES = ("HAZCHEM", "CHEMICAL", "METALLURGY", "NONFERROUS")
AUTHORITY_TABLE: tuple[dict[str, Any], ...] = (
    {"affiliation": ("CENTRAL", "CITY"), "level": "CITY"},
    {"affiliation": ("DISTRICT",), "level": "DISTRICT"},
    {"affiliation": ("TOWN",), "level": "TOWN"},
    {"industry": HIGH_RISK_INDUSTRIES, "scale": ("LARGE",), "level": "CITY"},
    {"industry": HIGH_RISK_INDUSTRIES, "level": "DISTRICT"},
    {"scale": ("LARGE", "MEDIUM"), "level": "DISTRICT"},
    {"level": "TOWN"},
)


def expected_authority_level(affiliation: str, industry: str, scale: str) -> str:
    """CLU-S02 `expected_authority(affiliation, industry, scale)` from AUTHORITY_TABLE."""
    values = {"affiliation": affiliation, "industry": industry, "scale": scale}
    for row in AUTHORITY_TABLE:
        if all(values[field] in allowed for field, allowed in row.items() if field != "level"):
            return row["level"]
    raise AssertionError("AUTHORITY_TABLE has a catch-all row")


# --- CLU-03: limitation ---------------------------------------------------------------------


def limitation_expired(*, violation_on: date | None, ongoing: bool, as_of: date, months_general: int,
                       months_extended: int, life_health_or_financial: bool, harmful: bool) -> bool:
    """CLU-03 (APL art. 36): not punishable once undiscovered for 2 years (5 where life/health or
    financial safety is involved and there are harmful consequences), counted from the act or, for
    a continuing act, from its end — an ongoing act has not ended, so it never runs out."""
    if ongoing or violation_on is None:
        return False
    months = months_extended if (life_health_or_financial and harmful) else months_general
    # "Within N months" counted like the licence periods: the same calendar day N months later.
    return as_of > _plus_months(violation_on, months)


def _plus_months(day: date, months: int) -> date:
    return minus_months(day, -months)


# --- CLU-02: the data snapshot ------------------------------------------------------------------


def canonical_json(value: Any) -> bytes:
    """Canonical bytes of a facts dictionary (sorted keys, no spaces, UTF-8)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def snapshot_hash(facts: Mapping[str, Any]) -> str:
    """CLU-02: `sha256(snapshot) == clue.snapshot_hash`."""
    return hashlib.sha256(canonical_json(facts)).hexdigest()


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None

