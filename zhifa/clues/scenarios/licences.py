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
from .base import Context, Evaluator, Hit, done_by, iter_pairs, register

EXTENSION_KINDS = (ApplicationKind.EXTENSION.value, ApplicationKind.RENEWAL.value)
DECIDED = (ApplicationStatus.APPROVED.value, ApplicationStatus.REJECTED.value)


def pending_on(day: date) -> Q:
    """SQL for "the application was undecided on `day`" (see EnterpriseRecord.as_stood_on)."""
    return Q(status=ApplicationStatus.PENDING) | Q(status__in=DECIDED, decided_on__gt=day)

# Which licence column records each registration field (SUB-04 recorded particulars).
RECORDED_COLUMN = {
    "principal": "recorded_principal",
    "name": "recorded_name",
    "reg_address": "recorded_address",
    "affiliation": "recorded_affiliation",
}


def deemed_extended(licence: LicenceRec, advance_months: int) -> bool:
    """RULES §3.2 `ext_ok`, second half: the holder applied for extension in time (at least
    `advance_months` before expiry, SUB-05…SUB-08) and the authority had not decided before
    expiry — the licence is deemed extended (Administrative Licensing Law art. 50). An approved
    extension is not this: it extends the licence to its new date (`covered`)."""
    cutoff = minus_months(licence.valid_to, advance_months)
    return any(
        a.kind in EXTENSION_KINDS and a.submitted_on <= cutoff
        and (a.status == ApplicationStatus.PENDING
             or a.status == ApplicationStatus.REJECTED and a.decided_on is not None and a.decided_on > licence.valid_to)
        for a in licence.applications
    )


def covered(record: EnterpriseRecord, licence_type: str, day: date) -> bool:
    """On `day` the holder had a licence of this type: one valid that day, or extended (approved
    extension/renewal, RULES §3.2 `ext_ok` first half) to a date not before it."""
    for other in record.licences:
        if other.licence_type != licence_type or other.status != LicenceStatus.VALID or other.valid_from > day:
            continue
        if other.valid_to is None or day <= other.valid_to:
            return True
        if any(a.kind in EXTENSION_KINDS and a.status == ApplicationStatus.APPROVED and (a.new_valid_to is None or day <= a.new_valid_to)
               for a in other.applications):
            return True
    return False


def blamed(record: EnterpriseRecord, licence: LicenceRec, day: date) -> bool:
    """Activity on `day` is held against `licence` only if no newer licence of the type had been
    issued by then (after a renewal, the renewal is the one that ran out)."""
    return not any(other.licence_type == licence.licence_type and other.status == LicenceStatus.VALID
                   and licence.valid_from < other.valid_from <= day for other in record.licences)


