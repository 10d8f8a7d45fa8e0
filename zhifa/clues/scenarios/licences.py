"""Licence scenarios: expired and still operating (CLU-S03, S06, S07, S10) and registration changes
not carried into the licence while operating (CLU-S04, S08, S11). RULES §3.2."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce

from zhifa.subjects.choices import ApplicationKind, ApplicationStatus, LicenceStatus
from zhifa.subjects.models import ActivitySignal, Licence, LicenceApplication, RegistrationChange

from ..records import EnterpriseRecord, LicenceRec
from ..rules import iso, minus_months
from ..sqlfuncs import MinusMonths
from .base import Context, Evaluator, Hit, iter_pairs, register

EXTENSION_KINDS = (ApplicationKind.EXTENSION.value, ApplicationKind.RENEWAL.value)

# Which licence column records each registration field (SUB-04 recorded particulars).
RECORDED_COLUMN = {
    "principal": "recorded_principal",
    "name": "recorded_name",
    "reg_address": "recorded_address",
    "affiliation": "recorded_affiliation",
}


def ext_ok(licence: LicenceRec, advance_months: int) -> bool:
    """RULES §3.2 `ext_ok(l, d)`: an extension/renewal was approved, or the holder applied in time
    (at least `advance_months` before expiry, SUB-05…SUB-08) and the authority did not decide
    before expiry — deemed granted under the Administrative Licensing Law art. 50."""
    cutoff = minus_months(licence.valid_to, advance_months)
    for a in licence.applications:
        if a.kind not in EXTENSION_KINDS:
            continue
        if a.status == ApplicationStatus.APPROVED and (a.new_valid_to is None or a.new_valid_to > licence.valid_to):
            return True
        if a.status in (ApplicationStatus.PENDING, ApplicationStatus.REJECTED) and a.submitted_on <= cutoff:
            if a.status == ApplicationStatus.PENDING or (a.decided_on is not None and a.decided_on > licence.valid_to):
                return True
    return False


def _renewed(record: EnterpriseRecord, licence: LicenceRec, as_of: date) -> bool:
    """A newer licence of the same type is in force today (the old one was renewed)."""
    return any(
        other.licence_type == licence.licence_type and other.status == LicenceStatus.VALID and other.valid_from > licence.valid_from
        and other.valid_from <= as_of and (other.valid_to is None or other.valid_to >= as_of)
        for other in record.licences
    )


@register
class LicenceExpiredInUse(Evaluator):
    """CLU-S03/S06/S07/S10: `l.type == T and l.valid_to < today() and not ext_ok(l) and act(s, K,
    after=l.valid_to)` (S10 also `usage_ratio >= 1`). Parameters: licence_type, activity,
    advance_key (rule-set key of the advance-application months), min_use_ratio (optional)."""

    name = "licence_expired_in_use"

    def rs_keys(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        return (params["advance_key"],)

    def _base(self, ctx: Context, params: Mapping[str, Any]):
        qs = ctx.scope(Licence.objects.filter(licence_type=params["licence_type"], valid_to__lt=ctx.as_of))
        activity = ActivitySignal.objects.filter(
            enterprise=OuterRef("enterprise"), kind=params["activity"], occurred_on__gt=OuterRef("valid_to"), occurred_on__lte=ctx.as_of
        )
        return qs.filter(Exists(activity))

    def candidates(self, ctx: Context, params: Mapping[str, Any]):
        advance = int(ctx.param(params["advance_key"]))
        applications = LicenceApplication.objects.filter(licence=OuterRef("pk"), kind__in=EXTENSION_KINDS).filter(
            Q(status=ApplicationStatus.APPROVED) & (Q(new_valid_to__isnull=True) | Q(new_valid_to__gt=OuterRef("valid_to")))
            | Q(status__in=(ApplicationStatus.PENDING, ApplicationStatus.REJECTED), submitted_on__lte=MinusMonths(OuterRef("valid_to"), Value(advance)))
            & (Q(status=ApplicationStatus.PENDING) | Q(decided_on__gt=OuterRef("valid_to")))
        )
        renewed = Licence.objects.filter(
            enterprise=OuterRef("enterprise"), licence_type=params["licence_type"], status=LicenceStatus.VALID,
            valid_from__gt=OuterRef("valid_from"), valid_from__lte=ctx.as_of,
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=ctx.as_of))
        qs = self._base(ctx, params).filter(status=LicenceStatus.VALID).exclude(Exists(applications)).exclude(Exists(renewed))
        if params.get("min_use_ratio") is not None:
            qs = qs.filter(enterprise__hc_use_ratio__gte=Decimal(str(params["min_use_ratio"])))
        return iter_pairs(qs.values_list("enterprise_id", "id").iterator(chunk_size=2000), "licence")

    def bare_scan(self, ctx: Context, params: Mapping[str, Any]) -> int:
        return self._base(ctx, params).count()

    def evaluate(self, record: EnterpriseRecord, ctx: Context, params: Mapping[str, Any]) -> list[Hit]:
        advance = int(ctx.param(params["advance_key"]))
        ratio = params.get("min_use_ratio")
        if ratio is not None and (record.hc_use_ratio is None or record.hc_use_ratio < Decimal(str(ratio))):
            return []
        hits = []
        for lic in record.licences:
            if lic.licence_type != params["licence_type"] or lic.status != LicenceStatus.VALID:
                continue
            if lic.valid_to is None or lic.valid_to >= ctx.as_of or ext_ok(lic, advance) or _renewed(record, lic, ctx.as_of):
                continue
            acts = record.activity_after(params["activity"], lic.valid_to, ctx.as_of)
            if not acts:
                continue
            facts = {
                "licence": {"id": lic.id, "type": lic.licence_type, "number": lic.number, "valid_from": iso(lic.valid_from), "valid_to": iso(lic.valid_to)},
                "applications": [
                    {"kind": a.kind, "submitted_on": iso(a.submitted_on), "status": a.status, "decided_on": iso(a.decided_on)}
                    for a in lic.applications if a.kind in EXTENSION_KINDS
                ],
                "extension_apply_by": iso(minus_months(lic.valid_to, advance)),
                "activity": {"kind": params["activity"], "count": len(acts), "first": iso(acts[0]), "last": iso(acts[-1])},
            }
            if ratio is not None:
                facts["use_ratio"] = str(record.hc_use_ratio)
            title = f"{record.name}：证书 {lic.number} 已于 {lic.valid_to:%Y-%m-%d} 到期，到期后仍有 {len(acts)} 条经营活动记录"
            hits.append(Hit(f"licence:{lic.id}", record.id, title, facts, acts[0], ongoing=True))
        return hits


def _superseded(record: EnterpriseRecord, licence: LicenceRec, as_of: date) -> bool:
    """A newer licence of the same type has been issued: the change belongs to it, not to the old one."""
    return any(other.licence_type == licence.licence_type and other.status == LicenceStatus.VALID
               and licence.valid_from < other.valid_from <= as_of for other in record.licences)


def _latest_changes(record: EnterpriseRecord, fields: tuple[str, ...], as_of: date) -> dict[str, Any]:
    """The latest change of each field up to `as_of` (ties broken by record id)."""
    latest: dict[str, Any] = {}
    for ch in record.changes:
        if ch.field in fields and ch.changed_on <= as_of:
            current = latest.get(ch.field)
            if current is None or (ch.changed_on, ch.id) > (current.changed_on, current.id):
                latest[ch.field] = ch
    return latest


@register
class LicenceChangeNotMade(Evaluator):
    """CLU-S04/S08/S11: a registration field in `fields` changed during the licence's validity,
    the licence still records the old value, no change application is pending, the change period
    (`change_wd_key`, working days) has run out, and the holder kept operating after the change.
    A licence superseded by a newer one of the same type is not checked (the newer one is).
    Only the latest change of each field counts (an earlier value overtaken by a later change is
    not the licence's current particular)."""

    name = "licence_change_not_made"

    def rs_keys(self, params: Mapping[str, Any]) -> tuple[str, ...]:
        return (params["change_wd_key"],)

    def _changes(self, ctx: Context, params: Mapping[str, Any], threshold: date):
        return RegistrationChange.objects.filter(
            enterprise=OuterRef("enterprise"), field__in=params["fields"],
            changed_on__gte=OuterRef("valid_from"),
        ).filter(changed_on__lte=Coalesce(OuterRef("valid_to"), Value(ctx.as_of))).filter(changed_on__lte=threshold)

    def candidates(self, ctx: Context, params: Mapping[str, Any]):
        threshold = ctx.threshold(ctx.param(params["change_wd_key"]), "WD")
        differs = Q()
        for field in params["fields"]:
            differs |= Q(field=field) & ~Q(new_value=OuterRef(RECORDED_COLUMN[field]))
        later = RegistrationChange.objects.filter(enterprise=OuterRef("enterprise"), field=OuterRef("field"), changed_on__lte=ctx.as_of).filter(
            Q(changed_on__gt=OuterRef("changed_on")) | Q(changed_on=OuterRef("changed_on"), id__gt=OuterRef("id"))
        )
        pending = LicenceApplication.objects.filter(
            licence=OuterRef(OuterRef("pk")), kind=ApplicationKind.CHANGE, change_field=OuterRef("field"),
            status=ApplicationStatus.PENDING, submitted_on__gte=OuterRef("changed_on"),
        )
        activity = ActivitySignal.objects.filter(
            enterprise=OuterRef(OuterRef("enterprise")), kind=params["activity"], occurred_on__gt=OuterRef("changed_on"), occurred_on__lte=ctx.as_of
        )
        stale = self._changes(ctx, params, threshold).filter(differs).exclude(Exists(later)).exclude(Exists(pending)).filter(Exists(activity))
        superseded = Licence.objects.filter(enterprise=OuterRef("enterprise"), licence_type=params["licence_type"], status=LicenceStatus.VALID,
                                            valid_from__gt=OuterRef("valid_from"), valid_from__lte=ctx.as_of)
        qs = ctx.scope(Licence.objects.filter(licence_type=params["licence_type"], status=LicenceStatus.VALID)).filter(Exists(stale))
        qs = qs.exclude(Exists(superseded))
        return iter_pairs(qs.values_list("enterprise_id", "id").iterator(chunk_size=2000), "licence")

    def bare_scan(self, ctx: Context, params: Mapping[str, Any]) -> int:
        threshold = ctx.threshold(ctx.param(params["change_wd_key"]), "WD")
        qs = ctx.scope(Licence.objects.filter(licence_type=params["licence_type"]))
        return qs.filter(Exists(self._changes(ctx, params, threshold))).count()

    def evaluate(self, record: EnterpriseRecord, ctx: Context, params: Mapping[str, Any]) -> list[Hit]:
        period = int(ctx.param(params["change_wd_key"]))
        fields = tuple(params["fields"])
        latest = _latest_changes(record, fields, ctx.as_of)
        hits = []
        for lic in record.licences:
            if lic.licence_type != params["licence_type"] or lic.status != LicenceStatus.VALID or _superseded(record, lic, ctx.as_of):
                continue
            stale = []
            for field, ch in latest.items():
                if not (lic.valid_from <= ch.changed_on <= (lic.valid_to or ctx.as_of)):
                    continue
                if lic.recorded[field] == ch.new_value:
                    continue
                if any(a.kind == ApplicationKind.CHANGE and a.change_field == field and a.status == ApplicationStatus.PENDING
                       and a.submitted_on >= ch.changed_on for a in lic.applications):
                    continue
                due = ctx.calendar.add_working_days(ch.changed_on, period).due_date
                if not ctx.as_of > due:
                    continue
                acts = record.activity_after(params["activity"], ch.changed_on, ctx.as_of)
                if acts:
                    stale.append((due, ch, acts))
            if not stale:
                continue
            stale.sort(key=lambda s: (s[0], s[1].id))
            due, ch, acts = stale[0]
            facts = {
                "licence": {"id": lic.id, "type": lic.licence_type, "number": lic.number, "valid_from": iso(lic.valid_from), "valid_to": iso(lic.valid_to)},
                "changes": [
                    {"id": c.id, "field": c.field, "old_value": c.old_value, "new_value": c.new_value, "changed_on": iso(c.changed_on),
                     "recorded_on_licence": lic.recorded[c.field], "change_due": iso(d), "activity_after": len(a), "last_activity": iso(a[-1])}
                    for d, c, a in stale
                ],
                "change_period_wd": period,
            }
            title = f"{record.name}：{ch.changed_on:%Y-%m-%d} 登记事项变更后未在 {period} 个工作日内办理证书 {lic.number} 变更，仍在经营"
            hits.append(Hit(f"licence:{lic.id}", record.id, title, facts, due + timedelta(days=1), ongoing=True))
        return hits
