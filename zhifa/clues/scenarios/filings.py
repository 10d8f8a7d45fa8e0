"""Reporting and filing scenarios: data reports (CLU-S01), emergency-plan filing (CLU-S02), major
hazard sources (CLU-S12) and precursor annual reports (CLU-S13). RULES §3.2."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, DecimalField, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Abs, Round

from zhifa.subjects.choices import PrecursorRole
from zhifa.subjects.models import EmergencyPlanFiling, Enterprise, MajorHazardSource, PrecursorAnnualReport, ReportObligation

from ..records import EnterpriseRecord, PrecursorReportRec
from ..rules import AUTHORITY_TABLE, expected_authority_level, iso
from .base import Context, Evaluator, Hit, done_by, iter_pairs, not_done_by, register


@register
class ReportOverdue(Evaluator):
    """CLU-S01: `(ob.submitted_at is None and today() > ob.due_at) or ob.submitted_at > ob.due_at
    or not ob.validation_passed` — one clue per reporting obligation."""

    name = "report_overdue"

    def _defect_q(self, ctx: Context) -> Q:
        submitted = done_by("submitted_on", ctx.as_of)
        return (Q(due_on__lt=ctx.as_of) & not_done_by("submitted_on", ctx.as_of) | Q(submitted_on__gt=F("due_on")) & submitted
                | Q(validation_passed=False) & submitted)

    def candidates(self, ctx: Context, params: Mapping[str, Any]):
        qs = ctx.scope(ReportObligation.objects.filter(self._defect_q(ctx)))
        return iter_pairs(qs.order_by().values_list("enterprise_id", "id").iterator(chunk_size=2000), "obligation")

    def bare_scan(self, ctx: Context, params: Mapping[str, Any]) -> int:
        return ctx.scope(ReportObligation.objects.filter(self._defect_q(ctx))).count()

    def check(self, record: EnterpriseRecord, ctx: Context, params: Mapping[str, Any]) -> list[Hit]:
        hits = []
        for ob in record.obligations:
            if ob.submitted_on is None and ctx.as_of > ob.due_on:
                defect, violation_on, ongoing = "MISSING", ob.due_on + timedelta(days=1), True
            elif ob.submitted_on is not None and ob.submitted_on > ob.due_on:
                defect, violation_on, ongoing = "LATE", ob.submitted_on, False
            elif ob.validation_passed is False:
                defect, violation_on, ongoing = "INVALID", ob.submitted_on or ob.due_on, True
            else:
                continue
            label = {"MISSING": "逾期未报送", "LATE": "逾期报送", "INVALID": "未通过完整性校验"}[defect]
            facts = {"obligation": {"id": ob.id, "kind": ob.kind, "period": ob.period, "due_on": iso(ob.due_on),
                                    "submitted_on": iso(ob.submitted_on), "validation_passed": ob.validation_passed}, "defect": defect}
            hits.append(Hit(f"obligation:{ob.id}", record.id, f"{record.name}：{ob.period} 安全生产数据{label}", facts, violation_on, ongoing))
        return hits


def expected_level_expression(prefix: str = "enterprise__") -> Case:
    """AUTHORITY_TABLE as a SQL CASE over the enterprise's affiliation, industry and scale."""
    whens = []
    for row in AUTHORITY_TABLE[:-1]:
        condition = Q(**{f"{prefix}{column}__in": allowed for column, allowed in row.items() if column != "level"})
        whens.append(When(condition, then=Value(row["level"])))
    return Case(*whens, default=Value(AUTHORITY_TABLE[-1]["level"]), output_field=CharField())


