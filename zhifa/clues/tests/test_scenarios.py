"""The 13 Shanghai pilot scenarios (CLU-S01…CLU-S13, RULES §3.2), each with enterprises that do
and do not violate it, run through both paths of every evaluator without the engine:

- SQL: `get_evaluator(name).candidates(ctx, params)` — the set-based query over the register;
- pure: `.evaluate(load_records([id])[id], ctx, params)` — the condition for one enterprise.

Both must give the same keys (an evaluator with `sql_is_superset` may select more in SQL; the
tests say which extra and why). Edge dates are computed with the working-day calendar in the test,
around the 2026 Spring Festival and National Day blocks.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from zhifa.clues.models import Scenario
from zhifa.clues.records import load_records
from zhifa.clues.scenarios import get_evaluator
from zhifa.common.calendar_store import get_calendar
from zhifa.subjects.choices import ActivityKind, ApplicationKind, ApplicationStatus, LicenceStatus, LicenceType
from zhifa.subjects.models import (
    EmergencyPlanFiling,
    LicenceApplication,
    MajorHazardSource,
    PrecursorAnnualReport,
    RegistrationChange,
    ReportObligation,
)
from zhifa.subjects.tests.factories import (
    ActivitySignalFactory,
    ChemicalProductFactory,
    EnterpriseFactory,
    LicenceFactory,
    PermittedChemicalFactory,
    StorageItemFactory,
    StorageZoneFactory,
)

D = date
ONE = timedelta(days=1)
LICENCE_FROM = D(2023, 6, 1)
CHANGE_ACTIVITY_ON = D(2026, 10, 20)
STOCK_DAY = D(2026, 6, 1)


# --- helpers -------------------------------------------------------------------------------------


def detect(ctx, code: str, enterprise) -> tuple[set[str], list]:
    """(keys the SQL selects for this enterprise, hits of the pure condition) for scenario `code`."""
    scenario = Scenario.objects.get(code=code, version=1)
    evaluator = get_evaluator(scenario.evaluator)
    sql = {key for enterprise_id, key in evaluator.candidates(ctx, scenario.params) if enterprise_id == enterprise.pk}
    record = load_records([enterprise.pk])[enterprise.pk]
    hits = evaluator.evaluate(record, ctx, scenario.params)
    assert all(h.enterprise_id == enterprise.pk for h in hits)
    return sql, hits


def assert_fires(ctx, code: str, enterprise, *keys: str) -> list:
    """Both paths report exactly `keys` for the enterprise (superset evaluators: SQL at least)."""
    sql, hits = detect(ctx, code, enterprise)
    assert sorted(h.key for h in hits) == sorted(keys), f"pure {code}"
    if get_evaluator(Scenario.objects.get(code=code, version=1).evaluator).sql_is_superset:
        assert sql >= set(keys), f"SQL {code}"
    else:
        assert sql == set(keys), f"SQL {code}"
    return hits


def assert_quiet(ctx, code: str, enterprise) -> set[str]:
    """Neither path reports the enterprise; returns the SQL keys (empty unless `sql_is_superset`)."""
    sql, hits = detect(ctx, code, enterprise)
    assert hits == [], f"pure {code}: {[h.key for h in hits]}"
    if not get_evaluator(Scenario.objects.get(code=code, version=1).evaluator).sql_is_superset:
        assert sql == set(), f"SQL {code}: {sql}"
    return sql


def act(enterprise, kind: str, *days: date) -> None:
    for day in days:
        ActivitySignalFactory(enterprise=enterprise, kind=kind, occurred_on=day)


def licence(enterprise, licence_type: str, valid_to: date | None, valid_from: date = LICENCE_FROM, **kwargs):
    return LicenceFactory(enterprise=enterprise, licence_type=licence_type, valid_from=valid_from, valid_to=valid_to, **kwargs)


def application(lic, submitted_on: date, status: str = ApplicationStatus.PENDING, *, kind: str = ApplicationKind.EXTENSION,
                decided_on: date | None = None, new_valid_to: date | None = None, change_field: str = ""):
    return LicenceApplication.objects.create(licence=lic, kind=kind, submitted_on=submitted_on, status=status, decided_on=decided_on,
                                             new_valid_to=new_valid_to, change_field=change_field)


def change(enterprise, field: str, new_value: str, changed_on: date, old_value: str = "旧值"):
    return RegistrationChange.objects.create(enterprise=enterprise, field=field, old_value=old_value, new_value=new_value, changed_on=changed_on)


def due_wd(start: date, n: int) -> date:
    return get_calendar().add_working_days(start, n).due_date


# =================================================================================================
# Licence expired, no extension, still operating: CLU-S03 / S06 / S07 / S10
# =================================================================================================

EXPIRY = D(2026, 5, 31)  # 3 months earlier (the timely-application cut-off) is Sat 2026-02-28
CUTOFF = D(2026, 2, 28)
AFTER = D(2026, 6, 20)


@pytest.fixture
def s03_expired(db):
    """A producer whose safety-production licence expired on 2026-05-31 and who produced on 1 June."""
    e = EnterpriseFactory()
    lic = licence(e, LicenceType.SAFETY_PROD, EXPIRY)
    act(e, ActivityKind.PRODUCTION, D(2026, 6, 1))
    return e, lic


def test_clu_s03__expired_no_extension_with_production__fires(ctx_for, s03_expired):
    # given an expired safety-production licence, no extension, production after expiry
    e, lic = s03_expired
    # when detection runs on 2026-06-20
    (hit,) = assert_fires(ctx_for(AFTER), "CLU-S03", e, f"licence:{lic.pk}")
    # then the clue carries the licence, the timely-application cut-off and the activity that proves it
    assert hit.facts["licence"]["valid_to"] == "2026-05-31"
    assert hit.facts["extension_apply_by"] == CUTOFF.isoformat()
    assert hit.facts["activity"] == {"kind": "PRODUCTION", "count": 1, "first": "2026-06-01", "last": "2026-06-01"}
    assert hit.violation_on == D(2026, 6, 1) and hit.ongoing


def test_clu_s03__licence_still_valid__quiet(ctx_for, db):
    # given a valid licence and production
    e = EnterpriseFactory()
    licence(e, LicenceType.SAFETY_PROD, D(2027, 5, 31))
    act(e, ActivityKind.PRODUCTION, D(2026, 6, 1))
    # then no clue
    assert_quiet(ctx_for(AFTER), "CLU-S03", e)


def test_clu_s03__activity_on_the_expiry_day_is_not_after_expiry__quiet(ctx_for, db):
    # given production exactly on the last day of validity
    e = EnterpriseFactory()
    licence(e, LicenceType.SAFETY_PROD, EXPIRY)
    act(e, ActivityKind.PRODUCTION, D(2026, 5, 1), EXPIRY)
    # then the licence still covered it: no clue
    assert_quiet(ctx_for(AFTER), "CLU-S03", e)


def test_clu_s03__activity_the_day_after_expiry__fires(ctx_for, db):
    # given production on the first day without a licence
    e = EnterpriseFactory()
    lic = licence(e, LicenceType.SAFETY_PROD, EXPIRY)
    act(e, ActivityKind.PRODUCTION, EXPIRY, EXPIRY + ONE)
    # then a clue, proven by the day after expiry only
    (hit,) = assert_fires(ctx_for(AFTER), "CLU-S03", e, f"licence:{lic.pk}")
    assert hit.facts["activity"]["first"] == "2026-06-01" and hit.facts["activity"]["count"] == 1


def test_clu_s03__expiry_yesterday_fires_expiry_today_quiet(ctx_for, db):
    # given production every day around expiry
    e = EnterpriseFactory()
    lic = licence(e, LicenceType.SAFETY_PROD, EXPIRY)
    act(e, ActivityKind.PRODUCTION, EXPIRY - ONE, EXPIRY, EXPIRY + ONE)
    # when detection runs on the expiry day, the licence is still valid
    assert_quiet(ctx_for(EXPIRY), "CLU-S03", e)
    # when it runs the next day (expiry was yesterday, production today), a clue
    assert_fires(ctx_for(EXPIRY + ONE), "CLU-S03", e, f"licence:{lic.pk}")


def test_clu_s03__timely_extension_pending_is_deemed_granted__quiet(ctx_for, s03_expired):
    # given an extension applied for on the last timely day (3 months before expiry), undecided at expiry
    e, lic = s03_expired
    application(lic, CUTOFF)
    # then it counts as granted (Administrative Licensing Law art. 50): no clue
    assert_quiet(ctx_for(AFTER), "CLU-S03", e)


def test_clu_s03__extension_applied_one_day_too_late__fires(ctx_for, s03_expired):
    # given the extension applied for one day after the cut-off, still pending
    e, lic = s03_expired
    application(lic, CUTOFF + ONE)
    # then no deemed grant: a clue
    (hit,) = assert_fires(ctx_for(AFTER), "CLU-S03", e, f"licence:{lic.pk}")
    assert hit.facts["applications"] == [{"kind": "EXTENSION", "submitted_on": "2026-03-01", "status": "PENDING", "decided_on": None}]


def test_clu_s03__timely_extension_rejected_before_expiry__fires(ctx_for, s03_expired):
    # given a timely application rejected before (and on) the expiry day
    e, lic = s03_expired
    application(lic, D(2026, 2, 1), ApplicationStatus.REJECTED, decided_on=D(2026, 5, 20))
    application(lic, D(2026, 2, 2), ApplicationStatus.REJECTED, decided_on=EXPIRY)
    # then the authority decided in time: a clue
    assert_fires(ctx_for(AFTER), "CLU-S03", e, f"licence:{lic.pk}")


def test_clu_s03__timely_extension_rejected_after_expiry__quiet(ctx_for, s03_expired):
    # given a timely application the authority only decided after expiry
    e, lic = s03_expired
    application(lic, D(2026, 2, 1), ApplicationStatus.REJECTED, decided_on=EXPIRY + ONE)
    # then it was undecided at expiry, hence deemed granted: no clue
    assert_quiet(ctx_for(AFTER), "CLU-S03", e)


def test_clu_s03__approved_extension__quiet_withdrawn__fires(ctx_for, db):
    # given one licence with an approved extension and one whose timely application was withdrawn
    e1, e2 = EnterpriseFactory(), EnterpriseFactory()
    l1, l2 = licence(e1, LicenceType.SAFETY_PROD, EXPIRY), licence(e2, LicenceType.SAFETY_PROD, EXPIRY)
    application(l1, D(2026, 4, 20), ApplicationStatus.APPROVED, decided_on=D(2026, 5, 10), new_valid_to=D(2029, 5, 31))
    application(l2, D(2026, 1, 10), ApplicationStatus.WITHDRAWN, decided_on=D(2026, 1, 20))
    act(e1, ActivityKind.PRODUCTION, D(2026, 6, 1))
    act(e2, ActivityKind.PRODUCTION, D(2026, 6, 1))
    ctx = ctx_for(AFTER)
    # then the approved one is extended, the withdrawn one is not
    assert_quiet(ctx, "CLU-S03", e1)
    assert_fires(ctx, "CLU-S03", e2, f"licence:{l2.pk}")


def test_clu_s03__approved_extension_that_has_itself_run_out__fires(ctx_for, db):
    # given an extension approved until 2026-03-31, the licence row still showing 2025-12-31,
    e = EnterpriseFactory()
    lic = licence(e, LicenceType.SAFETY_PROD, D(2025, 12, 31))
    application(lic, D(2025, 9, 1), ApplicationStatus.APPROVED, decided_on=D(2025, 9, 20), new_valid_to=D(2026, 3, 31))
    # and production in June 2026, after the extended validity too
    act(e, ActivityKind.PRODUCTION, D(2026, 6, 1))
    # then the enterprise produced without a valid licence: a clue is expected
    assert_fires(ctx_for(AFTER), "CLU-S03", e, f"licence:{lic.pk}")


def test_clu_s03__renewed_licence_in_force__quiet(ctx_for, s03_expired):
    # given a new licence of the same type in force since 2026-06-01
    e, lic = s03_expired
    licence(e, LicenceType.SAFETY_PROD, D(2029, 5, 31), valid_from=D(2026, 6, 1))
    # then the old one was renewed: no clue for either
    assert_quiet(ctx_for(AFTER), "CLU-S03", e)


def test_clu_s03__renewed_licence_that_later_expired_blames_only_the_renewal(ctx_for, db):
    # given a licence to 2025-05-31 renewed without a gap from 2025-06-01 to 2026-05-31,
    e = EnterpriseFactory()
    licence(e, LicenceType.SAFETY_PROD, D(2025, 5, 31), valid_from=D(2022, 6, 1))
    renewal = licence(e, LicenceType.SAFETY_PROD, EXPIRY, valid_from=D(2025, 6, 1))
    # production while the renewal was in force and again after it expired
    act(e, ActivityKind.PRODUCTION, D(2025, 7, 1), D(2026, 6, 1))
    # then only the renewal is expired-and-used; the old licence was renewed in time
    (hit,) = assert_fires(ctx_for(AFTER), "CLU-S03", e, f"licence:{renewal.pk}")
    assert hit.violation_on == D(2026, 6, 1)


def test_clu_s03__production_in_the_gap_before_a_late_new_licence__fires(ctx_for, s03_expired):
    # given the licence expired on 2026-05-31, production on 2026-06-01, and a new licence only from 2026-06-15
    e, lic = s03_expired
    licence(e, LicenceType.SAFETY_PROD, D(2029, 6, 14), valid_from=D(2026, 6, 15))
    # then production on 1 June had no licence: a clue on the expired licence is expected
    (hit,) = assert_fires(ctx_for(AFTER), "CLU-S03", e, f"licence:{lic.pk}")
    assert hit.facts["activity"]["first"] == "2026-06-01"


def test_clu_s03__renewal_not_yet_in_force__fires(ctx_for, s03_expired):
    # given a new licence that only starts after the detection day
    e, lic = s03_expired
    licence(e, LicenceType.SAFETY_PROD, D(2029, 7, 31), valid_from=D(2026, 8, 1))
    # then production in June was not covered: a clue on the old licence
    assert_fires(ctx_for(AFTER), "CLU-S03", e, f"licence:{lic.pk}")


def test_clu_s03__bad_input_licence_without_expiry__quiet(ctx_for, db):
    # given a safety-production licence with no expiry date (a data-quality finding, not a clue)
    e = EnterpriseFactory()
    licence(e, LicenceType.SAFETY_PROD, None)
    act(e, ActivityKind.PRODUCTION, D(2026, 6, 1))
    assert_quiet(ctx_for(AFTER), "CLU-S03", e)


def test_clu_s03__bad_input_activity_dated_in_the_future_is_not_proof__quiet(ctx_for, db):
    # given an expired licence and a production record dated after the detection day
    e = EnterpriseFactory()
    licence(e, LicenceType.SAFETY_PROD, EXPIRY)
    act(e, ActivityKind.PRODUCTION, AFTER + ONE)
    # then the future record proves nothing: no clue (until that day has come)
    assert_quiet(ctx_for(AFTER), "CLU-S03", e)
    assert_fires(ctx_for(AFTER + ONE), "CLU-S03", e, f"licence:{e.licences.get().pk}")


def test_clu_s03__other_activity_kind_or_licence_type__quiet(ctx_for, db):
    # given an expired safety-production licence followed only by sales, and an expired operation licence with production
    e1, e2 = EnterpriseFactory(), EnterpriseFactory()
    licence(e1, LicenceType.SAFETY_PROD, EXPIRY)
    act(e1, ActivityKind.SALE, D(2026, 6, 1))
    licence(e2, LicenceType.HC_OPERATION, EXPIRY)
    act(e2, ActivityKind.PRODUCTION, D(2026, 6, 1))
    ctx = ctx_for(AFTER)
    # then neither is CLU-S03 (production after an expired safety-production licence)
    assert_quiet(ctx, "CLU-S03", e1)
    assert_quiet(ctx, "CLU-S03", e2)


def test_clu_s06__registration_certificate_expired_with_production__fires(ctx_for, db):
    # given an expired hazardous-chemical registration certificate and production after it
    e = EnterpriseFactory()
    lic = licence(e, LicenceType.HC_REGISTRATION, EXPIRY)
    act(e, ActivityKind.PRODUCTION, D(2026, 6, 15))
    # then CLU-S06
    assert_fires(ctx_for(AFTER), "CLU-S06", e, f"licence:{lic.pk}")
    assert_quiet(ctx_for(AFTER), "CLU-S03", e)


def test_clu_s06__timely_renewal_application_pending__quiet_late__fires(ctx_for, db):
    # given two expired certificates with a review-and-renewal (复核换证) application: one timely, one a day late
    e1, e2 = EnterpriseFactory(), EnterpriseFactory()
    l1, l2 = licence(e1, LicenceType.HC_REGISTRATION, EXPIRY), licence(e2, LicenceType.HC_REGISTRATION, EXPIRY)
    application(l1, CUTOFF, kind=ApplicationKind.RENEWAL)
    application(l2, CUTOFF + ONE, kind=ApplicationKind.RENEWAL)
    act(e1, ActivityKind.PRODUCTION, D(2026, 6, 15))
    act(e2, ActivityKind.PRODUCTION, D(2026, 6, 15))
    ctx = ctx_for(AFTER)
    # then only the late one is a clue
    assert_quiet(ctx, "CLU-S06", e1)
    assert_fires(ctx, "CLU-S06", e2, f"licence:{l2.pk}")


def test_clu_s07__operation_licence_expired_with_sales__fires(ctx_for, db):
    # given an expired operation licence and sales after expiry
    e = EnterpriseFactory()
    lic = licence(e, LicenceType.HC_OPERATION, EXPIRY)
    act(e, ActivityKind.SALE, D(2026, 6, 2), D(2026, 6, 9))
    (hit,) = assert_fires(ctx_for(AFTER), "CLU-S07", e, f"licence:{lic.pk}")
    assert hit.facts["activity"] == {"kind": "SALE", "count": 2, "first": "2026-06-02", "last": "2026-06-09"}


def test_clu_s07__only_production_or_future_sales_after_expiry__quiet(ctx_for, db):
    # given an expired operation licence followed by production (not a sale) and a sale dated in the future
    e = EnterpriseFactory()
    licence(e, LicenceType.HC_OPERATION, EXPIRY)
    act(e, ActivityKind.PRODUCTION, D(2026, 6, 2))
    act(e, ActivityKind.SALE, D(2026, 7, 1))
    # then nothing proves operation after expiry on 2026-06-20
    assert_quiet(ctx_for(AFTER), "CLU-S07", e)


@pytest.mark.parametrize(("ratio", "fires"), [(Decimal("1.000"), True), (Decimal("2.500"), True), (Decimal("0.999"), False), (None, False)])
def test_clu_s10__expired_use_licence_and_use__fires_only_at_or_above_quantity_standard(ctx_for, db, ratio, fires):
    # given an expired safe-use licence, use after expiry and the unit's use / quantity-standard ratio
    e = EnterpriseFactory(hc_use_ratio=ratio)
    lic = licence(e, LicenceType.HC_USE, EXPIRY)
    act(e, ActivityKind.USE, D(2026, 6, 3))
    ctx = ctx_for(AFTER)
    # then a clue only when the quantity standard is reached (ratio >= 1)
    if fires:
        (hit,) = assert_fires(ctx, "CLU-S10", e, f"licence:{lic.pk}")
        assert Decimal(hit.facts["use_ratio"]) == ratio
    else:
        assert_quiet(ctx, "CLU-S10", e)


def test_clu_s10__timely_extension_pending__quiet(ctx_for, db):
    # given a unit above the quantity standard with a timely pending extension
    e = EnterpriseFactory(hc_use_ratio=Decimal("3"))
    lic = licence(e, LicenceType.HC_USE, EXPIRY)
    application(lic, D(2026, 1, 5))
    act(e, ActivityKind.USE, D(2026, 6, 3))
    assert_quiet(ctx_for(AFTER), "CLU-S10", e)


# =================================================================================================
# Registration changed during validity, licence not changed, still operating: CLU-S04 / S08 / S11
# =================================================================================================

CHANGE_DAY = D(2026, 9, 21)  # Mon; 10 working days later is Mon 12 Oct (25–27 Sep and 1–7 Oct off, Sat 10 Oct worked)


def _changed_producer(field: str = "principal", new_value: str = "李新任", changed_on: date = CHANGE_DAY, licence_type=LicenceType.SAFETY_PROD,
                      activity=ActivityKind.PRODUCTION, activity_on: date = CHANGE_ACTIVITY_ON):
    e = EnterpriseFactory()
    lic = licence(e, licence_type, D(2027, 12, 31), valid_from=D(2025, 1, 1))
    ch = change(e, field, new_value, changed_on)
    act(e, activity, activity_on)
    return e, lic, ch


def test_clu_s04__change_deadline_over_national_day_day_of_vs_day_after(ctx_for, db):
    # given a principal change on Mon 2026-09-21, the licence still naming the old principal, production afterwards
    e, lic, ch = _changed_producer(activity_on=D(2026, 9, 22))
    # and the 10-working-day change period computed with the official calendar
    due = due_wd(CHANGE_DAY, 10)
    assert due == D(2026, 10, 12)
    assert get_calendar().day_status(due - ONE).kind == "周末" and get_calendar().day_status(due - 2 * ONE).kind == "调休上班"
    # when detection runs on the deadline itself, then no clue
    assert_quiet(ctx_for(due), "CLU-S04", e)
    # when it runs the day after, then a clue with the change and its deadline
    (hit,) = assert_fires(ctx_for(due + ONE), "CLU-S04", e, f"licence:{lic.pk}")
    (fact,) = hit.facts["changes"]
    assert fact["field"] == "principal" and fact["new_value"] == "李新任" and fact["change_due"] == due.isoformat()
    assert fact["recorded_on_licence"] == lic.recorded_principal
    assert hit.violation_on == due + ONE


def test_clu_s04__deadline_ending_just_before_a_holiday_counts_the_holiday_as_rest(ctx_for, db):
    # given a change on Thu 2026-09-17: counting Mon–Fri only the 10th day would be Thu 1 Oct (a holiday);
    # with the calendar (Sun 20 Sep worked; 25–27 Sep, 1–7 Oct off) it is Thu 8 Oct
    e, lic, _ = _changed_producer(changed_on=D(2026, 9, 17), activity_on=D(2026, 9, 18))
    due = due_wd(D(2026, 9, 17), 10)
    assert due == D(2026, 10, 8)
    # when detection runs in the holiday block and on the deadline, then no clue
    assert_quiet(ctx_for(D(2026, 10, 2)), "CLU-S04", e)
    assert_quiet(ctx_for(due), "CLU-S04", e)
    # and the day after the deadline, a clue
    assert_fires(ctx_for(due + ONE), "CLU-S04", e, f"licence:{lic.pk}")


@pytest.mark.parametrize("field", ["principal", "name", "reg_address", "affiliation"])
def test_clu_s04__each_registration_field__fires(ctx_for, db, field):
    # given a change of any of the four fields CLU-S04 lists
    e, lic, _ = _changed_producer(field=field, new_value="TOWN" if field == "affiliation" else "新值")
    # then a clue once the period has run out
    assert_fires(ctx_for(D(2026, 10, 30)), "CLU-S04", e, f"licence:{lic.pk}")


def test_clu_s04__licence_already_records_the_new_value__quiet(ctx_for, db):
    # given a change the licence already carries
    e = EnterpriseFactory()
    licence(e, LicenceType.SAFETY_PROD, D(2027, 12, 31), valid_from=D(2025, 1, 1), recorded_principal="李新任")
    change(e, "principal", "李新任", CHANGE_DAY)
    act(e, ActivityKind.PRODUCTION, D(2026, 10, 20))
    assert_quiet(ctx_for(D(2026, 10, 30)), "CLU-S04", e)


def test_clu_s04__pending_change_application_after_the_change__quiet_before__fires(ctx_for, db):
    # given a pending change application for the field, submitted after the change (quiet) or before it (a clue)
    e1, l1, _ = _changed_producer()
    e2, l2, _ = _changed_producer()
    application(l1, CHANGE_DAY + 5 * ONE, kind=ApplicationKind.CHANGE, change_field="principal")
    application(l2, CHANGE_DAY - ONE, kind=ApplicationKind.CHANGE, change_field="principal")
    # and one for another field only
    e3, l3, _ = _changed_producer()
    application(l3, CHANGE_DAY + ONE, kind=ApplicationKind.CHANGE, change_field="name")
    ctx = ctx_for(D(2026, 10, 30))
    assert_quiet(ctx, "CLU-S04", e1)
    assert_fires(ctx, "CLU-S04", e2, f"licence:{l2.pk}")
    assert_fires(ctx, "CLU-S04", e3, f"licence:{l3.pk}")


def test_clu_s04__change_application_dated_after_the_detection_day_does_not_hide_an_overdue_change(ctx_for, db):
    # given an overdue principal change (deadline 2026-10-12) and a change application only on 2026-11-16
    e, lic, _ = _changed_producer()
    application(lic, D(2026, 11, 16), kind=ApplicationKind.CHANGE, change_field="principal")
    # then as of 2026-10-30 nothing had been applied for: a clue
    assert_fires(ctx_for(D(2026, 10, 30)), "CLU-S04", e, f"licence:{lic.pk}")


def test_clu_s04__no_production_after_the_change__quiet(ctx_for, db):
    # given production only on the change day and before it
    e, lic, _ = _changed_producer(activity_on=CHANGE_DAY)
    act(e, ActivityKind.PRODUCTION, CHANGE_DAY - 10 * ONE)
    # then nothing shows it kept producing after the change
    assert_quiet(ctx_for(D(2026, 10, 30)), "CLU-S04", e)


def test_clu_s04__change_outside_the_licence_validity__quiet(ctx_for, db):
    # given a licence issued after the change (it was issued with whatever it records)
    e = EnterpriseFactory()
    licence(e, LicenceType.SAFETY_PROD, D(2029, 12, 31), valid_from=D(2026, 10, 1))
    change(e, "principal", "李新任", CHANGE_DAY)
    act(e, ActivityKind.PRODUCTION, D(2026, 10, 20))
    assert_quiet(ctx_for(D(2026, 10, 30)), "CLU-S04", e)


def test_clu_s04__change_carried_into_the_renewed_licence__quiet(ctx_for, db):
    # given a principal change on 2026-05-25, six days before the licence expired on 2026-05-31,
    e = EnterpriseFactory()
    licence(e, LicenceType.SAFETY_PROD, EXPIRY, valid_from=D(2023, 6, 1))
    change(e, "principal", "李新任", D(2026, 5, 25))
    # and the renewal from 2026-06-01 already naming the new principal (within the 10-working-day period)
    licence(e, LicenceType.SAFETY_PROD, D(2029, 5, 31), valid_from=D(2026, 6, 1), recorded_principal="李新任")
    assert due_wd(D(2026, 5, 25), 10) > EXPIRY
    act(e, ActivityKind.PRODUCTION, D(2026, 7, 1))
    # then the licence in force carries the change in time: no clue
    assert_quiet(ctx_for(D(2026, 7, 10)), "CLU-S04", e)


def test_clu_s04__only_the_latest_change_of_a_field_counts(ctx_for, db):
    # given the principal changed away from the recorded name and later back to it
    e = EnterpriseFactory()
    lic = licence(e, LicenceType.SAFETY_PROD, D(2027, 12, 31), valid_from=D(2025, 1, 1))
    change(e, "principal", "李新任", D(2026, 3, 2))
    change(e, "principal", lic.recorded_principal, D(2026, 3, 20))
    act(e, ActivityKind.PRODUCTION, D(2026, 6, 1))
    # then the licence names the current principal: no clue
    assert_quiet(ctx_for(D(2026, 10, 30)), "CLU-S04", e)


def test_clu_s04__bad_input_future_dated_change__quiet(ctx_for, db):
    # given a change dated after the detection day (and production after that date too)
    e, lic, _ = _changed_producer(changed_on=D(2026, 12, 1), activity_on=D(2026, 12, 20))
    # then it is not a change yet on 2026-10-30
    assert_quiet(ctx_for(D(2026, 10, 30)), "CLU-S04", e)


def test_clu_s04__future_dated_change_does_not_hide_an_overdue_one(ctx_for, db):
    # given an overdue principal change and a second change of the same field dated after the detection day
    e, lic, _ = _changed_producer()
    change(e, "principal", lic.recorded_principal, D(2026, 12, 1))
    # then the future record is not the latest change on 2026-10-30: the overdue one is still a clue
    assert_fires(ctx_for(D(2026, 10, 30)), "CLU-S04", e, f"licence:{lic.pk}")


def test_clu_s08__operator_affiliation_change_is_not_listed__quiet(ctx_for, db):
    # given an operation-licence holder whose affiliation changed and who keeps selling
    e, lic, _ = _changed_producer(field="affiliation", new_value="TOWN", licence_type=LicenceType.HC_OPERATION, activity=ActivityKind.SALE)
    # then CLU-S08 does not list affiliation: no clue
    assert_quiet(ctx_for(D(2026, 12, 30)), "CLU-S08", e)


def test_clu_s08__operator_name_change_twenty_working_days(ctx_for, db):
    # given a name change on 2026-09-21 by an operation-licence holder, sales afterwards
    e, lic, _ = _changed_producer(field="name", new_value="上海新名称化工有限公司", licence_type=LicenceType.HC_OPERATION,
                                  activity=ActivityKind.SALE, activity_on=D(2026, 9, 30))
    due = due_wd(CHANGE_DAY, 20)
    assert due == D(2026, 10, 26)
    # then the 20-working-day period decides: quiet on the deadline, a clue the day after
    assert_quiet(ctx_for(due), "CLU-S08", e)
    assert_fires(ctx_for(due + ONE), "CLU-S08", e, f"licence:{lic.pk}")
    # and production is not the activity of CLU-S08, nor is the safety-production scenario concerned
    assert_quiet(ctx_for(due + ONE), "CLU-S04", e)


def test_clu_s11__use_licence_address_change_with_use__fires(ctx_for, db):
    # given a safe-use licence holder whose registered address changed and who keeps using
    e, lic, _ = _changed_producer(field="reg_address", new_value="上海市普陀区新址路1号", licence_type=LicenceType.HC_USE,
                                  activity=ActivityKind.USE, activity_on=D(2026, 9, 24))
    due = due_wd(CHANGE_DAY, 10)
    assert_quiet(ctx_for(due), "CLU-S11", e)
    assert_fires(ctx_for(due + ONE), "CLU-S11", e, f"licence:{lic.pk}")


def test_clu_s11__revoked_use_licence__quiet(ctx_for, db):
    # given the same facts on a licence that is no longer valid (revoked)
    e, lic, _ = _changed_producer(field="reg_address", new_value="上海市普陀区新址路1号", licence_type=LicenceType.HC_USE,
                                  activity=ActivityKind.USE)
    lic.status = LicenceStatus.REVOKED
    lic.save()
    assert_quiet(ctx_for(D(2026, 12, 1)), "CLU-S11", e)


# =================================================================================================
# CLU-S01 data reports
# =================================================================================================


def _obligation(e, due_on: date, submitted_on: date | None = None, validation_passed: bool | None = None, period: str = "2026-06"):
    return ReportObligation.objects.create(enterprise=e, kind="SAFETY_STATS", period=period, due_on=due_on, submitted_on=submitted_on,
                                           validation_passed=validation_passed)


def test_clu_s01__missing_after_due_date__fires_on_due_date__quiet(ctx_for, db):
    # given a report due on 2026-06-30 and not submitted
    e = EnterpriseFactory()
    ob = _obligation(e, D(2026, 6, 30))
    # then on the due date it is not yet missing, the day after it is
    assert_quiet(ctx_for(D(2026, 6, 30)), "CLU-S01", e)
    (hit,) = assert_fires(ctx_for(D(2026, 7, 1)), "CLU-S01", e, f"obligation:{ob.pk}")
    assert hit.facts["defect"] == "MISSING" and hit.ongoing


def test_clu_s01__late_submission__fires_on_time__quiet(ctx_for, db):
    # given one report submitted a day late and one on the due date, both complete
    e1, e2 = EnterpriseFactory(), EnterpriseFactory()
    late = _obligation(e1, D(2026, 6, 30), D(2026, 7, 1), True)
    _obligation(e2, D(2026, 6, 30), D(2026, 6, 30), True)
    ctx = ctx_for(D(2026, 7, 10))
    (hit,) = assert_fires(ctx, "CLU-S01", e1, f"obligation:{late.pk}")
    assert hit.facts["defect"] == "LATE" and hit.violation_on == D(2026, 7, 1) and not hit.ongoing
    assert_quiet(ctx, "CLU-S01", e2)


def test_clu_s01__failed_completeness_validation__fires_unknown__quiet(ctx_for, db):
    # given an on-time report that failed validation and one not validated yet
    e1, e2 = EnterpriseFactory(), EnterpriseFactory()
    bad = _obligation(e1, D(2026, 6, 30), D(2026, 6, 20), False)
    _obligation(e2, D(2026, 6, 30), D(2026, 6, 20), None)
    ctx = ctx_for(D(2026, 7, 10))
    (hit,) = assert_fires(ctx, "CLU-S01", e1, f"obligation:{bad.pk}")
    assert hit.facts["defect"] == "INVALID"
    assert_quiet(ctx, "CLU-S01", e2)


def test_clu_s01__bad_input_submission_dated_after_the_detection_day__quiet(ctx_for, db):
    # given a report due 2026-06-30 whose submission is recorded as 2026-07-05, and detection on 2026-06-15
    e = EnterpriseFactory()
    _obligation(e, D(2026, 6, 30), D(2026, 7, 5), True)
    # then on 2026-06-15 nothing is overdue yet: no clue is expected
    assert_quiet(ctx_for(D(2026, 6, 15)), "CLU-S01", e)


def test_clu_s01__overdue_report_submitted_only_after_the_detection_day__fires(ctx_for, db):
    # given a report due 2026-06-30 whose submission is recorded as 2026-07-20, and detection on 2026-07-10
    e = EnterpriseFactory()
    ob = _obligation(e, D(2026, 6, 30), D(2026, 7, 20), True)
    # then on 2026-07-10 it was overdue and not submitted: a clue
    assert_fires(ctx_for(D(2026, 7, 10)), "CLU-S01", e, f"obligation:{ob.pk}")


# =================================================================================================
# CLU-S02 emergency-plan filing
# =================================================================================================


def _plan(e, published_on: date, filed_on: date | None = None, level: str = ""):
    return EmergencyPlanFiling.objects.create(enterprise=e, plan_title="综合应急预案", published_on=published_on, filed_on=filed_on,
                                              authority_level=level)


def test_clu_s02__not_filed_within_twenty_working_days_over_national_day(ctx_for, db):
    # given a filing-obliged unit that published its plan on 2026-09-21 and has not filed it
    e = EnterpriseFactory(plan_filing_obliged=True)
    plan = _plan(e, CHANGE_DAY)
    due = due_wd(CHANGE_DAY, 20)
    assert due == D(2026, 10, 26)
    # then quiet on the deadline, a clue the day after
    assert_quiet(ctx_for(due), "CLU-S02", e)
    (hit,) = assert_fires(ctx_for(due + ONE), "CLU-S02", e, f"plan:{plan.pk}")
    assert hit.facts["defect"] == "NOT_FILED" and hit.facts["filing_due"] == due.isoformat()


def test_clu_s02__filed_with_the_wrong_authority_level__fires_right_level__quiet(ctx_for, db):
    # given two private small hazardous-chemical units (expected level: district)
    e1 = EnterpriseFactory(plan_filing_obliged=True, affiliation="PRIVATE", industry="HAZCHEM", scale="SMALL")
    e2 = EnterpriseFactory(plan_filing_obliged=True, affiliation="PRIVATE", industry="HAZCHEM", scale="SMALL")
    wrong = _plan(e1, D(2026, 3, 2), D(2026, 3, 10), "TOWN")
    _plan(e2, D(2026, 3, 2), D(2026, 3, 10), "DISTRICT")
    ctx = ctx_for(D(2026, 6, 1))
    # then filing with the town is a clue, with the district is not
    (hit,) = assert_fires(ctx, "CLU-S02", e1, f"plan:{wrong.pk}")
    assert hit.facts["defect"] == "WRONG_AUTHORITY" and hit.facts["expected_authority_level"] == "DISTRICT"
    assert_quiet(ctx, "CLU-S02", e2)


def test_clu_s02__city_affiliated_unit_filed_with_district__fires(ctx_for, db):
    # given a city-affiliated unit (expected level: city) that filed with the district
    e = EnterpriseFactory(plan_filing_obliged=True, affiliation="CITY", industry="TRADE", scale="MICRO")
    plan = _plan(e, D(2026, 3, 2), D(2026, 3, 10), "DISTRICT")
    assert_fires(ctx_for(D(2026, 6, 1)), "CLU-S02", e, f"plan:{plan.pk}")


def test_clu_s02__not_obliged_or_published_in_the_future__quiet(ctx_for, db):
    # given a unit without filing obligation and an obliged unit whose plan is dated after the detection day
    e1 = EnterpriseFactory(plan_filing_obliged=False)
    _plan(e1, D(2025, 1, 2))
    e2 = EnterpriseFactory(plan_filing_obliged=True)
    _plan(e2, D(2026, 7, 1))
    ctx = ctx_for(D(2026, 6, 1))
    assert_quiet(ctx, "CLU-S02", e1)
    assert_quiet(ctx, "CLU-S02", e2)


def test_clu_s02__filing_dated_after_the_detection_day_does_not_hide_an_overdue_plan(ctx_for, db):
    # given a plan published 2026-03-02 (due 20 working days later) and filed only on 2026-07-01
    e = EnterpriseFactory(plan_filing_obliged=True, affiliation="PRIVATE", industry="HAZCHEM", scale="SMALL")
    plan = _plan(e, D(2026, 3, 2), D(2026, 7, 1), "DISTRICT")
    # then as of 2026-06-01 it was overdue and unfiled: a clue
    assert_fires(ctx_for(D(2026, 6, 1)), "CLU-S02", e, f"plan:{plan.pk}")


# =================================================================================================
# CLU-S12 major hazard sources
# =================================================================================================


def _mhs(e, **kwargs):
    values = {"code": f"MHS-{e.pk}-{MajorHazardSource.objects.count()}", "name": "储罐区", "grade": 3, "identified_on": D(2026, 8, 1)}
    values.update(kwargs)
    return MajorHazardSource.objects.create(enterprise=e, **values)


def test_clu_s12__not_filed_fifteen_days_rolled_over_national_day(ctx_for, db):
    # given an assessment report on 2026-09-16: 15 calendar days end on 1 Oct (a holiday) and roll to Thu 8 Oct
    e = EnterpriseFactory()
    m = _mhs(e, assessment_report_on=D(2026, 9, 16))
    due = get_calendar().add_calendar_days_rolled(D(2026, 9, 16), 15).due_date
    assert due == D(2026, 10, 8)
    # then no clue during the holiday or on the rolled deadline, a clue the day after
    assert_quiet(ctx_for(D(2026, 10, 2)), "CLU-S12", e)
    assert_quiet(ctx_for(due), "CLU-S12", e)
    (hit,) = assert_fires(ctx_for(due + ONE), "CLU-S12", e, f"mhs:{m.pk}")
    assert hit.facts["defects"] == ["NOT_FILED"] and hit.violation_on == due + ONE


def test_clu_s12__not_filed_fifteen_days_ending_on_a_working_day(ctx_for, db):
    # given an assessment report on 2026-09-15: 15 days end on Wed 30 Sep, a working day, not rolled
    e = EnterpriseFactory()
    m = _mhs(e, assessment_report_on=D(2026, 9, 15))
    assert_quiet(ctx_for(D(2026, 9, 30)), "CLU-S12", e)
    assert_fires(ctx_for(D(2026, 10, 1)), "CLU-S12", e, f"mhs:{m.pk}")


def test_clu_s12__filed__quiet(ctx_for, db):
    e = EnterpriseFactory()
    _mhs(e, assessment_report_on=D(2026, 9, 15), filed_on=D(2026, 9, 28))
    assert_quiet(ctx_for(D(2026, 12, 1)), "CLU-S12", e)


def test_clu_s12__no_longer_major_without_cancellation__fires_with__quiet(ctx_for, db):
    # given two filed sources that stopped being major on 2026-05-01, one with a cancellation application
    e1, e2 = EnterpriseFactory(), EnterpriseFactory()
    m1 = _mhs(e1, assessment_report_on=D(2024, 1, 5), filed_on=D(2024, 1, 10), no_longer_major_since=D(2026, 5, 1))
    _mhs(e2, assessment_report_on=D(2024, 1, 5), filed_on=D(2024, 1, 10), no_longer_major_since=D(2026, 5, 1),
         cancellation_applied_on=D(2026, 5, 8))
    ctx = ctx_for(D(2026, 6, 1))
    (hit,) = assert_fires(ctx, "CLU-S12", e1, f"mhs:{m1.pk}")
    assert hit.facts["defects"] == ["NOT_CANCELLED"]
    assert_quiet(ctx, "CLU-S12", e2)


def test_clu_s12__reassessed_and_not_refiled__fires_refiled__quiet(ctx_for, db):
    # given two filed sources reassessed on 2026-03-02, one refiled
    e1, e2 = EnterpriseFactory(), EnterpriseFactory()
    m1 = _mhs(e1, assessment_report_on=D(2024, 1, 5), filed_on=D(2024, 1, 10), reassessed_on=D(2026, 3, 2))
    _mhs(e2, assessment_report_on=D(2024, 1, 5), filed_on=D(2024, 1, 10), reassessed_on=D(2026, 3, 2), refiled_on=D(2026, 3, 12))
    # then within the 15-day period no clue; after it, the one not refiled
    assert_quiet(ctx_for(D(2026, 3, 17)), "CLU-S12", e1)
    ctx = ctx_for(D(2026, 3, 18))
    (hit,) = assert_fires(ctx, "CLU-S12", e1, f"mhs:{m1.pk}")
    assert hit.facts["defects"] == ["NOT_REFILED"]
    assert_quiet(ctx, "CLU-S12", e2)


def test_clu_s12__filing_dated_after_the_detection_day_does_not_hide_an_overdue_source(ctx_for, db):
    # given an assessment report on 2026-03-02 (15 days) and the filing only on 2026-07-01
    e = EnterpriseFactory()
    m = _mhs(e, assessment_report_on=D(2026, 3, 2), filed_on=D(2026, 7, 1))
    # then as of 2026-06-01 the source was overdue and unfiled: a clue
    assert_fires(ctx_for(D(2026, 6, 1)), "CLU-S12", e, f"mhs:{m.pk}")


def test_clu_s12__bad_input_no_assessment_date__quiet(ctx_for, db):
    # given an unfiled source without an assessment report date (a data-quality finding, not a clue)
    e = EnterpriseFactory()
    _mhs(e, assessment_report_on=None)
    assert_quiet(ctx_for(D(2026, 12, 1)), "CLU-S12", e)


# =================================================================================================
# CLU-S13 precursor annual reports (due 31 March; tolerance 1 kg in CN-SH)
# =================================================================================================


def _report(e, year: int, submitted_on: date | None, *, opening="100", produced="500", purchased="0", sold="450", used="0", closing="150"):
    return PrecursorAnnualReport.objects.create(enterprise=e, year=year, submitted_on=submitted_on, opening_kg=Decimal(opening),
                                                produced_kg=Decimal(produced), purchased_kg=Decimal(purchased), sold_kg=Decimal(sold),
                                                used_kg=Decimal(used), closing_kg=Decimal(closing))


def _precursor_unit():
    e = EnterpriseFactory(precursor_role="PRODUCER")
    _report(e, 2024, D(2025, 3, 20))  # the previous year reported on time and balanced
    return e


def test_clu_s13__no_report_after_31_march__fires_on_31_march__quiet(ctx_for, db):
    # given a precursor producer without a 2025 report
    e = _precursor_unit()
    # then on 31 March 2026 the 2025 report is not yet due; on 1 April it is missing
    assert_quiet(ctx_for(D(2026, 3, 31)), "CLU-S13", e)
    (hit,) = assert_fires(ctx_for(D(2026, 4, 1)), "CLU-S13", e, f"precursor:{e.pk}:2025")
    assert hit.facts["defects"] == ["MISSING"] and hit.facts["due_on"] == "2026-03-31"


def test_clu_s13__submitted_on_the_deadline__quiet_one_day_late__fires(ctx_for, db):
    # given two producers reporting 2025 on 31 March and on 1 April 2026
    e1, e2 = _precursor_unit(), _precursor_unit()
    _report(e1, 2025, D(2026, 3, 31))
    _report(e2, 2025, D(2026, 4, 1))
    ctx = ctx_for(D(2026, 4, 10))
    assert_quiet(ctx, "CLU-S13", e1)
    (hit,) = assert_fires(ctx, "CLU-S13", e2, f"precursor:{e2.pk}:2025")
    assert hit.facts["defects"] == ["LATE"] and hit.violation_on == D(2026, 4, 1) and not hit.ongoing


def test_clu_s13__imbalance_at_tolerance__quiet_above__fires(ctx_for, db):
    # given 100 + 500 − 450 − closing: closing 149 leaves exactly 1 kg (the tolerance), 148.999 leaves 1.001 kg
    e1, e2 = _precursor_unit(), _precursor_unit()
    _report(e1, 2025, D(2026, 3, 20), closing="149")
    _report(e2, 2025, D(2026, 3, 20), closing="148.999")
    ctx = ctx_for(D(2026, 4, 10))
    assert_quiet(ctx, "CLU-S13", e1)
    (hit,) = assert_fires(ctx, "CLU-S13", e2, f"precursor:{e2.pk}:2025")
    assert hit.facts["defects"] == ["IMBALANCE"] and Decimal(hit.facts["reports"][0]["imbalance"]) == Decimal("1.001")


def test_clu_s13__fractional_imbalance_exactly_at_tolerance__quiet(ctx_for, db):
    # given opening 0.1 + produced 1.1 − closing 0.2: exactly 1.000 kg, the tolerance
    e = _precursor_unit()
    _report(e, 2025, D(2026, 3, 20), opening="0.1", produced="1.1", sold="0", closing="0.2")
    # then neither path reports it
    assert_quiet(ctx_for(D(2026, 4, 10)), "CLU-S13", e)


def test_clu_s13__late_previous_year_report_still_counts(ctx_for, db):
    # given the 2024 report submitted late (2025-04-02) and 2025 on time
    e = EnterpriseFactory(precursor_role="OPERATOR")
    _report(e, 2024, D(2025, 4, 2))
    _report(e, 2025, D(2026, 3, 2))
    # then on 2026-04-10 the 2024 report (previous year) is a clue, 2025 is not
    assert_fires(ctx_for(D(2026, 4, 10)), "CLU-S13", e, f"precursor:{e.pk}:2024")


def test_clu_s13__not_a_precursor_unit__quiet(ctx_for, db):
    # given a unit without precursor role and no report
    e = EnterpriseFactory(precursor_role="NONE")
    assert_quiet(ctx_for(D(2026, 4, 10)), "CLU-S13", e)


# =================================================================================================
# CLU-S05 hazardous-chemical registration (15 working days for a change application)
# =================================================================================================


def test_clu_s05__catalogued_chemical_produced_or_imported_without_registration__fires(ctx_for, db):
    # given a produced and an imported catalogued chemical without registration number
    e1, e2 = EnterpriseFactory(), EnterpriseFactory()
    p1 = ChemicalProductFactory(enterprise=e1, registration_number="")
    p2 = ChemicalProductFactory(enterprise=e2, registration_number="", role="IMPORTED")
    ctx = ctx_for(D(2026, 6, 1))
    (hit,) = assert_fires(ctx, "CLU-S05", e1, f"product:{p1.pk}")
    assert hit.facts["defects"] == ["NOT_REGISTERED"]
    assert_fires(ctx, "CLU-S05", e2, f"product:{p2.pk}")


def test_clu_s05__registered_or_not_catalogued__quiet(ctx_for, db):
    # given a registered catalogued chemical and an unregistered chemical outside the catalogue
    e = EnterpriseFactory()
    ChemicalProductFactory(enterprise=e)
    ChemicalProductFactory(enterprise=e, registration_number="", in_catalogue=False)
    assert_quiet(ctx_for(D(2026, 6, 1)), "CLU-S05", e)


def test_clu_s05__change_not_applied_within_fifteen_working_days(ctx_for, db):
    # given a new hazard property found on 2026-09-21 and no change application
    e = EnterpriseFactory()
    p = ChemicalProductFactory(enterprise=e, properties_changed_on=CHANGE_DAY)
    due = due_wd(CHANGE_DAY, 15)
    assert due == D(2026, 10, 19)
    # then quiet on the deadline, a clue the day after
    assert_quiet(ctx_for(due), "CLU-S05", e)
    (hit,) = assert_fires(ctx_for(due + ONE), "CLU-S05", e, f"product:{p.pk}")
    assert hit.facts["defects"] == ["CHANGE_NOT_APPLIED"] and hit.facts["change_due"] == due.isoformat()


def test_clu_s05__change_applied_exactly_on_the_deadline__quiet_one_day_later__fires(ctx_for, db):
    # given change applications on the 15th working day and on the day after
    due = due_wd(CHANGE_DAY, 15)
    e1, e2 = EnterpriseFactory(), EnterpriseFactory()
    p1 = ChemicalProductFactory(enterprise=e1, properties_changed_on=CHANGE_DAY, change_applied_on=due)
    p2 = ChemicalProductFactory(enterprise=e2, properties_changed_on=CHANGE_DAY, change_applied_on=due + ONE)
    ctx = ctx_for(D(2026, 11, 30))
    # then the pure condition clears the timely one; the SQL (a documented superset: it cannot count
    # working days between two stored dates) still selects it, and the engine drops it
    sql = assert_quiet(ctx, "CLU-S05", e1)
    assert sql == {f"product:{p1.pk}"}
    (hit,) = assert_fires(ctx, "CLU-S05", e2, f"product:{p2.pk}")
    assert hit.facts["defects"] == ["CHANGE_APPLIED_LATE"] and hit.violation_on == due + ONE and not hit.ongoing


def test_clu_s05__bad_input_application_dated_after_the_detection_day__quiet(ctx_for, db):
    # given a change on 2026-09-21 (deadline 19 Oct), an application recorded as 2026-11-02, detection on 2026-10-09
    e = EnterpriseFactory()
    ChemicalProductFactory(enterprise=e, properties_changed_on=CHANGE_DAY, change_applied_on=D(2026, 11, 2))
    # then on 2026-10-09 the period is still running: no clue from either path
    sql = assert_quiet(ctx_for(D(2026, 10, 9)), "CLU-S05", e)
    assert sql == set()


# =================================================================================================
# CLU-S09 storage
# =================================================================================================

TOLUENE, ETHANOL, NITRATE, PHENOL = ("108-88-3", "3"), ("64-17-5", "3"), ("7631-99-4", "5.1"), ("108-95-2", "6.1")


def _store(allowed=("3", "6.1"), max_t="50", permitted=(TOLUENE[0], ETHANOL[0], NITRATE[0], PHENOL[0])):
    e = EnterpriseFactory()
    zone = StorageZoneFactory(enterprise=e, allowed=list(allowed), max_quantity_t=Decimal(max_t))
    for cas in permitted:
        PermittedChemicalFactory(enterprise=e, cas_number=cas, name=cas)
    return e, zone


def _item(zone, chem, qty: str, day: date = STOCK_DAY):
    return StorageItemFactory(zone=zone, cas_number=chem[0], hazard_class=chem[1], chemical_name=chem[0], quantity_t=Decimal(qty), recorded_on=day)


def _s09_defects(ctx, e, zone) -> list[str]:
    (hit,) = assert_fires(ctx, "CLU-S09", e, f"zone:{zone.pk}")
    return hit.facts["defects"]


def test_clu_s09__exactly_the_maximum_quantity__quiet_above__fires(ctx_for, db):
    # given two zones of 50 t: one holding 20 + 30 t, one 20 + 30.001 t
    e1, z1 = _store()
    _item(z1, TOLUENE, "20")
    _item(z1, ETHANOL, "30")
    e2, z2 = _store()
    _item(z2, TOLUENE, "20")
    _item(z2, ETHANOL, "30.001")
    ctx = ctx_for(D(2026, 6, 10))
    assert_quiet(ctx, "CLU-S09", e1)
    assert _s09_defects(ctx, e2, z2) == ["OVER_QUANTITY"]


def test_clu_s09__fractional_quantities_exactly_at_the_maximum__quiet(ctx_for, db):
    # given a 0.3 t zone holding 0.1 t and 0.2 t (on SQLite a REAL sum gives 0.30000000000000004)
    e, zone = _store(max_t="0.3")
    _item(zone, TOLUENE, "0.1")
    _item(zone, ETHANOL, "0.2")
    # and a 3.3 t zone holding 1.1 t and 2.2 t
    e2, zone2 = _store(max_t="3.3")
    _item(zone2, TOLUENE, "1.1")
    _item(zone2, ETHANOL, "2.2")
    ctx = ctx_for(D(2026, 6, 10))
    # then each is full, not over: no clue from either path
    assert_quiet(ctx, "CLU-S09", e)
    assert_quiet(ctx, "CLU-S09", e2)
    # while 0.001 t more is over quantity on both paths
    _item(zone2, ETHANOL, "0.001")
    assert _s09_defects(ctx, e2, zone2) == ["OVER_QUANTITY"]


def test_clu_s09__compatible_mix__quiet_incompatible_mix__fires(ctx_for, db):
    # given a zone allowed 3, 5.1 and 6.1 holding flammable liquid + toxic (compatible) and one with an oxidiser (禁配)
    e1, z1 = _store(allowed=("3", "5.1", "6.1"))
    _item(z1, TOLUENE, "5")
    _item(z1, PHENOL, "5")
    e2, z2 = _store(allowed=("3", "5.1", "6.1"))
    _item(z2, TOLUENE, "5")
    _item(z2, NITRATE, "5")
    ctx = ctx_for(D(2026, 6, 10))
    assert_quiet(ctx, "CLU-S09", e1)
    assert _s09_defects(ctx, e2, z2) == ["INCOMPATIBLE_MIX"]


def test_clu_s09__class_not_allowed_in_zone__fires(ctx_for, db):
    # given an oxidiser alone in a zone for classes 3 and 6.1
    e, zone = _store()
    _item(zone, NITRATE, "1")
    assert _s09_defects(ctx_for(D(2026, 6, 10)), e, zone) == ["CLASS_NOT_ALLOWED"]


def test_clu_s09__chemical_outside_permitted_varieties__fires(ctx_for, db):
    # given toluene stored by a unit permitted only ethanol
    e, zone = _store(permitted=(ETHANOL[0],))
    _item(zone, ETHANOL, "1")
    _item(zone, TOLUENE, "1")
    assert _s09_defects(ctx_for(D(2026, 6, 10)), e, zone) == ["NOT_PERMITTED_VARIETY"]


def test_clu_s09__only_the_latest_snapshot_counts(ctx_for, db):
    # given an old over-full, incompatible stock-taking and a clean latest one
    e1, z1 = _store(allowed=("3", "5.1"))
    _item(z1, TOLUENE, "45", D(2026, 5, 1))
    _item(z1, NITRATE, "10", D(2026, 5, 1))
    _item(z1, TOLUENE, "12", D(2026, 6, 1))
    # and a clean old stock-taking with a defective latest one
    e2, z2 = _store()
    _item(z2, TOLUENE, "12", D(2026, 5, 1))
    _item(z2, TOLUENE, "51", D(2026, 6, 1))
    ctx = ctx_for(D(2026, 6, 10))
    assert_quiet(ctx, "CLU-S09", e1)
    assert _s09_defects(ctx, e2, z2) == ["OVER_QUANTITY"]


def test_clu_s09__bad_input_stock_dated_after_the_detection_day_is_ignored(ctx_for, db):
    # given a clean snapshot and an over-full one dated after the detection day
    e, zone = _store()
    _item(zone, TOLUENE, "12", D(2026, 6, 1))
    _item(zone, TOLUENE, "80", D(2026, 7, 1))
    # then on 2026-06-10 the current stock is the clean one; from 2026-07-01 the over-full one counts
    assert_quiet(ctx_for(D(2026, 6, 10)), "CLU-S09", e)
    assert _s09_defects(ctx_for(D(2026, 7, 1)), e, zone) == ["OVER_QUANTITY"]


def test_clu_s09__empty_zone__quiet(ctx_for, db):
    e, _ = _store()
    assert_quiet(ctx_for(D(2026, 6, 10)), "CLU-S09", e)


# =================================================================================================
# All thirteen together: each selects exactly its planted enterprise, within the partition
# =================================================================================================

PLANT_AS_OF = D(2026, 10, 30)


def _plant_all(organisation) -> dict[str, object]:
    """One enterprise per scenario in `organisation`, each violating exactly that scenario on PLANT_AS_OF."""
    def make(**kwargs):
        return EnterpriseFactory(organisation=organisation, **kwargs)

    planted = {}
    for code, licence_type, kind in (("CLU-S03", LicenceType.SAFETY_PROD, ActivityKind.PRODUCTION),
                                     ("CLU-S06", LicenceType.HC_REGISTRATION, ActivityKind.PRODUCTION),
                                     ("CLU-S07", LicenceType.HC_OPERATION, ActivityKind.SALE),
                                     ("CLU-S10", LicenceType.HC_USE, ActivityKind.USE)):
        e = planted[code] = make(hc_use_ratio=Decimal("2"))
        licence(e, licence_type, D(2026, 8, 31))
        act(e, kind, D(2026, 9, 1))
    for code, licence_type, kind in (("CLU-S04", LicenceType.SAFETY_PROD, ActivityKind.PRODUCTION),
                                     ("CLU-S08", LicenceType.HC_OPERATION, ActivityKind.SALE),
                                     ("CLU-S11", LicenceType.HC_USE, ActivityKind.USE)):
        e = planted[code] = make()
        licence(e, licence_type, D(2027, 12, 31), valid_from=D(2025, 1, 1))
        change(e, "principal", "李新任", D(2026, 8, 3))
        act(e, kind, D(2026, 10, 1))
    planted["CLU-S01"] = make()
    _obligation(planted["CLU-S01"], D(2026, 9, 30))
    planted["CLU-S02"] = make(plan_filing_obliged=True)
    _plan(planted["CLU-S02"], D(2026, 8, 3))
    planted["CLU-S05"] = make()
    ChemicalProductFactory(enterprise=planted["CLU-S05"], registration_number="")
    planted["CLU-S09"], zone = _store()
    planted["CLU-S09"].organisation = organisation
    planted["CLU-S09"].save()
    _item(zone, TOLUENE, "60", D(2026, 10, 1))
    planted["CLU-S12"] = make()
    _mhs(planted["CLU-S12"], assessment_report_on=D(2026, 8, 3))
    planted["CLU-S13"] = make(precursor_role="PRODUCER_OPERATOR")
    return planted


def test_clu_04__each_pilot_scenario_selects_exactly_its_planted_enterprise(ctx_for, db):
    # given thirteen enterprises, each planted with one scenario's violation
    org = EnterpriseFactory().organisation
    planted = _plant_all(org)
    ids = {e.pk for e in planted.values()}
    ctx = ctx_for(PLANT_AS_OF)
    records = load_records(ids)
    assert len(Scenario.objects.filter(version=1)) == 13
    for scenario in Scenario.objects.filter(version=1):
        evaluator = get_evaluator(scenario.evaluator)
        # when each scenario runs on both paths
        sql = {e for e, _ in evaluator.candidates(ctx, scenario.params) if e in ids}
        pure = {h.enterprise_id for r in records.values() for h in evaluator.evaluate(r, ctx, scenario.params)}
        # then it selects its own planted enterprise and no other
        assert sql == pure == {planted[scenario.code].pk}, scenario.code


def test_jur_01__candidates_stay_within_the_partition_organisations(ctx_for, db):
    # given the thirteen planted enterprises in one organisation and nothing in another
    org, other = EnterpriseFactory().organisation, EnterpriseFactory().organisation
    planted = _plant_all(org)
    for scenario in Scenario.objects.filter(version=1):
        evaluator = get_evaluator(scenario.evaluator)
        # when the SQL runs for the partition of the other organisation, then it finds nothing
        outside = ctx_for(PLANT_AS_OF, organisation_ids=(other.pk,))
        assert list(evaluator.candidates(outside, scenario.params)) == [], scenario.code
        # and for the partition holding them, exactly the planted enterprise
        inside = ctx_for(PLANT_AS_OF, organisation_ids=(org.pk,))
        assert {e for e, _ in evaluator.candidates(inside, scenario.params)} == {planted[scenario.code].pk}, scenario.code