@register
class LicenceExpiredInUse(Evaluator):
    """CLU-S03/S06/S07/S10: `l.type == T and l.valid_to < today() and not ext_ok(l) and act(s, K,
    after=l.valid_to)` (S10 also `usage_ratio >= 1`). The activity that proves it is activity on a
    day no licence of the type covered (not the renewal, not an approved extension) and that
    belongs to `l` (no newer licence issued by then). Parameters: licence_type, activity,
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
        advance, licence_type = int(ctx.param(params["advance_key"])), params["licence_type"]
        deemed = LicenceApplication.objects.filter(
            licence=OuterRef("pk"), kind__in=EXTENSION_KINDS,
            submitted_on__lte=MinusMonths(OuterRef("valid_to"), Value(advance)),
        ).filter(pending_on(ctx.as_of) | Q(status=ApplicationStatus.REJECTED, decided_on__gt=OuterRef("valid_to")))
        # Inside `uncovered`, OuterRef points at the activity row; OuterRef(OuterRef) at the licence.
        holder = {"enterprise": OuterRef("enterprise"), "licence_type": licence_type, "status": LicenceStatus.VALID}
        covering_licence = Licence.objects.filter(**holder, valid_from__lte=OuterRef("occurred_on")).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("occurred_on")))
        covering_extension = LicenceApplication.objects.filter(
            **{f"licence__{k}": v for k, v in holder.items()}, licence__valid_from__lte=OuterRef("occurred_on"),
            kind__in=EXTENSION_KINDS, status=ApplicationStatus.APPROVED, submitted_on__lte=ctx.as_of,
        ).filter(Q(decided_on__isnull=True) | done_by("decided_on", ctx.as_of)).filter(
            Q(new_valid_to__isnull=True) | Q(new_valid_to__gte=OuterRef("occurred_on")))
        newer = Licence.objects.filter(**holder, valid_from__gt=OuterRef(OuterRef("valid_from")), valid_from__lte=OuterRef("occurred_on"))
        uncovered = ActivitySignal.objects.filter(
            enterprise=OuterRef("enterprise"), kind=params["activity"], occurred_on__gt=OuterRef("valid_to"), occurred_on__lte=ctx.as_of
        ).exclude(Exists(covering_licence)).exclude(Exists(covering_extension)).exclude(Exists(newer))
        qs = ctx.scope(Licence.objects.filter(licence_type=licence_type, status=LicenceStatus.VALID, valid_from__lte=ctx.as_of, valid_to__lt=ctx.as_of))
        qs = qs.exclude(Exists(deemed)).filter(Exists(uncovered))
        if params.get("min_use_ratio") is not None:
            qs = qs.filter(enterprise__hc_use_ratio__gte=Decimal(str(params["min_use_ratio"])))
        return iter_pairs(qs.order_by().values_list("enterprise_id", "id").iterator(chunk_size=2000), "licence")

    def bare_scan(self, ctx: Context, params: Mapping[str, Any]) -> int:
        return self._base(ctx, params).count()

    def check(self, record: EnterpriseRecord, ctx: Context, params: Mapping[str, Any]) -> list[Hit]:
        advance = int(ctx.param(params["advance_key"]))
        ratio = params.get("min_use_ratio")
        if ratio is not None and (record.hc_use_ratio is None or record.hc_use_ratio < Decimal(str(ratio))):
            return []
        hits = []
        for lic in record.licences:
            if lic.licence_type != params["licence_type"] or lic.status != LicenceStatus.VALID:
                continue
            if lic.valid_to is None or lic.valid_to >= ctx.as_of or deemed_extended(lic, advance):
                continue
            acts = [d for d in record.activity_after(params["activity"], lic.valid_to, ctx.as_of)
                    if not covered(record, lic.licence_type, d) and blamed(record, lic, d)]
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
            title = f"{record.name}：证书 {lic.number} 已于 {lic.valid_to:%Y-%m-%d} 到期，到期后无证期间仍有 {len(acts)} 条经营活动记录"
            # Ongoing until the holder is licensed again (then a completed act, CLU-03 counts from its end).
            ongoing = not covered(record, lic.licence_type, ctx.as_of)
            hits.append(Hit(f"licence:{lic.id}", record.id, title, facts, acts[0] if ongoing else acts[-1], ongoing=ongoing))
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
            submitted_on__gte=OuterRef("changed_on"), submitted_on__lte=ctx.as_of,
        ).filter(pending_on(ctx.as_of))
        activity = ActivitySignal.objects.filter(
            enterprise=OuterRef(OuterRef("enterprise")), kind=params["activity"], occurred_on__gt=OuterRef("changed_on"), occurred_on__lte=ctx.as_of
        )
        stale = self._changes(ctx, params, threshold).filter(differs).exclude(Exists(later)).exclude(Exists(pending)).filter(Exists(activity))
        superseded = Licence.objects.filter(enterprise=OuterRef("enterprise"), licence_type=params["licence_type"], status=LicenceStatus.VALID,
                                            valid_from__gt=OuterRef("valid_from"), valid_from__lte=ctx.as_of)
        qs = ctx.scope(Licence.objects.filter(licence_type=params["licence_type"], status=LicenceStatus.VALID)).filter(Exists(stale))
        qs = qs.exclude(Exists(superseded))
        return iter_pairs(qs.order_by().values_list("enterprise_id", "id").iterator(chunk_size=2000), "licence")

    def bare_scan(self, ctx: Context, params: Mapping[str, Any]) -> int:
        threshold = ctx.threshold(ctx.param(params["change_wd_key"]), "WD")
        qs = ctx.scope(Licence.objects.filter(licence_type=params["licence_type"]))
        return qs.filter(Exists(self._changes(ctx, params, threshold))).count()

    def check(self, record: EnterpriseRecord, ctx: Context, params: Mapping[str, Any]) -> list[Hit]:
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
