"""SQL helpers of the detection queries agree with the pure rules on the running database
(SQLite and PostgreSQL): `MinusMonths` (ext_ok cut-off, SUB-05…SUB-08) and the CLU-S02 authority
CASE expression (SUB-10)."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from django.db.models import F, Value

from zhifa.clues import rules
from zhifa.clues.scenarios.filings import expected_level_expression
from zhifa.clues.sqlfuncs import MinusMonths
from zhifa.subjects.choices import Affiliation, Industry, LicenceType, Scale
from zhifa.subjects.models import Enterprise, Licence
from zhifa.subjects.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

MONTHS = (0, 1, 2, 3, 6, 11, 12, 13, 24, 48, -1, -3)


def _month_end_days() -> list[date]:
    """The last four days of every month from 2023 to 2029 (28/29/30/31 and the leap days)."""
    days = []
    for year, month in itertools.product(range(2023, 2030), range(1, 13)):
        first_next = date(year + (month == 12), month % 12 + 1, 1)
        days += [first_next - timedelta(days=k) for k in range(1, 5)]
    return days


@pytest.fixture
def month_end_licences():
    enterprise = EnterpriseFactory()
    days = _month_end_days()
    Licence.objects.bulk_create([
        Licence(enterprise=enterprise, licence_type=LicenceType.SAFETY_PROD, number=f"SQLF-{i:04d}", valid_from=date(2020, 1, 1),
                valid_to=day, recorded_name="n", recorded_address="a", recorded_principal="p")
        for i, day in enumerate(days)
    ])
    Licence.objects.create(enterprise=enterprise, licence_type=LicenceType.SAFETY_PROD, number="SQLF-NULL", valid_from=date(2020, 1, 1),
                           valid_to=None, recorded_name="n", recorded_address="a", recorded_principal="p")
    return days


@pytest.mark.parametrize("months", MONTHS)
def test_sub_05__sql_minus_months_equals_pure_on_month_end_dates(month_end_licences, months):
    # given licences expiring on the last four days of every month 2023–2029 (leap years included)
    # when the database computes valid_to − n months
    rows = Licence.objects.exclude(valid_to__isnull=True).annotate(cutoff=MinusMonths(F("valid_to"), Value(months))).values_list(
        "valid_to", "cutoff")
    rows = list(rows)
    assert len(rows) == len(month_end_licences)
    # then every result equals rules.minus_months to the day (clamped to the month's last day)
    mismatches = [(valid_to, cutoff, rules.minus_months(valid_to, months)) for valid_to, cutoff in rows
                  if cutoff != rules.minus_months(valid_to, months)]
    assert mismatches == []


def test_sub_05__sql_minus_months_golden_and_null(month_end_licences):
    # given 31 May 2026 and 2028 and a licence without expiry
    qs = Licence.objects.annotate(cutoff=MinusMonths(F("valid_to"), Value(3)))
    # then 3 months earlier is the end of February (28 in 2026, 29 in the leap year 2028)
    assert qs.get(valid_to=date(2026, 5, 31)).cutoff == date(2026, 2, 28)
    assert qs.get(valid_to=date(2028, 5, 31)).cutoff == date(2028, 2, 29)
    # and a missing expiry stays missing (no error, no invented date)
    assert qs.get(number="SQLF-NULL").cutoff is None


def test_sub_05__sql_minus_months_usable_in_a_filter(month_end_licences):
    # given the cut-off used as a filter bound, the way ext_ok's query uses it
    bound = date(2026, 2, 28)
    qs = Licence.objects.exclude(valid_to__isnull=True).filter(valid_to__gte=date(2026, 5, 1), valid_to__lte=date(2026, 6, 30))
    selected = set(qs.filter(valid_to__gt=F("valid_from")).annotate(cutoff=MinusMonths(F("valid_to"), Value(3)))
                   .filter(cutoff__lte=bound).values_list("valid_to", flat=True))
    # then exactly the May expiries whose cut-off is on or before 28 Feb are selected (28–31 May)
    assert selected == {d for d in month_end_licences if date(2026, 5, 1) <= d <= date(2026, 6, 30) and rules.minus_months(d, 3) <= bound}
    assert selected == {date(2026, 5, 28), date(2026, 5, 29), date(2026, 5, 30), date(2026, 5, 31)}


def test_clu_s02__sql_authority_case_equals_pure_table_for_every_combination(db):
    # given one enterprise for every affiliation × industry × scale
    template = EnterpriseFactory()
    combos = list(itertools.product(Affiliation.values, Industry.values, Scale.values))
    Enterprise.objects.bulk_create([
        Enterprise(uscc=f"SQLCASE{i:011d}", name=f"组合{i}", registered_address="上海市", industry=industry, scale=scale, affiliation=affiliation,
                   enforcement_level=template.enforcement_level, organisation=template.organisation)
        for i, (affiliation, industry, scale) in enumerate(combos)
    ])
    # when the CLU-S02 query's CASE expression is evaluated by the database
    rows = Enterprise.objects.filter(uscc__startswith="SQLCASE").annotate(level=expected_level_expression("")).values_list(
        "affiliation", "industry", "scale", "level")
    # then it names the same level as the pure decision table for every combination
    result = {(a, i, s): level for a, i, s, level in rows}
    assert len(result) == len(combos)
    assert {k: v for k, v in result.items() if v != rules.expected_authority_level(*k)} == {}