@register
class PlanNotFiled(Evaluator):
    """CLU-S02: a filing-obliged unit published a plan and did not file it within
    `plan.filing_wd` working days, or filed it with the wrong authority level (SUB-10)."""

    name = "plan_not_filed"

    def rs_keys(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        return ("plan.filing_wd",)

    def candidates(self, ctx: Context, params: Mapping[str, Any]):
        threshold = ctx.threshold(ctx.param("plan.filing_wd"), "WD")
        qs = ctx.scope(EmergencyPlanFiling.objects.filter(enterprise__plan_filing_obliged=True, published_on__lte=ctx.as_of))
        qs = qs.annotate(expected_level=expected_level_expression()).filter(
            not_done_by("filed_on", ctx.as_of) & Q(published_on__lte=threshold)
            | done_by("filed_on", ctx.as_of) & ~Q(authority_level=F("expected_level"))
        )
        return iter_pairs(qs.order_by().values_list("enterprise_id", "id").iterator(chunk_size=2000), "plan")

    def bare_scan(self, ctx: Context, params: Mapping[str, Any]) -> int:
        return ctx.scope(EmergencyPlanFiling.objects.filter(enterprise__plan_filing_obliged=True, published_on__lte=ctx.as_of)).count()

    def check(self, record: EnterpriseRecord, ctx: Context, params: Mapping[str, Any]) -> list[Hit]:
        if not record.plan_filing_obliged:
            return []
        period = int(ctx.param("plan.filing_wd"))
        expected = expected_authority_level(record.affiliation, record.industry, record.scale)
        hits = []
        for plan in record.plans:
            if plan.published_on > ctx.as_of:
                continue
            due = ctx.calendar.add_working_days(plan.published_on, period).due_date
            if plan.filed_on is None and ctx.as_of > due:
                defect, violation_on, label = "NOT_FILED", due + timedelta(days=1), f"发布后 {period} 个工作日内未备案"
            elif plan.filed_on is not None and plan.authority_level != expected:
                defect, violation_on, label = "WRONG_AUTHORITY", plan.filed_on, "未按隶属关系、行业和规模向规定部门备案"
            else:
                continue
            facts = {"plan": {"id": plan.id, "title": plan.title, "published_on": iso(plan.published_on), "filed_on": iso(plan.filed_on),
                              "authority_level": plan.authority_level},
                     "filing_due": iso(due), "expected_authority_level": expected, "defect": defect,
                     "basis": {"affiliation": record.affiliation, "industry": record.industry, "scale": record.scale}}
            hits.append(Hit(f"plan:{plan.id}", record.id, f"{record.name}：应急预案{label}", facts, violation_on, True))
        return hits


@register
class HazardSourceNotFiled(Evaluator):
    """CLU-S12: identified and assessed but not filed within `mhs.filing_days` (calendar days) of
    the assessment report; no longer major but no cancellation applied; or reassessed and not
    refiled. The refiling uses the same period after the reassessment (docs/clues.md: the RULES
    check gives no period for it; an immediate clue on the day of reassessment would be unfair)."""

    name = "hazard_source_not_filed"

    def rs_keys(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        return ("mhs.filing_days",)

    def candidates(self, ctx: Context, params: Mapping[str, Any]):
        threshold = ctx.threshold(ctx.param("mhs.filing_days"), "CD")
        qs = ctx.scope(MajorHazardSource.objects.filter(
            not_done_by("filed_on", ctx.as_of) & Q(assessment_report_on__lte=threshold)
            | Q(no_longer_major_since__lte=ctx.as_of) & not_done_by("cancellation_applied_on", ctx.as_of)
            | done_by("filed_on", ctx.as_of) & Q(reassessed_on__gt=F("filed_on"), reassessed_on__lte=threshold)
            & (not_done_by("refiled_on", ctx.as_of) | Q(refiled_on__lt=F("reassessed_on")))
        ))
        return iter_pairs(qs.order_by().values_list("enterprise_id", "id").iterator(chunk_size=2000), "mhs")

    def bare_scan(self, ctx: Context, params: Mapping[str, Any]) -> int:
        return ctx.scope(MajorHazardSource.objects.all()).count()

    def check(self, record: EnterpriseRecord, ctx: Context, params: Mapping[str, Any]) -> list[Hit]:
        days = int(ctx.param("mhs.filing_days"))
        hits = []
        for m in record.hazard_sources:
            defects = []
            if m.filed_on is None and m.assessment_report_on is not None:
                due = ctx.calendar.add_calendar_days_rolled(m.assessment_report_on, days).due_date
                if ctx.as_of > due:
                    defects.append(("NOT_FILED", due + timedelta(days=1), f"评估报告出具后 {days} 日内未备案"))
            if m.no_longer_major_since is not None and m.no_longer_major_since <= ctx.as_of and m.cancellation_applied_on is None:
                defects.append(("NOT_CANCELLED", m.no_longer_major_since, "不再构成重大危险源但未申请核销"))
            if m.filed_on is not None and m.reassessed_on is not None and m.reassessed_on > m.filed_on and (
                    m.refiled_on is None or m.refiled_on < m.reassessed_on):
                due = ctx.calendar.add_calendar_days_rolled(m.reassessed_on, days).due_date
                if ctx.as_of > due:
                    defects.append(("NOT_REFILED", due + timedelta(days=1), "重新评估后未重新备案"))
            if not defects:
                continue
            facts = {"hazard_source": {"id": m.id, "code": m.code, "name": m.name, "identified_on": iso(m.identified_on),
                                       "assessment_report_on": iso(m.assessment_report_on), "filed_on": iso(m.filed_on),
                                       "reassessed_on": iso(m.reassessed_on), "refiled_on": iso(m.refiled_on),
                                       "no_longer_major_since": iso(m.no_longer_major_since),
                                       "cancellation_applied_on": iso(m.cancellation_applied_on)},
                     "defects": [d[0] for d in defects], "filing_days": days}
            title = f"{record.name}：重大危险源 {m.code} " + "；".join(d[2] for d in defects)
            hits.append(Hit(f"mhs:{m.id}", record.id, title, facts, min(d[1] for d in defects), True))
        return hits


def report_due(year: int, month_day: str) -> date:
    """SUB-11/CLU-S13: the report on `year` is due on `month_day` (MM-DD) of the following year."""
    month, day = (int(part) for part in month_day.split("-"))
    return date(year + 1, month, day)


def latest_due_year(as_of: date, month_day: str) -> int:
    """The latest report year whose deadline has passed on `as_of` (`today() > date(Y, 3, 31)`)."""
    year = as_of.year - 1
    while not as_of > report_due(year, month_day):
        year -= 1
    return year


def report_imbalance(r: PrecursorReportRec) -> Decimal:
    return abs(r.opening + r.produced + r.purchased - r.sold - r.used - r.closing)


@register
class PrecursorReportDefective(Evaluator):
    """CLU-S13: for the latest report year Y whose deadline has passed (and the year before it,
    still within the limitation period): no report, a late report, or one that does not balance
    (|opening + produced + purchased − sold − used − closing| > `precursor.tolerance`).
    One clue per enterprise and report year. The `mismatch(rep, system_flows)` part is not
    evaluated: activity signals do not identify the chemical (docs/clues.md)."""

    name = "precursor_report_defective"

    def rs_keys(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        return ("precursor.report_due", "precursor.tolerance")

    def candidates(self, ctx: Context, params: Mapping[str, Any]):
        md = ctx.param("precursor.report_due")
        year = latest_due_year(ctx.as_of, md)
        tolerance = Decimal(str(ctx.param("precursor.tolerance")))
        involved = ctx.scope(Enterprise.objects.exclude(precursor_role=PrecursorRole.NONE), enterprise_path="")
        missing = involved.filter(~Exists(PrecursorAnnualReport.objects.filter(enterprise=OuterRef("pk"), year=year))).annotate(
            report_year=Value(year, output_field=IntegerField())
        ).order_by().values_list("id", "report_year")
        # Rounded to the stored precision: SQLite computes decimals as binary floats (0.1 + 1.1 − 0.2 > 1).
        balance = Round(Abs(F("opening_kg") + F("produced_kg") + F("purchased_kg") - F("sold_kg") - F("used_kg") - F("closing_kg"),
                            output_field=DecimalField(max_digits=18, decimal_places=3)), 3)
        defective = ctx.scope(PrecursorAnnualReport.objects.filter(year__in=(year - 1, year)).exclude(enterprise__precursor_role=PrecursorRole.NONE))
        defective = defective.annotate(imbalance=balance).filter(
            not_done_by("submitted_on", ctx.as_of) | Q(year=year, submitted_on__gt=report_due(year, md))
            | Q(year=year - 1, submitted_on__gt=report_due(year - 1, md)) | Q(imbalance__gt=tolerance)
        ).order_by().values_list("enterprise_id", "year")
        seen: set[tuple[int, int]] = set()
        for enterprise_id, report_year in missing.union(defective, all=True).iterator():
            if (enterprise_id, report_year) not in seen:
                seen.add((enterprise_id, report_year))
                yield enterprise_id, f"precursor:{enterprise_id}:{report_year}"

    def bare_scan(self, ctx: Context, params: Mapping[str, Any]) -> int:
        year = latest_due_year(ctx.as_of, ctx.param("precursor.report_due"))
        involved = ctx.scope(Enterprise.objects.exclude(precursor_role=PrecursorRole.NONE), enterprise_path="").count()
        return involved + ctx.scope(PrecursorAnnualReport.objects.filter(year__in=(year - 1, year))).count()

    def check(self, record: EnterpriseRecord, ctx: Context, params: Mapping[str, Any]) -> list[Hit]:
        if record.precursor_role == PrecursorRole.NONE:
            return []
        md = ctx.param("precursor.report_due")
        tolerance = Decimal(str(ctx.param("precursor.tolerance")))
        latest = latest_due_year(ctx.as_of, md)
        hits = []
        for year in (latest - 1, latest):
            reports = [r for r in record.precursor_reports if r.year == year]
            due = report_due(year, md)
            defects: list[str] = []
            violation_on, ongoing = due + timedelta(days=1), True
            if not reports:
                if year == latest:
                    defects.append("MISSING")
            for r in reports:
                if r.submitted_on is None:
                    defects.append("MISSING")
                elif r.submitted_on > due:
                    defects.append("LATE")
                    violation_on, ongoing = r.submitted_on, False
                if report_imbalance(r) > tolerance:
                    defects.append("IMBALANCE")
                    if r.submitted_on is not None:
                        violation_on, ongoing = r.submitted_on, False
            if not defects:
                continue
            facts = {"year": year, "due_on": iso(due), "defects": sorted(set(defects)), "tolerance_kg": str(tolerance),
                     "reports": [{"id": r.id, "submitted_on": iso(r.submitted_on), "opening": str(r.opening), "produced": str(r.produced),
                                  "purchased": str(r.purchased), "sold": str(r.sold), "used": str(r.used), "closing": str(r.closing),
                                  "imbalance": str(report_imbalance(r))} for r in reports]}
            label = {"MISSING": "未报告", "LATE": "逾期报告", "IMBALANCE": "报告数据不平衡"}
            title = f"{record.name}：{year} 年度易制毒化学品年报" + "、".join(label[d] for d in sorted(set(defects)))
            hits.append(Hit(f"precursor:{record.id}:{year}", record.id, title, facts, violation_on, ongoing))
        return hits
